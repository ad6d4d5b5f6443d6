"""Catalogued mistakes of the attention topic.

Each function below is a realistic wrong version of one exercise, named and signed exactly like
it; its diagnosis text lives in ``tensorkata/catalog/attention.toml`` under the same id. Several
come straight from habits the seed notes teach: ``key.T`` and ``key.shape[1]`` (right for 2-D
arrays, wrong once a batch axis appears), a causal mask of float ones from ``torch.tril``, a
softmax without the max subtraction. Others are the classic multi-head and RoPE slips (reshaping
straight to ``(B, H, L, d)``, ``nn.Linear``'s ``x @ w.T``, the rotate-half pairing of other
libraries, float32 angles).

The probes are float64 tensors (plus one float32/float16 probe where a mistake only shows in low
precision, and one ``meta`` probe for the device mistake). Batched probes with ``Lq != Lk`` and
``d = 4`` expose ``k.T`` and ``shape[1]``; a fully masked row separates NaN from uniform from
zeros; scores of ``1e4`` break a softmax without the max subtraction; non-symmetric weights
expose ``x @ w.T``; positions up to ``123456`` in float32 expose low-precision angles.
"""

import math

import torch

from graders.mistakes import mistake, probe
from reference.attention import attention_scores, masked_softmax, scaled_dot_product_attention  # siblings

# --- attention_scores -------------------------------------------------------------------------


@mistake("attention.attention_scores", "no-scaling")
def attention_scores(q, k):
    return q @ k.transpose(-2, -1)


@mistake("attention.attention_scores", "divides-by-d")
def attention_scores(q, k):
    return q @ k.transpose(-2, -1) / q.shape[-1]


@mistake("attention.attention_scores", "transpose-all-axes")
def attention_scores(q, k):
    return q @ k.T / math.sqrt(k.shape[-1])  # k.T reverses every axis of a batched tensor


@mistake("attention.attention_scores", "scale-by-shape-1")
def attention_scores(q, k):
    return q @ k.transpose(-2, -1) / math.sqrt(k.shape[1])  # d only when k is 2-D


# --- causal_mask ------------------------------------------------------------------------------


@mistake("attention.causal_mask", "hard-coded-device")
def causal_mask(L, device=None):
    idx = torch.arange(L)  # always on the CPU
    return idx[:, None] >= idx[None, :]


@mistake("attention.causal_mask", "excludes-diagonal")
def causal_mask(L, device=None):
    idx = torch.arange(L, device=device)
    return idx[None, :] < idx[:, None]


@mistake("attention.causal_mask", "upper-triangle")
def causal_mask(L, device=None):
    return torch.ones(L, L, dtype=torch.bool, device=device).triu()


@mistake("attention.causal_mask", "additive-mask")
def causal_mask(L, device=None):
    return torch.full((L, L), float("-inf"), device=device).triu(1)  # 0 = keep, -inf = masked


# --- masked_softmax ---------------------------------------------------------------------------


@mistake("attention.masked_softmax", "nan-on-fully-masked-row")
def masked_softmax(scores, mask=None):
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1)


@mistake("attention.masked_softmax", "uniform-on-fully-masked-row")
def masked_softmax(scores, mask=None):
    if mask is not None:
        scores = scores.masked_fill(~mask, -1e9)
    return torch.softmax(scores, dim=-1)


@mistake("attention.masked_softmax", "no-max-subtraction")
def masked_softmax(scores, mask=None):
    e = torch.exp(scores)
    if mask is not None:
        e = e * mask
    return e / e.sum(dim=-1, keepdim=True)


@mistake("attention.masked_softmax", "inverted-mask")
def masked_softmax(scores, mask=None):
    if mask is None:
        return torch.softmax(scores, dim=-1)
    drop = mask.expand(scores.shape)  # True read as "mask out", as in nn.MultiheadAttention
    probs = torch.softmax(scores.masked_fill(drop, float("-inf")), dim=-1)
    return probs.masked_fill(drop.all(dim=-1, keepdim=True), 0.0)


@mistake("attention.masked_softmax", "no-renormalization")
def masked_softmax(scores, mask=None):
    probs = torch.softmax(scores, dim=-1)
    return probs if mask is None else probs * mask


# --- scaled_dot_product_attention -------------------------------------------------------------


@mistake("attention.scaled_dot_product_attention", "softmax-over-queries")
def scaled_dot_product_attention(q, k, v, mask=None):
    scores = attention_scores(q, k)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=1)  # axis 1 is the key axis only for 2-D scores
    return weights @ v, weights


@mistake("attention.scaled_dot_product_attention", "ignores-mask")
def scaled_dot_product_attention(q, k, v, mask=None):
    weights = masked_softmax(attention_scores(q, k))
    return weights @ v, weights


@mistake("attention.scaled_dot_product_attention", "swapped-outputs")
def scaled_dot_product_attention(q, k, v, mask=None):
    weights = masked_softmax(attention_scores(q, k), mask)
    return weights, weights @ v


@mistake("attention.scaled_dot_product_attention", "scale-after-softmax")
def scaled_dot_product_attention(q, k, v, mask=None):
    weights = masked_softmax(q @ k.transpose(-2, -1), mask) / math.sqrt(q.shape[-1])
    return weights @ v, weights


# --- multi_head_attention ---------------------------------------------------------------------


@mistake("attention.multi_head_attention", "reshape-without-transpose")
def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None, kv=None):
    kv = x if kv is None else kv
    B, Lq, D = x.shape
    if n_heads < 1 or D % n_heads:
        raise ValueError(f"bad n_heads {n_heads} for D={D}")
    d = D // n_heads
    q = (x @ w_q).reshape(B, n_heads, Lq, d)  # mixes positions and features
    k = (kv @ w_k).reshape(B, n_heads, kv.shape[1], d)
    v = (kv @ w_v).reshape(B, n_heads, kv.shape[1], d)
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    return out.reshape(B, Lq, D) @ w_o, weights


@mistake("attention.multi_head_attention", "merge-without-transpose")
def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None, kv=None):
    kv = x if kv is None else kv
    B, Lq, D = x.shape
    if n_heads < 1 or D % n_heads:
        raise ValueError(f"bad n_heads {n_heads} for D={D}")
    d = D // n_heads
    q = (x @ w_q).reshape(B, Lq, n_heads, d).transpose(1, 2)
    k = (kv @ w_k).reshape(B, kv.shape[1], n_heads, d).transpose(1, 2)
    v = (kv @ w_v).reshape(B, kv.shape[1], n_heads, d).transpose(1, 2)
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    return out.reshape(B, Lq, D) @ w_o, weights  # (B, H, Lq, d) read as (B, Lq, D)


@mistake("attention.multi_head_attention", "scale-by-model-dim")
def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None, kv=None):
    kv = x if kv is None else kv
    B, Lq, D = x.shape
    if n_heads < 1 or D % n_heads:
        raise ValueError(f"bad n_heads {n_heads} for D={D}")
    d = D // n_heads
    q = (x @ w_q).reshape(B, Lq, n_heads, d).transpose(1, 2)
    k = (kv @ w_k).reshape(B, kv.shape[1], n_heads, d).transpose(1, 2)
    v = (kv @ w_v).reshape(B, kv.shape[1], n_heads, d).transpose(1, 2)
    weights = masked_softmax(q @ k.transpose(-2, -1) / math.sqrt(D), mask)  # sqrt(D), not sqrt(D/H)
    out = (weights @ v).transpose(1, 2).reshape(B, Lq, D)
    return out @ w_o, weights


@mistake("attention.multi_head_attention", "linear-convention")
def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None, kv=None):
    kv = x if kv is None else kv
    B, Lq, D = x.shape
    if n_heads < 1 or D % n_heads:
        raise ValueError(f"bad n_heads {n_heads} for D={D}")
    d = D // n_heads
    q = (x @ w_q.T).reshape(B, Lq, n_heads, d).transpose(1, 2)  # nn.Linear's x @ W^T
    k = (kv @ w_k.T).reshape(B, kv.shape[1], n_heads, d).transpose(1, 2)
    v = (kv @ w_v.T).reshape(B, kv.shape[1], n_heads, d).transpose(1, 2)
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    return out.transpose(1, 2).reshape(B, Lq, D) @ w_o.T, weights


@mistake("attention.multi_head_attention", "ignores-kv")
def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None, kv=None):
    B, Lq, D = x.shape
    if n_heads < 1 or D % n_heads:
        raise ValueError(f"bad n_heads {n_heads} for D={D}")
    d = D // n_heads
    q = (x @ w_q).reshape(B, Lq, n_heads, d).transpose(1, 2)
    k = (x @ w_k).reshape(B, Lq, n_heads, d).transpose(1, 2)  # keys and values from x, always
    v = (x @ w_v).reshape(B, Lq, n_heads, d).transpose(1, 2)
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    return out.transpose(1, 2).reshape(B, Lq, D) @ w_o, weights


@mistake("attention.multi_head_attention", "no-head-check")
def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None, kv=None):
    kv = x if kv is None else kv
    B, Lq, D = x.shape
    d = D // n_heads  # n_heads is never checked: reshape or the division fails instead
    q = (x @ w_q).reshape(B, Lq, n_heads, d).transpose(1, 2)
    k = (kv @ w_k).reshape(B, kv.shape[1], n_heads, d).transpose(1, 2)
    v = (kv @ w_v).reshape(B, kv.shape[1], n_heads, d).transpose(1, 2)
    out, weights = scaled_dot_product_attention(q, k, v, mask)
    return out.transpose(1, 2).reshape(B, Lq, D) @ w_o, weights


# --- sinusoidal_positions ---------------------------------------------------------------------


@mistake("attention.sinusoidal_positions", "sin-cos-halves")
def sinusoidal_positions(L, d, base=10000.0, dtype=torch.float32, device=None):
    if d % 2:
        raise ValueError(f"odd d={d}")
    p = torch.arange(L, dtype=torch.float64, device=device)[:, None]
    angle = p / base ** (torch.arange(0, d, 2, dtype=torch.float64, device=device) / d)
    return torch.cat([torch.sin(angle), torch.cos(angle)], dim=-1).to(dtype)  # [sin | cos]


@mistake("attention.sinusoidal_positions", "exponent-uses-column")
def sinusoidal_positions(L, d, base=10000.0, dtype=torch.float32, device=None):
    if d % 2:
        raise ValueError(f"odd d={d}")
    p = torch.arange(L, dtype=torch.float64, device=device)[:, None]
    j = torch.arange(d, dtype=torch.float64, device=device)
    angle = p / base ** (j / d)  # column j uses j/d; the odd columns should use (j-1)/d
    even = (torch.arange(d, device=device) % 2) == 0
    return torch.where(even, torch.sin(angle), torch.cos(angle)).to(dtype)


@mistake("attention.sinusoidal_positions", "float32-angles")
def sinusoidal_positions(L, d, base=10000.0, dtype=torch.float32, device=None):
    if d % 2:
        raise ValueError(f"odd d={d}")
    position = torch.arange(L, dtype=torch.float32, device=device)[:, None]
    div = torch.exp(torch.arange(0, d, 2, device=device).float() * (-math.log(base) / d))
    pe = torch.zeros(L, d, device=device)
    pe[:, 0::2] = torch.sin(position * div)
    pe[:, 1::2] = torch.cos(position * div)
    return pe.to(dtype)


@mistake("attention.sinusoidal_positions", "ignores-dtype")
def sinusoidal_positions(L, d, base=10000.0, dtype=torch.float32, device=None):
    if d % 2:
        raise ValueError(f"odd d={d}")
    p = torch.arange(L, dtype=torch.float64, device=device)[:, None]
    angle = p / base ** (torch.arange(0, d, 2, dtype=torch.float64, device=device) / d)
    pe = torch.zeros(L, d, dtype=torch.float64, device=device)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle)
    return pe.float()  # always float32, whatever dtype was asked for


# --- apply_rope -------------------------------------------------------------------------------


@mistake("attention.apply_rope", "rotate-half")
def apply_rope(x, positions=None, base=10000.0):
    L, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(f"odd d={d}")
    p = torch.arange(L, device=x.device) if positions is None else torch.as_tensor(positions, device=x.device)
    theta = p.to(torch.float64)[:, None] * base ** (-torch.arange(0, d, 2, dtype=torch.float64, device=x.device) / d)
    cos, sin = torch.cos(theta).to(x.dtype), torch.sin(theta).to(x.dtype)
    a, b = x[..., : d // 2], x[..., d // 2:]  # pairs (i, i + d/2) instead of (2i, 2i+1)
    return torch.cat([a * cos - b * sin, a * sin + b * cos], dim=-1)


@mistake("attention.apply_rope", "rotation-sign")
def apply_rope(x, positions=None, base=10000.0):
    L, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(f"odd d={d}")
    p = torch.arange(L, device=x.device) if positions is None else torch.as_tensor(positions, device=x.device)
    theta = p.to(torch.float64)[:, None] * base ** (-torch.arange(0, d, 2, dtype=torch.float64, device=x.device) / d)
    cos, sin = torch.cos(theta).to(x.dtype), torch.sin(theta).to(x.dtype)
    a, b = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = a * cos + b * sin  # rotates by -theta
    out[..., 1::2] = b * cos - a * sin
    return out


@mistake("attention.apply_rope", "low-precision-angles")
def apply_rope(x, positions=None, base=10000.0):
    L, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(f"odd d={d}")
    p = torch.arange(L, device=x.device) if positions is None else torch.as_tensor(positions, device=x.device)
    inv_freq = 1.0 / base ** (torch.arange(0, d, 2, device=x.device).to(x.dtype) / d)
    theta = p.to(x.dtype)[:, None] * inv_freq  # angles in x's dtype (float32: off by 1e-3 rad at 1e5)
    cos, sin = torch.cos(theta), torch.sin(theta)
    a, b = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = a * sin + b * cos
    return out


@mistake("attention.apply_rope", "ignores-positions")
def apply_rope(x, positions=None, base=10000.0):
    L, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(f"odd d={d}")
    p = torch.arange(L, dtype=torch.float64, device=x.device)  # 0..L-1 whatever was passed
    theta = p[:, None] * base ** (-torch.arange(0, d, 2, dtype=torch.float64, device=x.device) / d)
    cos, sin = torch.cos(theta).to(x.dtype), torch.sin(theta).to(x.dtype)
    a, b = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = a * sin + b * cos
    return out


# The mistake definitions above rebind the sibling names; the mistakes that call a sibling must
# reach the correct one.
from reference.attention import attention_scores, masked_softmax, scaled_dot_product_attention  # noqa: E402,F811


def _t(values, dtype=torch.float64) -> torch.Tensor:
    return torch.tensor(values, dtype=dtype)


def _ramp(*shape, scale=1.0, shift=0.0) -> torch.Tensor:
    """Deterministic, non-symmetric float64 values of ``shape`` (no random generator needed)."""
    n = math.prod(shape)
    return (torch.sin(torch.arange(n, dtype=torch.float64) * 1.3 + shift) * scale).reshape(shape)


_Q3, _K3, _V3 = _ramp(2, 3, 4), _ramp(2, 5, 4, shift=0.5), _ramp(2, 5, 3, shift=1.0)
_MASK35 = _t([[1, 0, 1, 1, 0], [1, 1, 0, 0, 0], [0, 1, 1, 1, 1]], torch.bool)  # every row keeps a key
_X, _KV = _ramp(2, 3, 4), _ramp(2, 5, 4, shift=0.7)
_W = [_ramp(4, 4, scale=0.6, shift=s) for s in (0.1, 0.2, 0.3, 0.4)]

PROBES = {
    "attention.attention_scores": [
        probe(_ramp(3, 4), _ramp(5, 4, shift=0.5)),
        probe(_Q3, _K3),
        probe(_ramp(1, 2, 3, 4), _ramp(1, 2, 6, 4, shift=0.2)),
    ],
    "attention.causal_mask": [
        probe(4),
        probe(1),
        probe(5, device=torch.device("meta")),
    ],
    "attention.masked_softmax": [
        probe(_t([[1.0, 2.0, 3.0], [0.5, -0.5, 2.0]]), _t([[False, False, False], [True, False, True]], torch.bool)),
        probe(_t([[1e4, 9999.0, -1e4], [3.0, 1.0, 2.0]]), _t([True, True, False], torch.bool)),
        probe(_ramp(2, 3, 5), _MASK35),
        probe(_ramp(2, 4)),
    ],
    "attention.scaled_dot_product_attention": [
        probe(_ramp(3, 4), _ramp(5, 4, shift=0.5), _ramp(5, 2, shift=1.0)),
        probe(_Q3, _K3, _V3, _MASK35),
        probe(_Q3, _K3, _V3),
    ],
    "attention.multi_head_attention": [
        probe(_X, *_W, 2),
        probe(_X, *_W, 2, mask=_t([[1, 0, 0], [1, 1, 0], [1, 1, 1]], torch.bool)),
        probe(_X, *_W, 2, kv=_KV, mask=_t([[[[1, 1, 0, 1, 0]]], [[[1, 1, 1, 0, 0]]]], torch.bool)),
        probe(_X, *_W, 3),  # D = 4 is not divisible by 3
    ],
    "attention.sinusoidal_positions": [
        probe(6, 4, dtype=torch.float64),
        probe(3000, 8, dtype=torch.float64),
        probe(5, 6, 100.0, torch.float16),
        probe(3, 5),
    ],
    "attention.apply_rope": [
        probe(_ramp(2, 4, 6)),
        probe(_ramp(4, 4), [0, 2.5, 7, 100]),
        probe(_ramp(5, 4).to(torch.float32), torch.tensor([0, 1000, 4097, 30000, 123456])),
        probe(_ramp(3, 5)),
    ],
}
