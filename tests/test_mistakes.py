"""Every catalogued mistake, dropped into a correct submission, costs exactly its exercise and is named.

To keep this affordable, each grading round injects one mistake into each of several exercises
at once (round ``r`` takes every exercise's ``r``-th mistake). The injection keeps every other
function calling the correct originals, so exercises stay independent: each mistaken exercise
must lose points and be diagnosed with its id, and every exercise without a mistake in the
round must keep full marks.
"""

from collections import defaultdict

import pytest

from graders.mistakes import catalogue
from tests.conftest import ROOT, TOPICS, exercise_scores, full_marks, grade_json
from tests.injection import replace_functions

pytestmark = pytest.mark.slow


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
    (tmp_path / f"{topic}.py").write_text(replace_functions(source, replacements))
    results = grade_json(tmp_path, topics=[topic])
    scores, full = exercise_scores(results), full_marks()
    problems = []
    for exercise, score in scores.items():
        mistake = mistakes.get(exercise)
        if mistake is None:
            if score != full[exercise]:
                problems.append(f"{exercise}: lost points with no mistake in it ({score}/{full[exercise]})")
            continue
        if score >= full[exercise]:
            problems.append(f"{exercise}: mistake {mistake.diagnosis} earned full marks")
        diagnoses = results["extra_data"]["exercises"][exercise]["diagnoses"]
        if mistake.diagnosis not in diagnoses:
            problems.append(f"{exercise}: mistake {mistake.diagnosis} not diagnosed (got {diagnoses})")
    assert not problems, "\n".join(problems)
