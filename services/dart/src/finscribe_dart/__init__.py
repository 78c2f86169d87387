"""FinScribe DART service: Open DART corp lookup, filings and financial statements through dart-fss."""
