"""Grading one submission: load -> check structure -> run hidden suites in a worker -> score.

Each topic is graded on its own, with its own worker, so a module that fails to import or a
function that hangs costs only its own topic or exercise. Scores come from test outcomes only.
"""

import ast
import contextlib
import io
import time
from pathlib import Path

import pytest
import torch

from graders import topics as hidden
from tensorkata.banned import banned_calls
from graders.diagnose import diagnose
from graders.plugin import GradingPlugin
from tensorkata.results import ExerciseResult, GradingResult, TopicResult
from tensorkata.sandbox import Limits
from tensorkata.student import LoadFailure, StudentModule
from tensorkata import catalog, submission as submissions
from tensorkata.i18n import Msg


# The judge computes references on tiny tensors: one thread avoids thread start-up per call and
# leaves the other core to the worker (measured: a tiny softmax took 25 ms with 2 threads, busy).
torch.set_num_threads(1)


def _suite_path(topic: str) -> Path:
    return Path(hidden.__file__).parent / topic / "hidden_tests.py"


# pytest's set-up per suite, measured on 7 suites with no tests: 5 s by default, 0.8 s without these.
# Installed plugins are not loaded (the suites need only hypothesis's), and the unraisable- and
# thread-exception plugins, which only turn stray exceptions into warnings, each run a full
# garbage collection (~0.25 s with torch loaded) at the end of every session.
LEAN_PYTEST = ["--disable-plugin-autoload", "-p", "_hypothesis_pytestplugin", "-p", "no:unraisableexception",
               "-p", "no:threadexception", "-p", "no:logging", "-p", "no:cacheprovider"]


def run_suite(topic: str, student: StudentModule, seed: int, only: set[str] | None = None) -> GradingPlugin:
    """Run the topic's hidden pytest suite in this process; the worker does the student's part."""
    plugin = GradingPlugin(student, only)
    args = [
        str(_suite_path(topic)), "-q", "-s", "--tb=no", *LEAN_PYTEST, "-c", str(Path(hidden.__file__).parent / "pytest.ini"),
        "--rootdir", str(Path(hidden.__file__).parent), f"--hypothesis-seed={seed}",
    ]
    silent = io.StringIO()  # pytest's own report is not ours to show; the plugin keeps the outcomes
    with contextlib.redirect_stdout(silent), contextlib.redirect_stderr(silent):
        pytest.main(args, plugins=[plugin])
    return plugin


def _blank(topic: catalog.Topic, status: str, message, details: str = "") -> TopicResult:
    return TopicResult(topic.name, [
        ExerciseResult(e.id, float(e.points), status=status, message=message, details=details)
        for e in topic.exercises
    ])


def _syntax_error(source: str) -> str | None:
    try:
        ast.parse(source)
    except SyntaxError as error:
        return f"SyntaxError: {error.msg} (line {error.lineno})"
    return None


def _withhold_guards(result: ExerciseResult) -> None:
    """An unchanged input earns nothing while the results are wrong (returning 0.0 mutates nothing)."""
    if all(t.status == "passed" for t in result.tests if not t.guard):
        return
    for test in result.tests:
        if test.guard and test.status == "passed":
            test.status, test.stage, test.message = "failed", "guard", Msg.of("stage.guard-uncredited")


def _score(result: ExerciseResult) -> None:
    """Points in proportion to the weight of passed tests; full marks only when all pass."""
    _withhold_guards(result)
    total = sum(t.weight for t in result.tests)
    passed = sum(t.weight for t in result.tests if t.status == "passed")
    if total == 0:
        result.status, result.message = "grader-error", Msg.of("grading.no-tests")
        return
    result.score = round(result.max_score * passed / total, 4)
    stages = {t.stage for t in result.tests if t.status == "failed"} - {"guard"}
    if passed == total:
        result.status = "passed"
    elif any(t.status == "grader-error" for t in result.tests):
        result.status = "grader-error"
    elif stages <= {"not-implemented", "missing"}:
        result.status = "not-implemented"
    elif "timed-out" in stages:
        result.status = "timed-out"
    else:
        result.status = "failed"
    result.diagnoses = sorted({t.diagnosis for t in result.tests if t.diagnosis})


def grade_topic(sub: submissions.Submission, topic: catalog.Topic, seed: int, limits: Limits,
                only: set[str] | None = None) -> TopicResult:
    if only is not None:
        topic = catalog.Topic(topic.name, topic.title, tuple(e for e in topic.exercises if e.id in only))
    if topic.name in sub.unreadable:
        return _blank(topic, "unreadable", Msg.of("grading.unreadable"), sub.unreadable[topic.name].reason)
    source = sub.sources.get(topic.name)
    if source is None:
        return _blank(topic, "not-submitted", Msg.of("grading.not-submitted"))
    problem = _syntax_error(source)
    if problem:
        return _blank(topic, "import-error", Msg.of("grading.import-error"), problem)
    student = StudentModule(topic.name, str(sub.folder), limits)
    try:
        try:
            student.load()
        except LoadFailure as failure:
            return _blank(topic, "import-error", Msg.of(f"grading.load-{failure.reason}"), failure.details)
        plugin = run_suite(topic.name, student, seed, only)
        results = []
        for exercise in topic.exercises:
            result = ExerciseResult(exercise.id, float(exercise.points))
            result.tests = [t for t in plugin.results if t.exercise == exercise.id]
            _score(result)
            banned = banned_calls(source, exercise.function, exercise.banned)
            if banned:
                result.score, result.status = 0.0, "banned-call"
                result.message = Msg.of("grading.banned-call", calls=", ".join(banned))
                result.diagnoses = [f"banned-call:{b}" for b in banned]
            elif result.status == "failed":
                student.restart()
                result.diagnoses += [d for d in diagnose(student, exercise.id) if d not in result.diagnoses]
            results.append(result)
        return TopicResult(topic.name, results)
    finally:
        student.close()


def grade(path, topics: list[str] | None = None, seed: int = 0, limits: Limits = Limits(),
          exercises: set[str] | None = None) -> GradingResult:
    """Grade the submission at ``path`` (folder, zip, notebook or module) on ``topics`` (default: all),
    and on only the given ``exercises`` when a set of ids is given."""
    started = time.monotonic()
    names = topics or [t for t in catalog.topic_names() if t in hidden.names()]
    with submissions.load(path, names) as sub:
        graded = [grade_topic(sub, catalog.topic(name), seed, limits, exercises) for name in names]
        return GradingResult(sub.name, seed, graded, round(time.monotonic() - started, 3))
