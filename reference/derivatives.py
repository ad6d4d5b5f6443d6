"""Trusted oracle for the ``derivatives`` topic.

The hidden tests compare submissions with these functions, so they are written independently
of ``solutions/derivatives.py`` (which this module never imports) and lean on library machinery
wherever the contract allows: ``torch.autograd`` and ``torch.func`` for the analytic gradients,
a basis of unit vectors for the numerical gradient, ``np.stack`` for the trajectory. Agreement
between two independent implementations is what makes either of them trustworthy.

Contract: ``curriculum.md``, table ``derivatives``. Every result is float64 (a Python float for
scalars); every validation raises ``ValueError`` with a message naming the offending shape or
value, exactly where the solution's docstrings say it does.
"""

import math

import numpy as np
import torch


def _scalar(name, function, value):
    """``value`` as a Python float, or ValueError when it is not a scalar."""
    array = np.asarray(value, dtype=np.float64)
    if array.shape != ():
        raise ValueError(f"{function}: {name} must be a scalar, got an array of shape {array.shape}")
    return array.item()


def _step(function, h):
    h = float(h)
    if h == 0.0:
        raise ValueError(f"{function}: the step h must be non-zero, got {h!r}")
    return h


def numerical_diff(f, x, h=1e-4):
    """Central difference of ``f`` at the scalar ``x``, as a Python float."""
    x = _scalar("x", "numerical_diff", x)
    h = _step("numerical_diff", h)
    ahead, behind = f(x + h), f(x - h)
    return float(np.float64(ahead - behind) / (h + h))


def numerical_gradient(f, x, h=1e-4):
    """Central-difference gradient over a basis of unit vectors (f gets arrays of x's shape)."""
    point = np.array(x, dtype=np.float64)
    h = _step("numerical_gradient", h)
    basis = np.eye(point.size, dtype=np.float64).reshape(point.size, *point.shape)  # (size, *shape)
    # np.asarray keeps a 0-d sum an array (NumPy would hand back a scalar for 0-d + 0-d).
    slopes = [
        (float(f(np.asarray(point + h * e))) - float(f(np.asarray(point - h * e)))) / (h + h)
        for e in basis
    ]
    return np.asarray(slopes, dtype=np.float64).reshape(point.shape)


def tangent_line(f, a, h=1e-4):
    """``(slope, intercept)`` of the tangent of ``f`` at ``a``."""
    a = _scalar("a", "tangent_line", a)
    slope = numerical_diff(f, a, h)
    height = float(f(a))
    return slope, height - slope * a


def chain_rule_derivative(f_prime, g, g_prime, x):
    """``f_prime(g(x)) * g_prime(x)``, a Python float for scalar ``x``, elementwise for arrays."""
    x = np.asarray(x, dtype=np.float64)
    if x.shape == ():
        value = x.item()
        return float(f_prime(g(value)) * g_prime(value))
    return np.asarray(f_prime(g(x)), dtype=np.float64) * np.asarray(g_prime(x), dtype=np.float64)


def grad_quadratic_form(A, x):
    """Gradient of ``x @ A @ x`` by ``torch.autograd.grad``, in float64."""
    A = np.asarray(A, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"grad_quadratic_form: A must be a square matrix (n, n), got shape {A.shape}")
    if x.ndim != 1 or x.shape[0] != A.shape[0]:
        raise ValueError(
            f"grad_quadratic_form: x must have shape ({A.shape[0]},) for A of shape {A.shape}, got {x.shape}"
        )
    matrix = torch.from_numpy(np.ascontiguousarray(A))
    vector = torch.from_numpy(np.array(x)).requires_grad_(True)
    (gradient,) = torch.autograd.grad(vector @ matrix @ vector, vector)
    return gradient.detach().numpy().astype(np.float64)


def autograd_derivative(f, x):
    """``f'(x)`` by ``torch.func.grad`` at a float64 0-d tensor."""
    point = torch.tensor(float(x), dtype=torch.float64)

    def as_tensor(t):
        out = f(t)
        return out if isinstance(out, torch.Tensor) else torch.as_tensor(out, dtype=torch.float64)

    return torch.func.grad(as_tensor)(point).item()


def grad_check(f, grad_f, x, h=1e-5):
    """Largest elementwise ``|a - n| / max(|a|, |n|, 1e-12)``; 0.0 for an empty ``x``."""
    x = np.asarray(x, dtype=np.float64)
    analytic = np.asarray(grad_f(np.array(x)), dtype=np.float64)
    if analytic.shape != x.shape:
        raise ValueError(f"grad_check: grad_f returned shape {analytic.shape}, but x has shape {x.shape}")
    numeric = numerical_gradient(f, x, h)
    errors = [
        abs(a - n) / max(abs(a), abs(n), 1e-12)
        for a, n in zip(analytic.ravel().tolist(), numeric.ravel().tolist())
    ]
    if any(math.isnan(e) for e in errors):  # a NaN gradient is never "close"; keep it visible
        return math.nan
    return max(errors, default=0.0)


def gradient_descent(grad_f, x0, lr, steps):
    """``np.stack`` of the iterates ``x0, x1, ..., x_steps``."""
    if isinstance(steps, float) and not math.isfinite(steps) or steps != int(steps) or steps < 0:
        raise ValueError(f"gradient_descent: steps must be a non-negative integer, got {steps!r}")
    if not lr > 0:
        raise ValueError(f"gradient_descent: the learning rate lr must be positive, got {lr!r}")
    points = [np.array(x0, dtype=np.float64)]
    for _ in range(int(steps)):
        points.append(points[-1] - lr * np.asarray(grad_f(points[-1].copy()), dtype=np.float64))
    return np.stack(points).astype(np.float64, copy=False)
