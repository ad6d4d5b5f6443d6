"""Hidden suite of the norms topic: every test compares the submission with the oracle.

The oracle (``reference/norms.py``) is exact on the inputs used here (``tests/test_rules_norms.py``
checks it against decimal arithmetic). Overflow safety is the point of several tests: entries
``m * 10**e`` with ``e`` from -300 to 299 (tiny, huge, or mixed within one array), reduced over
every axis, an int axis or a tuple of axes, with and without ``keepdims``, compared with
``rtol=1e-6`` and *no* absolute tolerance (``atol=0``), because a norm of ``1e-300`` that comes
out as 0 is exactly the failure those tests look for. Every other comparison uses the contract's
default ``rtol=1e-6, atol=1e-9``.

Cosine similarity and normalization are probed near their ``eps`` (vectors of length ``1e-12`` to
``1e-6``), where clamping each norm differs from clamping the product or adding ``eps``; gradient
clipping keeps ``max_norm`` at least 5 % away from the total norm (the contract's ``1e-5`` margin,
and then some); layer normalization gets nearly constant rows, where ``eps`` matters.
"""

import functools

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference.norms as ref
from graders import strategies as S
from graders.suite import exercise, expect

EXACT = {"rtol": 1e-6, "atol": 0.0}  # overflow-safety tests: relatively exact, no absolute slack
BANDS = {"tiny": (-300, -290), "huge": (290, 299), "mixed": (-300, 299)}  # decimal exponents


# strategies -------------------------------------------------------------------------------


def _axes_of(ndim: int, allow_none: bool) -> st.SearchStrategy:
    one = st.integers(-ndim, ndim - 1)
    several = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).flatmap(
        lambda axes: st.tuples(*[st.sampled_from([a, a - ndim]) for a in axes])
    )
    return st.one_of(one, several, *([st.none()] if allow_none else []))


# Built once: hypothesis validates a strategy the first time it draws from it.
_AXES = {(ndim, none): _axes_of(ndim, none) for ndim in range(1, 4) for none in (True, False)}


def axes_of(ndim: int, allow_none: bool = True) -> st.SearchStrategy:
    """``None``, one axis as an int, or a tuple of distinct axes; negative spellings included."""
    return _AXES[ndim, allow_none]


def magnitudes(band: str) -> st.SearchStrategy[float]:
    """Signed floats ``m * 10**e`` with ``1 <= m < 10`` and ``e`` in the band's range."""
    low, high = BANDS[band]
    return st.builds(lambda sign, m, e: sign * m * 10.0**e,
                     st.sampled_from([-1.0, 1.0]), st.floats(1.0, 9.99), st.integers(low, high))


def wide_arrays(band: str, shape=None) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape if shape is not None else S.shapes(1, 3, 1, 4), elements=magnitudes(band))


SHAPES_UP_TO_3D = S.shapes(1, 3, 1, 4)
SHAPES_WITH_FEATURES = S.shapes(1, 3, 1, 5)
PLAIN = S.arrays(SHAPES_UP_TO_3D)
WIDE = {band: wide_arrays(band) for band in BANDS}
WIDE_2D_3D = wide_arrays("mixed", S.shapes(2, 3, 1, 4))


@functools.cache
def arrays(shape, low: float, high: float) -> st.SearchStrategy[np.ndarray]:
    """``S.arrays``, one strategy object per ``(shape, low, high)`` (a tuple or a shape strategy)."""
    return S.arrays(shape, low, high)


@st.composite
def reductions(draw, band=None, allow_none=True):
    """``(x, axis, keepdims)``: an array of 1 to 3 dimensions, axes to reduce, and keepdims."""
    x = draw(WIDE[band] if band else PLAIN)
    return x, draw(axes_of(x.ndim, allow_none)), draw(st.booleans())


@st.composite
def reductions_with_zero_slices(draw):
    """Like ``reductions`` over mixed magnitudes, with some of the reduced slices all zero."""
    x = draw(WIDE_2D_3D)
    axis = draw(axes_of(x.ndim, allow_none=False))
    axes = {a % x.ndim for a in (axis if isinstance(axis, tuple) else (axis,))}
    zero = draw(hnp.arrays(np.bool_, tuple(1 if a in axes else n for a, n in enumerate(x.shape))))
    return np.where(zero, 0.0, x), axis, draw(st.booleans())


def _kwargs(axis, keepdims) -> dict:
    return {"axis": axis, "keepdims": keepdims}


EMPTY_CASES = [  # (x, kwargs): empty inputs and reductions along an axis of length 0
    ([], {}),
    (np.zeros((0,)), {}),
    (np.zeros((0, 3)), {}),
    (np.zeros((2, 0)), {"axis": 1}),
    (np.zeros((2, 0)), {"axis": 0}),
    (np.zeros((0, 3)), {"axis": (0, 1), "keepdims": True}),
    (np.zeros((2, 0, 3)), {"axis": -2}),
]


def _as_tuples(value):
    """A nested list turned into nested tuples."""
    return tuple(_as_tuples(v) for v in value) if isinstance(value, list) else value


def _check_empty(student, name: str, *extra):
    for x, kwargs in EMPTY_CASES:
        expect.close(getattr(student, name)(x, *extra, **kwargs), getattr(ref, name)(x, *extra, **kwargs))


def _check_unchanged(student, name: str, names: str, *args, **kwargs):
    """Call ``name`` and check that the positional ``args`` (called ``names``) are unchanged afterwards."""
    _, (after, _) = student.call(name, *args, echo_args=True, **kwargs)
    for what, before, now in zip(names.split(), args, after):
        expect.unchanged(before, now, what=what)


# l1_norm ----------------------------------------------------------------------------------


@exercise("norms.l1_norm")
@example(case=(np.array([[1.0, -2.0], [3.0, -4.0]]), 1, False))
@example(case=(np.array([[1.0, -2.0], [3.0, -4.0]]), 0, True))
@example(case=(np.arange(24.0).reshape(2, 3, 4) - 11.5, (0, -1), True))
@given(case=reductions())
def test_l1_norm_matches_reference(student, case):
    """sum of absolute values over all elements, an int axis or a tuple of axes, with keepdims"""
    x, axis, keepdims = case
    expect.close(student.l1_norm(x, **_kwargs(axis, keepdims)), ref.l1_norm(x, **_kwargs(axis, keepdims)))


@exercise("norms.l1_norm")
@given(x=PLAIN)
def test_l1_norm_default_is_every_element(student, x):
    """reduces every element to one number by default"""
    expect.close(student.l1_norm(x), ref.l1_norm(x))


@exercise("norms.l1_norm")
@given(case=reductions(band="mixed"))
def test_l1_norm_wide_magnitudes(student, case):
    """exact for entries from 1e-300 to 1e300"""
    x, axis, keepdims = case
    expect.close(student.l1_norm(x, **_kwargs(axis, keepdims)), ref.l1_norm(x, **_kwargs(axis, keepdims)), **EXACT)


@exercise("norms.l1_norm")
def test_l1_norm_of_empty_input(student):
    """an empty input (or an empty reduced axis) gives 0.0"""
    _check_empty(student, "l1_norm")


@exercise("norms.l1_norm")
@example(x=-2.5)
@given(x=S.matrices(2, 3).flatmap(S.as_array_like))
def test_l1_norm_accepts_array_likes(student, x):
    """accepts lists, tuples and Python numbers"""
    expect.close(student.l1_norm(x), ref.l1_norm(x))
    if not isinstance(x, float):
        expect.close(student.l1_norm(x, axis=1), ref.l1_norm(x, axis=1))


@exercise("norms.l1_norm")
@given(case=reductions())
def test_l1_norm_leaves_x_unchanged(student, case):
    """x is unchanged afterwards"""
    x, axis, keepdims = case
    _check_unchanged(student, "l1_norm", "x", x, **_kwargs(axis, keepdims))


# l2_norm ----------------------------------------------------------------------------------


@exercise("norms.l2_norm")
@example(case=(np.array([[3.0, -4.0], [0.5, 1.0]]), 1, False))
@example(case=(np.array([[3.0, -4.0], [0.5, 1.0]]), 0, True))
@example(case=(np.arange(24.0).reshape(2, 3, 4) - 11.5, (0, -1), True))
@given(case=reductions())
def test_l2_norm_matches_reference(student, case):
    """Euclidean norm over all elements, an int axis or a tuple of axes, with keepdims"""
    x, axis, keepdims = case
    expect.close(student.l2_norm(x, **_kwargs(axis, keepdims)), ref.l2_norm(x, **_kwargs(axis, keepdims)))


@exercise("norms.l2_norm")
@given(x=PLAIN)
def test_l2_norm_default_is_every_element(student, x):
    """reduces every element to one number by default"""
    expect.close(student.l2_norm(x), ref.l2_norm(x))


@exercise("norms.l2_norm")
@example(case=(np.array([1e-300, -1e-300]), None, False))
@example(case=(np.array([[1e-300, 2e-300], [3e-300, 4e-300]]), 1, True))
@given(case=reductions(band="tiny"))
def test_l2_norm_tiny_entries(student, case):
    """relatively exact for entries near 1e-300 (squares underflow)"""
    x, axis, keepdims = case
    expect.close(student.l2_norm(x, **_kwargs(axis, keepdims)), ref.l2_norm(x, **_kwargs(axis, keepdims)), **EXACT)


@exercise("norms.l2_norm")
@example(case=(np.array([1e300, -1e300]), None, False))
@example(case=(np.array([[1e300, 2e299], [-3e299, 4e299]]), (0,), False))
@given(case=reductions(band="huge"))
def test_l2_norm_huge_entries(student, case):
    """relatively exact for entries near 1e300 (squares overflow)"""
    x, axis, keepdims = case
    expect.close(student.l2_norm(x, **_kwargs(axis, keepdims)), ref.l2_norm(x, **_kwargs(axis, keepdims)), **EXACT)


@exercise("norms.l2_norm")
@example(case=(np.array([[1e-300, 3e-300], [1e300, -2e300]]), 1, False))  # a tiny slice beside a huge one
@example(case=(np.array([[1e-300, 1e300], [-5e-301, 7e-300]]), -1, True))
@given(case=reductions(band="mixed"))
def test_l2_norm_mixed_magnitudes(student, case):
    """relatively exact when 1e-300 and 1e300 entries share an array, slice by slice"""
    x, axis, keepdims = case
    expect.close(student.l2_norm(x, **_kwargs(axis, keepdims)), ref.l2_norm(x, **_kwargs(axis, keepdims)), **EXACT)


@exercise("norms.l2_norm")
@example(case=(np.array([[0.0, 0.0], [3e200, -4e200]]), 1, False))
@example(case=(np.zeros((2, 3)), (0, 1), True))
@given(case=reductions_with_zero_slices())
def test_l2_norm_zero_slices(student, case):
    """an all-zero slice gives exactly 0.0, never NaN"""
    x, axis, keepdims = case
    expect.close(student.l2_norm(x, **_kwargs(axis, keepdims)), ref.l2_norm(x, **_kwargs(axis, keepdims)), **EXACT)


@exercise("norms.l2_norm")
def test_l2_norm_of_empty_input(student):
    """an empty input (or an empty reduced axis) gives 0.0"""
    _check_empty(student, "l2_norm")


@exercise("norms.l2_norm")
@example(x=-2.5)
@given(x=S.matrices(2, 3).flatmap(S.as_array_like))
def test_l2_norm_accepts_array_likes(student, x):
    """accepts lists, tuples and Python numbers"""
    expect.close(student.l2_norm(x), ref.l2_norm(x))
    if not isinstance(x, float):
        expect.close(student.l2_norm(x, axis=1), ref.l2_norm(x, axis=1))


@exercise("norms.l2_norm")
@given(case=reductions(band="mixed"))
def test_l2_norm_leaves_x_unchanged(student, case):
    """x is unchanged afterwards"""
    x, axis, keepdims = case
    _check_unchanged(student, "l2_norm", "x", x, **_kwargs(axis, keepdims))


# linf_norm --------------------------------------------------------------------------------


@exercise("norms.linf_norm")
@example(case=(np.array([[1.0, -7.0], [3.0, 2.0]]), 0, False))
@example(case=(np.array([[1.0, -7.0], [3.0, 2.0]]), -1, True))
@given(case=reductions())
def test_linf_norm_matches_reference(student, case):
    """largest absolute value over all elements, an int axis or a tuple of axes, with keepdims"""
    x, axis, keepdims = case
    expect.close(student.linf_norm(x, **_kwargs(axis, keepdims)), ref.linf_norm(x, **_kwargs(axis, keepdims)))


@exercise("norms.linf_norm")
@example(x=np.array([-9.0, 2.0, 3.0]))
@given(x=PLAIN)
def test_linf_norm_default_is_every_element(student, x):
    """reduces every element to one number by default"""
    expect.close(student.linf_norm(x), ref.linf_norm(x))


@exercise("norms.linf_norm")
@given(case=reductions(band="mixed"))
def test_linf_norm_wide_magnitudes(student, case):
    """exact for entries from 1e-300 to 1e300"""
    x, axis, keepdims = case
    expect.close(student.linf_norm(x, **_kwargs(axis, keepdims)), ref.linf_norm(x, **_kwargs(axis, keepdims)),
                 **EXACT)


@exercise("norms.linf_norm")
def test_linf_norm_of_empty_input(student):
    """an empty input (or an empty reduced axis) gives 0.0, not an error"""
    _check_empty(student, "linf_norm")


@exercise("norms.linf_norm")
@example(x=-2.5)
@given(x=S.matrices(2, 3).flatmap(S.as_array_like))
def test_linf_norm_accepts_array_likes(student, x):
    """accepts lists, tuples and Python numbers"""
    expect.close(student.linf_norm(x), ref.linf_norm(x))
    if not isinstance(x, float):
        expect.close(student.linf_norm(x, axis=1), ref.linf_norm(x, axis=1))


@exercise("norms.linf_norm")
@given(case=reductions())
def test_linf_norm_leaves_x_unchanged(student, case):
    """x is unchanged afterwards"""
    x, axis, keepdims = case
    _check_unchanged(student, "linf_norm", "x", x, **_kwargs(axis, keepdims))


# lp_norm ----------------------------------------------------------------------------------

POWERS = st.one_of(st.sampled_from([1, 2, 3, 1.5, 4.5, 7]), st.floats(1.0, 8.0))


@exercise("norms.lp_norm")
@example(case=(np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]]), 1, False), p=3)
@example(case=(np.array([[1.0, -2.0], [3.0, 4.0]]), 0, True), p=1.5)
@given(case=reductions(), p=POWERS)
def test_lp_norm_matches_reference(student, case, p):
    """(sum |x|^p)^(1/p) over all elements, an int axis or a tuple of axes, with keepdims"""
    x, axis, keepdims = case
    expect.close(student.lp_norm(x, p, **_kwargs(axis, keepdims)), ref.lp_norm(x, p, **_kwargs(axis, keepdims)))


@exercise("norms.lp_norm")
@given(x=PLAIN, p=POWERS)
def test_lp_norm_default_is_every_element(student, x, p):
    """reduces every element to one number by default"""
    expect.close(student.lp_norm(x, p), ref.lp_norm(x, p))


@exercise("norms.lp_norm")
@example(case=(np.array([[1.0, -7.0], [3.0, 2.0]]), 0, False))
@given(case=reductions())
def test_lp_norm_infinity(student, case):
    """p = inf gives the largest absolute value"""
    x, axis, keepdims = case
    expect.close(student.lp_norm(x, np.inf, **_kwargs(axis, keepdims)),
                 ref.lp_norm(x, np.inf, **_kwargs(axis, keepdims)))


@exercise("norms.lp_norm")
@example(case=(np.array([1e-300, -2e-300]), None, False), p=3)
@example(case=(np.array([[1e-300, 3e-300], [1e300, -2e300]]), 1, False), p=1.5)
@example(case=(np.array([1e300, -1e300, 5e299]), 0, True), p=4.5)
@given(case=st.sampled_from(sorted(BANDS)).flatmap(lambda band: reductions(band=band)), p=POWERS)
def test_lp_norm_wide_magnitudes(student, case, p):
    """relatively exact for tiny (1e-300), huge (1e300) and mixed entries"""
    x, axis, keepdims = case
    expect.close(student.lp_norm(x, p, **_kwargs(axis, keepdims)), ref.lp_norm(x, p, **_kwargs(axis, keepdims)),
                 **EXACT)


@exercise("norms.lp_norm")
@example(case=(np.array([[0.0, 0.0], [3e200, -4e200]]), 1, False), p=3)
@given(case=reductions_with_zero_slices(), p=POWERS)
def test_lp_norm_zero_slices(student, case, p):
    """an all-zero slice gives exactly 0.0, never NaN"""
    x, axis, keepdims = case
    expect.close(student.lp_norm(x, p, **_kwargs(axis, keepdims)), ref.lp_norm(x, p, **_kwargs(axis, keepdims)),
                 **EXACT)


@exercise("norms.lp_norm")
def test_lp_norm_rejects_p_below_one(student):
    """p < 1 (0.5, 0, -1, -inf) raises ValueError"""
    for p in [0.5, 0, 0.999, -1, -np.inf]:
        with expect.raises(ValueError):
            student.lp_norm(np.array([1.0, 2.0, 3.0]), p)


@exercise("norms.lp_norm")
def test_lp_norm_of_empty_input(student):
    """an empty input (or an empty reduced axis) gives 0.0, for finite p and for inf"""
    _check_empty(student, "lp_norm", 3)
    _check_empty(student, "lp_norm", np.inf)


@exercise("norms.lp_norm")
@example(x=-2.5, p=3)
@given(x=S.matrices(2, 3).flatmap(S.as_array_like), p=POWERS)
def test_lp_norm_accepts_array_likes(student, x, p):
    """accepts lists, tuples and Python numbers"""
    expect.close(student.lp_norm(x, p), ref.lp_norm(x, p))


@exercise("norms.lp_norm")
@given(case=reductions(band="mixed"), p=POWERS)
def test_lp_norm_leaves_x_unchanged(student, case, p):
    """x is unchanged afterwards"""
    x, axis, keepdims = case
    _, (after, _) = student.call("lp_norm", x, p, echo_args=True, **_kwargs(axis, keepdims))
    expect.unchanged(x, after[0], what="x")


# frobenius_norm ---------------------------------------------------------------------------


@exercise("norms.frobenius_norm")
@example(A=np.array([[1.0, 2.0], [3.0, 4.0]]))
@example(A=np.array([[1.0, 2.0, 3.0]]))
@given(A=S.matrices())
def test_frobenius_norm_matches_reference(student, A):
    """square root of the sum of squared entries of any (m, n) matrix"""
    expect.close(student.frobenius_norm(A), ref.frobenius_norm(A))


@exercise("norms.frobenius_norm")
@example(A=np.array([[1e300, 0.0], [0.0, -1e300]]))
@example(A=np.array([[1e-300, 2e-300, 3e-300]]))
@given(A=st.sampled_from(sorted(BANDS)).flatmap(
    lambda band: wide_arrays(band, st.tuples(st.integers(1, 4), st.integers(1, 4)))))
def test_frobenius_norm_wide_magnitudes(student, A):
    """relatively exact for tiny (1e-300), huge (1e300) and mixed entries"""
    expect.close(student.frobenius_norm(A), ref.frobenius_norm(A), **EXACT)


@exercise("norms.frobenius_norm")
def test_frobenius_norm_rejects_non_matrices(student):
    """inputs that are not 2-D raise ValueError"""
    for A in [np.array([1.0, 2.0, 3.0]), np.ones((2, 2, 2)), np.array(4.0), [1.0, 2.0], np.ones((1, 1, 3))]:
        with expect.raises(ValueError):
            student.frobenius_norm(A)


@exercise("norms.frobenius_norm")
def test_frobenius_norm_of_empty_matrix(student):
    """a matrix with no entries gives 0.0"""
    for A in [np.zeros((0, 3)), np.zeros((2, 0)), np.zeros((0, 0))]:
        expect.close(student.frobenius_norm(A), ref.frobenius_norm(A))


@exercise("norms.frobenius_norm")
@given(A=S.matrices(2, 3).flatmap(S.as_array_like))
def test_frobenius_norm_accepts_array_likes(student, A):
    """accepts nested lists and tuples"""
    expect.close(student.frobenius_norm(A), ref.frobenius_norm(A))


@exercise("norms.frobenius_norm")
@given(A=S.matrices())
def test_frobenius_norm_leaves_a_unchanged(student, A):
    """A is unchanged afterwards"""
    _check_unchanged(student, "frobenius_norm", "A", A)


# cosine_similarity ------------------------------------------------------------------------


@st.composite
def vector_pairs(draw, broadcast=False, low=-10.0, high=10.0):
    """``(a, b)`` with one last-axis length ``D``; leading shapes equal, or mutually broadcastable."""
    d = draw(st.integers(1, 5))
    if broadcast:
        lead_a, lead_b = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2,
                                                                min_side=1, max_side=3)).input_shapes
    else:
        lead_a = lead_b = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    return draw(arrays(lead_a + (d,), low, high)), draw(arrays(lead_b + (d,), low, high))


@exercise("norms.cosine_similarity")
@example(pair=(np.array([1.0, 2.0, 3.0]), np.array([4.0, -5.0, 6.0])))
@example(pair=(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[0.0, 2.0], [-3.0, -3.0]])))
@given(pair=vector_pairs())
def test_cosine_similarity_matches_reference(student, pair):
    """one similarity per pair of vectors along the last axis (a float for two vectors)"""
    a, b = pair
    expect.close(student.cosine_similarity(a, b), ref.cosine_similarity(a, b))


@exercise("norms.cosine_similarity")
@example(pair=(np.array([[[1.0, 2.0]], [[0.0, 1.0]]]), np.array([[1.0, 0.0], [2.0, 2.0], [-1.0, 3.0]])))
@example(pair=(np.array([3.0, 4.0]), np.array([[1.0, 0.0], [0.0, 1.0]])))
@given(pair=vector_pairs(broadcast=True))
def test_cosine_similarity_broadcasts(student, pair):
    """leading axes broadcast: (2, 1, D) with (3, D) gives (2, 3)"""
    a, b = pair
    expect.close(student.cosine_similarity(a, b), ref.cosine_similarity(a, b))


@st.composite
def pairs_with_zero_vectors(draw):
    """``vector_pairs`` where some of the vectors of ``a`` are all zeros."""
    a, b = draw(vector_pairs(broadcast=True))
    return np.where(draw(hnp.arrays(np.bool_, a.shape[:-1] + (1,))), 0.0, a), b


@exercise("norms.cosine_similarity")
@example(pair=(np.array([[1.0, 0.0], [0.0, 0.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])))
@example(pair=(np.zeros(3), np.zeros(3)))
@given(pair=pairs_with_zero_vectors())
def test_cosine_similarity_zero_vectors(student, pair):
    """a zero vector gives 0, never NaN"""
    a, b = pair
    expect.close(student.cosine_similarity(a, b), ref.cosine_similarity(a, b))
    expect.close(student.cosine_similarity(b, a), ref.cosine_similarity(b, a))


@exercise("norms.cosine_similarity")
@example(pair=(np.array([1e-5, 0.0]), np.array([1e-5, 1e-5])), scales=(0, 0))
@example(pair=(np.array([1e-9, 0.0]), np.array([2e-9, 2e-9])), scales=(0, 0))
@given(pair=vector_pairs(low=-1.0, high=1.0), scales=st.tuples(st.integers(-11, -4), st.integers(-11, -4)))
def test_cosine_similarity_short_vectors(student, pair, scales):
    """short vectors: each norm is clamped by eps separately, a.b / (max(|a|, eps) max(|b|, eps))"""
    a, b = pair[0] * 10.0 ** scales[0], pair[1] * 10.0 ** scales[1]
    expect.close(student.cosine_similarity(a, b), ref.cosine_similarity(a, b))


@exercise("norms.cosine_similarity")
@example(pair=(np.array([[0.3, 0.4], [1.0, 2.0]]), np.array([1.0, 0.0])), eps=1.0)
@given(pair=vector_pairs(low=-2.0, high=2.0), eps=st.sampled_from([1e-3, 0.1, 1.0, 3.0]))
def test_cosine_similarity_custom_eps(student, pair, eps):
    """the eps argument is used"""
    a, b = pair
    expect.close(student.cosine_similarity(a, b, eps=eps), ref.cosine_similarity(a, b, eps=eps))


@exercise("norms.cosine_similarity")
@given(pair=vector_pairs(), kind=st.sampled_from(["list", "tuple"]))
def test_cosine_similarity_accepts_array_likes(student, pair, kind):
    """accepts lists and tuples"""
    a, b = (v.tolist() for v in pair)
    if kind == "tuple":
        a, b = _as_tuples(a), _as_tuples(b)
    expect.close(student.cosine_similarity(a, b), ref.cosine_similarity(a, b))


@exercise("norms.cosine_similarity")
@given(pair=vector_pairs(broadcast=True))
def test_cosine_similarity_leaves_inputs_unchanged(student, pair):
    """a and b are unchanged afterwards"""
    _check_unchanged(student, "cosine_similarity", "a b", *pair)


# normalize --------------------------------------------------------------------------------


@st.composite
def arrays_and_axis(draw, low=-10.0, high=10.0):
    """An array of 1 to 3 dimensions and one of its axes (negative ones included)."""
    x = draw(arrays(SHAPES_UP_TO_3D, low, high))
    return x, draw(st.integers(-x.ndim, x.ndim - 1))


@exercise("norms.normalize")
@example(case=(np.array([[3.0, 4.0], [6.0, 8.0]]), 0))
@given(case=arrays_and_axis())
def test_normalize_matches_reference(student, case):
    """unit L2 length along any axis, as torch's F.normalize"""
    x, axis = case
    expect.close(student.normalize(x, axis=axis), ref.normalize(x, axis=axis))


@exercise("norms.normalize")
@example(x=np.array([[1.0, 2.0], [3.0, 4.0]]))
@given(x=PLAIN)
def test_normalize_default_axis(student, x):
    """normalizes along the last axis by default"""
    expect.close(student.normalize(x), ref.normalize(x))


@st.composite
def arrays_with_zero_vectors(draw):
    """``arrays_and_axis`` where some of the vectors along the axis are all zeros."""
    x, axis = draw(arrays_and_axis())
    shape = tuple(1 if a == axis % x.ndim else n for a, n in enumerate(x.shape))
    return np.where(draw(hnp.arrays(np.bool_, shape)), 0.0, x), axis


@exercise("norms.normalize")
@example(case=(np.array([[3.0, 4.0], [0.0, 0.0]]), -1))
@given(case=arrays_with_zero_vectors())
def test_normalize_zero_vectors(student, case):
    """a zero vector stays zero, never NaN"""
    x, axis = case
    expect.close(student.normalize(x, axis=axis), ref.normalize(x, axis=axis))


@exercise("norms.normalize")
@example(case=(np.array([3.0, 4.0]), 0), scale=-12)
@example(case=(np.array([[3.0, 4.0], [1.0, 0.0]]), -1), scale=-13)
@given(case=arrays_and_axis(-1.0, 1.0), scale=st.integers(-14, -9))
def test_normalize_short_vectors(student, case, scale):
    """a vector shorter than eps is divided by eps: x / max(|x|, eps)"""
    x, axis = case
    x = x * 10.0**scale
    expect.close(student.normalize(x, axis=axis), ref.normalize(x, axis=axis))


@exercise("norms.normalize")
@given(case=arrays_and_axis(-2.0, 2.0), eps=st.sampled_from([1e-3, 0.5, 1.0, 4.0]))
def test_normalize_custom_eps(student, case, eps):
    """the eps argument is used"""
    x, axis = case
    expect.close(student.normalize(x, axis=axis, eps=eps), ref.normalize(x, axis=axis, eps=eps))


@exercise("norms.normalize")
@given(x=S.matrices(2, 3).flatmap(S.as_array_like))
def test_normalize_accepts_array_likes(student, x):
    """accepts lists and tuples"""
    expect.close(student.normalize(x), ref.normalize(x))
    expect.close(student.normalize(x, axis=0), ref.normalize(x, axis=0))


@exercise("norms.normalize")
@given(case=arrays_and_axis())
def test_normalize_leaves_x_unchanged(student, case):
    """x is unchanged afterwards"""
    x, axis = case
    _check_unchanged(student, "normalize", "x", x, axis=axis)


# clip_grad_norm ---------------------------------------------------------------------------

GRAD_SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
CLIPPING = st.sampled_from([0.05, 0.3, 0.7, 0.95])  # max_norm = total * factor: clipped
NOT_CLIPPING = st.sampled_from([1.05, 2.0, 10.0])  # max_norm above the total: unchanged


def _total(grads) -> float:
    return float(np.sqrt(sum(float(np.sum(np.square(np.asarray(g, dtype=np.float64)))) for g in grads)))


@st.composite
def gradients(draw, factors=CLIPPING, low=-10.0, high=10.0):
    """``(grads, max_norm)``: 1 to 4 arrays and a max_norm at ``factor`` times their total norm.

    ``max_norm`` stays at least 5 % and ``2e-5`` away from the total (the contract asks for
    ``1e-5``): when the total is below ``4e-4``, ``max_norm`` is 1.
    """
    grads = draw(st.lists(arrays(GRAD_SHAPES, low, high), min_size=1, max_size=4))
    total = _total(grads)
    return grads, (total * draw(factors) if total > 4e-4 else 1.0)


@exercise("norms.clip_grad_norm")
@example(case=([np.array([3.0, 4.0]), np.array([[0.0, 12.0]])], 1.0))
@example(case=([np.array([[1.0, -2.0], [0.5, 3.0]]), np.array(4.0), np.array([1.0, 1.0, -1.0])], 2.0))
@given(case=gradients())
def test_clip_grad_norm_clips_by_the_total_norm(student, case):
    """above max_norm every array is scaled by one factor; the total before clipping is returned"""
    grads, max_norm = case
    expect.close(student.clip_grad_norm(grads, max_norm), ref.clip_grad_norm(grads, max_norm))


@exercise("norms.clip_grad_norm")
@example(case=([np.array([1.0, 2.0]), np.array([[0.5], [-0.5]])], 10.0))
@given(case=gradients(NOT_CLIPPING))
def test_clip_grad_norm_keeps_small_gradients(student, case):
    """below max_norm the arrays are returned unchanged, with the total norm"""
    grads, max_norm = case
    expect.close(student.clip_grad_norm(grads, max_norm), ref.clip_grad_norm(grads, max_norm))


@exercise("norms.clip_grad_norm")
@example(case=([np.array([3e-4, 4e-4])], 1e-4))
@given(case=gradients(low=-1e-3, high=1e-3))
def test_clip_grad_norm_small_totals(student, case):
    """the factor is max_norm / (total + 1e-6), which matters for small totals"""
    grads, max_norm = case
    expect.close(student.clip_grad_norm(grads, max_norm), ref.clip_grad_norm(grads, max_norm))


@exercise("norms.clip_grad_norm")
def test_clip_grad_norm_of_no_gradients(student):
    """an empty list gives ([], 0.0)"""
    expect.close(student.clip_grad_norm([], 1.0), ref.clip_grad_norm([], 1.0))


@exercise("norms.clip_grad_norm")
@example(case=([np.array([3.0, 4.0]), np.array([[0.0, 12.0]])], 1.0))
@given(case=st.one_of(gradients(), gradients(NOT_CLIPPING)))
def test_clip_grad_norm_leaves_inputs_unchanged(student, case):
    """the input arrays are unchanged afterwards (no in-place clipping)"""
    grads, max_norm = case
    _, (after, _) = student.call("clip_grad_norm", grads, max_norm, echo_args=True)
    expect.unchanged(grads, after[0], what="grads")


@exercise("norms.clip_grad_norm")
@given(case=st.one_of(gradients(), gradients(NOT_CLIPPING)))
def test_clip_grad_norm_accepts_array_likes(student, case):
    """accepts gradients given as nested lists and Python numbers"""
    grads, max_norm = case
    plain = [g.tolist() for g in grads]  # a 0-d array becomes a Python float
    expect.close(student.clip_grad_norm(plain, max_norm), ref.clip_grad_norm(plain, max_norm))


# layer_norm -------------------------------------------------------------------------------


@st.composite
def layer_inputs(draw, low=-10.0, high=10.0, constant_rows=False):
    """``(x, gamma, beta)``: ``x`` of shape ``(D,)``, ``(N, D)`` or ``(B, T, D)``.

    With ``constant_rows`` some rows of ``x`` repeat a single value.
    """
    x = draw(arrays(SHAPES_WITH_FEATURES, low, high))
    if constant_rows:
        x = np.where(draw(hnp.arrays(np.bool_, x.shape[:-1] + (1,))), x[..., :1], x)
    d = x.shape[-1]
    return x, draw(arrays((d,), -3.0, 3.0)), draw(arrays((d,), -3.0, 3.0))


@exercise("norms.layer_norm")
@example(inputs=(np.array([[1.0, 2.0, 3.0], [4.0, 6.0, 11.0]]), np.ones(3), np.zeros(3)))
@given(inputs=layer_inputs())
def test_layer_norm_matches_reference(student, inputs):
    """matches torch's layer_norm over the last axis, with gamma and beta"""
    expect.close(student.layer_norm(*inputs), ref.layer_norm(*inputs))


@exercise("norms.layer_norm")
@given(inputs=layer_inputs(), eps=st.sampled_from([1e-3, 0.1, 1.0, 10.0]))
def test_layer_norm_custom_eps(student, inputs, eps):
    """the eps argument is used, inside the square root"""
    expect.close(student.layer_norm(*inputs, eps=eps), ref.layer_norm(*inputs, eps=eps))


@exercise("norms.layer_norm")
@example(inputs=(np.array([[1.0, 1.001, 1.002]]), np.array([1.0, 2.0, 3.0]), np.array([0.0, 0.5, -0.5])),
         level=0.0, spread=-3)
@given(inputs=layer_inputs(-1.0, 1.0), level=S.reals(-10.0, 10.0), spread=st.integers(-4, -2))
def test_layer_norm_nearly_constant_rows(student, inputs, level, spread):
    """rows with a tiny variance, where eps matters"""
    x, gamma, beta = inputs
    x = level + x * 10.0**spread
    expect.close(student.layer_norm(x, gamma, beta), ref.layer_norm(x, gamma, beta))


@exercise("norms.layer_norm")
@example(inputs=(np.array([[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]]), np.array([1.0, 2.0, 3.0]),
                 np.array([0.5, 0.0, -0.5])))
@given(inputs=layer_inputs(constant_rows=True))
def test_layer_norm_constant_rows(student, inputs):
    """a constant row gives beta, never NaN"""
    x, gamma, beta = inputs
    expect.close(student.layer_norm(x, gamma, beta), ref.layer_norm(x, gamma, beta))


@exercise("norms.layer_norm")
@given(inputs=layer_inputs())
def test_layer_norm_is_shift_invariant(student, inputs):
    """unchanged by adding 100 to x"""
    x, gamma, beta = inputs
    expect.close(student.layer_norm(x + 100.0, gamma, beta), ref.layer_norm(x, gamma, beta),
                 what="layer_norm(x + 100)")


@exercise("norms.layer_norm")
@given(inputs=layer_inputs(), kind=st.sampled_from(["list", "tuple"]))
def test_layer_norm_accepts_array_likes(student, inputs, kind):
    """accepts lists and tuples"""
    plain = [v.tolist() for v in inputs]
    if kind == "tuple":
        plain = [_as_tuples(v) for v in plain]
    expect.close(student.layer_norm(*plain), ref.layer_norm(*plain))


@exercise("norms.layer_norm")
@given(inputs=layer_inputs())
def test_layer_norm_leaves_inputs_unchanged(student, inputs):
    """x, gamma and beta are unchanged afterwards"""
    _check_unchanged(student, "layer_norm", "x gamma beta", *inputs)
