"""The public catalogue: per topic, its exercises with points, hints and diagnosis texts.

Read from ``<topic>.toml`` beside this file, so that the student bundle can show hints and
diagnoses from data alone, without any solution, reference or mistake code.
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tensorkata.i18n import Text

CURRICULUM_ORDER = ("derivatives", "transposes", "norms", "cross_entropy", "backprop", "attention", "gpu_batching")
HERE = Path(__file__).parent


@dataclass(frozen=True)
class Exercise:
    id: str
    points: int
    summary: Text
    hints: tuple[Text, ...]
    diagnoses: dict[str, Text] = field(default_factory=dict)
    banned: tuple[str, ...] = ()

    @property
    def topic(self) -> str:
        return self.id.split(".")[0]

    @property
    def function(self) -> str:
        return self.id.split(".", 1)[1]


@dataclass(frozen=True)
class Topic:
    name: str
    title: Text
    exercises: tuple[Exercise, ...]

    @property
    def points(self) -> int:
        return sum(e.points for e in self.exercises)


def _exercise(table: dict) -> Exercise:
    hints = tuple(Text(en, ja) for en, ja in zip(table["hints"]["en"], table["hints"]["ja"], strict=True))
    diagnoses = {m["id"]: Text.from_table(m) for m in table.get("mistakes", [])}
    return Exercise(
        id=table["id"], points=int(table["points"]), summary=Text.from_table(table["summary"]),
        hints=hints, diagnoses=diagnoses, banned=tuple(table.get("banned", ())),
    )


@cache
def topic(name: str) -> Topic:
    with open(HERE / f"{name}.toml", "rb") as handle:
        data = tomllib.load(handle)
    return Topic(name, Text.from_table(data["title"]), tuple(_exercise(t) for t in data["exercises"]))


def topic_names() -> list[str]:
    """Every catalogued topic, in curriculum order (unknown names last, alphabetically)."""
    found = {p.stem for p in HERE.glob("*.toml")}
    order = {name: i for i, name in enumerate(CURRICULUM_ORDER)}
    return sorted(found, key=lambda name: (order.get(name, len(order)), name))


def exercise(exercise_id: str) -> Exercise:
    topic_name = exercise_id.split(".")[0]
    if topic_name not in topic_names():
        raise KeyError(exercise_id)
    for candidate in topic(topic_name).exercises:
        if candidate.id == exercise_id:
            return candidate
    raise KeyError(exercise_id)
