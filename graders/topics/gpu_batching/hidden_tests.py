"""Hidden suite of the gpu_batching topic: values against the oracle, then the batching rules.

Values: every float function is checked in float16, bfloat16, float32 and float64 against the
float64 oracle cast to the input dtype, with the contract's per-dtype tolerances (and the special
absolute tolerance of ``pairwise_sq_dists``). Inputs other than float64 lie on a grid of
sixteenths, so that sums and products of a few of them are exact in float32 (and in float16 for
the small bounds used there); tolerances then only have to absorb the rounding of ``exp``,
``log`` and divisions, not catastrophic cancellation that a different but correct order of
summation would produce. Padded positions hold ``NaN``, ``inf``, ``-inf`` or a large finite
value, and padded targets ``-100`` or a real class: none of them may change a result.

Rules: *vec* functions are measured at batch 3 and batch 12 (``expect.vectorized``: the number of
torch operations must not grow, else ``loop-over-batch``); ``rowwise_dot`` and
``pairwise_sq_dists`` are measured for their largest intermediate (``large-intermediate``);
every function runs on ``meta`` tensors (``expect.runs_on``, after the same call on CPU tensors
of those shapes: a failure on meta alone is ``hard-coded-device``) and its output's shape, dtype
and device are checked there; inputs are echoed back to detect mutation. CUDA cases skip with a
reason on a machine without CUDA.
"""

import collections
import math

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference.gpu_batching as ref
from graders import strategies as S
from graders.suite import exercise, expect
from tensorkata.stages import StageFailure
from tensorkata.i18n import Msg, Text
from tensorkata.worker.functions import F

FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)
LOW_PRECISION = (torch.float16, torch.bfloat16)
FLOAT_DTYPES = st.sampled_from(FLOATS)
PADDING = st.sampled_from([math.nan, math.inf, -math.inf, 1e4])  # what padded positions may hold
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
FEW = settings(max_examples=8)  # shape-only and mutation checks need few examples
HALF = settings(max_examples=12)  # second views of a property the main test already covers


def _bound(dtype) -> float:
    """Default magnitude of test values: small where the dtype is coarse."""
    return {torch.float64: 10.0, torch.float32: 8.0}.get(dtype, 1.0)


@st.composite
def tensors(draw, shape, dtype, bound=None):
    """A tensor of ``shape`` and ``dtype`` with values uniform in ``[-bound, bound]``.

    Values off float64 lie on a grid of sixteenths. Hypothesis draws the seed of a NumPy generator
    rather than every element: the examples stay derandomized and shapes still shrink, at a
    fraction of the cost of drawing hundreds of elements one by one.
    """
    bound = _bound(dtype) if bound is None else bound
    generator = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = generator.uniform(-bound, bound, size=tuple(shape))
    if dtype != torch.float64:
        values = np.round(values * 16) / 16
    return torch.from_numpy(values).to(dtype)


def lengths_of(batch: int, longest: int) -> st.SearchStrategy:
    return st.lists(st.integers(0, longest), min_size=batch, max_size=batch)


def _pad(t: torch.Tensor, lengths, value) -> torch.Tensor:
    """A copy of ``t (B, L, ...)`` holding ``value`` at every position ``>= lengths[b]``."""
    out = t.clone()
    for b, n in enumerate(lengths):
        out[b, int(n):] = value
    return out


def _index(values, dtype=torch.int64) -> torch.Tensor:
    return torch.tensor(values, dtype=dtype)


def _meta(*shape, dtype=torch.float32) -> torch.Tensor:
    return torch.empty(shape, dtype=dtype, device="meta")


def _as_meta(value):
    """``value`` with every tensor (also inside lists and tuples) replaced by a meta tensor like it."""
    if isinstance(value, torch.Tensor):
        return _meta(*value.shape, dtype=value.dtype)
    if isinstance(value, (list, tuple)):
        return type(value)(_as_meta(v) for v in value)
    return value


def _on_meta(student, function, *args):
    """``expect.runs_on`` with the tensors of ``args`` on meta, after the same call on the CPU.

    A call that already fails with these shapes on the CPU fails there as an ordinary error; only
    a call that works on the CPU and fails on meta is a device problem (``hard-coded-device``).
    """
    student.call(function, *args)
    return expect.runs_on(student, function, *_as_meta(args))


def _random(*shape, seed=0, dtype=torch.float64) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)


def _lengths_for(batch: int, longest: int, seed: int = 0) -> torch.Tensor:
    lengths = torch.randint(0, longest + 1, (batch,), generator=torch.Generator().manual_seed(seed))
    lengths[0] = longest  # the default max_len is then always `longest`
    return lengths


def _cuda(*tensors):
    return tuple(t.cuda() for t in tensors)


# rowwise_dot -------------------------------------------------------------------------------


@exercise("gpu_batching.rowwise_dot")
@given(data=st.data(), B=st.integers(1, 6), d=st.integers(1, 6), dtype=FLOAT_DTYPES)
def test_rowwise_dot_matches_reference(student, data, B, d, dtype):
    """row-wise dot products (B,) match the reference in every float dtype"""
    x, y = data.draw(tensors((B, d), dtype)), data.draw(tensors((B, d), dtype))
    expect.close(student.rowwise_dot(x, y), ref.rowwise_dot(x, y))


@exercise("gpu_batching.rowwise_dot")
def test_rowwise_dot_is_vectorized(student):
    """no Python loop over the batch (same op count for B = 3 and B = 12)"""
    small = (_random(3, 5, seed=1), _random(3, 5, seed=2))
    large = (_random(12, 5, seed=3), _random(12, 5, seed=4))
    expect.close(expect.vectorized(student, "rowwise_dot", small, large), ref.rowwise_dot(*large))


@exercise("gpu_batching.rowwise_dot")
def test_rowwise_dot_never_builds_b_by_b(student):
    """no B x B intermediate (B = 256, d = 4: at most 2 B d elements)"""
    x, y = _random(256, 4, seed=5), _random(256, 4, seed=6)
    expect.close(expect.intermediates_at_most(student, "rowwise_dot", (x, y), 2 * 256 * 4), ref.rowwise_dot(x, y))


@exercise("gpu_batching.rowwise_dot")
@FEW
@given(B=st.integers(1, 6), d=st.integers(1, 6), dtype=FLOAT_DTYPES)
def test_rowwise_dot_on_meta(student, B, d, dtype):
    """runs on meta tensors: shape (B,), dtype and device kept"""
    got = _on_meta(student, "rowwise_dot", _random(B, d, seed=1, dtype=dtype), _random(B, d, seed=2, dtype=dtype))
    expect.close(got, _meta(B, dtype=dtype))


@exercise("gpu_batching.rowwise_dot")
@FEW
@given(data=st.data(), B=st.integers(1, 4), d=st.integers(1, 4))
def test_rowwise_dot_leaves_inputs_unchanged(student, data, B, d):
    """x and y are unchanged afterwards"""
    x, y = data.draw(tensors((B, d), torch.float64)), data.draw(tensors((B, d), torch.float64))
    _, (args, _) = student.call("rowwise_dot", x, y, echo_args=True)
    expect.unchanged(x, args[0], what="x")
    expect.unchanged(y, args[1], what="y")


@CUDA
@exercise("gpu_batching.rowwise_dot")
def test_rowwise_dot_on_cuda(student):
    """runs on CUDA tensors and returns a CUDA tensor"""
    x, y = _random(5, 3, seed=7, dtype=torch.float32), _random(5, 3, seed=8, dtype=torch.float32)
    expect.close(expect.runs_on(student, "rowwise_dot", *_cuda(x, y)), ref.rowwise_dot(x, y).cuda())


# batched_matmul ----------------------------------------------------------------------------


@exercise("gpu_batching.batched_matmul")
@given(data=st.data(), B=st.integers(1, 4), n=st.integers(1, 5), m=st.integers(1, 5), p=st.integers(1, 5),
       dtype=FLOAT_DTYPES)
def test_batched_matmul_matches_reference(student, data, B, n, m, p, dtype):
    """(B, n, m) @ (B, m, p) matches the reference in every float dtype"""
    a, b = data.draw(tensors((B, n, m), dtype)), data.draw(tensors((B, m, p), dtype))
    expect.close(student.batched_matmul(a, b), ref.batched_matmul(a, b))


@exercise("gpu_batching.batched_matmul")
def test_batched_matmul_is_vectorized(student):
    """no Python loop over the batch (same op count for B = 3 and B = 12)"""
    small = (_random(3, 2, 4, seed=9), _random(3, 4, 3, seed=10))
    large = (_random(12, 2, 4, seed=11), _random(12, 4, 3, seed=12))
    expect.close(expect.vectorized(student, "batched_matmul", small, large), ref.batched_matmul(*large))


@exercise("gpu_batching.batched_matmul")
@FEW
@given(B=st.integers(1, 4), n=st.integers(1, 5), m=st.integers(1, 5), p=st.integers(1, 5), dtype=FLOAT_DTYPES)
def test_batched_matmul_on_meta(student, B, n, m, p, dtype):
    """runs on meta tensors: shape (B, n, p), dtype and device kept"""
    got = _on_meta(student, "batched_matmul", _random(B, n, m, seed=1, dtype=dtype), _random(B, m, p, seed=2, dtype=dtype))
    expect.close(got, _meta(B, n, p, dtype=dtype))


@exercise("gpu_batching.batched_matmul")
@FEW
@given(data=st.data(), B=st.integers(1, 3), n=st.integers(1, 3), m=st.integers(1, 3), p=st.integers(1, 3))
def test_batched_matmul_leaves_inputs_unchanged(student, data, B, n, m, p):
    """a and b are unchanged afterwards"""
    a, b = data.draw(tensors((B, n, m), torch.float64)), data.draw(tensors((B, m, p), torch.float64))
    _, (args, _) = student.call("batched_matmul", a, b, echo_args=True)
    expect.unchanged(a, args[0], what="a")
    expect.unchanged(b, args[1], what="b")


@CUDA
@exercise("gpu_batching.batched_matmul")
def test_batched_matmul_on_cuda(student):
    """runs on CUDA tensors and returns a CUDA tensor"""
    a, b = _random(2, 3, 4, seed=13, dtype=torch.float32), _random(2, 4, 2, seed=14, dtype=torch.float32)
    expect.close(expect.runs_on(student, "batched_matmul", *_cuda(a, b)), ref.batched_matmul(a, b).cuda())


# pad_sequences -----------------------------------------------------------------------------

TRAILING = st.sampled_from([(), (2,), (2, 3)])
SEQUENCE_DTYPES = st.sampled_from([*FLOATS, torch.int64])


@st.composite
def sequence_lists(draw, dtype=None):
    """A non-empty list of tensors ``(L_i, *F)`` (zero lengths included) of one dtype."""
    dtype = draw(SEQUENCE_DTYPES) if dtype is None else dtype
    trailing = draw(TRAILING)
    sizes = draw(st.lists(st.integers(0, 5), min_size=1, max_size=4))
    if dtype == torch.int64:
        return [torch.from_numpy(draw(hnp.arrays(np.int64, (n, *trailing), elements=st.integers(0, 50)))) for n in sizes]
    return [draw(tensors((n, *trailing), dtype)) for n in sizes]


@exercise("gpu_batching.pad_sequences")
@example(seqs=[torch.ones(0, 2), torch.ones(0, 2)], padding=None)  # every sequence empty
@given(seqs=sequence_lists(), padding=st.sampled_from([None, 0.0, -1.0, 7.0]))
def test_pad_sequences_matches_reference(student, seqs, padding):
    """(padded, lengths) match the reference for any trailing shape and dtype, zero lengths included"""
    kwargs = {} if padding is None else {"padding_value": padding}
    expect.close(student.pad_sequences(seqs, **kwargs), ref.pad_sequences(seqs, **kwargs))


@exercise("gpu_batching.pad_sequences")
@HALF
@given(seqs=sequence_lists(torch.float32))
def test_pad_sequences_pads_with_nan(student, seqs):
    """a NaN padding_value fills exactly the padded positions"""
    expect.close(student.pad_sequences(seqs, math.nan), ref.pad_sequences(seqs, math.nan))


@exercise("gpu_batching.pad_sequences")
def test_pad_sequences_rejects_bad_input(student):
    """an empty list or trailing shapes that differ raise ValueError"""
    for seqs in ([], [torch.ones(2, 3), torch.ones(2, 4)], [torch.ones(2), torch.ones(2, 1)]):
        with expect.raises(ValueError):
            student.pad_sequences(seqs)


@exercise("gpu_batching.pad_sequences")
@FEW
@given(sizes=st.lists(st.integers(0, 5), min_size=1, max_size=4), trailing=TRAILING, dtype=SEQUENCE_DTYPES)
def test_pad_sequences_on_meta(student, sizes, trailing, dtype):
    """runs on meta tensors: padded (B, L_max, *F) and int64 lengths (B,) on meta"""
    got = _on_meta(student, "pad_sequences", [torch.ones(n, *trailing, dtype=dtype) for n in sizes])
    expect.close(got, (_meta(len(sizes), max(sizes), *trailing, dtype=dtype), _meta(len(sizes), dtype=torch.int64)))


@exercise("gpu_batching.pad_sequences")
@FEW
@given(seqs=sequence_lists())
def test_pad_sequences_leaves_inputs_unchanged(student, seqs):
    """the sequences are unchanged afterwards"""
    _, (args, _) = student.call("pad_sequences", seqs, -1, echo_args=True)
    expect.unchanged(seqs, args[0], what="seqs")


@CUDA
@exercise("gpu_batching.pad_sequences")
def test_pad_sequences_on_cuda(student):
    """runs on CUDA tensors; padded and lengths are CUDA tensors"""
    seqs = [_random(n, 2, seed=n, dtype=torch.float32) for n in (3, 0, 1)]
    padded, lengths = ref.pad_sequences(seqs)
    expect.close(expect.runs_on(student, "pad_sequences", list(_cuda(*seqs))), (padded.cuda(), lengths.cuda()))


# length_mask -------------------------------------------------------------------------------

LENGTH_DTYPES = st.sampled_from([torch.int64, torch.int64, torch.int32])


@exercise("gpu_batching.length_mask")
@example(lengths=[0], dtype=torch.int64)
@given(lengths=st.lists(st.integers(0, 6), min_size=1, max_size=6), dtype=LENGTH_DTYPES)
def test_length_mask_default_max_len(student, lengths, dtype):
    """bool (B, max(lengths)) mask, True exactly at t < lengths[b]"""
    lengths = _index(lengths, dtype)
    expect.close(student.length_mask(lengths), ref.length_mask(lengths))


@exercise("gpu_batching.length_mask")
@given(lengths=st.lists(st.integers(0, 6), min_size=1, max_size=6), max_len=st.integers(0, 8))
def test_length_mask_explicit_max_len(student, lengths, max_len):
    """an explicit max_len sets the width (lengths above it give rows of True)"""
    lengths = _index(lengths)
    expect.close(student.length_mask(lengths, max_len), ref.length_mask(lengths, max_len))


@exercise("gpu_batching.length_mask")
def test_length_mask_empty_batch(student):
    """an empty batch with max_len gives a (0, max_len) bool mask"""
    for max_len in (0, 4):
        lengths = _index([])
        expect.close(student.length_mask(lengths, max_len), ref.length_mask(lengths, max_len))


@exercise("gpu_batching.length_mask")
def test_length_mask_is_vectorized(student):
    """no Python loop over the batch (same op count for B = 3 and B = 12)"""
    small, large = (_lengths_for(3, 7, seed=15),), (_lengths_for(12, 7, seed=16),)
    expect.close(expect.vectorized(student, "length_mask", small, large), ref.length_mask(*large))
    expect.close(expect.vectorized(student, "length_mask", (*small, 9), (*large, 9)), ref.length_mask(*large, 9))


@exercise("gpu_batching.length_mask")
@FEW
@given(B=st.integers(0, 6), max_len=st.integers(0, 8), dtype=LENGTH_DTYPES)
def test_length_mask_on_meta(student, B, max_len, dtype):
    """runs on meta lengths with max_len: bool (B, max_len) on meta"""
    got = _on_meta(student, "length_mask", torch.full((B,), min(2, max_len), dtype=dtype), max_len)
    expect.close(got, _meta(B, max_len, dtype=torch.bool))


@exercise("gpu_batching.length_mask")
@FEW
@given(lengths=st.lists(st.integers(0, 6), min_size=1, max_size=6))
def test_length_mask_leaves_lengths_unchanged(student, lengths):
    """lengths is unchanged afterwards"""
    lengths = _index(lengths)
    _, (args, _) = student.call("length_mask", lengths, echo_args=True)
    expect.unchanged(lengths, args[0], what="lengths")


@CUDA
@exercise("gpu_batching.length_mask")
def test_length_mask_on_cuda(student):
    """runs on CUDA lengths and returns a CUDA mask"""
    lengths = _index([3, 0, 5])
    expect.close(expect.runs_on(student, "length_mask", lengths.cuda()), ref.length_mask(lengths).cuda())


# masked_mean -------------------------------------------------------------------------------


@st.composite
def masked_batches(draw, dtype=None, fill=None):
    """``x (B, L, *F)`` holding padding (NaN, inf ...) wherever the bool ``mask (B, L)`` is False."""
    dtype = draw(FLOAT_DTYPES) if dtype is None else dtype
    B, L, trailing = draw(st.integers(1, 5)), draw(st.integers(1, 6)), draw(TRAILING)
    x = draw(tensors((B, L, *trailing), dtype))
    mask = torch.from_numpy(draw(hnp.arrays(np.bool_, (B, L))))
    x[~mask] = draw(PADDING) if fill is None else fill
    return x, mask


@exercise("gpu_batching.masked_mean")
@given(batch=masked_batches())
def test_masked_mean_matches_reference(student, batch):
    """mean over the valid positions matches the reference; NaN/inf padding never leaks in"""
    x, mask = batch
    expect.close(student.masked_mean(x, mask), ref.masked_mean(x, mask))


@exercise("gpu_batching.masked_mean")
@HALF
@given(batch=masked_batches(torch.float64, fill=3.5))
def test_masked_mean_divides_by_the_count(student, batch):
    """divides by the number of valid positions of each row, not by L (finite padding)"""
    x, mask = batch
    expect.close(student.masked_mean(x, mask), ref.masked_mean(x, mask))


@exercise("gpu_batching.masked_mean")
def test_masked_mean_empty_row_is_zero(student):
    """a row with no valid position gives 0, even over NaN padding"""
    x = torch.tensor([[[math.nan, 1.0], [math.inf, 2.0]], [[4.0, 6.0], [math.nan, math.nan]]], dtype=torch.float64)
    mask = torch.tensor([[False, False], [True, False]])
    expect.close(student.masked_mean(x, mask), ref.masked_mean(x, mask))


@exercise("gpu_batching.masked_mean")
def test_masked_mean_is_vectorized(student):
    """no Python loop over the batch (same op count for B = 3 and B = 12)"""
    def case(batch, seed):
        mask = _random(batch, 6, seed=seed) > 0
        return _random(batch, 6, 2, seed=seed + 1).masked_fill(~mask[..., None], math.nan), mask

    small, large = case(3, 17), case(12, 19)
    expect.close(expect.vectorized(student, "masked_mean", small, large), ref.masked_mean(*large))


@exercise("gpu_batching.masked_mean")
@FEW
@given(B=st.integers(1, 5), L=st.integers(1, 6), trailing=TRAILING, dtype=FLOAT_DTYPES)
def test_masked_mean_on_meta(student, B, L, trailing, dtype):
    """runs on meta tensors: shape (B, *F), dtype and device kept"""
    got = _on_meta(student, "masked_mean", _random(B, L, *trailing, seed=1, dtype=dtype), _random(B, L, seed=2) > 0)
    expect.close(got, _meta(B, *trailing, dtype=dtype))


@exercise("gpu_batching.masked_mean")
@FEW
@given(batch=masked_batches(torch.float64))
def test_masked_mean_leaves_inputs_unchanged(student, batch):
    """x and mask are unchanged afterwards"""
    x, mask = batch
    _, (args, _) = student.call("masked_mean", x, mask, echo_args=True)
    expect.unchanged(x, args[0], what="x")
    expect.unchanged(mask, args[1], what="mask")


@CUDA
@exercise("gpu_batching.masked_mean")
def test_masked_mean_on_cuda(student):
    """runs on CUDA tensors and returns a CUDA tensor"""
    x, mask = _random(3, 4, 2, seed=21, dtype=torch.float32), _random(3, 4, seed=22) > 0
    expect.close(expect.runs_on(student, "masked_mean", *_cuda(x, mask)), ref.masked_mean(x, mask).cuda())


# sequence_cross_entropy --------------------------------------------------------------------


@st.composite
def language_batches(draw, dtype=None, fill=None):
    """Logits ``(B, L, V)``, int64 targets ``(B, L)`` and lengths; padding holds NaN, inf, -100 ..."""
    dtype = draw(FLOAT_DTYPES) if dtype is None else dtype
    B, L, V = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(2, 6))
    lengths = draw(lengths_of(B, L))
    logits = draw(tensors((B, L, V), dtype, bound=3.0))
    targets = torch.from_numpy(draw(hnp.arrays(np.int64, (B, L), elements=st.integers(0, V - 1))))
    logits = _pad(logits, lengths, draw(PADDING) if fill is None else fill)
    targets = _pad(targets, lengths, draw(st.sampled_from([-100, 0, V - 1])))
    return logits, targets, _index(lengths)


@exercise("gpu_batching.sequence_cross_entropy")
@given(batch=language_batches())
def test_sequence_cross_entropy_matches_reference(student, batch):
    """token-weighted mean loss matches the reference; NaN/inf logits and -100 targets in padding ignored"""
    expect.close(student.sequence_cross_entropy(*batch), ref.sequence_cross_entropy(*batch))


@exercise("gpu_batching.sequence_cross_entropy")
@HALF
@given(batch=language_batches(torch.float64, fill=2.0))
def test_sequence_cross_entropy_uses_lengths(student, batch):
    """positions past lengths[b] do not count even when their targets are real classes"""
    expect.close(student.sequence_cross_entropy(*batch), ref.sequence_cross_entropy(*batch))


@exercise("gpu_batching.sequence_cross_entropy")
def test_sequence_cross_entropy_is_token_weighted(student):
    """one mean over all tokens, not a mean of per-sequence means"""
    logits = _random(2, 4, 3, seed=23)
    targets = _index([[0, 1, 2, 0], [2, -100, -100, -100]])
    batch = (logits, targets, _index([4, 1]))
    expect.close(student.sequence_cross_entropy(*batch), ref.sequence_cross_entropy(*batch))


@exercise("gpu_batching.sequence_cross_entropy")
def test_sequence_cross_entropy_no_valid_token(student):
    """no valid token at all gives 0 (a 0-d tensor), whatever the padding holds"""
    for dtype in (torch.float32, torch.float64):
        logits = torch.full((2, 3, 4), math.nan, dtype=dtype)
        batch = (logits, torch.full((2, 3), -100, dtype=torch.int64), _index([0, 0]))
        expect.close(student.sequence_cross_entropy(*batch), ref.sequence_cross_entropy(*batch))


@exercise("gpu_batching.sequence_cross_entropy")
def test_sequence_cross_entropy_is_vectorized(student):
    """no Python loop over the batch (same op count for B = 3 and B = 12)"""
    def case(batch, seed):
        lengths = _lengths_for(batch, 5, seed=seed)
        logits = _pad(_random(batch, 5, 7, seed=seed), lengths.tolist(), math.nan)
        targets = _pad(torch.randint(0, 7, (batch, 5), generator=torch.Generator().manual_seed(seed)), lengths.tolist(), -100)
        return logits, targets, lengths

    small, large = case(3, 25), case(12, 26)
    expect.close(expect.vectorized(student, "sequence_cross_entropy", small, large), ref.sequence_cross_entropy(*large))


@exercise("gpu_batching.sequence_cross_entropy")
@FEW
@given(B=st.integers(1, 4), L=st.integers(1, 5), V=st.integers(2, 6), dtype=FLOAT_DTYPES)
def test_sequence_cross_entropy_on_meta(student, B, L, V, dtype):
    """runs on meta tensors: a 0-d result, dtype and device kept"""
    args = (_random(B, L, V, seed=1, dtype=dtype), torch.zeros(B, L, dtype=torch.int64), torch.full((B,), L))
    expect.close(_on_meta(student, "sequence_cross_entropy", *args), _meta(dtype=dtype))


@exercise("gpu_batching.sequence_cross_entropy")
@FEW
@given(batch=language_batches(torch.float64))
def test_sequence_cross_entropy_leaves_inputs_unchanged(student, batch):
    """logits, targets and lengths are unchanged afterwards"""
    _, (args, _) = student.call("sequence_cross_entropy", *batch, echo_args=True)
    for name, before, after in zip(("logits", "targets", "lengths"), batch, args):
        expect.unchanged(before, after, what=name)


@CUDA
@exercise("gpu_batching.sequence_cross_entropy")
def test_sequence_cross_entropy_on_cuda(student):
    """runs on CUDA tensors and returns a CUDA tensor"""
    batch = (_random(2, 3, 4, seed=27, dtype=torch.float32), _index([[0, 1, 2], [3, 0, -100]]), _index([3, 2]))
    expect.close(expect.runs_on(student, "sequence_cross_entropy", *_cuda(*batch)),
                 ref.sequence_cross_entropy(*batch).cuda())


# pairwise_sq_dists -------------------------------------------------------------------------


def _close_distances(got, x, y):
    """The contract's tolerance: the dtype's rtol, atol scaled by max |x_i|^2 + max |y_j|^2; >= 0 exactly."""
    expected = ref.pairwise_sq_dists(x, y)
    rtol, atol = expect.TORCH_TOLERANCE[str(x.dtype).removeprefix("torch.")]
    scale = float((x.double() ** 2).sum(dim=1).max() + (y.double() ** 2).sum(dim=1).max())
    expect.close(got, expected, rtol=rtol, atol=atol * max(1.0, scale))
    negative = got.double() < 0
    expect.constraint(not bool(negative.any()), Text(
        en=f"Every squared distance must be >= 0 exactly; {int(negative.sum())} entries are negative "
           f"(smallest {float(got.double().min()):.3g}). Clamp at 0.",
        ja=f"距離の 2 乗はすべて厳密に 0 以上でなければなりませんが、{int(negative.sum())} 個の要素が負です"
           f"(最小値 {float(got.double().min()):.3g})。0 で切り上げてください。",
    ))


@exercise("gpu_batching.pairwise_sq_dists")
@given(data=st.data(), N=st.integers(1, 6), M=st.integers(1, 6), d=st.integers(1, 6), dtype=FLOAT_DTYPES)
def test_pairwise_sq_dists_matches_reference(student, data, N, M, d, dtype):
    """(N, M) squared distances match the reference in every float dtype"""
    x, y = data.draw(tensors((N, d), dtype)), data.draw(tensors((M, d), dtype))
    _close_distances(student.pairwise_sq_dists(x, y), x, y)


@exercise("gpu_batching.pairwise_sq_dists")
@given(data=st.data(), N=st.integers(1, 6), d=st.integers(1, 4), dtype=FLOAT_DTYPES,
       offset=st.sampled_from([0.0, 100.0, 1000.0]))
def test_pairwise_sq_dists_is_never_negative(student, data, N, d, dtype, offset):
    """near-duplicate points far from the origin: values within tolerance and every entry >= 0"""
    if dtype in LOW_PRECISION:
        offset = min(offset, 8.0)  # keep |x|^2 finite in float16
    x = data.draw(tensors((N, d), dtype, bound=1.0)) + torch.tensor(offset, dtype=dtype)
    order = data.draw(st.permutations(range(N)))
    y = torch.cat([x[list(order)], x[:1]])  # exact copies of every point, in another order
    _close_distances(student.pairwise_sq_dists(x, y), x, y)


@exercise("gpu_batching.pairwise_sq_dists")
def test_pairwise_sq_dists_memory(student):
    """no intermediate larger than max(N*M, N*d, M*d): no (N, M, d) broadcast"""
    x, y = _random(20, 16, seed=28), _random(10, 16, seed=29)
    limit = max(20 * 10, 20 * 16, 10 * 16)
    _close_distances(expect.intermediates_at_most(student, "pairwise_sq_dists", (x, y), limit), x, y)


@exercise("gpu_batching.pairwise_sq_dists")
def test_pairwise_sq_dists_is_vectorized(student):
    """no Python loop over the points (same op count for 3 x 4 and 12 x 16 points)"""
    small = (_random(3, 5, seed=30), _random(4, 5, seed=31))
    large = (_random(12, 5, seed=32), _random(16, 5, seed=33))
    _close_distances(expect.vectorized(student, "pairwise_sq_dists", small, large), *large)


@exercise("gpu_batching.pairwise_sq_dists")
@FEW
@given(N=st.integers(1, 6), M=st.integers(1, 6), d=st.integers(1, 6), dtype=FLOAT_DTYPES)
def test_pairwise_sq_dists_on_meta(student, N, M, d, dtype):
    """runs on meta tensors: shape (N, M), dtype and device kept"""
    got = _on_meta(student, "pairwise_sq_dists", _random(N, d, seed=1, dtype=dtype), _random(M, d, seed=2, dtype=dtype))
    expect.close(got, _meta(N, M, dtype=dtype))


@exercise("gpu_batching.pairwise_sq_dists")
@FEW
@given(data=st.data(), N=st.integers(1, 4), M=st.integers(1, 4), d=st.integers(1, 4))
def test_pairwise_sq_dists_leaves_inputs_unchanged(student, data, N, M, d):
    """x and y are unchanged afterwards"""
    x, y = data.draw(tensors((N, d), torch.float64)), data.draw(tensors((M, d), torch.float64))
    _, (args, _) = student.call("pairwise_sq_dists", x, y, echo_args=True)
    expect.unchanged(x, args[0], what="x")
    expect.unchanged(y, args[1], what="y")


@CUDA
@exercise("gpu_batching.pairwise_sq_dists")
def test_pairwise_sq_dists_on_cuda(student):
    """runs on CUDA tensors and returns a CUDA tensor"""
    x, y = _random(4, 3, seed=34, dtype=torch.float32), _random(5, 3, seed=35, dtype=torch.float32)
    _close_distances(expect.runs_on(student, "pairwise_sq_dists", *_cuda(x, y)), *_cuda(x, y))


# to_device ---------------------------------------------------------------------------------

Pair = collections.namedtuple("Pair", ["first", "second"])
Batch = collections.namedtuple("Batch", ["input_ids", "attention_mask", "labels"])
KEYS = st.sampled_from(["input_ids", "labels", "mask", "z", "a", "meta", "lengths"])
TARGETS = st.sampled_from(["meta", torch.device("meta"), "cpu"])


@st.composite
def small_tensors(draw):
    dtype = draw(st.sampled_from([torch.float32, torch.float64, torch.float16, torch.int64, torch.bool]))
    shape = draw(S.shapes(0, 2, 0, 3))
    values = np.asarray(np.round(draw(S.arrays(shape, -4, 4)) * 4) / 4)
    return torch.from_numpy(values).to(dtype)


LEAVES = st.one_of(
    small_tensors(), small_tensors(), st.integers(-5, 5), S.reals(-10, 10), st.sampled_from(["wiki", "", "ja"]),
    st.none(), st.booleans(), S.arrays((2,), -1, 1),
)
STRUCTURES = st.recursive(LEAVES, lambda children: st.one_of(
    st.lists(children, max_size=3),
    st.lists(children, max_size=3).map(tuple),
    st.dictionaries(KEYS, children, max_size=4),
    st.tuples(children, children).map(lambda t: Pair(*t)),
    st.tuples(children, children, children).map(lambda t: Batch(*t)),
), max_leaves=10)

_ORDERED = {"z": torch.ones(2), "a": [torch.zeros(1, dtype=torch.int64), ("x", None)],
            "m": Batch(torch.arange(3), torch.ones(3, dtype=torch.bool), {"labels": torch.arange(2), "n": 2})}


def _kind(value) -> str:
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        return f"namedtuple {type(value).__name__}{tuple(type(value)._fields)}"
    return type(value).__name__


def _mismatch(stage, where, en, ja, expected=None, got=None):
    text = Text(en=f"{where}: {en}", ja=f"{where}: {ja}")
    return expect.fail(stage, text, expected=expected, got=got)


def _same_structure(got, expected, device, where="result"):
    """``got`` must be ``expected`` with every tensor on ``device``: same container types, order, leaves."""
    if _kind(got) != _kind(expected):
        raise _mismatch("type", where, f"got a {_kind(got)}, expected a {_kind(expected)} (container types are kept exactly).",
                        f"{_kind(expected)} であるべきところが {_kind(got)} になっています(コンテナの型はそのまま保ちます)。")
    if isinstance(expected, torch.Tensor):
        target = torch.device(device)
        if got.device.type != target.type or target.index not in (None, got.device.index):
            raise _mismatch("device", where, f"the tensor is on {got.device}, expected {torch.device(device)}.",
                            f"テンソルが {got.device} 上にあります。{torch.device(device)} 上にあるべきです。")
        if got.dtype != expected.dtype or tuple(got.shape) != tuple(expected.shape):
            raise _mismatch("values", where, f"the tensor became {got.dtype} {tuple(got.shape)}, expected "
                            f"{expected.dtype} {tuple(expected.shape)}.",
                            f"テンソルが {got.dtype} {tuple(got.shape)} になっています。{expected.dtype} "
                            f"{tuple(expected.shape)} のままであるべきです。")
        if got.device.type != "meta" and not torch.equal(got.cpu(), expected.cpu()):
            raise _mismatch("values", where, "the tensor's values changed.", "テンソルの値が変わっています。",
                            expected=expected, got=got)
        return
    if isinstance(expected, dict):
        if list(got) != list(expected):
            raise _mismatch("shape", where, f"keys {list(got)}, expected {list(expected)} in this order.",
                            f"キーが {list(got)} になっています。この順序で {list(expected)} であるべきです。")
        for key in expected:
            _same_structure(got[key], expected[key], device, f"{where}[{key!r}]")
        return
    if isinstance(expected, (list, tuple)):
        if len(got) != len(expected):
            raise _mismatch("shape", where, f"{len(got)} elements, expected {len(expected)}.",
                            f"要素が {len(got)} 個あります。{len(expected)} 個であるべきです。")
        for index, (g, e) in enumerate(zip(got, expected)):
            _same_structure(g, e, device, f"{where}[{index}]")
        return
    same = (np.array_equal(got, expected) and got.dtype == expected.dtype) if isinstance(expected, np.ndarray) else got == expected
    if not same:
        raise _mismatch("values", where, "this object should be returned as it is.",
                        "このオブジェクトはそのまま返すべきです。", expected=expected, got=got)


@exercise("gpu_batching.to_device")
@example(obj=_ORDERED, device="meta")
@example(obj=Batch(torch.ones(2, 3), None, [torch.zeros(2)]), device=torch.device("meta"))
@given(obj=STRUCTURES, device=TARGETS)
def test_to_device_moves_every_tensor(student, obj, device):
    """every tensor moved; dict/list/tuple/namedtuple types, key order and other objects kept"""
    _same_structure(student.to_device(obj, device), obj, device)


def _tensor_leaves(value, where="obj"):
    """``(path, tensor)`` for every tensor inside nested dicts, lists and tuples, in order."""
    if isinstance(value, torch.Tensor):
        return [(where, value)]
    if isinstance(value, dict):
        return [leaf for key in value for leaf in _tensor_leaves(value[key], f"{where}[{key!r}]")]
    if isinstance(value, (list, tuple)):
        return [leaf for i, v in enumerate(value) for leaf in _tensor_leaves(v, f"{where}[{i}]")]
    return []


@exercise("gpu_batching.to_device")
@FEW
@given(inner=STRUCTURES)
def test_to_device_leaves_input_unchanged(student, inner):
    """the input structure and its tensors are unchanged afterwards"""
    obj = [torch.arange(3), inner]
    _, (args, _) = student.call("to_device", obj, "meta", echo_args=True)
    try:
        _same_structure(args[0], obj, "cpu", "obj")
    except StageFailure as failure:
        raise expect.fail("mutation", Msg.of("stage.mutation", what="obj"), diagnosis="mutates-input") from failure
    for (where, before), (_, after) in zip(_tensor_leaves(obj), _tensor_leaves(args[0])):
        expect.unchanged(before, after, what=where)


@CUDA
@exercise("gpu_batching.to_device")
def test_to_device_to_cuda(student):
    """moves a nested batch to CUDA"""
    _same_structure(student.to_device(_ORDERED, "cuda"), _ORDERED, "cuda")


# chunked_apply -----------------------------------------------------------------------------

ROW_FUNCTIONS = st.sampled_from(["rows_softmax", "rows_norm", "rows_argmax", "rows_outer", "rows_affine"])


@exercise("gpu_batching.chunked_apply")
@example(name="rows_norm", n=7, d=3, chunk=3, dtype=torch.float64)  # a shorter last chunk
@given(name=ROW_FUNCTIONS, n=st.integers(1, 10), d=st.integers(1, 4), chunk=st.integers(1, 12), dtype=FLOAT_DTYPES)
def test_chunked_apply_equals_fn_of_x(student, name, n, d, chunk, dtype):
    """equals fn(x), and fn never sees more than chunk_size rows"""
    x = _random(n, d, seed=n * 100 + d, dtype=dtype)
    fn = F(name, max_rows=chunk)
    expect.close(student.chunked_apply(fn, x, chunk), ref.chunked_apply(fn, x, chunk))


@exercise("gpu_batching.chunked_apply")
@given(name=ROW_FUNCTIONS, d=st.integers(1, 4), chunk=st.integers(1, 4))
def test_chunked_apply_zero_rows(student, name, d, chunk):
    """an x with 0 rows gives fn(x) (its shape and dtype)"""
    x, fn = torch.zeros(0, d), F(name, max_rows=chunk)
    expect.close(student.chunked_apply(fn, x, chunk), ref.chunked_apply(fn, x, chunk))


@exercise("gpu_batching.chunked_apply")
def test_chunked_apply_rejects_bad_chunk_size(student):
    """chunk_size < 1 raises ValueError"""
    for chunk in (0, -1, -4):
        with expect.raises(ValueError):
            student.chunked_apply(F("rows_softmax"), _random(3, 2, seed=36), chunk)


@exercise("gpu_batching.chunked_apply")
def test_chunked_apply_cost_grows_with_chunks_only(student):
    """same op count for 3 chunks of 4 rows and 3 chunks of 16 rows (no loop over rows)"""
    small = (F("rows_softmax", max_rows=4), _random(12, 3, seed=37), 4)
    large = (F("rows_softmax", max_rows=16), _random(48, 3, seed=38), 16)
    expect.close(expect.vectorized(student, "chunked_apply", small, large), ref.chunked_apply(*large))


@exercise("gpu_batching.chunked_apply")
@FEW
@given(name=ROW_FUNCTIONS, n=st.integers(0, 10), d=st.integers(1, 4), chunk=st.integers(1, 12), dtype=FLOAT_DTYPES)
def test_chunked_apply_on_meta(student, name, n, d, chunk, dtype):
    """runs on meta tensors: same shape, dtype and device as fn(x)"""
    fn = F(name)  # no row limit here: a failure on meta must mean a device problem, nothing else
    got = _on_meta(student, "chunked_apply", fn, _random(n, d, seed=1, dtype=dtype), chunk)
    shape, out_dtype = {"rows_norm": ((n,), dtype), "rows_argmax": ((n,), torch.int64),
                        "rows_outer": ((n, d, d), dtype)}.get(name, ((n, d), dtype))
    expect.close(got, _meta(*shape, dtype=out_dtype))  # what fn(x) gives


@exercise("gpu_batching.chunked_apply")
@FEW
@given(n=st.integers(0, 6), chunk=st.integers(1, 4))
def test_chunked_apply_leaves_x_unchanged(student, n, chunk):
    """x is unchanged afterwards"""
    x = _random(n, 3, seed=39)
    _, (args, _) = student.call("chunked_apply", F("rows_affine", max_rows=chunk), x, chunk, echo_args=True)
    expect.unchanged(x, args[1], what="x")


@CUDA
@exercise("gpu_batching.chunked_apply")
def test_chunked_apply_on_cuda(student):
    """runs on CUDA tensors and returns a CUDA tensor"""
    x, fn = _random(7, 3, seed=40, dtype=torch.float32), F("rows_softmax", max_rows=3)
    expect.close(expect.runs_on(student, "chunked_apply", fn, x.cuda(), 3), ref.chunked_apply(fn, x, 3).cuda())


# padded_causal_attention -------------------------------------------------------------------


@st.composite
def attention_batches(draw, dtype=None, fill=None):
    """``q, k, v (B, L, d)`` with padding (NaN, inf ...) past ``lengths (B,)``."""
    dtype = draw(FLOAT_DTYPES) if dtype is None else dtype
    B, L, d = draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(1, 6))
    lengths = draw(lengths_of(B, L))
    pad = draw(PADDING) if fill is None else fill
    q, k, v = (_pad(draw(tensors((B, L, d), dtype, bound=1.0)), lengths, pad) for _ in range(3))
    return q, k, v, _index(lengths)


@exercise("gpu_batching.padded_causal_attention")
@given(batch=attention_batches())
def test_padded_causal_attention_matches_reference(student, batch):
    """each sequence attends causally to its own real positions; NaN/inf padding never leaks in"""
    expect.close(student.padded_causal_attention(*batch), ref.padded_causal_attention(*batch))


@exercise("gpu_batching.padded_causal_attention")
@HALF
@given(batch=attention_batches(torch.float64, fill=0.75))
def test_padded_causal_attention_zero_padded_rows(student, batch):
    """out[b, n:] is 0 even when the padding is finite, and length-0 sequences give zeros"""
    expect.close(student.padded_causal_attention(*batch), ref.padded_causal_attention(*batch))


@exercise("gpu_batching.padded_causal_attention")
@HALF
@given(data=st.data(), B=st.integers(1, 3), L=st.integers(1, 5), d=st.integers(1, 6))
def test_padded_causal_attention_without_padding(student, data, B, L, d):
    """full-length sequences give plain causal attention (scale 1/sqrt(d))"""
    q, k, v = (data.draw(tensors((B, L, d), torch.float64, bound=3.0)) for _ in range(3))
    batch = (q, k, v, _index([L] * B))
    expect.close(student.padded_causal_attention(*batch), ref.padded_causal_attention(*batch))


@exercise("gpu_batching.padded_causal_attention")
def test_padded_causal_attention_is_vectorized(student):
    """no Python loop over the batch (same op count for B = 3 and B = 12)"""
    def case(batch, seed):
        lengths = _lengths_for(batch, 5, seed=seed)
        q, k, v = (_pad(_random(batch, 5, 4, seed=seed + i), lengths.tolist(), math.nan) for i in range(3))
        return q, k, v, lengths

    small, large = case(3, 41), case(12, 45)
    expect.close(expect.vectorized(student, "padded_causal_attention", small, large), ref.padded_causal_attention(*large))


@exercise("gpu_batching.padded_causal_attention")
@FEW
@given(B=st.integers(1, 4), L=st.integers(1, 5), d=st.integers(1, 6), dtype=FLOAT_DTYPES)
def test_padded_causal_attention_on_meta(student, B, L, d, dtype):
    """runs on meta tensors: shape (B, L, d), dtype and device kept"""
    args = (*(_random(B, L, d, seed=i, dtype=dtype) for i in range(3)), torch.full((B,), L))
    expect.close(_on_meta(student, "padded_causal_attention", *args), _meta(B, L, d, dtype=dtype))


@exercise("gpu_batching.padded_causal_attention")
@FEW
@given(batch=attention_batches(torch.float64))
def test_padded_causal_attention_leaves_inputs_unchanged(student, batch):
    """q, k, v and lengths are unchanged afterwards"""
    _, (args, _) = student.call("padded_causal_attention", *batch, echo_args=True)
    for name, before, after in zip(("q", "k", "v", "lengths"), batch, args):
        expect.unchanged(before, after, what=name)


@CUDA
@exercise("gpu_batching.padded_causal_attention")
def test_padded_causal_attention_on_cuda(student):
    """runs on CUDA tensors and returns a CUDA tensor"""
    lengths = _index([3, 1])
    q, k, v = (_pad(_random(2, 3, 4, seed=50 + i, dtype=torch.float32), [3, 1], math.nan) for i in range(3))
    got = expect.runs_on(student, "padded_causal_attention", *_cuda(q, k, v, lengths))
    expect.close(got, ref.padded_causal_attention(q, k, v, lengths).cuda())
