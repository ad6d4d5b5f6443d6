"""Public checks of transposes: non-symmetric and non-square matrices (a reshape or swapped loop
bounds pass a symmetric square one), a B taller than A is wide, a batch with a leading axis,
more than one head and position, a symmetric matrix whose eigenvalue of largest magnitude is
negative, one asymmetric by 1e-6 (``np.allclose`` lets it through), an unsorted eigenvalue list,
and one bad input per exercise whose curriculum entry says it raises."""

import numpy as np

from graders.mistakes import probe

_S2 = [[4.0, 1.0], [1.0, 2.0]]  # eigenvalues 3 +- sqrt(2)
_S3 = [[1.0, 2.0, 0.0], [2.0, -3.0, 1.0], [0.0, 1.0, 2.0]]  # eigenvalues about 2.40, 1.58, -3.97

CASES = {
    "transposes.transpose": [
        probe([[1.0, -2.0], [3.0, 0.5]]),
        probe([[0.0, 1.0, 2.0], [-3.0, 4.0, 5.0]]),
        probe([4.0, -1.0]),  # a vector: ValueError
    ],
    "transposes.matmul": [
        probe([[2.0, 0.0], [1.0, -1.0]], [[1.0, 3.0], [-2.0, 0.5]]),
        probe([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]], [[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]]),
        probe([[1.0, 2.0]], [[1.0], [2.0], [3.0]]),  # B too tall: ValueError
    ],
    "transposes.to_column": [
        probe([5.0, -1.0]),
        probe([[5.0, -1.0, 2.0]]),
        probe(np.array([[0.5], [2.0]])),
        probe([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]),  # a matrix: ValueError
    ],
    "transposes.swap_last_two": [
        probe([[0.0, -1.0, 2.0], [3.0, 4.0, -5.0]]),
        probe(np.arange(12.0).reshape(2, 2, 3)),
        probe([2.0, -1.0]),  # ndim 1: ValueError
    ],
    "transposes.split_heads": [
        probe(np.arange(8.0).reshape(1, 2, 4), 2),
        probe(np.arange(12.0).reshape(1, 2, 6), 3),
        probe(np.arange(6.0).reshape(1, 2, 3), 0),  # no heads: ValueError
    ],
    "transposes.merge_heads": [
        probe(np.arange(8.0).reshape(1, 2, 2, 2)),
        probe(np.arange(12.0).reshape(1, 3, 2, 2)),
    ],
    "transposes.symmetric_eig": [
        probe(_S2),
        probe(_S3),
        probe([[2.0, 1.0 + 1e-6], [1.0 - 1e-6, -1.0]]),  # not symmetric within 1e-8 * max|S|: ValueError
    ],
    "transposes.low_rank_approx": [
        probe(_S2, 1),
        probe(_S3, 1),
        probe(_S3, 2),
        probe(_S2, 3),  # k > n: ValueError
    ],
    "transposes.explained_variance_ratio": [
        probe([2.0, 6.0]),
        probe([3.0, 0.5, 1.5, -1.0]),
        probe([0.5, -2.0]),  # sum not positive: ValueError
    ],
}
