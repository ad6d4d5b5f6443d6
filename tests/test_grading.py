"""End to end: whole submissions graded through the engine, as the CLI does."""

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import ROOT, TOPICS, exercise_scores, grade_json
from tensorkata import catalog

pytestmark = pytest.mark.slow


def all_exercises():
    return [e for topic in TOPICS for e in catalog.topic(topic).exercises]


def test_solutions_score_full_marks(solution_results):
    exercises = solution_results["extra_data"]["exercises"]
    assert set(exercises) == {e.id for e in all_exercises()}
    for exercise_id, entry in exercises.items():
        assert entry["score"] == entry["max_score"] > 0, (exercise_id, entry)
        assert entry["status"] == "passed"
    assert solution_results["score"] == solution_results["extra_data"]["max_score"]
    assert all(t["status"] == "passed" for t in solution_results["tests"])


def test_stubs_score_zero_with_not_implemented():
    results = grade_json(ROOT / "exercises")
    for exercise_id, entry in results["extra_data"]["exercises"].items():
        assert entry["score"] == 0, exercise_id
        assert entry["status"] == "not-implemented", (exercise_id, entry["status"])
    outputs = [t["output"] for t in results["tests"]]
    assert all("not implemented" in text for text in outputs)
    assert not any("Traceback" in text for text in outputs)


def test_grading_is_deterministic(tmp_path):
    (tmp_path / "derivatives.py").write_text((ROOT / "examples/submissions/partial/derivatives.py").read_text())
    first, second = grade_json(tmp_path), grade_json(tmp_path)
    strip = lambda r: [(t["name"], t["score"], t["output"]) for t in r["tests"]]  # noqa: E731
    assert strip(first) == strip(second)
    assert first["extra_data"]["exercises"] == second["extra_data"]["exercises"]


def test_a_syntax_error_costs_only_its_topic(tmp_path):
    (tmp_path / "derivatives.py").write_text((ROOT / "solutions/derivatives.py").read_text())
    (tmp_path / "cross_entropy.py").write_text("def softmax(z:\n    return z\n")
    results = grade_json(tmp_path, topics=["derivatives", "cross_entropy"])
    for exercise_id, entry in results["extra_data"]["exercises"].items():
        if exercise_id.startswith("derivatives."):
            assert entry["score"] == entry["max_score"]
        else:
            assert entry["score"] == 0 and entry["status"] == "import-error"
    assert any("SyntaxError" in t["output"] for t in results["tests"])


def test_an_endless_loop_costs_only_its_exercise(tmp_path):
    source = (ROOT / "solutions/derivatives.py").read_text()
    source += "\n\ndef tangent_line(f, a, h=1e-4):\n    while True:\n        pass\n"
    (tmp_path / "derivatives.py").write_text(source)
    started = time.monotonic()
    results = grade_json(tmp_path, topics=["derivatives"])
    assert time.monotonic() - started < 90
    scores = exercise_scores(results)
    assert scores.pop("derivatives.tangent_line") == 0
    assert results["extra_data"]["exercises"]["derivatives.tangent_line"]["status"] == "timed-out"
    assert all(scores[e.id] == e.points for e in catalog.topic("derivatives").exercises if e.id in scores)


def test_missing_topics_and_functions(tmp_path):
    source = (ROOT / "solutions/derivatives.py").read_text().replace("def grad_check(", "def grad_check_renamed(")
    (tmp_path / "derivatives.py").write_text(source)
    results = grade_json(tmp_path)
    exercises = results["extra_data"]["exercises"]
    assert exercises["derivatives.grad_check"]["score"] == 0
    assert exercises["derivatives.gradient_descent"]["score"] == exercises["derivatives.gradient_descent"]["max_score"]
    assert all(v["status"] == "not-submitted" for k, v in exercises.items() if k.startswith("cross_entropy."))
    assert any("not defined" in t["output"] for t in results["tests"] if "grad_check" in t["name"])


def test_command_line_writes_json_and_junit(tmp_path):
    json_path, junit_path = tmp_path / "results.json", tmp_path / "junit.xml"
    done = subprocess.run(
        [sys.executable, "-m", "tensorkata.cli", "grade", str(ROOT / "examples/submissions/partial"),
         "--topic", "derivatives", "--json", str(json_path), "--junit", str(junit_path), "--lang", "en"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "numerical_diff" in done.stdout and "Total:" in done.stdout
    results = json.loads(json_path.read_text())
    assert {"score", "execution_time", "tests", "extra_data"} <= results.keys()
    for test in results["tests"]:
        assert {"name", "score", "max_score", "status", "output", "tags", "extra_data"} <= test.keys()
    total = sum(t["score"] for t in results["tests"])
    assert total == pytest.approx(results["score"])
    suites = ET.parse(junit_path).getroot()
    assert [s.get("name") for s in suites] == ["derivatives"]


def test_command_line_refuses_a_missing_path(tmp_path):
    done = subprocess.run([sys.executable, "-m", "tensorkata.cli", "grade", str(tmp_path / "nowhere")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("tensorkata: ") and "Traceback" not in done.stderr


def test_output_and_warnings_from_student_code_never_fail_a_test(tmp_path):
    noise = "import sys, warnings\nprint('hello')\nsys.stderr.write('noise\\n')\nwarnings.warn('careful')\n"
    source = noise + (ROOT / "solutions/derivatives.py").read_text().replace(
        "    ### BEGIN SOLUTION", "    print('thinking'); warnings.warn('still thinking')\n    ### BEGIN SOLUTION")
    (tmp_path / "derivatives.py").write_text(source)
    results = grade_json(tmp_path, topics=["derivatives"])
    assert results["score"] == results["extra_data"]["max_score"]


def test_a_worker_that_dies_passes_nothing_and_costs_only_its_exercise(tmp_path):
    source = (ROOT / "solutions/derivatives.py").read_text()
    source += "\n\ndef grad_check(f, grad_f, x, h=1e-5):\n    import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    (tmp_path / "derivatives.py").write_text(source)
    results = grade_json(tmp_path, topics=["derivatives"])
    entry = results["extra_data"]["exercises"]["derivatives.grad_check"]
    assert entry["score"] == 0 and entry["status"] == "failed"
    assert all(t["status"] == "failed" for t in results["tests"] if "grad_check" in t["name"])
    others = {k: v for k, v in exercise_scores(results).items() if k != "derivatives.grad_check"}
    assert all(v > 0 for v in others.values())


def test_a_fault_of_the_grader_is_labelled_as_ours(tmp_path, monkeypatch):
    import reference.derivatives

    def broken(*args, **kwargs):
        raise RuntimeError("oracle bug")

    monkeypatch.setattr(reference.derivatives, "tangent_line", broken)
    (tmp_path / "derivatives.py").write_text((ROOT / "solutions/derivatives.py").read_text())
    results = grade_json(tmp_path, topics=["derivatives"])
    entry = results["extra_data"]["exercises"]["derivatives.tangent_line"]
    assert entry["status"] == "grader-error" and entry["score"] < entry["max_score"]
    outputs = [t["output"] for t in results["tests"] if "tangent_line" in t["name"] and t["status"] == "failed"]
    assert outputs and all("Grader error, not yours" in text for text in outputs)


def test_correct_alternative_formulations_score_full_marks():
    results = grade_json(ROOT / "tests" / "alternatives")
    assert exercise_scores(results) == {e.id: e.points for e in all_exercises()}


def test_make_demo_prints_the_report_of_every_example():
    done = subprocess.run(["make", "--no-print-directory", "demo"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "TENSORKATA_LANG": "en"})
    assert done.returncode == 0, done.stderr[-2000:]
    for submission in ("partial", "notebook"):
        assert f"tensorkata grade: {submission}" in done.stdout
    assert "Diagnosis [forward-difference]" in done.stdout and "not submitted" in done.stdout
