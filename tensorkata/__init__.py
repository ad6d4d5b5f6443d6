"""tensorkata: auto-graded exercises on the mathematics behind large language models."""
