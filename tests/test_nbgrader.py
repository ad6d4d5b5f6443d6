"""The nbgrader course: notebooks built from solutions/, and the real nbgrader round trip.

The round trip runs the real ``nbgrader generate_assignment`` and ``nbgrader autograde`` (from
this interpreter's bin folder, with a kernelspec and Jupyter folders of its own in the temporary
directory) on three students: one who completed every notebook, one who submitted the release
untouched, and one with catalogued mistakes in two topics (who submitted only those two). The
scores read back from nbgrader's gradebook must be full, zero, and reduced exactly on the
mistaken exercises; for the untouched and the mistaken student they must agree per exercise with
``tensorkata grade`` on the same notebooks (the complete student's are full marks either way).
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from graders.engine import grade
from graders.mistakes import catalogue
from tensorkata import catalog, figures
from tensorkata.build.notebooks import course_notebook, grade_cell_id, student_notebook
from tensorkata.build.stubs import BEGIN
from tensorkata.cli import main
from tensorkata.submission import notebook_source
from tests.conftest import ROOT, TOPICS, full_marks, solution_lines
from tests.injection import replace_functions

BIN = Path(sys.executable).parent
ASSIGNMENT = "tensorkata"
MISTAKEN_TOPICS = ("transposes", "gpu_batching")  # two of the quickest topics to grade
HIDDEN = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS", "from graders.nbgrader_cell", "score(")


def cell_lines(notebook, kind: str | None = None) -> set[str]:
    """The stripped lines of the notebook's cells (of one kind, ``code`` or ``markdown``, if given)."""
    return {line.strip() for cell in notebook.cells if kind in (None, cell.cell_type) for line in cell.source.splitlines()}


# --- the notebooks -------------------------------------------------------------------------------


def test_module_rule_drops_only_test_and_figure_cells(tmp_path):
    def cell(source, tags=(), **nbgrader):
        made = nbformat.v4.new_code_cell(source)
        if nbgrader:
            made.metadata["nbgrader"] = {"grade_id": source[0], "schema_version": 3, **nbgrader}
        if tags:
            made.metadata["tags"] = list(tags)
        return made

    notebook = nbformat.v4.new_notebook(cells=[
        cell("a = 1"), cell("b = 2", solution=True, grade=False, locked=False),
        cell("c = 3", solution=False, grade=False, locked=True), cell("d = 4", solution=True, grade=True, points=1),
        cell("t = 0", solution=False, grade=True, locked=True, points=1), cell("f = 0", tags=["tensorkata-figure"]),
    ])
    nbformat.write(notebook, tmp_path / "norms.ipynb")
    assert notebook_source(tmp_path / "norms.ipynb") == "a = 1\n\nb = 2\n\nc = 3\n\nd = 4\n"


@pytest.mark.parametrize("topic", TOPICS)
def test_course_notebook_module_is_the_solution_without_tests_or_figures(tmp_path, topic):
    path = tmp_path / f"{topic}.ipynb"
    nbformat.write(course_notebook(topic), path)
    module = notebook_source(path)
    assert solution_lines(topic) <= {line.strip() for line in module.splitlines()}
    assert "graders" not in module and "tensorkata.figures" not in module
    tests = [c for c in nbformat.read(path, 4).cells if c.metadata.get("nbgrader", {}).get("grade")]
    points = {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in tests}
    assert points == {grade_cell_id(e.id): e.points for e in catalog.topic(topic).exercises}
    assert all("### BEGIN HIDDEN TESTS" in c.source and "graders.nbgrader_cell" in c.source for c in tests)


def figures_tagged(notebook) -> list[bool]:
    return ["tensorkata-figure" in c.metadata.get("tags", []) for c in notebook.cells]


def test_student_notebook_has_stubs_and_figures_but_no_solutions_or_tests(tmp_path):
    notebook = student_notebook("derivatives")
    assert not solution_lines("derivatives") & cell_lines(notebook)
    text = "\n".join(c.source for c in notebook.cells)
    assert "graders" not in text and BEGIN not in text
    assert 'raise NotImplementedError("derivatives.numerical_diff")' in text
    assert sum(figures_tagged(notebook)) == 2
    path = tmp_path / "derivatives.ipynb"
    nbformat.write(notebook, path)
    assert "tensorkata.figures" not in notebook_source(path)


def solution_module(topic: str):
    """The instructor's solution module (trusted code, imported in this process)."""
    spec = importlib.util.spec_from_file_location(f"solution_{topic}", ROOT / "solutions" / f"{topic}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_figures_draw_with_the_solution_and_name_the_missing_function_for_a_stub(monkeypatch, capsys):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    import matplotlib.pyplot as plt

    derivatives, attention = solution_module("derivatives"), solution_module("attention")

    shown = []
    monkeypatch.setattr(plt, "show", lambda: shown.append(len(plt.get_fignums())))
    figures.gradient_field(derivatives.numerical_gradient)
    figures.loss_curve(derivatives.gradient_descent)
    figures.attention_heatmap(attention.scaled_dot_product_attention, attention.causal_mask)
    plt.close("all")
    assert shown == [1, 2, 3] and capsys.readouterr().out == ""

    def stub(*args):
        raise NotImplementedError("derivatives.numerical_gradient")

    figures.gradient_field(stub)
    out = capsys.readouterr().out
    assert "Implement derivatives.numerical_gradient to see this figure." in out
    assert "derivatives.numerical_gradient を実装してください" in out
    assert plt.get_fignums() == []
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # figures are for people: autograde skips them
    figures.gradient_field(stub)
    assert capsys.readouterr().out == ""


# --- the real nbgrader round trip ----------------------------------------------------------------


def nbgrader(course: Path, *args: str) -> tuple[subprocess.Popen, Path]:
    """Start the real nbgrader command in ``course`` with Jupyter folders of its own (no user install)."""
    jupyter = course.parent / "jupyter"
    kernel = jupyter / "data" / "kernels" / "python3"
    kernel.mkdir(parents=True, exist_ok=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (tensorkata)", "language": "python",
    }))
    env = {
        **os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "TENSORKATA_LANG": "en",
        "JUPYTER_PATH": str(jupyter / "data"), "JUPYTER_DATA_DIR": str(jupyter / "data"),
        "JUPYTER_CONFIG_DIR": str(jupyter / "config"), "IPYTHONDIR": str(jupyter / "ipython"),
        "TENSORKATA_NBGRADER_CACHE": str(course.parent / "verdicts"),  # empty in every run
    }
    log = course.parent / f"nbgrader-{args[0]}.log"
    with open(log, "w") as output:
        process = subprocess.Popen([str(BIN / "nbgrader"), *args], cwd=course, env=env, stdout=output, stderr=subprocess.STDOUT)
    return process, log


def finished(started: tuple[subprocess.Popen, Path]) -> None:
    process, log = started
    assert process.wait(timeout=1800) == 0, log.read_text()[-3000:]


def submit(course: Path, student: str, topics, solution_cell) -> Path:
    """Copy the released notebooks of ``topics`` as ``student``'s submission, each solution cell's
    source replaced by ``solution_cell(topic, grade_id, released source)``."""
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True)
    for topic in topics:
        notebook = nbformat.read(course / "release" / ASSIGNMENT / f"{topic}.ipynb", 4)
        for cell in notebook.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = solution_cell(topic, cell.metadata.nbgrader.grade_id, cell.source)
        nbformat.write(notebook, folder / f"{topic}.ipynb")
    return folder


def solution_cells(topic: str) -> dict[str, str]:
    """Grade id -> source of the solution cells of the course's source notebook."""
    return {c.metadata.nbgrader.grade_id: c.source for c in course_notebook(topic).cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def first_mistakes() -> dict[str, object]:
    """Exercise id -> its first catalogued mistake, for two exercises of each mistaken topic whose
    function no other exercise calls (so the mistake costs exactly its own exercise)."""
    chosen = {}
    for mistake in catalogue():
        topic, name = mistake.exercise.split(".", 1)
        if topic not in MISTAKEN_TOPICS or mistake.exercise in chosen:
            continue
        others = [source for grade_id, source in solution_cells(topic).items() if grade_id != f"{topic}_{name}"]
        if sum(e.startswith(f"{topic}.") for e in chosen) < 2 and not any(f"{name}(" in s for s in others):
            chosen[mistake.exercise] = mistake
    return chosen


def gradebook_scores(course: Path, student: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    names = {grade_cell_id(e.id): e.id for topic in TOPICS for e in catalog.topic(topic).exercises}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT) as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student)
        return {names[g.name]: g.score for notebook in submission.notebooks for g in notebook.grades}


def tensorkata_scores(folder: Path) -> dict[str, float]:
    return {e.id: e.score for e in grade(folder).exercises()}


@pytest.mark.slow
@pytest.mark.long
def test_nbgrader_round_trip(tmp_path):
    course = tmp_path / "course"
    assert main(["nbgrader", str(course), "--assignment", ASSIGNMENT]) == 0
    finished(nbgrader(course, "generate_assignment", ASSIGNMENT))

    for topic in TOPICS:
        notebook = nbformat.read(course / "release" / ASSIGNMENT / f"{topic}.ipynb", 4)
        assert not solution_lines(topic) & cell_lines(notebook), f"{topic}: solution code in the release"
        source = nbformat.read(course / "source" / ASSIGNMENT / f"{topic}.ipynb", 4)
        hidden = {line for line in cell_lines(source, "code") if line.startswith(HIDDEN)}
        assert len(hidden) >= 4 and not hidden & cell_lines(notebook), f"{topic}: hidden tests in the release"

    mistakes = first_mistakes()
    assert {e.split(".")[0] for e in mistakes} == set(MISTAKEN_TOPICS)
    wrong = {m.exercise.replace(".", "_", 1): {m.exercise.split(".", 1)[1]: m.function} for m in mistakes.values()}
    folders = {
        "complete": submit(course, "complete", TOPICS, lambda topic, grade_id, _: solution_cells(topic)[grade_id]),
        "untouched": submit(course, "untouched", TOPICS, lambda topic, grade_id, released: released),
        "mistaken": submit(course, "mistaken", MISTAKEN_TOPICS, lambda topic, grade_id, _: replace_functions(
            solution_cells(topic)[grade_id], wrong[grade_id]) if grade_id in wrong else solution_cells(topic)[grade_id]),
    }
    autograde = nbgrader(course, "autograde", ASSIGNMENT, "--create")
    # While nbgrader runs. The complete student is left out: both must give full marks anyway.
    direct = {student: tensorkata_scores(folders[student]) for student in ("untouched", "mistaken")}
    finished(autograde)
    scores = {student: gradebook_scores(course, student) for student in folders}

    full = full_marks()
    assert scores["complete"] == full
    assert scores["untouched"] == dict.fromkeys(full, 0.0)
    expected = {e: (p if e.split(".")[0] in MISTAKEN_TOPICS else 0.0) for e, p in full.items()}
    reduced = {e for e, score in scores["mistaken"].items() if score != expected[e]}
    assert reduced == set(mistakes) and all(scores["mistaken"][e] < full[e] for e in mistakes)
    for student, scored in direct.items():
        assert scored == pytest.approx(scores[student]), student


def test_one_grading_serves_every_notebook_of_the_folder(tmp_path, monkeypatch):
    from graders import nbgrader_cell

    monkeypatch.setattr(nbgrader_cell, "CACHE", tmp_path / "cache")
    for topic in ("derivatives", "norms"):
        nbformat.write(student_notebook(topic), tmp_path / f"{topic}.ipynb")
    first = nbgrader_cell.exercise_verdict("norms.l1_norm", tmp_path)
    assert first["score"] == 0 and "not implemented" in first["lines"][0]
    monkeypatch.setattr(nbgrader_cell, "_grade_folder", lambda *args: pytest.fail("the folder was graded twice"))
    other = nbgrader_cell.exercise_verdict("derivatives.numerical_diff", tmp_path)
    assert other["max_score"] == catalog.exercise("derivatives.numerical_diff").points
