"""Staged verdicts: every failed check names its stage and says what went wrong in one line.

Stages, in the order a test meets them: ``not-implemented``, ``raised``, ``timed-out``,
``crashed``, ``missing``, ``type``, ``dtype``, ``device``, ``shape``, ``values``, ``validation``,
``mutation``, ``constraint``. Anything else that escapes a hidden test is a grader error.
"""

from tensorkata.i18n import Msg

STAGES = (
    "not-implemented", "raised", "timed-out", "crashed", "missing", "type", "dtype", "device",
    "shape", "values", "validation", "mutation", "constraint",
)


class StageFailure(AssertionError):
    """A hidden test failed at ``stage``; ``details`` are ``(label message, text)`` lines."""

    def __init__(self, stage: str, message, details=(), diagnosis: str | None = None, raised: dict | None = None):
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        super().__init__(stage)
        self.stage = stage
        self.message = message
        self.details = tuple(details)
        self.diagnosis = diagnosis
        self.raised = raised  # the worker's description of the exception, for stage "raised"

    def with_detail(self, label: str, text: str) -> "StageFailure":
        details = self.details + ((Msg.of(label), text),)
        return StageFailure(self.stage, self.message, details, self.diagnosis, self.raised)
