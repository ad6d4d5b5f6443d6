"""Named test functions that stand in for callable arguments such as ``f`` in ``numerical_diff``.

Callables cannot cross the process boundary, so the judge sends ``F("cube")`` and the worker
rebuilds the same function by name. Every function works on Python floats, NumPy arrays and
torch tensors alike, so one name serves the NumPy and the autograd exercises.
"""


import numpy as np


def _lib(x):
    """The math library matching ``x``: torch for tensors, NumPy otherwise."""
    if type(x).__module__.startswith("torch"):
        import torch

        return torch
    return np


def cube(x):
    return x**3 - 2 * x


def cube_prime(x):
    return 3 * x**2 - 2


def sin(x):
    return _lib(x).sin(x)


def sin_prime(x):
    return _lib(x).cos(x)


def exp(x):
    return _lib(x).exp(x)


def square(x):
    return x * x


def square_prime(x):
    return 2 * x


def sum_of_squares(x):
    """f(x) = sum x_i^2, a scalar function of an array (gradient 2x)."""
    return (x * x).sum() if hasattr(x, "sum") else x * x


def sum_of_squares_grad(x):
    return 2 * np.asarray(x, dtype=np.float64)


def rosenbrock(x):
    """The banana function of a length-2 vector; a classic gradient-descent test."""
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def rosenbrock_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


def mixed(x):
    """A non-separable scalar function of an array: sum sin(x) * x + (sum x)^2 / 2."""
    lib = _lib(x)
    return (lib.sin(x) * x).sum() + x.sum() ** 2 / 2


def mixed_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return np.cos(x) * x + np.sin(x) + x.sum()


FUNCTIONS = {
    f.__name__: f
    for f in (
        cube, cube_prime, sin, sin_prime, exp, square, square_prime, sum_of_squares,
        sum_of_squares_grad, rosenbrock, rosenbrock_grad, mixed, mixed_grad,
    )
}


class ShapeError(TypeError):
    """Raised inside the worker when a submission calls ``f`` with an argument of the wrong shape."""


class F:
    """A reference to a named test function, callable on both sides of the process boundary.

    ``expect_shape`` makes the function insist on being called with an array of exactly that
    shape (``()`` for a 0-d array), which is how the contract "f is always called with an
    array of x's shape" is checked where ``f`` runs.
    """

    def __init__(self, name, expect_shape=None):
        if name not in FUNCTIONS:
            raise KeyError(f"unknown test function {name!r}")
        self.name = name
        self.expect_shape = None if expect_shape is None else tuple(expect_shape)

    def __call__(self, x):
        if self.expect_shape is not None:
            shape = getattr(x, "shape", None)
            if not isinstance(x, np.ndarray) or tuple(shape) != self.expect_shape:
                got = f"{type(x).__name__} of shape {tuple(shape)}" if shape is not None else type(x).__name__
                raise ShapeError(
                    f"f expects an ndarray of shape {self.expect_shape} (the shape of x), got {got}"
                )
        return FUNCTIONS[self.name](x)

    def __repr__(self):
        return f"f={self.name}" if self.expect_shape is None else f"f={self.name}{list(self.expect_shape)}"

    def __eq__(self, other):
        return isinstance(other, F) and (self.name, self.expect_shape) == (other.name, other.expect_shape)

    def __hash__(self):
        return hash((self.name, self.expect_shape))


__all__ = ["F", "FUNCTIONS", "ShapeError"]
