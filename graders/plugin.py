"""The pytest plugin that runs a hidden suite against one submitted module and records outcomes.

It provides the ``student`` fixture and turns each test's outcome into a
:class:`~tensorkata.results.TestResult`: a :class:`StageFailure` is the student's failure with its
stage and message; any other exception is a grader error, labelled as ours.
"""

import traceback

import pytest

from graders import expect
from tensorkata.results import TestResult
from tensorkata.stages import StageFailure
from tensorkata.student import StudentModule
from graders.suite import MARKER


def _stage_failure(error: BaseException) -> StageFailure | None:
    """The student's failure inside ``error``, also when hypothesis wrapped it in a group."""
    if isinstance(error, StageFailure):
        return error
    for inner in getattr(error, "exceptions", ()):
        found = _stage_failure(inner)
        if found is not None:
            return found
    cause = error.__cause__ or error.__context__
    return _stage_failure(cause) if cause is not None and cause is not error else None


def _name(item) -> str:
    doc = (item.function.__doc__ or "").strip()
    return doc.splitlines()[0].rstrip(".") if doc else item.name.removeprefix("test_").replace("_", " ")


class GradingPlugin:
    def __init__(self, student: StudentModule, only: set[str] | None = None):
        self._student = student
        self._only = only
        self._exercise: str | None = None
        self.results: list[TestResult] = []

    def pytest_configure(self, config):
        config.addinivalue_line("markers", f"{MARKER}(exercise_id, weight): the exercise a hidden test grades")

    @pytest.fixture(name="student")
    def student_fixture(self):
        return self._student

    def pytest_collection_modifyitems(self, config, items):
        """Keep only the tests of the selected exercises, when a selection was given."""
        if self._only is None:
            return
        keep = [i for i in items if (m := i.get_closest_marker(MARKER)) is not None and m.args[0] in self._only]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem):
        """Fresh worker per exercise; a function known to be unimplemented fails without its inputs."""
        marker = pyfuncitem.get_closest_marker(MARKER)
        if marker is None:
            return None
        exercise = marker.args[0]
        if exercise != self._exercise:
            self._exercise = exercise
            self._student.restart()
        settled = self._student.settled(exercise.split(".", 1)[1])
        if settled is not None:
            raise settled
        return None

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        expect.CHECKS.clear()
        try:
            return (yield)
        finally:
            item.tensorkata_guard = bool(expect.CHECKS) and set(expect.CHECKS) == {"guard"}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        marker = item.get_closest_marker(MARKER)
        # Skipped tests (CUDA-only cases on a CPU machine) count neither way; teardown never counts.
        decisive = report.when == "call" or (report.when == "setup" and report.failed)
        if marker is None or report.skipped or not decisive:
            return report
        exercise_id = marker.args[0]
        weight = float(marker.kwargs.get("weight", 1.0))
        result = TestResult(exercise_id, _name(item), weight, "passed", guard=getattr(item, "tensorkata_guard", False))
        if report.failed:
            error = call.excinfo.value if call.excinfo else None
            failure = _stage_failure(error) if error is not None else None
            if failure is not None:
                result.status, result.stage = "failed", failure.stage
                result.message, result.details, result.diagnosis = failure.message, failure.details, failure.diagnosis
            elif isinstance(error, AssertionError):
                result.status, result.stage, result.message = "failed", "values", str(error) or "assertion failed"
            else:
                result.status, result.stage = "grader-error", None
                result.message = "".join(traceback.format_exception(error))[-2000:] if error else report.longreprtext
        self.results.append(result)
        return report
