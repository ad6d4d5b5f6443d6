"""Every catalogued mistake, dropped into a correct submission, costs exactly its exercise and is named.

To keep this affordable, each grading round injects one mistake into each of several exercises
at once (round ``r`` takes every exercise's ``r``-th mistake) and grades those exercises. The
injection keeps every other function calling the correct originals, so exercises stay
independent: each mistaken exercise must lose points and be diagnosed with its id, and every
other definition of the module must be exactly the solution's (so its grade is the solution's).
"""

import ast
from collections import defaultdict

import pytest

from graders.mistakes import catalogue
from tests.conftest import ROOT, TOPICS, exercise_scores, full_marks, grade_json
from tests.injection import Rename, replace_functions

pytestmark = pytest.mark.slow


def untouched(source: str, replaced: set[str]) -> dict[str, str]:
    """Every top-level definition except the replaced ones (and their renamed originals), as text."""
    tree = ast.parse(source)
    keep = {}
    for node in tree.body:
        name = getattr(node, "name", None)
        if name and name not in replaced and name.removeprefix("_correct_") not in replaced:
            keep[name] = ast.dump(Rename({f"_correct_{r}": r for r in replaced}).visit(node))
    return keep


def rounds() -> list[tuple[str, int, dict]]:
    """``(topic, round, {exercise id: mistake})`` for every round of every topic."""
    by_exercise = defaultdict(list)
    for mistake in catalogue():
        by_exercise[mistake.exercise].append(mistake)
    result = []
    for topic in TOPICS:
        mine = {e: m for e, m in by_exercise.items() if e.startswith(f"{topic}.")}
        for index in range(max(map(len, mine.values()), default=0)):
            result.append((topic, index, {e: m[index] for e, m in mine.items() if index < len(m)}))
    return result


@pytest.mark.parametrize("topic, index, mistakes", rounds(), ids=lambda v: str(v) if not isinstance(v, dict) else "")
def test_mistakes_lose_points_on_exactly_their_exercise(tmp_path, topic, index, mistakes):
    source = (ROOT / "solutions" / f"{topic}.py").read_text()
    replacements = {exercise.split(".", 1)[1]: m.function for exercise, m in mistakes.items()}
    injected = replace_functions(source, replacements)
    (tmp_path / f"{topic}.py").write_text(injected)
    assert untouched(injected, set(replacements)) == untouched(source, set(replacements))
    results = grade_json(tmp_path, topics=[topic], exercises=set(mistakes))
    scores, full = exercise_scores(results), full_marks()
    assert set(scores) == set(mistakes)
    problems = []
    for exercise, score in scores.items():
        mistake = mistakes[exercise]
        if score >= full[exercise]:
            problems.append(f"{exercise}: mistake {mistake.diagnosis} earned full marks")
        diagnoses = results["extra_data"]["exercises"][exercise]["diagnoses"]
        if mistake.diagnosis not in diagnoses:
            problems.append(f"{exercise}: mistake {mistake.diagnosis} not diagnosed (got {diagnoses})")
    assert not problems, "\n".join(problems)
