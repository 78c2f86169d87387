"""The users table: one row per Google `sub`, written when the user is first seen."""
