"""Trusted oracle for the ``backprop`` topic.

Written independently of ``solutions/backprop.py`` (never imported here) and built on library
machinery wherever the contract cites it: every derivative comes from ``torch.autograd`` in float64
(``Value`` wraps a 0-d float64 tensor per node and asks ``torch.autograd.grad`` for the gradients;
``mlp_loss_and_grads`` and ``neuron_forward_backward`` differentiate torch expressions), and
``adamw_step`` runs ``torch.optim.AdamW`` itself on one parameter. ``accumulated_gradient`` averages
per-sample gradients, a different route to the full-batch mean than micro-batches.

Contract: ``curriculum.md``, table ``backprop``. Results are float64 numpy arrays or Python floats;
validation raises ``ValueError`` where the solution's docstrings say it does.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F


def _tensor(x, requires_grad=False) -> torch.Tensor:
    return torch.tensor(np.array(x, dtype=np.float64), requires_grad=requires_grad)


def _array(t: torch.Tensor) -> np.ndarray:
    return t.detach().to(torch.float64).numpy().copy()


def sigmoid(z):
    return _array(torch.sigmoid(_tensor(z)))


def sigmoid_grad(z):
    x = _tensor(z, requires_grad=True)
    (grad,) = torch.autograd.grad(torch.sigmoid(x).sum(), x)
    return _array(grad)


def neuron_forward_backward(w, x, b, y):
    weights, inputs = _tensor(w, requires_grad=True), _tensor(x)
    if weights.dim() != 1 or weights.shape != inputs.shape:
        raise ValueError(
            f"neuron_forward_backward: w and x must be vectors of one shape, "
            f"got {tuple(weights.shape)} and {tuple(inputs.shape)}"
        )
    bias = torch.tensor(float(b), dtype=torch.float64, requires_grad=True)
    z = torch.dot(weights, inputs) + bias
    loss = F.binary_cross_entropy_with_logits(z, torch.tensor(float(y), dtype=torch.float64))
    dw, db = torch.autograd.grad(loss, [weights, bias])
    return {"loss": loss.item(), "dw": _array(dw), "db": db.item()}


class Value:
    """A scalar node backed by a 0-d float64 tensor; gradients come from ``torch.autograd.grad``."""

    def __init__(self, data):
        self._t = torch.tensor(float(data), dtype=torch.float64, requires_grad=True)
        self._inputs = ()
        self.grad = 0.0

    @classmethod
    def _node(cls, tensor, *inputs):
        node = cls.__new__(cls)
        node._t, node._inputs, node.grad = tensor, tuple(i for i in inputs if isinstance(i, Value)), 0.0
        return node

    @property
    def data(self) -> float:
        return self._t.item()

    @staticmethod
    def _raw(x):
        return x._t if isinstance(x, Value) else float(x)

    def __add__(self, other):
        return Value._node(self._t + Value._raw(other), self, other)

    def __radd__(self, other):
        return Value._node(Value._raw(other) + self._t, other, self)

    def __sub__(self, other):
        return Value._node(self._t - Value._raw(other), self, other)

    def __rsub__(self, other):
        return Value._node(Value._raw(other) - self._t, other, self)

    def __mul__(self, other):
        return Value._node(self._t * Value._raw(other), self, other)

    def __rmul__(self, other):
        return Value._node(Value._raw(other) * self._t, other, self)

    def __truediv__(self, other):
        return Value._node(self._t / Value._raw(other), self, other)

    def __rtruediv__(self, other):
        return Value._node(Value._raw(other) / self._t, other, self)

    def __neg__(self):
        return Value._node(-self._t, self)

    def __pow__(self, k):
        return Value._node(torch.pow(self._t, k), self)

    def exp(self):
        return Value._node(torch.exp(self._t), self)

    def log(self):
        return Value._node(torch.log(self._t), self)

    def tanh(self):
        return Value._node(torch.tanh(self._t), self)

    def sigmoid(self):
        return Value._node(torch.sigmoid(self._t), self)

    def relu(self):
        return Value._node(torch.relu(self._t), self)  # torch: derivative 0 at 0

    def backward(self):
        nodes, seen, pending = [], {id(self)}, [self]
        while pending:  # every node this one depends on, without recursion
            node = pending.pop()
            nodes.append(node)
            for parent in node._inputs:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    pending.append(parent)
        grads = torch.autograd.grad(self._t, [n._t for n in nodes], retain_graph=True, allow_unused=True)
        for node, grad in zip(nodes, grads):
            value = 0.0 if grad is None else grad.item()
            if node._inputs:
                node.grad = value  # intermediate nodes: this call only
            else:
                node.grad += value  # leaves accumulate, as torch's .grad does


def mlp_loss_and_grads(X, y, params):
    inputs = _tensor(X)
    labels = np.asarray(y)
    if inputs.dim() != 2 or inputs.shape[0] < 1 or labels.shape != (inputs.shape[0],):
        raise ValueError(
            f"mlp_loss_and_grads: X must be (N, D) with N >= 1 and y (N,), got {tuple(inputs.shape)} and {labels.shape}"
        )
    names = ("W1", "b1", "W2", "b2")
    p = {k: _tensor(params[k], requires_grad=True) for k in names}
    try:
        logits = torch.relu(inputs @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    except RuntimeError as error:
        raise ValueError(f"mlp_loss_and_grads: shapes do not fit: {error}") from None
    n_classes = logits.shape[1]
    if not np.all((labels >= 0) & (labels < n_classes) & (labels == np.round(labels))):
        raise ValueError(f"mlp_loss_and_grads: labels must be integers in 0..{n_classes - 1}, got {labels}")
    loss = F.cross_entropy(logits, torch.tensor(labels.astype(np.int64)))
    grads = torch.autograd.grad(loss, [p[k] for k in names])
    return loss.item(), {k: _array(g) for k, g in zip(names, grads)}


def sgd_step(params, grads, lr):
    out = {}
    for key in params:
        value = _tensor(params[key])
        value.sub_(_tensor(grads[key]), alpha=float(lr))  # a fresh tensor, updated in place
        out[key] = value.item() if value.dim() == 0 else _array(value)
    return out


def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    weight = _tensor(param).requires_grad_(True)
    weight.grad = _tensor(grad)
    optimizer = torch.optim.AdamW(
        [weight], lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, foreach=False
    )
    optimizer.state[weight] = {
        "step": torch.tensor(float(state["step"]), dtype=torch.float64),
        "exp_avg": _tensor(state["m"]).reshape(weight.shape),
        "exp_avg_sq": _tensor(state["v"]).reshape(weight.shape),
    }
    optimizer.step()
    after = optimizer.state[weight]
    new_state = {"step": int(after["step"].item()), "m": _array(after["exp_avg"]), "v": _array(after["exp_avg_sq"])}
    return _array(weight), new_state


def accumulated_gradient(grad_fn, params, X, y, micro_batch_size):
    if isinstance(micro_batch_size, bool) or not float(micro_batch_size).is_integer() or micro_batch_size < 1:
        raise ValueError(f"accumulated_gradient: micro_batch_size must be a positive integer, got {micro_batch_size!r}")
    X, y = np.asarray(X), np.asarray(y)
    if len(X) == 0 or len(y) != len(X):
        raise ValueError(f"accumulated_gradient: X and y need the same number >= 1 of rows, got {X.shape} and {y.shape}")
    # The mean loss's gradient is the mean of the per-sample gradients, whatever the micro-batches.
    per_sample = [grad_fn(params, X[i:i + 1], y[i:i + 1]) for i in range(len(X))]
    return {
        key: np.mean(np.stack([np.asarray(g[key], dtype=np.float64) for g in per_sample]), axis=0)
        for key in per_sample[0]
    }


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps:
        raise ValueError(
            f"warmup_cosine_lr: need step >= 0 and 0 <= warmup_steps <= total_steps, "
            f"got step={step}, warmup_steps={warmup_steps}, total_steps={total_steps}"
        )
    if step < warmup_steps:
        return step / warmup_steps * base_lr
    if step > total_steps:
        return float(min_lr)
    span = total_steps - warmup_steps
    progress = 0.0 if span == 0 else (step - warmup_steps) / span
    return float(min_lr + 0.5 * (base_lr - min_lr) * (1.0 + math.cos(math.pi * progress)))
