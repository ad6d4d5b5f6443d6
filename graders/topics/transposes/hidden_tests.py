"""Hidden suite of the transposes topic: every test compares the submission with the oracle.

Matrices are mostly non-square (a square one hides a reshape posing as a transpose), batches have
leading axes (a 2-D array hides ``.T`` posing as the batched transpose), and heads and positions
differ in number. The *scratch* rules of ``transpose`` and ``matmul`` are checked by the engine
on the source (``banned`` in the catalogue), not here; ``matmul`` is timed only by the per-call
limit, which a pure-Python triple loop meets at 64 x 64 with room to spare.

Symmetric matrices for the eigen-decomposition are built as ``S = Q diag(lambda) Q^T`` from a
random orthogonal ``Q`` and eigenvalues at least 0.5 apart, and ``Q`` is redrawn until every
column's largest entry beats the runner-up by 0.05 in absolute value. The eigenvectors (and the
sign convention) are then unique and stable to ~1e-13, far inside the default tolerance. The
random generator is seeded from a hypothesis-drawn integer, so every student meets the same
matrices.
"""

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference.transposes as ref
from graders import strategies as gs
from graders.suite import exercise, expect
from tensorkata.i18n import Text

EIGEN_GAP = 0.5  # smallest distance between two eigenvalues of a test matrix
TOP_ENTRY_MARGIN = 0.05  # |largest| - |second largest| entry of every eigenvector
LECTURE_COVARIANCE = np.array([[5.0, 2.0], [2.0, 3.0]])  # eigenvalues 4 +- sqrt(5)
FEWER = settings(max_examples=10)  # input handling and mutation checks: fewer examples keep the suite fast


def integer_arrays(shape) -> st.SearchStrategy[list]:
    """Small integers of the given shape, as nested lists (the output must still be float64)."""
    return hnp.arrays(np.int64, shape, elements=st.integers(-9, 9)).map(lambda a: a.tolist())


@st.composite
def products(draw, low: float = -10.0, high: float = 10.0):
    """``(A (m, n), B (n, l))`` with sides 1..5."""
    m, n, l = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 5))
    return draw(gs.arrays((m, n), low, high)), draw(gs.arrays((n, l), low, high))


@st.composite
def head_batches(draw):
    """``(x (B, L, D), n_heads)`` with ``D = n_heads * d``; L and n_heads vary independently."""
    B, L, H, d = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    return draw(gs.arrays((B, L, H * d))), H


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random orthogonal matrix (QR of a Gaussian matrix, signs fixed by R's diagonal)."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.where(np.diag(r) < 0, -1.0, 1.0)


def _clear_top_entries(q: np.ndarray) -> bool:
    """Every column's largest |entry| is ahead of the second largest by ``TOP_ENTRY_MARGIN``."""
    if q.shape[0] == 1:
        return True
    ranked = np.sort(np.abs(q), axis=0)
    return bool(np.all(ranked[-1] - ranked[-2] >= TOP_ENTRY_MARGIN))


@st.composite
def symmetric_matrices(draw, sizes: tuple[int, int] = (1, 6), psd: bool = False):
    """Symmetric ``(n, n)`` matrices with well-separated eigenvalues and unique eigenvector tops.

    Eigenvalues are ``EIGEN_GAP`` to 3 apart, in a shuffled order; without ``psd`` they start
    anywhere in ``[-9, 1]``, so large negative eigenvalues are common (they separate "descending
    by value" from "by magnitude"); with ``psd`` they are all at least 0.1.
    """
    n = draw(st.integers(*sizes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    start = rng.uniform(0.1, 2.0) if psd else rng.uniform(-9.0, 1.0)
    values = start + np.concatenate([[0.0], np.cumsum(rng.uniform(EIGEN_GAP, 3.0, n - 1))])
    rng.shuffle(values)
    q = _orthogonal(rng, n)
    while not _clear_top_entries(q):
        q = _orthogonal(rng, n)
    matrix = (q * values) @ q.T
    return (matrix + matrix.T) / 2  # exactly symmetric


def _antisymmetric(n: int) -> np.ndarray:
    """A fixed antisymmetric matrix with max |entry| 1 (0 for n = 1)."""
    upper = np.triu(np.ones((n, n)), 1)
    return upper - upper.T


# transpose --------------------------------------------------------------------------------


@exercise("transposes.transpose")
@example(A=np.arange(6.0).reshape(1, 6))
@example(A=np.arange(6.0).reshape(6, 1))
@given(A=gs.matrices())
def test_transpose_matches_reference(student, A):
    """(m, n) -> (n, m) with result[j, i] = A[i, j], non-square included"""
    expect.close(student.transpose(A), ref.transpose(A))


@exercise("transposes.transpose")
@FEWER
@given(A=st.one_of(gs.matrices().flatmap(gs.as_array_like), st.tuples(st.integers(1, 4), st.integers(1, 4)).flatmap(integer_arrays)))
def test_transpose_accepts_array_likes(student, A):
    """accepts lists, tuples and integers; returns float64"""
    expect.close(student.transpose(A), ref.transpose(A))


@exercise("transposes.transpose")
def test_transpose_rejects_non_matrices(student):
    """a scalar, a vector or a 3-D array raises ValueError"""
    for A in [np.float64(3.0), np.arange(3.0), np.ones((2, 2, 2))]:
        with expect.raises(ValueError):
            student.transpose(A)


@exercise("transposes.transpose")
@FEWER
@given(A=gs.matrices())
def test_transpose_leaves_input_unchanged(student, A):
    """A is unchanged afterwards"""
    _, (args, _) = student.call("transpose", A, echo_args=True)
    expect.unchanged(A, args[0], what="A")


# matmul -----------------------------------------------------------------------------------


@exercise("transposes.matmul")
@given(pair=products())
def test_matmul_matches_reference(student, pair):
    """(m, n) @ (n, l) -> (m, l) matches the reference"""
    A, B = pair
    expect.close(student.matmul(A, B), ref.matmul(A, B))


@exercise("transposes.matmul")
@given(pair=products(), kind=st.sampled_from(["row @ column", "column @ row"]))
def test_matmul_rows_and_columns(student, pair, kind):
    """row @ column gives a (1, 1) matrix, column @ row the (m, l) outer product"""
    A, B = pair
    A, B = (A[:1], B[:, :1]) if kind == "row @ column" else (A[:, :1], B[:1])  # (1, n) @ (n, 1) or (m, 1) @ (1, l)
    expect.close(student.matmul(A, B), ref.matmul(A, B))


@exercise("transposes.matmul")
@FEWER
@given(pair=products().flatmap(lambda p: st.tuples(gs.as_array_like(p[0]), gs.as_array_like(p[1]))))
def test_matmul_accepts_array_likes(student, pair):
    """accepts lists and tuples"""
    A, B = pair
    expect.close(student.matmul(A, B), ref.matmul(A, B))


@exercise("transposes.matmul")
@FEWER
@given(A=integer_arrays((3, 2)), B=integer_arrays((2, 4)))
def test_matmul_of_integers_is_float64(student, A, B):
    """integer inputs give a float64 product"""
    expect.close(student.matmul(A, B), ref.matmul(A, B))


@exercise("transposes.matmul")
def test_matmul_64_by_64(student):
    """64 x 64 product within the time limit (pure Python loops are fast enough)"""
    rng = np.random.default_rng(64)
    A, B = rng.standard_normal((64, 64)), rng.standard_normal((64, 64))
    expect.close(student.matmul(A, B), ref.matmul(A, B))
    C = rng.standard_normal((64, 48))
    expect.close(student.matmul(A, C), ref.matmul(A, C))


@exercise("transposes.matmul")
def test_matmul_rejects_bad_shapes(student):
    """inner sizes that differ (B too tall or too short) or inputs not 2-D raise ValueError"""
    cases = [
        (np.ones((2, 3)), np.ones((4, 5))),  # B too tall: a loop over range(3) would drop a row
        (np.ones((2, 2)), np.ones((3, 2))),
        (np.ones((2, 3)), np.ones((2, 3))),  # B too short
        (np.ones(3), np.ones((3, 2))),
        (np.ones((2, 3)), np.ones(3)),
        (np.ones((2, 2, 2)), np.ones((2, 2))),
    ]
    for A, B in cases:
        with expect.raises(ValueError):
            student.matmul(A, B)


@exercise("transposes.matmul")
@FEWER
@given(pair=products())
def test_matmul_leaves_inputs_unchanged(student, pair):
    """A and B are unchanged afterwards"""
    A, B = pair
    _, (args, _) = student.call("matmul", A, B, echo_args=True)
    expect.unchanged(A, args[0], what="A")
    expect.unchanged(B, args[1], what="B")


# to_column --------------------------------------------------------------------------------


@exercise("transposes.to_column")
@given(v=gs.vectors(), layout=st.sampled_from(["(n,)", "(1, n)", "(n, 1)"]))
def test_to_column_matches_reference(student, v, layout):
    """(n,), (1, n) and (n, 1) all become an (n, 1) column"""
    v = {"(n,)": v, "(1, n)": v.reshape(1, -1), "(n, 1)": v.reshape(-1, 1)}[layout]
    expect.close(student.to_column(v), ref.to_column(v))


@exercise("transposes.to_column")
@FEWER
@given(v=gs.vectors().flatmap(lambda v: st.sampled_from([v, v.reshape(1, -1), v.reshape(-1, 1)])).flatmap(gs.as_array_like))
def test_to_column_accepts_array_likes(student, v):
    """accepts lists and tuples"""
    expect.close(student.to_column(v), ref.to_column(v))


@exercise("transposes.to_column")
def test_to_column_rejects_non_vectors(student):
    """a scalar, a (2, 3) matrix or a 3-D array raises ValueError"""
    for v in [np.float64(2.0), np.ones((2, 3)), np.ones((3, 2)), np.ones((2, 2)), np.ones((1, 1, 3)), np.ones((3, 1, 1))]:
        with expect.raises(ValueError):
            student.to_column(v)


@exercise("transposes.to_column")
@FEWER
@given(v=gs.vectors().flatmap(lambda v: st.sampled_from([v, v.reshape(1, -1), v.reshape(-1, 1)])))
def test_to_column_leaves_input_unchanged(student, v):
    """v is unchanged afterwards (its shape too)"""
    _, (args, _) = student.call("to_column", v, echo_args=True)
    expect.unchanged(v, args[0], what="v")


# swap_last_two ----------------------------------------------------------------------------


@exercise("transposes.swap_last_two")
@example(x=np.arange(24.0).reshape(2, 3, 4))
@given(x=gs.arrays(gs.shapes(2, 5, 1, 4)))
def test_swap_last_two_matches_reference(student, x):
    """(..., m, n) -> (..., n, m), leading axes kept in place"""
    expect.close(student.swap_last_two(x), ref.swap_last_two(x))


@exercise("transposes.swap_last_two")
@FEWER
@given(x=gs.arrays(gs.shapes(2, 4, 1, 3)).flatmap(gs.as_array_like))
def test_swap_last_two_accepts_array_likes(student, x):
    """accepts lists and tuples"""
    expect.close(student.swap_last_two(x), ref.swap_last_two(x))


@exercise("transposes.swap_last_two")
def test_swap_last_two_rejects_fewer_than_two_dimensions(student):
    """a scalar or a vector raises ValueError"""
    for x in [np.float64(1.0), np.arange(4.0)]:
        with expect.raises(ValueError):
            student.swap_last_two(x)


@exercise("transposes.swap_last_two")
@FEWER
@given(x=gs.arrays(gs.shapes(2, 4, 1, 4)))
def test_swap_last_two_leaves_input_unchanged(student, x):
    """x is unchanged afterwards"""
    _, (args, _) = student.call("swap_last_two", x, echo_args=True)
    expect.unchanged(x, args[0], what="x")


# split_heads ------------------------------------------------------------------------------


@exercise("transposes.split_heads")
@given(batch=head_batches())
def test_split_heads_matches_reference(student, batch):
    """(B, L, D) -> (B, H, L, D/H) matches the reference"""
    x, n_heads = batch
    expect.close(student.split_heads(x, n_heads), ref.split_heads(x, n_heads))


@exercise("transposes.split_heads")
def test_split_heads_gives_each_head_a_block_of_columns(student):
    """head h holds the feature columns [h*d, (h+1)*d) of every position"""
    x = np.arange(2 * 3 * 8, dtype=np.float64).reshape(2, 3, 8)  # B=2, L=3, D=8
    for n_heads in (1, 2, 4, 8):
        expect.close(student.split_heads(x, n_heads), ref.split_heads(x, n_heads))


@exercise("transposes.split_heads")
@FEWER
@given(batch=head_batches().flatmap(lambda b: st.tuples(gs.as_array_like(b[0]), st.just(b[1]))))
def test_split_heads_accepts_array_likes(student, batch):
    """accepts lists and tuples"""
    x, n_heads = batch
    expect.close(student.split_heads(x, n_heads), ref.split_heads(x, n_heads))


@exercise("transposes.split_heads")
def test_split_heads_rejects_bad_head_counts(student):
    """n_heads < 1 or D % n_heads != 0 raises ValueError"""
    for D, n_heads in [(4, 0), (4, -1), (4, -2), (6, 4), (5, 2), (4, 8)]:
        with expect.raises(ValueError):
            student.split_heads(np.ones((2, 3, D)), n_heads)


@exercise("transposes.split_heads")
@FEWER
@given(batch=head_batches())
def test_split_heads_leaves_input_unchanged(student, batch):
    """x is unchanged afterwards"""
    x, n_heads = batch
    _, (args, _) = student.call("split_heads", x, n_heads, echo_args=True)
    expect.unchanged(x, args[0], what="x")


# merge_heads ------------------------------------------------------------------------------


@exercise("transposes.merge_heads")
@given(x=st.tuples(*[st.integers(1, 4)] * 4).flatmap(lambda shape: gs.arrays(shape)))
def test_merge_heads_matches_reference(student, x):
    """(B, H, L, d) -> (B, L, H*d) matches the reference"""
    expect.close(student.merge_heads(x), ref.merge_heads(x))


@exercise("transposes.merge_heads")
@given(batch=head_batches())
def test_merge_heads_inverts_split_heads(student, batch):
    """merge_heads(split_heads(x, H)) gives x back"""
    x, n_heads = batch
    expect.close(student.merge_heads(ref.split_heads(x, n_heads)), x)


@exercise("transposes.merge_heads")
@FEWER
@given(x=st.tuples(*[st.integers(1, 3)] * 4).flatmap(lambda shape: gs.arrays(shape)).flatmap(gs.as_array_like))
def test_merge_heads_accepts_array_likes(student, x):
    """accepts lists and tuples"""
    expect.close(student.merge_heads(x), ref.merge_heads(x))


@exercise("transposes.merge_heads")
@FEWER
@given(x=st.tuples(*[st.integers(1, 3)] * 4).flatmap(lambda shape: gs.arrays(shape)))
def test_merge_heads_leaves_input_unchanged(student, x):
    """x is unchanged afterwards"""
    _, (args, _) = student.call("merge_heads", x, echo_args=True)
    expect.unchanged(x, args[0], what="x")


# symmetric_eig ----------------------------------------------------------------------------


def _eig_pair(got, n: int):
    """The submission's ``(eigvals (n,), eigvecs (n, n))``, or a failure saying what it returned."""
    ok = (
        isinstance(got, (tuple, list)) and len(got) == 2
        and all(isinstance(part, np.ndarray) for part in got)
        and got[0].shape == (n,) and got[1].shape == (n, n)
    )
    if not ok:
        shown = (
            f"({type(got[0]).__name__} {np.shape(got[0])}, {type(got[1]).__name__} {np.shape(got[1])})"
            if isinstance(got, (tuple, list)) and len(got) == 2 else type(got).__name__
        )
        expect.constraint(False, Text(
            en=f"symmetric_eig must return a pair (eigvals of shape ({n},), eigvecs of shape ({n}, {n})); got {shown}.",
            ja=f"symmetric_eig は (形状 ({n},) の eigvals, 形状 ({n}, {n}) の eigvecs) の組を返す必要がありますが、{shown} が返りました。",
        ))
    return got[0], got[1]


@exercise("transposes.symmetric_eig")
@example(S=LECTURE_COVARIANCE)
@given(S=symmetric_matrices())
def test_symmetric_eig_eigenvalues_descending(student, S):
    """eigenvalues in descending order (by value) match the reference"""
    values, _ = _eig_pair(student.symmetric_eig(S), S.shape[0])
    expect.close(values, ref.symmetric_eig(S)[0], what="eigvals")


@exercise("transposes.symmetric_eig")
@given(S=symmetric_matrices())
def test_symmetric_eig_reconstructs_S(student, S):
    """unit orthogonal eigenvector columns with S = V diag(eigvals) V^T"""
    values, vectors = _eig_pair(student.symmetric_eig(S), S.shape[0])
    n = S.shape[0]
    expect.close(vectors.T @ vectors, np.eye(n), rtol=1e-6, atol=1e-8, what="eigvecs^T @ eigvecs")
    expect.close((vectors * values) @ vectors.T, S, rtol=1e-6, atol=1e-8, what="eigvecs @ diag(eigvals) @ eigvecs^T")


@exercise("transposes.symmetric_eig")
@example(S=LECTURE_COVARIANCE)
@given(S=symmetric_matrices())
def test_symmetric_eig_matches_reference(student, S):
    """eigenvector columns in order, largest-magnitude entry positive, match the reference"""
    expect.close(student.symmetric_eig(S), ref.symmetric_eig(S))


@exercise("transposes.symmetric_eig")
@FEWER
@given(S=symmetric_matrices().flatmap(gs.as_array_like))
def test_symmetric_eig_accepts_array_likes(student, S):
    """accepts lists and tuples"""
    expect.close(student.symmetric_eig(S), ref.symmetric_eig(S))


@exercise("transposes.symmetric_eig")
def test_symmetric_eig_rejects_non_square(student):
    """a non-square matrix, a vector or a 3-D array raises ValueError"""
    for S in [np.ones((2, 3)), np.ones(3), np.ones((2, 2, 2))]:
        with expect.raises(ValueError):
            student.symmetric_eig(S)


@exercise("transposes.symmetric_eig")
@given(S=symmetric_matrices((2, 5)), scale=st.sampled_from([1e-6, 1.0, 1e4]))
def test_symmetric_eig_rejects_asymmetry_relative_to_max(student, S, scale):
    """max|S - S^T| above 1e-8 * max|S| raises ValueError, at any scale"""
    S = scale * S
    S = S + 1e-6 * np.abs(S).max() * _antisymmetric(S.shape[0])
    with expect.raises(ValueError):
        student.symmetric_eig(S)


@exercise("transposes.symmetric_eig")
@given(S=symmetric_matrices((2, 5)), scale=st.sampled_from([1e-6, 1.0, 1e4]))
def test_symmetric_eig_accepts_rounding_asymmetry(student, S, scale):
    """max|S - S^T| below 1e-8 * max|S| is accepted, at any scale"""
    S = scale * S
    S = S + 1e-10 * np.abs(S).max() * _antisymmetric(S.shape[0])
    values, vectors = ref.symmetric_eig(S)
    got_values, got_vectors = _eig_pair(student.symmetric_eig(S), S.shape[0])
    # A solver may read S + perturbation or its symmetric part: eigenvalues move by up to about
    # n * 1e-10 * max|S| and eigenvectors by that over the gap (~3e-9), hence atol 1e-7 (x scale).
    expect.close(got_values, values, rtol=1e-6, atol=1e-7 * scale, what="eigvals")
    expect.close(got_vectors, vectors, rtol=1e-6, atol=1e-7, what="eigvecs")


@exercise("transposes.symmetric_eig")
@FEWER
@given(S=symmetric_matrices())
def test_symmetric_eig_leaves_input_unchanged(student, S):
    """S is unchanged afterwards"""
    _, (args, _) = student.call("symmetric_eig", S, echo_args=True)
    expect.unchanged(S, args[0], what="S")


# low_rank_approx --------------------------------------------------------------------------


@exercise("transposes.low_rank_approx")
@given(data=st.data(), S=symmetric_matrices())
def test_low_rank_approx_matches_reference(student, data, S):
    """sum of lambda_i v_i v_i^T over the k largest eigenvalues (by value)"""
    k = data.draw(st.integers(0, S.shape[0]), label="k")
    expect.close(student.low_rank_approx(S, k), ref.low_rank_approx(S, k))


@exercise("transposes.low_rank_approx")
@example(S=LECTURE_COVARIANCE)
@given(S=symmetric_matrices(psd=True))
def test_low_rank_approx_rank_one_of_a_covariance(student, S):
    """rank-1 approximation of a covariance matrix (the lecture's PCA example)"""
    expect.close(student.low_rank_approx(S, 1), ref.low_rank_approx(S, 1))


@exercise("transposes.low_rank_approx")
@given(S=symmetric_matrices())
def test_low_rank_approx_extremes(student, S):
    """k = 0 gives zeros and k = n gives S back"""
    n = S.shape[0]
    expect.close(student.low_rank_approx(S, 0), np.zeros((n, n)), what="k = 0")
    expect.close(student.low_rank_approx(S, n), ref.low_rank_approx(S, n), what="k = n")


@exercise("transposes.low_rank_approx")
@FEWER
@given(S=symmetric_matrices((2, 4)).flatmap(gs.as_array_like))
def test_low_rank_approx_accepts_array_likes(student, S):
    """accepts lists and tuples"""
    expect.close(student.low_rank_approx(S, 1), ref.low_rank_approx(S, 1))


@exercise("transposes.low_rank_approx")
def test_low_rank_approx_rejects_bad_k(student):
    """k < 0 or k > n raises ValueError"""
    for k in [-1, -2, 3, 5]:
        with expect.raises(ValueError):
            student.low_rank_approx(LECTURE_COVARIANCE, k)


@exercise("transposes.low_rank_approx")
@FEWER
@given(S=symmetric_matrices())
def test_low_rank_approx_leaves_input_unchanged(student, S):
    """S is unchanged afterwards"""
    _, (args, _) = student.call("low_rank_approx", S, 1, echo_args=True)
    expect.unchanged(S, args[0], what="S")


# explained_variance_ratio -----------------------------------------------------------------

POSITIVE_SUM_VECTORS = gs.vectors(None, -2.0, 10.0).filter(lambda v: v.sum() > 1.0)


@exercise("transposes.explained_variance_ratio")
@given(eigvals=POSITIVE_SUM_VECTORS)
def test_explained_variance_ratio_matches_reference(student, eigvals):
    """eigvals / eigvals.sum(), in the order given"""
    expect.close(student.explained_variance_ratio(eigvals), ref.explained_variance_ratio(eigvals))


@exercise("transposes.explained_variance_ratio")
@example(eigvals=[1, 3, 2, 4])
@FEWER
@given(eigvals=st.lists(st.integers(0, 20), min_size=1, max_size=6).filter(lambda v: sum(v) > 0))
def test_explained_variance_ratio_of_integer_lists(student, eigvals):
    """integer lists give float64 fractions (not percentages), order kept"""
    expect.close(student.explained_variance_ratio(eigvals), ref.explained_variance_ratio(eigvals))


@exercise("transposes.explained_variance_ratio")
def test_explained_variance_ratio_rejects_non_positive_sums(student):
    """a sum of zero or below raises ValueError"""
    for eigvals in [[0.0, 0.0], [1.0, -1.0], [-1.0, -2.0], [2.0, -3.0, 0.5], []]:
        with expect.raises(ValueError):
            student.explained_variance_ratio(eigvals)


@exercise("transposes.explained_variance_ratio")
@FEWER
@given(eigvals=POSITIVE_SUM_VECTORS)
def test_explained_variance_ratio_leaves_input_unchanged(student, eigvals):
    """eigvals is unchanged afterwards"""
    _, (args, _) = student.call("explained_variance_ratio", eigvals, echo_args=True)
    expect.unchanged(eigvals, args[0], what="eigvals")
