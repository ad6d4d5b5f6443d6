"""Public checks of backprop: tiny inputs, each aimed at one trap of the topic (sigmoids of ±750 and
more, small expression graphs that reuse a node, reach a shared node along paths of different
lengths, put numbers on the left of - and / and take relu of exactly 0; repeated backward() calls; a
chain deeper than Python's recursion limit; a hidden unit at exactly 0; integer parameters; tiny
AdamW gradients; a smaller last micro-batch; every region of the schedule), with values unlike the
hidden ones."""

import numpy as np

from graders.mistakes import probe, scenario_probe
from tensorkata.worker.functions import F

# Node 2 (a * b) reaches node 5 directly and through exp and a product; 6 and 7 put numbers on the
# left of - and /; 8 is a * a; 10 is relu(b - 1.2) = relu(0.0).
GRAPH = [
    ["leaf", -0.6], ["leaf", 1.2], ["*", 0, 1], ["exp", 2], ["*", 3, 0.5], ["+", 4, 2],
    ["-", 3.0, 1], ["/", 1.0, 0], ["*", 0, 0], ["-", 1, 1.2], ["relu", 9], ["*", 10, 0],
    ["+", 5, 6], ["+", 12, 7], ["+", 13, 8], ["+", 14, 11],
]
# An intermediate (2) under two outputs (4 and 5), for repeated backward() calls.
SHARED = [["leaf", -0.4], ["leaf", 0.9], ["+", 0, 1], ["sigmoid", 2], ["*", 3, 2], ["*", 4, 0]]

_MLP_PARAMS = {  # x = [1, 1] gives the first hidden unit exactly 0
    "W1": np.array([[0.5, 1.0], [-0.5, -0.2]]), "b1": np.array([0.0, 0.1]),
    "W2": np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]]), "b2": np.array([0.0, 0.1, -0.1]),
}
_LINEAR = {"w": np.array([0.5, -0.25]), "b": 0.1}

CASES = {
    "backprop.sigmoid": [
        probe(1.0),
        probe(np.array([-2.0, 0.0, 1.5])),
        probe(np.array([-750.0, 750.0])),
    ],
    "backprop.sigmoid_grad": [
        probe(np.array([-1.0, 0.0, 3.0])),
        probe(np.array([[-900.0, 1.5], [0.25, 900.0]])),
    ],
    "backprop.neuron_forward_backward": [
        probe(np.array([0.3, -0.2]), np.array([1.0, 2.0]), 0.1, 1.0),
        probe(np.array([-0.5, 0.25, 1.0]), np.array([2.0, -1.0, 0.5]), 0.4, 0.0),
    ],
    "backprop.Value": [
        scenario_probe("attributes", -0.75),
        scenario_probe("evaluate", GRAPH),
        scenario_probe("backward_sequence", SHARED, [5, 4, 4]),
        scenario_probe("deep_chain", 5000, "affine"),
    ],
    "backprop.mlp_loss_and_grads": [
        probe(np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 0.0]]), np.array([0, 2, 1]), _MLP_PARAMS),
        probe(np.array([[1.0, 1.0], [2.0, -0.5]]), np.array([1, 0]), _MLP_PARAMS),
    ],
    "backprop.sgd_step": [
        probe({"w": np.array([2.0, -1.0])}, {"w": np.array([0.5, 1.0])}, 0.2),
        probe({"W": np.array([[1, 0], [2, -1]]), "b": np.array([3])},
              {"W": np.array([[0.5, -1.0], [0.0, 2.0]]), "b": np.array([1.0])}, 0.25),
    ],
    "backprop.adamw_step": [
        probe(np.array([0.5, -1.0]), np.array([0.2, 1e-4]), {"step": 0, "m": np.zeros(2), "v": np.zeros(2)},
              lr=0.2, weight_decay=0.3),
        probe(np.array([2.0, 0.0, -0.5]), np.array([-0.1, 0.4, 2e-4]),
              {"step": 2, "m": np.array([0.05, -0.1, 0.0]), "v": np.array([0.02, 0.01, 0.001])},
              lr=0.01, betas=(0.85, 0.995), weight_decay=0.4),
    ],
    "backprop.accumulated_gradient": [
        probe(F("linear_mse_grad_at_most_2"), _LINEAR, np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 1.0]]),
              np.array([0.5, -1.0, 2.0]), 2),
        probe(F("linear_mse_grad_at_most_2"), _LINEAR,
              np.array([[1.0, 1.0], [2.0, 0.0], [0.0, -1.0], [1.0, -2.0]]), np.array([1.0, 0.0, -0.5, 0.25]), 2),
    ],
    "backprop.warmup_cosine_lr": [
        probe(2, 0.5, 4, 20),
        probe(12, 0.5, 4, 20, 0.05),
        probe(30, 0.5, 4, 20, 0.05),
    ],
}
