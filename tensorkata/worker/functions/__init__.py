"""Named test functions that stand in for callable arguments (``f`` in ``numerical_diff``, ...).

Callables cannot cross the process boundary, so the judge sends ``F("cube")`` and the worker
rebuilds the same function by name. Each topic that needs such arguments registers its
functions in a module of this package; every function works on Python floats, NumPy arrays and
torch tensors alike where that makes sense.
"""

import importlib
import pkgutil

import numpy as np

FUNCTIONS: dict = {}


def register(function):
    """Make ``function`` available to :class:`F` under its own name."""
    if function.__name__ in FUNCTIONS:
        raise ValueError(f"test function {function.__name__!r} registered twice")
    FUNCTIONS[function.__name__] = function
    return function


def lookup(name: str):
    if name not in FUNCTIONS:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
    if name not in FUNCTIONS:
        raise KeyError(f"unknown test function {name!r}")
    return FUNCTIONS[name]


class ShapeError(TypeError):
    """Raised where a submission calls a test function with an argument it must not get."""


class F:
    """A reference to a named test function, callable on both sides of the process boundary.

    Optional checks run before the function, on its first argument, so a submission that breaks
    a calling rule fails where it calls: ``expect_shape`` insists on an array of exactly that
    shape ("f is always called with an array of x's shape"), ``max_rows`` on at most that many
    rows along dim 0 ("fn never sees more than chunk_size rows").
    """

    def __init__(self, name, expect_shape=None, max_rows=None):
        lookup(name)
        self.name = name
        self.expect_shape = None if expect_shape is None else tuple(expect_shape)
        self.max_rows = max_rows

    def _check(self, x):
        shape = getattr(x, "shape", None)
        if self.expect_shape is not None and (not isinstance(x, np.ndarray) or tuple(shape) != self.expect_shape):
            got = f"{type(x).__name__} of shape {tuple(shape)}" if shape is not None else type(x).__name__
            raise ShapeError(f"{self.name} expects an ndarray of shape {self.expect_shape} (the shape of x), got {got}")
        if self.max_rows is not None and (shape is None or len(shape) == 0 or shape[0] > self.max_rows):
            raise ShapeError(f"{self.name} may see at most {self.max_rows} rows at once, got shape {shape}")

    def __call__(self, *args):
        self._check(args[0])
        return lookup(self.name)(*args)

    def _key(self):
        return (self.name, self.expect_shape, self.max_rows)

    def __repr__(self):
        checks = []
        if self.expect_shape is not None:
            checks.append(f"shape={list(self.expect_shape)}")
        if self.max_rows is not None:
            checks.append(f"max_rows={self.max_rows}")
        return self.name + (f"[{', '.join(checks)}]" if checks else "")

    def __eq__(self, other):
        return isinstance(other, F) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())
