"""From outcomes to a verdict: passed, or the smallest failing case with what went wrong and why.

Pure judging on plain data, shared by both front ends. A catalogued mistake is diagnosed when the
submission reproduces its stored outcome on every public case of the exercise.
"""

from dataclasses import dataclass, field

from tensorkata.checks.data import Case, Outcome
from tensorkata.compare import mismatch, similar

# Statuses, in the order a student meets them: the whole topic, then the exercise.
STATUSES = ("not-submitted", "import-error", "no-checks", "banned-call", "not-implemented", "timed-out",
            "failed", "passed")


@dataclass
class Verdict:
    exercise: str
    status: str
    case: Case | None = None  # the smallest failing case
    got: Outcome | None = None
    problem: str | None = None  # why the result differs: type, shape, values, raised, ...
    diagnoses: list[str] = field(default_factory=list)
    detail: object = ""  # banned calls, the import error, or the stage's message (a Msg)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def problem(got: Outcome, expected: Outcome) -> str | None:
    """Why ``got`` fails a case that expects ``expected``; ``None`` when it passes."""
    if expected.kind == "raised":
        if got.kind != "raised":
            return "no-raise"
        return None if expected.value in (got.mro or (got.value,)) else "wrong-exception"
    if got.kind != "value":
        return "raised" if got.kind == "raised" else got.value
    return mismatch(got.value, expected.value)


def _reproduces(got: Outcome, wrong: Outcome) -> bool:
    if got.kind != wrong.kind:
        return False
    return similar(got.value, wrong.value) if got.kind == "value" else got.value == wrong.value


def diagnoses(cases: tuple[Case, ...], outcomes: list[Outcome]) -> list[str]:
    """The catalogued mistakes whose stored outcomes the submission reproduces on every case.

    Only mistakes that fail some public case count: one that passes them all explains nothing.
    """
    names = cases[0].mistakes if cases else {}
    caught = [d for d in names if any(problem(c.mistakes[d], c.expected) for c in cases)]
    return [d for d in caught if all(_reproduces(o, c.mistakes[d]) for c, o in zip(cases, outcomes))]


def judge(exercise: str, cases: tuple[Case, ...], outcomes: list[Outcome]) -> Verdict:
    """The verdict on an exercise whose every case ran (``outcomes`` in case order)."""
    for case, got in zip(cases, outcomes):
        why = problem(got, case.expected)
        if why is not None:
            return Verdict(exercise, "failed", case, got, why, diagnoses(cases, outcomes))
    return Verdict(exercise, "passed")
