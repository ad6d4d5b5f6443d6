"""Public checks of cross_entropy: tiny logits and probability tables, each case aimed at one trap
of the topic (logits large enough to overflow exp, rows far apart, axis=0, zero probabilities under
zero targets, an ignored padding row holding NaN, label smoothing, an all-ignored batch, a bad
shape, class index or parameter that must raise), with values unlike the hidden ones."""

import numpy as np

from graders.mistakes import probe

nan = float("nan")

CASES = {
    "cross_entropy.softmax": [
        probe(np.array([800.0, 801.0, 799.0])),
        probe(np.array([[0.0, 1.0, 2.0], [1.0, 1.0, -1.0]])),
        probe(np.array([[1.0, 0.0], [-1500.0, -1499.0]])),
        probe(np.array([[1.0, 0.0, 2.0], [3.0, 1.0, -1.0]]), axis=0),
    ],
    "cross_entropy.log_softmax": [
        probe(np.array([0.0, -800.0])),
        probe(np.array([900.0, 901.0, 899.0])),
        probe(np.array([[1.0, 0.0, 2.0], [3.0, 1.0, -1.0]]), axis=0),
    ],
    "cross_entropy.cross_entropy": [
        probe(np.array([1.0, 0.0]), np.array([0.3, 0.7])),
        probe(np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.8, 0.2])),
        probe(np.array([0.0, 1.0, 0.0]), np.array([0.5, 1e-20, 0.5])),
        probe(np.array([0.0, 1.0]), np.array([0.4])),
    ],
    "cross_entropy.batch_cross_entropy": [
        probe(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.8, 0.2], [0.4, 0.6]])),
        probe(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), np.array([[0.3, 0.7, 0.0], [0.5, 0.0, 0.5]]),
              reduction="none"),
        probe(np.array([[1.0, 0.0]]), np.array([[0.9, 0.1]]), reduction="total"),
    ],
    "cross_entropy.cross_entropy_from_logits": [
        probe(np.array([[0.5, 2.0], [nan, -1.0], [0.0, 3.0]]), np.array([1, -100, 0])),
        probe(np.array([[2.0, 0.0, -1.0], [0.5, 1.5, 0.0], [0.0, 1000.0, 0.0]]), np.array([2, -100, 1]),
              reduction="none", label_smoothing=0.3),
        probe(np.array([[1.0, 2.0, 3.0]]), np.array([-100])),
        probe(np.array([[1.0, 0.0, 2.0]]), np.array([-1])),
    ],
    "cross_entropy.softmax_cross_entropy_grad": [
        probe(np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 1.0]]), np.array([0, 2])),
        probe(np.array([[800.0, 0.0], [1.0, 2.0]]), np.array([0, 1])),
    ],
    "cross_entropy.perplexity": [
        probe(np.array([[2.0, 0.0], [0.0, 0.5]]), np.array([0, 0])),
        probe(np.array([[1.0, 2.0, 0.0], [3.0, 0.0, 0.0], [0.0, 1.0, 1.0]]), np.array([1, -100, 2])),
    ],
    "cross_entropy.temperature_softmax": [
        probe(np.array([0.0, 1.0, 2.0]), 2.0),
        probe(np.array([[1.0, 3.0], [2.0, 0.0]]), 0.25),
        probe(np.array([5.0, 8.0, 6.0]), 0.005),
        probe(np.array([1.0, 0.0]), -0.5),
    ],
    "cross_entropy.bce_with_logits": [
        probe(np.array([1.0, -2.0]), np.array([1.0, 0.0])),
        probe(np.array([[0.0, 3.0], [-1.0, 0.5]]), np.array([[0.5, 1.0], [0.0, 0.2]]), reduction="none"),
        probe(np.array([2000.0, -2000.0]), np.array([0.0, 1.0]), reduction="none"),
        probe(np.array([[1.0], [0.0]]), np.array([1.0, 0.0])),
    ],
}
