"""Importers: generate act files from transcriptions of legal texts (data/reference/transcriptions)."""
