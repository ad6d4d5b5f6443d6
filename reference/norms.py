"""Trusted oracle for the ``norms`` topic.

Every hidden test compares a submission with these functions, so they are built to be easy to
trust rather than instructive, and they share no code with ``solutions/norms.py`` (never import
it here):

- ``l2_norm`` and ``frobenius_norm`` hand every slice to ``math.hypot``, which avoids overflow and
  underflow by construction and is accurate to about one rounding error; ``lp_norm`` divides each
  slice by its largest absolute value before ``torch.linalg.vector_norm`` (torch alone computes
  ``sum |x|^p`` directly and overflows for entries near ``1e300``). ``tests/test_rules_norms.py``
  checks all three against exact decimal arithmetic on entries from ``1e-300`` to ``1e300``.
- ``l1_norm`` is ``torch.linalg.vector_norm(ord=1)``; ``linf_norm`` is numpy's ``max`` of the
  absolute values with ``initial=0.0`` (torch refuses the inf-norm of an empty slice, the
  contract wants 0.0).
- ``cosine_similarity``, ``normalize``, ``clip_grad_norm`` and ``layer_norm`` are
  ``torch.nn.functional.cosine_similarity`` / ``normalize``, ``torch.nn.utils.clip_grad_norm_``
  and ``torch.nn.functional.layer_norm`` in float64. torch 2.13 clamps each norm separately,
  ``a.b / (max(|a|, eps) * max(|b|, eps))`` (computed as ``sum(a/max(|a|,eps) * b/max(|b|,eps))``),
  which is the curriculum's formula.

What the libraries leave to us is the validation the contract asks for (``ValueError`` with a
message naming the bad value or shape) and the return types: float64 numpy arrays, or Python
floats for scalars.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
from numpy.lib.array_utils import normalize_axis_tuple


def _array(x) -> np.ndarray:
    """A float64 copy of the array-like ``x``."""
    return np.array(x, dtype=np.float64)


def _tensor(x) -> torch.Tensor:
    return torch.tensor(_array(x))


def _result(value):
    """A 0-d result as a Python float, anything else as a float64 numpy array."""
    if isinstance(value, torch.Tensor):
        value = value.detach().to(torch.float64).numpy()
    value = np.array(value, dtype=np.float64)
    return float(value) if value.ndim == 0 else value


def _same_shape(value: torch.Tensor) -> np.ndarray:
    """An elementwise result as a float64 numpy array (never a float, even when 0-d)."""
    return np.array(value.detach().to(torch.float64).numpy(), dtype=np.float64)


def _axes(name: str, x: np.ndarray, axis) -> tuple[int, ...]:
    """The reduced axes as non-negative ints: every axis for ``None``, else ``axis`` (int or tuple)."""
    if axis is None:
        return tuple(range(x.ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    try:
        return normalize_axis_tuple(axes, x.ndim)
    except ValueError as error:  # numpy's AxisError is a ValueError too
        raise ValueError(f"{name}: bad axis {axis!r} for an input of shape {x.shape}: {error}") from None


def _per_slice(name: str, x: np.ndarray, axis, keepdims: bool, function):
    """Apply ``function`` (a list of floats -> a float) to every slice along the reduced axes."""
    axes = _axes(name, x, axis)
    kept = [a for a in range(x.ndim) if a not in axes]
    kept_shape = tuple(x.shape[a] for a in kept)
    length = math.prod(x.shape[a] for a in axes)
    rows = np.transpose(x, kept + list(axes)).reshape(math.prod(kept_shape), length)
    out = np.array([function(row.tolist()) for row in rows], dtype=np.float64).reshape(kept_shape)
    if keepdims:
        out = out.reshape(tuple(1 if a in axes else side for a, side in enumerate(x.shape)))
    return _result(out)


def l1_norm(x, axis=None, keepdims=False):
    x = _array(x)
    dim = _axes("l1_norm", x, axis)
    if axis is None:
        dim = None
    return _result(torch.linalg.vector_norm(torch.tensor(x), ord=1, dim=dim, keepdim=keepdims))


def l2_norm(x, axis=None, keepdims=False):
    return _per_slice("l2_norm", _array(x), axis, keepdims, lambda row: math.hypot(*row))


def linf_norm(x, axis=None, keepdims=False):
    x = _array(x)
    axes = _axes("linf_norm", x, axis)
    return _result(np.max(np.abs(x), axis=axes, keepdims=keepdims, initial=0.0))


def lp_norm(x, p, axis=None, keepdims=False):
    if not float(p) >= 1.0:  # NaN is refused too
        raise ValueError(f"lp_norm: p must be >= 1 or inf, got {p!r}")
    if math.isinf(p):
        return linf_norm(x, axis=axis, keepdims=keepdims)
    x = _array(x)
    axes = _axes("lp_norm", x, axis)
    # Divide every slice by its largest |x| so that no power over- or underflows harmfully.
    largest = np.max(np.abs(x), axis=axes, keepdims=True, initial=0.0)
    largest = np.where(largest == 0.0, 1.0, largest)  # an all-zero or empty slice: its norm is 0 anyway
    scaled = torch.linalg.vector_norm(torch.tensor(x / largest), ord=float(p), dim=axes, keepdim=True)
    norm = scaled.numpy() * largest
    if not keepdims:
        norm = norm.reshape(tuple(side for a, side in enumerate(norm.shape) if a not in axes))
    return _result(norm)


def frobenius_norm(A):
    A = _array(A)
    if A.ndim != 2:
        raise ValueError(f"frobenius_norm: A must be a 2-D matrix, got shape {A.shape}")
    return math.hypot(*A.reshape(-1).tolist())


def cosine_similarity(a, b, eps=1e-8):
    left, right = _tensor(a), _tensor(b)
    if left.dim() == 0 or right.dim() == 0:
        raise ValueError(f"cosine_similarity: a and b need a last axis, got shapes "
                         f"{tuple(left.shape)} and {tuple(right.shape)}")
    try:
        torch.broadcast_shapes(left.shape, right.shape)
    except RuntimeError:
        raise ValueError(f"cosine_similarity: shapes {tuple(left.shape)} and {tuple(right.shape)} "
                         f"do not broadcast") from None
    return _result(F.cosine_similarity(left, right, dim=-1, eps=eps))


def normalize(x, axis=-1, eps=1e-12):
    x = _tensor(x)
    _axes("normalize", x.numpy(), axis)
    return _same_shape(F.normalize(x, p=2.0, dim=axis, eps=eps))


def clip_grad_norm(grads, max_norm):
    parameters = []
    for grad in grads:
        g = _tensor(grad)
        parameter = torch.zeros_like(g, requires_grad=True)
        parameter.grad = g
        parameters.append(parameter)
    total = torch.nn.utils.clip_grad_norm_(parameters, max_norm)
    clipped = [_same_shape(p.grad) for p in parameters]
    return clipped, float(total)


def layer_norm(x, gamma, beta, eps=1e-5):
    x, weight, bias = _tensor(x), _tensor(gamma), _tensor(beta)
    if x.dim() == 0 or tuple(weight.shape) != tuple(x.shape[-1:]) or tuple(bias.shape) != tuple(x.shape[-1:]):
        raise ValueError(f"layer_norm: x must be (..., D) with gamma and beta (D,), got {tuple(x.shape)}, "
                         f"{tuple(weight.shape)} and {tuple(bias.shape)}")
    return _same_shape(F.layer_norm(x, (x.shape[-1],), weight, bias, eps))
