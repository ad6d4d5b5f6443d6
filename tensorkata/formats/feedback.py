"""The feedback text of one exercise, shared by every format: what failed, why, and a hint."""

from tensorkata.results import ExerciseResult, TestResult
from tensorkata import catalog
from tensorkata.i18n import Msg, messages, render

DETAIL_LINES = 12


def status_label(status: str, lang: str) -> str:
    return Msg.of(f"status.{status}")(lang)


def test_lines(test: TestResult, lang: str) -> list[str]:
    """The failing test's one-line message and its capped details (input, expected, got, error)."""
    if test.status == "passed":
        return []
    if test.status == "grader-error":
        return [Msg.of("feedback.grader-error")(lang), *str(test.message).splitlines()[-DETAIL_LINES:]]
    lines = [render(test.message, lang)]
    for label, text in test.details:
        first, *rest = str(text).splitlines() or [""]
        lines.append(f"  {render(label, lang)}: {first}")
        lines.extend(f"    {line}" for line in rest)
    return lines[: DETAIL_LINES + 1]


def first_failure(result: ExerciseResult) -> TestResult | None:
    return next((t for t in result.tests if t.status != "passed"), None)


def diagnosis_text(exercise_id: str, diagnosis: str):
    """The explanation of ``diagnosis`` on an exercise: its catalogue text, else the engine's; None if neither."""
    try:
        text = catalog.exercise(exercise_id).diagnoses.get(diagnosis)
    except KeyError:  # an exercise no longer in the catalogue
        text = None
    key = "diagnosis." + diagnosis.split(":")[0]
    return text or (Msg.of(key) if key in messages() else None)


def diagnosis_lines(result: ExerciseResult, lang: str) -> list[str]:
    lines = []
    for diagnosis in result.diagnoses:
        text = diagnosis_text(result.id, diagnosis)
        lines.append(Msg.of("feedback.diagnosis", id=diagnosis, text=render(text, lang) if text else "")(lang))
    return lines


def hint_line(result: ExerciseResult, lang: str) -> str | None:
    hints = catalog.exercise(result.id).hints
    return Msg.of("feedback.hint", text=hints[0](lang))(lang) if hints else None


def exercise_feedback(result: ExerciseResult, lang: str) -> list[str]:
    """Everything a student should read about one exercise that did not pass."""
    if result.status == "passed":
        return []
    lines = []
    if result.message is not None:
        lines.append(render(result.message, lang))
        lines.extend(f"  {line}" for line in result.details.splitlines()[-DETAIL_LINES:])
    failure = first_failure(result)
    if failure is not None and result.status != "banned-call":
        lines.extend(test_lines(failure, lang))
    lines.extend(diagnosis_lines(result, lang))
    if result.status not in ("not-submitted",):
        hint = hint_line(result, lang)
        if hint:
            lines.append(hint)
    return lines
