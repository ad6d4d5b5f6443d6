"""A correct alternative to solutions/backprop.py: other formulations of the same contract.

The grader must give it full marks. Differences from the solution: the sigmoid through
``exp(-logaddexp(0, -z))``, the neuron with ``math`` on Python floats, a ``Value`` built from
micrograd-style ``_backward`` closures with a topological order found by Kahn's algorithm
(counting how many consumers each node still waits for), an MLP with explicit one-hot matrices and
``einsum``, loops over keys for the optimisers, and accumulation of running weighted means.
"""

import math

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + e^{-z}) = e^{-log(1 + e^{-z})}


def sigmoid_grad(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z) - np.logaddexp(0.0, z))  # s (1 - s) = σ(z) σ(-z)


def neuron_forward_backward(w, x, b, y):
    w = [float(v) for v in np.asarray(w, dtype=np.float64)]
    x = [float(v) for v in np.asarray(x, dtype=np.float64)]
    if len(w) != len(x) or np.ndim(np.asarray(w)) != 1:
        raise ValueError(f"neuron_forward_backward: w has {len(w)} entries but x has {len(x)}")
    z = sum(wi * xi for wi, xi in zip(w, x)) + float(b)
    a = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    y = float(y)
    loss = -(y * math.log(a) + (1.0 - y) * math.log1p(-a))
    delta = a - y
    return {"loss": loss, "dw": np.array([delta * xi for xi in x], dtype=np.float64), "db": delta}


class Value:
    def __init__(self, data):
        self.data = float(data)
        self.grad = 0.0
        self._prev = ()
        self._backward = lambda: None

    def _make(self, data, parents, backward):
        out = Value(data)
        out._prev = parents
        out._backward = lambda: backward(out.grad)
        return out

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)

        def back(g):
            self.grad += g
            other.grad += g

        return self._make(self.data + other.data, (self, other), back)

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)

        def back(g):
            self.grad += other.data * g
            other.grad += self.data * g

        return self._make(self.data * other.data, (self, other), back)

    __rmul__ = __mul__

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)

        def back(g):
            self.grad += g / other.data
            other.grad -= g * self.data / other.data**2

        return self._make(self.data / other.data, (self, other), back)

    def __rtruediv__(self, other):
        return Value(other) / self

    def __pow__(self, k):
        def back(g):
            self.grad += k * self.data ** (k - 1) * g

        return self._make(self.data**k, (self,), back)

    def _unary(self, data, slope):
        def back(g):
            self.grad += slope * g

        return self._make(data, (self,), back)

    def exp(self):
        e = math.exp(self.data)
        return self._unary(e, e)

    def log(self):
        return self._unary(math.log(self.data), 1.0 / self.data)

    def tanh(self):
        t = math.tanh(self.data)
        return self._unary(t, 1.0 - t * t)

    def sigmoid(self):
        s = float(sigmoid(self.data))
        return self._unary(s, s * (1.0 - s))

    def relu(self):
        return self._unary(self.data if self.data > 0 else 0.0, float(self.data > 0))

    def backward(self):
        # Kahn's algorithm from the output: a node is ready once every consumer has been handled.
        waiting, found, todo = {}, {id(self): self}, [self]
        while todo:
            node = todo.pop()
            for parent in node._prev:
                waiting[id(parent)] = waiting.get(id(parent), 0) + 1
                if id(parent) not in found:
                    found[id(parent)] = parent
                    todo.append(parent)
        for node in found.values():
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        ready = [self]
        while ready:
            node = ready.pop()
            node._backward()
            for parent in node._prev:
                waiting[id(parent)] -= 1
                if waiting[id(parent)] == 0:
                    ready.append(parent)


def mlp_loss_and_grads(X, y, params):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    n = X.shape[0]
    onehot = np.eye(W2.shape[1])[y]  # (N, C)
    pre = np.einsum("nd,dh->nh", X, W1) + b1
    active = (pre > 0).astype(np.float64)
    h = pre * active
    logits = np.einsum("nh,hc->nc", h, W2) + b2
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
    loss = float(np.mean(lse - (logits * onehot).sum(axis=1)))
    probs = np.exp(logits - lse[:, None])
    g_logits = (probs - onehot) / n
    g_h = np.einsum("nc,hc->nh", g_logits, W2) * active
    return loss, {
        "W1": np.einsum("nd,nh->dh", X, g_h), "b1": g_h.sum(axis=0),
        "W2": np.einsum("nh,nc->hc", h, g_logits), "b2": g_logits.sum(axis=0),
    }


def sgd_step(params, grads, lr):
    new = {}
    for key in params:
        new[key] = np.array(params[key], dtype=np.float64) - lr * np.array(grads[key], dtype=np.float64)
    return new


def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    p = np.array(param, dtype=np.float64)
    g = np.array(grad, dtype=np.float64)
    step = state["step"] + 1
    p *= 1.0 - lr * weight_decay  # a private copy, so in place is fine
    m = np.array(state["m"], dtype=np.float64)
    v = np.array(state["v"], dtype=np.float64)
    m += (1.0 - betas[0]) * (g - m)  # lerp, as torch writes it
    v = betas[1] * v + (1.0 - betas[1]) * np.square(g)
    step_size = lr / (1.0 - betas[0] ** step)
    denom = np.sqrt(v) / math.sqrt(1.0 - betas[1] ** step) + eps
    return p - step_size * m / denom, {"step": step, "m": m, "v": v}


def accumulated_gradient(grad_fn, params, X, y, micro_batch_size):
    if micro_batch_size < 1:
        raise ValueError(f"accumulated_gradient: micro_batch_size must be at least 1, got {micro_batch_size}")
    X, y = np.asarray(X), np.asarray(y)
    seen, mean = 0, None
    i = 0
    while i < len(X):
        g = grad_fn(params, X[i:i + micro_batch_size], y[i:i + micro_batch_size])
        rows = len(X[i:i + micro_batch_size])
        seen += rows
        if mean is None:
            mean = {k: np.asarray(v, dtype=np.float64) for k, v in g.items()}
        else:  # running weighted mean over the rows seen so far
            mean = {k: mean[k] + (np.asarray(g[k], dtype=np.float64) - mean[k]) * rows / seen for k in mean}
        i += micro_batch_size
    return mean


def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0:
        raise ValueError(f"warmup_cosine_lr: step must be >= 0, got {step}")
    if total_steps < warmup_steps:
        raise ValueError(f"warmup_cosine_lr: total_steps={total_steps} < warmup_steps={warmup_steps}")
    if step < warmup_steps:
        return base_lr * (step / warmup_steps)
    if step >= total_steps:
        return float(base_lr if (step == total_steps == warmup_steps) else min_lr)
    angle = math.pi * (step - warmup_steps) / (total_steps - warmup_steps)
    return float(min_lr + (base_lr - min_lr) * (1.0 + math.cos(angle)) / 2.0)
