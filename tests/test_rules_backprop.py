"""The special rules of the backprop topic, proven on whole gradings.

- ``Value`` must survive a graph 10,000 nodes deep: a ``backward()`` with a recursive topological
  sort raises ``RecursionError`` in the worker, which costs ``backprop.Value`` points with the
  diagnosis ``recursive-topo-sort`` while grading completes and every other exercise keeps full
  marks.
- Gradients of reused nodes are summed: ``=`` instead of ``+=`` is caught and named.
- ``sigmoid`` must not overflow: the literal ``1 / (1 + np.exp(-z))`` has the right values (the
  overflow gives ``1 / inf = 0``) but raises a RuntimeWarning for ``z = -1000``, which the engine
  reports as ``numerical-warning``.
- A correct formulation other than the solution (``tests/alternatives/backprop.py``) scores full
  marks.

Each submission is the solution with one function or class swapped in (``tests.injection``).
"""

import numpy as np
import pytest

from graders.mistakes import catalogue
from tensorkata import catalog
from tests.conftest import ROOT, exercise_scores, grade_json
from tests.injection import replace_functions

pytestmark = pytest.mark.slow

TOPIC = "backprop"
FULL = {e.id: float(e.points) for e in catalog.topic(TOPIC).exercises}


def value_mistake(diagnosis: str):
    """The catalogued ``Value`` class with that diagnosis."""
    (found,) = [m.function for m in catalogue() if m.exercise == "backprop.Value" and m.diagnosis == diagnosis]
    return found


def naive_sigmoid():
    def sigmoid(z):
        return 1 / (1 + np.exp(-np.asarray(z, dtype=np.float64)))

    return sigmoid


def grade_with(tmp_path, replacements: dict) -> dict:
    source = (ROOT / "solutions" / f"{TOPIC}.py").read_text()
    (tmp_path / f"{TOPIC}.py").write_text(replace_functions(source, replacements))
    return grade_json(tmp_path, topics=[TOPIC])


def assert_costs_only(results: dict, exercise_id: str, diagnosis: str) -> None:
    scores = exercise_scores(results)
    assert 0 < FULL[exercise_id] and scores[exercise_id] < FULL[exercise_id], scores[exercise_id]
    assert diagnosis in results["extra_data"]["exercises"][exercise_id]["diagnoses"]
    others = {e: s for e, s in scores.items() if e != exercise_id}
    assert others == {e: FULL[e] for e in others}
    assert not [t for t in results["tests"] if t["status"] == "grader-error"]


def test_a_recursive_topological_sort_fails_the_deep_chain(tmp_path):
    results = grade_with(tmp_path, {"Value": value_mistake("recursive-topo-sort")})
    assert_costs_only(results, "backprop.Value", "recursive-topo-sort")
    failed = [t for t in results["tests"] if t["extra_data"]["exercise"] == "backprop.Value" and t["status"] == "failed"]
    assert [t["name"] for t in failed] == ["backprop.Value: backward() works on a chain 10,000 nodes deep"]
    assert "RecursionError" in failed[0]["output"] and "explicit stack" in failed[0]["output"]


def test_assigning_gradients_instead_of_adding_them_is_named(tmp_path):
    results = grade_with(tmp_path, {"Value": value_mistake("grad-assigned-not-accumulated")})
    assert_costs_only(results, "backprop.Value", "grad-assigned-not-accumulated")


def test_an_overflowing_sigmoid_is_a_numerical_warning(tmp_path):
    results = grade_with(tmp_path, {"sigmoid": naive_sigmoid()})
    assert_costs_only(results, "backprop.sigmoid", "numerical-warning")
    failed = [t for t in results["tests"] if t["extra_data"]["exercise"] == "backprop.sigmoid" and t["status"] == "failed"]
    uncredited = "counts only once the results are right"  # inputs-unchanged tests wait for right results
    assert [t["name"] for t in failed if uncredited not in t["output"]] == [
        "backprop.sigmoid: exact and free of overflow warnings for |z| up to 1e3"]
    assert "overflow" in failed[0]["output"]


def test_the_alternative_formulation_scores_full_marks(tmp_path):
    (tmp_path / f"{TOPIC}.py").write_text((ROOT / "tests" / "alternatives" / f"{TOPIC}.py").read_text())
    results = grade_json(tmp_path, topics=[TOPIC])
    assert exercise_scores(results) == FULL
