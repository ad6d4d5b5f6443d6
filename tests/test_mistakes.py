"""Every catalogued mistake, dropped into a correct submission, costs exactly its exercise and is named."""

import pytest

from graders.mistakes import catalogue
from tests.conftest import ROOT, exercise_scores, grade_json
from tests.injection import replace_function

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("mistake", catalogue(), ids=lambda m: f"{m.exercise}:{m.diagnosis}")
def test_a_mistake_loses_points_on_exactly_its_exercise(tmp_path, mistake, solution_results):
    topic, function = mistake.exercise.split(".", 1)
    source = (ROOT / "solutions" / f"{topic}.py").read_text()
    (tmp_path / f"{topic}.py").write_text(replace_function(source, function, mistake.function))
    results = grade_json(tmp_path, topics=[topic])
    scores, full = exercise_scores(results), exercise_scores(solution_results)
    assert scores[mistake.exercise] < full[mistake.exercise], "the mistake earned full marks"
    assert mistake.diagnosis in results["extra_data"]["exercises"][mistake.exercise]["diagnoses"]
    others = {k: v for k, v in scores.items() if k != mistake.exercise}
    assert others == {k: full[k] for k in others}, "the mistake cost points elsewhere"
