"""The *scratch* rules of the transposes topic, proven on whole gradings.

``transpose`` and ``matmul`` list banned patterns in the catalogue; the engine finds them in the
parse tree of the exercise's function and of the module-level helpers it calls (transitively),
scores the exercise 0 and reports ``banned-call:<pattern>``. The same call in another exercise's
function is allowed, and a pure-Python triple loop is fast enough for the 64 x 64 product.

Each submission is the solution with one function swapped in (``tests.injection``); a swapped-in
function must carry the exercise's name, so every variant is defined inside a small factory.
"""

import numpy as np
import pytest

from tensorkata.banned import banned_calls
from tensorkata import catalog
from tests.conftest import ROOT, exercise_scores, grade_json
from tests.injection import replace_functions

pytestmark = pytest.mark.slow

TOPIC = "transposes"
FULL = {e.id: float(e.points) for e in catalog.topic(TOPIC).exercises}

# Module-level helpers appended to a submission: a call chain that ends in np.dot.
HELPERS = '''

def _dot(u, v):
    return np.dot(u, v)


def _row_times_column(row, column):
    return _dot(row, column)
'''


def transpose_with_dot_T():
    def transpose(A):
        A = np.asarray(A, dtype=np.float64)
        if A.ndim != 2:
            raise ValueError(f"transpose: A must be 2-D, got shape {A.shape}")
        return A.T.copy()

    return transpose


def matmul_with_np_dot():
    def matmul(A, B):
        A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
        if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
            raise ValueError(f"matmul: inner dimensions differ: {A.shape} @ {B.shape}")
        return np.dot(A, B)

    return matmul


def matmul_with_at():
    def matmul(A, B):
        A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
        if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
            raise ValueError(f"matmul: inner dimensions differ: {A.shape} @ {B.shape}")
        return A @ B

    return matmul


def matmul_through_helpers():
    def matmul(A, B):
        A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
        if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
            raise ValueError(f"matmul: inner dimensions differ: {A.shape} @ {B.shape}")
        result = np.zeros((A.shape[0], B.shape[1]))
        for i in range(A.shape[0]):
            for j in range(B.shape[1]):
                result[i, j] = _row_times_column(A[i, :], B[:, j])  # noqa: F821 (a submission helper)
        return result

    return matmul


def low_rank_approx_through_helpers():
    def low_rank_approx(S, k):
        values, vectors = symmetric_eig(S)  # noqa: F821 (the submission's own)
        n = values.shape[0]
        if not 0 <= k <= n:
            raise ValueError(f"low_rank_approx: k = {k} outside 0..{n}")
        result = np.zeros((n, n))
        for i in range(n):
            for j in range(n):
                result[i, j] = _row_times_column(vectors[i, :k] * values[:k], vectors[j, :k])  # noqa: F821
        return result

    return low_rank_approx


def matmul_pure_python():
    def matmul(A, B):
        a, b = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
        if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
            raise ValueError(f"matmul: inner dimensions differ: {a.shape} @ {b.shape}")
        (m, n), l = a.shape, b.shape[1]
        rows, cols = a.tolist(), b.tolist()
        out = []
        for i in range(m):
            out_row = []
            for j in range(l):
                total = 0.0
                for k in range(n):
                    total += rows[i][k] * cols[k][j]
                out_row.append(total)
            out.append(out_row)
        return np.array(out, dtype=np.float64).reshape(m, l)

    return matmul


def grade_with(tmp_path, *factories, extra: str = "") -> dict:
    """Grade the solution with each factory's function swapped in (and ``extra`` source appended)."""
    functions = [factory() for factory in factories]
    source = (ROOT / "solutions" / f"{TOPIC}.py").read_text() + extra
    (tmp_path / f"{TOPIC}.py").write_text(replace_functions(source, {f.__name__: f for f in functions}))
    return grade_json(tmp_path, topics=[TOPIC])


def assert_only(results: dict, exercise: str, diagnoses: set[str]) -> None:
    """``exercise`` scores 0 with exactly ``diagnoses``; every other exercise has full marks."""
    entry = results["extra_data"]["exercises"][exercise]
    assert entry["score"] == 0 and entry["status"] == "banned-call", entry
    assert set(entry["diagnoses"]) == diagnoses, entry
    others = {e: s for e, s in exercise_scores(results).items() if e != exercise}
    assert others == {e: p for e, p in FULL.items() if e != exercise}


def test_transpose_with_dot_T_scores_zero(tmp_path):
    results = grade_with(tmp_path, transpose_with_dot_T)
    assert_only(results, f"{TOPIC}.transpose", {"banned-call:.T"})


@pytest.mark.parametrize("factory, diagnoses", [
    (matmul_with_np_dot, {"banned-call:np.dot", "banned-call:.dot"}),  # np.dot is also an attribute .dot
    (matmul_with_at, {"banned-call:@"}),
])
def test_matmul_with_a_library_product_scores_zero(tmp_path, factory, diagnoses):
    results = grade_with(tmp_path, factory)
    assert_only(results, f"{TOPIC}.matmul", diagnoses)


def test_a_banned_call_in_a_helper_that_matmul_calls_is_caught(tmp_path):
    results = grade_with(tmp_path, matmul_through_helpers, extra=HELPERS)  # matmul -> _row_times_column -> _dot
    assert_only(results, f"{TOPIC}.matmul", {"banned-call:np.dot", "banned-call:.dot"})


def test_the_same_call_in_another_exercise_is_allowed(tmp_path):
    results = grade_with(tmp_path, low_rank_approx_through_helpers, extra=HELPERS)
    assert exercise_scores(results) == FULL
    # The solution itself uses @ and .T outside transpose and matmul, with full marks (see above).
    source = (ROOT / "solutions" / f"{TOPIC}.py").read_text()
    assert banned_calls(source, "low_rank_approx", ("@", ".T")) == ["@", ".T"]
    assert banned_calls(source, "symmetric_eig", (".T",)) == [".T"]


def test_a_pure_python_loop_matmul_earns_full_marks_at_64_by_64(tmp_path):
    results = grade_with(tmp_path, matmul_pure_python)
    assert exercise_scores(results) == FULL
    entry = results["extra_data"]["exercises"][f"{TOPIC}.matmul"]
    assert entry["status"] == "passed" and entry["diagnoses"] == []
    big = [t for t in results["tests"] if t["extra_data"]["exercise"] == f"{TOPIC}.matmul" and "64 x 64" in t["name"]]
    assert big and all(t["status"] == "passed" for t in big), big
