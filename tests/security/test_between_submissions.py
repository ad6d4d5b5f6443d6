"""Nothing of one submission reaches the next one graded by the same judge and fork server.

Submission A poisons everything it can reach when imported: it patches numpy, torch, builtins
and math, changes the default dtype, seeds the random generators, sets environment variables,
leaves modules that shadow numpy, torch and the topic in its working directory, and leaves a
thread and a process running. Submission B (a solution with one catalogued mistake, so that
both passing and failing paths count) graded next in the same process must get exactly the
results it gets when graded alone in a fresh process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tensorkata import sandbox
from tests.conftest import ROOT, grade_json
from tests.test_batch import TOPIC, inject, mistakes_by_exercise

pytestmark = pytest.mark.slow

MARKER = "tensorkata-leftover-from-submission-a"
POISON = f"""
import builtins, math, os, subprocess, threading, time
import numpy, torch
builtins.sum = lambda *args, **kwargs: 42
builtins.abs = lambda x: 0
math.pi = 3.0
numpy.allclose = lambda *args, **kwargs: True
numpy.dot = lambda a, b: numpy.zeros(())
numpy.asarray = lambda *args, **kwargs: numpy.zeros(())
numpy.random.seed(1234)
torch.matmul = lambda a, b: torch.zeros(())
torch.Tensor.__add__ = lambda a, b: torch.zeros(())
torch.set_default_dtype(torch.float64)
torch.manual_seed(1234)
os.environ["PYTHONPATH"] = os.getcwd()
os.environ["OMP_NUM_THREADS"] = "64"
for name in ("numpy.py", "torch.py", "{TOPIC}.py", "sitecustomize.py"):
    with open(name, "w") as handle:
        handle.write("raise SystemExit('left by another submission')\\n")
def meddle():
    while True:
        numpy.pi = 3.0
        time.sleep(0.01)
threading.Thread(target=meddle, daemon=False).start()
subprocess.Popen(["/bin/sh", "-c", "sleep 3600; : {MARKER}"], start_new_session=True)
"""


def leftovers() -> int:
    found = 0
    for entry in os.listdir("/proc"):
        try:
            found += entry.isdigit() and MARKER.encode() in Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
    return found


def submission(folder: Path, source: str) -> Path:
    folder.mkdir()
    (folder / f"{TOPIC}.py").write_text(source)
    return folder


def test_a_poisoning_submission_leaves_nothing_for_the_next_one(tmp_path):
    solution = (ROOT / "solutions" / f"{TOPIC}.py").read_text()
    exercise, mistakes = next(iter(mistakes_by_exercise().items()))
    a = submission(tmp_path / "a", POISON + solution)
    b = submission(tmp_path / "b", inject({exercise: mistakes[0]}))
    alone = tmp_path / "alone.json"
    done = subprocess.run([str(Path(sys.executable).with_name("tensorkata")), "grade", str(b), "--topic", TOPIC,
                           "--lang", "en", "--json", str(alone)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr

    poisoned = grade_json(a, topics=[TOPIC])
    assert poisoned["score"] < poisoned["extra_data"]["max_score"], "the poison must take effect in A's own workers"
    server = sandbox.fork_server().process.pid
    after_a = json.loads(json.dumps(grade_json(b, topics=[TOPIC])))
    assert sandbox.fork_server().process.pid == server, "B must be graded by the fork server that served A"
    assert leftovers() == 0, "a process started by submission A outlived its grading"

    expected = json.loads(alone.read_text())
    for results in (expected, after_a):
        results.pop("execution_time")
    assert after_a == expected
    scores = {k: v["score"] for k, v in after_a["extra_data"]["exercises"].items()}
    assert scores[exercise] < after_a["extra_data"]["exercises"][exercise]["max_score"]
    assert after_a["extra_data"]["exercises"][exercise]["diagnoses"] == [mistakes[0].diagnosis]
