"""Calling submission code inside the worker, optionally measured.

A measured call reports how it computed, not only what: the number of torch operations (a
Python loop over the batch makes it grow with the batch size), the largest tensor an operation
produced (a ``B x B`` or ``(N, M, d)`` intermediate shows up even when the values are right),
the peak of Python-tracked memory (NumPy registers its buffers there) and the warnings raised.
"""

import importlib
import tracemalloc
import warnings
from dataclasses import asdict, dataclass, field

WARNINGS_KEPT = 5


def call_function(function, args, kwargs):
    """Call ``function`` with warnings silenced: a warning never fails a test by itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


@dataclass
class Measurement:
    ops: int = 0
    largest: int = 0  # elements of the largest tensor an operation allocated (views excluded)
    peak_bytes: int = 0
    warnings: list = field(default_factory=list)


def _counting_mode(measurement: Measurement):
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_leaves

    class Counting(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            measurement.ops += 1
            for leaf in tree_leaves(out):
                if isinstance(leaf, torch.Tensor) and not leaf._is_view():
                    measurement.largest = max(measurement.largest, leaf.numel())
            return out

    return Counting()


def measured_call(function, args, kwargs):
    """Call ``function`` and return ``(value, measurement as a dict)``."""
    measurement = Measurement()
    tracemalloc.start()
    try:
        with warnings.catch_warnings(record=True) as caught, _counting_mode(measurement):
            warnings.simplefilter("always")
            value = function(*args, **kwargs)
        measurement.peak_bytes = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    measurement.warnings = [f"{w.category.__name__}: {w.message}"[:200] for w in caught[:WARNINGS_KEPT]]
    return value, asdict(measurement)


def run_scenario(topic: str, name: str, module, args):
    """Run ``tensorkata.worker.scenarios.<topic>.<name>(module, *args)``: objects stay here."""
    scenarios = importlib.import_module(f"tensorkata.worker.scenarios.{topic}")
    return call_function(getattr(scenarios, name), (module, *args), {})
