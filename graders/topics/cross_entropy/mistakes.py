"""Catalogued mistakes of the cross_entropy topic.

Each function below is a realistic wrong version of one exercise, correct in every respect but
the one its diagnosis id names (texts in ``tensorkata/catalog/cross_entropy.toml``). A mistake may
call sibling exercises (``softmax``, ``log_softmax``, ``cross_entropy_from_logits``) by their bare
names: injected into an otherwise correct module they resolve to that module's functions, and
here to the reference ones, imported at the very end because every ``def`` below rebinds its
exercise's name in this module.
"""


import numpy as np

from graders.mistakes import mistake, probe

# ---------------------------------------------------------------------------------------------
# softmax


@mistake("cross_entropy.softmax", "softmax-unstable")
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)  # no max subtraction: exp(1000) is inf, inf / inf is nan
        return e / np.sum(e, axis=axis, keepdims=True)


@mistake("cross_entropy.softmax", "softmax-ignores-axis")
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


@mistake("cross_entropy.softmax", "softmax-global-sum")
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e)


@mistake("cross_entropy.softmax", "softmax-global-max")
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        e = np.exp(z - np.max(z))  # one max for the whole array: other rows can underflow to 0
        return e / np.sum(e, axis=axis, keepdims=True)


@mistake("cross_entropy.softmax", "softmax-no-keepdims")
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z - np.max(z, axis=axis))
        return e / np.sum(e, axis=axis)


# ---------------------------------------------------------------------------------------------
# log_softmax


@mistake("cross_entropy.log_softmax", "log-softmax-log-of-softmax")
def log_softmax(z, axis=-1):
    with np.errstate(divide="ignore"):
        return np.log(softmax(z, axis=axis))


@mistake("cross_entropy.log_softmax", "log-softmax-delta")
def log_softmax(z, axis=-1):
    return np.log(softmax(z, axis=axis) + 1e-7)


@mistake("cross_entropy.log_softmax", "log-softmax-unstable")
def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(over="ignore"):
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


@mistake("cross_entropy.log_softmax", "log-softmax-ignores-axis")
def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=np.float64)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


# ---------------------------------------------------------------------------------------------
# cross_entropy


@mistake("cross_entropy.cross_entropy", "cross-entropy-delta")
def cross_entropy(t, y):
    t = np.asarray(t, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if t.ndim != 1 or t.shape != y.shape:
        raise ValueError(f"shapes differ: {t.shape} and {y.shape}")
    delta = 1e-7
    return float(-np.sum(t * np.log(y + delta)))


@mistake("cross_entropy.cross_entropy", "cross-entropy-zero-terms-nan")
def cross_entropy(t, y):
    t = np.asarray(t, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if t.ndim != 1 or t.shape != y.shape:
        raise ValueError(f"shapes differ: {t.shape} and {y.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(t * np.log(y)))  # 0 * log(0) = 0 * -inf = nan


@mistake("cross_entropy.cross_entropy", "cross-entropy-clipped")
def cross_entropy(t, y):
    t = np.asarray(t, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if t.ndim != 1 or t.shape != y.shape:
        raise ValueError(f"shapes differ: {t.shape} and {y.shape}")
    return float(-np.sum(t * np.log(np.clip(y, 1e-12, 1.0))))


@mistake("cross_entropy.cross_entropy", "cross-entropy-mean-over-classes")
def cross_entropy(t, y):
    t = np.asarray(t, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if t.ndim != 1 or t.shape != y.shape:
        raise ValueError(f"shapes differ: {t.shape} and {y.shape}")
    with np.errstate(divide="ignore"):
        terms = np.where(t != 0, t * np.log(np.where(t != 0, y, 1.0)), 0.0)
    return float(-np.mean(terms))


@mistake("cross_entropy.cross_entropy", "cross-entropy-missing-minus")
def cross_entropy(t, y):
    t = np.asarray(t, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if t.ndim != 1 or t.shape != y.shape:
        raise ValueError(f"shapes differ: {t.shape} and {y.shape}")
    used = t != 0
    with np.errstate(divide="ignore"):
        return float(np.sum(t[used] * np.log(y[used])))


@mistake("cross_entropy.cross_entropy", "cross-entropy-no-shape-check")
def cross_entropy(t, y):
    t = np.asarray(t, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(t == 0, 0.0, t * np.log(y))  # broadcasts a (1,) y against any t
    return float(-np.sum(terms))


# ---------------------------------------------------------------------------------------------
# batch_cross_entropy


@mistake("cross_entropy.batch_cross_entropy", "batch-ce-n-by-n")
def batch_cross_entropy(T, Y, reduction="mean"):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    T = np.asarray(T, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if T.ndim != 2 or T.shape != Y.shape:
        raise ValueError(f"shapes differ: {T.shape} and {Y.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = T @ np.log(Y).T  # (N, N): pairs every target row with every prediction row
    losses = -np.sum(scores, axis=1)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.sum(losses) / len(losses))


@mistake("cross_entropy.batch_cross_entropy", "batch-ce-mean-over-elements")
def batch_cross_entropy(T, Y, reduction="mean"):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    T = np.asarray(T, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if T.ndim != 2 or T.shape != Y.shape:
        raise ValueError(f"shapes differ: {T.shape} and {Y.shape}")
    with np.errstate(divide="ignore"):
        terms = -T * np.log(Y, where=T != 0, out=np.zeros_like(Y))
    if reduction == "none":
        return np.sum(terms, axis=1)
    if reduction == "sum":
        return float(np.sum(terms))
    return float(np.mean(terms))  # divides by N * K, not by N


@mistake("cross_entropy.batch_cross_entropy", "batch-ce-no-reduction-check")
def batch_cross_entropy(T, Y, reduction="mean"):
    T = np.asarray(T, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if T.ndim != 2 or T.shape != Y.shape:
        raise ValueError(f"shapes differ: {T.shape} and {Y.shape}")
    with np.errstate(divide="ignore"):
        losses = -np.sum(T * np.log(Y, where=T != 0, out=np.zeros_like(Y)), axis=1)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.sum(losses) / len(losses))  # any other string silently means "mean"


@mistake("cross_entropy.batch_cross_entropy", "batch-ce-zero-terms-nan")
def batch_cross_entropy(T, Y, reduction="mean"):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    T = np.asarray(T, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if T.ndim != 2 or T.shape != Y.shape:
        raise ValueError(f"shapes differ: {T.shape} and {Y.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = -np.sum(T * np.log(Y), axis=1)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.sum(losses) / len(losses))


# ---------------------------------------------------------------------------------------------
# cross_entropy_from_logits


@mistake("cross_entropy.cross_entropy_from_logits", "ce-logits-mean-counts-ignored")
def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing {label_smoothing} is outside [0, 1]")
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    kept = targets != ignore_index
    if np.any(kept & ((targets < 0) | (targets >= k))):
        raise ValueError(f"a target is outside 0..{k - 1}")
    rows = np.flatnonzero(kept)
    log_p = log_softmax(logits[rows], axis=-1)
    losses = -log_p[np.arange(len(rows)), targets[rows]]
    if label_smoothing > 0:
        losses = (1 - label_smoothing) * losses - label_smoothing * np.mean(log_p, axis=1)
    if reduction == "none":
        out = np.zeros(n)
        out[rows] = losses
        return out
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.sum(losses) / n) if n else float("nan")  # n counts the ignored rows too


@mistake("cross_entropy.cross_entropy_from_logits", "ce-logits-all-ignored-zero")
def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing {label_smoothing} is outside [0, 1]")
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    kept = targets != ignore_index
    if np.any(kept & ((targets < 0) | (targets >= k))):
        raise ValueError(f"a target is outside 0..{k - 1}")
    rows = np.flatnonzero(kept)
    log_p = log_softmax(logits[rows], axis=-1)
    losses = -log_p[np.arange(len(rows)), targets[rows]]
    if label_smoothing > 0:
        losses = (1 - label_smoothing) * losses - label_smoothing * np.mean(log_p, axis=1)
    if reduction == "none":
        out = np.zeros(n)
        out[rows] = losses
        return out
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.sum(losses) / max(len(rows), 1))  # 0.0 instead of NaN when nothing is kept


@mistake("cross_entropy.cross_entropy_from_logits", "ce-logits-smoothing-over-other-classes")
def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing {label_smoothing} is outside [0, 1]")
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    kept = targets != ignore_index
    if np.any(kept & ((targets < 0) | (targets >= k))):
        raise ValueError(f"a target is outside 0..{k - 1}")
    rows = np.flatnonzero(kept)
    log_p = log_softmax(logits[rows], axis=-1)
    nll = -log_p[np.arange(len(rows)), targets[rows]]
    losses = nll
    if label_smoothing > 0:
        # eps spread over the K - 1 wrong classes only, instead of eps / K over all K
        others = (-np.sum(log_p, axis=1) - nll) / (k - 1)
        losses = (1 - label_smoothing) * nll + label_smoothing * others
    if reduction == "none":
        out = np.zeros(n)
        out[rows] = losses
        return out
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.sum(losses) / len(rows)) if len(rows) else float("nan")


@mistake("cross_entropy.cross_entropy_from_logits", "ce-logits-smoothing-on-probabilities")
def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing {label_smoothing} is outside [0, 1]")
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    kept = targets != ignore_index
    if np.any(kept & ((targets < 0) | (targets >= k))):
        raise ValueError(f"a target is outside 0..{k - 1}")
    rows = np.flatnonzero(kept)
    log_p = log_softmax(logits[rows], axis=-1)
    picked = np.arange(len(rows)), targets[rows]
    if label_smoothing > 0:
        # smooths the predicted probabilities instead of the target distribution
        p = (1 - label_smoothing) * np.exp(log_p) + label_smoothing / k
        losses = -np.log(p[picked])
    else:
        losses = -log_p[picked]
    if reduction == "none":
        out = np.zeros(n)
        out[rows] = losses
        return out
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.sum(losses) / len(rows)) if len(rows) else float("nan")


@mistake("cross_entropy.cross_entropy_from_logits", "ce-logits-smoothing-includes-ignored")
def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing {label_smoothing} is outside [0, 1]")
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    kept = targets != ignore_index
    if np.any(kept & ((targets < 0) | (targets >= k))):
        raise ValueError(f"a target is outside 0..{k - 1}")
    rows = np.flatnonzero(kept)
    log_p = log_softmax(logits[rows], axis=-1)
    out = np.zeros(n)
    out[rows] = -log_p[np.arange(len(rows)), targets[rows]]
    if label_smoothing > 0:
        # the smoothing term is taken over every row, the ignored ones included
        every_row = log_softmax(logits, axis=-1)
        out = (1 - label_smoothing) * out - label_smoothing * np.mean(every_row, axis=1)
    if reduction == "none":
        return out
    if reduction == "sum":
        return float(np.sum(out))
    return float(np.sum(out) / len(rows)) if len(rows) else float("nan")


@mistake("cross_entropy.cross_entropy_from_logits", "ce-logits-unstable")
def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing {label_smoothing} is outside [0, 1]")
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    kept = targets != ignore_index
    if np.any(kept & ((targets < 0) | (targets >= k))):
        raise ValueError(f"a target is outside 0..{k - 1}")
    rows = np.flatnonzero(kept)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        e = np.exp(logits[rows])  # no max subtraction
        log_p = np.log(e / np.sum(e, axis=1, keepdims=True))
    losses = -log_p[np.arange(len(rows)), targets[rows]]
    if label_smoothing > 0:
        losses = (1 - label_smoothing) * losses - label_smoothing * np.mean(log_p, axis=1)
    if reduction == "none":
        out = np.zeros(n)
        out[rows] = losses
        return out
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.sum(losses) / len(rows)) if len(rows) else float("nan")


@mistake("cross_entropy.cross_entropy_from_logits", "ce-logits-negative-target-accepted")
def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing {label_smoothing} is outside [0, 1]")
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    kept = targets != ignore_index
    if np.any(kept & (targets >= k)):  # only the upper bound: -1 indexes the last class
        raise ValueError(f"a target is larger than {k - 1}")
    rows = np.flatnonzero(kept)
    log_p = log_softmax(logits[rows], axis=-1)
    losses = -log_p[np.arange(len(rows)), targets[rows]]
    if label_smoothing > 0:
        losses = (1 - label_smoothing) * losses - label_smoothing * np.mean(log_p, axis=1)
    if reduction == "none":
        out = np.zeros(n)
        out[rows] = losses
        return out
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.sum(losses) / len(rows)) if len(rows) else float("nan")


@mistake("cross_entropy.cross_entropy_from_logits", "ce-logits-padding-leaks")
def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"label_smoothing {label_smoothing} is outside [0, 1]")
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    kept = targets != ignore_index
    if np.any(kept & ((targets < 0) | (targets >= k))):
        raise ValueError(f"a target is outside 0..{k - 1}")
    with np.errstate(invalid="ignore"):
        log_p = log_softmax(logits, axis=-1)  # every row, padding included
        safe = np.where(kept, targets, 0)
        losses = -log_p[np.arange(n), safe]
        if label_smoothing > 0:
            losses = (1 - label_smoothing) * losses - label_smoothing * np.mean(log_p, axis=1)
        losses = losses * kept  # 0 * nan is still nan
        if reduction == "none":
            return losses
        if reduction == "sum":
            return float(np.sum(losses))
        return float(np.sum(losses) / np.sum(kept)) if np.sum(kept) else float("nan")


# ---------------------------------------------------------------------------------------------
# softmax_cross_entropy_grad


@mistake("cross_entropy.softmax_cross_entropy_grad", "grad-missing-mean")
def softmax_cross_entropy_grad(logits, targets):
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    if np.any((targets < 0) | (targets >= k)):
        raise ValueError(f"a target is outside 0..{k - 1}")
    onehot = np.zeros((n, k))
    onehot[np.arange(n), targets] = 1.0
    return softmax(logits, axis=-1) - onehot  # forgot the 1/N of the mean


@mistake("cross_entropy.softmax_cross_entropy_grad", "grad-wrong-sign")
def softmax_cross_entropy_grad(logits, targets):
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    if np.any((targets < 0) | (targets >= k)):
        raise ValueError(f"a target is outside 0..{k - 1}")
    onehot = np.zeros((n, k))
    onehot[np.arange(n), targets] = 1.0
    return (onehot - softmax(logits, axis=-1)) / n


@mistake("cross_entropy.softmax_cross_entropy_grad", "grad-unstable-softmax")
def softmax_cross_entropy_grad(logits, targets):
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    if np.any((targets < 0) | (targets >= k)):
        raise ValueError(f"a target is outside 0..{k - 1}")
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(logits)
        probs = e / np.sum(e, axis=1, keepdims=True)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), targets] = 1.0
    return (probs - onehot) / n


@mistake("cross_entropy.softmax_cross_entropy_grad", "grad-divides-by-classes")
def softmax_cross_entropy_grad(logits, targets):
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    if np.any((targets < 0) | (targets >= k)):
        raise ValueError(f"a target is outside 0..{k - 1}")
    onehot = np.zeros((n, k))
    onehot[np.arange(n), targets] = 1.0
    return (softmax(logits, axis=-1) - onehot) / k


@mistake("cross_entropy.softmax_cross_entropy_grad", "grad-forgot-onehot")
def softmax_cross_entropy_grad(logits, targets):
    logits = np.asarray(logits, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.int64)
    n, k = logits.shape
    if np.any((targets < 0) | (targets >= k)):
        raise ValueError(f"a target is outside 0..{k - 1}")
    return softmax(logits, axis=-1) / n


# ---------------------------------------------------------------------------------------------
# perplexity


@mistake("cross_entropy.perplexity", "perplexity-mean-of-exp")
def perplexity(logits, targets):
    losses = cross_entropy_from_logits(logits, targets, reduction="none")
    kept = np.asarray(targets) != -100
    with np.errstate(over="ignore"):
        return float(np.mean(np.exp(losses[kept])))


@mistake("cross_entropy.perplexity", "perplexity-exp-of-sum")
def perplexity(logits, targets):
    with np.errstate(over="ignore"):
        return float(np.exp(cross_entropy_from_logits(logits, targets, reduction="sum")))


@mistake("cross_entropy.perplexity", "perplexity-base-2")
def perplexity(logits, targets):
    return float(2.0 ** cross_entropy_from_logits(logits, targets))


@mistake("cross_entropy.perplexity", "perplexity-counts-ignored")
def perplexity(logits, targets):
    losses = cross_entropy_from_logits(logits, targets, reduction="none")
    with np.errstate(over="ignore"):
        return float(np.exp(np.mean(losses)))  # ignored rows enter the mean as zeros


# ---------------------------------------------------------------------------------------------
# temperature_softmax


@mistake("cross_entropy.temperature_softmax", "temperature-multiplies")
def temperature_softmax(z, temperature):
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    return softmax(np.asarray(z, dtype=np.float64) * temperature, axis=-1)


@mistake("cross_entropy.temperature_softmax", "temperature-scales-probabilities")
def temperature_softmax(z, temperature):
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    return softmax(np.asarray(z, dtype=np.float64), axis=-1) / temperature


@mistake("cross_entropy.temperature_softmax", "temperature-not-checked")
def temperature_softmax(z, temperature):
    with np.errstate(divide="ignore", invalid="ignore"):
        return softmax(np.asarray(z, dtype=np.float64) / temperature, axis=-1)


@mistake("cross_entropy.temperature_softmax", "temperature-unstable")
def temperature_softmax(z, temperature):
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(np.asarray(z, dtype=np.float64) / temperature)  # no max subtraction
        return e / np.sum(e, axis=-1, keepdims=True)


# ---------------------------------------------------------------------------------------------
# bce_with_logits


@mistake("cross_entropy.bce_with_logits", "bce-naive-sigmoid")
def bce_with_logits(z, t, reduction="mean"):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    z = np.asarray(z, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    if z.shape != t.shape:
        raise ValueError(f"shapes differ: {z.shape} and {t.shape}")
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        p = 1.0 / (1.0 + np.exp(-z))
        losses = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.mean(losses))


@mistake("cross_entropy.bce_with_logits", "bce-softplus-overflow")
def bce_with_logits(z, t, reduction="mean"):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    z = np.asarray(z, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    if z.shape != t.shape:
        raise ValueError(f"shapes differ: {z.shape} and {t.shape}")
    with np.errstate(over="ignore"):
        losses = np.log(1 + np.exp(z)) - z * t  # exp(1e4) is inf
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.mean(losses))


@mistake("cross_entropy.bce_with_logits", "bce-missing-abs")
def bce_with_logits(z, t, reduction="mean"):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    z = np.asarray(z, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    if z.shape != t.shape:
        raise ValueError(f"shapes differ: {z.shape} and {t.shape}")
    with np.errstate(over="ignore"):
        losses = np.maximum(z, 0) - z * t + np.log1p(np.exp(-z))  # exp(-z) overflows for z = -1e4
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.mean(losses))


@mistake("cross_entropy.bce_with_logits", "bce-probabilities-as-logits")
def bce_with_logits(z, t, reduction="mean"):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    z = np.asarray(z, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    if z.shape != t.shape:
        raise ValueError(f"shapes differ: {z.shape} and {t.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = -(t * np.log(z) + (1 - t) * np.log(1 - z))  # z taken as a probability
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.mean(losses))


@mistake("cross_entropy.bce_with_logits", "bce-no-shape-check")
def bce_with_logits(z, t, reduction="mean"):
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"unknown reduction {reduction!r}")
    z = np.asarray(z, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    losses = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))  # (N, 1) with (N,) gives (N, N)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(np.sum(losses))
    return float(np.mean(losses))


# ---------------------------------------------------------------------------------------------
# Probes: fixed inputs on which a failing submission is compared with every mistake above.

_LOGITS = [[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [1.0, 1.0, 1.0], [-1.0, 0.0, 3.0]]
_CLASSES = [0, 1, -100, 2]  # row 2 is padding
_T = [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
_Y = [[0.2, 0.7, 0.1], [0.6, 0.0, 0.4]]  # Y = 0 where T = 0

PROBES = {
    "cross_entropy.softmax": [
        probe([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]),
        probe([1000.0, 1001.0, 999.0]),
        probe([[0.0, 1.0], [-2000.0, -2001.0]]),
        probe([[1.0, 2.0], [3.0, 5.0], [0.0, -1.0]], axis=0),
    ],
    "cross_entropy.log_softmax": [
        probe([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]),
        probe([0.0, -10000.0]),
        probe([1000.0, 1001.0, 999.0]),
        probe([[1.0, 2.0], [3.0, 5.0], [0.0, -1.0]], axis=0),
    ],
    "cross_entropy.cross_entropy": [
        probe([0.0, 1.0, 0.0], [0.2, 0.7, 0.1]),
        probe([0.0, 1.0, 0.0], [0.0, 0.9, 0.1]),
        probe([1.0, 0.0], [1e-6, 0.999999]),
        probe([0.5, 0.5, 0.0], [0.0, 1.0, 0.0]),
        probe([0.25, 0.75], [0.6, 0.4]),
        probe([1.0, 0.0, 0.0], [0.5]),
    ],
    "cross_entropy.batch_cross_entropy": [
        probe(_T, _Y),
        probe(_T, _Y, reduction="none"),
        probe(_T, _Y, reduction="sum"),
        probe([[0.3, 0.7], [0.5, 0.5], [1.0, 0.0]], [[0.4, 0.6], [0.9, 0.1], [0.25, 0.75]],
              reduction="none"),
        probe(_T, _Y, reduction="average"),
    ],
    "cross_entropy.cross_entropy_from_logits": [
        probe(_LOGITS, _CLASSES),
        probe(_LOGITS, _CLASSES, reduction="none"),
        probe(_LOGITS, _CLASSES, reduction="sum", label_smoothing=0.1),
        probe(_LOGITS, _CLASSES, label_smoothing=0.2),
        probe([[1000.0, 0.0, -1000.0], [0.0, 10000.0, 0.0]], [1, 1]),
        probe([[1.0, 2.0], [float("nan"), 0.0]], [1, -100]),
        probe([[1.0, 2.0], [3.0, 4.0]], [-100, -100]),
        probe([[1.0, 2.0], [3.0, 4.0]], [0, 2]),
        probe([[1.0, 2.0], [3.0, 4.0]], [0, -1]),
    ],
    "cross_entropy.softmax_cross_entropy_grad": [
        probe([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], [0, 1]),
        probe([[1000.0, 0.0], [0.0, -1000.0], [5.0, 5.0]], [1, 0, 0]),
        probe([[1.0, 2.0], [3.0, 4.0]], [0, 2]),
    ],
    "cross_entropy.perplexity": [
        probe([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [1.0, 1.0, 1.0]], [0, 1, 2]),
        probe([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [1.0, 1.0, 1.0]], [0, -100, 2]),
        probe([[0.0, 0.0, 0.0, 0.0]], [3]),
    ],
    "cross_entropy.temperature_softmax": [
        probe([1.0, 2.0, 3.0], 0.5),
        probe([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], 2.0),
        probe([10.0, 20.0, 30.0], 0.01),
        probe([1.0, 2.0], 0.0),
        probe([1.0, 2.0], -1.0),
    ],
    "cross_entropy.bce_with_logits": [
        probe([0.5, -1.0, 2.0], [1.0, 0.0, 1.0]),
        probe([10000.0, -10000.0, 50.0], [1.0, 0.0, 0.0]),
        probe([-10000.0, 3.0], [1.0, 0.25], reduction="none"),
        probe([[0.5, -1.0], [2.0, 0.0]], [[1.0, 0.0], [0.3, 0.5]], reduction="sum"),
        probe([0.5, 1.0], [1.0, 0.0], reduction="avg"),
        probe([[0.5], [-1.0]], [1.0, 0.0]),
    ],
}


# The siblings the mistakes above call by name must be the correct ones, so they are bound last.
from reference.cross_entropy import cross_entropy_from_logits, log_softmax, softmax  # noqa: E402
