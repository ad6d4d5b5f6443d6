"""Building from the single source in ``solutions/``: student stubs (and later notebooks, release)."""
