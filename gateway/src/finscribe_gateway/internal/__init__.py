"""Routes only other FinScribe services may call (internal token; nginx blocks /internal/)."""
