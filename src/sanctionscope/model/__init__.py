"""Pure types for legal acts, measures and jurisdictions (no IO)."""
