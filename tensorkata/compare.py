"""Comparing decoded results: the loose equality that names mistakes, and the public-check verdict.

Both work on plain data that crossed from a worker (numbers, arrays, tensors, containers,
:class:`~tensorkata.worker.codec.Opaque`), so the judge and the student's own self-check share
one notion of "the same result".
"""

import numbers

import numpy as np

from tensorkata.worker.codec import Opaque

RTOL, ATOL = 1e-6, 1e-9
# Public checks: torch.testing's defaults per dtype, numpy.isclose's for float64 (looser than the
# hidden suite's, so a public check never fails an answer that the hidden suite accepts).
PUBLIC_TOLERANCE = {"float16": (1e-3, 1e-5), "bfloat16": (1.6e-2, 1e-5), "float32": (1.3e-6, 1e-5)}
PUBLIC_DEFAULT = (1e-5, 1e-8)


def similar(a, b) -> bool:
    """Loose structural equality: same nesting, numbers close, NaN equal to NaN."""
    if isinstance(a, Opaque) or isinstance(b, Opaque):
        return False
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(
            similar(a[k], b[k]) for k in a
        )
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(similar(x, y) for x, y in zip(a, b))
    try:
        x, y = np.asarray(_plain(a), dtype=np.complex128), np.asarray(_plain(b), dtype=np.complex128)
    except (TypeError, ValueError):
        return a == b
    return x.shape == y.shape and bool(np.isclose(x, y, rtol=RTOL, atol=ATOL, equal_nan=True).all())


def _plain(value):
    if _is_tensor(value):
        return value.detach().cpu().double().numpy() if value.device.type != "meta" else np.full(value.shape, np.nan)
    return value


def _is_tensor(value) -> bool:
    return type(value).__module__.startswith("torch") and hasattr(value, "device")


def _kind(value) -> str:
    """The kind a public check insists on: tensor, array, number, sequence, mapping, or the type."""
    if _is_tensor(value):
        return "tensor"
    if isinstance(value, np.ndarray):
        return "array"
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return "number"
    if isinstance(value, (list, tuple)):
        return "sequence"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


def mismatch(got, expected) -> str | None:
    """Why ``got`` is not ``expected`` for a public check: ``type``, ``length``, ``keys``, ``dtype``,
    ``device``, ``shape`` or ``values``; ``None`` when they agree."""
    kind = _kind(expected)
    if isinstance(got, Opaque) or _kind(got) != kind:
        return "type"
    if kind == "sequence":
        if len(got) != len(expected):
            return "length"
        return next((m for g, e in zip(got, expected) if (m := mismatch(g, e))), None)
    if kind == "mapping":
        if got.keys() != expected.keys():
            return "keys"
        return next((m for k in expected if (m := mismatch(got[k], expected[k]))), None)
    if kind == "tensor":
        if got.dtype != expected.dtype:
            return "dtype"
        if got.device != expected.device:
            return "device"
    if kind in ("tensor", "array", "number"):
        return _numbers(got, expected)
    return None if got == expected else "values"


def _numbers(got, expected) -> str | None:
    x, y = np.asarray(_plain(got)), np.asarray(_plain(expected))
    if x.shape != y.shape:
        return "shape"
    if _is_tensor(expected) and expected.device.type == "meta":
        return None
    rtol, atol = PUBLIC_TOLERANCE.get(str(getattr(expected, "dtype", "")).removeprefix("torch."), PUBLIC_DEFAULT)
    try:
        close = np.isclose(x.astype(np.complex128), y.astype(np.complex128), rtol=rtol, atol=atol, equal_nan=True)
    except (TypeError, ValueError):
        return "values"
    return None if close.all() else "values"
