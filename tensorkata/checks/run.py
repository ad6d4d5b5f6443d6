"""Running public cases on a submission: one fresh worker per exercise, as the grader does.

The submitted module is imported and called only in worker processes; what comes back is plain
data, judged here by :mod:`tensorkata.checks.verdict`.
"""

from pathlib import Path

from tensorkata import catalog, submission as submissions
from tensorkata.banned import banned_calls
from tensorkata.checks import data
from tensorkata.checks.data import Case, Outcome
from tensorkata.checks.verdict import Verdict, judge
from tensorkata.i18n import Msg
from tensorkata.sandbox import Limits
from tensorkata.stages import StageFailure
from tensorkata.student import LoadFailure, StudentModule

# Stages after which the other cases of the exercise would fail the same way: stop there.
SETTLED = {"not-implemented": "not-implemented", "missing": "not-implemented", "timed-out": "timed-out"}


def _outcome(student: StudentModule, case: Case) -> Outcome:
    """One case in the worker; a stage that settles the exercise propagates as StageFailure."""
    try:
        if case.scenario is None:
            return Outcome("value", student.call(case.function, *case.args, **case.kwargs))
        return Outcome("value", student.scenario(case.scenario, *case.args))
    except StageFailure as failure:
        if failure.stage == "raised":
            error = failure.raised
            return Outcome("raised", error["type"], error["message"][:300], tuple(error["mro"]))
        if failure.stage in SETTLED:
            raise
        return Outcome("failed", failure.stage, failure.message)


def check_exercise(student: StudentModule, exercise: catalog.Exercise, source: str) -> Verdict:
    """Banned calls first (from the source), then every public case in a fresh worker."""
    banned = banned_calls(source, exercise.function, exercise.banned)
    if banned:
        return Verdict(exercise.id, "banned-call", detail=", ".join(banned))
    cases = data.cases(exercise.topic).get(exercise.id, ())
    if not cases:
        return Verdict(exercise.id, "no-checks")
    student.restart()
    try:
        outcomes = [_outcome(student, case) for case in cases]
    except StageFailure as failure:
        return Verdict(exercise.id, SETTLED[failure.stage], detail=failure.message)
    return judge(exercise.id, cases, outcomes)


def check_topic(sub: submissions.Submission, topic: str, ids: list[str], limits: Limits) -> list[Verdict]:
    """Verdicts on the exercises ``ids`` of ``topic``; a topic that cannot be imported fails as a whole."""
    if topic in sub.unreadable:
        return [Verdict(e, "import-error", detail=sub.unreadable[topic].reason) for e in ids]
    source = sub.sources.get(topic)
    if source is None:
        return [Verdict(e, "not-submitted") for e in ids]
    student = StudentModule(topic, str(sub.folder), limits)
    try:
        try:
            student.load()
        except LoadFailure as failure:
            detail = failure.details.splitlines()[0] if failure.details else failure.reason
            return [Verdict(e, "import-error", detail=detail) for e in ids]
        return [check_exercise(student, catalog.exercise(e), source) for e in ids]
    finally:
        student.close()


def check(path: Path, selection: dict[str, list[str]], limits: Limits = Limits()) -> dict[str, list[Verdict]]:
    """Verdicts for ``selection`` (topic -> exercise ids) on the submission at ``path``."""
    with submissions.load(path, list(selection)) as sub:
        return {topic: check_topic(sub, topic, ids, limits) for topic, ids in selection.items()}


class TargetError(Exception):
    """A target names no topic or exercise with public checks, or nothing is there to check."""

    def __init__(self, message: Msg):
        super().__init__(message.key)
        self.message = message


def checked_topics() -> list[str]:
    """Topics with public checks, in curriculum order."""
    return [t for t in catalog.topic_names() if t in data.topics()]


def _present(folder: Path, topic: str) -> bool:
    return (folder / f"{topic}.py").is_file() or (folder / f"{topic}.ipynb").is_file()


def select(folder: Path, targets: list[str]) -> dict[str, list[str]]:
    """Topic -> exercise ids for ``targets`` (topics or exercise ids; default: every topic in ``folder``)."""
    known = checked_topics()
    if not folder.is_dir():
        raise TargetError(Msg.of("check.no-folder", path=str(folder)))
    targets = targets or [t for t in known if _present(folder, t)]
    if not targets:
        raise TargetError(Msg.of("check.no-topics", path=str(folder), topics=", ".join(known)))
    chosen: dict[str, list[str]] = {}
    for target in targets:
        topic = target.split(".", 1)[0]
        ids = [e.id for e in catalog.topic(topic).exercises] if topic in known else []
        if target != topic:
            ids = [e for e in ids if e == target]
        if not ids:
            raise TargetError(Msg.of("check.unknown-target", target=target, topics=", ".join(known)))
        chosen.setdefault(topic, [])
        chosen[topic] += [e for e in ids if e not in chosen[topic]]
    return chosen
