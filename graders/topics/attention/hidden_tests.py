"""Hidden suite of the attention topic: every test compares the submission with the oracle.

The oracle (``reference/attention.py``) computes in float64 from the very values the submission
received and casts back to the input's dtype, so ``expect.close`` applies the contract's per-dtype
tolerances (float64 ``1e-7/1e-9``, float32 ``1e-5/1e-6``, float16 ``1e-2``, bfloat16 ``5e-2``).
Inputs stay small (entries in ``[-1, 1]``, weights about ``1/sqrt(D)``, ``d <= 8``) so that any
correct float16/bfloat16 formulation lands well inside those tolerances: the solution and the
einsum alternative stay below 15 % of them over hundreds of random cases.

Three rules of the contract get their own tests besides the values:

- dtype: every function is run on float16, bfloat16, float32 and float64 inputs and must return
  the input's dtype (a float32 result for float16 input fails at the dtype stage);
- device: every function is run on ``meta`` tensors through ``expect.runs_on`` (a failure there,
  or a result on another device, is diagnosed ``hard-coded-device``), after the same call on CPU
  stand-ins so that a function broken for every device is not blamed on the device (``on_meta``);
  CUDA cases skip on a machine without CUDA;
- masks: masked positions exactly 0, fully masked rows all zeros (never NaN), padding values
  (NaN, inf) at masked positions without effect, masks that broadcast.

Hypothesis draws shapes, dtypes, options and a seed per tensor; the values come from NumPy's
generator with that seed (see ``tensors``), so every student meets the same examples.
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference.attention as ref
from graders import strategies as S
from graders.suite import exercise, expect
from tensorkata.i18n import Text

F64 = torch.float64
DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)
META = torch.device("meta")
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
SEEDS = st.integers(0, 2**32 - 1)
PADDING = st.sampled_from([math.nan, math.inf, -math.inf, 1e30])  # what masked-out scores may hold


# --- strategies and helpers -------------------------------------------------------------------


def _uniform(seed: int, shape, bound: float) -> torch.Tensor:
    return torch.from_numpy(np.random.default_rng(seed).uniform(-bound, bound, size=shape))


def tensors(shape, bound: float = 1.0) -> st.SearchStrategy[torch.Tensor]:
    """float64 tensors of ``shape`` with entries uniform in ``[-bound, bound]``.

    Hypothesis draws a seed, not every entry: drawing (and shrinking) hundreds of floats one by
    one per example made the suite ten times slower, and the edge values hypothesis likes (0,
    the bounds) are not what attention tests are about. Shapes are still drawn and shrunk by
    hypothesis, so a failure is reported on the smallest shape that shows it.
    """
    return SEEDS.map(lambda seed: _uniform(seed, shape, bound))


def _bools(seed: int, shape, p_true: float) -> np.ndarray:
    return np.random.default_rng(seed).random(size=shape) < p_true


def meta(shape, dtype) -> torch.Tensor:
    return torch.empty(shape, dtype=dtype, device=META)


def _on_cpu(value):
    """A CPU stand-in for a meta argument: zeros (all True for a mask) of the same shape and dtype."""
    if isinstance(value, torch.Tensor) and value.device.type == "meta":
        return torch.ones(value.shape, dtype=value.dtype) if value.dtype == torch.bool else torch.zeros(value.shape, dtype=value.dtype)
    return torch.device("cpu") if isinstance(value, torch.device) and value.type == "meta" else value


def on_meta(student, function: str, *args, **kwargs):
    """``expect.runs_on`` with the same call made on CPU stand-ins first.

    ``runs_on`` blames the device for any exception on meta tensors. A function that fails on
    these shapes anyway (``k.T`` on a 4-D tensor) must fail as "raised", with its own diagnosis,
    not as ``hard-coded-device``; so the CPU call goes first and only a function that works there
    and breaks on meta is diagnosed as device-bound.
    """
    student.call(function, *map(_on_cpu, args), **{k: _on_cpu(v) for k, v in kwargs.items()})
    return expect.runs_on(student, function, *args, **kwargs)


def leading_axes(max_dims: int = 2) -> st.SearchStrategy[tuple]:
    """Leading (batch, head) axes: none, one or two, each of length 1 to 3."""
    return st.lists(st.integers(1, 3), min_size=0, max_size=max_dims).map(tuple)


@st.composite
def masks_for(draw, shape, all_rows_kept: bool = False, fully_masked_row: bool = False):
    """A bool mask that broadcasts to ``shape``: some axes of length 1, some leading axes dropped.

    ``all_rows_kept`` keeps the first key of every row (so no row is fully masked);
    ``fully_masked_row`` masks every key of at least one row (the first one).
    """
    sides = [draw(st.sampled_from([n, 1])) if n > 1 else 1 for n in shape]
    sides = sides[draw(st.integers(0, len(shape) - 1)):]  # at least the key axis stays
    mask = _bools(draw(SEEDS), tuple(sides), draw(st.sampled_from([0.5, 0.8, 0.2])))
    if all_rows_kept:
        mask[..., 0] = True
    if fully_masked_row:
        mask[(0,) * (mask.ndim - 1)] = False
    return torch.from_numpy(mask.copy())


@st.composite
def qkv(draw, max_d: int = 8, leading=None):
    """``q (..., Lq, d)``, ``k (..., Lk, d)``, ``v (..., Lk, dv)``: cross-attention shapes allowed."""
    lead = draw(leading_axes()) if leading is None else leading
    lq, lk, d, dv = draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(1, max_d)), draw(st.integers(1, 6))
    return draw(tensors((*lead, lq, d))), draw(tensors((*lead, lk, d))), draw(tensors((*lead, lk, dv)))


@st.composite
def mha_inputs(draw, cross: bool = False):
    """``x (B, Lq, D)``, four ``(D, D)`` weights of size about ``1/sqrt(D)``, ``H`` and ``kv``."""
    b, lq, h, size = draw(st.integers(1, 3)), draw(st.integers(1, 5)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    d_model = h * size
    lk = draw(st.integers(1, 5)) if cross else lq
    scale = 1.7 / math.sqrt(d_model)
    weights = [draw(tensors((d_model, d_model), scale)) for _ in range(4)]
    x = draw(tensors((b, lq, d_model)))
    kv = draw(tensors((b, lk, d_model))) if cross else None
    return x, weights, h, kv


@st.composite
def mha_masks(draw, b: int, h: int, lq: int, lk: int):
    """One of the masks a model uses: causal ``(Lq, Lk)``, key padding ``(B, 1, 1, Lk)``, per head."""
    kind = draw(st.sampled_from(["causal", "padding", "per-head", "full"]))
    if kind == "causal":
        return torch.ones(lq, lk, dtype=torch.bool).tril()
    if kind == "padding":
        lengths = draw(hnp.arrays(np.int64, (b,), elements=st.integers(1, lk)))
        return torch.from_numpy(np.arange(lk)[None, :] < lengths[:, None]).reshape(b, 1, 1, lk)
    shape = (1, h, lq, lk) if kind == "per-head" else (b, h, lq, lk)
    mask = _bools(draw(SEEDS), shape, 0.6)
    mask[..., 0] = True
    return torch.from_numpy(mask)


# --- attention_scores -------------------------------------------------------------------------


@exercise("attention.attention_scores")
@given(inputs=qkv())
def test_scores_match_reference(student, inputs):
    """q k^T / sqrt(d) matches the reference for batched and 2-D inputs, Lq != Lk"""
    q, k, _ = inputs
    expect.close(student.attention_scores(q, k), ref.attention_scores(q, k))


@exercise("attention.attention_scores")
def test_scores_by_hand(student):
    """a 2-D example worked by hand (d = 2)"""
    q = torch.tensor([[1.0, 0.0], [0.0, 2.0]], dtype=F64)
    k = torch.tensor([[1.0, 1.0], [2.0, 0.0], [0.0, -1.0]], dtype=F64)
    expected = torch.tensor([[1.0, 2.0, 0.0], [2.0, 0.0, -2.0]], dtype=F64) / math.sqrt(2.0)
    expect.close(student.attention_scores(q, k), expected)


@exercise("attention.attention_scores")
@settings(max_examples=10)
@given(inputs=qkv())
def test_scores_keep_dtype(student, inputs):
    """keeps the input dtype: float16, bfloat16, float32, float64"""
    q, k, _ = inputs
    for dtype in DTYPES:
        expect.close(student.attention_scores(q.to(dtype), k.to(dtype)), ref.attention_scores(q.to(dtype), k.to(dtype)))


@exercise("attention.attention_scores")
def test_scores_on_meta(student):
    """runs on meta tensors: (2, 3, 5, 4) and (2, 3, 6, 4) give a meta (2, 3, 5, 6) of the same dtype"""
    for dtype in (torch.float16, torch.float32):
        got = on_meta(student, "attention_scores", meta((2, 3, 5, 4), dtype), meta((2, 3, 6, 4), dtype))
        expect.close(got, meta((2, 3, 5, 6), dtype))


@CUDA
@exercise("attention.attention_scores")
def test_scores_on_cuda(student):
    """runs on CUDA tensors and returns a CUDA tensor"""
    q, k = torch.rand(2, 3, 4, dtype=F64).cuda(), torch.rand(2, 5, 4, dtype=F64).cuda()
    expect.close(student.attention_scores(q, k), ref.attention_scores(q, k))


@exercise("attention.attention_scores")
@settings(max_examples=5)
@given(inputs=qkv())
def test_scores_leave_inputs_unchanged(student, inputs):
    """q and k are unchanged afterwards"""
    q, k, _ = inputs
    _, (args, _) = student.call("attention_scores", q, k, echo_args=True)
    expect.unchanged(q, args[0], what="q")
    expect.unchanged(k, args[1], what="k")


# --- causal_mask ------------------------------------------------------------------------------


@exercise("attention.causal_mask")
def test_causal_mask_values(student):
    """bool (L, L), True where j <= i, for L = 0 to 12"""
    for L in range(13):
        expect.close(student.causal_mask(L), ref.causal_mask(L))


@exercise("attention.causal_mask")
def test_causal_mask_explicit_cpu(student):
    """device=torch.device("cpu") gives the CPU mask"""
    cpu = torch.device("cpu")
    expect.close(student.causal_mask(6, device=cpu), ref.causal_mask(6, device=cpu))


@exercise("attention.causal_mask")
def test_causal_mask_on_meta(student):
    """device=torch.device("meta") gives a meta bool (L, L) tensor (no torch.arange(L) without device=)"""
    for L in (1, 5):
        got = on_meta(student, "causal_mask", L, device=META)
        expect.close(got, meta((L, L), torch.bool))


@CUDA
@exercise("attention.causal_mask")
def test_causal_mask_on_cuda(student):
    """device="cuda" gives the mask on CUDA"""
    cuda = torch.device("cuda")
    expect.close(student.causal_mask(5, device=cuda), ref.causal_mask(5, device=cuda))


# --- masked_softmax ---------------------------------------------------------------------------


@st.composite
def scores_and_masks(draw, bound: float = 5.0, **mask_options):
    shape = (*draw(leading_axes()), draw(st.integers(1, 5)), draw(st.integers(1, 6)))
    return draw(tensors(shape, bound)), draw(masks_for(shape, **mask_options))


@exercise("attention.masked_softmax")
@given(case=scores_and_masks())
def test_masked_softmax_matches_reference(student, case):
    """matches the reference with a mask that broadcasts ((Lk,), (1, Lk), (B, 1, Lq, Lk), ...)"""
    scores, mask = case
    expect.close(student.masked_softmax(scores, mask), ref.masked_softmax(scores, mask))


@exercise("attention.masked_softmax")
@given(scores=S.shapes(1, 4, 1, 6).flatmap(lambda shape: tensors(shape, 5.0)))
def test_masked_softmax_without_mask(student, scores):
    """mask=None is the plain softmax over the last axis"""
    expect.close(student.masked_softmax(scores), ref.masked_softmax(scores))


@exercise("attention.masked_softmax")
@example(case=(torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]], dtype=F64),
               torch.tensor([[False, False, False], [True, False, True]])))
@given(case=scores_and_masks(fully_masked_row=True))
def test_masked_softmax_fully_masked_rows(student, case):
    """fully masked rows give zeros"""
    scores, mask = case
    expect.close(student.masked_softmax(scores, mask), ref.masked_softmax(scores, mask))


@exercise("attention.masked_softmax")
@given(case=scores_and_masks(all_rows_kept=True))
def test_masked_softmax_exact_zeros(student, case):
    """masked positions are exactly 0, even where their scores are the largest"""
    scores, mask = case
    keep = mask.expand(scores.shape)
    scores = torch.where(keep, scores, scores + 40.0)  # masked scores above every kept one
    got = student.masked_softmax(scores, mask)
    expect.close(got, ref.masked_softmax(scores, mask))
    leaked = float(got[~keep].abs().max()) if bool((~keep).any()) else 0.0
    expect.constraint(leaked == 0.0, Text(
        en=f"Masked positions must be exactly 0; the largest one is {leaked:.3g}.",
        ja=f"マスクされた位置はちょうど 0 でなければなりませんが、最大で {leaked:.3g} です。",
    ))


@exercise("attention.masked_softmax")
@given(case=scores_and_masks(), junk=PADDING)
def test_masked_softmax_ignores_padding_values(student, case, junk):
    """NaN or inf scores at masked positions do not affect the result"""
    scores, mask = case
    padded = torch.where(mask.expand(scores.shape), scores, torch.tensor(junk, dtype=F64))
    expect.close(student.masked_softmax(padded, mask), ref.masked_softmax(scores, mask))


@exercise("attention.masked_softmax")
@example(case=(torch.tensor([[1e4, 9999.0, -1e4], [-1e4, -9990.0, 0.0]]), torch.tensor([True, True, False])))
@given(case=scores_and_masks(bound=1e4, all_rows_kept=True))
def test_masked_softmax_is_stable(student, case):
    """stable for float32 scores up to 1e4 (subtract the row maximum)"""
    scores, mask = case
    scores = scores.to(torch.float32)
    expect.close(student.masked_softmax(scores, mask), ref.masked_softmax(scores, mask))


@exercise("attention.masked_softmax")
@settings(max_examples=10)
@given(case=scores_and_masks())
def test_masked_softmax_keeps_dtype(student, case):
    """keeps the input dtype: float16, bfloat16, float32, float64"""
    scores, mask = case
    for dtype in DTYPES:
        expect.close(student.masked_softmax(scores.to(dtype), mask), ref.masked_softmax(scores.to(dtype), mask))


@exercise("attention.masked_softmax")
def test_masked_softmax_on_meta(student):
    """runs on meta tensors (no Python decision on tensor values), with and without a mask"""
    for mask in (None, meta((2, 1, 1, 5), torch.bool), meta((4, 5), torch.bool)):
        got = on_meta(student, "masked_softmax", meta((2, 3, 4, 5), torch.float16), mask)
        expect.close(got, meta((2, 3, 4, 5), torch.float16))


@CUDA
@exercise("attention.masked_softmax")
def test_masked_softmax_on_cuda(student):
    """runs on CUDA tensors, fully masked rows included"""
    scores, mask = torch.rand(2, 3, 4, dtype=F64).cuda(), (torch.rand(3, 4) > 0.5).cuda()
    mask[0] = False
    expect.close(student.masked_softmax(scores, mask), ref.masked_softmax(scores, mask))


@exercise("attention.masked_softmax")
@settings(max_examples=5)
@given(case=scores_and_masks())
def test_masked_softmax_leaves_inputs_unchanged(student, case):
    """scores and mask are unchanged afterwards"""
    scores, mask = case
    _, (args, _) = student.call("masked_softmax", scores, mask, echo_args=True)
    expect.unchanged(scores, args[0], what="scores")
    expect.unchanged(mask, args[1], what="mask")


# --- scaled_dot_product_attention -------------------------------------------------------------


@st.composite
def attention_cases(draw, **mask_options):
    q, k, v = draw(qkv())
    shape = (*q.shape[:-1], k.shape[-2])
    mask = draw(st.none() | masks_for(shape, **mask_options)) if not mask_options else draw(masks_for(shape, **mask_options))
    return q, k, v, mask


@exercise("attention.scaled_dot_product_attention")
@given(case=attention_cases())
def test_sdpa_matches_reference(student, case):
    """(out, weights) match the reference, with or without a broadcast mask, Lq != Lk and dv != d"""
    q, k, v, mask = case
    expect.close(student.scaled_dot_product_attention(q, k, v, mask), ref.scaled_dot_product_attention(q, k, v, mask))


@exercise("attention.scaled_dot_product_attention")
@given(inputs=qkv(), data=st.data())
def test_sdpa_causal(student, inputs, data):
    """causal self-attention: query i uses keys 0..i only"""
    q, _, _ = inputs
    k, v = data.draw(tensors(q.shape)), data.draw(tensors(q.shape))
    mask = torch.ones(q.shape[-2], q.shape[-2], dtype=torch.bool).tril()
    expect.close(student.scaled_dot_product_attention(q, k, v, mask), ref.scaled_dot_product_attention(q, k, v, mask))


@exercise("attention.scaled_dot_product_attention")
@given(case=attention_cases(fully_masked_row=True))
def test_sdpa_fully_masked_query(student, case):
    """a query whose keys are all masked gets zero weights and a zero output"""
    q, k, v, mask = case
    expect.close(student.scaled_dot_product_attention(q, k, v, mask), ref.scaled_dot_product_attention(q, k, v, mask))


@exercise("attention.scaled_dot_product_attention")
@settings(max_examples=10)
@given(case=attention_cases())
def test_sdpa_keeps_dtype(student, case):
    """keeps the input dtype: float16, bfloat16, float32, float64"""
    q, k, v, mask = case
    for dtype in DTYPES:
        args = (q.to(dtype), k.to(dtype), v.to(dtype), mask)
        expect.close(student.scaled_dot_product_attention(*args), ref.scaled_dot_product_attention(*args))


@exercise("attention.scaled_dot_product_attention")
def test_sdpa_on_meta(student):
    """runs on meta tensors: out (2, 3, 5, 7) and weights (2, 3, 5, 6)"""
    args = (meta((2, 3, 5, 4), torch.bfloat16), meta((2, 3, 6, 4), torch.bfloat16), meta((2, 3, 6, 7), torch.bfloat16))
    for mask in (None, meta((5, 6), torch.bool)):
        got = on_meta(student, "scaled_dot_product_attention", *args, mask)
        expect.close(got, (meta((2, 3, 5, 7), torch.bfloat16), meta((2, 3, 5, 6), torch.bfloat16)))


@CUDA
@exercise("attention.scaled_dot_product_attention")
def test_sdpa_on_cuda(student):
    """runs on CUDA tensors"""
    q, k, v = (torch.rand(2, 3, 4, dtype=F64).cuda() for _ in range(3))
    mask = torch.ones(3, 3, dtype=torch.bool).tril().cuda()
    expect.close(student.scaled_dot_product_attention(q, k, v, mask), ref.scaled_dot_product_attention(q, k, v, mask))


@exercise("attention.scaled_dot_product_attention")
@settings(max_examples=5)
@given(case=attention_cases(all_rows_kept=True))
def test_sdpa_leaves_inputs_unchanged(student, case):
    """q, k, v and mask are unchanged afterwards"""
    q, k, v, mask = case
    _, (args, _) = student.call("scaled_dot_product_attention", q, k, v, mask, echo_args=True)
    for name, before, after in zip(("q", "k", "v", "mask"), (q, k, v, mask), args):
        expect.unchanged(before, after, what=name)


# --- multi_head_attention ---------------------------------------------------------------------


def _mha(student, x, weights, h, mask=None, kv=None):
    """The student's and the reference's results for the same call (keyword arguments by name)."""
    kwargs = {} if mask is None else {"mask": mask}
    if kv is not None:
        kwargs["kv"] = kv
    return student.multi_head_attention(x, *weights, h, **kwargs), ref.multi_head_attention(x, *weights, h, **kwargs)


@exercise("attention.multi_head_attention")
@given(inputs=mha_inputs())
def test_mha_self_attention(student, inputs):
    """self-attention without a mask: (out, weights) match the reference"""
    x, weights, h, _ = inputs
    expect.close(*_mha(student, x, weights, h))


@exercise("attention.multi_head_attention")
@given(inputs=mha_inputs(), data=st.data())
def test_mha_with_masks(student, inputs, data):
    """causal, key-padding (B, 1, 1, L) and per-head masks broadcast to (B, H, Lq, Lk)"""
    x, weights, h, _ = inputs
    b, lq, _ = x.shape
    mask = data.draw(mha_masks(b, h, lq, lq))
    expect.close(*_mha(student, x, weights, h, mask=mask))


@exercise("attention.multi_head_attention")
@given(inputs=mha_inputs(cross=True), data=st.data())
def test_mha_cross_attention(student, inputs, data):
    """cross-attention: keys and values from kv (B, Lk, D), Lk != Lq, with or without a mask"""
    x, weights, h, kv = inputs
    mask = data.draw(st.none() | mha_masks(x.shape[0], h, x.shape[1], kv.shape[1]))
    expect.close(*_mha(student, x, weights, h, mask=mask, kv=kv))


@exercise("attention.multi_head_attention")
@given(inputs=mha_inputs(), data=st.data())
def test_mha_fully_masked_query(student, inputs, data):
    """a query that may attend to no key gets zero weights in that head"""
    x, weights, h, _ = inputs
    b, lq, _ = x.shape
    mask = _bools(data.draw(SEEDS), (b, h, lq, lq), 0.6)
    mask[0, 0, 0] = False
    expect.close(*_mha(student, x, weights, h, mask=torch.from_numpy(mask)))


@exercise("attention.multi_head_attention")
@settings(max_examples=10)
@given(inputs=mha_inputs(cross=True), data=st.data())
def test_mha_keeps_dtype(student, inputs, data):
    """keeps the input dtype: float16, bfloat16, float32, float64"""
    x, weights, h, kv = inputs
    mask = data.draw(st.none() | mha_masks(x.shape[0], h, x.shape[1], kv.shape[1]))
    for dtype in DTYPES:
        expect.close(*_mha(student, x.to(dtype), [w.to(dtype) for w in weights], h, mask=mask, kv=kv.to(dtype)))


@exercise("attention.multi_head_attention")
def test_mha_rejects_bad_heads(student):
    """n_heads < 1 or D % n_heads != 0 raise ValueError"""
    weights = [torch.eye(6, dtype=F64)] * 4
    x = torch.ones(1, 2, 6, dtype=F64)
    for n_heads in (0, -1, 4, 5, 12):
        with expect.raises(ValueError):
            student.multi_head_attention(x, *weights, n_heads)


@exercise("attention.multi_head_attention")
def test_mha_on_meta(student):
    """runs on meta tensors with kv and a padding mask: out (2, 3, 8), weights (2, 4, 3, 5)"""
    weights = [meta((8, 8), torch.float16) for _ in range(4)]
    got = on_meta(student, "multi_head_attention", meta((2, 3, 8), torch.float16), *weights, 4,
                         mask=meta((2, 1, 1, 5), torch.bool), kv=meta((2, 5, 8), torch.float16))
    expect.close(got, (meta((2, 3, 8), torch.float16), meta((2, 4, 3, 5), torch.float16)))


@CUDA
@exercise("attention.multi_head_attention")
def test_mha_on_cuda(student):
    """runs on CUDA tensors"""
    x = torch.rand(2, 3, 4, dtype=F64).cuda()
    weights = [torch.rand(4, 4, dtype=F64).cuda() for _ in range(4)]
    expect.close(*_mha(student, x, weights, 2, mask=torch.ones(3, 3, dtype=torch.bool).tril().cuda()))


@exercise("attention.multi_head_attention")
@settings(max_examples=5)
@given(inputs=mha_inputs(cross=True))
def test_mha_leaves_inputs_unchanged(student, inputs):
    """x, kv and the weights are unchanged afterwards"""
    x, weights, h, kv = inputs
    _, (args, kwargs) = student.call("multi_head_attention", x, *weights, h, kv=kv, echo_args=True)
    for name, before, after in zip(("x", "w_q", "w_k", "w_v", "w_o"), (x, *weights), args):
        expect.unchanged(before, after, what=name)
    expect.unchanged(kv, kwargs["kv"], what="kv")


# --- sinusoidal_positions ---------------------------------------------------------------------

BASES = st.sampled_from([10000.0, 100.0, 500000.0, 2.0])


@exercise("attention.sinusoidal_positions")
@given(L=st.integers(0, 40), half=st.integers(1, 8), base=BASES)
def test_sinusoidal_matches_reference(student, L, half, base):
    """float64 table (L, d) matches the reference for several bases"""
    args = (L, 2 * half, base, torch.float64)
    expect.close(student.sinusoidal_positions(*args), ref.sinusoidal_positions(*args))


@exercise("attention.sinusoidal_positions")
def test_sinusoidal_by_hand(student):
    """row 0 is [0, 1, 0, 1, ...]; row 1 starts sin(1), cos(1); float32 by default"""
    got = student.sinusoidal_positions(3, 4)
    a = 1.0 / 10000.0 ** 0.5
    expected = torch.tensor([[0.0, 1.0, 0.0, 1.0],
                             [math.sin(1), math.cos(1), math.sin(a), math.cos(a)],
                             [math.sin(2), math.cos(2), math.sin(2 * a), math.cos(2 * a)]], dtype=F64)
    expect.close(got, expected.to(torch.float32))


@exercise("attention.sinusoidal_positions")
@settings(max_examples=8)
@given(L=st.integers(1, 30), half=st.integers(1, 6))
def test_sinusoidal_dtypes(student, L, half):
    """dtype= float16, bfloat16, float32, float64 gives a table of that dtype"""
    for dtype in DTYPES:
        expect.close(student.sinusoidal_positions(L, 2 * half, dtype=dtype),
                     ref.sinusoidal_positions(L, 2 * half, dtype=dtype))


@exercise("attention.sinusoidal_positions")
def test_sinusoidal_long_sequences(student):
    """angles exact to float64 for L = 4096 (float32 angles drift by 1e-4)"""
    for dtype in (torch.float32, torch.float64):
        expect.close(student.sinusoidal_positions(4096, 16, dtype=dtype), ref.sinusoidal_positions(4096, 16, dtype=dtype))


@exercise("attention.sinusoidal_positions")
def test_sinusoidal_rejects_odd_d(student):
    """odd d raises ValueError"""
    for d in (1, 3, 7):
        with expect.raises(ValueError):
            student.sinusoidal_positions(4, d)


@exercise("attention.sinusoidal_positions")
def test_sinusoidal_on_meta(student):
    """device=torch.device("meta") gives a meta table of the requested dtype"""
    for dtype in (torch.float16, torch.float32):
        got = on_meta(student, "sinusoidal_positions", 6, 8, dtype=dtype, device=META)
        expect.close(got, meta((6, 8), dtype))


@CUDA
@exercise("attention.sinusoidal_positions")
def test_sinusoidal_on_cuda(student):
    """device="cuda" gives the table on CUDA"""
    cuda = torch.device("cuda")
    expect.close(student.sinusoidal_positions(10, 8, device=cuda), ref.sinusoidal_positions(10, 8, device=cuda))


# --- apply_rope -------------------------------------------------------------------------------


@st.composite
def rope_inputs(draw, max_position: float = 50.0):
    """``x (..., L, d)`` with ``d`` even, and positions as None, an int64/float tensor or a list."""
    lead = draw(leading_axes())
    L, d = draw(st.integers(1, 6)), 2 * draw(st.integers(1, 4))
    x = draw(tensors((*lead, L, d)))
    kind = draw(st.sampled_from(["none", "int64", "float64", "float32", "list"]))
    if kind == "none":
        return x, None
    if kind == "int64":
        return x, torch.from_numpy(draw(hnp.arrays(np.int64, (L,), elements=st.integers(0, int(max_position)))))
    values = draw(hnp.arrays(np.float64, (L,), elements=S.reals(-max_position, max_position)))
    if kind == "list":
        return x, [int(v) if i % 2 else float(v) for i, v in enumerate(values)]  # Python ints and floats
    return x, torch.from_numpy(values).to(getattr(torch, kind))


def _rope_args(positions):
    return () if positions is None else (positions,)


@exercise("attention.apply_rope")
@given(x=leading_axes().flatmap(lambda lead: st.tuples(st.integers(1, 6), st.integers(1, 4)).flatmap(
    lambda ld: tensors((*lead, ld[0], 2 * ld[1])))))
def test_rope_default_positions(student, x):
    """positions 0..L-1 by default: matches the reference"""
    expect.close(student.apply_rope(x), ref.apply_rope(x))


@exercise("attention.apply_rope")
@given(inputs=rope_inputs(), base=BASES)
def test_rope_given_positions(student, inputs, base):
    """positions as an int64 or float tensor, or a list of Python numbers; several bases"""
    x, positions = inputs
    expect.close(student.apply_rope(x, *_rope_args(positions), base=base), ref.apply_rope(x, positions, base=base))


@exercise("attention.apply_rope")
@example(inputs=(torch.ones(1, 5, 4, dtype=F64), [0, 1000.5, 4097, 30000, 123456]))
@given(inputs=rope_inputs(max_position=1e5))
def test_rope_large_positions(student, inputs):
    """angles exact to float64 for positions up to 1e5, in float32 and float64"""
    x, positions = inputs
    for dtype in (torch.float32, torch.float64):
        expect.close(student.apply_rope(x.to(dtype), *_rope_args(positions)), ref.apply_rope(x.to(dtype), positions))


@exercise("attention.apply_rope")
@settings(max_examples=10)
@given(inputs=rope_inputs())
def test_rope_keeps_dtype(student, inputs):
    """keeps the input dtype: float16, bfloat16, float32, float64"""
    x, positions = inputs
    for dtype in DTYPES:
        expect.close(student.apply_rope(x.to(dtype), *_rope_args(positions)), ref.apply_rope(x.to(dtype), positions))


@exercise("attention.apply_rope")
def test_rope_rejects_odd_d(student):
    """odd d raises ValueError"""
    for shape in ((3, 5), (2, 4, 1), (1, 2, 3, 7)):
        with expect.raises(ValueError):
            student.apply_rope(torch.ones(shape, dtype=F64))


@exercise("attention.apply_rope")
def test_rope_on_meta(student):
    """runs on meta tensors with default, tensor and list positions"""
    x = meta((2, 3, 4, 6), torch.bfloat16)
    for positions in ((), (meta((4,), torch.int64),), ([0, 1, 2.5, 7],)):
        got = on_meta(student, "apply_rope", x, *positions)
        expect.close(got, meta((2, 3, 4, 6), torch.bfloat16))


@CUDA
@exercise("attention.apply_rope")
def test_rope_on_cuda(student):
    """runs on CUDA tensors with CUDA positions"""
    x, positions = torch.rand(2, 5, 4, dtype=F64).cuda(), torch.arange(5).cuda() * 3
    expect.close(student.apply_rope(x, positions), ref.apply_rope(x, positions))


@exercise("attention.apply_rope")
@settings(max_examples=5)
@given(inputs=rope_inputs())
def test_rope_leaves_inputs_unchanged(student, inputs):
    """x and positions are unchanged afterwards"""
    x, positions = inputs
    _, (args, _) = student.call("apply_rope", x, *_rope_args(positions), echo_args=True)
    expect.unchanged(x, args[0], what="x")
    if isinstance(positions, torch.Tensor):
        expect.unchanged(positions, args[1], what="positions")
