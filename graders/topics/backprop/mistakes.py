"""Catalogued mistakes of the backprop topic.

Each function (or, for ``backprop.Value``, each class) below is a realistic wrong version of one
exercise, named and signed exactly like it; its diagnosis text lives in
``tensorkata/catalog/backprop.toml`` under the same id. The ``Value`` mistakes are complete
micrograd-style classes (a ``_backward`` closure per node), each correct except for its one slip;
they are probed through the worker-side scenarios of ``tensorkata/worker/scenarios/backprop.py``,
which the judge runs on each class directly. Every class is named ``Value`` and defined inside a
function of its own (so that ``inspect.getsource`` can tell them apart); the methods build their
nodes with ``type(self)``, which is always the class itself.

Probes: one expression graph with a node used twice (``a * a``), a shared node reached along a
short and a long path, numbers on the left of ``-`` and ``/`` and a ReLU of exactly 0; a chain
10,000 nodes deep; three ``backward()`` calls on one graph; the attribute types. Large learning
rates and weight decays (``lr=0.1``, ``weight_decay=0.5``) and a tiny gradient make the AdamW
variants differ visibly; micro-batches of 2 over 5 rows leave a smaller last one.
"""

import math

import numpy as np
import torch  # noqa: F401  (a mistake body may use np, math and torch)

from graders.mistakes import mistake, probe, scenario_probe
from reference.backprop import sigmoid  # the sibling some mistakes call
from tensorkata.worker.functions import F

# --- sigmoid --------------------------------------------------------------------------------


@mistake("backprop.sigmoid", "tanh-without-half")
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return 0.5 * (1.0 + np.tanh(z))  # the identity is 0.5 * (1 + tanh(z / 2))


@mistake("backprop.sigmoid", "exp-ratio-overflows")
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return np.exp(z) / (1.0 + np.exp(z))  # inf / inf = nan for large positive z


@mistake("backprop.sigmoid", "scalar-only")
def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))  # math.exp takes one number, not an array


# --- sigmoid_grad ---------------------------------------------------------------------------


@mistake("backprop.sigmoid_grad", "derivative-of-input")
def sigmoid_grad(z):
    z = np.asarray(z, dtype=np.float64)
    return z * (1.0 - z)


@mistake("backprop.sigmoid_grad", "exp-form-nan")
def sigmoid_grad(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-z)
    return e / (1.0 + e) ** 2  # inf / inf = nan at z = -1000


@mistake("backprop.sigmoid_grad", "tanh-derivative-formula")
def sigmoid_grad(z):
    s = sigmoid(z)
    return 1.0 - s**2  # the derivative of tanh, not of the sigmoid


# --- neuron_forward_backward ----------------------------------------------------------------


@mistake("backprop.neuron_forward_backward", "extra-sigmoid-derivative")
def neuron_forward_backward(w, x, b, y):
    w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
    z = float(w @ x + b)
    a = 1.0 / (1.0 + math.exp(-z))
    loss = -(y * math.log(a) + (1 - y) * math.log(1 - a))
    dz = (a - y) * a * (1 - a)  # the sigmoid's derivative is already inside a - y
    return {"loss": loss, "dw": dz * x, "db": dz}


@mistake("backprop.neuron_forward_backward", "gradient-sign")
def neuron_forward_backward(w, x, b, y):
    w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
    z = float(w @ x + b)
    a = 1.0 / (1.0 + math.exp(-z))
    loss = -(y * math.log(a) + (1 - y) * math.log(1 - a))
    dz = y - a
    return {"loss": loss, "dw": dz * x, "db": dz}


@mistake("backprop.neuron_forward_backward", "loss-sign")
def neuron_forward_backward(w, x, b, y):
    w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
    z = float(w @ x + b)
    a = 1.0 / (1.0 + math.exp(-z))
    loss = y * math.log(a) + (1 - y) * math.log(1 - a)  # the log-likelihood, not its negative
    dz = a - y
    return {"loss": loss, "dw": dz * x, "db": dz}


@mistake("backprop.neuron_forward_backward", "dw-without-x")
def neuron_forward_backward(w, x, b, y):
    w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
    z = float(w @ x + b)
    a = 1.0 / (1.0 + math.exp(-z))
    loss = -(y * math.log(a) + (1 - y) * math.log(1 - a))
    dz = a - y
    return {"loss": loss, "dw": dz * np.ones_like(w), "db": dz}


# --- Value ----------------------------------------------------------------------------------
# Each class is defined (and registered) inside a function of its own, called right after it. All
# are named ``Value``; ``inspect.getsource``, which the project's tests use to inject a mistake into
# a correct submission, finds a class by its qualified name, so without the enclosing function every
# lookup would return the first ``class Value`` of this file.

def _recursive_topo_sort():
    @mistake("backprop.Value", "recursive-topo-sort")
    class Value:
        def __init__(self, data):
            self.data = float(data)
            self.grad = 0.0
            self._prev = ()
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data + other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += out.grad
                other.grad += out.grad

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data * other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad

            out._backward = _backward
            return out

        def __pow__(self, k):
            out = type(self)(self.data**k)
            out._prev = (self,)

            def _backward():
                self.grad += k * self.data ** (k - 1) * out.grad

            out._backward = _backward
            return out

        def _unary(self, value, local):
            out = type(self)(value)
            out._prev = (self,)

            def _backward():
                self.grad += local * out.grad

            out._backward = _backward
            return out

        def exp(self):
            e = math.exp(self.data)
            return self._unary(e, e)

        def log(self):
            return self._unary(math.log(self.data), 1.0 / self.data)

        def tanh(self):
            t = math.tanh(self.data)
            return self._unary(t, 1.0 - t * t)

        def sigmoid(self):
            e = math.exp(-abs(self.data))
            s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
            return self._unary(s, s * (1.0 - s))

        def relu(self):
            return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0)

        def __neg__(self):
            return self * -1.0

        def __radd__(self, other):
            return self + other

        def __sub__(self, other):
            return self + (-other)

        def __rsub__(self, other):
            return (-self) + other

        def __rmul__(self, other):
            return self * other

        def __truediv__(self, other):
            return self * other**-1

        def __rtruediv__(self, other):
            return self**-1 * other

        def backward(self):
            topo, visited = [], set()

            def build(v):  # one Python frame per node: RecursionError on deep graphs
                if v not in visited:
                    visited.add(v)
                    for child in v._prev:
                        build(child)
                    topo.append(v)

            build(self)
            for node in topo:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0
            for node in reversed(topo):
                node._backward()


_recursive_topo_sort()


def _grad_assigned_not_accumulated():
    @mistake("backprop.Value", "grad-assigned-not-accumulated")
    class Value:
        def __init__(self, data):
            self.data = float(data)
            self.grad = 0.0
            self._prev = ()
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data + other.data)
            out._prev = (self, other)

            def _backward():
                self.grad = out.grad  # = instead of +=: a second use overwrites the first
                other.grad = out.grad

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data * other.data)
            out._prev = (self, other)

            def _backward():
                self.grad = other.data * out.grad
                other.grad = self.data * out.grad

            out._backward = _backward
            return out

        def __pow__(self, k):
            out = type(self)(self.data**k)
            out._prev = (self,)

            def _backward():
                self.grad = k * self.data ** (k - 1) * out.grad

            out._backward = _backward
            return out

        def _unary(self, value, local):
            out = type(self)(value)
            out._prev = (self,)

            def _backward():
                self.grad = local * out.grad

            out._backward = _backward
            return out

        def exp(self):
            e = math.exp(self.data)
            return self._unary(e, e)

        def log(self):
            return self._unary(math.log(self.data), 1.0 / self.data)

        def tanh(self):
            t = math.tanh(self.data)
            return self._unary(t, 1.0 - t * t)

        def sigmoid(self):
            e = math.exp(-abs(self.data))
            s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
            return self._unary(s, s * (1.0 - s))

        def relu(self):
            return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0)

        def __neg__(self):
            return self * -1.0

        def __radd__(self, other):
            return self + other

        def __sub__(self, other):
            return self + (-other)

        def __rsub__(self, other):
            return (-self) + other

        def __rmul__(self, other):
            return self * other

        def __truediv__(self, other):
            return self * other**-1

        def __rtruediv__(self, other):
            return self**-1 * other

        def backward(self):
            topo, visited, stack = [], set(), [(self, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    topo.append(node)
                elif node not in visited:
                    visited.add(node)
                    stack.append((node, True))
                    stack.extend((child, False) for child in node._prev)
            for node in topo:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0
            for node in reversed(topo):
                node._backward()


_grad_assigned_not_accumulated()


def _no_topological_order():
    @mistake("backprop.Value", "no-topological-order")
    class Value:
        def __init__(self, data):
            self.data = float(data)
            self.grad = 0.0
            self._prev = ()
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data + other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += out.grad
                other.grad += out.grad

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data * other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad

            out._backward = _backward
            return out

        def __pow__(self, k):
            out = type(self)(self.data**k)
            out._prev = (self,)

            def _backward():
                self.grad += k * self.data ** (k - 1) * out.grad

            out._backward = _backward
            return out

        def _unary(self, value, local):
            out = type(self)(value)
            out._prev = (self,)

            def _backward():
                self.grad += local * out.grad

            out._backward = _backward
            return out

        def exp(self):
            e = math.exp(self.data)
            return self._unary(e, e)

        def log(self):
            return self._unary(math.log(self.data), 1.0 / self.data)

        def tanh(self):
            t = math.tanh(self.data)
            return self._unary(t, 1.0 - t * t)

        def sigmoid(self):
            e = math.exp(-abs(self.data))
            s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
            return self._unary(s, s * (1.0 - s))

        def relu(self):
            return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0)

        def __neg__(self):
            return self * -1.0

        def __radd__(self, other):
            return self + other

        def __sub__(self, other):
            return self + (-other)

        def __rsub__(self, other):
            return (-self) + other

        def __rmul__(self, other):
            return self * other

        def __truediv__(self, other):
            return self * other**-1

        def __rtruediv__(self, other):
            return self**-1 * other

        def backward(self):
            # Breadth-first from the output, each node passed on as soon as it is dequeued: a node
            # reached again along a longer path has already handed on an incomplete gradient.
            queue, visited = [self], {self}
            for node in queue:
                for child in node._prev:
                    if child not in visited:
                        visited.add(child)
                        queue.append(child)
            for node in queue:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0
            for node in queue:
                node._backward()


_no_topological_order()


def _relu_grad_at_zero():
    @mistake("backprop.Value", "relu-grad-at-zero")
    class Value:
        def __init__(self, data):
            self.data = float(data)
            self.grad = 0.0
            self._prev = ()
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data + other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += out.grad
                other.grad += out.grad

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data * other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad

            out._backward = _backward
            return out

        def __pow__(self, k):
            out = type(self)(self.data**k)
            out._prev = (self,)

            def _backward():
                self.grad += k * self.data ** (k - 1) * out.grad

            out._backward = _backward
            return out

        def _unary(self, value, local):
            out = type(self)(value)
            out._prev = (self,)

            def _backward():
                self.grad += local * out.grad

            out._backward = _backward
            return out

        def exp(self):
            e = math.exp(self.data)
            return self._unary(e, e)

        def log(self):
            return self._unary(math.log(self.data), 1.0 / self.data)

        def tanh(self):
            t = math.tanh(self.data)
            return self._unary(t, 1.0 - t * t)

        def sigmoid(self):
            e = math.exp(-abs(self.data))
            s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
            return self._unary(s, s * (1.0 - s))

        def relu(self):
            return self._unary(max(self.data, 0.0), 1.0 if self.data >= 0 else 0.0)  # 1 at 0

        def __neg__(self):
            return self * -1.0

        def __radd__(self, other):
            return self + other

        def __sub__(self, other):
            return self + (-other)

        def __rsub__(self, other):
            return (-self) + other

        def __rmul__(self, other):
            return self * other

        def __truediv__(self, other):
            return self * other**-1

        def __rtruediv__(self, other):
            return self**-1 * other

        def backward(self):
            topo, visited, stack = [], set(), [(self, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    topo.append(node)
                elif node not in visited:
                    visited.add(node)
                    stack.append((node, True))
                    stack.extend((child, False) for child in node._prev)
            for node in topo:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0
            for node in reversed(topo):
                node._backward()


_relu_grad_at_zero()


def _stale_intermediate_grads():
    @mistake("backprop.Value", "stale-intermediate-grads")
    class Value:
        def __init__(self, data):
            self.data = float(data)
            self.grad = 0.0
            self._prev = ()
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data + other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += out.grad
                other.grad += out.grad

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data * other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad

            out._backward = _backward
            return out

        def __pow__(self, k):
            out = type(self)(self.data**k)
            out._prev = (self,)

            def _backward():
                self.grad += k * self.data ** (k - 1) * out.grad

            out._backward = _backward
            return out

        def _unary(self, value, local):
            out = type(self)(value)
            out._prev = (self,)

            def _backward():
                self.grad += local * out.grad

            out._backward = _backward
            return out

        def exp(self):
            e = math.exp(self.data)
            return self._unary(e, e)

        def log(self):
            return self._unary(math.log(self.data), 1.0 / self.data)

        def tanh(self):
            t = math.tanh(self.data)
            return self._unary(t, 1.0 - t * t)

        def sigmoid(self):
            e = math.exp(-abs(self.data))
            s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
            return self._unary(s, s * (1.0 - s))

        def relu(self):
            return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0)

        def __neg__(self):
            return self * -1.0

        def __radd__(self, other):
            return self + other

        def __sub__(self, other):
            return self + (-other)

        def __rsub__(self, other):
            return (-self) + other

        def __rmul__(self, other):
            return self * other

        def __truediv__(self, other):
            return self * other**-1

        def __rtruediv__(self, other):
            return self**-1 * other

        def backward(self):
            topo, visited, stack = [], set(), [(self, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    topo.append(node)
                elif node not in visited:
                    visited.add(node)
                    stack.append((node, True))
                    stack.extend((child, False) for child in node._prev)
            self.grad = 1.0  # no reset: intermediate nodes still hold the previous call's gradient
            for node in reversed(topo):
                node._backward()


_stale_intermediate_grads()


def _resets_leaf_grads():
    @mistake("backprop.Value", "resets-leaf-grads")
    class Value:
        def __init__(self, data):
            self.data = float(data)
            self.grad = 0.0
            self._prev = ()
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data + other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += out.grad
                other.grad += out.grad

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data * other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad

            out._backward = _backward
            return out

        def __pow__(self, k):
            out = type(self)(self.data**k)
            out._prev = (self,)

            def _backward():
                self.grad += k * self.data ** (k - 1) * out.grad

            out._backward = _backward
            return out

        def _unary(self, value, local):
            out = type(self)(value)
            out._prev = (self,)

            def _backward():
                self.grad += local * out.grad

            out._backward = _backward
            return out

        def exp(self):
            e = math.exp(self.data)
            return self._unary(e, e)

        def log(self):
            return self._unary(math.log(self.data), 1.0 / self.data)

        def tanh(self):
            t = math.tanh(self.data)
            return self._unary(t, 1.0 - t * t)

        def sigmoid(self):
            e = math.exp(-abs(self.data))
            s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
            return self._unary(s, s * (1.0 - s))

        def relu(self):
            return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0)

        def __neg__(self):
            return self * -1.0

        def __radd__(self, other):
            return self + other

        def __sub__(self, other):
            return self + (-other)

        def __rsub__(self, other):
            return (-self) + other

        def __rmul__(self, other):
            return self * other

        def __truediv__(self, other):
            return self * other**-1

        def __rtruediv__(self, other):
            return self**-1 * other

        def backward(self):
            topo, visited, stack = [], set(), [(self, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    topo.append(node)
                elif node not in visited:
                    visited.add(node)
                    stack.append((node, True))
                    stack.extend((child, False) for child in node._prev)
            for node in topo:
                node.grad = 0.0  # leaves too: they no longer accumulate across calls
            self.grad = 1.0
            for node in reversed(topo):
                node._backward()


_resets_leaf_grads()


def _reflected_ops_not_swapped():
    @mistake("backprop.Value", "reflected-ops-not-swapped")
    class Value:
        def __init__(self, data):
            self.data = float(data)
            self.grad = 0.0
            self._prev = ()
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data + other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += out.grad
                other.grad += out.grad

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data * other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad

            out._backward = _backward
            return out

        def __pow__(self, k):
            out = type(self)(self.data**k)
            out._prev = (self,)

            def _backward():
                self.grad += k * self.data ** (k - 1) * out.grad

            out._backward = _backward
            return out

        def _unary(self, value, local):
            out = type(self)(value)
            out._prev = (self,)

            def _backward():
                self.grad += local * out.grad

            out._backward = _backward
            return out

        def exp(self):
            e = math.exp(self.data)
            return self._unary(e, e)

        def log(self):
            return self._unary(math.log(self.data), 1.0 / self.data)

        def tanh(self):
            t = math.tanh(self.data)
            return self._unary(t, 1.0 - t * t)

        def sigmoid(self):
            e = math.exp(-abs(self.data))
            s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
            return self._unary(s, s * (1.0 - s))

        def relu(self):
            return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0)

        def __neg__(self):
            return self * -1.0

        def __radd__(self, other):
            return self + other

        def __sub__(self, other):
            return self + (-other)

        def __rsub__(self, other):
            return self - other  # copied from __radd__: computes self - other, not other - self

        def __rmul__(self, other):
            return self * other

        def __truediv__(self, other):
            return self * other**-1

        def __rtruediv__(self, other):
            return self / other  # likewise: self / other instead of other / self

        def backward(self):
            topo, visited, stack = [], set(), [(self, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    topo.append(node)
                elif node not in visited:
                    visited.add(node)
                    stack.append((node, True))
                    stack.extend((child, False) for child in node._prev)
            for node in topo:
                if node._prev:
                    node.grad = 0.0
            self.grad = 1.0
            for node in reversed(topo):
                node._backward()


_reflected_ops_not_swapped()


def _int_grad():
    @mistake("backprop.Value", "int-grad")
    class Value:
        def __init__(self, data):
            self.data = float(data)
            self.grad = 0  # an int, as in micrograd; the contract asks for the float 0.0
            self._prev = ()
            self._backward = lambda: None

        def __add__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data + other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += out.grad
                other.grad += out.grad

            out._backward = _backward
            return out

        def __mul__(self, other):
            other = other if isinstance(other, type(self)) else type(self)(other)
            out = type(self)(self.data * other.data)
            out._prev = (self, other)

            def _backward():
                self.grad += other.data * out.grad
                other.grad += self.data * out.grad

            out._backward = _backward
            return out

        def __pow__(self, k):
            out = type(self)(self.data**k)
            out._prev = (self,)

            def _backward():
                self.grad += k * self.data ** (k - 1) * out.grad

            out._backward = _backward
            return out

        def _unary(self, value, local):
            out = type(self)(value)
            out._prev = (self,)

            def _backward():
                self.grad += local * out.grad

            out._backward = _backward
            return out

        def exp(self):
            e = math.exp(self.data)
            return self._unary(e, e)

        def log(self):
            return self._unary(math.log(self.data), 1.0 / self.data)

        def tanh(self):
            t = math.tanh(self.data)
            return self._unary(t, 1.0 - t * t)

        def sigmoid(self):
            e = math.exp(-abs(self.data))
            s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
            return self._unary(s, s * (1.0 - s))

        def relu(self):
            return self._unary(max(self.data, 0.0), 1.0 if self.data > 0 else 0.0)

        def __neg__(self):
            return self * -1.0

        def __radd__(self, other):
            return self + other

        def __sub__(self, other):
            return self + (-other)

        def __rsub__(self, other):
            return (-self) + other

        def __rmul__(self, other):
            return self * other

        def __truediv__(self, other):
            return self * other**-1

        def __rtruediv__(self, other):
            return self**-1 * other

        def backward(self):
            topo, visited, stack = [], set(), [(self, False)]
            while stack:
                node, done = stack.pop()
                if done:
                    topo.append(node)
                elif node not in visited:
                    visited.add(node)
                    stack.append((node, True))
                    stack.extend((child, False) for child in node._prev)
            for node in topo:
                if node._prev:
                    node.grad = 0
            self.grad = 1
            for node in reversed(topo):
                node._backward()


_int_grad()


# --- mlp_loss_and_grads ---------------------------------------------------------------------


@mistake("backprop.mlp_loss_and_grads", "grads-not-averaged")
def mlp_loss_and_grads(X, y, params):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    n = X.shape[0]
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0)
    logits = h @ W2 + b2
    logits = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    loss = float(-np.log(p[np.arange(n), y]).mean())
    dlogits = p.copy()
    dlogits[np.arange(n), y] -= 1  # no / n: the gradient of the summed loss
    dW2, db2 = h.T @ dlogits, dlogits.sum(axis=0)
    dz1 = (dlogits @ W2.T) * (z1 > 0)
    return loss, {"W1": X.T @ dz1, "b1": dz1.sum(axis=0), "W2": dW2, "b2": db2}


@mistake("backprop.mlp_loss_and_grads", "relu-not-masked")
def mlp_loss_and_grads(X, y, params):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    n = X.shape[0]
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0)
    logits = h @ W2 + b2
    logits = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    loss = float(-np.log(p[np.arange(n), y]).mean())
    dlogits = p.copy()
    dlogits[np.arange(n), y] -= 1
    dlogits /= n
    dW2, db2 = h.T @ dlogits, dlogits.sum(axis=0)
    dz1 = dlogits @ W2.T  # the ReLU's mask is missing
    return loss, {"W1": X.T @ dz1, "b1": dz1.sum(axis=0), "W2": dW2, "b2": db2}


@mistake("backprop.mlp_loss_and_grads", "relu-mask-at-zero")
def mlp_loss_and_grads(X, y, params):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    n = X.shape[0]
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0)
    logits = h @ W2 + b2
    logits = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    loss = float(-np.log(p[np.arange(n), y]).mean())
    dlogits = p.copy()
    dlogits[np.arange(n), y] -= 1
    dlogits /= n
    dW2, db2 = h.T @ dlogits, dlogits.sum(axis=0)
    dz1 = (dlogits @ W2.T) * (z1 >= 0)  # lets the gradient through at exactly 0
    return loss, {"W1": X.T @ dz1, "b1": dz1.sum(axis=0), "W2": dW2, "b2": db2}


@mistake("backprop.mlp_loss_and_grads", "bias-grad-mean")
def mlp_loss_and_grads(X, y, params):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=np.float64) for k in ("W1", "b1", "W2", "b2"))
    n = X.shape[0]
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0)
    logits = h @ W2 + b2
    logits = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    loss = float(-np.log(p[np.arange(n), y]).mean())
    dlogits = p.copy()
    dlogits[np.arange(n), y] -= 1
    dlogits /= n
    dW2, db2 = h.T @ dlogits, dlogits.mean(axis=0)  # the 1/n is already in dlogits
    dz1 = (dlogits @ W2.T) * (z1 > 0)
    return loss, {"W1": X.T @ dz1, "b1": dz1.mean(axis=0), "W2": dW2, "b2": db2}


# --- sgd_step -------------------------------------------------------------------------------


@mistake("backprop.sgd_step", "gradient-ascent")
def sgd_step(params, grads, lr):
    return {k: np.asarray(v, dtype=np.float64) + lr * np.asarray(grads[k], dtype=np.float64) for k, v in params.items()}


@mistake("backprop.sgd_step", "in-place-update")
def sgd_step(params, grads, lr):
    new = params.copy()  # a shallow copy: the arrays are still the caller's
    for k in new:
        new[k] -= lr * np.asarray(grads[k])
    return new


@mistake("backprop.sgd_step", "returns-none")
def sgd_step(params, grads, lr):
    for k in params:
        params[k] = params[k] - lr * np.asarray(grads[k])
    # no return: the caller gets None


@mistake("backprop.sgd_step", "missing-lr")
def sgd_step(params, grads, lr):
    return {k: np.asarray(v, dtype=np.float64) - np.asarray(grads[k], dtype=np.float64) for k, v in params.items()}


# --- adamw_step -----------------------------------------------------------------------------


@mistake("backprop.adamw_step", "coupled-weight-decay")
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    param, grad = np.asarray(param, dtype=np.float64), np.asarray(grad, dtype=np.float64)
    b1, b2 = betas
    t = state["step"] + 1
    grad = grad + weight_decay * param  # L2 added to the gradient: Adam, not AdamW
    m = b1 * np.asarray(state["m"]) + (1 - b1) * grad
    v = b2 * np.asarray(state["v"]) + (1 - b2) * grad**2
    new = param - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    return new, {"step": t, "m": m, "v": v}


@mistake("backprop.adamw_step", "no-bias-correction")
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    param, grad = np.asarray(param, dtype=np.float64), np.asarray(grad, dtype=np.float64)
    b1, b2 = betas
    t = state["step"] + 1
    param = param * (1 - lr * weight_decay)
    m = b1 * np.asarray(state["m"]) + (1 - b1) * grad
    v = b2 * np.asarray(state["v"]) + (1 - b2) * grad**2
    new = param - lr * m / (np.sqrt(v) + eps)
    return new, {"step": t, "m": m, "v": v}


@mistake("backprop.adamw_step", "decay-after-update")
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    param, grad = np.asarray(param, dtype=np.float64), np.asarray(grad, dtype=np.float64)
    b1, b2 = betas
    t = state["step"] + 1
    m = b1 * np.asarray(state["m"]) + (1 - b1) * grad
    v = b2 * np.asarray(state["v"]) + (1 - b2) * grad**2
    new = param - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    new = new * (1 - lr * weight_decay)  # decays the updated weights instead of the old ones
    return new, {"step": t, "m": m, "v": v}


@mistake("backprop.adamw_step", "eps-inside-sqrt")
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    param, grad = np.asarray(param, dtype=np.float64), np.asarray(grad, dtype=np.float64)
    b1, b2 = betas
    t = state["step"] + 1
    param = param * (1 - lr * weight_decay)
    m = b1 * np.asarray(state["m"]) + (1 - b1) * grad
    v = b2 * np.asarray(state["v"]) + (1 - b2) * grad**2
    new = param - lr * (m / (1 - b1**t)) / np.sqrt(v / (1 - b2**t) + eps)
    return new, {"step": t, "m": m, "v": v}


@mistake("backprop.adamw_step", "decay-without-lr")
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    param, grad = np.asarray(param, dtype=np.float64), np.asarray(grad, dtype=np.float64)
    b1, b2 = betas
    t = state["step"] + 1
    param = param * (1 - weight_decay)  # torch scales the decay by lr
    m = b1 * np.asarray(state["m"]) + (1 - b1) * grad
    v = b2 * np.asarray(state["v"]) + (1 - b2) * grad**2
    new = param - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    return new, {"step": t, "m": m, "v": v}


# --- accumulated_gradient -------------------------------------------------------------------


@mistake("backprop.accumulated_gradient", "unweighted-mean")
def accumulated_gradient(grad_fn, params, X, y, micro_batch_size):
    if micro_batch_size < 1:
        raise ValueError(f"accumulated_gradient: micro_batch_size must be >= 1, got {micro_batch_size}")
    X, y = np.asarray(X), np.asarray(y)
    parts = [grad_fn(params, X[i:i + micro_batch_size], y[i:i + micro_batch_size])
             for i in range(0, len(X), micro_batch_size)]
    return {k: sum(np.asarray(g[k], dtype=np.float64) for g in parts) / len(parts) for k in parts[0]}


@mistake("backprop.accumulated_gradient", "sum-not-mean")
def accumulated_gradient(grad_fn, params, X, y, micro_batch_size):
    if micro_batch_size < 1:
        raise ValueError(f"accumulated_gradient: micro_batch_size must be >= 1, got {micro_batch_size}")
    X, y = np.asarray(X), np.asarray(y)
    total = {}
    for i in range(0, len(X), micro_batch_size):
        for k, g in grad_fn(params, X[i:i + micro_batch_size], y[i:i + micro_batch_size]).items():
            total[k] = total.get(k, 0.0) + np.asarray(g, dtype=np.float64)  # never divided
    return total


@mistake("backprop.accumulated_gradient", "drops-last-partial")
def accumulated_gradient(grad_fn, params, X, y, micro_batch_size):
    if micro_batch_size < 1:
        raise ValueError(f"accumulated_gradient: micro_batch_size must be >= 1, got {micro_batch_size}")
    X, y = np.asarray(X), np.asarray(y)
    steps = max(len(X) // micro_batch_size, 1)  # the rows after the last full micro-batch are lost
    parts = [grad_fn(params, X[i * micro_batch_size:(i + 1) * micro_batch_size],
                     y[i * micro_batch_size:(i + 1) * micro_batch_size]) for i in range(steps)]
    return {k: sum(np.asarray(g[k], dtype=np.float64) for g in parts) / steps for k in parts[0]}


# --- warmup_cosine_lr -----------------------------------------------------------------------


@mistake("backprop.warmup_cosine_lr", "warmup-off-by-one")
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or total_steps < warmup_steps:
        raise ValueError(f"warmup_cosine_lr: bad step={step} or total_steps={total_steps} < warmup_steps={warmup_steps}")
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    if step > total_steps:
        return float(min_lr)
    if total_steps == warmup_steps:
        return float(base_lr)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


@mistake("backprop.warmup_cosine_lr", "progress-from-step-zero")
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or total_steps < warmup_steps:
        raise ValueError(f"warmup_cosine_lr: bad step={step} or total_steps={total_steps} < warmup_steps={warmup_steps}")
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    progress = step / total_steps  # measured from step 0, not from the end of the warmup
    return min_lr + (base_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


@mistake("backprop.warmup_cosine_lr", "constant-after-warmup")
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or total_steps < warmup_steps:
        raise ValueError(f"warmup_cosine_lr: bad step={step} or total_steps={total_steps} < warmup_steps={warmup_steps}")
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    return float(base_lr)  # warmup only, no decay


@mistake("backprop.warmup_cosine_lr", "no-floor-after-total")
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or total_steps < warmup_steps:
        raise ValueError(f"warmup_cosine_lr: bad step={step} or total_steps={total_steps} < warmup_steps={warmup_steps}")
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if total_steps == warmup_steps:
        return float(base_lr)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)  # keeps going past 1: the cosine rises again
    return min_lr + (base_lr - min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


@mistake("backprop.warmup_cosine_lr", "amplitude-ignores-min-lr")
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or total_steps < warmup_steps:
        raise ValueError(f"warmup_cosine_lr: bad step={step} or total_steps={total_steps} < warmup_steps={warmup_steps}")
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    if step > total_steps:
        return float(min_lr)
    if total_steps == warmup_steps:
        return float(base_lr)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + base_lr * 0.5 * (1 + math.cos(math.pi * progress))  # starts at base_lr + min_lr


# The definitions above rebind ``sigmoid``; the mistakes that call it must reach the correct one.
from reference.backprop import sigmoid  # noqa: E402,F811

# One graph for the Value probes (see tensorkata/worker/scenarios/backprop.py for the format):
# node 2 (c = a * b) reaches the output directly (via 5) and through tanh and a product (3, 4);
# 6 and 7 put numbers on the left of - and /; 8 is a * a; 10 is relu(a - a) = relu(0.0).
GRAPH = [
    ["leaf", 1.5], ["leaf", -0.8], ["*", 0, 1], ["tanh", 2], ["*", 3, 2.0], ["*", 4, 2],
    ["-", 2.0, 5], ["/", 1.0, 0], ["*", 0, 0], ["-", 0, 0], ["relu", 9], ["*", 10, 1],
    ["+", 6, 7], ["+", 12, 8], ["+", 13, 11], ["sigmoid", 14], ["**", 15, 3], ["log", 15],
    ["+", 16, 17], ["exp", 1], ["*", 18, 19], ["neg", 20], ["**", 0, 0.5], ["+", 21, 22],
]
# A shared intermediate (2) under two outputs (4 and 5), for repeated backward() calls.
SHARED = [["leaf", 0.7], ["leaf", -1.3], ["*", 0, 1], ["tanh", 2], ["+", 3, 2], ["*", 4, 2]]

_MLP_PARAMS = {
    "W1": [[0.5, -1.0, 0.3], [0.8, 0.2, -0.6]], "b1": [0.1, 0.0, -0.2],
    "W2": [[1.0, -0.5], [0.3, 0.8], [-0.7, 0.4]], "b2": [0.05, -0.05],
}
_STATE0 = {"step": 0, "m": np.zeros(3), "v": np.zeros(3)}
_STATE3 = {"step": 3, "m": np.array([0.1, -0.2, 0.05]), "v": np.array([0.01, 0.04, 0.002])}

PROBES = {
    "backprop.sigmoid": [
        probe([-1000.0, -30.0, -1.0, 0.0, 2.0, 1000.0]),
        probe(np.array([[0.5, -0.5], [3.0, -4.0]])),
        probe(0.25),
    ],
    "backprop.sigmoid_grad": [
        probe([-1000.0, -3.0, 0.0, 0.5, 2.0]),
        probe(np.array([[1.0, -1.0], [0.1, 4.0]])),
    ],
    "backprop.neuron_forward_backward": [
        probe([0.5, -1.0, 0.25], [1.0, 2.0, -2.0], 0.3, 1.0),
        probe(np.array([0.2, 0.4]), np.array([-1.5, 0.5]), -0.1, 0.0),
    ],
    "backprop.Value": [
        scenario_probe("evaluate", GRAPH),
        scenario_probe("deep_chain", 10000, "affine"),
        scenario_probe("backward_sequence", SHARED, [5, 5, 4]),
        scenario_probe("attributes", 2.5),
    ],
    "backprop.mlp_loss_and_grads": [
        probe([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.8], [2.0, 1.0]], np.array([0, 1, 1, 0]), _MLP_PARAMS),
        probe([[0.0, 0.0], [1.0, -1.0]], np.array([1, 0]), _MLP_PARAMS),  # row 0: z1 = b1, exactly 0 in column 1
    ],
    "backprop.sgd_step": [
        probe({"W": np.array([[1.0, -2.0], [0.5, 3.0]]), "b": np.array([0.1, -0.1])},
              {"W": np.array([[0.2, 0.4], [-1.0, 0.0]]), "b": np.array([1.0, 2.0])}, 0.1),
        probe({"w": np.array([1, 2, 3])}, {"w": np.array([0.5, 0.5, 0.5])}, 0.5),  # integer parameters
    ],
    "backprop.adamw_step": [
        probe(np.array([1.0, -2.0, 0.5]), np.array([0.5, 0.1, -1e-4]), _STATE0, lr=0.1, weight_decay=0.5),
        probe(np.array([1.0, -2.0, 0.5]), np.array([0.3, -0.2, 1e-4]), _STATE3, lr=0.05,
              betas=(0.8, 0.99), eps=1e-3, weight_decay=0.2),
    ],
    "backprop.accumulated_gradient": [
        probe(F("linear_mse_grad"), {"w": np.array([0.5, -1.0]), "b": 0.2},
              np.array([[1.0, 2.0], [0.0, 1.0], [-1.0, 0.5], [2.0, -1.0], [0.5, 0.5]]),
              np.array([1.0, -1.0, 0.0, 2.0, 0.5]), 2),
        probe(F("linear_mse_grad"), {"w": np.array([0.5, -1.0]), "b": 0.2},
              np.array([[1.0, 2.0], [0.0, 1.0], [-1.0, 0.5]]), np.array([1.0, -1.0, 0.0]), 0),
    ],
    "backprop.warmup_cosine_lr": [
        probe(3, 1.0, 10, 100),
        probe(40, 1.0, 10, 100, 0.1),
        probe(150, 1.0, 10, 100, 0.1),
        probe(10, 0.5, 10, 10),
        probe(-1, 1.0, 10, 100),
    ],
}
