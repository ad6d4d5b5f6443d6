"""``tensorkata check`` and ``pytest`` on exercises/: verdicts, diagnoses and hints in both languages,
progress between runs, argument errors, output width, and no hidden part of the project needed."""

import ast
import io
import os
import re
import subprocess
import sys
import textwrap

import pytest
from rich.cells import cell_len
from rich.console import Console

from graders.mistakes import catalogue
from tensorkata import catalog
from tensorkata.checks import data, progress
from tensorkata.checks.render import render
from tensorkata.checks.run import check, select
from tensorkata.checks.verdict import STATUSES, diagnoses, judge
from tensorkata.cli import main
from tensorkata.i18n import Msg
from tests.conftest import ROOT, TOPICS
from tests.injection import replace_functions

PARTIAL = ROOT / "examples" / "submissions" / "partial"


def squash(text: str) -> str:
    """Text without any whitespace: rich wraps lines wherever it likes, in both languages."""
    return "".join(text.split())


# --- a stub, a correct and a mistaken exercise per topic -----------------------------------------


def _diagnosable(topic: str):
    """The first catalogued mistake that the public cases catch and name alone: (exercise id, mistake)."""
    for m in catalogue():
        cases = data.cases(topic).get(m.exercise, ()) if m.exercise.startswith(f"{topic}.") else ()
        outcomes = [c.mistakes[m.diagnosis] for c in cases]
        if cases and not judge(m.exercise, cases, outcomes).passed and diagnoses(cases, outcomes) == [m.diagnosis]:
            return m.exercise, m
    raise AssertionError(f"{topic}: no mistake is caught and named by the public cases")


def _callers(source: str) -> dict[str, set[str]]:
    """Top-level definition -> the names it uses."""
    return {n.name: {x.id for x in ast.walk(n) if isinstance(x, ast.Name)}
            for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def _stub_out(source: str, stub_source: str, name: str) -> str:
    """``source`` with the definition ``name`` taken from the stub module (it raises NotImplementedError)."""
    stub = next(n for n in ast.parse(stub_source).body if getattr(n, "name", None) == name)
    tree = ast.parse(source)
    tree.body = [stub if getattr(n, "name", None) == name else n for n in tree.body]
    return ast.unparse(tree) + "\n"


def plan(topic: str) -> dict:
    """A module of ``topic`` with one exercise left as a stub, one mistaken, and the rest correct."""
    source = (ROOT / "solutions" / f"{topic}.py").read_text()
    mistaken, wrong = _diagnosable(topic)
    uses = _callers(source)
    functions = [e.function for e in catalog.topic(topic).exercises]
    free = [f for f in functions if f != mistaken.split(".")[1] and not any(f in u for g, u in uses.items() if g != f)]
    stubbed, correct = free[-1], free[0]
    module = replace_functions(source, {wrong.function.__name__: wrong.function})
    module = _stub_out(module, (ROOT / "exercises" / f"{topic}.py").read_text(), stubbed)
    return {"module": module, "stub": f"{topic}.{stubbed}", "correct": f"{topic}.{correct}",
            "mistaken": mistaken, "diagnosis": wrong.diagnosis}


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """An ``exercises/`` folder with every topic planned as above."""
    folder = tmp_path_factory.mktemp("student") / "exercises"
    folder.mkdir()
    plans = {topic: plan(topic) for topic in TOPICS}
    for topic, p in plans.items():
        (folder / f"{topic}.py").write_text(p["module"])
    return folder, plans


def expectations(p: dict, lang: str) -> dict[str, list[str]]:
    """Exercise id -> texts its report must contain."""
    def hint(exercise_id):
        return catalog.exercise(exercise_id).hints[0](lang)

    diagnosis = catalog.exercise(p["mistaken"]).diagnoses[p["diagnosis"]](lang)
    return {
        p["stub"]: [Msg.of("status.not-implemented")(lang), hint(p["stub"])],
        p["correct"]: [Msg.of("status.passed")(lang)],
        p["mistaken"]: [Msg.of("status.failed")(lang), f"[{p['diagnosis']}]", diagnosis, hint(p["mistaken"])],
    }


def planned(p: dict) -> list[str]:
    """The stub, correct and mistaken exercise ids of a plan, in catalogue order."""
    chosen = {p["stub"], p["correct"], p["mistaken"]}
    return [e.id for e in catalog.topic(p["stub"].split(".")[0]).exercises if e.id in chosen]


def section(output: str, exercise_id: str, names: list[str]) -> str:
    """The part of ``output`` from the exercise's status line to the next status line."""
    status_line = re.compile(rf"^  \S (?:{'|'.join(map(re.escape, names))})\s", re.M)
    start = re.search(rf"^  \S {exercise_id.split('.', 1)[1]}\s", output, re.M).start()
    following = status_line.search(output, start + 1)
    return output[start: following.start() if following else len(output)]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_check_reports_stub_correct_and_mistaken_exercises(classroom, capsys, lang):
    folder, plans = classroom
    targets = [e for p in plans.values() for e in planned(p)]
    assert main(["check", *targets, "--path", str(folder), "--lang", lang]) == 1
    output = capsys.readouterr().out
    names = [e.split(".")[1] for e in targets]
    for topic, p in plans.items():
        for exercise_id, texts in expectations(p, lang).items():
            part = squash(section(output, exercise_id, names))
            for text in texts:
                assert squash(text) in part, f"{exercise_id} ({lang}): {text!r} missing in\n{part}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pytest_reports_stub_correct_and_mistaken_exercises(classroom, lang):
    folder, plans = classroom
    env = {**os.environ, "TENSORKATA_LANG": lang}
    nodes = [f"exercises/{topic}.py::{e.split('.')[1]}" for topic, p in plans.items() for e in planned(p)]
    run = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", *nodes],
                         cwd=folder.parent, env=env, capture_output=True, text=True, timeout=600)
    output = run.stdout
    assert run.returncode == 1, output[-3000:]
    assert "Traceback" not in output and "def runtest" not in output
    for topic, p in plans.items():
        assert f"exercises/{topic}.py::{p['correct'].split('.')[1]} PASSED" in output
        for exercise_id in (p["stub"], p["mistaken"]):
            assert f"exercises/{topic}.py::{exercise_id.split('.')[1]} FAILED" in output
            start = output.index(f"{exercise_id}: ")
            part = squash(output[start: output.find("____", start)])
            for text in expectations(p, lang)[exercise_id]:
                assert squash(text) in part, f"{exercise_id} ({lang}): {text!r} missing in\n{part}"


# --- the example submission: width, README --------------------------------------------------------


@pytest.fixture(scope="module")
def partial_results():
    return check(PARTIAL, select(PARTIAL, ["derivatives"]))


def rendered(results, lang: str) -> str:
    console = Console(width=100, record=True, file=io.StringIO())
    render("examples/submissions/partial", results, [progress.Progress("derivatives", 4, 8, None, 4)], lang, console)
    return console.export_text()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_check_output_fits_100_columns(partial_results, lang):
    text = rendered(partial_results, lang)
    assert "forward-difference" in text and "two-a-x" in text
    assert max(cell_len(line) for line in text.splitlines()) <= 100
    assert not any(line.endswith(" ") for line in text.splitlines())


@pytest.mark.slow
def test_readme_shows_the_check_of_the_example_submission(partial_results):
    readme = (ROOT / "README.md").read_text()
    assert "### Checking your work" in readme
    block = readme.split("### Checking your work", 1)[1].split("```\n", 2)[1]
    shown, summary = block.split("  ...\n")
    lines = rendered(partial_results, "en").splitlines()
    assert shown.splitlines() == lines[: len(shown.splitlines())], "README: rerun tensorkata check on the example"
    assert summary.strip() == lines[-1]


# --- public checks need no hidden part of the project ---------------------------------------------

BLOCKER = textwrap.dedent("""
    import importlib.abc, sys

    class Blocked(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("graders", "reference", "solutions") or name.startswith("tensorkata.build"):
                raise ImportError(f"blocked: {name}")
            return None

    sys.meta_path.insert(0, Blocked())
    from tensorkata.cli import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.slow
def test_check_runs_without_graders_reference_or_solutions(tmp_path):
    run = subprocess.run([sys.executable, "-c", BLOCKER, "check", "derivatives", "--path", str(PARTIAL), "--lang", "en"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "forward-difference" in run.stdout and "blocked" not in run.stderr


# --- progress, arguments, hints --------------------------------------------------------------------


def test_progress_grows_between_runs_and_survives_a_corrupt_file(tmp_path):
    first, = progress.record(tmp_path, {"derivatives": (3, 8)})
    assert (first.done, first.previous) == (3, None)
    second, = progress.record(tmp_path, {"derivatives": (5, 8)})
    assert (second.done, second.previous, second.best) == (5, 3, 5)
    assert "(was 3/8)" in Msg.of("check.summary-was", topic="derivatives", done=5, total=8, previous=3)("en")
    (tmp_path / progress.FILENAME).write_text("{not json")
    again, = progress.record(tmp_path, {"derivatives": (4, 8)})
    assert (again.done, again.previous) == (4, None)
    third, = progress.record(tmp_path, {"derivatives": (2, 8)})
    assert (third.previous, third.best) == (4, 4)


def test_a_missing_topic_is_not_submitted(tmp_path, capsys):
    assert main(["check", "norms", "--path", str(tmp_path), "--lang", "en"]) == 1
    output = squash(capsys.readouterr().out)
    assert squash(Msg.of("status.not-submitted")("en")) in output
    assert squash(Msg.of("check.not-submitted", topic="norms")("en")) in output


@pytest.mark.parametrize("argv, error", [
    (["check", "nonsense"], "unknown topic or exercise 'nonsense'"),
    (["check", "derivatives.nonsense"], "unknown topic or exercise 'derivatives.nonsense'"),
    (["check", "--path", "no/such/folder"], "no such folder"),
    (["check"], "holds no exercise modules"),
])
def test_bad_check_arguments_give_one_line_errors(tmp_path, capsys, monkeypatch, argv, error):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exercises").mkdir()
    if argv[1:2] != ["--path"]:
        argv = [*argv, "--path", "exercises"]
    assert main([*argv, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tensorkata: ") and error in err and len(err.strip().splitlines()) == 1


def test_a_passing_exercise_exits_zero(tmp_path, capsys):
    (tmp_path / "derivatives.py").write_text((ROOT / "solutions" / "derivatives.py").read_text())
    assert main(["check", "derivatives.numerical_diff", "--path", str(tmp_path), "--lang", "ja"]) == 0
    assert Msg.of("status.passed")("ja") in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_hint_beyond_the_last_level_says_so(capsys, lang):
    count = len(catalog.exercise("derivatives.numerical_diff").hints)
    assert main(["hint", "derivatives.numerical_diff", "--level", str(count + 1), "--lang", lang]) == 0
    assert capsys.readouterr().out.strip() == Msg.of("hint.beyond", id="derivatives.numerical_diff", count=count)(lang)


def test_a_banned_call_fails_with_its_name_and_the_hint(tmp_path, capsys):
    (tmp_path / "transposes.py").write_text("import numpy as np\n\n\ndef matmul(A, B):\n    return np.asarray(A) @ np.asarray(B)\n")
    assert main(["check", "transposes.matmul", "--path", str(tmp_path), "--lang", "en"]) == 1
    output = squash(capsys.readouterr().out)
    assert squash(Msg.of("status.banned-call")("en")) in output
    assert squash(Msg.of("check.banned", function="matmul", calls="@")("en")) in output
    assert squash(catalog.exercise("transposes.matmul").hints[0]("en")) in output


def test_every_verdict_and_problem_has_a_message_in_both_languages():
    problems = ("type", "length", "keys", "dtype", "device", "shape", "values", "raised", "no-raise",
                "wrong-exception", "crashed")
    for key in [f"status.{s}" for s in STATUSES] + [f"check.problem.{p}" for p in problems]:
        assert Msg.of(key)("en").strip() and Msg.of(key)("ja").strip(), key


@pytest.mark.parametrize("file, args, topic", [
    ("exercises/derivatives.py", ["tests"], "derivatives"),
    ("work/norms.py", ["work"], "norms"),
    ("work/norms.py", ["work/norms.py"], "norms"),
    ("tests/alternatives/norms.py", ["tests"], None),
    ("graders/topics/norms/hidden_tests.py", ["graders/topics/norms/hidden_tests.py"], None),
    ("exercises/helpers.py", ["exercises"], None),
])
def test_the_pytest_plugin_collects_only_topic_modules_it_was_pointed_at(file, args, topic):
    from types import SimpleNamespace

    from tensorkata.checks.pytest_plugin import _topic

    config = SimpleNamespace(args=[str(ROOT / a) for a in args])
    assert _topic(ROOT / file, config) == topic


def test_a_hanging_exercise_times_out_and_a_broken_module_is_an_import_error(tmp_path):
    from tensorkata.checks.explain import lines
    from tensorkata.sandbox import Limits

    (tmp_path / "derivatives.py").write_text("def numerical_diff(f, x, h=1e-4):\n    while True:\n        pass\n")
    (tmp_path / "norms.py").write_text("def l1_norm(x):\n    return (\n")
    results = check(tmp_path, {"derivatives": ["derivatives.numerical_diff"], "norms": ["norms.l1_norm"]},
                    Limits(call_seconds=1.0))
    hung, = results["derivatives"]
    broken, = results["norms"]
    assert hung.status == "timed-out" and broken.status == "import-error"
    assert "SyntaxError" in lines(broken, "en")[0]
    assert catalog.exercise("derivatives.numerical_diff").hints[0]("ja") in lines(hung, "ja")[-1]
