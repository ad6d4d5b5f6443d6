"""``solutions/<topic>.py`` -> one Jupyter notebook per topic: for nbgrader, and for students.

The percent-format source is read with jupytext. Its text cells become explanation cells, its
code cells with ``### BEGIN SOLUTION`` regions become solution cells and its other code cells
(imports) stay plain. After each solution cell comes one test cell per catalogued exercise it
defines, and figure cells (``FIGURES``) follow the exercise whose function they draw with.

- :func:`course_notebook` is nbgrader's source: read-only explanations and figures, solution
  cells, and autograded test cells worth the catalogue's points whose hidden part calls
  :mod:`graders.nbgrader_cell`.
- :func:`student_notebook` is what students get: stubs instead of solutions, no test cells.
"""

import ast
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tensorkata import catalog
from tensorkata.build.stubs import BEGIN, strip_solutions
from tensorkata.i18n import Msg
from tensorkata.submission import FIGURE_TAG

PROJECT = Path(__file__).resolve().parents[2]
SCHEMA_VERSION = 3
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

# exercise id -> the figures shown after it: (function of tensorkata.figures, the student's functions it draws with).
FIGURES = {
    "derivatives.numerical_gradient": [("gradient_field", "numerical_gradient")],
    "derivatives.gradient_descent": [("loss_curve", "gradient_descent")],
    "attention.scaled_dot_product_attention": [("attention_heatmap", "scaled_dot_product_attention, causal_mask")],
}
FIGURE_TITLES = {
    "gradient_field": "Figure: the gradient field of f / 図: f の勾配場",
    "loss_curve": "Figure: loss curves of gradient descent / 図: 勾配降下法の損失曲線",
    "attention_heatmap": "Figure: attention weights / 図: アテンションの重み",
}


def source_cells(topic: str, solutions: Path = PROJECT / "solutions") -> list:
    import jupytext

    return jupytext.read(solutions / f"{topic}.py", fmt="py:percent").cells


def _exercises(cell_source: str, topic: str) -> list[catalog.Exercise]:
    """The catalogued exercises a code cell defines (top-level functions and classes)."""
    known = {e.function: e for e in catalog.topic(topic).exercises}
    names = [n.name for n in ast.parse(cell_source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    return [known[name] for name in names if name in known]


def _nbgrader(cell, grade_id: str, *, solution=False, grade=False, locked=False, points=None):
    cell.metadata["nbgrader"] = {"grade": grade, "solution": solution, "locked": locked,
                                 "grade_id": grade_id, "schema_version": SCHEMA_VERSION}
    if points is not None:
        cell.metadata["nbgrader"]["points"] = points
    if locked:
        cell.metadata.update(editable=False, deletable=False)
    return cell


def grade_cell_id(exercise_id: str) -> str:
    """The nbgrader grade id of an exercise's test cell (nbgrader's gradebook names grades by it)."""
    return "test_" + exercise_id.replace(".", "_")


def grade_cell(exercise: catalog.Exercise):
    """A short visible check, and a hidden part that grades the notebook and scores this exercise."""
    comment = [f"# {Msg.of('notebook.test-cell', exercise=exercise.id, points=exercise.points)(lang)}"
               for lang in ("en", "ja")]
    missing = Msg.of("notebook.not-defined", name=exercise.function)
    source = "\n".join([
        *comment,
        f"assert callable({exercise.function}), {missing('en') + ' / ' + missing('ja')!r}",
        "### BEGIN HIDDEN TESTS",
        "from graders.nbgrader_cell import score",
        f"score({exercise.id!r})",
        "### END HIDDEN TESTS",
    ])
    return _nbgrader(new_code_cell(source), grade_cell_id(exercise.id), grade=True, locked=True, points=exercise.points)


def figure_cells(exercise_id: str) -> list:
    cells = []
    for helper, arguments in FIGURES.get(exercise_id, []):
        cell = new_code_cell(f"# {FIGURE_TITLES[helper]}\nfrom tensorkata.figures import {helper}\n\n{helper}({arguments})")
        cell.metadata["tags"] = [FIGURE_TAG]
        cells.append(cell)
    return cells


def _notebook(cells: list):
    return new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})


def course_notebook(topic: str, solutions: Path = PROJECT / "solutions"):
    """nbgrader's source notebook of ``topic``: solutions, hidden-test cells, locked text and figures."""
    cells = []
    for index, cell in enumerate(source_cells(topic, solutions)):
        if cell.cell_type == "markdown":
            cells.append(_nbgrader(new_markdown_cell(cell.source), f"{topic}_text_{index}", locked=True))
            continue
        exercises = _exercises(cell.source, topic)
        if BEGIN not in cell.source:
            cells.append(new_code_cell(cell.source))
            continue
        name = exercises[0].function if exercises else str(index)
        cells.append(_nbgrader(new_code_cell(cell.source), f"{topic}_{name}", solution=True))
        for exercise in exercises:
            cells.append(grade_cell(exercise))
            for figure in figure_cells(exercise.id):
                cells.append(_nbgrader(figure, f"{topic}_figure_{len(cells)}", locked=True))
    return _notebook(cells)


def student_notebook(topic: str, solutions: Path = PROJECT / "solutions"):
    """The student's notebook of ``topic``: explanations, stubs in place of solutions, figures."""
    cells = []
    for cell in source_cells(topic, solutions):
        if cell.cell_type == "markdown":
            cells.append(new_markdown_cell(cell.source))
            continue
        cells.append(new_code_cell(strip_solutions(cell.source, topic).rstrip("\n")))
        for exercise in _exercises(cell.source, topic):
            cells.extend(figure_cells(exercise.id))
    return _notebook(cells)


NBGRADER_CONFIG = '''\
# nbgrader configuration of the tensorkata course (written by `tensorkata nbgrader`).
c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = {course_id!r}
# The first test cell of a notebook grades the whole topic; a function that hangs is stopped
# after 10 s per call by tensorkata, so a cell may take minutes, never hours.
c.Execute.timeout = 1800
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE / ここにコードを書いてください\\nraise NotImplementedError()"}}
'''


def write_course(course: Path, assignment: str = "tensorkata", course_id: str = "tensorkata",
                 solutions: Path = PROJECT / "solutions") -> list[Path]:
    """Write ``course/source/<assignment>/<topic>.ipynb`` for every topic, and ``nbgrader_config.py``
    unless the course already has one (an instructor's edits are kept)."""
    folder = course / "source" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for topic in catalog.topic_names():
        if not (solutions / f"{topic}.py").is_file():
            continue
        target = folder / f"{topic}.ipynb"
        nbformat.write(course_notebook(topic, solutions), str(target))
        written.append(target)
    config = course / "nbgrader_config.py"
    if not config.exists():
        config.write_text(NBGRADER_CONFIG.format(course_id=course_id), encoding="utf-8")
        written.append(config)
    return written
