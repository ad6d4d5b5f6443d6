"""Test functions of the derivatives topic: scalar functions, their derivatives, and gradients."""

import numpy as np

from tensorkata.worker.functions import register


def _lib(x):
    """The math library matching ``x``: torch for tensors, NumPy otherwise."""
    if type(x).__module__.startswith("torch"):
        import torch

        return torch
    return np


@register
def cube(x):
    return x**3 - 2 * x


@register
def cube_prime(x):
    return 3 * x**2 - 2


@register
def sin(x):
    return _lib(x).sin(x)


@register
def sin_prime(x):
    return _lib(x).cos(x)


@register
def exp(x):
    return _lib(x).exp(x)


@register
def square(x):
    return x * x


@register
def square_prime(x):
    return 2 * x


@register
def sum_of_squares(x):
    """f(x) = sum x_i^2, a scalar function of an array (gradient 2x)."""
    return (x * x).sum() if hasattr(x, "sum") else x * x


@register
def sum_of_squares_grad(x):
    return 2 * np.asarray(x, dtype=np.float64)


@register
def rosenbrock(x):
    """The banana function of a length-2 vector; a classic gradient-descent test."""
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


@register
def rosenbrock_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


@register
def mixed(x):
    """A non-separable scalar function of an array: sum sin(x) * x + (sum x)^2 / 2."""
    lib = _lib(x)
    return (lib.sin(x) * x).sum() + x.sum() ** 2 / 2


@register
def mixed_grad(x):
    x = np.asarray(x, dtype=np.float64)
    return np.cos(x) * x + np.sin(x) + x.sum()
