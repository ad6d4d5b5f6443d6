"""The Gradescope autograder bundle, run as Gradescope runs it.

The bundle is unpacked into a temporary tree laid out like Gradescope's ``/autograder``
(``source/``, ``submission/``, ``results/``), ``run_autograder`` runs on a correct, a partial and
a hostile submission, and each ``results.json`` is validated against Gradescope's documented
schema. ``setup.sh`` is not run (it installs Python packages from the network); the scripts run
with this environment's Python through ``TENSORKATA_PYTHON``.
"""

import json
import os
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest

from graders.mistakes import catalogue
from tensorkata import catalog
from tensorkata.build import gradescope_bundle
from tests.conftest import ROOT
from tests.injection import replace_functions

TOPICS = ["derivatives", "norms"]  # a two-topic weekly assignment keeps the runs short

# Gradescope's results.json, as its autograder specification documents it.
_TEST = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "max_score": {"type": "number"},
        "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"},
        "name_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "number": {"type": "string"},
        "output": {"type": "string"},
        "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "extra_data": {"type": "object"},
    },
    "additionalProperties": False,
}
RESULTS_SCHEMA = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "test_output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "test_name_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": _TEST},
        "leaderboard": {"type": "array"},
    },
    "anyOf": [{"required": ["score"]}, {"required": ["tests"]}],
    "additionalProperties": False,
}

HOSTILE = '''
import os, pathlib
# Forge a perfect score where Gradescope reads it, then try to take the grader down.
root = pathlib.Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))
try:
    (root / "results" / "results.json").write_text('{"score": 1000}')
except OSError:
    pass

def numerical_diff(f, x, h=1e-4):
    while True:
        pass

def numerical_gradient(f, x, h=1e-4):
    os._exit(0)
'''


def _mistaken(topic: str, diagnosis: str) -> str:
    solution = (ROOT / "solutions" / f"{topic}.py").read_text()
    wrong = next(m.function for m in catalogue() if m.diagnosis == diagnosis)
    return replace_functions(solution, {wrong.__name__: wrong})


def _submissions() -> dict[str, dict[str, str]]:
    solution = {t: (ROOT / "solutions" / f"{t}.py").read_text() for t in TOPICS}
    return {
        "correct": solution,
        "partial": {"derivatives": _mistaken("derivatives", "forward-difference")},
        "hostile": {"derivatives": HOSTILE + solution["derivatives"].split("def numerical_diff")[0], "norms": solution["norms"]},
    }


def _run(bundle: Path, tree: Path, files: dict[str, str]) -> tuple[dict, subprocess.CompletedProcess]:
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tree / "source")
    for name in ("setup.sh", "run_autograder"):
        (tree / "source" / name).chmod(0o755)
    (tree / "submission").mkdir()
    for topic, source in files.items():
        (tree / "submission" / f"{topic}.py").write_text(source)
    environment = {**os.environ, "AUTOGRADER_ROOT": str(tree), "TENSORKATA_PYTHON": sys.executable}
    run = subprocess.run([str(tree / "source" / "run_autograder")], cwd=tree, env=environment,
                         capture_output=True, text=True, timeout=300)
    return json.loads((tree / "results" / "results.json").read_text()), run


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict]:
    bundle = gradescope_bundle.build(tmp_path_factory.mktemp("bundle") / "autograder.zip", lang="en", topics=TOPICS)
    cases = _submissions()
    with ThreadPoolExecutor(len(cases)) as pool:
        runs = pool.map(lambda name: _run(bundle, tmp_path_factory.mktemp(name) / "autograder", cases[name]), cases)
        return {name: result for name, (result, _) in zip(cases, runs)}


def test_bundle_has_the_gradescope_layout(tmp_path):
    bundle = gradescope_bundle.build(tmp_path / "autograder.zip")
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert {"setup.sh", "run_autograder", "pyproject.toml", "graders/engine.py", "reference/norms.py"} <= names
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert not any("__pycache__" in name or name.startswith(("solutions/", "tests/")) for name in names)
    for script in ("setup.sh", "run_autograder"):
        with zipfile.ZipFile(bundle) as archive:
            (tmp_path / script).write_bytes(archive.read(script))
        syntax = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True, text=True)
        assert syntax.returncode == 0, syntax.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", ["correct", "partial", "hostile"])
def test_results_json_is_valid_for_gradescope(results, name):
    jsonschema.validate(results[name], RESULTS_SCHEMA)
    exercises = results[name]["extra_data"]["exercises"]
    assert set(exercises) == {e.id for t in TOPICS for e in catalog.topic(t).exercises}
    assert results[name]["score"] == pytest.approx(sum(e["score"] for e in exercises.values()))


@pytest.mark.slow
def test_scores_follow_the_submission(results):
    full = {t: catalog.topic(t).points for t in TOPICS}
    assert results["correct"]["score"] == pytest.approx(sum(full.values()))
    partial = results["partial"]["extra_data"]["exercises"]
    assert partial["derivatives.numerical_diff"]["diagnoses"] == ["forward-difference"]
    assert partial["derivatives.numerical_diff"]["score"] == 0
    assert all(e["score"] == 0 and e["status"] == "not-submitted" for k, e in partial.items() if k.startswith("norms."))


@pytest.mark.slow
def test_hostile_submission_neither_forges_nor_breaks_grading(results):
    hostile = results["hostile"]
    exercises = hostile["extra_data"]["exercises"]
    assert hostile["score"] != 1000
    assert exercises["derivatives.numerical_diff"]["status"] == "timed-out"
    assert exercises["derivatives.numerical_gradient"]["score"] == 0
    assert all(e["score"] == e["max_score"] for k, e in exercises.items() if k.startswith("norms."))


def test_failed_run_still_leaves_results_for_the_student(tmp_path):
    bundle = gradescope_bundle.build(tmp_path / "autograder.zip", lang="ja")
    tree = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tree / "source")
    (tree / "source" / "run_autograder").chmod(0o755)
    environment = {**os.environ, "AUTOGRADER_ROOT": str(tree), "TENSORKATA_PYTHON": "/nonexistent/python"}
    subprocess.run([str(tree / "source" / "run_autograder")], cwd=tree, env=environment, capture_output=True, timeout=60)
    written = json.loads((tree / "results" / "results.json").read_text())
    jsonschema.validate(written, RESULTS_SCHEMA)
    assert written["score"] == 0 and "教員" in written["output"]
