"""Compile acts into an index and answer questions from it (no IO)."""
