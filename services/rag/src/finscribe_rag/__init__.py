"""FinScribe RAG service: Per-user Chroma collections of uploaded PDFs with hybrid search."""
