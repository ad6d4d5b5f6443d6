"""Bad input never stops grading: every broken part is reported, every sound part is graded."""

import os
import zipfile

import pytest

from tests.conftest import ROOT, exercise_scores, grade_json

pytestmark = pytest.mark.slow

SOLUTION = (ROOT / "solutions/derivatives.py").read_text()


def statuses(results, topic):
    return {k: v["status"] for k, v in results["extra_data"]["exercises"].items() if k.startswith(f"{topic}.")}


def full_marks(results, topic):
    return all(v["score"] == v["max_score"] for k, v in results["extra_data"]["exercises"].items()
               if k.startswith(f"{topic}."))


def test_a_zip_with_escaping_absolute_and_linked_entries(tmp_path):
    archive = tmp_path / "hostile.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("derivatives.py", SOLUTION)
        zf.writestr("../../cross_entropy.py", "raise SystemExit")
        zf.writestr("/etc/cross_entropy.py", "raise SystemExit")
        link = zipfile.ZipInfo("cross_entropy.py")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
    results = grade_json(archive)
    assert full_marks(results, "derivatives")
    assert set(statuses(results, "cross_entropy").values()) == {"not-submitted"}
    assert not (tmp_path.parent / "cross_entropy.py").exists()


def test_a_zip_bomb_is_refused_per_file(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("derivatives.py", SOLUTION)
        zf.writestr("cross_entropy.py", "#" * (200 * 1024 * 1024))
    assert archive.stat().st_size < 2 * 1024 * 1024
    results = grade_json(archive)
    assert full_marks(results, "derivatives")
    assert set(statuses(results, "cross_entropy").values()) == {"unreadable"}
    assert any("size limit" in t["output"] for t in results["tests"] if "cross_entropy" in t["name"])


@pytest.mark.parametrize("name, content, status", [
    ("cross_entropy.ipynb", b'{"cells": [', "unreadable"),
    ("cross_entropy.py", b"def softmax(z:\n", "import-error"),
    ("cross_entropy.py", b"import numpy_that_does_not_exist\n", "import-error"),
    ("cross_entropy.py", b"x = '\xff\xfe'\n", "unreadable"),
])
def test_a_broken_topic_costs_only_itself(tmp_path, name, content, status):
    (tmp_path / "derivatives.py").write_text(SOLUTION)
    (tmp_path / name).write_bytes(content)
    results = grade_json(tmp_path)
    assert full_marks(results, "derivatives")
    assert set(statuses(results, "cross_entropy").values()) == {status}
    outputs = [t["output"] for t in results["tests"] if "cross_entropy" in t["name"]]
    assert all(text.strip() for text in outputs)


def test_missing_functions_and_wrong_signatures_cost_only_themselves(tmp_path):
    source = SOLUTION.replace("def chain_rule_derivative(f_prime, g, g_prime, x):", "def chain_rule_derivative(f_prime, g):")
    source = source.replace("def grad_check(", "def grad_check_v2(")
    (tmp_path / "derivatives.py").write_text(source)
    results = grade_json(tmp_path, topics=["derivatives"])
    scores = exercise_scores(results)
    assert scores.pop("derivatives.chain_rule_derivative") == 0
    assert scores.pop("derivatives.grad_check") == 0
    assert all(v > 0 for v in scores.values())
    assert any("TypeError" in t["output"] for t in results["tests"] if "chain_rule" in t["name"])


def test_the_report_never_blames_the_student_for_an_unreadable_path(tmp_path):
    results_dir = tmp_path / "nothing-here"
    os.makedirs(results_dir)
    results = grade_json(results_dir)
    assert results["score"] == 0
    assert {v["status"] for v in results["extra_data"]["exercises"].values()} == {"not-submitted"}
