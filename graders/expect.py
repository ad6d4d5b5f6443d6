"""Staged expectations for hidden tests: type, then dtype/device, then exact shape, then values.

Each check raises a :class:`StageFailure` naming its stage, with the failing input (the last
call through a student proxy), expected, got and the largest error, all capped in size.
Shapes are compared exactly before any value, so a ``(3, 1)`` never passes for a ``(3,)``.
"""

import contextlib

import numpy as np
import torch

from tensorkata.stages import StageFailure
from tensorkata.student import StudentModule
from tensorkata.i18n import Msg
from tensorkata.worker.codec import Opaque

# Default tolerances of the contract (curriculum.md, "Conventions for all exercises").
NUMPY_TOLERANCE = (1e-6, 1e-9)
TORCH_TOLERANCE = {  # dtype name: (rtol, atol)
    "float64": (1e-7, 1e-9), "float32": (1e-5, 1e-6), "float16": (1e-2, 1e-2), "bfloat16": (5e-2, 5e-2),
}
SHOWN_CHARS = 300
# The kinds of check the running test has made: a test that only checked that inputs stayed
# unchanged is a "guard" and earns its share only when the exercise's results are right.
CHECKS: list[str] = []


def show(value) -> str:
    """A capped, readable rendering of an input or output."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        text = repr(value.item())
    elif isinstance(value, np.ndarray):
        text = np.array2string(value, threshold=24, edgeitems=3, precision=6, separator=", ")
        text = f"array({text}, shape={value.shape})"
    elif _is_tensor(value):
        return f"tensor(shape={tuple(value.shape)}, dtype={value.dtype}, device={value.device}) " + (
            "" if value.device.type == "meta" else show(value.detach().cpu().double().numpy())
        )
    else:
        text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


def show_call(call) -> str:
    parts = [show(a) for a in call.args] + [f"{k}={show(v)}" for k, v in call.kwargs.items()]
    return f"{call.function}({', '.join(parts)})"


def _is_tensor(value) -> bool:
    return type(value) is torch.Tensor


def fail(stage: str, message, *, expected=None, got=None, extra=(), diagnosis=None) -> StageFailure:
    """Build a failure with the standard details: input, expected, got, and any extra lines."""
    failure = StageFailure(stage, message, diagnosis=diagnosis)
    if StudentModule.last_call is not None:
        failure = failure.with_detail("label.input", show_call(StudentModule.last_call))
    if expected is not None:
        failure = failure.with_detail("label.expected", show(expected))
    if got is not None:
        failure = failure.with_detail("label.got", show(got))
    for label, text in extra:
        failure = failure.with_detail(label, text)
    return failure


def _type_name(value) -> str:
    return value.type_name if isinstance(value, Opaque) else type(value).__name__


def _is_scalar(value) -> bool:
    return isinstance(value, (float, int, np.floating, np.integer)) or (
        isinstance(value, np.ndarray) and value.ndim == 0
    )


def close(got, expected, rtol: float | None = None, atol: float | None = None, what: str = "result") -> None:
    """Check ``got`` against the reference value ``expected``, stage by stage."""
    CHECKS.append("value")
    _compare(got, expected, rtol, atol, what)


def _compare(got, expected, rtol, atol, what) -> None:
    if _is_tensor(expected):
        _tensor(got, expected, rtol, atol, what)
    elif isinstance(expected, (tuple, list)):
        _sequence(got, expected, rtol, atol, what)
    elif isinstance(expected, dict):
        _mapping(got, expected, rtol, atol, what)
    elif _is_scalar(expected):
        _float_scalar(got, expected, rtol, atol, what)
    elif isinstance(expected, np.ndarray):
        _float_array(got, expected, rtol, atol, what)
    elif got != expected:
        raise fail("values", Msg.of("stage.values", what=what), expected=expected, got=got)


def _sequence(got, expected, rtol, atol, what):
    if type(got) is not type(expected) and not (isinstance(got, (tuple, list)) and isinstance(expected, tuple)):
        raise fail("type", Msg.of("stage.type", what=what, got=_type_name(got), expected=type(expected).__name__))
    if len(got) != len(expected):
        raise fail("shape", Msg.of("stage.length", what=what, got=len(got), expected=len(expected)))
    for index, (g, e) in enumerate(zip(got, expected)):
        _compare(g, e, rtol, atol, f"{what}[{index}]")


def _mapping(got, expected, rtol, atol, what):
    if not isinstance(got, dict):
        raise fail("type", Msg.of("stage.type", what=what, got=_type_name(got), expected="dict"))
    if set(got) != set(expected):
        raise fail("shape", Msg.of("stage.keys", what=what, got=sorted(map(str, got)), expected=sorted(expected)))
    for key in expected:
        _compare(got[key], expected[key], rtol, atol, f"{what}[{key!r}]")


def _float_scalar(got, expected, rtol, atol, what):
    ok = isinstance(got, (float, np.float64)) or (
        isinstance(got, np.ndarray) and got.ndim == 0 and got.dtype == np.float64
    )
    if not ok:
        kind = _type_name(got) + (f" {got.dtype} of shape {got.shape}" if isinstance(got, np.ndarray) else "")
        raise fail("type", Msg.of("stage.type", what=what, got=kind, expected="float"), got=got)
    _values(np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64), rtol, atol, what)


def _float_array(got, expected, rtol, atol, what):
    if not isinstance(got, np.ndarray):
        raise fail("type", Msg.of("stage.type", what=what, got=_type_name(got), expected="numpy.ndarray"), got=got)
    if got.dtype != np.float64 and expected.dtype == np.float64:
        raise fail("dtype", Msg.of("stage.dtype", what=what, got=str(got.dtype), expected="float64"))
    if got.shape != expected.shape:
        raise fail("shape", Msg.of("stage.shape", what=what, got=got.shape, expected=expected.shape),
                   expected=expected, got=got)
    _values(got, expected, rtol, atol, what)


def _tensor(got, expected, rtol, atol, what):
    if not _is_tensor(got):
        raise fail("type", Msg.of("stage.type", what=what, got=_type_name(got), expected="torch.Tensor"), got=got)
    if got.dtype != expected.dtype:
        raise fail("dtype", Msg.of("stage.dtype", what=what, got=str(got.dtype), expected=str(expected.dtype)))
    if got.device != expected.device:
        raise fail("device", Msg.of("stage.device", what=what, got=str(got.device), expected=str(expected.device)),
                   diagnosis="hard-coded-device")
    if tuple(got.shape) != tuple(expected.shape):
        raise fail("shape", Msg.of("stage.shape", what=what, got=tuple(got.shape), expected=tuple(expected.shape)))
    if expected.device.type == "meta":
        return
    default = TORCH_TOLERANCE.get(str(expected.dtype).removeprefix("torch."), (0.0, 0.0))
    rtol = default[0] if rtol is None else rtol
    atol = default[1] if atol is None else atol
    if got.dtype.is_floating_point:
        _values(_as_float64(got), _as_float64(expected), rtol, atol, what)
    elif not bool((got.cpu() == expected.cpu()).all()):
        raise fail("values", Msg.of("stage.values", what=what), expected=expected, got=got)


def _as_float64(tensor) -> np.ndarray:
    return tensor.detach().cpu().to(torch.float64).numpy()


def _values(got: np.ndarray, expected: np.ndarray, rtol, atol, what):
    rtol = NUMPY_TOLERANCE[0] if rtol is None else rtol
    atol = NUMPY_TOLERANCE[1] if atol is None else atol
    good = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if good.all():
        return
    with np.errstate(all="ignore"):
        error = np.where(good, 0.0, np.abs(got - expected))
        error = np.where(np.isnan(error), np.inf, error)
    where = np.unravel_index(int(np.argmax(error)), error.shape) if error.ndim else ()
    largest = (
        f"{float(error[where]):.3g} at index {tuple(int(i) for i in where)}: "
        f"got {float(got[where])!r}, expected {float(expected[where])!r} (rtol={rtol:g}, atol={atol:g})"
    )
    raise fail("values", Msg.of("stage.values", what=what), expected=expected, got=got,
               extra=[("label.largest-error", largest)])


@contextlib.contextmanager
def raises(exception: type[BaseException]):
    """The block must raise ``exception`` (by name, in the worker) with a non-empty message."""
    CHECKS.append("value")
    try:
        yield
    except StageFailure as failure:
        if failure.stage != "raised" or exception.__name__ not in failure.raised["mro"]:
            if failure.stage == "raised":
                raise fail("validation", Msg.of("stage.wrong-exception", expected=exception.__name__,
                                                 got=failure.raised["type"])) from None
            raise
        if not failure.raised["message"].strip():
            raise fail("validation", Msg.of("stage.empty-message", expected=exception.__name__)) from None
    else:
        raise fail("validation", Msg.of("stage.no-exception", expected=exception.__name__))


def unchanged(before, after, what: str = "input") -> None:
    """Arguments after the call (echoed by the worker) must equal what was sent."""
    CHECKS.append("guard")
    try:
        _compare(after, before, 0.0, 0.0, what)
    except StageFailure as failure:
        raise fail("mutation", Msg.of("stage.mutation", what=what), expected=before, got=after,
                   diagnosis="mutates-input") from failure


def constraint(ok: bool, message, **extra) -> None:
    """A rule of the contract beyond the values (accuracy order, no warnings, ...)."""
    CHECKS.append("value")
    if not ok:
        raise fail("constraint", message, extra=[(f"label.{k}", v) for k, v in extra.items()])


def vectorized(student, function: str, small: tuple, large: tuple, **kwargs):
    """*vec*: the number of torch operations must not grow from the ``small`` to the ``large`` batch."""
    CHECKS.append("value")
    _, few = student.measure(function, *small, **kwargs)
    value, many = student.measure(function, *large, **kwargs)
    if many["ops"] > few["ops"]:
        raise fail("constraint", Msg.of("stage.loop-over-batch", function=function, few=few["ops"], many=many["ops"]),
                   diagnosis="loop-over-batch")
    return value


def intermediates_at_most(student, function: str, args: tuple, limit: int, **kwargs):
    """Memory rules: no tensor an operation allocates may have more than ``limit`` elements."""
    CHECKS.append("value")
    value, measured = student.measure(function, *args, **kwargs)
    if measured["largest"] > limit:
        raise fail("constraint", Msg.of("stage.large-intermediate", function=function,
                                        largest=measured["largest"], limit=limit),
                   diagnosis="large-intermediate")
    return value


def no_warnings(student, function: str, *args, **kwargs):
    """Numerical-safety rules: the call raises no warning (overflow, invalid value, ...)."""
    CHECKS.append("value")
    value, measured = student.measure(function, *args, **kwargs)
    if measured["warnings"]:
        raise fail("constraint", Msg.of("stage.warnings", function=function, warnings="; ".join(measured["warnings"])),
                   diagnosis="numerical-warning")
    return value


def runs_on(student, function: str, *args, **kwargs):
    """Device-agnostic rules: a call on ``meta`` (or CUDA) tensors must not fail for the device."""
    CHECKS.append("value")
    try:
        return student.call(function, *args, **kwargs)
    except StageFailure as failure:
        if failure.stage != "raised":
            raise
        raise fail("constraint", Msg.of("stage.device-bound", function=function, error=failure.raised["type"],
                                        message=failure.raised["message"][:200]),
                   diagnosis="hard-coded-device") from None
