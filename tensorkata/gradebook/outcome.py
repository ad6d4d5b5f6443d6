"""What the gradebook records for one submission: built from a results JSON, or from an error."""

from dataclasses import dataclass

from tensorkata import catalog


@dataclass
class Outcome:
    status: str  # "graded" | "error"
    score: float
    max_score: float
    exercises: list[dict]  # {"id", "score", "max_score", "status", "diagnoses"}
    results: dict  # Gradescope results.json
    error: str | None = None
    seconds: float = 0.0


def from_results(results: dict, seconds: float) -> Outcome:
    """A graded submission: the scores are those of its Gradescope results JSON."""
    exercises = [{"id": key, **{k: value[k] for k in ("score", "max_score", "status", "diagnoses")}}
                 for key, value in results["extra_data"]["exercises"].items()]
    return Outcome("graded", float(results["score"]), float(results["extra_data"]["max_score"]), exercises,
                   results, seconds=seconds)


def from_error(error: str, topics: list[str], seed: int, exercise_status: str, seconds: float = 0.0) -> Outcome:
    """A submission that could not be graded: every exercise of the graded topics scores 0."""
    exercises = [
        {"id": e.id, "score": 0.0, "max_score": float(e.points), "status": exercise_status, "diagnoses": []}
        for name in topics for e in catalog.topic(name).exercises
    ]
    max_score = float(sum(e["max_score"] for e in exercises))
    results = {
        "score": 0.0, "execution_time": round(seconds, 3), "output": error, "tests": [],
        "extra_data": {
            "max_score": max_score, "seed": seed, "error": error,
            "exercises": {e["id"]: {k: e[k] for k in ("score", "max_score", "status", "diagnoses")} for e in exercises},
        },
    }
    return Outcome("error", 0.0, max_score, exercises, results, error=error, seconds=seconds)
