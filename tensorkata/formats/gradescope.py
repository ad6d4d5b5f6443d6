"""Gradescope's ``results.json`` (the schema of interfaces.md), so the file uploads as it is."""

import json

from tensorkata.results import ExerciseResult, GradingResult
from tensorkata.formats.feedback import exercise_feedback, status_label, test_lines


def test_entries(result: ExerciseResult, lang: str) -> list[dict]:
    topic = result.id.split(".")[0]
    base = {"tags": [topic, result.id], "extra_data": {"exercise": result.id, "diagnoses": result.diagnoses}}
    if not result.tests or result.status == "banned-call":
        text = "\n".join(exercise_feedback(result, lang))
        name = f"{result.id}: {status_label(result.status, lang)}"
        return [{"name": name, "score": 0.0, "max_score": result.max_score, "status": "failed", "output": text, **base}]
    total = sum(t.weight for t in result.tests)
    feedback = "\n".join(exercise_feedback(result, lang)[-2:])
    entries = []
    for test in result.tests:
        share = round(result.max_score * test.weight / total, 4)
        passed = test.status == "passed"
        output = "" if passed else "\n".join(test_lines(test, lang) + ([feedback] if feedback else []))
        entries.append({
            "name": f"{result.id}: {test.name}", "score": share if passed else 0.0, "max_score": share,
            "status": "passed" if passed else "failed", "output": output, **base,
        })
    return entries


def to_dict(result: GradingResult, lang: str) -> dict:
    exercises = result.exercises()
    return {
        "score": result.score,
        "execution_time": result.execution_time,
        "tests": [entry for e in exercises for entry in test_entries(e, lang)],
        "extra_data": {
            "max_score": result.max_score,
            "seed": result.seed,
            "exercises": {
                e.id: {"score": e.score, "max_score": e.max_score, "status": e.status, "diagnoses": e.diagnoses}
                for e in exercises
            },
        },
    }


def write(result: GradingResult, path, lang: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(to_dict(result, lang), handle, ensure_ascii=False, indent=2)
        handle.write("\n")
