"""Uploaded files: PDFs (indexed in rag) and CSVs (kept for charting)."""
