"""The special rules of the norms topic, proved end to end.

- Overflow safety: a naive ``np.sqrt(np.sum(x**2))`` ``l2_norm`` loses points on ``l2_norm`` only
  and is diagnosed ``l2-overflow``; and the oracle itself is relatively exact on entries from
  ``1e-300`` to ``1e300`` (checked against 60-digit decimal arithmetic), so the hidden suite's
  ``atol=0`` comparisons measure the submission, not the oracle.
- Inputs untouched: a ``clip_grad_norm`` that scales the caller's arrays in place is caught by
  the mutation check (``mutates-input``) and costs only that exercise.
- torch's eps convention: ``torch.nn.functional.cosine_similarity`` in torch 2.13 clamps each norm
  on its own, ``a.b / (max(|a|, eps) * max(|b|, eps))``, exactly the curriculum's formula.
- A correct alternative formulation scores full marks.
"""

import decimal
import importlib.util
import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import reference.norms as ref
from tests.conftest import ROOT, exercise_scores, grade_json
from tests.injection import replace_functions

pytestmark = pytest.mark.slow

TOPIC = "norms"
CONTEXT = decimal.Context(prec=60, Emax=10**6, Emin=-(10**6))


def _graded(tmp_path, source: str) -> dict:
    (tmp_path / f"{TOPIC}.py").write_text(source)
    return grade_json(tmp_path, topics=[TOPIC])


def _solution_source() -> str:
    return (ROOT / "solutions" / f"{TOPIC}.py").read_text()


def _only_exercise_lost_points(results: dict, exercise: str) -> None:
    scores = exercise_scores(results)
    full = {k: v["max_score"] for k, v in results["extra_data"]["exercises"].items()}
    assert scores[exercise] < full[exercise]
    assert {k: v for k, v in scores.items() if k != exercise} == {k: v for k, v in full.items() if k != exercise}


# Overflow safety ----------------------------------------------------------------------------


class Naive:
    """Wrong submissions, named like the exercises they replace (``replace_functions`` swaps by name)."""

    @staticmethod
    def l2_norm(x, axis=None, keepdims=False):
        x = np.asarray(x, dtype=np.float64)
        return np.sqrt(np.sum(x**2, axis=axis, keepdims=keepdims))  # 1e300**2 is inf, 1e-300**2 is 0

    @staticmethod
    def clip_grad_norm(grads, max_norm):
        total = float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads)))
        factor = min(1.0, max_norm / (total + 1e-6))
        for g in grads:
            g *= factor  # scales the caller's arrays in place
        return list(grads), total


def test_naive_l2_norm_loses_points_on_l2_norm_only_and_is_diagnosed(tmp_path):
    results = _graded(tmp_path, replace_functions(_solution_source(), {"l2_norm": Naive.l2_norm}))
    _only_exercise_lost_points(results, "norms.l2_norm")
    entry = results["extra_data"]["exercises"]["norms.l2_norm"]
    assert entry["status"] == "failed"
    assert "l2-overflow" in entry["diagnoses"]
    failed = {t["name"] for t in results["tests"] if t["status"] != "passed"}
    assert any("1e-300" in name for name in failed) and any("1e300" in name for name in failed)


def _exact_power_norm(values, p) -> float:
    """``(sum |v|^p)^(1/p)`` in 60-digit decimal arithmetic, rounded once to a float."""
    terms = [CONTEXT.power(abs(decimal.Decimal(v)), decimal.Decimal(p)) for v in values if v != 0.0]
    if not terms:
        return 0.0
    total = sum(terms, decimal.Decimal(0))  # the caller runs this under CONTEXT: 60 digits, no overflow
    root = CONTEXT.power(total, CONTEXT.divide(decimal.Decimal(1), decimal.Decimal(p)))
    return float(root)


def _exact_along(x: np.ndarray, p, axis, keepdims):
    """The exact norm of every slice, shaped as numpy's reductions shape their results."""
    with decimal.localcontext(CONTEXT):
        axes = tuple(range(x.ndim)) if axis is None else tuple(a % x.ndim for a in np.atleast_1d(axis).tolist())
        kept = [a for a in range(x.ndim) if a not in axes]
        rows = np.transpose(x, kept + list(axes)).reshape(math.prod(x.shape[a] for a in kept), -1)
        out = np.array([_exact_power_norm(row.tolist(), p) for row in rows]).reshape([x.shape[a] for a in kept])
    if keepdims:
        out = out.reshape([1 if a in axes else n for a, n in enumerate(x.shape)])
    return out


def _wide(rng, shape, low, high, zero_fraction=0.0):
    values = rng.uniform(1.0, 10.0, shape) * 10.0 ** rng.integers(low, high + 1, shape).astype(float)
    values *= rng.choice([-1.0, 1.0], shape)
    values[rng.random(shape) < zero_fraction] = 0.0
    return values


CASES = [  # (shape, axis, keepdims)
    ((7,), None, False), ((3, 4), 1, False), ((3, 4), 0, True), ((2, 3, 4), (0, 2), False),
    ((2, 3, 4), (-1,), True), ((2, 3, 4), None, True), ((4, 1, 3), -2, False),
]
BANDS = {"tiny": (-300, -290), "huge": (290, 299), "mixed": (-300, 299)}


def _load_solution():
    spec = importlib.util.spec_from_file_location("solution_norms", ROOT / "solutions" / "norms.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("band", sorted(BANDS))
def test_reference_norms_are_relatively_exact_on_wide_magnitudes(band):
    rng = np.random.default_rng(2024)
    solution = _load_solution()
    for (shape, axis, keepdims), repeat in itertools.product(CASES, range(4)):
        x = _wide(rng, shape, *BANDS[band], zero_fraction=0.2 if repeat == 3 else 0.0)
        for p in [2, 1, 1.5, 3, 7.25]:
            exact = _exact_along(x, p, axis, keepdims)
            for name, function in [("reference", ref.lp_norm), ("solution", solution.lp_norm)]:
                got = function(x, p, axis=axis, keepdims=keepdims)
                assert np.shape(got) == exact.shape, (name, p, shape, axis, keepdims)
                np.testing.assert_allclose(got, exact, rtol=1e-12, atol=0, err_msg=f"{name} lp_norm p={p}")
        exact = _exact_along(x, 2, axis, keepdims)
        for name, function in [("reference", ref.l2_norm), ("solution", solution.l2_norm)]:
            got = function(x, axis=axis, keepdims=keepdims)
            assert np.shape(got) == exact.shape
            np.testing.assert_allclose(got, exact, rtol=1e-12, atol=0, err_msg=f"{name} l2_norm")
        matrix = x.reshape(x.shape[0], -1)
        exact = float(_exact_along(matrix, 2, None, False))
        for name, function in [("reference", ref.frobenius_norm), ("solution", solution.frobenius_norm)]:
            assert math.isclose(function(matrix), exact, rel_tol=1e-12, abs_tol=0), name


def test_reference_all_zero_and_empty_inputs_give_zero():
    for function in [ref.l1_norm, ref.l2_norm, ref.linf_norm, lambda x, **k: ref.lp_norm(x, 3, **k)]:
        assert function([]) == 0.0
        assert function(np.zeros((2, 3))) == 0.0
        np.testing.assert_array_equal(function(np.zeros((2, 0)), axis=1), [0.0, 0.0])
    assert ref.frobenius_norm(np.zeros((0, 4))) == 0.0


# Inputs untouched ---------------------------------------------------------------------------


def test_in_place_clip_grad_norm_is_caught_as_mutation(tmp_path):
    results = _graded(tmp_path, replace_functions(_solution_source(), {"clip_grad_norm": Naive.clip_grad_norm}))
    _only_exercise_lost_points(results, "norms.clip_grad_norm")
    assert "mutates-input" in results["extra_data"]["exercises"]["norms.clip_grad_norm"]["diagnoses"]
    mutation = [t for t in results["tests"]
                if t["extra_data"]["exercise"] == "norms.clip_grad_norm" and "unchanged afterwards" in t["name"]]
    assert mutation
    assert all(t["status"] == "failed" and t["extra_data"]["diagnoses"] == ["mutates-input"] for t in mutation)


# torch's eps convention ---------------------------------------------------------------------


def test_torch_cosine_similarity_clamps_each_norm_as_the_curriculum_says():
    rng = np.random.default_rng(7)
    scales = [1e-11, 1e-9, 1e-7, 1e-4, 1.0, 1e3]
    for scale_a, scale_b, eps in itertools.product(scales, scales, [1e-8, 1e-3]):
        a, b = rng.standard_normal((5, 4)) * scale_a, rng.standard_normal((5, 4)) * scale_b
        curriculum = np.sum(a * b, axis=-1) / (
            np.maximum(np.linalg.norm(a, axis=-1), eps) * np.maximum(np.linalg.norm(b, axis=-1), eps))
        product_clamp = np.sum(a * b, axis=-1) / np.maximum(
            np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1), eps)
        torch_value = F.cosine_similarity(torch.tensor(a), torch.tensor(b), dim=-1, eps=eps).numpy()
        np.testing.assert_allclose(torch_value, curriculum, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(ref.cosine_similarity(a, b, eps=eps), curriculum, rtol=1e-12, atol=1e-15)
        if scale_a * scale_b * 2 < eps and max(scale_a, scale_b) > eps:  # the old product rule differs here
            assert not np.allclose(torch_value, product_clamp, rtol=1e-6, atol=1e-9)


def test_zero_vectors_give_zero_not_nan():
    assert ref.cosine_similarity([0.0, 0.0], [1.0, 2.0]) == 0.0
    np.testing.assert_array_equal(ref.normalize([[0.0, 0.0], [3.0, 4.0]]), [[0.0, 0.0], [0.6, 0.8]])


# A correct alternative ----------------------------------------------------------------------


def test_correct_alternative_scores_full_marks(tmp_path):
    results = _graded(tmp_path, (ROOT / "tests" / "alternatives" / f"{TOPIC}.py").read_text())
    for exercise, entry in results["extra_data"]["exercises"].items():
        assert entry["score"] == entry["max_score"] > 0, (exercise, entry)
        assert entry["status"] == "passed"
