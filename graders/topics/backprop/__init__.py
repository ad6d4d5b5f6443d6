"""The backprop topic: hidden suite and catalogued mistakes."""
