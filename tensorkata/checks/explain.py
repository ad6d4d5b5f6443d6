"""A verdict in words: what failed on which input, expected versus got, the diagnosis, a hint.

Values are shown compactly (type, shape and a few numbers), never as a wall of digits. Shared by
``tensorkata check`` and the pytest plugin.
"""

import numbers

import numpy as np

from tensorkata import catalog
from tensorkata.checks.data import Case, Outcome
from tensorkata.checks.verdict import Verdict
from tensorkata.i18n import Msg, render
from tensorkata.worker.codec import Opaque
from tensorkata.worker.functions import F

FULL_SIZE = 6  # arrays up to this size are shown whole, larger ones by their first values
FIRST_VALUES = 4
SHOWN_CHARS = 160


def _number(x) -> str:
    if isinstance(x, (bool, np.bool_)) or isinstance(x, numbers.Integral):
        return str(x)
    text = f"{x:.6g}"
    return text + ".0" if text.lstrip("-").isdigit() else text


def _numbers(array: np.ndarray) -> str:
    if array.size <= FULL_SIZE:
        text = np.array2string(array, separator=", ", formatter={"all": _number}, max_line_width=10**6)
        return text.replace("\n", "")
    first = ", ".join(_number(x) for x in array.reshape(-1)[:FIRST_VALUES])
    return f"[{first}, …]"


def _shape(shape) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def show(value) -> str:
    """A compact rendering: ``array (2,) float64 [6.0, 6.0]``, ``tensor (3, 4) float32 [...]``."""
    if isinstance(value, F):
        return value.name
    if isinstance(value, Opaque):
        return f"<{value.type_name}>"
    if type(value).__module__.startswith("torch") and hasattr(value, "device"):
        where = "" if value.device.type == "cpu" else f" {value.device}"
        head = f"tensor {_shape(value.shape)} {str(value.dtype).removeprefix('torch.')}{where}"
        if value.device.type == "meta":
            return head
        plain = value.detach().cpu()
        return f"{head} {_numbers((plain.float() if str(plain.dtype) == 'torch.bfloat16' else plain).numpy())}"
    if isinstance(value, np.ndarray):
        return f"array {_shape(value.shape)} {value.dtype} {_numbers(value)}"
    if isinstance(value, (numbers.Number, np.generic)) and not isinstance(value, bool):
        return _number(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return f"{type(value).__name__}({', '.join(f'{k}={show(v)}' for k, v in zip(value._fields, value))})"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(show(v) for v in value[:FULL_SIZE]) + (", …" if len(value) > FULL_SIZE else "")
        return f"({inner}{',' if len(value) == 1 else ''})" if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _capped(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def show_call(case: Case) -> str:
    parts = [show(a) for a in case.args] + [f"{k}={show(v)}" for k, v in case.kwargs.items()]
    name = case.function if case.scenario is None else f"{case.function}: {case.scenario}"
    return _capped(f"{name}({', '.join(parts)})")


def show_outcome(outcome: Outcome, lang: str) -> str:
    if outcome.kind == "value":
        return _capped(show(outcome.value))
    if outcome.kind == "raised" and outcome.message:
        return _capped(Msg.of("check.raised", type=outcome.value, message=outcome.message)(lang))
    if outcome.kind == "raised":
        return Msg.of("check.raises", type=outcome.value)(lang)
    return render(outcome.message, lang)


def hint(exercise_id: str, lang: str) -> str:
    return Msg.of("feedback.hint", text=catalog.exercise(exercise_id).hints[0](lang))(lang)


def _failure(verdict: Verdict, lang: str) -> list[str]:
    texts = catalog.exercise(verdict.exercise).diagnoses
    lines = [
        Msg.of(f"check.problem.{verdict.problem}")(lang),
        f"{Msg.of('label.input')(lang)}: {show_call(verdict.case)}",
        f"{Msg.of('label.expected')(lang)}: {show_outcome(verdict.case.expected, lang)}",
        f"{Msg.of('label.got')(lang)}: {show_outcome(verdict.got, lang)}",
    ]
    return lines + [Msg.of("feedback.diagnosis", id=d, text=texts[d](lang))(lang) for d in verdict.diagnoses]


def lines(verdict: Verdict, lang: str) -> list[str]:
    """What a student reads under the verdict's status line (nothing for a pass)."""
    topic, function = verdict.exercise.split(".", 1)
    if verdict.status == "passed":
        return []
    if verdict.status == "not-submitted":
        return [Msg.of("check.not-submitted", topic=topic)(lang)]
    if verdict.status == "import-error":
        return [Msg.of("check.import-error", topic=topic, detail=verdict.detail)(lang)]
    if verdict.status == "no-checks":
        return [Msg.of("check.no-cases")(lang)]
    if verdict.status == "failed":
        body = _failure(verdict, lang)
    elif verdict.status == "banned-call":
        body = [Msg.of("check.banned", function=function, calls=verdict.detail)(lang)]
    else:  # not implemented, timed out: the stage says it
        body = [render(verdict.detail, lang)]
    return body + [hint(verdict.exercise, lang)]
