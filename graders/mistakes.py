"""The mistake catalogue: realistic wrong implementations, and the probes that tell them apart.

A topic's ``graders/topics/<topic>/mistakes.py`` declares each wrong implementation with
``@mistake(exercise_id, diagnosis_id)``, named exactly like the exercise function (or class),
and a ``PROBES`` dict of inputs per exercise: ``probe(*args)`` calls the function,
``scenario_probe(name, *args)`` runs a worker-side scenario on a class. When a submission fails an exercise, the judge runs it on
the probes and names the catalogued mistake whose outputs it reproduces.

A mistake's body may use only ``np``, ``math``, ``torch`` and the topic's own exercise functions,
because the project's tests also inject its source into an otherwise correct submission.
"""

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Mistake:
    exercise: str
    diagnosis: str
    function: Callable


@dataclass(frozen=True)
class Probe:
    args: tuple
    kwargs: dict = field(default_factory=dict)
    scenario: str | None = None  # run tensorkata.worker.scenarios.<topic>.<scenario> instead of a call

    def __repr__(self):
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.scenario or ''}({', '.join(parts)})"


_CATALOGUE: list[Mistake] = []


def mistake(exercise: str, diagnosis: str):
    """Register the decorated function as the catalogued mistake ``diagnosis`` of ``exercise``."""

    def register(function):
        _CATALOGUE.append(Mistake(exercise, diagnosis, function))
        return function

    return register


def probe(*args: Any, **kwargs: Any) -> Probe:
    """One input on which the submission and every mistake of an exercise are compared."""
    return Probe(args, kwargs)


def scenario_probe(name: str, *args: Any) -> Probe:
    """A probe for an object that lives in the worker (a class): the scenario ``name`` on ``args``."""
    return Probe(args, scenario=name)


def catalogue() -> list[Mistake]:
    """Every registered mistake, after importing every topic's mistake module."""
    from graders import topics

    topics.import_all("mistakes")
    return list(_CATALOGUE)
