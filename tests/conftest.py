"""Shared fixtures: the project's folders and a grading helper that returns the results JSON."""

from pathlib import Path

import pytest

from graders import topics as hidden
from graders.engine import grade
from tensorkata import catalog
from tensorkata.build.stubs import BEGIN, END
from tensorkata.formats import gradescope

ROOT = Path(__file__).resolve().parents[1]
TOPICS = tuple(t for t in catalog.topic_names() if t in hidden.names())  # every topic with a hidden suite


def grade_json(path, topics=None, seed=0, lang="en", exercises=None) -> dict:
    """Grade ``path`` in this process and return the Gradescope JSON as a dict."""
    result = grade(path, topics=list(topics) if topics else None, seed=seed, exercises=exercises)
    return gradescope.to_dict(result, lang)


def full_marks() -> dict[str, float]:
    """Every exercise's points: what a correct submission scores (test_grading proves the solutions do)."""
    return {e.id: float(e.points) for topic in TOPICS for e in catalog.topic(topic).exercises}


def solution_lines(topic: str) -> set[str]:
    """The lines inside solution regions that appear nowhere in the stub (the solution's own code)."""
    source = (ROOT / "solutions" / f"{topic}.py").read_text().splitlines()
    stub = {line.strip() for line in (ROOT / "exercises" / f"{topic}.py").read_text().splitlines()}
    own, inside = set(), False
    for line in source:
        if line.strip() in (BEGIN, END):
            inside = line.strip() == BEGIN
        elif inside and line.strip() and line.strip() not in stub:
            own.add(line.strip())
    return own


def exercise_scores(results: dict) -> dict[str, float]:
    return {k: v["score"] for k, v in results["extra_data"]["exercises"].items()}


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def solution_results() -> dict:
    """The solutions graded once per test session (they are the slowest thing to grade)."""
    return grade_json(ROOT / "solutions")


def pytest_collection_modifyitems(items):
    """The longest tests first, then the other slow ones, so that quick ones fill the end and no
    worker idles on a long tail."""
    items.sort(key=lambda item: (item.get_closest_marker("long") is None, item.get_closest_marker("slow") is None))
