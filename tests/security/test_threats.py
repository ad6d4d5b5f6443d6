"""The threat model: hostile submissions never earn points, stop the grader or escape the sandbox.

Each case replaces one derivatives function with hostile code (or adds hostile code at module
level) in an otherwise correct submission. For every case: grading completes in bounded time,
the affected exercise gets no unearned points, every other exercise is graded normally, nothing
is written outside the worker's own directory, and the report says what happened.
"""

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, exercise_scores, full_marks, grade_json

pytestmark = pytest.mark.slow

TARGET = "grad_quadratic_form"  # the exercise under attack (no other function calls it)


def body(code: str) -> str:
    return f"def {TARGET}(A, x):\n" + "".join(f"    {line}\n" for line in code.strip().splitlines())


CASES = {
    # patching the comparison machinery, at import and inside the function
    "patch-at-import": ("import numpy, numpy.testing, torch, torch.testing, math\n"
                        "numpy.allclose = lambda *a, **k: True\nnumpy.isclose = lambda *a, **k: True\n"
                        "numpy.testing.assert_allclose = lambda *a, **k: None\ntorch.allclose = lambda *a, **k: True\n"
                        "torch.testing.assert_close = lambda *a, **k: None\nmath.isclose = lambda *a, **k: True\n",
                        body("return 0.0")),
    "patch-in-function": ("", body("import numpy, builtins\nnumpy.isclose = lambda *a, **k: True\n"
                                   "builtins.isinstance = lambda *a: True\nbuiltins.abs = lambda x: 0\nreturn 0.0")),
    # objects that lie
    "eq-always-true": ("", body("class Liar(float):\n    def __eq__(self, other): return True\n"
                               "    def __ne__(self, other): return False\nreturn Liar(0.0)")),
    "fake-array": ("", body("class Fake:\n    def __array__(self, *a, **k):\n        import numpy\n"
                           "        return numpy.asarray(x) * 2\n    def __float__(self): return 1.0\nreturn Fake()")),
    "ndarray-subclass": ("", body("import numpy\nclass Sneaky(numpy.ndarray):\n"
                                 "    def __eq__(self, other): return numpy.ones(1, bool)\n"
                                 "return numpy.zeros(()).view(Sneaky)")),
    "tensor-subclass": ("", body("import torch\nclass T(torch.Tensor):\n    @classmethod\n"
                                "    def __torch_function__(cls, *a, **k): return True\nreturn T(torch.zeros(()))")),
    "pickle-bomb": ("", body("import os\nclass Bomb:\n    def __reduce__(self): return (os.system, ('touch /tmp/pwned',))\n"
                            "return Bomb()")),
    # leaving
    "sys-exit": ("", body("import sys\nsys.exit(0)")),
    "os-exit": ("", body("import os\nos._exit(0)")),
    "keyboard-interrupt": ("", body("raise KeyboardInterrupt")),
    "base-exception": ("", body("class Escape(BaseException): pass\nraise Escape()")),
    "segfault": ("", body("import ctypes\nctypes.string_at(0)")),
    "deep-recursion": ("", body("import sys\nsys.setrecursionlimit(10**6)\ndef r(n): return r(n + 1)\nreturn r(0)")),
    # hanging and exhaustion
    "infinite-loop": ("", body("while True:\n    pass")),
    "long-sleep": ("", body("import time\ntime.sleep(3600)")),
    "ignore-signals": ("", body("import signal\nfor s in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):\n"
                               "    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass")),
    "many-gigabytes": ("", body("import numpy\nblocks = [numpy.ones(10**9) for _ in range(64)]\nreturn 0.0")),
    "spawn-processes": ("", body("import subprocess\nsubprocess.Popen(['sleep', '1234.5'], start_new_session=True)\n"
                                "return 0.0")),
    "spawn-threads": ("", body("import threading\nthreading.Thread(target=lambda: [0 for _ in iter(int, 1)]).start()\n"
                              "return 0.0")),
    "print-flood": ("", body("chunk = 'x' * 10**6\nfor _ in range(500):\n    print(chunk)\nreturn 0.0")),
    # forging and copying
    "forge-results": ("", body("import json, os\nfor path in ('results.json', '/autograder/results/results.json'):\n"
                              "    try:\n        os.makedirs(os.path.dirname(path) or '.', exist_ok=True)\n"
                              "        open(path, 'w').write(json.dumps({'score': 100}))\n    except OSError:\n"
                              "        pass\nreturn 0.0")),
    "read-hidden-tests": ("", body(f"text = open({str(ROOT / 'graders/topics/derivatives/hidden_tests.py')!r}).read()\n"
                                  "return float(len(text))")),
    "import-reference": ("", body("from reference.derivatives import grad_quadratic_form as answer\nreturn answer(A, x)")),
    "import-solutions": ("", body("import importlib.util\n"
                                 f"spec = importlib.util.spec_from_file_location('s', {str(ROOT / 'solutions/derivatives.py')!r})\n"
                                 "module = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(module)\n"
                                 "return module.grad_quadratic_form(A, x)")),
    "import-graders": ("", body("import graders.engine\nreturn 0.0")),
}


def forged() -> set[str]:
    """Files a submission could write to fool a grader: results files here, in the project, at Gradescope's place."""
    places = [Path.cwd() / "results.json", ROOT / "results.json", Path("/autograder"), Path("/tmp/pwned")]
    return {str(p) for p in places if p.exists()}


def sleepers() -> int:
    done = subprocess.run(["pgrep", "-f", "sleep 1234.5"], capture_output=True, text=True)
    return len(done.stdout.split())


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_function_earns_nothing_and_harms_nothing(tmp_path, case):
    prefix, hostile = CASES[case]
    source = prefix + (ROOT / "solutions/derivatives.py").read_text() + "\n\n" + hostile
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "derivatives.py").write_text(source)
    before = forged()
    started = time.monotonic()
    results = grade_json(folder, topics=["derivatives"])
    assert time.monotonic() - started < 150
    scores, full = exercise_scores(results), full_marks()
    assert scores.pop(f"derivatives.{TARGET}") == 0, "a hostile function earned points"
    assert scores == {k: full[k] for k in scores}, "other exercises were affected"
    failed = [t for t in results["tests"] if TARGET in t["name"] and t["status"] == "failed"]
    assert failed and all(t["output"].strip() for t in failed), "the report must say what happened"
    assert forged() == before, "something was written outside the worker's directory"
    assert sleepers() == 0, "a process started by the submission outlived grading"


def test_the_worker_runs_unprivileged_and_cannot_see_the_hidden_parts(tmp_path):
    source = (ROOT / "solutions/derivatives.py").read_text() + "\n\ndef where():\n" + (
        "    import os\n    return os.getuid(), os.listdir(" + repr(str(ROOT / "graders")) + "), os.getcwd()\n")
    (tmp_path / "derivatives.py").write_text(source)
    from tensorkata.student import StudentModule

    module = StudentModule("derivatives", str(tmp_path))
    try:
        uid, listing, cwd = module.where()
    finally:
        module.close()
    if os.getuid() == 0:
        assert uid != 0 and listing == []
    assert cwd != os.getcwd()


def test_a_fork_bomb_is_contained(tmp_path):
    hostile = body("import os\nfor _ in range(100000):\n    try:\n        if os.fork() == 0:\n"
                   "            import time\n            time.sleep(1000)\n    except OSError:\n        break\nreturn 0.0")
    (tmp_path / "derivatives.py").write_text((ROOT / "solutions/derivatives.py").read_text() + "\n\n" + hostile)
    results = grade_json(tmp_path, topics=["derivatives"])
    scores, full = exercise_scores(results), full_marks()
    assert scores.pop(f"derivatives.{TARGET}") == 0
    assert scores == {k: full[k] for k in scores}
