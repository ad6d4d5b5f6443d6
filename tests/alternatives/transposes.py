"""A correct alternative to solutions/transposes.py: plain Python lists, loops and Jacobi rotations.

The grader must give it full marks: the hidden suites judge behaviour, not one formulation.
``transpose`` and ``matmul`` keep to their *scratch* rules (``matmul`` is a pure-Python triple
loop, which must grade within the time limit at 64 x 64); the eigen-decomposition uses the cyclic
Jacobi method instead of LAPACK.
"""

import math

import numpy as np


def _rows(A, name, caller):
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"{caller}: {name} must be 2-D, got shape {A.shape}")
    return A.shape, A.tolist()


def transpose(A):
    (m, n), rows = _rows(A, "A", "transpose")
    if m == 0:
        return np.zeros((n, 0))
    return np.array([list(column) for column in zip(*rows)], dtype=np.float64).reshape(n, m)


def matmul(A, B):
    shape_a, a = _rows(A, "A", "matmul")
    shape_b, b = _rows(B, "B", "matmul")
    if shape_a[1] != shape_b[0]:
        raise ValueError(f"matmul: inner dimensions differ: {shape_a} @ {shape_b}")
    m, n, l = shape_a[0], shape_a[1], shape_b[1]
    out = [[0.0] * l for _ in range(m)]
    for i in range(m):
        row = a[i]
        for j in range(l):
            total = 0.0
            for k in range(n):
                total += row[k] * b[k][j]
            out[i][j] = total
    return np.array(out, dtype=np.float64).reshape(m, l)


def to_column(v):
    v = np.asarray(v, dtype=np.float64)
    if v.ndim == 0 or v.ndim > 2 or (v.ndim == 2 and v.shape[0] != 1 and v.shape[1] != 1):
        raise ValueError(f"to_column: not a vector: shape {v.shape}")
    values = [float(x) for x in v.flat]
    return np.array([[x] for x in values], dtype=np.float64).reshape(len(values), 1)


def swap_last_two(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(f"swap_last_two: needs 2 or more dimensions, got shape {x.shape}")
    *lead, m, n = x.shape
    out = np.empty((*lead, n, m))
    for index in np.ndindex(*lead):
        out[index] = transpose(x[index])
    return out


def split_heads(x, n_heads):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"split_heads: x must be (B, L, D), got shape {x.shape}")
    B, L, D = x.shape
    if n_heads < 1 or D % n_heads != 0:
        raise ValueError(f"split_heads: n_heads = {n_heads} does not split D = {D}")
    d = D // n_heads
    out = np.empty((B, n_heads, L, d))
    for b in range(B):
        for h in range(n_heads):
            for i in range(L):
                for j in range(d):
                    out[b, h, i, j] = x[b, i, h * d + j]
    return out


def merge_heads(x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"merge_heads: x must be (B, H, L, d), got shape {x.shape}")
    B, H, L, d = x.shape
    out = np.empty((B, L, H * d))
    for b in range(B):
        for h in range(H):
            for i in range(L):
                for j in range(d):
                    out[b, i, h * d + j] = x[b, h, i, j]
    return out


def _jacobi(a, n):
    """Cyclic Jacobi rotations on the list-of-lists ``a`` (changed in place); returns (values, V)."""
    v = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    for _ in range(100):
        off = math.fsum(a[i][j] ** 2 for i in range(n) for j in range(n) if i != j)
        scale = math.fsum(a[i][j] ** 2 for i in range(n) for j in range(n))
        if off <= 1e-32 * scale or off == 0.0:
            break
        for p in range(n - 1):
            for q in range(p + 1, n):
                if a[p][q] == 0.0:
                    continue
                theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q])
                t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1.0))
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                for k in range(n):  # columns p and q of a, then rows p and q
                    akp, akq = a[k][p], a[k][q]
                    a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
                for k in range(n):
                    apk, aqk = a[p][k], a[q][k]
                    a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
                for k in range(n):
                    vkp, vkq = v[k][p], v[k][q]
                    v[k][p], v[k][q] = c * vkp - s * vkq, s * vkp + c * vkq
    return [a[i][i] for i in range(n)], v


def symmetric_eig(S):
    S = np.asarray(S, dtype=np.float64)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"symmetric_eig: S must be square, got shape {S.shape}")
    n = S.shape[0]
    rows = S.tolist()
    biggest = max((abs(x) for row in rows for x in row), default=0.0)
    skew = max((abs(rows[i][j] - rows[j][i]) for i in range(n) for j in range(n)), default=0.0)
    if skew > 1e-8 * biggest:
        raise ValueError(f"symmetric_eig: S is not symmetric (max|S - S^T| = {skew})")
    a = [[(rows[i][j] + rows[j][i]) / 2 for j in range(n)] for i in range(n)]
    values, v = _jacobi(a, n)
    order = sorted(range(n), key=lambda i: -values[i])
    eigvals = np.array([values[i] for i in order], dtype=np.float64)
    eigvecs = np.empty((n, n))
    for column, i in enumerate(order):
        vector = [v[k][i] for k in range(n)]
        norm = math.sqrt(math.fsum(x * x for x in vector))
        top = max(range(n), key=lambda k: abs(vector[k]))
        sign = -1.0 if vector[top] < 0 else 1.0
        for k in range(n):
            eigvecs[k, column] = sign * vector[k] / norm
    return eigvals, eigvecs


def low_rank_approx(S, k):
    eigvals, eigvecs = symmetric_eig(S)
    n = len(eigvals)
    if k < 0 or k > n:
        raise ValueError(f"low_rank_approx: k = {k} is not in 0..{n}")
    out = np.zeros((n, n))
    for r in range(k):
        for i in range(n):
            for j in range(n):
                out[i, j] += eigvals[r] * eigvecs[i, r] * eigvecs[j, r]
    return out


def explained_variance_ratio(eigvals):
    eigvals = np.asarray(eigvals, dtype=np.float64)
    total = math.fsum(eigvals.ravel().tolist())
    if not total > 0:
        raise ValueError(f"explained_variance_ratio: sum of eigenvalues {total} is not positive")
    return np.array([x / total for x in eigvals.ravel().tolist()], dtype=np.float64).reshape(eigvals.shape)
