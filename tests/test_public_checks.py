"""Public check data: fresh, complete, right for the solutions, able to name mistakes, and not the
hidden probes; the public comparison itself."""

import json

import numpy as np
import pytest
import torch

from graders.diagnose import _outcome, probes, run_probe
from tensorkata import catalog
from tensorkata.build.public_checks import DATA, build, public_cases
from tensorkata.checks import data
from tensorkata.checks.data import Outcome
from tensorkata.checks.verdict import diagnoses, judge, problem
from tensorkata.compare import mismatch, similar
from tensorkata.worker import codec
from tests.conftest import TOPICS
from tests.test_catalogue import load_solution


def _same_case(fresh: dict, committed: dict) -> bool:
    """Inputs identical; outcomes equal up to the last bits of floating point (other BLAS, other numpy)."""
    def outcome_same(a, b):
        x, y = Outcome.from_data(a), Outcome.from_data(b)
        return x.kind == y.kind and (similar(x.value, y.value) if x.kind == "value" else x.value == y.value)

    inputs = ("scenario", "args", "kwargs")
    return (all(fresh[k] == committed[k] for k in inputs) and fresh["mistakes"].keys() == committed["mistakes"].keys()
            and outcome_same(fresh["expected"], committed["expected"])
            and all(outcome_same(fresh["mistakes"][d], committed["mistakes"][d]) for d in fresh["mistakes"]))


def test_public_check_data_is_up_to_date(tmp_path):
    written = build(tmp_path)
    assert {p.stem for p in written} == set(TOPICS) == set(data.topics())
    for path in written:
        fresh, committed = json.loads(path.read_text()), json.loads((DATA / path.name).read_text())
        stale = f"tensorkata/checks/data/{path.name} is stale: run `tensorkata build`"
        assert fresh["exercises"].keys() == committed["exercises"].keys(), stale
        for exercise, cases in fresh["exercises"].items():
            assert len(cases) == len(committed["exercises"][exercise]), stale
            assert all(_same_case(f, c) for f, c in zip(cases, committed["exercises"][exercise])), f"{stale} ({exercise})"


@pytest.mark.parametrize("topic", TOPICS)
def test_every_exercise_has_two_public_cases_that_the_solution_passes(topic):
    solution = load_solution(topic)
    for exercise in catalog.topic(topic).exercises:
        cases = data.cases(topic).get(exercise.id, ())
        assert len(cases) >= 2, f"{exercise.id}: fewer than two public cases"
        got = []
        for p in public_cases()[topic][exercise.id]:
            kind, value = _outcome(lambda: run_probe(p, topic, exercise.function, getattr(solution, exercise.function)))
            got.append(Outcome(kind, codec.decode(codec.encode(value)) if kind == "value" else value, mro=(value,)))
        assert judge(exercise.id, cases, got).passed, exercise.id


@pytest.mark.parametrize("topic", TOPICS)
def test_stored_outcomes_name_each_mistake_that_the_cases_catch(topic):
    """A mistake that fails a public case is diagnosed from the data when it shows up exactly."""
    caught = 0
    for exercise_id, cases in data.cases(topic).items():
        for diagnosis in cases[0].mistakes:
            outcomes = [c.mistakes[diagnosis] for c in cases]
            if not judge(exercise_id, cases, outcomes).passed:
                caught += 1
                assert diagnosis in diagnoses(cases, outcomes), f"{exercise_id}: {diagnosis}"
    assert caught


@pytest.mark.parametrize("topic", TOPICS)
def test_public_cases_encode_and_are_not_the_hidden_probes(topic):
    for exercise_id, cases in public_cases()[topic].items():
        hidden = {json.dumps(codec.encode([p.scenario, list(p.args), p.kwargs]), sort_keys=True)
                  for p in probes(topic).get(exercise_id, [])}
        for case in cases:
            encoded = codec.encode([case.scenario, list(case.args), case.kwargs])
            assert "$opaque" not in json.dumps(encoded), f"{exercise_id}: {case!r} does not encode"
            assert json.dumps(encoded, sort_keys=True) not in hidden, f"{exercise_id}: {case!r} is a hidden probe"


@pytest.mark.parametrize("got, expected, why", [
    (np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]), None),
    (np.array([1.0, np.nan]), np.array([1.0, np.nan]), None),
    (np.array([1.0, 2.0]), np.array([1.0, 2.1]), "values"),
    (np.array([[1.0, 2.0]]), np.array([1.0, 2.0]), "shape"),
    ([1.0, 2.0], np.array([1.0, 2.0]), "type"),
    (torch.ones(2, dtype=torch.float32), torch.ones(2, dtype=torch.float64), "dtype"),
    (torch.ones(2) * (1 + 1e-7), torch.ones(2), None),
    ((1.0, 2.0), (1.0, 2.0, 3.0), "length"),
    ({"a": 1.0}, {"b": 1.0}, "keys"),
    (np.float64(0.5), 0.5, None),
    (codec.Opaque("Foo", "Foo()"), 0.5, "type"),
])
def test_public_comparison(got, expected, why):
    assert mismatch(got, expected) == why


def test_an_expected_exception_accepts_subclasses_and_nothing_else():
    expected = Outcome("raised", "ValueError")
    assert problem(Outcome("raised", "MyError", mro=("MyError", "ValueError", "Exception")), expected) is None
    assert problem(Outcome("raised", "TypeError", mro=("TypeError", "Exception")), expected) == "wrong-exception"
    assert problem(Outcome("value", 1.0), expected) == "no-raise"
    assert problem(Outcome("raised", "ValueError", mro=("ValueError",)), Outcome("value", 1.0)) == "raised"


def test_a_mistake_that_passes_every_public_case_is_never_named():
    expected = Outcome("value", np.array([6.0, 3.0]))
    case = data.Case("f", None, (), {}, expected, {"harmless": expected, "wrong": Outcome("value", [6.0, 3.0])})
    got = [Outcome("value", [6.0, 3.0])]  # a list where an array is expected: fails as "type"
    verdict = judge("topic.f", (case,), got)
    assert verdict.problem == "type" and verdict.diagnoses == ["wrong"]


@pytest.mark.parametrize("value, shown", [
    (np.array([[1.0, 2.0], [0.0, 1.0]]), "array (2, 2) float64 [[1.0, 2.0], [0.0, 1.0]]"),
    (np.arange(10.0), "array (10,) float64 [0.0, 1.0, 2.0, 3.0, …]"),
    (torch.ones(2, 4, dtype=torch.bfloat16), "tensor (2, 4) bfloat16 [1.0, 1.0, 1.0, 1.0, …]"),
    (torch.empty(2, device="meta"), "tensor (2,) float32 meta"),
    ((1.5, 2), "(1.5, 2)"),
    (1.0000001, "1.0"),
])
def test_values_are_shown_compactly(value, shown):
    from tensorkata.checks.explain import show

    assert show(value) == shown
