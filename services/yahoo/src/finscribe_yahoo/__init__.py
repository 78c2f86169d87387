"""FinScribe Yahoo Finance service: Quotes, history, FX and global indices through yfinance."""
