"""The catalogue is complete: hints, diagnoses and probes for every exercise, in both languages."""

import importlib.util
import inspect

import pytest

from graders import topics as hidden
from graders.diagnose import _outcome, probes, run_probe
from graders.mistakes import catalogue
from tensorkata import catalog
from tensorkata.compare import similar
from tensorkata.i18n import messages
from tests.conftest import ROOT, TOPICS

EXERCISES = [e for topic in TOPICS for e in catalog.topic(topic).exercises]


def load_solution(topic: str):
    spec = importlib.util.spec_from_file_location(f"solution_{topic}", ROOT / "solutions" / f"{topic}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_topic_has_a_suite_a_catalogue_a_solution_and_a_reference():
    for topic in TOPICS:
        assert topic in catalog.topic_names() and topic in hidden.names()
        assert (ROOT / "solutions" / f"{topic}.py").exists() and (ROOT / "reference" / f"{topic}.py").exists()


def test_exercise_ids_follow_the_curriculum():
    for topic in TOPICS:
        solution, reference = load_solution(topic), importlib.import_module(f"reference.{topic}")
        for exercise in catalog.topic(topic).exercises:
            assert exercise.points > 0
            ours, theirs = getattr(solution, exercise.function), getattr(reference, exercise.function)
            assert inspect.signature(ours) == inspect.signature(theirs), exercise.id


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_three_hints_and_three_diagnoses_in_both_languages(exercise):
    assert len(exercise.hints) >= 3
    assert len(exercise.diagnoses) >= 3
    for text in [*exercise.hints, *exercise.diagnoses.values(), exercise.summary]:
        assert text.en.strip() and text.ja.strip()


def test_every_engine_message_exists_in_both_languages():
    for key, text in messages().items():
        assert text.en.strip() and text.ja.strip(), key


def test_catalogued_and_implemented_mistakes_are_the_same():
    implemented = {(m.exercise, m.diagnosis) for m in catalogue()}
    described = {(e.id, d) for e in EXERCISES for d in e.diagnoses}
    assert implemented == described


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_probes_separate_every_mistake_from_the_reference_and_each_other(exercise):
    reference = getattr(importlib.import_module(f"reference.{exercise.topic}"), exercise.function)
    inputs = probes(exercise.topic)[exercise.id]
    assert inputs, "no probe inputs"

    def outcomes(function):
        return [_outcome(lambda p=p: run_probe(p, exercise.topic, exercise.function, function)) for p in inputs]

    def same(a, b):
        return all(x[0] == y[0] and (similar(x[1], y[1]) if x[0] == "value" else x[1] == y[1]) for x, y in zip(a, b))

    right = outcomes(reference)
    wrong = {m.diagnosis: outcomes(m.function) for m in catalogue() if m.exercise == exercise.id}
    for diagnosis, result in wrong.items():
        assert not same(result, right), f"{diagnosis} is indistinguishable from the reference on the probes"
        for other, other_result in wrong.items():
            if other != diagnosis:
                assert not same(result, other_result), f"{diagnosis} and {other} look the same on the probes"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_solution_agrees_with_reference_on_the_probes(exercise):
    solution = getattr(load_solution(exercise.topic), exercise.function)
    reference = getattr(importlib.import_module(f"reference.{exercise.topic}"), exercise.function)
    for p in probes(exercise.topic)[exercise.id]:
        ours = _outcome(lambda: run_probe(p, exercise.topic, exercise.function, solution))
        theirs = _outcome(lambda: run_probe(p, exercise.topic, exercise.function, reference))
        assert ours[0] == theirs[0] and (similar(ours[1], theirs[1]) if ours[0] == "value" else ours == theirs), p
