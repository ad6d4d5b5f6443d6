"""A gradebook read into plain numbers: what the class report shows, with no drawing or HTML.

The gradebook is opened read-only, so a report never creates, migrates or locks one (a batch
may be writing it at the same time). Submissions still ``running`` are counted but not scored.
"""

import json
import sqlite3
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tensorkata.formats.feedback import diagnosis_text
from tensorkata.gradebook.export import exercise_order
from tensorkata.gradebook.schema import SCHEMA_VERSION
from tensorkata.i18n import Msg

BINS = 10  # score histograms: 0-10 %, ..., 90-100 % (100 % falls in the last bin)
LOAD_STATUSES = ("import-error", "unreadable")  # a whole topic could not be loaded
LIMIT_STATUSES = ("timed-out", "grader-error")  # one exercise hit a limit or broke the grader


class ReportError(Exception):
    """The gradebook cannot be read; the message is one line."""


@dataclass
class ExerciseStat:
    id: str
    topic: str
    submissions: int = 0  # finished submissions graded on this exercise
    passed: int = 0  # of those, how many scored full marks
    fraction: float = 0.0  # mean score / max_score over them

    @property
    def pass_rate(self) -> float:
        return self.passed / self.submissions if self.submissions else 0.0


@dataclass
class TopicStat:
    name: str
    percents: list[float]  # one per finished submission graded on the topic

    @property
    def counts(self) -> list[int]:
        return histogram(self.percents)


@dataclass
class DiagnosisStat:
    id: str
    text: object  # i18n Text / Msg, or None when nothing explains it
    submissions: int  # how many submissions show it (on any exercise)
    exercises: dict[str, int]  # exercise id -> how many submissions show it there


@dataclass
class Problem:
    """A submission, or one topic or exercise of it, that could not be graded normally."""

    submission: str
    scope: str  # "" for the whole submission, else a topic name or an exercise id
    status: str  # a tensorkata.results status
    message: object  # plain text as recorded, or an i18n Msg


@dataclass
class ClassStats:
    db: str
    submissions: int = 0
    unfinished: int = 0
    percents: list[float] = field(default_factory=list)  # total score in % of each finished submission
    topics: list[TopicStat] = field(default_factory=list)  # curriculum order
    exercises: list[ExerciseStat] = field(default_factory=list)  # hardest first
    diagnoses: list[DiagnosisStat] = field(default_factory=list)  # most frequent first
    problems: list[Problem] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return len(self.percents)

    @property
    def counts(self) -> list[int]:
        return histogram(self.percents)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.percents) if self.percents else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.percents) if self.percents else 0.0


def histogram(percents: list[float]) -> list[int]:
    """How many of ``percents`` fall in each of the :data:`BINS` equal bins of 0-100."""
    counts = [0] * BINS
    for value in percents:
        counts[min(int(value * BINS // 100), BINS - 1)] += 1
    return counts


def percent(score: float, max_score: float) -> float:
    return 100.0 * score / max_score if max_score else 0.0


def connect(path) -> sqlite3.Connection:
    """Open the gradebook at ``path`` read-only; :class:`ReportError` when it is missing or not one."""
    path = Path(path)
    if not path.exists():
        raise ReportError(f"{path}: no such gradebook (grade-batch --db writes one)")
    if not path.is_file():
        raise ReportError(f"{path} is not a file (expected the SQLite gradebook of grade-batch)")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise ReportError(f"{path}: cannot open the database ({error})") from None
    db.row_factory = sqlite3.Row
    try:
        found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error:
        db.close()
        raise ReportError(f"{path} is not a tensorkata gradebook (not written by grade-batch)") from None
    if found is None or found[0] != str(SCHEMA_VERSION):
        db.close()
        version = found[0] if found else "none"
        raise ReportError(f"{path}: gradebook schema version {version}, this tensorkata reads {SCHEMA_VERSION}")
    return db


def read(path) -> ClassStats:
    """Everything the report shows about the gradebook at ``path``."""
    db = connect(path)
    try:
        return _read(db, str(path))
    except sqlite3.Error as error:
        raise ReportError(f"{path}: cannot read the gradebook ({error})") from None
    finally:
        db.close()


def _read(db: sqlite3.Connection, path: str) -> ClassStats:
    stats = ClassStats(path)
    rows = db.execute("SELECT * FROM submissions ORDER BY name").fetchall()
    by_submission: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in db.execute("SELECT * FROM exercise_results"):
        by_submission[row["submission_id"]].append(row)
    order = exercise_order()
    finished = [row for row in rows if row["status"] != "running"]
    stats.submissions, stats.unfinished = len(rows), len(rows) - len(finished)
    stats.percents = [percent(row["score"], row["max_score"]) for row in finished]
    graded = {row["id"]: by_submission[row["id"]] for row in finished}
    stats.topics = _topics(graded, order)
    stats.exercises = _exercises(graded, order)
    stats.diagnoses = _diagnoses(graded, order)
    stats.problems = [p for row in finished for p in _problems(db, row, by_submission[row["id"]])]
    return stats


def _topics(graded: dict[int, list], order: dict[str, int]) -> list[TopicStat]:
    sums: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for submission, exercises in graded.items():
        for e in exercises:
            total = sums[e["topic"]][submission]
            total[0] += e["score"]
            total[1] += e["max_score"]
    first = {}
    for exercise, index in order.items():
        first.setdefault(exercise.split(".")[0], index)
    return [TopicStat(topic, [percent(*total) for total in sums[topic].values()])
            for topic in sorted(sums, key=lambda t: (first.get(t, len(order)), t))]


def _exercises(graded: dict[int, list], order: dict[str, int]) -> list[ExerciseStat]:
    found: dict[str, ExerciseStat] = {}
    for exercises in graded.values():
        for e in exercises:
            stat = found.setdefault(e["exercise"], ExerciseStat(e["exercise"], e["topic"]))
            stat.submissions += 1
            stat.passed += e["score"] >= e["max_score"]
            stat.fraction += e["score"] / e["max_score"] if e["max_score"] else 0.0
    for stat in found.values():
        stat.fraction /= stat.submissions
    return sorted(found.values(), key=lambda s: (s.pass_rate, s.fraction, order.get(s.id, len(order)), s.id))


def _diagnoses(graded: dict[int, list], order: dict[str, int]) -> list[DiagnosisStat]:
    where: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for submission, exercises in graded.items():
        for e in exercises:
            for diagnosis in json.loads(e["diagnoses"]):
                where[diagnosis][e["exercise"]].add(submission)
    found = []
    for diagnosis, exercises in where.items():
        ids = sorted(exercises, key=lambda e: (order.get(e, len(order)), e))
        text = next((t for t in (diagnosis_text(e, diagnosis) for e in ids) if t is not None), None)
        found.append(DiagnosisStat(diagnosis, text, len(set().union(*exercises.values())),
                                   {e: len(exercises[e]) for e in ids}))
    return sorted(found, key=lambda d: (-d.submissions, d.id))


def _problems(db: sqlite3.Connection, row: sqlite3.Row, exercises: list[sqlite3.Row]) -> list[Problem]:
    """Why (part of) a finished submission could not be graded normally; nothing when it could."""
    name = row["name"]
    statuses = {e["status"] for e in exercises}
    if row["status"] == "error":
        return [Problem(name, "", statuses.pop() if len(statuses) == 1 else "grader-error", row["error"] or "")]
    if statuses == {"not-submitted"}:  # nothing gradable in it: misnamed files, an empty folder
        return [Problem(name, "", "not-submitted", Msg.of("class-report.nothing-submitted",
                                                          topics=", ".join(json.loads(row["topics"]))))]
    topics = {e["topic"]: e["status"] for e in exercises if e["status"] in LOAD_STATUSES}
    limits = [e for e in exercises if e["status"] in LIMIT_STATUSES and e["topic"] not in topics]
    if not topics and not limits:
        return []
    tests = _failed_tests(db, row["id"])
    found = [Problem(name, topic, status, _summary(tests.get(topic, ""))) for topic, status in sorted(topics.items())]
    found += [Problem(name, e["exercise"], e["status"], _summary(tests.get(e["exercise"], "")))
              for e in sorted(limits, key=lambda e: e["exercise"])]
    return found


def _failed_tests(db: sqlite3.Connection, submission_id: int) -> dict[str, str]:
    """The output of the first failed test of each topic and each exercise, from the results JSON."""
    found = db.execute("SELECT json FROM results WHERE submission_id = ?", (submission_id,)).fetchone()
    outputs: dict[str, str] = {}
    for test in json.loads(found[0]).get("tests", []) if found else []:
        if test.get("status") != "passed":
            exercise = test.get("extra_data", {}).get("exercise", "")
            outputs.setdefault(exercise, test.get("output", ""))
            outputs.setdefault(exercise.split(".")[0], test.get("output", ""))
    return outputs


def _summary(output: str) -> str:
    """The first line of a test's output and the first indented line under it (the error itself)."""
    first, *rest = output.splitlines() or [""]
    cause = next((line.strip() for line in rest if line.startswith("  ") and line.strip()), None)
    return f"{first} {cause}" if cause and not cause.startswith("Traceback") else first
