"""A correct alternative to solutions/gpu_batching.py: einsum, addmm, masked_fill, torch's own helpers.

Every function is written differently from the teaching solution (``torch.einsum`` instead of a
product and a sum, ``torch.addmm`` for the distance expansion, ``F.cross_entropy`` with
``ignore_index`` for the token loss, ``F.scaled_dot_product_attention`` with a boolean mask,
``torch.utils._pytree`` for the nested structures, slicing instead of ``torch.split``). The
grader must give it full marks: the hidden suite judges behaviour, not one formulation.
"""

import torch
import torch.nn.functional as F
import torch.utils._pytree as pytree


def rowwise_dot(x, y):
    return torch.einsum("bd,bd->b", x, y)


def batched_matmul(a, b):
    if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0] or a.shape[-1] != b.shape[-2]:
        raise ValueError(f"batched_matmul: shapes {tuple(a.shape)} and {tuple(b.shape)} do not multiply")
    return torch.einsum("bij,bjk->bik", a, b)


def pad_sequences(seqs, padding_value=0.0):
    seqs = list(seqs)
    if len(seqs) == 0:
        raise ValueError("pad_sequences: got an empty list")
    shapes = {tuple(s.shape[1:]) for s in seqs if s.ndim > 0}
    if len(shapes) != 1 or any(s.ndim == 0 for s in seqs):
        raise ValueError(f"pad_sequences: trailing shapes differ: {[tuple(s.shape) for s in seqs]}")
    padded = torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=padding_value)
    lengths = torch.as_tensor([len(s) for s in seqs], dtype=torch.long).to(seqs[0].device)
    return padded, lengths


def length_mask(lengths, max_len=None):
    width = int(lengths.max().item()) if max_len is None else int(max_len)
    grid = torch.arange(width, device=lengths.device).expand(lengths.shape[0], width)  # (B, max_len)
    return grid < lengths.unsqueeze(1)


def masked_mean(x, mask):
    view = mask.view(*mask.shape, *(1,) * (x.ndim - 2))
    total = x.masked_fill(~view, 0).sum(dim=1)
    count = torch.clamp(mask.sum(dim=1, keepdim=False), min=1).view(-1, *(1,) * (x.ndim - 2))
    return (total / count).to(x.dtype)


def sequence_cross_entropy(logits, targets, lengths):
    B, L, V = logits.shape
    valid = length_mask(lengths, L)
    flat_logits = logits.masked_fill(~valid.unsqueeze(-1), 0).reshape(B * L, V).double()
    flat_targets = targets.masked_fill(~valid, -100).reshape(B * L)
    total = F.cross_entropy(flat_logits, flat_targets, ignore_index=-100, reduction="sum")
    return (total / valid.sum().clamp(min=1)).to(logits.dtype)


def pairwise_sq_dists(x, y):
    rows = (x * x).sum(dim=1, keepdim=True)  # (N, 1)
    cols = (y * y).sum(dim=1)[None, :]  # (1, M)
    return torch.addmm(rows + cols, x, y.mT, alpha=-2).clamp_min(0)


def to_device(obj, device):
    return pytree.tree_map(lambda leaf: leaf.to(device) if isinstance(leaf, torch.Tensor) else leaf, obj)


def chunked_apply(fn, x, chunk_size):
    if not chunk_size >= 1:
        raise ValueError(f"chunked_apply: chunk_size {chunk_size} is not a positive integer")
    n = x.shape[0]
    if n == 0:
        return fn(x)
    pieces = []
    start = 0
    while start < n:
        pieces.append(fn(x[start:start + chunk_size]))
        start += chunk_size
    return torch.cat(pieces)


def padded_causal_attention(q, k, v, lengths):
    B, L, d = q.shape
    valid = length_mask(lengths, L)  # (B, L)
    causal = torch.ones(L, L, dtype=torch.bool, device=q.device).tril()
    allowed = causal & valid.unsqueeze(1) & valid.unsqueeze(2)  # (B, L, L)
    pad = ~valid.unsqueeze(-1)
    wide = torch.float64 if q.dtype == torch.float64 else torch.float32
    q_, k_, v_ = (t.to(wide).masked_fill(pad, 0) for t in (q, k, v))
    out = F.scaled_dot_product_attention(q_, k_, v_, attn_mask=allowed)  # padded queries: NaN rows
    return out.masked_fill(pad, 0).to(q.dtype)
