"""Hidden suite of the backprop topic: every test compares the submission with the oracle.

The oracle (``reference/backprop.py``) takes its derivatives from ``torch.autograd`` in float64 and
its optimiser step from ``torch.optim.AdamW``. ``Value`` lives in the worker: each ``Value`` test
runs a scenario of ``tensorkata/worker/scenarios/backprop.py`` there on the submission, and the
same scenario here on the oracle's torch-backed ``Value``. Random expression graphs reuse nodes
freely (``a * a``, a node reached along paths of different lengths) and put Python numbers on
either side of every operator, but keep every value away from overflow (``|value| <= 50``),
``log`` and negative powers away from 0, fractional powers away from negative bases, and ``relu``
away from its kink (``|x| >= 1e-3``); the kink itself gets a test of its own.

Tolerances: the contract's ``rtol=1e-6, atol=1e-9`` except where a comment says why not. Gradients
of random graphs are compared with an absolute tolerance of ``1e-9`` times the largest expected
magnitude, because a saturated ``tanh``/``sigmoid`` computes ``1 - t**2`` from a rounded ``t``
and a one-ulp difference in ``t`` (``math`` versus torch) is amplified relative to that tiny
factor, while staying ~1e-16 in absolute terms.
"""

import functools
import math
import numbers
from types import SimpleNamespace

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

import reference.backprop as ref
from graders import strategies as S
from tensorkata.stages import StageFailure
from graders.suite import exercise, expect
from tensorkata.i18n import Text
from tensorkata.worker.functions import F
from tensorkata.worker.scenarios import backprop as scenarios

ORACLE = SimpleNamespace(Value=ref.Value)  # the scenarios run here on the torch-backed oracle


def _scale_atol(*collections) -> float:
    """``1e-9`` times the largest magnitude among the expected numbers (at least 1)."""
    largest = max((abs(x) for c in collections for x in c), default=1.0)
    return 1e-9 * max(1.0, largest)


# sigmoid ----------------------------------------------------------------------------------


@exercise("backprop.sigmoid")
@given(z=S.arrays(S.shapes(1, 3, 1, 5), -10, 10))
def test_sigmoid_matches_reference(student, z):
    """values of arrays of any shape match the reference"""
    expect.close(student.sigmoid(z), ref.sigmoid(z))


@exercise("backprop.sigmoid")
@given(z=S.reals(-10, 10))
def test_sigmoid_of_a_scalar(student, z):
    """a Python number gives a scalar (float or 0-d array)"""
    expect.close(student.sigmoid(z), ref.sigmoid(z).item())


@exercise("backprop.sigmoid")
@given(z=S.matrices(2, 3, -5, 5).flatmap(S.as_array_like))
def test_sigmoid_accepts_array_likes(student, z):
    """accepts lists and tuples"""
    expect.close(student.sigmoid(z), ref.sigmoid(z))


@exercise("backprop.sigmoid")
@example(z=np.array([-1000.0, -745.0, -710.0, 0.0, 710.0, 1000.0]))
@given(z=S.arrays(S.shapes(1, 2, 1, 6), -1000, 1000))
def test_sigmoid_has_no_overflow_warnings(student, z):
    """exact and free of overflow warnings for |z| up to 1e3"""
    got = expect.no_warnings(student, "sigmoid", z)
    expect.close(got, ref.sigmoid(z))


@exercise("backprop.sigmoid")
@example(z=np.array([-700.0, -500.0, -40.0, 40.0, 700.0]))
@given(z=S.arrays(S.shapes(1, 1, 1, 6), -700, 700))
def test_sigmoid_tails_are_relatively_exact(student, z):
    """tiny values such as sigmoid(-700) ≈ 1e-304 are relatively exact"""
    # atol=0: "exact" means relative accuracy even where the value is far below the default atol;
    # z stays above -700 so that the true value is a normal float64 (no subnormal rounding).
    expect.close(student.sigmoid(z), ref.sigmoid(z), atol=0.0)


@exercise("backprop.sigmoid")
@given(z=S.arrays(S.shapes(1, 2, 1, 4), -10, 10))
def test_sigmoid_leaves_z_unchanged(student, z):
    """z is unchanged afterwards"""
    _, (args, _) = student.call("sigmoid", z, echo_args=True)
    expect.unchanged(z, args[0], what="z")


# sigmoid_grad -----------------------------------------------------------------------------


@exercise("backprop.sigmoid_grad")
@given(z=S.arrays(S.shapes(1, 3, 1, 5), -10, 10))
def test_sigmoid_grad_matches_reference(student, z):
    """derivative of arrays of any shape matches the reference"""
    expect.close(student.sigmoid_grad(z), ref.sigmoid_grad(z))


@exercise("backprop.sigmoid_grad")
@given(z=S.reals(-10, 10))
def test_sigmoid_grad_of_a_scalar(student, z):
    """a Python number gives a scalar (float or 0-d array)"""
    expect.close(student.sigmoid_grad(z), ref.sigmoid_grad(z).item())


@exercise("backprop.sigmoid_grad")
@example(z=np.array([-1000.0, -800.0, 0.0, 800.0, 1000.0]))
@given(z=S.arrays(S.shapes(1, 2, 1, 6), -1000, 1000))
def test_sigmoid_grad_is_finite_for_large_inputs(student, z):
    """finite (essentially 0) for |z| up to 1e3"""
    expect.close(student.sigmoid_grad(z), ref.sigmoid_grad(z))


@exercise("backprop.sigmoid_grad")
@given(z=S.matrices(2, 2, -5, 5).flatmap(S.as_array_like))
def test_sigmoid_grad_accepts_array_likes(student, z):
    """accepts lists and tuples; z is unchanged afterwards"""
    got, (args, _) = student.call("sigmoid_grad", z, echo_args=True)
    expect.close(got, ref.sigmoid_grad(z))
    expect.unchanged(z, args[0], what="z")


# neuron_forward_backward ------------------------------------------------------------------


@st.composite
def neurons(draw, soft: bool = False):
    """``(w, x, b, y)`` with ``|z| = |w . x + b| <= 15``; ``y`` is 0/1, or in ``[0, 1]`` if ``soft``."""
    d = draw(st.integers(1, 6))
    w, x = draw(S.arrays((d,), -1.5, 1.5)), draw(S.arrays((d,), -1.5, 1.5))
    b = draw(S.reals(-1.5, 1.5))
    y = draw(S.reals(0.0, 1.0)) if soft else draw(st.sampled_from([0.0, 1.0]))
    return w, x, b, y


@exercise("backprop.neuron_forward_backward")
@example(case=(np.array([4.0, 4.0]), np.array([2.5, 2.0]), 2.0, 0.0))  # z = 20: a rounds close to 1
@given(case=neurons())
def test_neuron_matches_reference(student, case):
    """loss, dw and db match the reference (labels 0 and 1)"""
    expect.close(student.neuron_forward_backward(*case), ref.neuron_forward_backward(*case))


@exercise("backprop.neuron_forward_backward")
@given(case=neurons(soft=True))
def test_neuron_with_soft_targets(student, case):
    """the same formulas for a target y between 0 and 1"""
    expect.close(student.neuron_forward_backward(*case), ref.neuron_forward_backward(*case))


@exercise("backprop.neuron_forward_backward")
@given(case=neurons())
def test_neuron_accepts_lists(student, case):
    """w and x may be lists; b and y may be ints"""
    w, x, b, y = case
    args = (w.tolist(), x.tolist(), round(b), int(y))
    expect.close(student.neuron_forward_backward(*args), ref.neuron_forward_backward(*args))


@exercise("backprop.neuron_forward_backward")
@given(case=neurons())
def test_neuron_leaves_inputs_unchanged(student, case):
    """w and x are unchanged afterwards"""
    _, (args, _) = student.call("neuron_forward_backward", *case, echo_args=True)
    expect.unchanged(case[0], args[0], what="w")
    expect.unchanged(case[1], args[1], what="x")


# Value ------------------------------------------------------------------------------------

BINARY = ("+", "-", "*", "/")
UNARY = ("neg", "exp", "log", "tanh", "sigmoid", "relu")
POWERS = (2, 3, -1, 0.5, 1.5, 2.0, -2.0)
VALUE_LIMIT = 50.0


def _safe(op, a, b=None):
    """The value of one instruction on floats, or None when it is too close to trouble."""
    try:
        if op == "+":
            value = a + b
        elif op == "-":
            value = a - b
        elif op == "*":
            value = a * b
        elif op == "/":
            value = a / b if abs(b) >= 0.25 else None
        elif op == "**":
            fractional = float(b) != int(b)
            value = None if (fractional and a < 0.25) or (b < 0 and abs(a) < 0.25) else a**b
        elif op == "neg":
            value = -a
        elif op == "exp":
            value = math.exp(a) if a <= 3.5 else None
        elif op == "log":
            value = math.log(a) if a >= 0.25 else None
        elif op == "tanh":
            value = math.tanh(a)
        elif op == "sigmoid":
            value = 1.0 / (1.0 + math.exp(-a))
        else:  # relu, away from its kink
            value = max(a, 0.0) if abs(a) >= 1e-3 else None
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
    if value is None or isinstance(value, complex) or not math.isfinite(value) or abs(value) > VALUE_LIMIT:
        return None
    return float(value)


@st.composite
def programs(draw, max_leaves: int = 3, max_ops: int = 12):
    """A random expression graph in the scenario format; nodes are reused freely."""
    program, values = [], []
    for _ in range(draw(st.integers(1, max_leaves))):
        x = draw(S.reals(-2.0, 2.0))
        program.append(["leaf", x])
        values.append(x)
    for _ in range(draw(st.integers(1, max_ops))):
        kind = draw(st.sampled_from(["nodes", "nodes", "node-number", "number-node", "unary", "power"]))
        i = draw(st.integers(0, len(values) - 1))
        if kind == "unary":
            op = draw(st.sampled_from(UNARY))
            instruction, value = [op, i], _safe(op, values[i])
        elif kind == "power":
            k = draw(st.sampled_from(POWERS))
            instruction, value = ["**", i, k], _safe("**", values[i], k)
        else:
            op = draw(st.sampled_from(BINARY))
            if kind == "nodes":
                j = draw(st.integers(0, len(values) - 1))
                instruction, value = [op, i, j], _safe(op, values[i], values[j])
            else:
                c = draw(S.reals(-3.0, 3.0))
                left, right = (i, c) if kind == "node-number" else (c, i)
                a, b = (values[left], c) if kind == "node-number" else (c, values[right])
                instruction, value = [op, left, right], _safe(op, a, b)
        if value is None:  # too close to a pole, a kink or an overflow: a harmless tanh instead
            instruction, value = ["tanh", i], math.tanh(values[i])
        program.append(instruction)
        values.append(value)
    return program


# Known graphs: a node used twice, a shared node on paths of different lengths, numbers on the
# left of every operator.
REUSE = [["leaf", 1.5], ["leaf", -0.8], ["*", 0, 1], ["tanh", 2], ["*", 3, 2.0], ["*", 4, 2],
         ["-", 2.0, 5], ["/", 1.0, 0], ["*", 0, 0], ["+", 6, 7], ["+", 9, 8]]
REFLECTED = [["leaf", 1.5], ["leaf", -0.5], ["-", 2.0, 0], ["/", 3.0, 1], ["+", 1.0, 2], ["*", 2.0, 3],
             ["-", 4, 0.5], ["/", 5, 4.0], ["*", 6, 7], ["**", 0, -2], ["+", 8, 9], ["neg", 10]]


def _expect_graph(got, expected):
    atol = _scale_atol(expected["data"], *expected.get("grads", [expected.get("grad", [])]))
    expect.close(got, expected, atol=atol)


@exercise("backprop.Value")
@given(x=st.sampled_from([2.5, -1.25, 0.0, 1e-3]))
def test_value_attributes_are_floats(student, x):
    """.data and .grad are floats; .grad starts at 0.0"""
    expect.close(student.scenario("attributes", x), scenarios.attributes(ORACLE, x))


@exercise("backprop.Value")
@example(program=REUSE)
@example(program=REFLECTED)
@example(program=[["leaf", 3.0], ["*", 0, 0]])
@example(program=[["leaf", -2.0], ["+", 0, 0], ["*", 1, 0]])
@given(program=programs())
def test_value_matches_torch_on_random_graphs(student, program):
    """data and grad of every node of random graphs match torch autograd"""
    _expect_graph(student.scenario("evaluate", program), scenarios.evaluate(ORACLE, program))


@exercise("backprop.Value")
def test_value_numbers_on_either_side(student):
    """2 - v, 3 / v, 1 + v, 2 * v, v - 0.5, v / 4 and v ** -2"""
    _expect_graph(student.scenario("evaluate", REFLECTED), scenarios.evaluate(ORACLE, REFLECTED))


@exercise("backprop.Value")
def test_value_reused_nodes(student):
    """nodes used several times receive the sum over all paths"""
    for program in ([["leaf", 3.0], ["*", 0, 0]], [["leaf", -2.0], ["+", 0, 0]], REUSE):
        _expect_graph(student.scenario("evaluate", program), scenarios.evaluate(ORACLE, program))


@exercise("backprop.Value")
def test_value_relu_derivative_is_zero_at_zero(student):
    """relu's derivative is 0 at exactly 0"""
    program = [["leaf", 1.5], ["leaf", 0.0], ["-", 0, 0], ["relu", 2], ["relu", 1], ["*", 3, 0],
               ["*", 4, 2.0], ["+", 5, 6], ["+", 7, 0]]
    _expect_graph(student.scenario("evaluate", program), scenarios.evaluate(ORACLE, program))


RECURSION = Text(
    en="backward() raised RecursionError on a chain {depth} nodes deep: Python allows about 1,000 nested calls. "
       "Build the topological order with an explicit stack (a list you push to and pop from) instead of recursion.",
    ja="深さ {depth} の鎖で backward() が RecursionError を送出しました。Python で入れ子にできる呼び出しは約 1,000 段です。"
       "トポロジカル順序は再帰ではなく、明示的なスタック(push と pop をするリスト)で作ってください。",
)


@exercise("backprop.Value")
@given(kind=st.sampled_from(["affine", "tanh"]))
def test_value_deep_chain(student, kind):
    """backward() works on a chain 10,000 nodes deep"""
    depth = 10_000
    try:
        got = student.scenario("deep_chain", depth, kind)
    except StageFailure as failure:
        if failure.stage != "raised" or failure.raised["type"] != "RecursionError":
            raise
        message = Text(en=RECURSION.en.format(depth=f"{depth:,}"), ja=RECURSION.ja.format(depth=f"{depth:,}"))
        raise expect.fail("constraint", message, diagnosis="recursive-topo-sort",
                          extra=[("label.traceback", "\n".join(failure.raised["traceback"].rstrip().splitlines()[-6:]))]) from None
    expect.close(got, _oracle_deep_chain(depth, kind), atol=0.0)


@functools.cache
def _oracle_deep_chain(depth, kind):
    """The oracle's result, computed once per chain (20,000 torch operations each time otherwise)."""
    return scenarios.deep_chain(ORACLE, depth, kind)


@st.composite
def repeated_calls(draw):
    """A program and 2 or 3 non-leaf nodes to call backward() on, in turn (repeats allowed)."""
    program = draw(programs(max_ops=8))
    inner = [i for i, instruction in enumerate(program) if instruction[0] != "leaf"]
    return program, draw(st.lists(st.sampled_from(inner), min_size=2, max_size=3))


SHARED = [["leaf", 0.7], ["leaf", -1.3], ["*", 0, 1], ["tanh", 2], ["+", 3, 2], ["*", 4, 2]]


@exercise("backprop.Value")
@example(case=(SHARED, [5, 5]))
@example(case=(SHARED, [4, 5, 5]))
@given(case=repeated_calls())
def test_value_repeated_backward(student, case):
    """repeated backward(): leaves accumulate, intermediate nodes hold the last call's gradient"""
    program, outputs = case
    got = student.scenario("backward_sequence", program, outputs)
    _expect_graph(got, scenarios.backward_sequence(ORACLE, program, outputs))


# mlp_loss_and_grads -----------------------------------------------------------------------

MLP_KEYS = ("W1", "b1", "W2", "b2")


@st.composite
def mlp_cases(draw, max_rows: int = 6):
    """``(X, y, params)`` from a drawn seed; no pre-activation within 1e-3 of the ReLU's kink."""
    n, d, h, c = draw(st.integers(1, max_rows)), draw(st.integers(1, 4)), draw(st.integers(1, 5)), draw(st.integers(2, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    while True:
        X = rng.normal(size=(n, d))
        params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h) * 0.5,
                  "W2": rng.normal(size=(h, c)) * 2.0, "b2": rng.normal(size=c) * 0.5}
        if np.abs(X @ params["W1"] + params["b1"]).min() >= 1e-3:
            return X, rng.integers(0, c, size=n), params


@exercise("backprop.mlp_loss_and_grads")
@given(case=mlp_cases())
def test_mlp_matches_reference(student, case):
    """loss and the four gradients match torch autograd"""
    expect.close(student.mlp_loss_and_grads(*case), ref.mlp_loss_and_grads(*case))


@exercise("backprop.mlp_loss_and_grads")
@given(case=mlp_cases(max_rows=3))
def test_mlp_accepts_lists(student, case):
    """X, y and the parameters may be nested lists"""
    X, y, params = case
    args = (X.tolist(), y.tolist(), {k: v.tolist() for k, v in params.items()})
    expect.close(student.mlp_loss_and_grads(*args), ref.mlp_loss_and_grads(*args))


@exercise("backprop.mlp_loss_and_grads")
@given(case=mlp_cases())
def test_mlp_relu_derivative_is_zero_at_zero(student, case):
    """the ReLU's derivative at exactly 0 is 0 (an all-zero row of X and zeros in b1)"""
    X, y, params = case
    X = X.copy()
    X[0] = 0.0  # row 0's pre-activations are exactly b1
    params = dict(params, b1=np.where(np.arange(params["b1"].size) % 2 == 0, 0.0, params["b1"]))
    expect.close(student.mlp_loss_and_grads(X, y, params), ref.mlp_loss_and_grads(X, y, params))


@exercise("backprop.mlp_loss_and_grads")
@given(case=mlp_cases(max_rows=3))
def test_mlp_leaves_inputs_unchanged(student, case):
    """X, y and params are unchanged afterwards"""
    _, (args, _) = student.call("mlp_loss_and_grads", *case, echo_args=True)
    for name, before, after in zip(("X", "y", "params"), case, args):
        expect.unchanged(before, after, what=name)


# sgd_step ---------------------------------------------------------------------------------


@st.composite
def sgd_cases(draw):
    rows, cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    params = {"W": draw(S.arrays((rows, cols), -3, 3)), "b": draw(S.arrays((cols,), -3, 3))}
    grads = {"W": draw(S.arrays((rows, cols), -3, 3)), "b": draw(S.arrays((cols,), -3, 3))}
    return params, grads, draw(st.floats(1e-3, 1.0))


@exercise("backprop.sgd_step")
@given(case=sgd_cases())
def test_sgd_step_matches_reference(student, case):
    """a new dict params[k] - lr * grads[k]"""
    expect.close(student.sgd_step(*case), ref.sgd_step(*case))


@exercise("backprop.sgd_step")
@given(w=S.vectors(3, -3, 3), g=S.vectors(3, -3, 3), b=S.reals(-3, 3), gb=S.reals(-3, 3))
def test_sgd_step_accepts_lists_and_numbers(student, w, g, b, gb):
    """parameters may be lists or Python numbers"""
    args = ({"w": w.tolist(), "b": b}, {"w": g.tolist(), "b": gb}, 0.1)
    expect.close(student.sgd_step(*args), ref.sgd_step(*args))


@exercise("backprop.sgd_step")
@given(case=sgd_cases())
def test_sgd_step_leaves_inputs_unchanged(student, case):
    """params and grads (the dicts and their arrays) are unchanged afterwards"""
    _, (args, _) = student.call("sgd_step", *case, echo_args=True)
    expect.unchanged(case[0], args[0], what="params")
    expect.unchanged(case[1], args[1], what="grads")


# adamw_step -------------------------------------------------------------------------------


def _split_state(state):
    """A state dict without its ``"step"`` (compared apart: it is an int) and the step."""
    if not isinstance(state, dict):
        return state, None
    return {k: v for k, v in state.items() if k != "step"}, state.get("step")


def _expect_adamw(got, expected):
    """``(new_param, new_state)``: arrays by value, the step as an integer."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        expect.close(got, expected)  # fails at the type or length stage, with the standard message
    expect.close(got[0], expected[0], what="new_param")
    state, step = _split_state(got[1])
    expected_state, expected_step = _split_state(expected[1])
    expect.close(state, expected_state, what="new_state")
    ok = isinstance(step, numbers.Integral) and not isinstance(step, bool) and step == expected_step
    expect.constraint(ok, Text(
        en=f"new_state['step'] must be the integer {expected_step}, got {step!r}.",
        ja=f"new_state['step'] は整数 {expected_step} でなければなりませんが、{step!r} でした。",
    ))


@st.composite
def adamw_cases(draw):
    """``(param, grad, state, hyper-parameters)`` with gradients of many magnitudes."""
    shape = draw(S.shapes(1, 2, 1, 4))
    param = draw(S.arrays(shape, -3, 3))
    grad = draw(S.arrays(shape, -3, 3)) * 10.0 ** draw(st.integers(-4, 0))
    step = draw(st.integers(0, 20))
    if step == 0:
        m, v = np.zeros(shape), np.zeros(shape)
    else:
        m, v = draw(S.arrays(shape, -1, 1)), draw(S.arrays(shape, 0, 1))
    hyper = {
        "lr": draw(st.sampled_from([1e-3, 1e-2, 0.1, 0.3])),
        "betas": draw(st.sampled_from([(0.9, 0.999), (0.8, 0.99), (0.95, 0.9)])),
        "eps": draw(st.sampled_from([1e-8, 1e-6, 1e-3])),
        "weight_decay": draw(st.sampled_from([0.0, 1e-2, 0.1, 0.5])),
    }
    return param, grad, {"step": step, "m": m, "v": v}, hyper


@exercise("backprop.adamw_step")
@given(param=S.arrays(S.shapes(1, 2, 1, 4), -3, 3), data=st.data())
def test_adamw_first_step_with_defaults(student, param, data):
    """the first step from zero state with the default hyper-parameters matches torch.optim.AdamW"""
    grad = data.draw(S.arrays(param.shape, -3, 3))
    state = {"step": 0, "m": np.zeros(param.shape), "v": np.zeros(param.shape)}
    _expect_adamw(student.adamw_step(param, grad, state), ref.adamw_step(param, grad, state))


@exercise("backprop.adamw_step")
@given(case=adamw_cases())
def test_adamw_matches_torch(student, case):
    """any state and hyper-parameters match torch.optim.AdamW"""
    param, grad, state, hyper = case
    _expect_adamw(student.adamw_step(param, grad, state, **hyper), ref.adamw_step(param, grad, state, **hyper))


@exercise("backprop.adamw_step")
@given(case=adamw_cases(), steps=st.integers(2, 5))
def test_adamw_several_steps(student, case, steps):
    """feeding the returned state back for several steps follows torch.optim.AdamW"""
    param, grad, _, hyper = case
    state = {"step": 0, "m": np.zeros(param.shape), "v": np.zeros(param.shape)}
    mine, theirs = (param, state), (param, state)
    for k in range(steps):
        g = grad * (1.0 + 0.5 * k) - 0.1 * k  # a gradient that changes from step to step
        got = student.adamw_step(mine[0], g, mine[1], **hyper)
        theirs = ref.adamw_step(theirs[0], g, theirs[1], **hyper)
        _expect_adamw(got, theirs)
        mine = got


@exercise("backprop.adamw_step")
@given(case=adamw_cases())
def test_adamw_leaves_inputs_unchanged(student, case):
    """param, grad and state (with its arrays) are unchanged afterwards"""
    param, grad, state, hyper = case
    _, (args, _) = student.call("adamw_step", param, grad, state, echo_args=True, **hyper)
    expect.unchanged(param, args[0], what="param")
    expect.unchanged(grad, args[1], what="grad")
    before, step_before = _split_state(state)
    after, step_after = _split_state(args[2])
    expect.unchanged(before, after, what="state")
    if step_after != step_before:
        raise expect.fail("mutation", Text(en="state['step'] was changed.", ja="state['step'] が変更されました。"),
                          expected=step_before, got=step_after, diagnosis="mutates-input")


# accumulated_gradient ---------------------------------------------------------------------


@st.composite
def accumulation_cases(draw, model: str = "linear"):
    """``(grad_fn, params, X, y, micro_batch_size)``; ``grad_fn`` refuses micro-batches that are too large."""
    n, d, size = draw(st.integers(1, 9)), draw(st.integers(1, 3)), draw(st.integers(1, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    X = rng.normal(size=(n, d))
    if model == "linear":
        params = {"w": rng.normal(size=d), "b": float(rng.normal())}
        y = rng.normal(size=n)
        name = "linear_mse_grad"
    else:
        params = {"W": rng.normal(size=(d, 3)), "b": rng.normal(size=3)}
        y = rng.integers(0, 3, size=n)
        name = "softmax_regression_grad"
    return F(f"{name}_at_most_{size}"), params, X, y, size


def _accumulation_example(n, size):
    rng = np.random.default_rng(n * 10 + size)
    return (F(f"linear_mse_grad_at_most_{size}"), {"w": rng.normal(size=2), "b": 0.3},
            rng.normal(size=(n, 2)), rng.normal(size=n), size)


@exercise("backprop.accumulated_gradient")
@example(case=_accumulation_example(5, 2))  # micro-batches of 2, 2 and 1 rows
@example(case=_accumulation_example(7, 3))
@given(case=accumulation_cases())
def test_accumulated_gradient_matches_full_batch(student, case):
    """equals the full-batch gradient of a linear model; grad_fn never sees more than micro_batch_size rows"""
    expect.close(student.accumulated_gradient(*case), ref.accumulated_gradient(*case))


@exercise("backprop.accumulated_gradient")
@given(case=accumulation_cases(model="softmax"))
def test_accumulated_gradient_softmax_regression(student, case):
    """equals the full-batch gradient of softmax regression (matrix-valued gradients)"""
    expect.close(student.accumulated_gradient(*case), ref.accumulated_gradient(*case))


@exercise("backprop.accumulated_gradient")
@given(case=accumulation_cases())
def test_accumulated_gradient_one_micro_batch(student, case):
    """a micro-batch size of at least N gives grad_fn on the whole batch"""
    grad_fn, params, X, y, _ = case
    args = (F("linear_mse_grad"), params, X, y, len(X) + 2)
    expect.close(student.accumulated_gradient(*args), ref.accumulated_gradient(*args))


@exercise("backprop.accumulated_gradient")
def test_accumulated_gradient_rejects_bad_sizes(student):
    """micro_batch_size < 1 raises ValueError"""
    X, y = np.ones((4, 2)), np.zeros(4)
    for size in (0, -1):
        with expect.raises(ValueError):
            student.accumulated_gradient(F("linear_mse_grad"), {"w": np.zeros(2), "b": 0.0}, X, y, size)


@exercise("backprop.accumulated_gradient")
@given(case=accumulation_cases())
def test_accumulated_gradient_leaves_inputs_unchanged(student, case):
    """params, X and y are unchanged afterwards"""
    _, (args, _) = student.call("accumulated_gradient", *case, echo_args=True)
    for name, before, after in zip(("params", "X", "y"), case[1:4], args[1:4]):
        expect.unchanged(before, after, what=name)


# warmup_cosine_lr -------------------------------------------------------------------------


@st.composite
def schedules(draw):
    """``(step, base_lr, warmup_steps, total_steps, min_lr or None)`` over all three regions."""
    warmup = draw(st.integers(0, 20))
    total = warmup + draw(st.integers(0, 100))
    step = draw(st.integers(0, total + 30))
    base_lr = draw(st.floats(1e-4, 1.0))
    min_lr = draw(st.sampled_from([None, 0.0, 0.1 * base_lr, 0.5 * base_lr]))
    return step, base_lr, warmup, total, min_lr


def _schedule_args(case):
    step, base_lr, warmup, total, min_lr = case
    return (step, base_lr, warmup, total) if min_lr is None else (step, base_lr, warmup, total, min_lr)


@exercise("backprop.warmup_cosine_lr")
@example(case=(40, 1.0, 10, 100, 0.1))
@example(case=(150, 1.0, 10, 100, 0.1))
@given(case=schedules())
def test_warmup_cosine_matches_reference(student, case):
    """warmup, cosine decay and the floor after total_steps match the reference"""
    args = _schedule_args(case)
    expect.close(student.warmup_cosine_lr(*args), ref.warmup_cosine_lr(*args))


@exercise("backprop.warmup_cosine_lr")
def test_warmup_cosine_boundaries(student):
    """0 at step 0, base_lr at the end of the warmup, min_lr at total_steps and after"""
    cases = [(0, 0.5, 10, 100), (1, 0.5, 10, 100), (10, 0.5, 10, 100), (100, 0.5, 10, 100, 0.05),
             (101, 0.5, 10, 100, 0.05), (10, 0.5, 10, 10), (0, 0.5, 0, 10), (0, 0.5, 0, 0), (3, 0.5, 0, 0, 0.1)]
    for args in cases:
        expect.close(student.warmup_cosine_lr(*args), ref.warmup_cosine_lr(*args))


@exercise("backprop.warmup_cosine_lr")
def test_warmup_cosine_rejects_bad_arguments(student):
    """step < 0 or total_steps < warmup_steps raise ValueError"""
    for args in [(-1, 0.5, 10, 100), (5, 0.5, 10, 5), (0, 0.5, 3, 2)]:
        with expect.raises(ValueError):
            student.warmup_cosine_lr(*args)
