"""The derivatives topic: hidden suite and catalogued mistakes."""
