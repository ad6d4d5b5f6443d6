"""Public checks of gpu_batching: tiny float64 batches with readable values, each case aimed at one
trap of the topic (B != d, non-square matrices, a sum that float32 cancels away, sequences of
unequal and zero length, a non-zero padding value, trailing shapes that differ, max_len above the
longest length, finite, NaN and inf padding, padded targets that are real classes, rows and
batches with no valid token, near-duplicate points far from the origin, nested containers and a
namedtuple sent to ``meta`` (a moved tensor has no values, an unmoved one keeps them), row counts
that chunks do not divide, an empty input), with values unlike the hidden ones."""

import collections
import math

import torch

from graders.mistakes import probe
from tensorkata.worker.functions import F

nan, inf = math.nan, math.inf

Item = collections.namedtuple("Item", ["tokens", "info"])


def _t(values, dtype=torch.float64) -> torch.Tensor:
    return torch.tensor(values, dtype=dtype)


def _ints(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.int64)


def _mask(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.bool)


CASES = {
    "gpu_batching.rowwise_dot": [
        probe(_t([[1.0, 0.0, 2.0], [-1.0, 3.0, 1.0]]), _t([[2.0, 1.0, 0.0], [1.0, 1.0, -1.0]])),
        probe(_t([[1.0, 2.0], [0.0, 1.0], [2.0, -1.0]]), _t([[3.0, 0.0], [1.0, 1.0], [0.5, 2.0]])),
    ],
    "gpu_batching.batched_matmul": [
        probe(_t([[[1.0, 2.0], [0.0, 1.0]]]), _t([[[1.0, -1.0], [3.0, 0.5]]])),
        probe(_t([[[1.0, 0.0, 2.0]], [[0.5, 1.0, -1.0]]]), _t([[[1.0, 0.0], [2.0, 1.0], [0.0, 3.0]], [[2.0, 2.0], [0.0, 1.0], [1.0, -1.0]]])),
        probe(_t([[[4.0, 3e8, -3e8]]]), _t([[[1.0], [1.0], [1.0]]])),  # float32 loses the 4
    ],
    "gpu_batching.pad_sequences": [
        probe([_t([1.0, 2.0]), _t([3.0])], padding_value=-1.0),
        probe([_t([[1.0, 2.0]]), _t([]).reshape(0, 2), _t([[3.0, 4.0], [5.0, 6.0]])], 9.0),
        probe([_t([[1.0, 2.0, 3.0]]), _t([[4.0, 5.0]])]),
    ],
    "gpu_batching.length_mask": [
        probe(_ints([1, 2])),
        probe(_ints([0, 2]), 3),
    ],
    "gpu_batching.masked_mean": [
        probe(_t([[2.0, 4.0, 9.0], [1.0, 5.0, 3.0]]), _mask([[True, True, False], [True, False, True]])),
        probe(_t([[nan, nan], [3.0, nan]]), _mask([[False, False], [True, False]])),
        probe(_t([[[1.0, 2.0], [inf, -inf], [3.0, 0.0]]]), _mask([[True, False, True]])),
    ],
    "gpu_batching.sequence_cross_entropy": [
        probe(_t([[[0.0, 0.0], [0.0, 0.0]], [[2.0, 0.0], [1.0, 1.0]]]), _ints([[0, 1], [1, 0]]), _ints([2, 1])),
        probe(_t([[[1.0, 0.0, 0.0], [nan, nan, nan]]]), _ints([[2, -100]]), _ints([1])),
        probe(_t([[[1.0, 2.0]]]), _ints([[-100]]), _ints([0])),
    ],
    "gpu_batching.pairwise_sq_dists": [
        probe(_t([[0.0, 0.0], [1.0, 2.0]]), _t([[3.0, 4.0], [1.0, 0.0], [-1.0, 2.0]])),
        probe(_t([[8765.432, 5678.123]]), _t([[8765.43201, 5678.123]])),  # |x|^2 + |y|^2 - 2 x.y < 0 unclamped
    ],
    "gpu_batching.to_device": [
        probe({"x": _t([1.0, 2.0]), "n": 3}, "meta"),
        probe([_ints([0, 1]), (_t([2.5]), "a")], "meta"),
        probe(Item(_ints([[4, 5]]), {"mask": _mask([True, False]), "lang": "ja"}), torch.device("meta")),
    ],
    "gpu_batching.chunked_apply": [
        probe(F("rows_norm", max_rows=1), _t([]).reshape(0, 2), 1),
        probe(F("rows_affine", max_rows=2), _t([[1.0, 0.0], [2.0, -1.0], [0.5, 3.0]]), 2),
        probe(F("rows_outer", max_rows=2), _t([[1.0, 2.0], [0.0, 1.0], [-1.0, 1.0], [2.0, 0.5]]), 2),
    ],
    "gpu_batching.padded_causal_attention": [
        probe(*(_t([[[1.0, 0.0], [0.5, 2.0]]]) + s for s in (0.0, 1.0, 2.0)), _ints([2])),
        probe(*(_t([[[1.0, -1.0], [2.0, 0.0]], [[0.5, 1.0], [nan, nan]]]) * s for s in (1.0, 0.5, 2.0)), _ints([2, 1])),
    ],
}
