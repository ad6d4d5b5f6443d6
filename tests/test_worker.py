"""The worker boundary: calls run in another process, and hangs or crashes cost only that call."""

import os
import tempfile
import time

import numpy as np
import pytest
import torch

from tensorkata.sandbox import Limits
from tensorkata.stages import StageFailure
from tensorkata.student import LoadFailure, StudentModule

TOY = '''
import os
import numpy as np

def add(a, b):
    return np.asarray(a, dtype=float) + b

def hang():
    while True:
        pass

def fail():
    raise ValueError("shape (2, 3) is wrong")

def todo():
    raise NotImplementedError

def die():
    os._exit(3)

def leave():
    raise SystemExit(0)

def mutate(x):
    x[0] = 99.0
    return 1.0

def whereami():
    return os.getpid(), os.getcwd()

print("output from the submission must not disturb the channel")
'''


@pytest.fixture
def toy(tmp_path):
    (tmp_path / "toy.py").write_text(TOY)
    module = StudentModule("toy", str(tmp_path), Limits(call_seconds=1.5, load_seconds=30))
    module.load()
    yield module
    module.close()


def stage_of(call) -> StageFailure:
    with pytest.raises(StageFailure) as info:
        call()
    return info.value


def test_calls_run_in_another_process_and_directory(toy, tmp_path):
    pid, cwd = toy.whereami()
    assert pid != os.getpid()
    assert cwd != str(tmp_path) and cwd != os.getcwd()
    np.testing.assert_array_equal(toy.add([1, 2], 0.5), [1.5, 2.5])


def test_a_private_tmpdir_does_not_lock_out_the_unprivileged_worker(tmp_path, monkeypatch):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    monkeypatch.setattr(tempfile, "tempdir", str(private))  # what TMPDIR=private would give
    (tmp_path / "toy.py").write_text(TOY)
    module = StudentModule("toy", str(tmp_path), Limits(call_seconds=5, load_seconds=30))
    try:
        module.load()
        np.testing.assert_array_equal(module.add([1, 2], 0.5), [1.5, 2.5])
    finally:
        module.close()


def test_a_hang_times_out_once_and_the_worker_is_replaced(toy):
    started = time.monotonic()
    assert stage_of(toy.hang).stage == "timed-out"
    assert stage_of(toy.hang).stage == "timed-out"  # remembered: no second wait
    assert time.monotonic() - started < 5
    assert toy.add(1, 1) == 2.0


def test_exceptions_are_reported_by_stage(toy):
    raised = stage_of(toy.fail)
    assert raised.stage == "raised" and raised.raised["type"] == "ValueError"
    assert "shape (2, 3)" in raised.message("en")
    assert stage_of(toy.todo).stage == "not-implemented"
    assert stage_of(toy.nothing_here).stage == "missing"


def test_exits_and_crashes_never_pass_and_the_next_call_works(toy):
    assert stage_of(toy.leave).stage == "raised"  # SystemExit is caught in the worker
    assert stage_of(toy.die).stage == "crashed"
    assert toy.add(2, 2) == 4.0


def test_arguments_after_the_call_are_echoed_for_mutation_checks(toy):
    value, (args, _) = toy.call("mutate", np.array([1.0, 2.0]), echo_args=True)
    assert value == 1.0
    np.testing.assert_array_equal(args[0], [99.0, 2.0])


def test_an_import_that_fails_is_a_load_failure(tmp_path):
    (tmp_path / "broken.py").write_text("import numpy as np\nraise RuntimeError('at import')\n")
    module = StudentModule("broken", str(tmp_path))
    with pytest.raises(LoadFailure) as info:
        module.load()
    assert info.value.reason == "raised" and "at import" in info.value.details
    module.close()


MEASURED = '''
import numpy as np
import torch

def loop_dot(x, y):
    return torch.stack([x[b] @ y[b] for b in range(x.shape[0])])

def square_dot(x, y):
    return torch.diagonal(x @ y.T)

def overflow(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
'''


def test_measured_calls_count_operations_intermediates_and_warnings(tmp_path):
    (tmp_path / "measured.py").write_text(MEASURED)
    module = StudentModule("measured", str(tmp_path))
    try:
        _, small = module.measure("loop_dot", torch.ones(4, 3), torch.ones(4, 3))
        _, large = module.measure("loop_dot", torch.ones(16, 3), torch.ones(16, 3))
        assert large["ops"] > small["ops"]
        _, square = module.measure("square_dot", torch.ones(16, 3), torch.ones(16, 3))
        assert square["largest"] == 16 * 16
        _, warned = module.measure("overflow", np.array([-1000.0, 0.0]))
        assert any("overflow" in w for w in warned["warnings"])
    finally:
        module.close()
