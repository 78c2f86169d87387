"""Sessions: one per (user, Google Doc); they own files, runs and charts."""
