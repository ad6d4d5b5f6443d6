"""Public checks of norms: negative entries, reductions along an axis with and without
``keepdims``, empty inputs, entries near 1e250 that overflow when squared (beside a small slice
that a single global scale would flush to zero), all-zero rows and vectors shorter than ``eps``,
several gradients clipped together and one below ``max_norm``, and layer-norm rows with tiny or
no spread where ``eps`` decides the result."""

import numpy as np

from graders.mistakes import probe

CASES = {
    "norms.l1_norm": [
        probe([2.0, -3.0]),
        probe([[1.0, -1.0, 4.0], [-2.0, 0.5, 0.0]], axis=0),
        probe([[1.0, -1.0, 4.0], [-2.0, 0.5, 0.0]], axis=1, keepdims=True),
        probe(np.zeros((0, 2))),
    ],
    "norms.l2_norm": [
        probe([-5.0, 12.0]),
        probe([2e200, -1.5e200]),
        probe([[0.0, 3.0], [0.0, -4.0]], axis=0),
        probe([[6e-5, -8e-5], [5e299, 1.2e300]], axis=-1, keepdims=True),
    ],
    "norms.linf_norm": [
        probe([-6.0, 2.0, 5.0]),
        probe([[2.0, -3.0], [-8.0, 1.0]], axis=1),
        probe(np.zeros((0, 2))),
    ],
    "norms.lp_norm": [
        probe([2.0, -1.0, 2.0], 3),
        probe([[1.0, -3.0], [2.0, 0.5]], 1.5, axis=0),
        probe([3e250, -4e250], 4),
        probe([2.0, -1.0], 0.75),  # p < 1: ValueError
    ],
    "norms.frobenius_norm": [
        probe([[1.0, -2.0], [0.0, 2.0]]),
        probe([[0.5, 1.0, -1.0], [2.0, 0.0, 1.5]]),
        probe([[3e200, 0.0], [-4e200, 1.0]]),
        probe([3.0, -4.0]),  # not 2-D: ValueError
    ],
    "norms.cosine_similarity": [
        probe([1.0, 2.0], [3.0, -1.0]),
        probe([[1.0, 2.0], [0.0, 0.0]], [[2.0, 1.0], [1.0, -1.0]]),
        probe([2e-5, 1e-5], [1e-5, -3e-5]),
        probe([[0.6, 0.8], [2.0, 1.0]], [0.0, 0.5], eps=0.9),
    ],
    "norms.normalize": [
        probe([1.0, -2.0, 2.0]),
        probe([3e-13, -4e-13]),
        probe([[3.0, 0.0], [0.0, 0.0], [1.0, -1.0]]),
        probe([[1.0, 2.0], [-2.0, 0.5]], axis=0),
    ],
    "norms.clip_grad_norm": [
        probe([np.array([1.0, -2.0])], 5.0),
        probe([np.array([6.0, 8.0]), np.array([[0.0], [-5.0]])], 2.0),
        probe([np.array([5e-5, -1.2e-4])], 2e-5),
    ],
    "norms.layer_norm": [
        probe([[1.0, 3.0]], [1.0, 1.0], [0.0, 0.0]),
        probe([[0.0, 2.0, 4.0], [1.0, -1.0, 3.0]], [2.0, 1.0, 0.5], [0.0, 1.0, -1.0]),
        probe([[5.0, 5.0, 5.0, 5.0], [2.0, 2.002, 1.998, 2.0]], [1.0, -1.0, 2.0, 0.5], [0.0, 0.0, 1.0, 0.0]),
    ],
}
