"""Public checks of attention: tiny float64 tensors with readable values, each case aimed at one
trap of the topic (a batch axis with Lq != Lk != d for ``k.T`` and ``shape[1]``, a fully masked
row, scores large enough to overflow exp, a mask that broadcasts, cross-attention with ``kv``,
non-symmetric weights, two heads, an ``n_heads`` that does not divide D, a float16 table, an angle
near pi where float32 angles show, given and large RoPE positions), with values unlike the hidden
ones. A meta-device case is kept only where a catalogued mistake differs by nothing else."""

import torch

from graders.mistakes import probe


def _t(values, dtype=torch.float64) -> torch.Tensor:
    return torch.tensor(values, dtype=dtype)


def _mask(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.bool)


_W_2 = [_t([[1.0, 0.5], [-0.5, 0.25]]), _t([[0.5, -1.0], [0.25, 0.75]]),
        _t([[0.0, 1.0], [1.5, -0.5]]), _t([[1.0, -0.25], [0.5, 0.5]])]  # (D, D) = (2, 2), none symmetric

CASES = {
    "attention.attention_scores": [
        probe(_t([[1.0, 0.0], [1.0, 2.0]]), _t([[2.0, 1.0], [0.0, -1.0], [1.0, 1.0]])),
        probe(_t([[[1.0, 0.0, -1.0]], [[0.5, 1.0, 0.0]]]), _t([[[1.0, 1.0, 1.0], [0.0, 2.0, 0.0]], [[-1.0, 0.0, 1.0], [2.0, 0.5, 0.0]]])),
    ],
    "attention.causal_mask": [
        probe(2),
        probe(3),
        probe(2, device=torch.device("meta")),
    ],
    "attention.masked_softmax": [
        probe(_t([[800.0, 799.0, 0.0]])),
        probe(_t([[0.0, 1.0, 2.0], [1.0, -1.0, 0.5]]), _mask([[True, False, True], [False, False, False]])),
        probe(_t([[[2.0, 0.0, 1.0], [0.5, 0.5, -1.0]]]), _mask([False, True, True])),
    ],
    "attention.scaled_dot_product_attention": [
        probe(_t([[1.0, 0.0], [0.0, 1.0]]), _t([[1.0, 1.0], [2.0, 0.0], [0.0, -1.0]]), _t([[1.0], [0.0], [2.0]])),
        probe(_t([[[1.0, 0.0], [0.0, 2.0]], [[1.0, 1.0], [-1.0, 0.0]]]),
              _t([[[1.0, 0.0], [0.5, 1.0], [0.0, -1.0]], [[2.0, 0.0], [1.0, 1.0], [0.0, 1.0]]]),
              _t([[[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]], [[1.0, -1.0], [0.0, 3.0], [1.0, 0.0]]]),
              _mask([True, True, False])),
    ],
    "attention.multi_head_attention": [
        probe(_t([[[1.0, 0.0], [0.5, -1.0]]]), *_W_2, 2),
        probe(_t([[[1.0, 0.5]]]), *_W_2, 1, mask=_mask([True, False, True]),
              kv=_t([[[0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]]])),
        probe(_t([[[1.0, 0.0], [0.5, -1.0]]]), *_W_2, 3),  # D = 2 is not divisible by 3
    ],
    "attention.sinusoidal_positions": [
        probe(2, 4),
        probe(3, 6, 2.0, torch.float64),  # 2 * 2^(-1/3) is close to pi: float32 angles show in sin
        probe(3, 4, 100.0, torch.float16),
    ],
    "attention.apply_rope": [
        probe(_t([[1.0, 0.0], [1.0, 0.0]])),
        probe(_t([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0]]), [3, 0.5]),
        probe(_t([[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]], torch.float32), torch.tensor([3, 77777])),
    ],
}
