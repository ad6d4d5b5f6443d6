"""Test functions of the backprop topic: ``grad_fn`` callables for ``accumulated_gradient``.

Each returns the gradient of the *mean* loss over the micro-batch it is given, as a dict keyed like
``params``. The ``..._at_most_<k>`` versions also refuse micro-batches of more than ``k`` rows, or
of none, so a submission that hands ``grad_fn`` the whole batch (or an empty slice) fails where it
calls. ``F`` cannot check this itself: its row limit looks at the first argument, here ``params``.
"""

import numpy as np

from tensorkata.worker.functions import ShapeError, register

MAX_ROWS = (1, 2, 3, 4, 5)


def _batch(name, Xb, yb, rows=None):
    X = np.asarray(Xb, dtype=np.float64)
    y = np.asarray(yb)
    if X.ndim != 2 or len(X) == 0 or y.shape != (len(X),):
        raise ShapeError(f"{name} expects a micro-batch Xb (n, D) with n >= 1 and yb (n,), got {X.shape} and {y.shape}")
    if rows is not None and len(X) > rows:
        raise ShapeError(f"{name} may see at most {rows} rows at once (the micro-batch size), got {len(X)}")
    return X, y


def _linear_mse(name, params, Xb, yb, rows=None):
    X, y = _batch(name, Xb, yb, rows)
    w, b = np.asarray(params["w"], dtype=np.float64), float(params["b"])
    residual = X @ w + b - y.astype(np.float64)  # (n,)
    return {"w": 2.0 * X.T @ residual / len(X), "b": 2.0 * residual.mean()}


def _softmax_regression(name, params, Xb, yb, rows=None):
    X, y = _batch(name, Xb, yb, rows)
    W, b = np.asarray(params["W"], dtype=np.float64), np.asarray(params["b"], dtype=np.float64)
    logits = X @ W + b  # (n, C)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(X)), y.astype(np.int64)] -= 1.0
    p /= len(X)  # d mean loss / d logits
    return {"W": X.T @ p, "b": p.sum(axis=0)}


@register
def linear_mse_grad(params, Xb, yb):
    """Gradient of mean((Xb @ w + b - yb)^2) with respect to params = {"w": (D,), "b": number}."""
    return _linear_mse("linear_mse_grad", params, Xb, yb)


@register
def softmax_regression_grad(params, Xb, yb):
    """Gradient of the mean cross-entropy of softmax(Xb @ W + b) against integer labels yb."""
    return _softmax_regression("softmax_regression_grad", params, Xb, yb)


def _limited(function, prefix, rows):
    name = f"{prefix}_at_most_{rows}"

    def limited(params, Xb, yb):
        return function(name, params, Xb, yb, rows)

    limited.__name__ = limited.__qualname__ = name
    return register(limited)


for _rows in MAX_ROWS:
    _limited(_linear_mse, "linear_mse_grad", _rows)
    _limited(_softmax_regression, "softmax_regression_grad", _rows)
