"""The gpu_batching topic: hidden suite and catalogued mistakes."""
