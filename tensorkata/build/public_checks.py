"""``graders/topics/<topic>/public.py`` -> ``tensorkata/checks/data/<topic>.json``: public checks as data.

Instructor side (trusted): each public case is run here on the oracle (``reference/<topic>.py``)
and on every catalogued mistake of its exercise, and stored with its encoded inputs. Students
then check their work from this data alone: no solution, oracle, grader or mistake code ships.
The output is deterministic (sorted keys, floats and arrays in the codec's exact encoding), so a
test can tell when the committed data is stale.
"""

import importlib
import json
import sys
from pathlib import Path

from graders import topics as hidden
from graders.diagnose import _outcome, run_probe
from graders.mistakes import catalogue
from tensorkata.worker import codec

DATA = Path(__file__).resolve().parents[1] / "checks" / "data"


def _encoded_outcome(outcome: tuple) -> dict:
    kind, payload = outcome
    return {"value": codec.encode(payload)} if kind == "value" else {kind: payload}


def _case(topic: str, function: str, probe, implementations: dict) -> dict:
    def outcome(implementation):
        return _encoded_outcome(_outcome(lambda: run_probe(probe, topic, function, implementation)))

    return {
        "scenario": probe.scenario,
        "args": codec.encode(list(probe.args)),
        "kwargs": codec.encode(dict(probe.kwargs)),
        "expected": outcome(implementations["reference"]),
        "mistakes": {diagnosis: outcome(wrong) for diagnosis, wrong in implementations["mistakes"].items()},
    }


def topic_data(topic: str, cases: dict) -> dict:
    """The public data of ``topic`` from its ``CASES`` (exercise id -> probes, smallest first)."""
    reference = importlib.import_module(f"reference.{topic}")
    mistakes = catalogue()
    exercises = {}
    for exercise_id, probes in cases.items():
        function = exercise_id.split(".", 1)[1]
        implementations = {
            "reference": getattr(reference, function),
            "mistakes": {m.diagnosis: m.function for m in mistakes if m.exercise == exercise_id},
        }
        exercises[exercise_id] = [_case(topic, function, p, implementations) for p in probes]
    return {"topic": topic, "exercises": exercises}


def dumps(data: dict) -> str:
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def public_cases() -> dict[str, dict]:
    """Every topic's ``CASES``, for the topics that have a ``public.py``."""
    hidden.import_all("public")
    found = {}
    for topic in hidden.names():
        module = sys.modules.get(f"{hidden.__name__}.{topic}.public")
        if module is not None:
            found[topic] = module.CASES
    return found


def build(out: Path = DATA) -> list[Path]:
    """Write ``<topic>.json`` for every topic with public cases; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for topic, cases in public_cases().items():
        target = out / f"{topic}.json"
        target.write_text(dumps(topic_data(topic, cases)), encoding="utf-8")
        written.append(target)
    return written
