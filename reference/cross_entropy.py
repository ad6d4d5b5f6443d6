"""Trusted oracle for the ``cross_entropy`` topic.

Every hidden test compares a submission with these functions, so they are built to be easy to
trust rather than instructive: each one converts its inputs to float64 torch tensors and hands the
mathematics to a library call (``torch.softmax``, ``torch.log_softmax``,
``torch.special.xlogy``, ``torch.nn.functional.cross_entropy``,
``torch.nn.functional.binary_cross_entropy_with_logits``, ``torch.autograd``). It shares no code
with ``solutions/cross_entropy.py`` (never import it here), so a slip in the teaching solution
cannot hide behind the same slip in the oracle. What the library leaves to us is the validation
the contract asks for (``ValueError`` with a message naming the bad shape or value), written to
the same rules as the solution's docstrings, and the return types: float64 numpy arrays, or
Python floats for scalars.
"""

import numpy as np
import torch
import torch.nn.functional as F

REDUCTIONS = ("none", "sum", "mean")


def _tensor(x) -> torch.Tensor:
    """A float64 CPU tensor holding a copy of the array-like ``x``."""
    return torch.tensor(np.array(x, dtype=np.float64))


def _classes(name: str, targets) -> torch.Tensor:
    """Integer class indices as an int64 tensor; a float that is not a whole number is refused."""
    raw = np.array(targets)
    if raw.dtype.kind == "f" and not bool(np.all(np.mod(raw, 1) == 0)):
        raise ValueError(f"{name}: targets must be whole class indices, got {raw}")
    return torch.tensor(raw.astype(np.int64))


def _result(value: torch.Tensor):
    """A 0-d result as a Python float, anything else as a float64 numpy array."""
    value = value.detach().to(torch.float64)
    return value.item() if value.dim() == 0 else value.numpy().copy()


def _array(value: torch.Tensor) -> np.ndarray:
    return value.detach().to(torch.float64).numpy().copy()


def _check_reduction(name: str, reduction) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _check_axis(name: str, x: torch.Tensor, axis) -> None:
    # Like torch (and numpy's reductions), a 0-d input counts as having one axis.
    ndim = max(x.dim(), 1)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}: axis {axis} is out of range for an input of shape {tuple(x.shape)}")


def _logits_and_classes(name: str, logits, targets):
    """Validated ``(N, K)`` logits and ``(N,)`` classes, or the unbatched ``(K,)`` and ``()`` pair."""
    x = _tensor(logits)
    c = _classes(name, targets)
    batched = x.dim() == 2 and c.dim() == 1 and c.shape[0] == x.shape[0]
    unbatched = x.dim() == 1 and c.dim() == 0
    if not (batched or unbatched):
        raise ValueError(
            f"{name}: logits must be (N, K) with targets (N,), got {tuple(x.shape)} and {tuple(c.shape)}"
        )
    return x, c


def softmax(z, axis=-1):
    x = _tensor(z)
    _check_axis("softmax", x, axis)
    return _array(torch.softmax(x, dim=axis))


def log_softmax(z, axis=-1):
    x = _tensor(z)
    _check_axis("log_softmax", x, axis)
    return _array(torch.log_softmax(x, dim=axis))


def cross_entropy(t, y):
    target, prob = _tensor(t), _tensor(y)
    if target.dim() != 1 or target.shape != prob.shape:
        raise ValueError(
            f"cross_entropy: t and y must be vectors of one shape (K,), "
            f"got {tuple(target.shape)} and {tuple(prob.shape)}"
        )
    # xlogy(0, y) = 0 for every y that is not NaN: the 0 * log 0 = 0 convention.
    return -torch.special.xlogy(target, prob).sum().item()


def batch_cross_entropy(T, Y, reduction="mean"):
    _check_reduction("batch_cross_entropy", reduction)
    target, prob = _tensor(T), _tensor(Y)
    if target.dim() != 2 or target.shape != prob.shape:
        raise ValueError(
            f"batch_cross_entropy: T and Y must be (N, K) of one shape, "
            f"got {tuple(target.shape)} and {tuple(prob.shape)}"
        )
    per_row = torch.special.xlogy(target, prob).sum(dim=1).neg()
    if reduction == "sum":
        return per_row.sum().item()
    if reduction == "mean":
        return per_row.mean().item()  # NaN for an empty batch
    return _array(per_row)


def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    name = "cross_entropy_from_logits"
    _check_reduction(name, reduction)
    if not (label_smoothing >= 0.0 and label_smoothing <= 1.0):
        raise ValueError(f"{name}: label_smoothing must lie in [0, 1], got {label_smoothing}")
    x, c = _logits_and_classes(name, logits, targets)
    n_classes = x.shape[-1]
    invalid = (c != ignore_index) & ((c < 0) | (c >= n_classes))
    if bool(invalid.any()):
        raise ValueError(
            f"{name}: target {int(c[invalid].reshape(-1)[0])} is not a class in 0..{n_classes - 1} "
            f"nor ignore_index={ignore_index}"
        )
    loss = F.cross_entropy(
        x, c, reduction=reduction, ignore_index=int(ignore_index), label_smoothing=float(label_smoothing)
    )
    return _result(loss)


def softmax_cross_entropy_grad(logits, targets):
    name = "softmax_cross_entropy_grad"
    x, c = _logits_and_classes(name, logits, targets)
    n_classes = x.shape[-1]
    invalid = (c < 0) | (c >= n_classes)
    if bool(invalid.any()):
        first = int(c[invalid].reshape(-1)[0])
        raise ValueError(f"{name}: target {first} is not a class in 0..{n_classes - 1}")
    x.requires_grad_(True)
    # Every target is a real class, so the ignore_index default never matches anything.
    loss = F.cross_entropy(x, c, reduction="mean")
    (grad,) = torch.autograd.grad(loss, x)
    return _array(grad)


def perplexity(logits, targets):
    mean_loss = cross_entropy_from_logits(logits, targets)
    return torch.tensor(mean_loss, dtype=torch.float64).exp().item()


def temperature_softmax(z, temperature):
    if not float(temperature) > 0.0:
        raise ValueError(f"temperature_softmax: temperature must be positive, got {temperature}")
    x = _tensor(z)
    _check_axis("temperature_softmax", x, -1)
    return _array(torch.softmax(x / float(temperature), dim=-1))


def bce_with_logits(z, t, reduction="mean"):
    _check_reduction("bce_with_logits", reduction)
    logit, target = _tensor(z), _tensor(t)
    if logit.shape != target.shape:
        raise ValueError(
            f"bce_with_logits: z and t must have one shape, "
            f"got {tuple(logit.shape)} and {tuple(target.shape)}"
        )
    loss = F.binary_cross_entropy_with_logits(logit, target, reduction=reduction)
    return _array(loss) if reduction == "none" else loss.item()
