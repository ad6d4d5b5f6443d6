"""Trusted oracle for the ``transposes`` topic.

The hidden tests compare submissions with these functions, so they are written independently
of ``solutions/transposes.py`` (which this module never imports) and lean on library machinery:
``np.einsum`` for the product, ``np.moveaxis`` for the batched transpose, slices stacked and
concatenated for the heads, ``torch.linalg.eigh`` in float64 for the eigen-decomposition. The
*scratch* bans of ``transpose`` and ``matmul`` bind submissions, not the oracle.

Contract: ``curriculum.md``, table ``transposes``. Every result is float64; every validation
raises ``ValueError`` with a message naming the offending shape or value, exactly where the
solution's docstrings say it does.
"""

import math

import numpy as np
import torch

SYMMETRY_RTOL = 1e-8  # symmetric_eig: max|S - S^T| <= 1e-8 * max|S|


def _float_array(value) -> np.ndarray:
    return np.array(value, dtype=np.float64)  # always a private copy


def transpose(A):
    """``A^T`` of a 2-D array, as a new contiguous float64 array."""
    A = _float_array(A)
    if A.ndim != 2:
        raise ValueError(f"transpose: A must be a 2-D array, got shape {A.shape}")
    return np.ascontiguousarray(A.T)


def matmul(A, B):
    """``A @ B`` by ``np.einsum`` over the shared index."""
    A, B = _float_array(A), _float_array(B)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"matmul: inner dimensions differ or not 2-D: {A.shape} @ {B.shape}")
    return np.einsum("ik,kj->ij", A, B)


def to_column(v):
    """The ``n`` values of a ``(n,)``, ``(1, n)`` or ``(n, 1)`` input as an ``(n, 1)`` column."""
    v = _float_array(v)
    if not (v.ndim == 1 or (v.ndim == 2 and 1 in v.shape)):
        raise ValueError(f"to_column: expected shape (n,), (1, n) or (n, 1), got {v.shape}")
    return v.ravel()[:, np.newaxis].copy()


def swap_last_two(x):
    """``np.moveaxis`` of the last axis to the second-to-last place."""
    x = _float_array(x)
    if x.ndim < 2:
        raise ValueError(f"swap_last_two: need at least 2 dimensions, got shape {x.shape}")
    return np.moveaxis(x, -1, -2)


def split_heads(x, n_heads):
    """Head ``h`` is the slice ``x[..., h*d:(h+1)*d]``; the heads are stacked on axis 1."""
    x = _float_array(x)
    if x.ndim != 3:
        raise ValueError(f"split_heads: x must be (B, L, D), got shape {x.shape}")
    D = x.shape[2]
    if n_heads < 1 or D % n_heads:
        raise ValueError(f"split_heads: n_heads={n_heads} must be >= 1 and divide D={D}")
    d = D // n_heads
    return np.stack([x[:, :, h * d:(h + 1) * d] for h in range(n_heads)], axis=1)


def merge_heads(x):
    """The heads ``x[:, h]`` concatenated along the feature axis, head 0 first."""
    x = _float_array(x)
    if x.ndim != 4:
        raise ValueError(f"merge_heads: x must be (B, H, L, d), got shape {x.shape}")
    return np.concatenate([x[:, h] for h in range(x.shape[1])], axis=-1)


def symmetric_eig(S):
    """``torch.linalg.eigh`` in float64, flipped to descending order, with the sign convention."""
    S = _float_array(S)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"symmetric_eig: S must be square, got shape {S.shape}")
    gap = float(np.abs(S - S.T).max(initial=0.0))
    if gap > SYMMETRY_RTOL * float(np.abs(S).max(initial=0.0)):
        raise ValueError(f"symmetric_eig: S is not symmetric (max|S - S^T| = {gap:.3g})")
    values, vectors = torch.linalg.eigh(torch.from_numpy(0.5 * (S + S.T)))
    values, vectors = torch.flip(values, dims=[0]), torch.flip(vectors, dims=[1])
    top = vectors.abs().argmax(dim=0, keepdim=True)  # (1, n)
    signs = torch.where(torch.gather(vectors, 0, top) < 0, -1.0, 1.0).to(torch.float64)
    return values.numpy().copy(), (vectors * signs).numpy().copy()


def low_rank_approx(S, k):
    """``sum_i lambda_i v_i v_i^T`` over the ``k`` largest eigenvalues, by ``np.einsum``."""
    S = _float_array(S)
    values, vectors = symmetric_eig(S)
    n = S.shape[0]
    if not 0 <= k <= n:
        raise ValueError(f"low_rank_approx: k={k!r} is outside 0..{n}")
    order = np.argsort(-values, kind="stable")[: int(k)]
    return np.einsum("i,ai,bi->ab", values[order], vectors[:, order], vectors[:, order])


def explained_variance_ratio(eigvals):
    """``eigvals / sum(eigvals)`` with an exactly rounded sum (``math.fsum``)."""
    eigvals = _float_array(eigvals)
    total = math.fsum(eigvals.ravel().tolist())
    if not total > 0:
        raise ValueError(f"explained_variance_ratio: the sum of the eigenvalues is {total!r}, not positive")
    return eigvals / total
