"""The hidden part of an nbgrader test cell: grade the notebook with tensorkata, score one exercise.

nbgrader's autograde runs each notebook in a kernel whose working directory is the notebook's
folder. The first test cell of a notebook grades the whole notebook file once with
:func:`graders.engine.grade` (the student's code runs only in worker processes, as always); the
other test cells of that notebook reuse the result, keyed by the file's content hash. A cell
prints its exercise's feedback and returns the score as its value, which nbgrader records as
partial credit (``nbgrader.utils.determine_grade``: a numeric ``execute_result``); a score of
zero raises instead, so the cell fails visibly (an error output also counts zero).
"""

import contextlib
import hashlib
import io
import warnings
from pathlib import Path

from tensorkata.formats.feedback import exercise_feedback, status_label
from tensorkata.i18n import Msg, choose_language
from tensorkata.results import ExerciseResult, TopicResult

_graded: dict[tuple[str, str], TopicResult] = {}


class ExerciseFailed(AssertionError):
    """The exercise earned no points (nbgrader counts an error output as zero)."""


def _topic_result(topic: str, notebook: Path) -> TopicResult:
    """Grade ``notebook`` on ``topic`` once per content; nothing may reach stderr (nbgrader: zero)."""
    key = (topic, hashlib.sha256(notebook.read_bytes()).hexdigest())
    if key not in _graded:
        from tensorkata.sandbox import fork_server

        fork_server()  # it imports torch while the kernel imports the engine: two cores, half the wait
        from graders.engine import grade

        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _graded[key] = grade(notebook, topics=[topic]).topics[0]
    return _graded[key]


def exercise_result(exercise_id: str, folder: Path | None = None) -> ExerciseResult:
    """The result of ``exercise_id`` in ``<folder>/<topic>.ipynb`` (default: the working directory)."""
    topic = exercise_id.split(".")[0]
    notebook = (folder or Path.cwd()) / f"{topic}.ipynb"
    return next(e for e in _topic_result(topic, notebook).exercises if e.id == exercise_id)


def score(exercise_id: str) -> float:
    """Print the exercise's feedback and return its score; raise :class:`ExerciseFailed` for zero."""
    lang = choose_language()
    result = exercise_result(exercise_id)
    print(Msg.of("notebook.score", exercise=exercise_id, score=result.score, points=result.max_score,
                 status=status_label(result.status, lang))(lang))
    for line in exercise_feedback(result, lang):
        print(line)
    if result.score <= 0:
        raise ExerciseFailed(Msg.of("notebook.zero", exercise=exercise_id)(lang))
    return result.score
