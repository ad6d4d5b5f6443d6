"""A correct alternative to solutions/cross_entropy.py: loops over rows and Python's math module.

The grader must give it full marks: the hidden suites judge behaviour, not one formulation.
"""

import math

import numpy as np


def _log_softmax_row(row):
    top = max(row)
    total = math.fsum(math.exp(v - top) for v in row)
    return [v - top - math.log(total) for v in row]


def _along(z, axis, function):
    z = np.array(z, dtype=np.float64)
    moved = np.moveaxis(z, axis, -1)
    out = np.empty_like(moved)
    for index in np.ndindex(moved.shape[:-1]):
        out[index] = function(list(moved[index]))
    return np.moveaxis(out, -1, axis)


def softmax(z, axis=-1):
    return _along(z, axis, lambda row: [math.exp(v) for v in _log_softmax_row(row)])


def log_softmax(z, axis=-1):
    return _along(z, axis, _log_softmax_row)


def _row_loss(t, y):
    total = 0.0
    for tk, yk in zip(t, y):
        if tk == 0:
            continue
        total -= tk * (math.log(yk) if yk > 0 else -math.inf)
    return total


def cross_entropy(t, y):
    t, y = np.asarray(t, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if t.shape != y.shape:
        raise ValueError(f"cross_entropy: shapes differ: {t.shape} vs {y.shape}")
    return float(_row_loss(t.tolist(), y.tolist()))


def _reduce(losses, reduction, caller):
    if reduction == "none":
        return np.asarray(losses, dtype=np.float64)
    if reduction == "sum":
        return float(math.fsum(losses)) if all(map(math.isfinite, losses)) else float(sum(losses))
    if reduction == "mean":
        return float(sum(losses) / len(losses)) if losses else math.nan
    raise ValueError(f"{caller}: unknown reduction {reduction!r}")


def batch_cross_entropy(T, Y, reduction="mean"):
    T, Y = np.asarray(T, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    if T.shape != Y.shape or T.ndim != 2:
        raise ValueError(f"batch_cross_entropy: need two (N, K) arrays of one shape, got {T.shape} and {Y.shape}")
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"batch_cross_entropy: unknown reduction {reduction!r}")
    return _reduce([_row_loss(t, y) for t, y in zip(T.tolist(), Y.tolist())], reduction, "batch_cross_entropy")


def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    logits = np.asarray(logits, dtype=np.float64)
    targets = [int(v) for v in np.asarray(targets).reshape(-1)]
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"cross_entropy_from_logits: unknown reduction {reduction!r}")
    classes = logits.shape[-1]
    losses, kept = [], 0
    for row, target in zip(logits.tolist(), targets):
        if target == ignore_index:
            losses.append(0.0)
            continue
        if not 0 <= target < classes:
            raise ValueError(f"cross_entropy_from_logits: target {target} is outside 0..{classes - 1}")
        logp = _log_softmax_row(row)
        smooth = -math.fsum(logp) / classes
        losses.append((1 - label_smoothing) * -logp[target] + label_smoothing * smooth)
        kept += 1
    if reduction == "none":
        return np.asarray(losses, dtype=np.float64)
    if reduction == "sum":
        return float(math.fsum(losses))
    return math.fsum(losses) / kept if kept else math.nan


def softmax_cross_entropy_grad(logits, targets):
    probabilities = softmax(logits, axis=-1)
    n = probabilities.shape[0]
    for i, target in enumerate(np.asarray(targets).reshape(-1).tolist()):
        probabilities[i, int(target)] -= 1.0
    return probabilities / n


def perplexity(logits, targets):
    return math.exp(cross_entropy_from_logits(logits, targets))


def temperature_softmax(z, temperature):
    if not temperature > 0:
        raise ValueError(f"temperature_softmax: temperature must be > 0, got {temperature}")
    return softmax(np.asarray(z, dtype=np.float64) / temperature, axis=-1)


def bce_with_logits(z, t, reduction="mean"):
    z, t = np.asarray(z, dtype=np.float64), np.asarray(t, dtype=np.float64)
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"bce_with_logits: unknown reduction {reduction!r}")
    if z.shape != t.shape:
        raise ValueError(f"bce_with_logits: shapes differ: {z.shape} vs {t.shape}")
    losses = np.empty(z.shape)
    for index in np.ndindex(z.shape):
        v, target = float(z[index]), float(t[index])
        losses[index] = max(v, 0.0) - v * target + math.log1p(math.exp(-abs(v)))
    if reduction == "none":
        return losses
    return float(losses.sum()) if reduction == "sum" else float(losses.mean()) if losses.size else math.nan
