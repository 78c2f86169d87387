"""Contracts between FinScribe components, defined once (runs: `contract.runs`)."""
