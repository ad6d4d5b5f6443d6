"""Hidden suite of the derivatives topic: every test compares the submission with the oracle.

Callable arguments are named test functions (``F("sin")``): the worker rebuilds them by name, and
``F(..., expect_shape=...)`` makes ``f`` itself insist on being called with an array of ``x``'s
shape, as the contract requires.
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

import reference.derivatives as ref
from graders import strategies as S
from graders.suite import exercise, expect
from tensorkata.i18n import Text
from tensorkata.worker.functions import F

SCALAR_FUNCTIONS = st.sampled_from(["cube", "sin", "exp", "square"])
DERIVATIVE = {"cube": "cube_prime", "sin": "sin_prime", "exp": "exp", "square": "square_prime"}
ARRAY_FUNCTIONS = st.sampled_from(["sum_of_squares", "mixed"])
STEPS_H = st.sampled_from([1e-4, 1e-3, 1e-2])


# numerical_diff ---------------------------------------------------------------------------


@exercise("derivatives.numerical_diff")
@given(name=SCALAR_FUNCTIONS, x=S.reals(-3, 3), h=STEPS_H)
def test_numerical_diff_matches_reference(student, name, x, h):
    """central difference matches the reference"""
    expect.close(student.numerical_diff(F(name), x, h=h), ref.numerical_diff(F(name), x, h=h))


@exercise("derivatives.numerical_diff")
@given(name=SCALAR_FUNCTIONS, x=S.reals(-3, 3))
def test_numerical_diff_default_step(student, name, x):
    """uses h = 1e-4 by default"""
    expect.close(student.numerical_diff(F(name), x), ref.numerical_diff(F(name), x))


@exercise("derivatives.numerical_diff")
def test_numerical_diff_is_second_order(student):
    """error shrinks about 4x when h halves (second-order accurate)"""
    exact = np.cos(0.7)
    coarse = abs(student.numerical_diff(F("sin"), 0.7, h=0.02) - exact)
    fine = abs(student.numerical_diff(F("sin"), 0.7, h=0.01) - exact)
    ratio = coarse / fine if fine else float("inf")
    expect.constraint(3.5 < ratio < 4.5, Text(
        en=f"Halving h should divide the error by about 4; it divided it by {ratio:.2f}.",
        ja=f"h を半分にすると誤差は約 1/4 になるはずですが、{ratio:.2f} 分の 1 になりました。",
    ))


# numerical_gradient -----------------------------------------------------------------------


@exercise("derivatives.numerical_gradient")
@given(name=ARRAY_FUNCTIONS, x=S.arrays(S.shapes(1, 3, 1, 4), -3, 3), h=STEPS_H)
def test_numerical_gradient_matches_reference(student, name, x, h):
    """gradient of any shape matches the reference, f always called with x's shape"""
    f = F(name, expect_shape=x.shape)
    expect.close(student.numerical_gradient(f, x, h=h), ref.numerical_gradient(f, x, h=h))


@exercise("derivatives.numerical_gradient")
@given(x=S.reals(-3, 3))
def test_numerical_gradient_of_scalar(student, x):
    """a scalar x gives a 0-d gradient, f called with a 0-d array"""
    f = F("square", expect_shape=())
    expect.close(student.numerical_gradient(f, x), ref.numerical_gradient(f, x))


@exercise("derivatives.numerical_gradient")
@given(x=S.matrices(2, 3, -3, 3).flatmap(S.as_array_like))
def test_numerical_gradient_accepts_array_likes(student, x):
    """accepts lists and tuples"""
    f = F("mixed", expect_shape=(2, 3))
    expect.close(student.numerical_gradient(f, x), ref.numerical_gradient(f, x))


@exercise("derivatives.numerical_gradient")
@given(x=S.arrays(S.shapes(1, 2, 1, 4), -3, 3))
def test_numerical_gradient_leaves_x_unchanged(student, x):
    """x is unchanged afterwards"""
    _, (args, _) = student.call("numerical_gradient", F("mixed"), x, echo_args=True)
    expect.unchanged(x, args[1], what="x")


# tangent_line -----------------------------------------------------------------------------


@exercise("derivatives.tangent_line")
@given(name=SCALAR_FUNCTIONS, a=S.reals(-3, 3))
def test_tangent_line_matches_reference(student, name, a):
    """slope and intercept match the reference"""
    expect.close(student.tangent_line(F(name), a), ref.tangent_line(F(name), a))


@exercise("derivatives.tangent_line")
@given(name=SCALAR_FUNCTIONS, a=S.reals(-3, 3), h=STEPS_H)
def test_tangent_line_uses_h(student, name, a, h):
    """passes h on to the central difference"""
    expect.close(student.tangent_line(F(name), a, h=h), ref.tangent_line(F(name), a, h=h))


# chain_rule_derivative --------------------------------------------------------------------


@exercise("derivatives.chain_rule_derivative")
@given(outer=SCALAR_FUNCTIONS, inner=SCALAR_FUNCTIONS, x=S.reals(-2, 2))
def test_chain_rule_matches_reference(student, outer, inner, x):
    """f'(g(x)) * g'(x) matches the reference"""
    args = (F(DERIVATIVE[outer]), F(inner), F(DERIVATIVE[inner]), x)
    expect.close(student.chain_rule_derivative(*args), ref.chain_rule_derivative(*args))


@exercise("derivatives.chain_rule_derivative")
def test_chain_rule_known_value(student):
    """d/dx sin(x^3 - 2x) at x = 1.3"""
    x = 1.3
    exact = float(np.cos(x**3 - 2 * x) * (3 * x**2 - 2))
    expect.close(student.chain_rule_derivative(F("sin_prime"), F("cube"), F("cube_prime"), x), exact)


# grad_quadratic_form ----------------------------------------------------------------------


@exercise("derivatives.grad_quadratic_form")
@given(data=st.data(), n=st.integers(1, 6))
def test_grad_quadratic_form_matches_reference(student, data, n):
    """(A + A^T) x for non-symmetric A matches the reference"""
    A, x = data.draw(S.square_matrices(n)), data.draw(S.vectors(n))
    expect.close(student.grad_quadratic_form(A, x), ref.grad_quadratic_form(A, x))


@exercise("derivatives.grad_quadratic_form")
@given(A=S.square_matrices(3).flatmap(S.as_array_like), x=S.vectors(3).flatmap(S.as_array_like))
def test_grad_quadratic_form_accepts_array_likes(student, A, x):
    """accepts lists and tuples"""
    expect.close(student.grad_quadratic_form(A, x), ref.grad_quadratic_form(A, x))


@exercise("derivatives.grad_quadratic_form")
def test_grad_quadratic_form_rejects_bad_shapes(student):
    """non-square A, mismatched or 2-D x raise ValueError"""
    for A, x in [(np.ones((2, 3)), np.ones(3)), (np.eye(3), np.ones(2)), (np.eye(2), np.ones((2, 1))),
                 (np.ones(4), np.ones(2))]:
        with expect.raises(ValueError):
            student.grad_quadratic_form(A, x)


@exercise("derivatives.grad_quadratic_form")
@given(A=S.square_matrices(3), x=S.vectors(3))
def test_grad_quadratic_form_leaves_inputs_unchanged(student, A, x):
    """A and x are unchanged afterwards"""
    _, (args, _) = student.call("grad_quadratic_form", A, x, echo_args=True)
    expect.unchanged(A, args[0], what="A")
    expect.unchanged(x, args[1], what="x")


# autograd_derivative ----------------------------------------------------------------------


@exercise("derivatives.autograd_derivative")
@given(name=SCALAR_FUNCTIONS, x=S.reals(-3, 3))
def test_autograd_derivative_matches_reference(student, name, x):
    """f'(x) matches the reference"""
    expect.close(student.autograd_derivative(F(name), x), ref.autograd_derivative(F(name), x))


@exercise("derivatives.autograd_derivative")
@example(x=1000.123456789)
@given(x=S.reals(100, 2000))
def test_autograd_derivative_in_float64(student, x):
    """computes in float64 (float32 loses the digits of a large x)"""
    expect.close(student.autograd_derivative(F("sin"), x), ref.autograd_derivative(F("sin"), x))


# grad_check -------------------------------------------------------------------------------


@exercise("derivatives.grad_check")
@given(x=S.arrays(S.shapes(1, 2, 1, 4), -2, 2))
def test_grad_check_flags_a_wrong_gradient(student, x):
    """relative error of a wrong analytic gradient matches the reference"""
    args = (F("sum_of_squares"), F("mixed_grad"), x)
    expect.close(student.grad_check(*args), ref.grad_check(*args))


@exercise("derivatives.grad_check")
@given(x=S.arrays(S.shapes(1, 2, 1, 4), -2, 2), h=st.sampled_from([1e-5, 1e-3]))
def test_grad_check_accepts_a_right_gradient(student, x, h):
    """a correct gradient gives a tiny relative error"""
    args = (F("mixed"), F("mixed_grad"), x)
    got = student.grad_check(*args, h=h)
    expect.close(got, ref.grad_check(*args, h=h), rtol=1e-3, atol=1e-7)


@exercise("derivatives.grad_check")
@given(x=S.arrays(S.shapes(1, 2, 1, 4), -2, 2))
def test_grad_check_leaves_x_unchanged(student, x):
    """x is unchanged afterwards"""
    _, (args, _) = student.call("grad_check", F("mixed"), F("mixed_grad"), x, echo_args=True)
    expect.unchanged(x, args[2], what="x")


# gradient_descent -------------------------------------------------------------------------


@exercise("derivatives.gradient_descent")
@given(x0=S.arrays(S.shapes(1, 2, 1, 3), -2, 2), lr=st.floats(0.01, 0.4), steps=st.integers(0, 12))
def test_gradient_descent_matches_reference(student, x0, lr, steps):
    """trajectory (steps + 1, *x0.shape) matches the reference"""
    args = (F("sum_of_squares_grad"), x0, lr, steps)
    expect.close(student.gradient_descent(*args), ref.gradient_descent(*args))


@exercise("derivatives.gradient_descent")
@given(x0=S.vectors(2, -1.5, 1.5).flatmap(S.as_array_like), steps=st.integers(1, 20))
def test_gradient_descent_on_rosenbrock(student, x0, steps):
    """follows the Rosenbrock valley; x0 may be a list"""
    args = (F("rosenbrock_grad"), x0, 1e-3, steps)
    expect.close(student.gradient_descent(*args), ref.gradient_descent(*args))


@exercise("derivatives.gradient_descent")
def test_gradient_descent_rejects_bad_arguments(student):
    """steps < 0 or lr <= 0 raise ValueError"""
    for lr, steps in [(0.1, -1), (0.0, 3), (-0.1, 3)]:
        with expect.raises(ValueError):
            student.gradient_descent(F("sum_of_squares_grad"), np.ones(2), lr, steps)


@exercise("derivatives.gradient_descent")
@given(x0=S.arrays(S.shapes(1, 2, 1, 3), -2, 2))
def test_gradient_descent_leaves_x0_unchanged(student, x0):
    """x0 is unchanged afterwards"""
    _, (args, _) = student.call("gradient_descent", F("sum_of_squares_grad"), x0, 0.1, 3, echo_args=True)
    expect.unchanged(x0, args[1], what="x0")
