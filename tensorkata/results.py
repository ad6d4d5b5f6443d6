"""What grading produces: plain records per test, per exercise and per submission.

Messages stay as :class:`~tensorkata.i18n.Msg` / :class:`~tensorkata.i18n.Text` until a format
renders them, so one grading run can be reported in either language.
"""

from dataclasses import dataclass, field

# Exercise statuses, from best to worst; the terminal report and JSON use these names.
STATUSES = (
    "passed", "failed", "not-implemented", "banned-call", "timed-out", "not-submitted",
    "import-error", "unreadable", "grader-error",
)


@dataclass
class TestResult:
    exercise: str
    name: str
    weight: float
    status: str  # passed | failed | grader-error
    stage: str | None = None
    message: object = None
    details: tuple = ()
    diagnosis: str | None = None
    guard: bool = False  # only checked that inputs stayed unchanged: credited when the results are right


@dataclass
class ExerciseResult:
    id: str
    max_score: float
    score: float = 0.0
    status: str = "failed"
    tests: list[TestResult] = field(default_factory=list)
    diagnoses: list[str] = field(default_factory=list)
    message: object = None  # a topic-level reason (not submitted, import error, banned call)
    details: str = ""


@dataclass
class TopicResult:
    topic: str
    exercises: list[ExerciseResult]

    @property
    def score(self) -> float:
        return sum(e.score for e in self.exercises)

    @property
    def max_score(self) -> float:
        return sum(e.max_score for e in self.exercises)


@dataclass
class GradingResult:
    submission: str
    seed: int
    topics: list[TopicResult]
    execution_time: float = 0.0

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.topics), 4)

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.topics)

    def exercises(self) -> list[ExerciseResult]:
        return [e for t in self.topics for e in t.exercises]
