"""Catalogued mistakes of the transposes topic.

Each function below is a realistic wrong version of one exercise, named and signed exactly like
it; its diagnosis text lives in ``tensorkata/catalog/transposes.toml`` under the same id. The
mistakes of ``transpose`` and ``matmul`` stay within the *scratch* rules (no ``.T``, no ``@``...),
because a banned call is reported as ``banned-call:<pattern>`` before any diagnosis.

The probes are chosen so that every mistake differs from the reference on at least one of them
and no two mistakes of one exercise agree on all of them: non-square matrices (a square one hides
reshape-for-transpose), batches with leading axes (a 2-D array hides ``.T`` for the batched
transpose), more than one head and more than one position, and a symmetric matrix whose
eigenvalue of largest magnitude is negative (it separates "descending" from "ascending" and from
"by magnitude"), whose raw ``eigh`` eigenvectors break the sign convention.
"""

import numpy as np

from graders.mistakes import mistake, probe

# --- transpose ------------------------------------------------------------------------------


@mistake("transposes.transpose", "reshape-not-transpose")
def transpose(A):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"transpose: expected a 2-D array, got shape {A.shape}")
    m, n = A.shape
    return A.reshape(n, m).copy()


@mistake("transposes.transpose", "same-shape-loops")
def transpose(A):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"transpose: expected a 2-D array, got shape {A.shape}")
    m, n = A.shape
    result = np.zeros((n, m))
    for i in range(m):  # should run over the result's rows, range(n)
        for j in range(n):  # and its columns, range(m)
            result[i, j] = A[j, i]
    return result


@mistake("transposes.transpose", "no-2d-check")
def transpose(A):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim < 2:
        return A.copy()  # what NumPy's .T does to a vector
    return np.array([[A[i, j] for i in range(A.shape[0])] for j in range(A.shape[1])], dtype=np.float64)


# --- matmul ---------------------------------------------------------------------------------


@mistake("transposes.matmul", "elementwise-product")
def matmul(A, B):
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"matmul: shapes do not match: {A.shape} @ {B.shape}")
    return A * B


@mistake("transposes.matmul", "row-times-row")
def matmul(A, B):
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"matmul: shapes do not match: {A.shape} @ {B.shape}")
    m, n, l = A.shape[0], A.shape[1], B.shape[1]
    result = np.zeros((m, l))
    for i in range(m):
        for j in range(l):
            result[i, j] = sum(A[i, k] * B[j, k] for k in range(n))  # row j of B, not column j
    return result


@mistake("transposes.matmul", "no-shape-check")
def matmul(A, B):
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    m, n, l = A.shape[0], A.shape[1], B.shape[1]
    result = np.zeros((m, l))
    for i in range(m):
        for j in range(l):
            result[i, j] = sum(A[i, k] * B[k, j] for k in range(n))
    return result


@mistake("transposes.matmul", "accumulator-not-reset")
def matmul(A, B):
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"matmul: shapes do not match: {A.shape} @ {B.shape}")
    m, n, l = A.shape[0], A.shape[1], B.shape[1]
    result = np.zeros((m, l))
    total = 0.0  # should start again at 0 for every entry
    for i in range(m):
        for j in range(l):
            for k in range(n):
                total += A[i, k] * B[k, j]
            result[i, j] = total
    return result


# --- to_column ------------------------------------------------------------------------------


@mistake("transposes.to_column", "reshape-any-shape")
def to_column(v):
    return np.asarray(v, dtype=np.float64).reshape(-1, 1).copy()


@mistake("transposes.to_column", "row-not-column")
def to_column(v):
    v = np.asarray(v, dtype=np.float64)
    if not (v.ndim == 1 or (v.ndim == 2 and 1 in v.shape)):
        raise ValueError(f"to_column: not a vector: shape {v.shape}")
    return v.reshape(1, -1).copy()


@mistake("transposes.to_column", "atleast-2d-transpose")
def to_column(v):
    return np.atleast_2d(np.asarray(v, dtype=np.float64)).T.copy()


@mistake("transposes.to_column", "adds-axis")
def to_column(v):
    return np.asarray(v, dtype=np.float64)[..., None].copy()


# --- swap_last_two --------------------------------------------------------------------------


@mistake("transposes.swap_last_two", "reverses-all-axes")
def swap_last_two(x):
    return np.asarray(x, dtype=np.float64).T


@mistake("transposes.swap_last_two", "reshape-last-two")
def swap_last_two(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(f"swap_last_two: need at least 2 dimensions, got shape {x.shape}")
    return x.reshape(*x.shape[:-2], x.shape[-1], x.shape[-2])


@mistake("transposes.swap_last_two", "swaps-first-two")
def swap_last_two(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(f"swap_last_two: need at least 2 dimensions, got shape {x.shape}")
    return np.swapaxes(x, 0, 1)


# --- split_heads ----------------------------------------------------------------------------


@mistake("transposes.split_heads", "reshape-without-transpose")
def split_heads(x, n_heads):
    x = np.asarray(x, dtype=np.float64)
    B, L, D = x.shape
    if n_heads < 1 or D % n_heads != 0:
        raise ValueError(f"split_heads: bad n_heads {n_heads} for D = {D}")
    return x.reshape(B, n_heads, L, D // n_heads)


@mistake("transposes.split_heads", "missing-transpose")
def split_heads(x, n_heads):
    x = np.asarray(x, dtype=np.float64)
    B, L, D = x.shape
    if n_heads < 1 or D % n_heads != 0:
        raise ValueError(f"split_heads: bad n_heads {n_heads} for D = {D}")
    return x.reshape(B, L, n_heads, D // n_heads)


@mistake("transposes.split_heads", "heads-interleaved")
def split_heads(x, n_heads):
    x = np.asarray(x, dtype=np.float64)
    B, L, D = x.shape
    if n_heads < 1 or D % n_heads != 0:
        raise ValueError(f"split_heads: bad n_heads {n_heads} for D = {D}")
    return x.reshape(B, L, D // n_heads, n_heads).transpose(0, 3, 1, 2).copy()


@mistake("transposes.split_heads", "zero-heads-unchecked")
def split_heads(x, n_heads):
    x = np.asarray(x, dtype=np.float64)
    B, L, D = x.shape
    d = D // n_heads  # ZeroDivisionError for n_heads = 0
    if D % n_heads != 0:
        raise ValueError(f"split_heads: {n_heads} heads do not divide D = {D}")
    return x.reshape(B, L, n_heads, d).transpose(0, 2, 1, 3).copy()


# --- merge_heads ----------------------------------------------------------------------------


@mistake("transposes.merge_heads", "merge-reshape-without-transpose")
def merge_heads(x):
    x = np.asarray(x, dtype=np.float64)
    B, H, L, d = x.shape
    return x.reshape(B, L, H * d)


@mistake("transposes.merge_heads", "merge-interleaved")
def merge_heads(x):
    x = np.asarray(x, dtype=np.float64)
    B, H, L, d = x.shape
    return x.transpose(0, 2, 3, 1).reshape(B, L, H * d)


@mistake("transposes.merge_heads", "merge-missing-reshape")
def merge_heads(x):
    x = np.asarray(x, dtype=np.float64)
    return x.transpose(0, 2, 1, 3).copy()


# --- symmetric_eig --------------------------------------------------------------------------


@mistake("transposes.symmetric_eig", "ascending-order")
def symmetric_eig(S):
    S = np.asarray(S, dtype=np.float64)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"symmetric_eig: not square: {S.shape}")
    if np.max(np.abs(S - S.T)) > 1e-8 * np.max(np.abs(S)):
        raise ValueError("symmetric_eig: not symmetric")
    values, vectors = np.linalg.eigh(S)
    rows = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[rows, np.arange(S.shape[0])])
    return values, vectors * signs


@mistake("transposes.symmetric_eig", "vectors-not-reordered")
def symmetric_eig(S):
    S = np.asarray(S, dtype=np.float64)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"symmetric_eig: not square: {S.shape}")
    if np.max(np.abs(S - S.T)) > 1e-8 * np.max(np.abs(S)):
        raise ValueError("symmetric_eig: not symmetric")
    values, vectors = np.linalg.eigh(S)
    values = values[::-1].copy()  # the columns stay in ascending order
    rows = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[rows, np.arange(S.shape[0])])
    return values, vectors * signs


@mistake("transposes.symmetric_eig", "rows-not-columns")
def symmetric_eig(S):
    S = np.asarray(S, dtype=np.float64)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"symmetric_eig: not square: {S.shape}")
    if np.max(np.abs(S - S.T)) > 1e-8 * np.max(np.abs(S)):
        raise ValueError("symmetric_eig: not symmetric")
    values, vectors = np.linalg.eigh(S)
    values, vectors = values[::-1], vectors[:, ::-1]
    rows = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[rows, np.arange(S.shape[0])])
    return values.copy(), (vectors * signs).T.copy()  # eigenvectors as rows


@mistake("transposes.symmetric_eig", "sort-by-magnitude")
def symmetric_eig(S):
    S = np.asarray(S, dtype=np.float64)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"symmetric_eig: not square: {S.shape}")
    if np.max(np.abs(S - S.T)) > 1e-8 * np.max(np.abs(S)):
        raise ValueError("symmetric_eig: not symmetric")
    values, vectors = np.linalg.eigh(S)
    order = np.argsort(-np.abs(values))
    values, vectors = values[order], vectors[:, order]
    rows = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[rows, np.arange(S.shape[0])])
    return values, vectors * signs


@mistake("transposes.symmetric_eig", "no-sign-convention")
def symmetric_eig(S):
    S = np.asarray(S, dtype=np.float64)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"symmetric_eig: not square: {S.shape}")
    if np.max(np.abs(S - S.T)) > 1e-8 * np.max(np.abs(S)):
        raise ValueError("symmetric_eig: not symmetric")
    values, vectors = np.linalg.eigh(S)
    return values[::-1].copy(), vectors[:, ::-1].copy()


@mistake("transposes.symmetric_eig", "allclose-symmetry-check")
def symmetric_eig(S):
    S = np.asarray(S, dtype=np.float64)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"symmetric_eig: not square: {S.shape}")
    if not np.allclose(S, S.T):
        raise ValueError("symmetric_eig: not symmetric")
    values, vectors = np.linalg.eigh(S)
    values, vectors = values[::-1], vectors[:, ::-1]
    rows = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[rows, np.arange(S.shape[0])])
    return values.copy(), vectors * signs


# --- low_rank_approx ------------------------------------------------------------------------


@mistake("transposes.low_rank_approx", "smallest-eigenpairs")
def low_rank_approx(S, k):
    S = np.asarray(S, dtype=np.float64)
    n = S.shape[0]
    if not 0 <= k <= n:
        raise ValueError(f"low_rank_approx: k = {k} outside 0..{n}")
    values, vectors = np.linalg.eigh(S)  # ascending: [:k] are the smallest
    result = np.zeros((n, n))
    for i in range(k):
        result += values[i] * np.outer(vectors[:, i], vectors[:, i])
    return result


@mistake("transposes.low_rank_approx", "top-by-magnitude")
def low_rank_approx(S, k):
    S = np.asarray(S, dtype=np.float64)
    n = S.shape[0]
    if not 0 <= k <= n:
        raise ValueError(f"low_rank_approx: k = {k} outside 0..{n}")
    values, vectors = np.linalg.eigh(S)
    order = np.argsort(-np.abs(values))[:k]
    V = vectors[:, order]
    return (V * values[order]) @ V.T


@mistake("transposes.low_rank_approx", "missing-eigenvalue")
def low_rank_approx(S, k):
    values, vectors = symmetric_eig(S)
    n = values.shape[0]
    if not 0 <= k <= n:
        raise ValueError(f"low_rank_approx: k = {k} outside 0..{n}")
    V = vectors[:, :k]
    return V @ V.T


@mistake("transposes.low_rank_approx", "scalar-matmul")
def low_rank_approx(S, k):
    values, vectors = symmetric_eig(S)
    n = values.shape[0]
    if not 0 <= k <= n:
        raise ValueError(f"low_rank_approx: k = {k} outside 0..{n}")
    result = np.zeros((n, n))
    for i in range(k):
        v = vectors[:, i]
        result = result + v.reshape(n, 1) @ values[i] * v.reshape(1, n)  # @ with a scalar: ValueError
    return result


@mistake("transposes.low_rank_approx", "k-not-checked")
def low_rank_approx(S, k):
    values, vectors = symmetric_eig(S)
    V = vectors[:, :k]
    return (V * values[:k]) @ V.T


# --- explained_variance_ratio ---------------------------------------------------------------


@mistake("transposes.explained_variance_ratio", "sorted-ratios")
def explained_variance_ratio(eigvals):
    eigvals = np.asarray(eigvals, dtype=np.float64)
    total = eigvals.sum()
    if total <= 0:
        raise ValueError(f"explained_variance_ratio: sum {total} is not positive")
    return np.sort(eigvals)[::-1] / total


@mistake("transposes.explained_variance_ratio", "cumulative")
def explained_variance_ratio(eigvals):
    eigvals = np.asarray(eigvals, dtype=np.float64)
    total = eigvals.sum()
    if total <= 0:
        raise ValueError(f"explained_variance_ratio: sum {total} is not positive")
    return np.cumsum(eigvals) / total


@mistake("transposes.explained_variance_ratio", "percent")
def explained_variance_ratio(eigvals):
    eigvals = np.asarray(eigvals, dtype=np.float64)
    total = eigvals.sum()
    if total <= 0:
        raise ValueError(f"explained_variance_ratio: sum {total} is not positive")
    return 100.0 * eigvals / total


@mistake("transposes.explained_variance_ratio", "no-sum-check")
def explained_variance_ratio(eigvals):
    eigvals = np.asarray(eigvals, dtype=np.float64)
    return eigvals / eigvals.sum()


# The mistake definitions above rebind the module name ``symmetric_eig``; the mistakes of
# low_rank_approx that call it must reach the correct one.
from reference.transposes import symmetric_eig  # noqa: E402,F811

# A symmetric matrix with eigenvalues 4, 1 and -6 (distinct, the largest magnitude negative), and
# the 2 x 2 covariance matrix of the lecture notes (eigenvalues 4 +- sqrt(5)).
_Q3 = np.linalg.qr(np.array([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.0, 1.0, 4.0]]))[0]
_S3 = _Q3 @ np.diag([4.0, 1.0, -6.0]) @ _Q3.T
_S3 = (_S3 + _S3.T) / 2
_COV = [[5.0, 2.0], [2.0, 3.0]]
# Asymmetric by 2e-6 on entries of size ~5: np.allclose accepts it, the contract (1e-8) does not.
_NEARLY = np.array([[5.0, 2.0 + 1e-6], [2.0 - 1e-6, 3.0]])

PROBES = {
    "transposes.transpose": [
        probe([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        probe(np.array([[1.0, 2.0], [3.0, 4.0]])),
        probe([1.0, 2.0, 3.0]),
    ],
    "transposes.matmul": [
        probe([[1.0, 2.0], [3.0, 4.0]], [[5.0, -1.0], [0.5, 2.0]]),
        probe([[1.0, 0.0, 2.0], [-1.0, 3.0, 1.0]], [[3.0, 1.0], [2.0, 1.0], [1.0, 0.0]]),
        probe(np.ones((2, 2)), np.ones((3, 2))),  # B too tall: must raise, not drop a row
        probe(np.ones((2, 3)), np.ones((2, 3))),
    ],
    "transposes.to_column": [
        probe([1.0, 2.0, 3.0]),
        probe([[1.0, 2.0, 3.0]]),
        probe([[1.0], [2.0], [3.0]]),
        probe([[1.0, 2.0], [3.0, 4.0]]),
    ],
    "transposes.swap_last_two": [
        probe(np.arange(24.0).reshape(2, 3, 4)),
        probe([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        probe(np.arange(12.0).reshape(2, 1, 3, 2)),
        probe([1.0, 2.0, 3.0]),
    ],
    "transposes.split_heads": [
        probe(np.arange(12.0).reshape(1, 3, 4), 2),
        probe(np.arange(24.0).reshape(2, 2, 6), 3),
        probe(np.ones((1, 2, 4)), 0),
        probe(np.ones((1, 2, 4)), 3),
    ],
    "transposes.merge_heads": [
        probe(np.arange(12.0).reshape(1, 2, 3, 2)),
        probe(np.arange(24.0).reshape(2, 3, 2, 2)),
    ],
    "transposes.symmetric_eig": [
        probe(_S3),
        probe(_COV),
        probe(_NEARLY),
        probe(np.ones((2, 3))),
    ],
    "transposes.low_rank_approx": [
        probe(_S3, 2),
        probe(_S3, 1),
        probe(_COV, 1),
        probe(_S3, 4),
    ],
    "transposes.explained_variance_ratio": [
        probe([1.0, 3.0, 2.0, 4.0]),
        probe(np.array([0.5, 2.0, -0.1])),
        probe([1.0, -1.0]),
    ],
}
