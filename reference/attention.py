"""Trusted oracle for the ``attention`` topic.

Every hidden test compares a submission with these functions, so they are built to be easy to
trust: each one upcasts its tensor inputs to float64 (the very values the submission received,
so a float16 input is compared on the float16 numbers it holds), hands the mathematics to a
library call (``torch.matmul``, ``torch.softmax``, ``torch.nn.functional.scaled_dot_product_attention``,
``torch.tril``, complex multiplication by ``torch.polar`` for the rotations) and casts the float64
result back to the input's dtype at the very end, as the contract says results are compared. It
shares no code with ``solutions/attention.py`` (never import it here).

Where the library and the contract disagree, the contract wins explicitly: a fully masked row of
``torch.softmax`` (and of ``scaled_dot_product_attention`` in some torch versions) is NaN, and
the contract wants zeros, so those rows are overwritten with ``torch.where``. Every function also
runs on ``meta`` tensors (shape and dtype only), which the hidden suite uses for expected
results there.

The oracle runs on one intra-op thread (``_single_threaded``): its tensors are tiny, and on a busy
machine waking a second OpenMP thread made a single ``torch.softmax`` cost 25 ms instead of 5 us,
which was most of the suite's running time. The previous thread count is restored afterwards.
"""

import functools
import math

import torch
import torch.nn.functional as F

F64 = torch.float64


def _single_threaded(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return function(*args, **kwargs)
        finally:
            torch.set_num_threads(threads)

    return wrapper


def _check_mask(name: str, mask, shape) -> torch.Tensor:
    if mask.dtype != torch.bool:
        raise ValueError(f"{name}: mask must be a bool tensor, got dtype {mask.dtype}")
    # The broadcasting rule by hand (torch.broadcast_shapes costs a 1.6 s import on first use):
    # aligned from the right, every mask axis is 1 or equal to the target's.
    padded = (1,) * (len(shape) - mask.dim()) + tuple(mask.shape)
    if mask.dim() > len(shape) or any(m != 1 and m != n for m, n in zip(padded, shape)):
        raise ValueError(f"{name}: mask of shape {tuple(mask.shape)} does not broadcast to {tuple(shape)}")
    return mask.expand(shape)


@_single_threaded
def attention_scores(q, k):
    """``q k^T / sqrt(d)`` by ``torch.matmul`` in float64, cast to ``q``'s dtype."""
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"attention_scores: q {tuple(q.shape)} and k {tuple(k.shape)} differ in d")
    scores = torch.matmul(q.to(F64), k.to(F64).mT) / math.sqrt(q.shape[-1])
    return scores.to(q.dtype)


@_single_threaded
def causal_mask(L, device=None):
    """``torch.tril`` of a bool matrix of ones, made on ``device``."""
    if L < 0:
        raise ValueError(f"causal_mask: L must be >= 0, got {L}")
    return torch.tril(torch.ones((L, L), dtype=torch.bool, device=device))


def _softmax64(scores64: torch.Tensor, keep) -> torch.Tensor:
    """``torch.softmax`` over kept positions; fully masked rows forced to 0 (torch gives NaN)."""
    if keep is None:
        return torch.softmax(scores64, dim=-1)
    filled = scores64.masked_fill(~keep, -math.inf)
    probs = torch.softmax(filled, dim=-1)
    any_kept = keep.any(dim=-1, keepdim=True)  # (..., 1)
    return torch.where(any_kept & keep, probs, torch.zeros((), dtype=F64, device=probs.device))


@_single_threaded
def masked_softmax(scores, mask=None):
    """``torch.softmax`` in float64 with masked positions (and fully masked rows) exactly 0."""
    keep = None if mask is None else _check_mask("masked_softmax", mask, scores.shape)
    return _softmax64(scores.to(F64), keep).to(scores.dtype)


@_single_threaded
def scaled_dot_product_attention(q, k, v, mask=None):
    """``out`` from ``F.scaled_dot_product_attention``, ``weights`` from ``torch.softmax``, in float64."""
    q64, k64, v64 = q.to(F64), k.to(F64), v.to(F64)
    scores = torch.matmul(q64, k64.mT) / math.sqrt(q.shape[-1])  # (..., Lq, Lk)
    keep = None if mask is None else _check_mask("scaled_dot_product_attention", mask, scores.shape)
    weights = _softmax64(scores, keep)
    out = F.scaled_dot_product_attention(q64, k64, v64, attn_mask=keep)  # bool mask: True = take part
    if keep is not None:  # a query with no key left: zeros, whatever torch's kernel returns
        out = torch.where(keep.any(dim=-1, keepdim=True), out, torch.zeros((), dtype=F64, device=out.device))
    return out.to(q.dtype), weights.to(q.dtype)


@_single_threaded
def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None, kv=None):
    """Projections by ``torch.matmul``, heads by ``unflatten``/``flatten``, attention as above, in float64.

    ``tests/test_rules_attention.py`` checks this oracle against ``torch.nn.MultiheadAttention``
    (which cannot express the zero rows of fully masked queries, hence not used directly).
    """
    kv = x if kv is None else kv
    if x.dim() != 3 or kv.dim() != 3 or kv.shape[0] != x.shape[0] or kv.shape[2] != x.shape[2]:
        raise ValueError(f"multi_head_attention: bad shapes x {tuple(x.shape)}, kv {tuple(kv.shape)}")
    B, Lq, D = x.shape
    Lk = kv.shape[1]
    if n_heads < 1 or D % n_heads:
        raise ValueError(f"multi_head_attention: n_heads={n_heads!r} must be a positive divisor of D={D}")
    x64, kv64 = x.to(F64), kv.to(F64)
    q = torch.matmul(x64, w_q.to(F64)).unflatten(-1, (n_heads, D // n_heads)).permute(0, 2, 1, 3)
    k = torch.matmul(kv64, w_k.to(F64)).unflatten(-1, (n_heads, D // n_heads)).permute(0, 2, 1, 3)
    v = torch.matmul(kv64, w_v.to(F64)).unflatten(-1, (n_heads, D // n_heads)).permute(0, 2, 1, 3)
    if mask is not None:
        _check_mask("multi_head_attention", mask, (B, n_heads, Lq, Lk))
    out, weights = scaled_dot_product_attention(q, k, v, mask)  # float64 in, float64 out
    merged = out.permute(0, 2, 1, 3).flatten(-2)  # (B, Lq, D)
    return torch.matmul(merged, w_o.to(F64)).to(x.dtype), weights.to(x.dtype)


@_single_threaded
def sinusoidal_positions(L, d, base=10000.0, dtype=torch.float32, device=None):
    """``sin``/``cos`` of float64 angles ``p / base^(2i/d)``, interleaved by ``torch.stack``."""
    if L < 0 or d < 0 or d % 2:
        raise ValueError(f"sinusoidal_positions: need L >= 0 and an even d >= 0, got L={L}, d={d}")
    p = torch.arange(L, dtype=F64, device=device)
    frequency = torch.pow(torch.tensor(float(base), dtype=F64, device=device),
                          torch.arange(0, d, 2, dtype=F64, device=device) / d)  # (d/2,) base^(2i/d)
    angle = p[:, None] / frequency[None, :]  # (L, d/2)
    return torch.stack((torch.sin(angle), torch.cos(angle)), dim=-1).reshape(L, d).to(dtype)


@_single_threaded
def apply_rope(x, positions=None, base=10000.0):
    """Pairs as complex numbers ``a + ib`` times ``exp(i theta)`` (``torch.polar``), in float64."""
    if x.dim() < 2 or x.shape[-1] % 2:
        raise ValueError(f"apply_rope: x must be (..., L, d) with an even d, got {tuple(x.shape)}")
    L, d = x.shape[-2], x.shape[-1]
    if positions is None:
        p = torch.arange(L, dtype=F64, device=x.device)
    elif isinstance(positions, torch.Tensor):
        p = positions.to(device=x.device, dtype=F64)
    else:
        p = torch.tensor([float(v) for v in positions], dtype=F64, device=x.device)
    if tuple(p.shape) != (L,):
        raise ValueError(f"apply_rope: positions of shape {tuple(p.shape)} for L={L}")
    exponent = -torch.arange(0, d, 2, dtype=F64, device=x.device) / d  # (d/2,) = -2i/d
    theta = p[:, None] * torch.pow(torch.tensor(float(base), dtype=F64, device=x.device), exponent)
    rotation = torch.polar(torch.ones_like(theta), theta)  # (L, d/2) complex128, e^{i theta}
    pairs = torch.view_as_complex(x.to(F64).reshape(*x.shape[:-1], d // 2, 2).contiguous())
    rotated = torch.view_as_real(pairs * rotation).reshape(x.shape)
    return rotated.to(x.dtype)
