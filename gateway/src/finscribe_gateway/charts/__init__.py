"""Chart PNGs from runs, served at unguessable, expiring URLs."""
