"""The public cases of a topic, read from ``data/<topic>.json`` (written by ``tensorkata build``)."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tensorkata.worker import codec

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Outcome:
    """What one call did: returned ``value``, raised the exception named ``value``, or ``failed``
    (the worker could not finish it; ``value`` is the stage)."""

    kind: str
    value: Any
    message: object = ""  # the exception's message, or the stage's (a Msg)
    mro: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: dict) -> "Outcome":
        (kind, payload), = data.items()
        return cls(kind, codec.decode(payload) if kind == "value" else payload)


@dataclass(frozen=True)
class Case:
    """One public input of an exercise, its expected outcome and each catalogued mistake's."""

    function: str
    scenario: str | None
    args: tuple
    kwargs: dict
    expected: Outcome
    mistakes: dict[str, Outcome] = field(default_factory=dict)


def _case(function: str, data: dict) -> Case:
    return Case(
        function=function, scenario=data["scenario"],
        args=tuple(codec.decode(data["args"])), kwargs=codec.decode(data["kwargs"]),
        expected=Outcome.from_data(data["expected"]),
        mistakes={d: Outcome.from_data(o) for d, o in sorted(data["mistakes"].items())},
    )


def topics() -> list[str]:
    """The topics that have public checks."""
    return sorted(p.stem for p in DATA.glob("*.json"))


@cache
def cases(topic: str) -> dict[str, tuple[Case, ...]]:
    """Exercise id -> its public cases, smallest first."""
    with open(DATA / f"{topic}.json", encoding="utf-8") as handle:
        exercises = json.load(handle)["exercises"]
    return {e: tuple(_case(e.split(".", 1)[1], c) for c in data) for e, data in exercises.items()}
