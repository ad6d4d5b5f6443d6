"""The student bundle: nothing that grades leaks into it, and it works on its own.

The leak tests look for content, not file names: every distinctive line of every solution region,
of the reference, of the hidden suites and of the mistake catalogue is searched for in every file
of the bundle (notebook cells included). The installation test makes a fresh virtual environment,
runs ``pip install -e .`` in the bundle, and drives ``tensorkata check``, ``pytest`` and the
GitHub Classroom commands there, where the hidden graders cannot be imported.
"""

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest
import yaml

from tensorkata import catalog
from tensorkata.build import classroom, release
from tensorkata.i18n import Msg
from tests.conftest import ROOT, solution_lines



@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    return release.build(tmp_path_factory.mktemp("release") / "bundle")


def _texts(bundle: Path) -> dict[str, str]:
    """Every file of the bundle as text; notebooks as the sources of their cells."""
    texts = {}
    for name in release.manifest(bundle):
        path = bundle / name
        if path.suffix == ".ipynb":
            texts[name] = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
        else:
            texts[name] = path.read_text(encoding="utf-8")
    return texts


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines()}


EXERCISE_IDS = re.compile("|".join(sorted(  # longest first: softmax_cross_entropy_grad before softmax
    (re.escape(e.id) for t in catalog.topic_names() for e in catalog.topic(t).exercises), key=len, reverse=True)))


def _own(line: str, minimum: int) -> bool:
    """Long enough without the exercise ids it names (ids are public) and not a comment."""
    return len(EXERCISE_IDS.sub("", line)) >= minimum and not line.startswith("#")


def _distinctive(paths, allowed: set[str], minimum: int) -> dict[str, set[str]]:
    """Per file, its lines that are its own: long, and not in what may ship anyway."""
    return {
        str(path.relative_to(ROOT)): {line for line in _lines(path.read_text()) if _own(line, minimum) and line not in allowed}
        for path in paths
    }


def _shippable_lines() -> set[str]:
    """Lines that legitimately appear both in a secret file and in the bundle (stubs, package code)."""
    shipped = [*(ROOT / "exercises").glob("*.py"), *(ROOT / "tensorkata").rglob("*.py"), *(ROOT / "tensorkata").rglob("*.toml")]
    return set().union(*(_lines(p.read_text()) for p in shipped))


def _leaks(bundle: Path, secrets: dict[str, set[str]]) -> list[str]:
    texts = _texts(bundle)
    shipped = {name: _lines(text) for name, text in texts.items()}
    return [f"{secret}: {line!r} in {name}"
            for secret, lines in secrets.items() for line in lines
            for name, present in shipped.items() if line in present]


def test_bundle_has_what_a_student_needs(bundle):
    files = set(release.manifest(bundle))
    topics = catalog.topic_names()
    assert {f"exercises/{t}.py" for t in topics} <= files
    assert {f"notebooks/{t}.ipynb" for t in topics} <= files
    assert {f"tensorkata/checks/data/{t}.json" for t in topics} <= files
    assert {f"tensorkata/catalog/{t}.toml" for t in topics} <= files
    assert {"pyproject.toml", "README.md", ".github/workflows/classroom.yml", ".github/classroom/autograding.json"} <= files


def test_bundle_leaves_instructor_parts_behind(bundle):
    files = release.manifest(bundle)
    forbidden = ("graders/", "reference/", "solutions/", "tests/", "tensorkata/build/", "tensorkata/gradebook/",
                 "tensorkata/report/")
    assert not [f for f in files if f.startswith(forbidden)]
    assert not [name for name, text in _texts(bundle).items()
                if "BEGIN SOLUTION" in text or "BEGIN HIDDEN TESTS" in text]


def test_no_solution_line_leaks(bundle):
    allowed = _shippable_lines()  # e.g. `x = np.asarray(x, dtype=np.float64)` is everyone's
    secrets = {f"solutions/{t}.py": {line for line in solution_lines(t) if _own(line, 12) and line not in allowed}
               for t in catalog.topic_names()}
    assert sum(map(len, secrets.values())) > 200  # the search has something to look for
    assert _leaks(bundle, secrets) == []


def test_no_reference_hidden_test_or_mistake_line_leaks(bundle):
    allowed = _shippable_lines()
    graders = ROOT / "graders" / "topics"
    secret_files = [*(ROOT / "reference").glob("*.py"), *graders.glob("*/hidden_tests.py"),
                    *graders.glob("*/mistakes.py"), *graders.glob("*/public.py")]
    secrets = _distinctive(secret_files, allowed, minimum=20)
    assert sum(map(len, secrets.values())) > 1000
    assert _leaks(bundle, secrets) == []


def test_classroom_grades_every_exercise_for_its_points(bundle):
    workflow = yaml.safe_load((bundle / ".github" / "workflows" / "classroom.yml").read_text())
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    graded = [s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-command-grader")]
    points = {e.id: e.points for t in catalog.topic_names() for e in catalog.topic(t).exercises}
    assert {s["with"]["test-name"]: s["with"]["max-score"] for s in graded} == points
    assert all(s["with"]["command"] == f"tensorkata check {s['with']['test-name']}" for s in graded)
    reporter = steps[-1]
    assert reporter["with"]["runners"].split(",") == [s["id"] for s in graded]
    assert set(reporter["env"]) == {f"{s['id'].upper()}_RESULTS" for s in graded}
    legacy = json.loads((bundle / ".github" / "classroom" / "autograding.json").read_text())
    assert [(t["name"], t["points"]) for t in legacy["tests"]] == [(t["name"], t["points"]) for t in classroom.tests()]


def test_release_refuses_to_overwrite(tmp_path, capsys):
    from tensorkata.cli import main

    (tmp_path / "work.py").write_text("a student's work")
    assert main(["release", str(tmp_path), "--lang", "en"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "work.py").read_text() == "a student's work"


# --- the bundle installed on its own -------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(bundle, tmp_path_factory) -> dict:
    """A fresh venv with the bundle installed; its heavy dependencies come from this environment."""
    venv = tmp_path_factory.mktemp("venv") / "student"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    # Only the path is added, so this environment's own editable install of tensorkata stays invisible.
    (site / "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV", "TENSORKATA"))}
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-e", "."],
                             cwd=bundle, env=env, capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    return {"venv": venv, "env": env}


def _run(installed, bundle, *command, lang="en"):
    env = {**installed["env"], "TENSORKATA_LANG": lang}
    return subprocess.run(list(command), cwd=bundle, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_installed_bundle_is_the_bundle_and_cannot_grade(installed, bundle):
    python = str(installed["venv"] / "bin" / "python")
    where = _run(installed, bundle, python, "-c", "import tensorkata; print(tensorkata.__file__)")
    assert where.stdout.strip() == str(bundle / "tensorkata" / "__init__.py")
    for hidden in ("graders", "reference", "solutions"):
        assert _run(installed, bundle, python, "-c", f"import {hidden}").returncode != 0
    graded = _run(installed, bundle, "tensorkata", "grade", "exercises")
    assert graded.returncode == 2 and "instructor" in graded.stderr


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_stubs_fail_with_a_verdict_and_a_hint(installed, bundle, lang):
    first = catalog.topic("derivatives").exercises[0]
    checked = _run(installed, bundle, "tensorkata", "check", "derivatives", lang=lang)
    assert checked.returncode == 1
    assert Msg.of("status.not-implemented")(lang) in checked.stdout
    assert first.hints[0](lang).split("\n")[0][:40] in checked.stdout.replace("\n", "")
    tested = _run(installed, bundle, "python", "-m", "pytest", "exercises/derivatives.py", lang=lang)
    assert tested.returncode == 1
    assert "Traceback" not in tested.stdout and "raise NotImplementedError" not in tested.stdout
    assert Msg.of("status.not-implemented")(lang) in tested.stdout
    assert f"{len(catalog.topic('derivatives').exercises)} failed" in tested.stdout


@pytest.mark.slow
def test_classroom_commands_pass_only_finished_exercises(installed, bundle):
    exercise = catalog.topic("norms").exercises[0]
    assert _run(installed, bundle, "tensorkata", "check", exercise.id).returncode == 1
    stub = (bundle / "exercises" / "norms.py").read_text()
    try:
        (bundle / "exercises" / "norms.py").write_text((ROOT / "solutions" / "norms.py").read_text())
        assert _run(installed, bundle, "tensorkata", "check", exercise.id).returncode == 0
        assert _run(installed, bundle, "tensorkata", "check", "norms").returncode == 0
        tested = _run(installed, bundle, "python", "-m", "pytest", "exercises/norms.py")
        assert tested.returncode == 0, tested.stdout[-2000:]
    finally:
        (bundle / "exercises" / "norms.py").write_text(stub)
