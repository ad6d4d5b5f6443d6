"""The attention topic's special rules, proved end to end by grading small variants of the solution.

Each test injects one hand-written function into the correct solution (``replace_functions``
keeps every other function calling the correct originals) and grades the module:

1. a ``causal_mask`` built from ``torch.arange(L)`` without ``device=`` is right on the CPU but
   loses points on ``causal_mask`` alone, at the device stage, diagnosed ``hard-coded-device``;
2. a ``masked_softmax`` that returns NaN for fully masked rows is diagnosed
   ``nan-on-fully-masked-row`` (a different formulation from the catalogued mistake);
3. an ``attention_scores`` that upcasts float16/bfloat16 to float32 and never casts back loses
   points at the dtype stage only;
4. the einsum-based alternative scores full marks.

The last tests check the oracle itself against torch's own modules, since every grade rests on it.
"""

import math
import shutil

import pytest
import torch

import reference.attention as ref
from graders.engine import grade
from tests.conftest import ROOT, exercise_scores, grade_json
from tests.injection import replace_functions

pytestmark = pytest.mark.slow

TOPIC = "attention"
SOURCE = (ROOT / "solutions" / f"{TOPIC}.py").read_text()


def _write(tmp_path, *functions):
    """The solution with ``functions`` (named like exercises) swapped in, written to ``tmp_path``."""
    (tmp_path / f"{TOPIC}.py").write_text(replace_functions(SOURCE, {f.__name__: f for f in functions}))
    return tmp_path


def _full(results: dict) -> dict[str, float]:
    return {k: v["max_score"] for k, v in results["extra_data"]["exercises"].items()}


def _only_loses(results: dict, exercise: str) -> None:
    scores, full = exercise_scores(results), _full(results)
    assert scores[exercise] < full[exercise], f"{exercise} kept full marks"
    others = {k: (v, full[k]) for k, v in scores.items() if k != exercise and v != full[k]}
    assert not others, f"other exercises lost points: {others}"


def _failed_tests(exercise_result) -> dict[str, str]:
    """Failed test name -> stage, from the engine's result of one exercise.

    Input-unchanged checks ("guards") are withheld while an exercise's results are wrong; they
    did not fail on their own and are left out.
    """
    return {t.name: t.stage for t in exercise_result.tests if t.status != "passed" and t.stage != "guard"}


def test_causal_mask_without_device_is_diagnosed_hard_coded_device(tmp_path):
    def causal_mask(L, device=None):
        steps = torch.arange(L)  # no device=: always on the CPU
        return steps[:, None] >= steps[None, :]

    path = _write(tmp_path, causal_mask)
    results = grade_json(path, topics=[TOPIC])
    _only_loses(results, "attention.causal_mask")
    assert results["extra_data"]["exercises"]["attention.causal_mask"]["diagnoses"] == ["hard-coded-device"]

    (mask,) = [e for e in grade(path, topics=[TOPIC]).exercises() if e.id == "attention.causal_mask"]
    failed = _failed_tests(mask)
    assert set(failed.values()) == {"device"}, failed  # right values on the CPU, wrong device on meta
    assert all("meta" in name for name in failed), failed


def test_nan_on_fully_masked_rows_is_diagnosed(tmp_path):
    def masked_softmax(scores, mask=None):
        if mask is not None:
            scores = torch.where(mask, scores, torch.tensor(float("-inf"), dtype=scores.dtype, device=scores.device))
        top = scores.amax(dim=-1, keepdim=True)  # -inf for a fully masked row: -inf - -inf is NaN
        e = torch.exp(scores - top)
        return e / e.sum(dim=-1, keepdim=True)

    results = grade_json(_write(tmp_path, masked_softmax), topics=[TOPIC])
    _only_loses(results, "attention.masked_softmax")
    assert "nan-on-fully-masked-row" in results["extra_data"]["exercises"]["attention.masked_softmax"]["diagnoses"]
    failed = {t["name"] for t in results["tests"] if t["status"] == "failed"}
    assert "attention.masked_softmax: fully masked rows give zeros" in failed


def test_float32_result_for_float16_input_fails_the_dtype_stage(tmp_path):
    def attention_scores(q, k):
        if q.dtype in (torch.float16, torch.bfloat16):
            q, k = q.float(), k.float()  # upcast for accuracy, then forget to cast back
        return q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])

    path = _write(tmp_path, attention_scores)
    _only_loses(grade_json(path, topics=[TOPIC]), "attention.attention_scores")
    (scores,) = [e for e in grade(path, topics=[TOPIC]).exercises() if e.id == "attention.attention_scores"]
    failed = _failed_tests(scores)
    assert failed and set(failed.values()) == {"dtype"}, failed


def test_alternative_scores_full_marks(tmp_path):
    shutil.copy(ROOT / "tests" / "alternatives" / f"{TOPIC}.py", tmp_path / f"{TOPIC}.py")
    results = grade_json(tmp_path, topics=[TOPIC])
    assert exercise_scores(results) == _full(results)


# --- the oracle itself ------------------------------------------------------------------------


def test_reference_multi_head_attention_agrees_with_torch_module():
    generator = torch.Generator().manual_seed(0)
    B, Lq, Lk, D, H = 2, 3, 5, 8, 4
    x, kv = torch.randn(B, Lq, D, generator=generator, dtype=torch.float64), torch.randn(B, Lk, D, generator=generator, dtype=torch.float64)
    w_q, w_k, w_v, w_o = (torch.randn(D, D, generator=generator, dtype=torch.float64) / math.sqrt(D) for _ in range(4))
    keep = torch.rand(B, H, Lq, Lk, generator=generator) > 0.4
    keep[..., 0] = True  # torch's module gives NaN for a query with no key, the contract zeros
    module = torch.nn.MultiheadAttention(D, H, bias=False, batch_first=True, dtype=torch.float64)
    with torch.no_grad():  # nn.Linear convention: x @ W^T, so the contract's row-vector weights go in transposed
        module.in_proj_weight.copy_(torch.cat([w_q.T, w_k.T, w_v.T]))
        module.out_proj.weight.copy_(w_o.T)
        out, weights = module(x, kv, kv, attn_mask=~keep.reshape(B * H, Lq, Lk), need_weights=True,
                              average_attn_weights=False)
    ours = ref.multi_head_attention(x, w_q, w_k, w_v, w_o, H, mask=keep, kv=kv)
    torch.testing.assert_close(ours[0], out, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(ours[1], weights, rtol=1e-12, atol=1e-12)


def test_reference_gives_zeros_for_fully_masked_rows_and_keeps_dtypes():
    scores = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float16)
    mask = torch.tensor([[False, False], [True, False]])
    got = ref.masked_softmax(scores, mask)
    assert got.dtype == torch.float16 and got.tolist() == [[0.0, 0.0], [1.0, 0.0]]
    out, weights = ref.scaled_dot_product_attention(scores[None], scores[None], scores[None], mask)
    assert out.dtype == torch.float16 and not torch.isnan(out).any() and out[0, 0].tolist() == [0.0, 0.0]


def test_reference_runs_on_meta():
    q = torch.empty(2, 3, 4, device="meta", dtype=torch.bfloat16)
    assert ref.attention_scores(q, q).device.type == "meta"
    assert ref.apply_rope(q, [0, 1, 2]).shape == q.shape
    assert ref.sinusoidal_positions(3, 4, dtype=torch.float16, device="meta").dtype == torch.float16
