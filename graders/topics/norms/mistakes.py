"""Catalogued mistakes of the norms topic.

Each function below is a realistic wrong version of one exercise, correct in every respect but
the one its diagnosis id names (texts in ``tensorkata/catalog/norms.toml``). A mistake may call
sibling exercises (``l2_norm``, ``linf_norm``) by their bare names: injected into an otherwise
correct module they resolve to that module's functions, and here to the reference ones, imported
at the very end because every ``def`` below rebinds its exercise's name in this module.

Mutating the input (``clip_grad_norm`` scaling the caller's arrays in place) is not catalogued
here: its return values are right, so no probe can tell it apart. The hidden suite's
``expect.unchanged`` checks catch it and report the engine's own diagnosis ``mutates-input``.

The diagnosis compares values with ``rtol=1e-6, atol=1e-9``, so the probes make every
difference visible above that absolute floor (a slice of ``1e-5`` entries next to ``1e300``
ones, rather than ``1e-300`` entries whose loss would look like 0).
"""

import numpy as np

from graders.mistakes import mistake, probe


# ---------------------------------------------------------------------------------------------
# l1_norm


@mistake("norms.l1_norm", "l1-no-abs")
def l1_norm(x, axis=None, keepdims=False):
    out = np.sum(np.asarray(x, dtype=np.float64), axis=axis, keepdims=keepdims)
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.l1_norm", "l1-mean")
def l1_norm(x, axis=None, keepdims=False):
    with np.errstate(invalid="ignore"):
        out = np.mean(np.abs(np.asarray(x, dtype=np.float64)), axis=axis, keepdims=keepdims)
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.l1_norm", "l1-ignores-axis")
def l1_norm(x, axis=None, keepdims=False):
    out = np.sum(np.abs(np.asarray(x, dtype=np.float64)), keepdims=keepdims)
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.l1_norm", "l1-ignores-keepdims")
def l1_norm(x, axis=None, keepdims=False):
    out = np.sum(np.abs(np.asarray(x, dtype=np.float64)), axis=axis)
    return float(out) if np.ndim(out) == 0 else out


# ---------------------------------------------------------------------------------------------
# l2_norm


@mistake("norms.l2_norm", "l2-overflow")
def l2_norm(x, axis=None, keepdims=False):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore", under="ignore"):
        out = np.sqrt(np.sum(x**2, axis=axis, keepdims=keepdims))  # 1e300**2 is inf, 1e-300**2 is 0
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.l2_norm", "l2-no-sqrt")
def l2_norm(x, axis=None, keepdims=False):
    a = np.abs(np.asarray(x, dtype=np.float64))
    scale = np.max(a, axis=axis, keepdims=True, initial=0.0)
    scale = np.where(scale > 0, scale, 1.0)
    with np.errstate(over="ignore"):
        out = scale**2 * np.sum((a / scale) ** 2, axis=axis, keepdims=True)  # the square of the norm
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return float(out) if out.ndim == 0 else out


@mistake("norms.l2_norm", "l2-global-scale")
def l2_norm(x, axis=None, keepdims=False):
    a = np.abs(np.asarray(x, dtype=np.float64))
    scale = np.max(a, initial=0.0)  # one maximum for the whole array, not one per slice
    scale = scale if scale > 0 else 1.0
    out = scale * np.sqrt(np.sum((a / scale) ** 2, axis=axis, keepdims=keepdims))
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.l2_norm", "l2-zero-slice-nan")
def l2_norm(x, axis=None, keepdims=False):
    a = np.abs(np.asarray(x, dtype=np.float64))
    scale = np.max(a, axis=axis, keepdims=True, initial=0.0)  # 0 for an all-zero slice
    with np.errstate(invalid="ignore"):
        out = scale * np.sqrt(np.sum((a / scale) ** 2, axis=axis, keepdims=True))
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return float(out) if out.ndim == 0 else out


# ---------------------------------------------------------------------------------------------
# linf_norm


@mistake("norms.linf_norm", "linf-no-abs")
def linf_norm(x, axis=None, keepdims=False):
    out = np.max(np.asarray(x, dtype=np.float64), axis=axis, keepdims=keepdims, initial=0.0)
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.linf_norm", "linf-empty-raises")
def linf_norm(x, axis=None, keepdims=False):
    out = np.max(np.abs(np.asarray(x, dtype=np.float64)), axis=axis, keepdims=keepdims)
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.linf_norm", "linf-ignores-axis")
def linf_norm(x, axis=None, keepdims=False):
    out = np.max(np.abs(np.asarray(x, dtype=np.float64)), initial=0.0)
    return float(out)


# ---------------------------------------------------------------------------------------------
# lp_norm


@mistake("norms.lp_norm", "lp-overflow")
def lp_norm(x, p, axis=None, keepdims=False):
    if not p >= 1:
        raise ValueError(f"p must be >= 1, got {p}")
    if p == np.inf:
        return linf_norm(x, axis=axis, keepdims=keepdims)
    a = np.abs(np.asarray(x, dtype=np.float64))
    with np.errstate(over="ignore", under="ignore"):
        out = np.sum(a**p, axis=axis, keepdims=keepdims) ** (1.0 / p)
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.lp_norm", "lp-no-abs")
def lp_norm(x, p, axis=None, keepdims=False):
    if not p >= 1:
        raise ValueError(f"p must be >= 1, got {p}")
    if p == np.inf:
        return linf_norm(x, axis=axis, keepdims=keepdims)
    x = np.asarray(x, dtype=np.float64)
    scale = np.max(np.abs(x), axis=axis, keepdims=True, initial=0.0)
    scale = np.where(scale > 0, scale, 1.0)
    with np.errstate(invalid="ignore"):
        out = scale * np.sum((x / scale) ** p, axis=axis, keepdims=True) ** (1.0 / p)  # no abs
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return float(out) if out.ndim == 0 else out


@mistake("norms.lp_norm", "lp-no-validation")
def lp_norm(x, p, axis=None, keepdims=False):
    if p == np.inf:
        return linf_norm(x, axis=axis, keepdims=keepdims)
    a = np.abs(np.asarray(x, dtype=np.float64))
    scale = np.max(a, axis=axis, keepdims=True, initial=0.0)
    scale = np.where(scale > 0, scale, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = scale * np.sum((a / scale) ** p, axis=axis, keepdims=True) ** (1.0 / p)
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return float(out) if out.ndim == 0 else out


@mistake("norms.lp_norm", "lp-square-root")
def lp_norm(x, p, axis=None, keepdims=False):
    if not p >= 1:
        raise ValueError(f"p must be >= 1, got {p}")
    if p == np.inf:
        return linf_norm(x, axis=axis, keepdims=keepdims)
    a = np.abs(np.asarray(x, dtype=np.float64))
    scale = np.max(a, axis=axis, keepdims=True, initial=0.0)
    scale = np.where(scale > 0, scale, 1.0)
    with np.errstate(over="ignore"):
        out = scale ** (p / 2) * np.sqrt(np.sum((a / scale) ** p, axis=axis, keepdims=True))
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return float(out) if out.ndim == 0 else out


# ---------------------------------------------------------------------------------------------
# frobenius_norm


@mistake("norms.frobenius_norm", "frobenius-overflow")
def frobenius_norm(A):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"A must be 2-D, got {A.shape}")
    with np.errstate(over="ignore", under="ignore"):
        return float(np.sqrt(np.sum(A**2)))


@mistake("norms.frobenius_norm", "frobenius-no-validation")
def frobenius_norm(A):
    return float(l2_norm(A))


@mistake("norms.frobenius_norm", "frobenius-spectral")
def frobenius_norm(A):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"A must be 2-D, got {A.shape}")
    if A.size == 0:
        return 0.0
    return float(np.linalg.norm(A, 2))  # the largest singular value


@mistake("norms.frobenius_norm", "frobenius-trace-without-transpose")
def frobenius_norm(A):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"A must be 2-D, got {A.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(np.trace(A @ A)))  # A @ A needs a square A; A.T @ A was meant


# ---------------------------------------------------------------------------------------------
# cosine_similarity


@mistake("norms.cosine_similarity", "cosine-clamps-product")
def cosine_similarity(a, b, eps=1e-8):
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    dot = np.sum(a * b, axis=-1)
    out = dot / np.maximum(l2_norm(a, axis=-1) * l2_norm(b, axis=-1), eps)
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.cosine_similarity", "cosine-zero-nan")
def cosine_similarity(a, b, eps=1e-8):
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    dot = np.sum(a * b, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = dot / (l2_norm(a, axis=-1) * l2_norm(b, axis=-1))
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.cosine_similarity", "cosine-adds-eps")
def cosine_similarity(a, b, eps=1e-8):
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    dot = np.sum(a * b, axis=-1)
    out = dot / (l2_norm(a, axis=-1) * l2_norm(b, axis=-1) + eps)
    return float(out) if np.ndim(out) == 0 else out


@mistake("norms.cosine_similarity", "cosine-whole-batch")
def cosine_similarity(a, b, eps=1e-8):
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    # one dot product and two norms over every entry: the batch is treated as one long vector
    return float(np.sum(a * b) / (max(l2_norm(a), eps) * max(l2_norm(b), eps)))


# ---------------------------------------------------------------------------------------------
# normalize


@mistake("norms.normalize", "normalize-adds-eps")
def normalize(x, axis=-1, eps=1e-12):
    x = np.asarray(x, dtype=np.float64)
    return x / (l2_norm(x, axis=axis, keepdims=True) + eps)


@mistake("norms.normalize", "normalize-zero-nan")
def normalize(x, axis=-1, eps=1e-12):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return x / l2_norm(x, axis=axis, keepdims=True)


@mistake("norms.normalize", "normalize-ignores-axis")
def normalize(x, axis=-1, eps=1e-12):
    x = np.asarray(x, dtype=np.float64)
    return x / np.maximum(l2_norm(x, axis=-1, keepdims=True), eps)


@mistake("norms.normalize", "normalize-global-norm")
def normalize(x, axis=-1, eps=1e-12):
    x = np.asarray(x, dtype=np.float64)
    return x / max(l2_norm(x), eps)


# ---------------------------------------------------------------------------------------------
# clip_grad_norm


@mistake("norms.clip_grad_norm", "clip-per-array")
def clip_grad_norm(grads, max_norm):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    total = l2_norm([l2_norm(g) for g in arrays])
    # each array is clipped by its own norm, so their relative sizes change
    return [g * min(1.0, max_norm / (l2_norm(g) + 1e-6)) for g in arrays], float(total)


@mistake("norms.clip_grad_norm", "clip-returns-clipped-total")
def clip_grad_norm(grads, max_norm):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    total = l2_norm([l2_norm(g) for g in arrays])
    clipped = [g * min(1.0, max_norm / (total + 1e-6)) for g in arrays]
    return clipped, float(l2_norm([l2_norm(g) for g in clipped]))  # measured after clipping


@mistake("norms.clip_grad_norm", "clip-always-scales")
def clip_grad_norm(grads, max_norm):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    total = l2_norm([l2_norm(g) for g in arrays])
    factor = max_norm / (total + 1e-6)  # no min(1, .): small gradients are scaled up
    return [g * factor for g in arrays], float(total)


@mistake("norms.clip_grad_norm", "clip-sum-of-norms")
def clip_grad_norm(grads, max_norm):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    total = sum(l2_norm(g) for g in arrays)  # not sqrt(sum of squares)
    factor = min(1.0, max_norm / (total + 1e-6))
    return [g * factor for g in arrays], float(total)


@mistake("norms.clip_grad_norm", "clip-no-epsilon")
def clip_grad_norm(grads, max_norm):
    arrays = [np.asarray(g, dtype=np.float64) for g in grads]
    total = l2_norm([l2_norm(g) for g in arrays])
    factor = min(1.0, max_norm / total) if total > 0 else 1.0
    return [g * factor for g in arrays], float(total)


# ---------------------------------------------------------------------------------------------
# layer_norm


@mistake("norms.layer_norm", "layer-norm-unbiased-var")
def layer_norm(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    mean = np.mean(x, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.var(x, axis=-1, keepdims=True, ddof=1)  # divided by D - 1
    return (x - mean) / np.sqrt(var + eps) * np.asarray(gamma) + np.asarray(beta)


@mistake("norms.layer_norm", "layer-norm-eps-outside-sqrt")
def layer_norm(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    return (x - mean) / (np.sqrt(var) + eps) * np.asarray(gamma) + np.asarray(beta)


@mistake("norms.layer_norm", "layer-norm-over-batch")
def layer_norm(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    mean = np.mean(x, axis=0, keepdims=True)  # across the batch: batch normalization
    var = np.var(x, axis=0, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * np.asarray(gamma) + np.asarray(beta)


@mistake("norms.layer_norm", "layer-norm-no-eps")
def layer_norm(x, gamma, beta, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (x - mean) / np.sqrt(var) * np.asarray(gamma) + np.asarray(beta)


# ---------------------------------------------------------------------------------------------
# Probes: fixed inputs on which a failing submission is compared with every mistake above.

_SIGNED = [[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]]
_SCALES = [[3e-5, 4e-5], [1e300, 1e300]]  # a small slice beside a huge one

PROBES = {
    "norms.l1_norm": [
        probe(_SIGNED),
        probe(_SIGNED, axis=1),
        probe(_SIGNED, axis=0, keepdims=True),
        probe([]),
    ],
    "norms.l2_norm": [
        probe([3.0, 4.0]),
        probe([1e300, -1e300]),
        probe(_SCALES, axis=1),
        probe([[0.0, 0.0], [3.0, -4.0]], axis=-1, keepdims=True),
    ],
    "norms.linf_norm": [
        probe([[1.0, -7.0], [3.0, 2.0]]),
        probe([[1.0, -7.0], [3.0, 2.0]], axis=0),
        probe([]),
    ],
    "norms.lp_norm": [
        probe([1.0, -2.0, 3.0], 3),
        probe([1e300, -1e300], 3),
        probe([1.0, 2.0], 0.5),
        probe([[1.0, -2.0], [3.0, 4.0]], float("inf"), axis=0),
        probe([[0.5, -1.5], [2.0, 0.0]], 1.5, axis=1),
    ],
    "norms.frobenius_norm": [
        probe([[1.0, 2.0], [3.0, 4.0]]),
        probe([[1e300, 0.0], [0.0, -1e300]]),
        probe([1.0, 2.0, 3.0]),
        probe([[1.0, 2.0, 3.0]]),
    ],
    "norms.cosine_similarity": [
        probe([1.0, 2.0, 3.0], [4.0, -5.0, 6.0]),
        probe([[1.0, 0.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]]),
        probe([1e-5, 0.0], [1e-5, 1e-5]),
        probe([[0.3, 0.4], [1.0, 2.0]], [1.0, 0.0], eps=1.0),
    ],
    "norms.normalize": [
        probe([[3.0, 4.0], [0.0, 0.0]]),
        probe([[3.0, 4.0], [6.0, 8.0]], axis=0),
        probe([3e-12, 4e-12]),
        probe([[1.0, 2.0], [3.0, 4.0]]),
    ],
    "norms.clip_grad_norm": [
        probe([[3.0, 4.0], [[0.0, 12.0]]], 1.0),
        probe([[1.0, 2.0]], 10.0),
        probe([[3e-4, 4e-4]], 1e-4),
        probe([], 1.0),
    ],
    "norms.layer_norm": [
        probe([[1.0, 2.0, 3.0], [4.0, 6.0, 11.0]], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]),
        probe([[1.0, 1.001, 1.002]], [1.0, 2.0, 3.0], [0.0, 0.5, -0.5]),
        probe([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]], [1.0, 2.0, 3.0], [0.5, 0.0, -0.5]),
    ],
}


# The siblings the mistakes above call by name must be the correct ones, so they are bound last.
from reference.norms import l2_norm, linf_norm  # noqa: E402
