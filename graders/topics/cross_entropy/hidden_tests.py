"""Hidden suite of the cross_entropy topic: every test compares the submission with the oracle.

The oracle (``reference/cross_entropy.py``) hands the mathematics to torch, so it is exact and
stable by construction. Stability is probed the way a careless implementation breaks: logits up
to ``+-1e4`` (``1000 * z``), a shift by 100 that must not change the result, and probabilities
that are exactly 0. Class targets travel as int64 arrays, and once as Python lists; ignored rows
(padding) carry NaN or inf logits, which must not leak into any result.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference.cross_entropy as ref
from graders import strategies as S
from graders.suite import exercise, expect

REDUCTIONS = st.sampled_from([None, "none", "sum", "mean"])  # None: leave the default ("mean")
PADDING = st.sampled_from([np.nan, np.inf, -np.inf, 1e300])  # what padded rows may hold


def _reduction(reduction) -> dict:
    """Keyword arguments that pass ``reduction``, or rely on the default when it is None."""
    return {} if reduction is None else {"reduction": reduction}


@st.composite
def arrays_and_axes(draw, low: float = -10.0, high: float = 10.0):
    """An array of 1 to 3 dimensions and one of its axes (negative ones included)."""
    z = draw(S.arrays(S.shapes(1, 3, 1, 5), low, high))
    return z, draw(st.integers(-z.ndim, z.ndim - 1))


@st.composite
def logits_and_classes(draw, low: float = -10.0, high: float = 10.0):
    """Logits ``(N, K)`` and int64 class targets ``(N,)`` in ``0..K-1``."""
    n, k = draw(st.integers(1, 5)), draw(st.integers(2, 6))
    return draw(S.arrays((n, k), low, high)), draw(S.class_indices(n, k))


@st.composite
def padded_batches(draw, default_only: bool = False):
    """Logits, targets and an ``ignore_index``; ignored rows hold NaN/inf padding logits.

    ``ignore_index`` is the default -100, or -1, or a real class (then every row of that class is
    ignored too); ``default_only`` keeps it at -100.
    """
    logits, targets = draw(logits_and_classes())
    n, k = logits.shape
    ignore_index = -100 if default_only else draw(st.sampled_from([-100, -100, -1, 0, k - 1]))
    ignored = draw(hnp.arrays(np.bool_, (n,)))
    targets[ignored] = ignore_index
    logits[ignored] = draw(PADDING)
    return logits, targets, ignore_index


@st.composite
def targets_and_probabilities(draw, n_rows=None):
    """Targets (one-hot or soft) and strictly positive probabilities, both ``(N, K)``."""
    Y = draw(S.probability_rows(n_rows))
    n, k = Y.shape
    if draw(st.booleans()):
        return np.eye(k)[draw(S.class_indices(n, k))], Y
    return draw(S.probability_rows(n, k)), Y


@st.composite
def rows_with_zero_probabilities(draw, n_rows=None, infinite=None):
    """Rows ``(t, y)`` where ``y`` has exact zeros.

    In a finite row ``t`` is 0 wherever ``y`` is (those terms contribute 0); in an infinite row
    ``t`` puts weight on a class where ``y`` is 0 (the loss is inf). ``infinite=None`` mixes both.
    """
    n, k = (draw(st.integers(1, 4)) if n_rows is None else n_rows), draw(st.integers(2, 6))
    T, Y = np.zeros((n, k)), np.zeros((n, k))
    for row in range(n):
        order = draw(st.permutations(range(k)))
        zeros, kept = order[: draw(st.integers(1, k - 1))], order[-1]
        y = draw(S.arrays((k,), 0.05, 1.0))
        y[zeros] = 0.0
        Y[row] = y / y.sum()
        bad = draw(st.booleans()) if infinite is None else infinite
        if draw(st.booleans()):  # one-hot target
            T[row, zeros[0] if bad else kept] = 1.0
        else:  # soft target, positive on every class y keeps, and on one more class if bad
            t = draw(S.arrays((k,), 0.05, 1.0))
            t[zeros[1:] if bad else zeros] = 0.0
            T[row] = t / t.sum()
    return T, Y


# softmax ----------------------------------------------------------------------------------


@exercise("cross_entropy.softmax")
@given(case=arrays_and_axes())
def test_softmax_matches_reference(student, case):
    """probabilities along any axis match the reference"""
    z, axis = case
    expect.close(student.softmax(z, axis=axis), ref.softmax(z, axis=axis))


@exercise("cross_entropy.softmax")
@given(z=S.arrays(S.shapes(1, 3, 1, 5)))
def test_softmax_default_axis(student, z):
    """normalizes along the last axis by default"""
    expect.close(student.softmax(z), ref.softmax(z))


@exercise("cross_entropy.softmax")
@example(case=(np.array([[10.0, 9.0], [-10.0, -9.5]]), -1))  # rows far apart: a global max fails
@example(case=(np.array([10.0, -10.0, 0.0]), 0))
@given(case=arrays_and_axes())
def test_softmax_is_stable(student, case):
    """exact for logits up to ±1e4 (1000 * z), unchanged by z + 100"""
    z, axis = case
    expect.close(student.softmax(1000 * z, axis=axis), ref.softmax(1000 * z, axis=axis), what="softmax(1000 * z)")
    expect.close(student.softmax(z + 100, axis=axis), ref.softmax(z, axis=axis), what="softmax(z + 100)")


@exercise("cross_entropy.softmax")
@given(z=S.matrices(2, 3).flatmap(S.as_array_like))
def test_softmax_accepts_array_likes(student, z):
    """accepts lists and tuples"""
    expect.close(student.softmax(z), ref.softmax(z))


@exercise("cross_entropy.softmax")
@given(case=arrays_and_axes())
def test_softmax_leaves_z_unchanged(student, case):
    """z is unchanged afterwards"""
    z, axis = case
    _, (args, _) = student.call("softmax", z, axis=axis, echo_args=True)
    expect.unchanged(z, args[0], what="z")


# log_softmax ------------------------------------------------------------------------------


@exercise("cross_entropy.log_softmax")
@given(case=arrays_and_axes())
def test_log_softmax_matches_reference(student, case):
    """log-probabilities along any axis match the reference"""
    z, axis = case
    expect.close(student.log_softmax(z, axis=axis), ref.log_softmax(z, axis=axis))


@exercise("cross_entropy.log_softmax")
@given(z=S.arrays(S.shapes(1, 3, 1, 5)))
def test_log_softmax_default_axis(student, z):
    """normalizes along the last axis by default"""
    expect.close(student.log_softmax(z), ref.log_softmax(z))


@exercise("cross_entropy.log_softmax")
def test_log_softmax_keeps_tiny_probabilities(student):
    """log_softmax([0, -1e4]) is [0, -1e4], not -inf"""
    expect.close(student.log_softmax(np.array([0.0, -1e4])), np.array([0.0, -1e4]))
    expect.close(student.log_softmax(np.array([[0.0, -1e4], [-1e4, 0.0]]), axis=0),
                 np.array([[0.0, -1e4], [-1e4, 0.0]]))


@exercise("cross_entropy.log_softmax")
@example(case=(np.array([[10.0, 9.0], [-10.0, -9.5]]), -1))  # rows far apart: a global max fails
@example(case=(np.array([0.0, -10.0]), 0))
@given(case=arrays_and_axes())
def test_log_softmax_is_stable(student, case):
    """exact for logits up to ±1e4 (1000 * z), unchanged by z + 100"""
    z, axis = case
    expect.close(student.log_softmax(1000 * z, axis=axis), ref.log_softmax(1000 * z, axis=axis),
                 what="log_softmax(1000 * z)")
    expect.close(student.log_softmax(z + 100, axis=axis), ref.log_softmax(z, axis=axis), what="log_softmax(z + 100)")


@exercise("cross_entropy.log_softmax")
@given(z=S.matrices(2, 3).flatmap(S.as_array_like))
def test_log_softmax_accepts_array_likes(student, z):
    """accepts lists and tuples"""
    expect.close(student.log_softmax(z), ref.log_softmax(z))


@exercise("cross_entropy.log_softmax")
@given(case=arrays_and_axes())
def test_log_softmax_leaves_z_unchanged(student, case):
    """z is unchanged afterwards"""
    z, axis = case
    _, (args, _) = student.call("log_softmax", z, axis=axis, echo_args=True)
    expect.unchanged(z, args[0], what="z")


# cross_entropy ----------------------------------------------------------------------------


@exercise("cross_entropy.cross_entropy")
# Tiny probabilities: a delta added inside the log (log(y + 1e-7)) shifts these losses visibly.
@example(pair=(np.array([0.7, 0.3, 0.0]), np.array([1e-6, 1.0 - 2e-6, 1e-6])))
@given(pair=targets_and_probabilities(n_rows=1))
def test_cross_entropy_matches_reference(student, pair):
    """loss of a one-hot or soft target matches the reference"""
    t, y = pair[0].reshape(-1), pair[1].reshape(-1)
    expect.close(student.cross_entropy(t, y), ref.cross_entropy(t, y))


@exercise("cross_entropy.cross_entropy")
@example(pair=(np.array([[0.0, 1.0, 0.0]]), np.array([[0.0, 0.5, 0.5]])))
@given(pair=rows_with_zero_probabilities(n_rows=1, infinite=False))
def test_cross_entropy_zero_target_terms(student, pair):
    """a class with t_k = 0 contributes 0 even when y_k = 0 (no NaN)"""
    t, y = pair[0][0], pair[1][0]
    expect.close(student.cross_entropy(t, y), ref.cross_entropy(t, y))


@exercise("cross_entropy.cross_entropy")
@example(pair=(np.array([[0.0, 1.0, 0.0]]), np.array([[0.5, 0.0, 0.5]])))
@given(pair=rows_with_zero_probabilities(n_rows=1, infinite=True))
def test_cross_entropy_infinite_when_target_is_impossible(student, pair):
    """t_k > 0 with y_k = 0 gives inf (no clipping, no delta)"""
    t, y = pair[0][0], pair[1][0]
    expect.close(student.cross_entropy(t, y), ref.cross_entropy(t, y))


@exercise("cross_entropy.cross_entropy")
def test_cross_entropy_rejects_mismatched_shapes(student):
    """t and y of different shapes raise ValueError"""
    p3 = np.array([0.2, 0.3, 0.5])
    for t, y in [(p3, np.array([0.1, 0.2, 0.3, 0.4])), (p3, p3[None, :]), (p3[None, :], p3),
                 (np.array([[0.2, 0.8], [0.5, 0.5]]), np.array([0.5, 0.5]))]:
        with expect.raises(ValueError):
            student.cross_entropy(t, y)


@exercise("cross_entropy.cross_entropy")
@given(pair=targets_and_probabilities(n_rows=1), kind=st.sampled_from(["list", "tuple"]))
def test_cross_entropy_accepts_array_likes(student, pair, kind):
    """accepts lists and tuples"""
    t, y = (a.reshape(-1).tolist() for a in pair)
    if kind == "tuple":
        t, y = tuple(t), tuple(y)
    expect.close(student.cross_entropy(t, y), ref.cross_entropy(t, y))


@exercise("cross_entropy.cross_entropy")
@given(pair=rows_with_zero_probabilities(n_rows=1))
def test_cross_entropy_leaves_inputs_unchanged(student, pair):
    """t and y are unchanged afterwards"""
    t, y = pair[0][0], pair[1][0]
    _, (args, _) = student.call("cross_entropy", t, y, echo_args=True)
    expect.unchanged(t, args[0], what="t")
    expect.unchanged(y, args[1], what="y")


# batch_cross_entropy ----------------------------------------------------------------------


@exercise("cross_entropy.batch_cross_entropy")
@given(pair=targets_and_probabilities(), reduction=REDUCTIONS)
def test_batch_cross_entropy_matches_reference(student, pair, reduction):
    """row-wise losses and their sum / mean (the default) match the reference"""
    T, Y = pair
    expect.close(student.batch_cross_entropy(T, Y, **_reduction(reduction)),
                 ref.batch_cross_entropy(T, Y, **_reduction(reduction)))


@exercise("cross_entropy.batch_cross_entropy")
@example(pair=(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([[0.0, 1.0], [0.5, 0.5]])), reduction="none")
@given(pair=rows_with_zero_probabilities(), reduction=REDUCTIONS)
def test_batch_cross_entropy_zero_probabilities(student, pair, reduction):
    """t_k = 0 with y_k = 0 adds 0; t_k > 0 with y_k = 0 makes that row inf"""
    T, Y = pair
    expect.close(student.batch_cross_entropy(T, Y, **_reduction(reduction)),
                 ref.batch_cross_entropy(T, Y, **_reduction(reduction)))


@exercise("cross_entropy.batch_cross_entropy")
def test_batch_cross_entropy_rejects_bad_arguments(student):
    """an unknown reduction or shapes that differ raise ValueError"""
    P = np.array([[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]])
    for reduction in ["average", "max"]:
        with expect.raises(ValueError):
            student.batch_cross_entropy(P, P, reduction=reduction)
    for T, Y in [(P, P[:2]), (P, P.T), (P, P[:1]), (P, P[0]), (P[:, :1], P)]:
        with expect.raises(ValueError):
            student.batch_cross_entropy(T, Y)


@exercise("cross_entropy.batch_cross_entropy")
@given(pair=targets_and_probabilities(n_rows=3), reduction=REDUCTIONS, kind=st.sampled_from(["list", "tuple"]))
def test_batch_cross_entropy_accepts_array_likes(student, pair, reduction, kind):
    """accepts nested lists and tuples"""
    T, Y = (a.tolist() for a in pair)
    if kind == "tuple":
        T, Y = tuple(map(tuple, T)), tuple(map(tuple, Y))
    expect.close(student.batch_cross_entropy(T, Y, **_reduction(reduction)),
                 ref.batch_cross_entropy(T, Y, **_reduction(reduction)))


@exercise("cross_entropy.batch_cross_entropy")
@given(pair=rows_with_zero_probabilities(), reduction=st.sampled_from(["none", "sum", "mean"]))
def test_batch_cross_entropy_leaves_inputs_unchanged(student, pair, reduction):
    """T and Y are unchanged afterwards"""
    T, Y = pair
    _, (args, _) = student.call("batch_cross_entropy", T, Y, reduction=reduction, echo_args=True)
    expect.unchanged(T, args[0], what="T")
    expect.unchanged(Y, args[1], what="Y")


# cross_entropy_from_logits ----------------------------------------------------------------


@exercise("cross_entropy.cross_entropy_from_logits")
@given(batch=logits_and_classes(), reduction=REDUCTIONS, form=st.sampled_from(["array", "list", "tuple"]))
def test_cross_entropy_from_logits_matches_reference(student, batch, reduction, form):
    """matches torch's cross_entropy for every reduction (mean by default); targets may be a list"""
    logits, targets = batch
    if form == "list":
        logits, targets = logits.tolist(), targets.tolist()
    elif form == "tuple":
        logits, targets = tuple(map(tuple, logits.tolist())), tuple(targets.tolist())
    expect.close(student.cross_entropy_from_logits(logits, targets, **_reduction(reduction)),
                 ref.cross_entropy_from_logits(logits, targets, **_reduction(reduction)))


@exercise("cross_entropy.cross_entropy_from_logits")
@example(batch=(np.array([[10.0, -10.0], [-10.0, 9.0]]), np.array([1, 0])), reduction="none")
@given(batch=logits_and_classes(), reduction=REDUCTIONS)
def test_cross_entropy_from_logits_is_stable(student, batch, reduction):
    """exact for logits up to ±1e4 (1000 * logits), unchanged by logits + 100"""
    logits, targets = batch
    kwargs = _reduction(reduction)
    expect.close(student.cross_entropy_from_logits(1000 * logits, targets, **kwargs),
                 ref.cross_entropy_from_logits(1000 * logits, targets, **kwargs), what="loss of 1000 * logits")
    expect.close(student.cross_entropy_from_logits(logits + 100, targets, **kwargs),
                 ref.cross_entropy_from_logits(logits, targets, **kwargs), what="loss of logits + 100")


@exercise("cross_entropy.cross_entropy_from_logits")
@example(batch=(np.array([[np.nan, 1.0], [2.0, np.inf]]), np.array([-100, -100]), -100), reduction="mean")
@example(batch=(np.array([[np.nan, 1.0], [2.0, np.inf]]), np.array([-100, -100]), -100), reduction="sum")
@example(batch=(np.array([[1.0, 2.0], [np.nan, np.nan], [0.5, -1.0]]), np.array([1, -100, 0]), -100),
         reduction="mean")
@given(batch=padded_batches(), reduction=REDUCTIONS)
def test_cross_entropy_from_logits_ignore_index(student, batch, reduction):
    """ignored rows take no part: not in the sum, not in the mean's count (NaN if all ignored)"""
    logits, targets, ignore_index = batch
    kwargs = _reduction(reduction) | ({} if ignore_index == -100 else {"ignore_index": ignore_index})
    expect.close(student.cross_entropy_from_logits(logits, targets, **kwargs),
                 ref.cross_entropy_from_logits(logits, targets, **kwargs))


@exercise("cross_entropy.cross_entropy_from_logits")
@example(batch=(np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]]), np.array([0, 1]), -100), reduction="none",
         eps=1.0)
@given(batch=padded_batches(), reduction=REDUCTIONS, eps=st.floats(0.0, 1.0))
def test_cross_entropy_from_logits_label_smoothing(student, batch, reduction, eps):
    """label smoothing (1 - eps) * nll + eps * mean_k(-log p_k) matches torch, with ignored rows"""
    logits, targets, ignore_index = batch
    kwargs = _reduction(reduction) | {"ignore_index": ignore_index, "label_smoothing": eps}
    expect.close(student.cross_entropy_from_logits(logits, targets, **kwargs),
                 ref.cross_entropy_from_logits(logits, targets, **kwargs))


@exercise("cross_entropy.cross_entropy_from_logits")
def test_cross_entropy_from_logits_rejects_bad_arguments(student):
    """targets outside 0..K-1 (not ignore_index) or an unknown reduction raise ValueError"""
    logits = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]])
    cases = [
        (np.array([0, 3]), {}),  # K is not a class
        (np.array([-1, 2]), {}),  # negative and not ignore_index
        ([2, 7], {}),  # targets as a Python list
        (np.array([-100, 1]), {"ignore_index": 0}),  # -100 is only ignored when it is ignore_index
        (np.array([0, 1]), {"reduction": "average"}),
    ]
    for targets, kwargs in cases:
        with expect.raises(ValueError):
            student.cross_entropy_from_logits(logits, targets, **kwargs)


@exercise("cross_entropy.cross_entropy_from_logits")
@given(batch=padded_batches(), eps=st.sampled_from([0.0, 0.1]))
def test_cross_entropy_from_logits_leaves_inputs_unchanged(student, batch, eps):
    """logits and targets are unchanged afterwards"""
    logits, targets, ignore_index = batch
    _, (args, _) = student.call("cross_entropy_from_logits", logits, targets, reduction="none",
                                ignore_index=ignore_index, label_smoothing=eps, echo_args=True)
    expect.unchanged(logits, args[0], what="logits")
    expect.unchanged(targets, args[1], what="targets")


# softmax_cross_entropy_grad ---------------------------------------------------------------


@exercise("cross_entropy.softmax_cross_entropy_grad")
@given(batch=logits_and_classes())
def test_softmax_cross_entropy_grad_matches_reference(student, batch):
    """(softmax - onehot) / N matches torch's autograd gradient"""
    logits, targets = batch
    expect.close(student.softmax_cross_entropy_grad(logits, targets), ref.softmax_cross_entropy_grad(logits, targets))


@exercise("cross_entropy.softmax_cross_entropy_grad")
@example(batch=(np.array([[10.0, -10.0], [-10.0, 9.0]]), np.array([1, 0])))
@given(batch=logits_and_classes())
def test_softmax_cross_entropy_grad_is_stable(student, batch):
    """exact for logits up to ±1e4 (1000 * logits)"""
    logits, targets = batch
    expect.close(student.softmax_cross_entropy_grad(1000 * logits, targets),
                 ref.softmax_cross_entropy_grad(1000 * logits, targets))


@exercise("cross_entropy.softmax_cross_entropy_grad")
@given(batch=logits_and_classes(), kind=st.sampled_from(["list", "tuple"]))
def test_softmax_cross_entropy_grad_accepts_array_likes(student, batch, kind):
    """accepts lists and tuples (targets as a Python list)"""
    logits, targets = batch[0].tolist(), batch[1].tolist()
    if kind == "tuple":
        logits = tuple(map(tuple, logits))
    expect.close(student.softmax_cross_entropy_grad(logits, targets), ref.softmax_cross_entropy_grad(logits, targets))


@exercise("cross_entropy.softmax_cross_entropy_grad")
@given(batch=logits_and_classes())
def test_softmax_cross_entropy_grad_leaves_inputs_unchanged(student, batch):
    """logits and targets are unchanged afterwards"""
    logits, targets = batch
    _, (args, _) = student.call("softmax_cross_entropy_grad", logits, targets, echo_args=True)
    expect.unchanged(logits, args[0], what="logits")
    expect.unchanged(targets, args[1], what="targets")


# perplexity -------------------------------------------------------------------------------


@exercise("cross_entropy.perplexity")
@given(batch=logits_and_classes(-5.0, 5.0))
def test_perplexity_matches_reference(student, batch):
    """exp of the mean loss (not the mean of exp) matches the reference"""
    logits, targets = batch
    expect.close(student.perplexity(logits, targets), ref.perplexity(logits, targets))


@exercise("cross_entropy.perplexity")
@given(n=st.integers(1, 5), k=st.integers(1, 50), level=S.reals(-100.0, 100.0), data=st.data())
def test_perplexity_of_uniform_logits(student, n, k, level, data):
    """equal logits over K classes give a perplexity of K"""
    targets = data.draw(S.class_indices(n, k))
    expect.close(student.perplexity(np.full((n, k), level), targets), float(k))


@exercise("cross_entropy.perplexity")
@example(batch=(np.array([[np.nan, 1.0], [2.0, np.inf]]), np.array([-100, -100]), -100))
@given(batch=padded_batches(default_only=True))
def test_perplexity_ignores_padding(student, batch):
    """targets of -100 are ignored (NaN when every target is)"""
    logits, targets, _ = batch
    expect.close(student.perplexity(logits, targets), ref.perplexity(logits, targets))


@exercise("cross_entropy.perplexity")
@given(batch=logits_and_classes(-5.0, 5.0), kind=st.sampled_from(["list", "tuple"]))
def test_perplexity_accepts_array_likes(student, batch, kind):
    """accepts lists and tuples (targets as a Python list)"""
    logits, targets = batch[0].tolist(), batch[1].tolist()
    if kind == "tuple":
        logits = tuple(map(tuple, logits))
    expect.close(student.perplexity(logits, targets), ref.perplexity(logits, targets))


@exercise("cross_entropy.perplexity")
@given(batch=padded_batches(default_only=True))
def test_perplexity_leaves_inputs_unchanged(student, batch):
    """logits and targets are unchanged afterwards"""
    logits, targets, _ = batch
    _, (args, _) = student.call("perplexity", logits, targets, echo_args=True)
    expect.unchanged(logits, args[0], what="logits")
    expect.unchanged(targets, args[1], what="targets")


# temperature_softmax ----------------------------------------------------------------------

TEMPERATURES = st.floats(0.05, 20.0)


@exercise("cross_entropy.temperature_softmax")
@example(z=np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 4.0]]), temperature=2.0)
@given(z=S.arrays(S.shapes(1, 3, 1, 5)), temperature=TEMPERATURES)
def test_temperature_softmax_matches_reference(student, z, temperature):
    """softmax(z / T) along the last axis matches the reference"""
    expect.close(student.temperature_softmax(z, temperature), ref.temperature_softmax(z, temperature))


@exercise("cross_entropy.temperature_softmax")
@example(z=np.array([[10.0, 9.0], [-10.0, -9.5]]), temperature=1e-3)
@given(z=S.arrays(S.shapes(1, 3, 1, 5)), temperature=st.floats(1e-3, 1e-2))
def test_temperature_softmax_is_stable(student, z, temperature):
    """exact for small temperatures (|z / T| up to 1e4)"""
    expect.close(student.temperature_softmax(z, temperature), ref.temperature_softmax(z, temperature))


@exercise("cross_entropy.temperature_softmax")
def test_temperature_softmax_rejects_bad_temperature(student):
    """temperature <= 0 raises ValueError"""
    for temperature in [0.0, 0, -1.0, -0.5, -1e-9]:
        with expect.raises(ValueError):
            student.temperature_softmax(np.array([1.0, 2.0, 3.0]), temperature)


@exercise("cross_entropy.temperature_softmax")
@given(z=S.matrices(2, 3).flatmap(S.as_array_like), temperature=TEMPERATURES)
def test_temperature_softmax_accepts_array_likes(student, z, temperature):
    """accepts lists and tuples"""
    expect.close(student.temperature_softmax(z, temperature), ref.temperature_softmax(z, temperature))


@exercise("cross_entropy.temperature_softmax")
@given(z=S.arrays(S.shapes(1, 3, 1, 5)), temperature=TEMPERATURES)
def test_temperature_softmax_leaves_z_unchanged(student, z, temperature):
    """z is unchanged afterwards"""
    _, (args, _) = student.call("temperature_softmax", z, temperature, echo_args=True)
    expect.unchanged(z, args[0], what="z")


# bce_with_logits --------------------------------------------------------------------------


@st.composite
def logits_and_binary_targets(draw, low: float = -10.0, high: float = 10.0):
    """Logits of 1 to 3 dimensions and targets of the same shape, hard (0/1) or soft in [0, 1]."""
    z = draw(S.arrays(S.shapes(1, 3, 1, 5), low, high))
    if draw(st.booleans()):
        return z, draw(hnp.arrays(np.float64, z.shape, elements=st.sampled_from([0.0, 1.0])))
    return z, draw(S.arrays(z.shape, 0.0, 1.0))


@exercise("cross_entropy.bce_with_logits")
@given(pair=logits_and_binary_targets(), reduction=REDUCTIONS)
def test_bce_with_logits_matches_reference(student, pair, reduction):
    """elementwise losses and their sum / mean (the default) match torch"""
    z, t = pair
    expect.close(student.bce_with_logits(z, t, **_reduction(reduction)),
                 ref.bce_with_logits(z, t, **_reduction(reduction)))


@exercise("cross_entropy.bce_with_logits")
@example(pair=(np.array([1e4, -1e4, 1e4, -1e4]), np.array([0.0, 1.0, 1.0, 0.0])), reduction="none")
@example(pair=(np.array([800.0, -800.0, 40.0]), np.array([0.5, 0.5, 1.0])), reduction="none")
@given(pair=logits_and_binary_targets(-1e4, 1e4), reduction=REDUCTIONS)
def test_bce_with_logits_is_stable(student, pair, reduction):
    """finite and exact for |z| up to 1e4"""
    z, t = pair
    expect.close(student.bce_with_logits(z, t, **_reduction(reduction)),
                 ref.bce_with_logits(z, t, **_reduction(reduction)))


@exercise("cross_entropy.bce_with_logits")
def test_bce_with_logits_rejects_bad_arguments(student):
    """an unknown reduction or shapes that differ raise ValueError"""
    z = np.array([0.5, -1.0, 2.0])
    for reduction in ["average", "max"]:
        with expect.raises(ValueError):
            student.bce_with_logits(z, np.array([1.0, 0.0, 1.0]), reduction=reduction)
    for t in [np.array([1.0, 0.0]), np.array([[1.0, 0.0, 1.0]]), np.ones((3, 1)), np.array(1.0)]:
        with expect.raises(ValueError):
            student.bce_with_logits(z, t)


@exercise("cross_entropy.bce_with_logits")
@given(pair=logits_and_binary_targets(), reduction=REDUCTIONS, kind=st.sampled_from(["list", "tuple"]))
def test_bce_with_logits_accepts_array_likes(student, pair, reduction, kind):
    """accepts lists and tuples"""
    z, t = (a.reshape(-1).tolist() for a in pair)
    if kind == "tuple":
        z, t = tuple(z), tuple(t)
    expect.close(student.bce_with_logits(z, t, **_reduction(reduction)),
                 ref.bce_with_logits(z, t, **_reduction(reduction)))


@exercise("cross_entropy.bce_with_logits")
@given(pair=logits_and_binary_targets(), reduction=st.sampled_from(["none", "sum", "mean"]))
def test_bce_with_logits_leaves_inputs_unchanged(student, pair, reduction):
    """z and t are unchanged afterwards"""
    z, t = pair
    _, (args, _) = student.call("bce_with_logits", z, t, reduction=reduction, echo_args=True)
    expect.unchanged(z, args[0], what="z")
    expect.unchanged(t, args[1], what="t")
