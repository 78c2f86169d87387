"""Charts: a validated chart spec, series resolved from fetched data or a CSV, rendered with matplotlib."""
