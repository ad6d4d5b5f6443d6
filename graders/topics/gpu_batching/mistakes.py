"""Catalogued mistakes of the gpu_batching topic.

Each function below is a realistic wrong version of one exercise, named and signed exactly like
it; its diagnosis text lives in ``tensorkata/catalog/gpu_batching.toml`` under the same id. Only
mistakes that change a *value* (or the exception raised) are catalogued here, because the judge
names a mistake by reproducing its outputs on the probes. The mistakes that keep the values
right and break a rule of the contract instead (a Python loop over the batch, a ``B x B`` or
``(N, M, d)`` intermediate, ``torch.arange`` without ``device=``, mutating an input) are caught
by the engine's own diagnoses (``loop-over-batch``, ``large-intermediate``, ``hard-coded-device``,
``mutates-input``); ``tests/test_rules_gpu_batching.py`` proves that.

The probes are float64 tensors with unequal lengths (so that a mean of per-sequence means
differs from the token mean), padding that is finite but non-zero in some probes (so that
ignoring a mask changes the value) and ``NaN`` in others (so that multiplying by a mask shows),
rows with no valid position, ``meta`` as the target device of ``to_device`` (an unmoved tensor
keeps its values, a moved one has none), and named row functions that refuse more than
``chunk_size`` rows.
"""

import collections
import math

import numpy as np  # noqa: F401  (a mistake body may use np, math and torch)
import torch

from graders.mistakes import mistake, probe
from tensorkata.worker.functions import F

# --- rowwise_dot ----------------------------------------------------------------------------


@mistake("gpu_batching.rowwise_dot", "rowwise-dot-all-pairs")
def rowwise_dot(x, y):
    return (x @ y.T).sum(dim=1)  # row i of x against every row of y


@mistake("gpu_batching.rowwise_dot", "rowwise-dot-keepdim")
def rowwise_dot(x, y):
    return (x * y).sum(dim=-1, keepdim=True)  # (B, 1)


@mistake("gpu_batching.rowwise_dot", "rowwise-dot-wrong-dim")
def rowwise_dot(x, y):
    return (x * y).sum(dim=0)  # sums over the batch: (d,)


# --- batched_matmul -------------------------------------------------------------------------


@mistake("gpu_batching.batched_matmul", "bmm-transposed-b")
def batched_matmul(a, b):
    return a @ b.transpose(1, 2)  # the q @ k^T habit


@mistake("gpu_batching.batched_matmul", "bmm-elementwise")
def batched_matmul(a, b):
    return a * b


@mistake("gpu_batching.batched_matmul", "bmm-float32")
def batched_matmul(a, b):
    return torch.bmm(a.float(), b.float())


# --- pad_sequences --------------------------------------------------------------------------


@mistake("gpu_batching.pad_sequences", "pad-ignores-padding-value")
def pad_sequences(seqs, padding_value=0.0):
    seqs = list(seqs)
    if not seqs:
        raise ValueError("pad_sequences: empty list")
    trailing = tuple(seqs[0].shape[1:])
    for s in seqs:
        if tuple(s.shape[1:]) != trailing:
            raise ValueError(f"pad_sequences: trailing shapes differ: {tuple(s.shape)}")
    longest = max(s.shape[0] for s in seqs)
    padded = seqs[0].new_zeros((len(seqs), longest, *trailing))  # always zeros
    for i, s in enumerate(seqs):
        padded[i, : s.shape[0]] = s
    return padded, torch.tensor([s.shape[0] for s in seqs], dtype=torch.int64, device=seqs[0].device)


@mistake("gpu_batching.pad_sequences", "pad-left")
def pad_sequences(seqs, padding_value=0.0):
    seqs = list(seqs)
    if not seqs:
        raise ValueError("pad_sequences: empty list")
    trailing = tuple(seqs[0].shape[1:])
    for s in seqs:
        if tuple(s.shape[1:]) != trailing:
            raise ValueError(f"pad_sequences: trailing shapes differ: {tuple(s.shape)}")
    longest = max(s.shape[0] for s in seqs)
    padded = seqs[0].new_full((len(seqs), longest, *trailing), padding_value)
    for i, s in enumerate(seqs):
        padded[i, longest - s.shape[0]:] = s  # sequences end at the last position
    return padded, torch.tensor([s.shape[0] for s in seqs], dtype=torch.int64, device=seqs[0].device)


@mistake("gpu_batching.pad_sequences", "pad-time-major")
def pad_sequences(seqs, padding_value=0.0):
    seqs = list(seqs)
    if not seqs:
        raise ValueError("pad_sequences: empty list")
    trailing = tuple(seqs[0].shape[1:])
    for s in seqs:
        if tuple(s.shape[1:]) != trailing:
            raise ValueError(f"pad_sequences: trailing shapes differ: {tuple(s.shape)}")
    padded = torch.nn.utils.rnn.pad_sequence(seqs, padding_value=padding_value)  # batch_first=False
    return padded, torch.tensor([s.shape[0] for s in seqs], dtype=torch.int64, device=seqs[0].device)


@mistake("gpu_batching.pad_sequences", "pad-no-validation")
def pad_sequences(seqs, padding_value=0.0):
    padded = torch.nn.utils.rnn.pad_sequence(list(seqs), batch_first=True, padding_value=padding_value)
    return padded, torch.tensor([s.shape[0] for s in seqs], dtype=torch.int64, device=padded.device)


# --- length_mask ----------------------------------------------------------------------------


@mistake("gpu_batching.length_mask", "mask-off-by-one")
def length_mask(lengths, max_len=None):
    if max_len is None:
        max_len = int(lengths.max())
    return torch.arange(max_len, device=lengths.device)[None, :] <= lengths[:, None]


@mistake("gpu_batching.length_mask", "mask-inverted")
def length_mask(lengths, max_len=None):
    if max_len is None:
        max_len = int(lengths.max())
    return torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]  # True = padding


@mistake("gpu_batching.length_mask", "mask-ignores-max-len")
def length_mask(lengths, max_len=None):
    longest = int(lengths.max())
    return torch.arange(longest, device=lengths.device)[None, :] < lengths[:, None]


# --- masked_mean ----------------------------------------------------------------------------


@mistake("gpu_batching.masked_mean", "masked-mean-nan-padding")
def masked_mean(x, mask):
    m = mask.reshape(*mask.shape, *([1] * (x.dim() - 2)))
    count = mask.sum(dim=1).clamp(min=1).reshape(-1, *([1] * (x.dim() - 2)))
    return ((x * m).sum(dim=1) / count).to(x.dtype)  # 0 * NaN = NaN


@mistake("gpu_batching.masked_mean", "masked-mean-divides-by-length")
def masked_mean(x, mask):
    m = mask.reshape(*mask.shape, *([1] * (x.dim() - 2)))
    return torch.where(m, x, 0).sum(dim=1) / x.shape[1]


@mistake("gpu_batching.masked_mean", "masked-mean-empty-row-nan")
def masked_mean(x, mask):
    m = mask.reshape(*mask.shape, *([1] * (x.dim() - 2)))
    count = mask.sum(dim=1).reshape(-1, *([1] * (x.dim() - 2)))
    return (torch.where(m, x, 0).sum(dim=1) / count).to(x.dtype)  # 0 / 0 = NaN for an empty row


@mistake("gpu_batching.masked_mean", "masked-mean-ignores-mask")
def masked_mean(x, mask):
    return x.mean(dim=1)


# --- sequence_cross_entropy -----------------------------------------------------------------


@mistake("gpu_batching.sequence_cross_entropy", "seq-ce-mean-of-means")
def sequence_cross_entropy(logits, targets, lengths):
    L = logits.shape[1]
    valid = torch.arange(L, device=logits.device)[None, :] < lengths[:, None]
    log_probs = torch.log_softmax(torch.where(valid[..., None], logits, 0), dim=-1)
    picked = log_probs.gather(-1, torch.where(valid, targets, 0)[..., None]).squeeze(-1)
    per_sequence = -torch.where(valid, picked, 0).sum(dim=1) / lengths  # mean of each sequence
    return per_sequence.mean().to(logits.dtype)


@mistake("gpu_batching.sequence_cross_entropy", "seq-ce-ignores-lengths")
def sequence_cross_entropy(logits, targets, lengths):
    V = logits.shape[-1]
    return torch.nn.functional.cross_entropy(logits.reshape(-1, V), targets.reshape(-1))  # relies on -100


@mistake("gpu_batching.sequence_cross_entropy", "seq-ce-nan-padding")
def sequence_cross_entropy(logits, targets, lengths):
    L = logits.shape[1]
    valid = torch.arange(L, device=logits.device)[None, :] < lengths[:, None]
    log_probs = torch.log_softmax(logits, dim=-1)
    picked = log_probs.gather(-1, targets.clamp(min=0)[..., None]).squeeze(-1)
    return (-(picked * valid).sum() / valid.sum().clamp(min=1)).to(logits.dtype)  # 0 * NaN = NaN


@mistake("gpu_batching.sequence_cross_entropy", "seq-ce-empty-nan")
def sequence_cross_entropy(logits, targets, lengths):
    L = logits.shape[1]
    valid = torch.arange(L, device=logits.device)[None, :] < lengths[:, None]
    log_probs = torch.log_softmax(torch.where(valid[..., None], logits, 0), dim=-1)
    picked = log_probs.gather(-1, torch.where(valid, targets, 0)[..., None]).squeeze(-1)
    return (-torch.where(valid, picked, 0).sum() / valid.sum()).to(logits.dtype)  # 0 / 0 with no token


# --- pairwise_sq_dists ----------------------------------------------------------------------


@mistake("gpu_batching.pairwise_sq_dists", "sq-dists-no-clamp")
def pairwise_sq_dists(x, y):
    x_sq, y_sq = (x * x).sum(dim=1), (y * y).sum(dim=1)
    return x_sq[:, None] + y_sq[None, :] - 2 * (x @ y.T)


@mistake("gpu_batching.pairwise_sq_dists", "sq-dists-not-squared")
def pairwise_sq_dists(x, y):
    x_sq, y_sq = (x * x).sum(dim=1), (y * y).sum(dim=1)
    return (x_sq[:, None] + y_sq[None, :] - 2 * (x @ y.T)).clamp(min=0).sqrt()


@mistake("gpu_batching.pairwise_sq_dists", "sq-dists-plus-cross")
def pairwise_sq_dists(x, y):
    x_sq, y_sq = (x * x).sum(dim=1), (y * y).sum(dim=1)
    return (x_sq[:, None] + y_sq[None, :] + 2 * (x @ y.T)).clamp(min=0)


@mistake("gpu_batching.pairwise_sq_dists", "sq-dists-transposed-norms")
def pairwise_sq_dists(x, y):
    x_sq, y_sq = (x * x).sum(dim=1), (y * y).sum(dim=1)
    return (x_sq[None, :] + y_sq[:, None] - 2 * (x @ y.T)).clamp(min=0)


# --- to_device ------------------------------------------------------------------------------


@mistake("gpu_batching.to_device", "to-device-top-level-only")
def to_device(obj, device):
    def move(value):
        return value.to(device) if isinstance(value, torch.Tensor) else value  # no recursion

    if isinstance(obj, torch.Tensor):
        return obj.to(device)
    if isinstance(obj, dict):
        return {key: move(value) for key, value in obj.items()}
    if isinstance(obj, tuple) and hasattr(type(obj), "_fields"):
        return type(obj)(*[move(value) for value in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)([move(value) for value in obj])
    return obj


@mistake("gpu_batching.to_device", "to-device-drops-non-tensors")
def to_device(obj, device):
    def move(value):
        if isinstance(value, torch.Tensor):
            return value.to(device)
        if isinstance(value, dict):  # keeps only what can be moved
            return {k: move(v) for k, v in value.items() if isinstance(v, (torch.Tensor, dict, list, tuple))}
        if isinstance(value, tuple) and hasattr(type(value), "_fields"):
            return type(value)(*[move(v) for v in value])
        if isinstance(value, (list, tuple)):
            return type(value)([move(v) for v in value])
        return value

    return move(obj)


@mistake("gpu_batching.to_device", "to-device-namedtuple-generator")
def to_device(obj, device):
    def move(value):
        if isinstance(value, torch.Tensor):
            return value.to(device)
        if isinstance(value, dict):
            return {k: move(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(move(v) for v in value)  # a namedtuple wants positional fields
        return value

    return move(obj)


@mistake("gpu_batching.to_device", "to-device-ignores-sequences")
def to_device(obj, device):
    def move(value):
        if isinstance(value, torch.Tensor):
            return value.to(device)
        if isinstance(value, dict):
            return {k: move(v) for k, v in value.items()}
        return value  # lists, tuples and namedtuples returned untouched

    return move(obj)


# --- chunked_apply --------------------------------------------------------------------------


@mistake("gpu_batching.chunked_apply", "chunked-whole-x")
def chunked_apply(fn, x, chunk_size):
    if chunk_size < 1:
        raise ValueError(f"chunked_apply: chunk_size must be >= 1, got {chunk_size}")
    return fn(x)  # right values, but fn sees every row at once


@mistake("gpu_batching.chunked_apply", "chunked-drops-remainder")
def chunked_apply(fn, x, chunk_size):
    if chunk_size < 1:
        raise ValueError(f"chunked_apply: chunk_size must be >= 1, got {chunk_size}")
    n_chunks = x.shape[0] // chunk_size
    return torch.cat([fn(x[i * chunk_size:(i + 1) * chunk_size]) for i in range(n_chunks)], dim=0)


@mistake("gpu_batching.chunked_apply", "chunked-empty-input")
def chunked_apply(fn, x, chunk_size):
    if chunk_size < 1:
        raise ValueError(f"chunked_apply: chunk_size must be >= 1, got {chunk_size}")
    return torch.cat([fn(x[i:i + chunk_size]) for i in range(0, x.shape[0], chunk_size)], dim=0)


@mistake("gpu_batching.chunked_apply", "chunked-stack")
def chunked_apply(fn, x, chunk_size):
    if chunk_size < 1:
        raise ValueError(f"chunked_apply: chunk_size must be >= 1, got {chunk_size}")
    return torch.stack([fn(chunk) for chunk in torch.split(x, chunk_size)])  # a new leading dimension


# --- padded_causal_attention ----------------------------------------------------------------


@mistake("gpu_batching.padded_causal_attention", "padded-attn-no-causal")
def padded_causal_attention(q, k, v, lengths):
    B, L, d = q.shape
    valid = torch.arange(L, device=q.device)[None, :] < lengths[:, None]  # (B, L)
    allowed = valid[:, None, :] & valid[:, :, None]  # padding only: every real key is visible
    q_, k_, v_ = (torch.where(valid[..., None], t, 0) for t in (q, k, v))
    scores = (q_ @ k_.transpose(-2, -1) / math.sqrt(d)).masked_fill(~allowed, float("-inf"))
    weights = torch.where(allowed, torch.softmax(scores, dim=-1), 0)
    return weights @ v_


@mistake("gpu_batching.padded_causal_attention", "padded-attn-no-scale")
def padded_causal_attention(q, k, v, lengths):
    B, L, d = q.shape
    pos = torch.arange(L, device=q.device)
    valid = pos[None, :] < lengths[:, None]
    allowed = (pos[None, :] <= pos[:, None])[None] & valid[:, None, :] & valid[:, :, None]
    q_, k_, v_ = (torch.where(valid[..., None], t, 0) for t in (q, k, v))
    scores = (q_ @ k_.transpose(-2, -1)).masked_fill(~allowed, float("-inf"))  # no 1/sqrt(d)
    weights = torch.where(allowed, torch.softmax(scores, dim=-1), 0)
    return weights @ v_


@mistake("gpu_batching.padded_causal_attention", "padded-attn-padded-rows-nonzero")
def padded_causal_attention(q, k, v, lengths):
    B, L, d = q.shape
    pos = torch.arange(L, device=q.device)
    valid = pos[None, :] < lengths[:, None]
    allowed = (pos[None, :] <= pos[:, None])[None] & valid[:, None, :]  # keys masked, queries not
    v_ = torch.where(valid[..., None], v, 0)
    scores = (q @ k.transpose(-2, -1) / math.sqrt(d)).masked_fill(~allowed, float("-inf"))
    weights = torch.where(allowed, torch.softmax(scores, dim=-1), 0)
    return weights @ v_


@mistake("gpu_batching.padded_causal_attention", "padded-attn-nan-leak")
def padded_causal_attention(q, k, v, lengths):
    B, L, d = q.shape
    pos = torch.arange(L, device=q.device)
    valid = pos[None, :] < lengths[:, None]
    allowed = (pos[None, :] <= pos[:, None])[None] & valid[:, None, :] & valid[:, :, None]
    scores = (q @ k.transpose(-2, -1) / math.sqrt(d)).masked_fill(~allowed, float("-inf"))
    weights = torch.where(allowed, torch.softmax(scores, dim=-1), 0)
    return weights @ v  # a zero weight times a NaN value is still NaN


# ---------------------------------------------------------------------------------------------
# Probes. Every tensor is float64 (or int64 / bool), built deterministically.


def _t(values, dtype=torch.float64):
    return torch.tensor(values, dtype=dtype)


def _seeded(*shape, seed):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def _padded(tensor, lengths, fill):
    """``tensor (B, L, ...)`` with every position ``t >= lengths[b]`` set to ``fill``."""
    out = tensor.clone()
    for b, n in enumerate(lengths):
        out[b, n:] = fill
    return out


Batch = collections.namedtuple("Batch", ["input_ids", "lengths", "source"])

_LENGTHS_A, _LENGTHS_B, _LENGTHS_EMPTY = [3, 1], [2, 1], [0, 0]
# Points far from the origin whose twins differ by one part in 1e12: |x|^2 + |y|^2 - 2 x.y
# cancels to a negative number of order -1e-8 without the clamp.
_FAR = _t([[9993.99, 7854.61, 7534.39], [9683.96, 6254.11, -1283.02]])

PROBES = {
    "gpu_batching.rowwise_dot": [
        probe(_seeded(3, 2, seed=1), _seeded(3, 2, seed=2)),
        probe(_t([[1.0, 2.0], [3.0, -1.0]]), _t([[0.5, -1.0], [2.0, 4.0]])),
    ],
    "gpu_batching.batched_matmul": [
        probe(_seeded(2, 2, 2, seed=3), _seeded(2, 2, 2, seed=4)),
        probe(_seeded(2, 2, 3, seed=5), _seeded(2, 3, 4, seed=6)),
        probe(_t([[[1e8, 1.0, -1e8]]]), _t([[[1.0], [1.0], [1.0]]])),  # float32 loses the 1
    ],
    "gpu_batching.pad_sequences": [
        probe([_seeded(1, 2, seed=7), _seeded(3, 2, seed=8)], padding_value=-1.0),
        probe([_seeded(2, seed=9), _seeded(0, seed=10), _seeded(3, seed=11)], 5.0),
        probe([]),
        probe([_seeded(2, 3, seed=12), _seeded(2, 4, seed=13)]),
    ],
    "gpu_batching.length_mask": [
        probe(_t([2, 0, 3], torch.int64)),
        probe(_t([1, 2], torch.int64), 4),
    ],
    "gpu_batching.masked_mean": [
        probe(_padded(_seeded(2, 3, 2, seed=14), [2, 1], math.nan), _t([[True, True, False], [True, False, False]], torch.bool)),
        probe(_t([[5.0, 5.0, 5.0], [1.0, 5.0, 2.0]]), _t([[False, False, False], [True, False, True]], torch.bool)),
        probe(_t([[1.0, 2.0, 7.0], [4.0, -3.0, 7.0]]), _t([[True, True, False], [True, True, False]], torch.bool)),
    ],
    "gpu_batching.sequence_cross_entropy": [
        probe(_seeded(2, 3, 3, seed=15), _t([[0, 2, 1], [1, 2, 0]], torch.int64), _t(_LENGTHS_A, torch.int64)),
        probe(_padded(_seeded(2, 3, 3, seed=16), _LENGTHS_B, math.nan), _t([[2, 0, -100], [1, -100, -100]], torch.int64),
              _t(_LENGTHS_B, torch.int64)),
        probe(_seeded(2, 3, 3, seed=17), _t([[-100] * 3] * 2, torch.int64), _t(_LENGTHS_EMPTY, torch.int64)),
    ],
    "gpu_batching.pairwise_sq_dists": [
        probe(_seeded(3, 2, seed=18), 3 * _seeded(3, 2, seed=19)),
        probe(_seeded(2, 3, seed=20), _seeded(4, 3, seed=21)),
        probe(_FAR, _FAR * (1 + 1e-12)),
    ],
    "gpu_batching.to_device": [
        probe({"ids": _t([1, 2], torch.int64), "inner": {"mask": _t([True, False], torch.bool)}, "name": "batch"}, "meta"),
        probe([_seeded(2, seed=22), (_seeded(1, seed=23), 3), {"x": _seeded(2, seed=24)}], "meta"),
        probe(Batch(_t([[1, 2]], torch.int64), _t([2], torch.int64), "wiki"), torch.device("meta")),
    ],
    "gpu_batching.chunked_apply": [
        probe(F("rows_norm", max_rows=2), _seeded(5, 3, seed=25), 2),
        probe(F("rows_argmax", max_rows=3), _seeded(0, 3, seed=26), 3),
        probe(F("rows_softmax", max_rows=2), _seeded(4, 2, seed=27), 2),  # chunks divide the rows evenly
    ],
    "gpu_batching.padded_causal_attention": [
        probe(*(_padded(_seeded(2, 3, 2, seed=s), [3, 2], 4.0) for s in (28, 29, 30)), _t([3, 2], torch.int64)),
        probe(*(_padded(_seeded(2, 3, 2, seed=s), [2, 0], math.nan) for s in (31, 32, 33)), _t([2, 0], torch.int64)),
    ],
}
