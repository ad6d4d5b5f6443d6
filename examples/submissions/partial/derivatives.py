# A student's work in progress on the derivatives topic: some answers right, some with the
# mistakes students typically make, one not started yet. `make demo` grades this folder.
import numpy as np
import torch


def numerical_diff(f, x, h=1e-4):
    # forward difference: looks right, but only first-order accurate
    return float((f(x + h) - f(x)) / h)


def numerical_gradient(f, x, h=1e-4):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        ahead = f(x)
        x[index] = original - h
        behind = f(x)
        x[index] = original
        grad[index] = (ahead - behind) / (2 * h)
    return grad


def tangent_line(f, a, h=1e-4):
    slope = (f(a + h) - f(a - h)) / (2 * h)
    return float(slope), float(f(a) - slope * a)


def chain_rule_derivative(f_prime, g, g_prime, x):
    return float(f_prime(g(x)) * g_prime(x))


def grad_quadratic_form(A, x):
    A = np.asarray(A, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or x.shape != (A.shape[0],):
        raise ValueError(f"grad_quadratic_form: shapes {A.shape} and {x.shape} do not fit")
    return 2 * A @ x  # only right when A is symmetric


def autograd_derivative(f, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(t).backward()
    return t.grad.item()


def grad_check(f, grad_f, x, h=1e-5):
    raise NotImplementedError("not started yet")


def gradient_descent(grad_f, x0, lr, steps):
    if steps < 0 or lr <= 0:
        raise ValueError(f"gradient_descent: need steps >= 0 and lr > 0, got {steps}, {lr}")
    x = np.array(x0, dtype=np.float64)
    path = []
    for _ in range(steps):
        x = x - lr * grad_f(x)
        path.append(x)
    return np.array(path)  # forgets the starting point
