"""FinScribe gateway: The public API: Google sign-in, sessions, files, runs, charts."""
