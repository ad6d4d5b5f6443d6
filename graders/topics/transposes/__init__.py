"""The transposes topic: hidden suite and catalogued mistakes."""
