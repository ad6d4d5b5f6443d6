"""The attention topic: hidden suite and catalogued mistakes."""
