"""Public checks of derivatives: steps large enough (h = 0.2 to 0.5) that forward differences,
a dropped factor 2 or an ignored ``h`` change the printed digits; non-separable ``mixed`` and a
2x2 ``x`` so a forgotten restore or row-wise perturbation shows; a non-symmetric ``A`` and a
column ``x`` for the quadratic form; a wrong analytic gradient over several elements for the
gradient check; and a large ``x`` that float32 cannot hold exactly."""

import numpy as np

from graders.mistakes import probe
from tensorkata.worker.functions import F

CASES = {
    "derivatives.numerical_diff": [
        probe(F("square"), 2.0, h=0.5),
        probe(F("cube"), -1.0, h=0.25),
        probe(F("exp"), 0.5),
    ],
    "derivatives.numerical_gradient": [
        probe(F("sum_of_squares", expect_shape=(2,)), [1.0, -2.0], h=0.5),
        probe(F("mixed", expect_shape=(3,)), [1.0, 0.0, -1.5], h=0.2),
        probe(F("mixed", expect_shape=(2, 2)), np.array([[0.5, -1.0], [2.0, 0.0]])),
    ],
    "derivatives.tangent_line": [
        probe(F("square"), 1.0),
        probe(F("cube"), -0.5, h=0.25),
        probe(F("exp"), 0.5),
    ],
    "derivatives.chain_rule_derivative": [
        probe(F("square_prime"), F("sin"), F("sin_prime"), 0.5),
        probe(F("exp"), F("square"), F("square_prime"), -1.0),  # scalars only: the contract says nothing of arrays
        probe(F("cube_prime"), F("exp"), F("exp"), -0.4),
    ],
    "derivatives.grad_quadratic_form": [
        probe([[0.0, 1.0], [2.0, 0.0]], [1.0, 2.0]),
        probe(np.array([[1.0, 0.0, -2.0], [3.0, 1.0, 0.0], [0.5, -1.0, 2.0]]), np.array([1.0, -1.0, 0.5])),
        probe([[1.0, -1.0], [2.0, 0.5]], [[2.0], [1.0]]),  # a column x: ValueError
    ],
    "derivatives.autograd_derivative": [
        probe(F("square"), 3.0),
        probe(F("cube"), -0.5),
        probe(F("sin"), 54321.987),  # float32 rounds x itself
    ],
    "derivatives.grad_check": [
        probe(F("cube", expect_shape=()), F("cube_prime"), 0.5, h=0.25),
        probe(F("sum_of_squares", expect_shape=(2,)), F("mixed_grad"), [1.0, -1.5]),
        probe(F("mixed", expect_shape=(2, 2)), F("mixed_grad"), [[0.5, -1.0], [1.5, 0.0]], h=0.1),
    ],
    "derivatives.gradient_descent": [
        probe(F("square_prime"), 1.0, 0.25, 2),
        probe(F("sum_of_squares_grad"), [2.0, -1.0], 0.1, 3),
        probe(F("rosenbrock_grad"), [0.0, 0.5], 2e-3, 3),
    ],
}
