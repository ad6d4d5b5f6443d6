"""Scenarios of the backprop topic: graphs built from a submission's ``Value`` class.

Each function takes the module that holds ``Value`` (the submission in the worker; the oracle or a
catalogued mistake in the judge, passed as a namespace) and plain data, builds nodes, calls
``backward()`` and returns plain data only: floats, strings, lists and dicts.

Programs (``evaluate``, ``backward_sequence``) describe a graph as a list of instructions, one
node each, in order; node ``i`` is the result of instruction ``i``. In an operand, an ``int`` names
an earlier node and a ``float`` is a Python-number constant::

    ["leaf", 1.5]                    Value(1.5)
    ["+", 0, 1]   ["-", 2.0, 3]      node 0 + node 1;  2.0 - node 3   (also "*" and "/")
    ["neg", 2]                       -node 2
    ["**", 2, 3]  ["**", 2, 0.5]     node 2 ** 3;  node 2 ** 0.5   (the constant keeps its type)
    ["exp", 2]  ["log", 2]  ["tanh", 2]  ["sigmoid", 2]  ["relu", 2]
"""

import numbers

UNARY = ("exp", "log", "tanh", "sigmoid", "relu")


def _value_class(module):
    value = getattr(module, "Value", None)
    if value is None:
        raise NotImplementedError("backprop.Value")  # a submission without the class: not implemented
    return value


def _number(x):
    """A number as a Python float; anything else as it is, so the judge can name its type."""
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    return x


def _type(x) -> str:
    return "float" if isinstance(x, float) else type(x).__name__


def _operand(nodes, x):
    return nodes[x] if type(x) is int else float(x)


def build(module, program) -> list:
    """The nodes of ``program``, made with ``module.Value``."""
    Value = _value_class(module)
    nodes = []
    for op, *args in program:
        if op == "leaf":
            node = Value(float(args[0]))
        elif op in ("+", "-", "*", "/"):
            a, b = (_operand(nodes, x) for x in args)
            node = a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b
        elif op == "neg":
            node = -nodes[args[0]]
        elif op == "**":
            node = nodes[args[0]] ** args[1]
        elif op in UNARY:
            node = getattr(nodes[args[0]], op)()
        else:
            raise ValueError(f"unknown instruction {op!r}")  # a bug in the judge's program, not the student's
        nodes.append(node)
    return nodes


def evaluate(module, program) -> dict:
    """Build ``program``, call ``backward()`` on its last node; every node's data and grad."""
    nodes = build(module, program)
    nodes[-1].backward()
    return {"data": [_number(n.data) for n in nodes], "grad": [_number(n.grad) for n in nodes]}


def backward_sequence(module, program, outputs) -> dict:
    """Build ``program``, then call ``backward()`` on the nodes ``outputs`` in turn.

    Returns every node's data and, after each call, every node's grad: leaves accumulate across
    the calls; a non-leaf node a call reaches holds that call's gradient only.
    """
    nodes = build(module, program)
    grads = []
    for index in outputs:
        nodes[index].backward()
        grads.append([_number(n.grad) for n in nodes])
    return {"data": [_number(n.data) for n in nodes], "grads": grads}


def deep_chain(module, depth, kind="affine", start=0.5) -> dict:
    """A chain of ``depth`` operations after one leaf, then ``backward()`` on its end.

    ``kind="affine"`` alternates ``x * 1.0001`` and ``x + 0.0``; ``kind="tanh"`` repeats
    ``x.tanh()``. A backward pass that recurses once per node exceeds Python's recursion limit.
    """
    Value = _value_class(module)
    leaf = x = Value(start)
    for i in range(depth):
        if kind == "tanh":
            x = x.tanh()
        else:
            x = x * 1.0001 if i % 2 == 0 else x + 0.0
    x.backward()
    return {"output": _number(x.data), "grad of the leaf": _number(leaf.grad), "grad of the output": _number(x.grad)}


def attributes(module, x) -> dict:
    """Types and starting values of ``.data`` and ``.grad`` of a leaf and of a computed node."""
    Value = _value_class(module)
    leaf = Value(x)
    node = leaf * 2.0 + 1.0
    before = {
        "Value(x).data": _type(leaf.data), "Value(x).grad": _type(leaf.grad),
        "(2 * Value(x) + 1).data": _type(node.data), "(2 * Value(x) + 1).grad": _type(node.grad),
    }
    values = {"Value(x).data": _number(leaf.data), "Value(x).grad": _number(leaf.grad),
              "(2 * Value(x) + 1).grad": _number(node.grad)}
    node.backward()
    after = {"Value(x).grad": _type(leaf.grad), "(2 * Value(x) + 1).grad": _type(node.grad)}
    return {"types before backward()": before, "values before backward()": values,
            "types after backward()": after}
