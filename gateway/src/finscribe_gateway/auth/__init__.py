"""Who is calling: Google ID tokens, Google access tokens, or (local only) dev tokens."""
