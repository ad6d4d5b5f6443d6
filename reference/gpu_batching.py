"""Trusted oracle for the ``gpu_batching`` topic.

The hidden tests compare submissions with these functions, so they are written to be easy to
trust, not to be efficient: they never import ``solutions/gpu_batching.py``, they compute in
float64 and cast the result to the input's dtype at the end (the contract's "float64 reference
cast to the input dtype"), and wherever padding is involved they work one sequence at a time,
slicing the real part out with Python integers, so a padded value cannot reach a result even in
principle. The mathematics is handed to library calls: ``torch.einsum``,
``torch.nn.utils.rnn.pad_sequence``, ``torch.nn.functional.cross_entropy``, the difference
broadcast for squared distances, ``torch.nn.functional.scaled_dot_product_attention`` with
``is_causal=True``. Batched (*vec*) and memory rules are the submissions' business, not the
oracle's: these functions loop freely and build whatever intermediates they like.

Contract: ``curriculum.md``, table ``gpu_batching``. Validation raises ``ValueError`` with a
message naming the offending shape or value, where the solution's docstrings say it does.
"""

import torch
import torch.nn.functional as F


def _f64(t: torch.Tensor) -> torch.Tensor:
    return t.detach().to(torch.float64)


def rowwise_dot(x, y):
    if x.dim() != 2 or x.shape != y.shape:
        raise ValueError(f"rowwise_dot: x and y must both be (B, d), got {tuple(x.shape)} and {tuple(y.shape)}")
    return torch.einsum("bd,bd->b", _f64(x), _f64(y)).to(x.dtype)


def batched_matmul(a, b):
    if a.dim() != 3 or b.dim() != 3 or a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise ValueError(f"batched_matmul: expected (B, n, m) @ (B, m, p), got {tuple(a.shape)} @ {tuple(b.shape)}")
    return torch.einsum("bnm,bmp->bnp", _f64(a), _f64(b)).to(a.dtype)


def pad_sequences(seqs, padding_value=0.0):
    seqs = list(seqs)
    if len(seqs) == 0:
        raise ValueError("pad_sequences: seqs is an empty list")
    if any(s.dim() == 0 for s in seqs):
        raise ValueError("pad_sequences: a 0-d tensor has no length dimension")
    trailing = {tuple(s.shape[1:]) for s in seqs}
    if len(trailing) > 1:
        raise ValueError(f"pad_sequences: trailing shapes differ: {sorted(trailing)}")
    if len({s.dtype for s in seqs}) > 1 or len({s.device for s in seqs}) > 1:
        raise ValueError("pad_sequences: the sequences mix dtypes or devices")
    padded = torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=padding_value)
    lengths = torch.tensor([int(s.shape[0]) for s in seqs], dtype=torch.int64, device=seqs[0].device)
    return padded, lengths


def length_mask(lengths, max_len=None):
    if lengths.dim() != 1:
        raise ValueError(f"length_mask: lengths must be 1-D, got shape {tuple(lengths.shape)}")
    values = [int(n) for n in lengths.tolist()]
    if max_len is None:
        if not values:
            raise ValueError("length_mask: an empty batch needs max_len")
        max_len = max(values)
    rows = [[t < n for t in range(int(max_len))] for n in values]
    return torch.tensor(rows, dtype=torch.bool).reshape(len(values), int(max_len)).to(lengths.device)


def masked_mean(x, mask):
    if x.dim() < 2 or tuple(mask.shape) != tuple(x.shape[:2]):
        raise ValueError(f"masked_mean: x (B, L, *F) and mask (B, L) do not fit: {tuple(x.shape)}, {tuple(mask.shape)}")
    rows = []
    for b in range(x.shape[0]):
        chosen = _f64(x[b])[mask[b].to(torch.bool)]  # (count, *F): only the valid positions
        rows.append(chosen.mean(dim=0) if chosen.shape[0] else torch.zeros(x.shape[2:], dtype=torch.float64))
    out = torch.stack(rows) if rows else torch.zeros((0, *x.shape[2:]), dtype=torch.float64)
    return out.to(dtype=x.dtype, device=x.device)


def sequence_cross_entropy(logits, targets, lengths):
    if logits.dim() != 3 or tuple(targets.shape) != tuple(logits.shape[:2]) or tuple(lengths.shape) != (logits.shape[0],):
        raise ValueError(
            f"sequence_cross_entropy: shapes do not fit: {tuple(logits.shape)}, {tuple(targets.shape)}, {tuple(lengths.shape)}"
        )
    total, count = torch.zeros((), dtype=torch.float64), 0
    for b, n in enumerate(int(v) for v in lengths.tolist()):
        if n > 0:
            total = total + F.cross_entropy(_f64(logits[b, :n]).cpu(), targets[b, :n].long().cpu(), reduction="sum")
            count += n
    value = total / count if count else torch.zeros((), dtype=torch.float64)
    return value.to(dtype=logits.dtype, device=logits.device)


def pairwise_sq_dists(x, y):
    if x.dim() != 2 or y.dim() != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(f"pairwise_sq_dists: expected (N, d) and (M, d), got {tuple(x.shape)} and {tuple(y.shape)}")
    differences = _f64(x)[:, None, :] - _f64(y)[None, :, :]  # (N, M, d): fine for an oracle
    return (differences * differences).sum(dim=-1).to(x.dtype)


def to_device(obj, device):
    if type(obj) is torch.Tensor:
        return obj.to(device)
    if isinstance(obj, dict):
        moved = {}
        for key in obj:
            moved[key] = to_device(obj[key], device)
        return moved
    if isinstance(obj, list):
        return list(map(lambda item: to_device(item, device), obj))
    if isinstance(obj, tuple):
        items = [to_device(item, device) for item in obj]
        return type(obj)._make(items) if hasattr(type(obj), "_make") else tuple(items)
    return obj


def chunked_apply(fn, x, chunk_size):
    if chunk_size < 1:
        raise ValueError(f"chunked_apply: chunk_size must be >= 1, got {chunk_size}")
    rows = x.shape[0]
    if rows == 0:
        return fn(x)
    return torch.cat([fn(x[start:start + chunk_size]) for start in range(0, rows, chunk_size)])


def padded_causal_attention(q, k, v, lengths):
    if q.dim() != 3 or k.shape != q.shape or v.shape != q.shape or tuple(lengths.shape) != (q.shape[0],):
        raise ValueError(
            f"padded_causal_attention: shapes do not fit: {tuple(q.shape)}, {tuple(k.shape)}, "
            f"{tuple(v.shape)}, {tuple(lengths.shape)}"
        )
    out = torch.zeros(q.shape, dtype=torch.float64)
    for b, n in enumerate(int(value) for value in lengths.tolist()):
        if n > 0:
            qb, kb, vb = (_f64(t[b:b + 1, :n]).cpu() for t in (q, k, v))  # (1, n, d)
            out[b, :n] = F.scaled_dot_product_attention(qb, kb, vb, is_causal=True)[0]  # scale 1/sqrt(d)
    return out.to(dtype=q.dtype, device=q.device)
