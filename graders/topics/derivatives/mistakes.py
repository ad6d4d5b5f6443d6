"""Catalogued mistakes of the derivatives topic.

Each function below is a realistic wrong version of one exercise, named and signed exactly like
it; its diagnosis text lives in ``tensorkata/catalog/derivatives.toml`` under the same id. The
probes are chosen so that every mistake differs clearly from the reference on at least one of
them (large steps such as ``h=0.1`` make truncation-error mistakes visible, non-symmetric
matrices expose ``2 A x``, a non-separable ``f`` exposes a forgotten restore), and so that no two
mistakes of one exercise agree on every probe.
"""

import math

import numpy as np
import torch

from graders.mistakes import mistake, probe
from reference.derivatives import numerical_diff, numerical_gradient  # siblings a mistake may call
from tensorkata.worker.functions import F

# --- numerical_diff -------------------------------------------------------------------------


@mistake("derivatives.numerical_diff", "forward-difference")
def numerical_diff(f, x, h=1e-4):
    x, h = float(x), float(h)
    return float((f(x + h) - f(x)) / h)


@mistake("derivatives.numerical_diff", "divides-by-h")
def numerical_diff(f, x, h=1e-4):
    x, h = float(x), float(h)
    return float((f(x + h) - f(x - h)) / h)


@mistake("derivatives.numerical_diff", "ignores-h")
def numerical_diff(f, x, h=1e-4):
    x = float(x)
    h = 1e-4
    return float((f(x + h) - f(x - h)) / (2 * h))


# --- numerical_gradient ---------------------------------------------------------------------


@mistake("derivatives.numerical_gradient", "gradient-forward-difference")
def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    fx = float(f(x))
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp + h
        grad[idx] = (float(f(x)) - fx) / h
        x[idx] = tmp
    return grad


@mistake("derivatives.numerical_gradient", "gradient-divides-by-h")
def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp + h
        fxh1 = float(f(x))
        x[idx] = tmp - h
        fxh2 = float(f(x))
        x[idx] = tmp
        grad[idx] = (fxh1 - fxh2) / h
    return grad


@mistake("derivatives.numerical_gradient", "no-restore")
def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp + h
        fxh1 = float(f(x))
        x[idx] = tmp - h
        fxh2 = float(f(x))
        grad[idx] = (fxh1 - fxh2) / (2 * h)  # x[idx] is left at tmp - h
    return grad


@mistake("derivatives.numerical_gradient", "rows-not-elements")
def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in range(len(x)):  # for a matrix, x[i] is a whole row
        tmp = x[i].copy()
        x[i] = tmp + h
        fxh1 = float(f(x))
        x[i] = tmp - h
        fxh2 = float(f(x))
        x[i] = tmp
        grad[i] = (fxh1 - fxh2) / (2 * h)
    return grad


# --- tangent_line ---------------------------------------------------------------------------


@mistake("derivatives.tangent_line", "intercept-sign")
def tangent_line(f, a, h=1e-4):
    a = float(a)
    slope = numerical_diff(f, a, h)
    return slope, float(f(a)) + slope * a


@mistake("derivatives.tangent_line", "intercept-is-f-of-a")
def tangent_line(f, a, h=1e-4):
    a = float(a)
    slope = numerical_diff(f, a, h)
    return slope, float(f(a))


@mistake("derivatives.tangent_line", "swapped-pair")
def tangent_line(f, a, h=1e-4):
    a = float(a)
    slope = numerical_diff(f, a, h)
    return float(f(a)) - slope * a, slope


@mistake("derivatives.tangent_line", "h-not-passed")
def tangent_line(f, a, h=1e-4):
    a = float(a)
    slope = numerical_diff(f, a)
    return slope, float(f(a)) - slope * a


# --- chain_rule_derivative ------------------------------------------------------------------


@mistake("derivatives.chain_rule_derivative", "outer-at-x")
def chain_rule_derivative(f_prime, g, g_prime, x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        x = float(x)
    result = np.asarray(f_prime(x) * g_prime(x), dtype=np.float64)
    return float(result) if result.ndim == 0 else result


@mistake("derivatives.chain_rule_derivative", "missing-inner-derivative")
def chain_rule_derivative(f_prime, g, g_prime, x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        x = float(x)
    result = np.asarray(f_prime(g(x)), dtype=np.float64)
    return float(result) if result.ndim == 0 else result


@mistake("derivatives.chain_rule_derivative", "composed-derivatives")
def chain_rule_derivative(f_prime, g, g_prime, x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        x = float(x)
    result = np.asarray(f_prime(g_prime(x)), dtype=np.float64)
    return float(result) if result.ndim == 0 else result


# --- grad_quadratic_form --------------------------------------------------------------------


@mistake("derivatives.grad_quadratic_form", "two-a-x")
def grad_quadratic_form(A, x):
    A = np.asarray(A, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or x.shape != (A.shape[0],):
        raise ValueError(f"grad_quadratic_form: bad shapes A {A.shape}, x {x.shape}")
    return 2 * A @ x


@mistake("derivatives.grad_quadratic_form", "missing-transpose-term")
def grad_quadratic_form(A, x):
    A = np.asarray(A, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or x.shape != (A.shape[0],):
        raise ValueError(f"grad_quadratic_form: bad shapes A {A.shape}, x {x.shape}")
    return A @ x


@mistake("derivatives.grad_quadratic_form", "no-shape-check")
def grad_quadratic_form(A, x):
    A = np.asarray(A, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    return (A + A.T) @ x


# --- autograd_derivative --------------------------------------------------------------------


@mistake("derivatives.autograd_derivative", "float32")
def autograd_derivative(f, x):
    t = torch.tensor(x, requires_grad=True)  # float32 by default
    y = f(t)
    y.backward()
    return float(t.grad)


@mistake("derivatives.autograd_derivative", "returns-value")
def autograd_derivative(f, x):
    t = torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
    y = f(t)
    y.backward()
    return y.item()


@mistake("derivatives.autograd_derivative", "backward-twice")
def autograd_derivative(f, x):
    t = torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
    y = f(t)
    y.backward(retain_graph=True)
    y.backward()  # .grad accumulates: it now holds 2 f'(x)
    return float(t.grad)


# --- grad_check -----------------------------------------------------------------------------


@mistake("derivatives.grad_check", "absolute-error")
def grad_check(f, grad_f, x, h=1e-5):
    x = np.asarray(x, dtype=np.float64)
    a = np.asarray(grad_f(x.copy()), dtype=np.float64)
    n = numerical_gradient(f, x, h)
    return float(np.max(np.abs(a - n)))


@mistake("derivatives.grad_check", "mean-not-max")
def grad_check(f, grad_f, x, h=1e-5):
    x = np.asarray(x, dtype=np.float64)
    a = np.asarray(grad_f(x.copy()), dtype=np.float64)
    n = numerical_gradient(f, x, h)
    rel = np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), 1e-12)
    return float(np.mean(rel))


@mistake("derivatives.grad_check", "norm-ratio")
def grad_check(f, grad_f, x, h=1e-5):
    x = np.asarray(x, dtype=np.float64)
    a = np.asarray(grad_f(x.copy()), dtype=np.float64)
    n = numerical_gradient(f, x, h)
    return float(np.linalg.norm(a - n) / max(np.linalg.norm(a) + np.linalg.norm(n), 1e-12))


@mistake("derivatives.grad_check", "check-ignores-h")
def grad_check(f, grad_f, x, h=1e-5):
    x = np.asarray(x, dtype=np.float64)
    a = np.asarray(grad_f(x.copy()), dtype=np.float64)
    n = numerical_gradient(f, x)
    rel = np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), 1e-12)
    return float(rel.max())


# --- gradient_descent -----------------------------------------------------------------------


@mistake("derivatives.gradient_descent", "missing-x0")
def gradient_descent(grad_f, x0, lr, steps):
    if steps < 0 or lr <= 0:
        raise ValueError(f"gradient_descent: need steps >= 0 and lr > 0, got steps={steps!r}, lr={lr!r}")
    x = np.array(x0, dtype=np.float64)
    trajectory = []
    for _ in range(steps):
        x = x - lr * np.asarray(grad_f(x), dtype=np.float64)
        trajectory.append(x)
    return np.array(trajectory, dtype=np.float64).reshape(steps, *x.shape)


@mistake("derivatives.gradient_descent", "one-step-short")
def gradient_descent(grad_f, x0, lr, steps):
    if steps < 0 or lr <= 0:
        raise ValueError(f"gradient_descent: need steps >= 0 and lr > 0, got steps={steps!r}, lr={lr!r}")
    x = np.array(x0, dtype=np.float64)
    trajectory = [x]
    for _ in range(1, steps):
        x = x - lr * np.asarray(grad_f(x), dtype=np.float64)
        trajectory.append(x)
    return np.array(trajectory, dtype=np.float64)


@mistake("derivatives.gradient_descent", "gradient-ascent")
def gradient_descent(grad_f, x0, lr, steps):
    if steps < 0 or lr <= 0:
        raise ValueError(f"gradient_descent: need steps >= 0 and lr > 0, got steps={steps!r}, lr={lr!r}")
    x = np.array(x0, dtype=np.float64)
    trajectory = [x]
    for _ in range(steps):
        x = x + lr * np.asarray(grad_f(x), dtype=np.float64)
        trajectory.append(x)
    return np.array(trajectory, dtype=np.float64)


@mistake("derivatives.gradient_descent", "aliased-trajectory")
def gradient_descent(grad_f, x0, lr, steps):
    if steps < 0 or lr <= 0:
        raise ValueError(f"gradient_descent: need steps >= 0 and lr > 0, got steps={steps!r}, lr={lr!r}")
    x = np.array(x0, dtype=np.float64)
    trajectory = [x]
    for _ in range(steps):
        x -= lr * np.asarray(grad_f(x), dtype=np.float64)  # in place: every entry is the same array
        trajectory.append(x)
    return np.array(trajectory, dtype=np.float64)


# The mistake definitions above rebind the module names ``numerical_diff`` and
# ``numerical_gradient``; the mistakes that call a sibling must reach the correct one.
from reference.derivatives import numerical_diff, numerical_gradient  # noqa: E402,F811

# A non-symmetric matrix (so that A != A^T), as lists and as an ndarray.
_A2 = [[1.0, 2.0], [0.0, 3.0]]
_A3 = np.array([[2.0, -1.0, 0.5], [4.0, 0.0, 1.0], [-3.0, 2.0, 1.0]])

PROBES = {
    "derivatives.numerical_diff": [
        probe(F("cube"), 1.5, h=0.1),
        probe(F("sin"), 0.3, h=0.5),
        probe(F("exp"), -1.0),
        probe(F("cube"), 2),
    ],
    "derivatives.numerical_gradient": [
        probe(F("mixed", expect_shape=(3,)), [0.5, -1.0, 2.0], h=0.1),
        probe(F("sum_of_squares", expect_shape=(2, 2)), [[1.0, 2.0], [-0.5, 3.0]], h=0.1),
        probe(F("rosenbrock", expect_shape=(2,)), np.array([-1.2, 1.0])),
    ],
    "derivatives.tangent_line": [
        probe(F("cube"), 1.5),
        probe(F("sin"), 0.3, h=0.5),
        probe(F("exp"), -1.0),
    ],
    "derivatives.chain_rule_derivative": [
        probe(F("cube_prime"), F("sin"), F("sin_prime"), 0.7),
        probe(F("sin_prime"), F("square"), F("square_prime"), 1.3),
        probe(F("exp"), F("cube"), F("cube_prime"), [0.2, -1.1, 2.0]),
    ],
    "derivatives.grad_quadratic_form": [
        probe(_A2, [1.0, -1.0]),
        probe(_A3, np.array([0.5, 1.0, -2.0])),
        probe(_A2, [[1.0], [-1.0]]),  # a column x: must raise ValueError, not broadcast
    ],
    "derivatives.autograd_derivative": [
        probe(F("cube"), 1.5),
        probe(F("mixed"), -0.7),
        probe(F("sin"), 12345678.9),  # float32 rounds x itself to 12345679.0
    ],
    "derivatives.grad_check": [
        probe(F("mixed", expect_shape=(3,)), F("mixed_grad"), [0.3, -1.2, 2.0], h=0.1),
        probe(F("sum_of_squares", expect_shape=(2, 2)), F("mixed_grad"), [[1.0, -2.0], [0.5, 3.0]]),
        probe(F("cube", expect_shape=()), F("square_prime"), 1.5),
    ],
    "derivatives.gradient_descent": [
        probe(F("rosenbrock_grad"), [-1.0, 1.5], 1e-3, 5),
        probe(F("square_prime"), 3.0, 0.1, 4),
        probe(F("sum_of_squares_grad"), [[1.0, -2.0], [0.5, 0.0]], 0.25, 3),
    ],
}
