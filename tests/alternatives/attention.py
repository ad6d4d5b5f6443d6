"""A correct alternative to solutions/attention.py: einsum, a loop over heads, rotation matrices.

The grader must give it full marks: the hidden suites judge behaviour, not one formulation. It
differs from the solution on purpose: scores by ``torch.einsum``, the masked softmax computed in
float64 and cast back (a wider internal dtype is allowed), ``torch.tril`` for the causal mask,
one head at a time from column slices of the weights, the position table from Python's ``math``
module, and RoPE as 2 x 2 rotation matrices applied with ``einsum``.
"""

import math

import torch


def attention_scores(q, k):
    return torch.einsum("...qd,...kd->...qk", q, k) * (1.0 / math.sqrt(q.shape[-1]))


def causal_mask(L, device=None):
    return torch.tril(torch.ones(L, L, dtype=torch.bool, device=device))


def masked_softmax(scores, mask=None):
    wide = scores.double()
    if mask is None:
        return torch.softmax(wide, dim=-1).to(scores.dtype)
    keep = mask.expand(scores.shape)
    log_z = torch.logsumexp(wide.masked_fill(~keep, -math.inf), dim=-1, keepdim=True)  # -inf when nothing is kept
    probs = torch.exp(wide - log_z).masked_fill(~keep, 0.0)
    probs = probs.masked_fill(~keep.any(dim=-1, keepdim=True), 0.0)  # rows with no key at all
    return probs.to(scores.dtype)


def scaled_dot_product_attention(q, k, v, mask=None):
    weights = masked_softmax(attention_scores(q, k), mask)
    return torch.einsum("...qk,...kv->...qv", weights, v), weights


def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None, kv=None):
    source = x if kv is None else kv
    D = x.shape[-1]
    if n_heads < 1 or D % n_heads:
        raise ValueError(f"multi_head_attention: {D} features cannot be split into {n_heads} heads")
    size = D // n_heads
    B, Lq, Lk = x.shape[0], x.shape[1], source.shape[1]
    full_mask = None if mask is None else mask.expand(B, n_heads, Lq, Lk)
    outputs, all_weights = [], []
    for h in range(n_heads):
        cols = slice(h * size, (h + 1) * size)
        q = torch.einsum("bld,de->ble", x, w_q[:, cols])
        k = torch.einsum("bld,de->ble", source, w_k[:, cols])
        v = torch.einsum("bld,de->ble", source, w_v[:, cols])
        out, weights = scaled_dot_product_attention(q, k, v, None if full_mask is None else full_mask[:, h])
        outputs.append(out)
        all_weights.append(weights)
    merged = torch.cat(outputs, dim=-1)  # (B, Lq, D), head h in its own columns again
    return torch.einsum("bld,de->ble", merged, w_o), torch.stack(all_weights, dim=1)


def sinusoidal_positions(L, d, base=10000.0, dtype=torch.float32, device=None):
    if d % 2:
        raise ValueError(f"sinusoidal_positions: d={d} is odd")
    rows = []
    for p in range(L):
        row = []
        for i in range(d // 2):
            angle = p / base ** (2 * i / d)
            row += [math.sin(angle), math.cos(angle)]
        rows.append(row)
    table = torch.tensor(rows, dtype=torch.float64).reshape(L, d)
    return table.to(device=device, dtype=dtype)


def apply_rope(x, positions=None, base=10000.0):
    L, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(f"apply_rope: the last axis has odd length {d}")
    if positions is None:
        positions = torch.arange(L, device=x.device)
    p = torch.as_tensor(positions, dtype=torch.float64, device=x.device)
    inv = torch.tensor([base ** (-2 * i / d) for i in range(d // 2)], dtype=torch.float64, device=x.device)
    theta = torch.outer(p, inv)  # (L, d/2)
    c, s = torch.cos(theta), torch.sin(theta)
    rotation = torch.stack((torch.stack((c, -s), -1), torch.stack((s, c), -1)), -2)  # (L, d/2, 2, 2)
    pairs = x.reshape(*x.shape[:-1], d // 2, 2)  # (..., L, d/2, 2)
    return torch.einsum("lpij,...lpj->...lpi", rotation.to(x.dtype), pairs).reshape(x.shape)
