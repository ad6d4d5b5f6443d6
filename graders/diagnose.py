"""Naming the mistake: compare a failing submission with every catalogued mistake on probes.

The submission runs on the exercise's probe inputs in the worker; each catalogued mistake runs
on the same inputs here, in the judge (it is our own code). A mistake is diagnosed when the
submission reproduces its outputs on every probe (values within tolerance, or the same
exception type).
"""

import copy
import importlib
import warnings
from types import SimpleNamespace

import numpy as np

from graders.mistakes import catalogue
from tensorkata.compare import similar
from tensorkata.stages import StageFailure


def probes(topic: str) -> dict:
    return importlib.import_module(f"graders.topics.{topic}.mistakes").PROBES


def _outcome(call):
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return ("value", call())
    except StageFailure as failure:
        if failure.stage == "raised":
            return ("raised", failure.raised["type"])
        return ("failed", failure.stage)
    except Exception as error:  # a mistake implementation raising is part of its behaviour
        return ("raised", type(error).__name__)


def run_probe(probe, topic: str, function: str, implementation):
    """``implementation`` (a mistake, the oracle) on one probe, here in the judge."""
    args, kwargs = copy.deepcopy(probe.args), copy.deepcopy(probe.kwargs)
    if probe.scenario is None:
        return implementation(*args, **kwargs)
    scenarios = importlib.import_module(f"tensorkata.worker.scenarios.{topic}")
    return getattr(scenarios, probe.scenario)(SimpleNamespace(**{function: implementation}), *args)


def _student_probe(student, probe, function: str):
    if probe.scenario is None:
        return student.call(function, *probe.args, **probe.kwargs)
    return student.scenario(probe.scenario, *probe.args)


def diagnose(student, exercise_id: str) -> list[str]:
    """The diagnosis ids of every catalogued mistake the submission reproduces."""
    topic, function = exercise_id.split(".", 1)
    inputs = probes(topic).get(exercise_id, [])
    if not inputs:
        return []
    got = [_outcome(lambda p=p: _student_probe(student, p, function)) for p in inputs]
    if all(kind == "failed" for kind, _ in got):
        return []
    found = []
    for mistake in (m for m in catalogue() if m.exercise == exercise_id):
        wrong = [_outcome(lambda p=p: run_probe(p, topic, function, mistake.function)) for p in inputs]
        if all(g[0] == w[0] and (similar(g[1], w[1]) if g[0] == "value" else g[1] == w[1])
               for g, w in zip(got, wrong)):
            found.append(mistake.diagnosis)
    return found
