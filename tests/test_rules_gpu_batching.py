"""The batching rules of gpu_batching are enforced by instrumentation, not by values.

Each case injects into the correct solution one implementation whose *values* are right but which
breaks a rule of the contract: a Python loop over the batch (counted torch operations grow with
the batch), an ``(N, M, d)`` broadcast (the largest intermediate is measured), ``torch.arange``
without ``device=`` (the function fails on ``meta`` tensors), and a ``chunked_apply`` that hands
``fn`` every row at once (the named test function refuses more than ``chunk_size`` rows). Each
must cost its own exercise, with the engine's diagnosis where there is one, and no other
exercise; the correct alternative formulation must keep full marks.
"""

import pytest
import torch

from tensorkata import catalog
from tests.conftest import ROOT, exercise_scores, grade_json
from tests.injection import replace_functions

pytestmark = pytest.mark.slow

TOPIC = "gpu_batching"
FULL = {e.id: float(e.points) for e in catalog.topic(TOPIC).exercises}


# Right values, wrong way: each is injected on its own into solutions/gpu_batching.py.


def rowwise_dot(x, y):
    return torch.stack([(x[i] * y[i]).sum() for i in range(x.shape[0])])  # one sum per row


def pairwise_sq_dists(x, y):
    differences = x[:, None, :] - y[None, :, :]  # (N, M, d)
    return (differences * differences).sum(dim=-1)


def length_mask(lengths, max_len=None):
    if max_len is None:
        max_len = int(lengths.max())
    return torch.arange(max_len) < lengths[:, None]  # positions on the CPU, whatever lengths' device


def chunked_apply(fn, x, chunk_size):
    if chunk_size < 1:
        raise ValueError(f"chunked_apply: chunk_size must be at least 1, got {chunk_size}")
    return fn(x)  # the same values, but fn sees every row at once


def _grade_with(tmp_path, replacement) -> dict:
    source = (ROOT / "solutions" / f"{TOPIC}.py").read_text()
    (tmp_path / f"{TOPIC}.py").write_text(replace_functions(source, {replacement.__name__: replacement}))
    return grade_json(tmp_path, topics=[TOPIC])


@pytest.mark.parametrize("replacement, diagnosis", [
    (rowwise_dot, "loop-over-batch"),
    (pairwise_sq_dists, "large-intermediate"),
    (length_mask, "hard-coded-device"),
    (chunked_apply, None),
], ids=lambda v: getattr(v, "__name__", v))
def test_a_broken_rule_costs_exactly_its_exercise(tmp_path, replacement, diagnosis):
    results = _grade_with(tmp_path, replacement)
    exercise = f"{TOPIC}.{replacement.__name__}"
    scores = exercise_scores(results)
    assert scores.pop(exercise) < FULL[exercise], f"{exercise} kept full marks"
    assert scores == {e: FULL[e] for e in scores}, f"other exercises lost points: {scores}"
    if diagnosis is not None:
        assert diagnosis in results["extra_data"]["exercises"][exercise]["diagnoses"]


def test_the_values_of_the_rule_breakers_are_right():
    """The injected implementations differ from the oracle only in how they compute."""
    import reference.gpu_batching as ref
    from tensorkata.worker.functions import F

    x, y = torch.randn(5, 3, dtype=torch.float64), torch.randn(4, 3, dtype=torch.float64)
    assert torch.allclose(rowwise_dot(x, x + 1), ref.rowwise_dot(x, x + 1))
    assert torch.allclose(pairwise_sq_dists(x, y), ref.pairwise_sq_dists(x, y))
    lengths = torch.tensor([2, 0, 3])
    assert torch.equal(length_mask(lengths), ref.length_mask(lengths))
    assert torch.allclose(chunked_apply(F("rows_softmax"), x, 2), ref.chunked_apply(F("rows_softmax"), x, 2))


def test_the_correct_alternative_scores_full_marks(tmp_path):
    (tmp_path / f"{TOPIC}.py").write_text((ROOT / "tests" / "alternatives" / f"{TOPIC}.py").read_text())
    assert exercise_scores(grade_json(tmp_path, topics=[TOPIC])) == FULL
