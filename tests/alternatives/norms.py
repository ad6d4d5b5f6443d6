"""A correct alternative to solutions/norms.py: slices gathered by hand, Python's math module.

Norms are computed slice by slice with ``math.fsum`` on scaled entries, cosine similarity with
``np.einsum``, layer normalization row by row. The grader must give it full marks: the hidden
suites judge behaviour, not one formulation.
"""

import math

import numpy as np


def _reduce(x, axis, keepdims, row_function):
    """Apply ``row_function`` (a list of floats -> float) to every slice along the reduced axes."""
    x = np.array(x, dtype=np.float64)
    if axis is None:
        axes = list(range(x.ndim))
    else:
        axes = [a % x.ndim if x.ndim else a for a in (axis if isinstance(axis, tuple) else (axis,))]
    if sorted(set(axes)) != sorted(axes) or any(not 0 <= a < max(x.ndim, 1) for a in axes):
        raise ValueError(f"bad axis {axis!r} for shape {x.shape}")
    rest = [a for a in range(x.ndim) if a not in axes]
    out_shape = [x.shape[a] for a in rest]
    flat = np.transpose(x, rest + axes).reshape(math.prod(out_shape), math.prod(x.shape[a] for a in axes))
    values = [row_function([float(v) for v in row]) for row in flat]
    out = np.array(values, dtype=np.float64).reshape(out_shape)
    if keepdims:
        out = out.reshape([1 if a in axes else x.shape[a] for a in range(x.ndim)])
    return float(out) if out.ndim == 0 else out


def _scaled_power_sum(row, p):
    """``(sum |v|^p)^(1/p)`` of one slice, scaled by its largest |v|."""
    top = max((abs(v) for v in row), default=0.0)
    if top == 0.0:
        return 0.0
    return top * math.fsum((abs(v) / top) ** p for v in row) ** (1.0 / p)


def l1_norm(x, axis=None, keepdims=False):
    return _reduce(x, axis, keepdims, lambda row: math.fsum(abs(v) for v in row))


def l2_norm(x, axis=None, keepdims=False):
    return _reduce(x, axis, keepdims, lambda row: _scaled_power_sum(row, 2.0))


def linf_norm(x, axis=None, keepdims=False):
    return _reduce(x, axis, keepdims, lambda row: max((abs(v) for v in row), default=0.0))


def lp_norm(x, p, axis=None, keepdims=False):
    if math.isnan(p) or p < 1:
        raise ValueError(f"lp_norm: p = {p} is below 1")
    if math.isinf(p):
        return linf_norm(x, axis, keepdims)
    return _reduce(x, axis, keepdims, lambda row: _scaled_power_sum(row, float(p)))


def frobenius_norm(A):
    rows = np.array(A, dtype=np.float64)
    if rows.ndim != 2:
        raise ValueError(f"frobenius_norm: expected a matrix, got {rows.ndim} dimensions {rows.shape}")
    return _scaled_power_sum([float(v) for v in rows.flat], 2.0)


def cosine_similarity(a, b, eps=1e-8):
    a, b = np.array(a, dtype=np.float64), np.array(b, dtype=np.float64)
    shape = np.broadcast_shapes(a.shape, b.shape)
    if len(shape) == 0:
        raise ValueError("cosine_similarity: inputs need a last axis")
    a, b = np.broadcast_to(a, shape), np.broadcast_to(b, shape)
    dot = np.einsum("...d,...d->...", a, b)
    norm_a = np.sqrt(np.einsum("...d,...d->...", a, a))
    norm_b = np.sqrt(np.einsum("...d,...d->...", b, b))
    out = dot / (np.where(norm_a > eps, norm_a, eps) * np.where(norm_b > eps, norm_b, eps))
    return float(out) if out.ndim == 0 else np.asarray(out, dtype=np.float64)


def normalize(x, axis=-1, eps=1e-12):
    x = np.array(x, dtype=np.float64)
    moved = np.moveaxis(x, axis, -1)
    out = np.empty_like(moved)
    for index in np.ndindex(moved.shape[:-1]):
        row = [float(v) for v in moved[index]]
        length = max(_scaled_power_sum(row, 2.0), eps)
        out[index] = [v / length for v in row]
    return np.moveaxis(out, -1, axis)


def clip_grad_norm(grads, max_norm):
    arrays = [np.array(g, dtype=np.float64) for g in grads]
    squares = [float(v) ** 2 for g in arrays for v in g.flat]
    total = math.sqrt(math.fsum(squares))
    factor = max_norm / (total + 1e-6)
    if factor >= 1.0:
        return arrays, total
    return [g * factor for g in arrays], total


def layer_norm(x, gamma, beta, eps=1e-5):
    x = np.array(x, dtype=np.float64)
    gamma, beta = np.array(gamma, dtype=np.float64), np.array(beta, dtype=np.float64)
    if x.ndim < 1 or gamma.shape != (x.shape[-1],) or beta.shape != (x.shape[-1],):
        raise ValueError(f"layer_norm: shapes {x.shape}, {gamma.shape}, {beta.shape} do not fit")
    out = np.empty_like(x)
    for index in np.ndindex(x.shape[:-1]):
        row = [float(v) for v in x[index]]
        mean = math.fsum(row) / len(row)
        var = math.fsum((v - mean) ** 2 for v in row) / len(row)
        scale = 1.0 / math.sqrt(var + eps)
        out[index] = [(v - mean) * scale * g + b for v, g, b in zip(row, gamma.tolist(), beta.tolist())]
    return out
