"""A correct alternative to solutions/derivatives.py, written with plain loops and Python floats.

The grader must give it full marks: the hidden suites judge behaviour, not one formulation.
"""

import numpy as np
import torch


def numerical_diff(f, x, h=1e-4):
    return float(f(x + h) - f(x - h)) / (2.0 * h)


def numerical_gradient(f, x, h=1e-4):
    point = np.array(x, dtype=np.float64)  # a private copy, perturbed and restored element by element
    flat = point.reshape(-1)
    result = []
    for i in range(flat.size):
        keep = flat[i]
        flat[i] = keep + h
        up = float(f(point))
        flat[i] = keep - h
        down = float(f(point))
        flat[i] = keep
        result.append((up - down) / (2.0 * h))
    return np.array(result, dtype=np.float64).reshape(point.shape)


def tangent_line(f, a, h=1e-4):
    slope = numerical_diff(f, a, h)
    return slope, float(f(a)) - slope * a


def chain_rule_derivative(f_prime, g, g_prime, x):
    inner = g(x)
    return float(f_prime(inner)) * float(g_prime(x))


def grad_quadratic_form(A, x):
    A = np.asarray(A, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or x.ndim != 1 or len(x) != len(A):
        raise ValueError(f"grad_quadratic_form: need A (n, n) and x (n,), got {A.shape} and {x.shape}")
    n = len(x)
    out = np.zeros(n)
    for k in range(n):
        out[k] = sum(A[k, j] * x[j] for j in range(n)) + sum(A[i, k] * x[i] for i in range(n))
    return out


def autograd_derivative(f, x):
    t = torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(t), t)
    return float(g)


def grad_check(f, grad_f, x, h=1e-5):
    a = np.asarray(grad_f(np.array(x, dtype=np.float64)), dtype=np.float64).ravel()
    n = numerical_gradient(f, x, h).ravel()
    worst = 0.0
    for ai, ni in zip(a, n):
        worst = max(worst, abs(ai - ni) / max(abs(ai), abs(ni), 1e-12))
    return float(worst)


def gradient_descent(grad_f, x0, lr, steps):
    if steps < 0:
        raise ValueError(f"gradient_descent: steps must be >= 0, got {steps}")
    if lr <= 0:
        raise ValueError(f"gradient_descent: lr must be > 0, got {lr}")
    current = np.array(x0, dtype=np.float64)
    out = np.empty((steps + 1,) + current.shape)
    out[0] = current
    for step in range(1, steps + 1):
        current = current - lr * np.asarray(grad_f(current.copy()), dtype=np.float64)
        out[step] = current
    return out
