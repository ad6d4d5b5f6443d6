"""The hidden part of an nbgrader test cell: grade the notebooks with tensorkata, score one exercise.

nbgrader's autograde runs each notebook in a kernel of its own whose working directory is the
student's submitted folder. The first test cell that runs grades *every* topic notebook of that
folder at once with :func:`graders.engine.grade` (the student's code runs only in worker
processes, as always) and keeps each topic's verdicts in a small JSON file, keyed by a hash of
that topic's module source and the language. The kernels of the other notebooks then read their
verdicts without importing the engine or starting workers: one grading per student, not one
per notebook. A cell prints its exercise's feedback and returns the score as its value, which
nbgrader records as partial credit (``nbgrader.utils.determine_grade``: a numeric
``execute_result``); a score of zero raises instead, so the cell fails visibly.
"""

import contextlib
import functools
import hashlib
import io
import json
import os
import tempfile
import warnings
from pathlib import Path

from tensorkata import catalog
from tensorkata.i18n import Msg, choose_language
from tensorkata.submission import notebook_source

# The verdicts shared by the kernels of one autograde run (TENSORKATA_NBGRADER_CACHE moves them).
CACHE = Path(os.environ.get("TENSORKATA_NBGRADER_CACHE") or Path(tempfile.gettempdir()) / "tensorkata-nbgrader")


class ExerciseFailed(AssertionError):
    """The exercise earned no points (nbgrader counts an error output as zero)."""


@functools.cache
def _grader_version() -> str:
    """Hashed once per kernel, not once per test cell: the grader does not change during a run."""
    from tensorkata.gradebook.version import grader_version

    return grader_version()


def _cache_file(topic: str, module: str, lang: str) -> Path:
    """Where a topic's verdicts live: a new grader, language or module source is a new file."""
    key = hashlib.sha256(f"{_grader_version()}\0{topic}\0{lang}\0{module}".encode()).hexdigest()
    return CACHE / f"{key}.json"


def _modules(folder: Path) -> dict[str, str]:
    """The module source of each readable topic notebook in ``folder``."""
    modules = {}
    for topic in catalog.topic_names():
        with contextlib.suppress(Exception):  # an unreadable notebook is graded (as unreadable) by its own kernel
            modules[topic] = notebook_source(folder / f"{topic}.ipynb")
    return modules


def _verdicts(topic, lang: str) -> dict:
    """Plain data per exercise: score, points and the feedback lines a cell prints."""
    from tensorkata.formats.feedback import exercise_feedback, status_label

    return {
        e.id: {"score": e.score, "max_score": e.max_score,
               "lines": [Msg.of("notebook.score", exercise=e.id, score=e.score, points=e.max_score,
                                status=status_label(e.status, lang))(lang), *exercise_feedback(e, lang)]}
        for e in topic.exercises
    }


def _grade_folder(folder: Path, lang: str) -> None:
    """Grade every topic notebook of ``folder`` once and store each topic's verdicts."""
    from tensorkata.sandbox import fork_server

    modules = _modules(folder)
    fork_server()  # it imports torch while this kernel imports the engine: two cores, half the wait
    from graders.engine import grade

    quiet = io.StringIO()  # nbgrader scores a test cell that writes to stderr as zero
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = grade(folder, topics=list(modules))
    CACHE.mkdir(parents=True, exist_ok=True)
    for topic in result.topics:
        target = _cache_file(topic.topic, modules[topic.topic], lang)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(_verdicts(topic, lang), ensure_ascii=False))
        os.replace(partial, target)  # another kernel never reads half a file


def exercise_verdict(exercise_id: str, folder: Path | None = None, lang: str = "en") -> dict:
    """The verdict of ``exercise_id`` in ``<folder>/<topic>.ipynb`` (default: the working directory)."""
    folder = folder or Path.cwd()
    topic = exercise_id.split(".")[0]
    cached = _cache_file(topic, notebook_source(folder / f"{topic}.ipynb"), lang)
    if not cached.is_file():  # only the first cell of a student reads the other notebooks
        _grade_folder(folder, lang)
    return json.loads(cached.read_text())[exercise_id]


def score(exercise_id: str) -> float:
    """Print the exercise's feedback and return its score; raise :class:`ExerciseFailed` for zero."""
    lang = choose_language()
    verdict = exercise_verdict(exercise_id, lang=lang)
    print("\n".join(verdict["lines"]))
    if verdict["score"] <= 0:
        raise ExerciseFailed(Msg.of("notebook.zero", exercise=exercise_id)(lang))
    return verdict["score"]
