"""Named hypothesis strategies shared by the hidden suites.

Values stay bounded and finite unless a test asks otherwise, and away from the kinks and poles
a test is not about; the names say what an input means, not how it is drawn.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def reals(low: float = -10.0, high: float = 10.0) -> st.SearchStrategy[float]:
    """Finite floats in ``[low, high]``."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def shapes(min_dims: int = 1, max_dims: int = 3, min_side: int = 1, max_side: int = 5) -> st.SearchStrategy:
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def arrays(shape=None, low: float = -10.0, high: float = 10.0) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays of the given shape (or strategy of shapes) with entries in ``[low, high]``."""
    return hnp.arrays(np.float64, shape if shape is not None else shapes(), elements=reals(low, high))


def vectors(n=None, low: float = -10.0, high: float = 10.0) -> st.SearchStrategy[np.ndarray]:
    length = st.integers(1, 6) if n is None else st.just(n)
    return length.flatmap(lambda k: arrays((k,), low, high))


def matrices(rows=None, cols=None, low: float = -10.0, high: float = 10.0) -> st.SearchStrategy[np.ndarray]:
    sides = [st.integers(1, 5) if s is None else st.just(s) for s in (rows, cols)]
    return st.tuples(*sides).flatmap(lambda shape: arrays(shape, low, high))


def square_matrices(n=None, low: float = -10.0, high: float = 10.0) -> st.SearchStrategy[np.ndarray]:
    side = st.integers(1, 5) if n is None else st.just(n)
    return side.flatmap(lambda k: arrays((k, k), low, high))


def probability_rows(n_rows: int | None = None, k: int | None = None) -> st.SearchStrategy[np.ndarray]:
    """Rows of strictly positive probabilities summing to 1, shape ``(n_rows, k)``."""
    rows = st.integers(1, 5) if n_rows is None else st.just(n_rows)
    cols = st.integers(2, 6) if k is None else st.just(k)
    positive = st.tuples(rows, cols).flatmap(lambda shape: arrays(shape, 0.05, 1.0))
    return positive.map(lambda a: a / a.sum(axis=-1, keepdims=True))


def as_array_like(array: np.ndarray) -> st.SearchStrategy:
    """The same values as a nested list, a nested tuple or the array itself."""

    def to_tuples(value):
        return tuple(to_tuples(v) for v in value) if isinstance(value, list) else value

    return st.sampled_from(["list", "tuple", "array"]).map(
        lambda kind: array.tolist() if kind == "list" else to_tuples(array.tolist()) if kind == "tuple" else array
    )


def class_indices(n: int, k: int) -> st.SearchStrategy[np.ndarray]:
    """Integer class labels in ``0..k-1`` as an int64 array of shape ``(n,)``."""
    return hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1))
