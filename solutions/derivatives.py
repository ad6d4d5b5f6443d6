# %% [markdown]
# # Derivatives and gradients / 微分と勾配
# 
# Training a language model means making a loss smaller by nudging millions of parameters,
# and the only local information about *which way* to nudge them is the derivative. For a
# function of one variable, `f'(x)` is the slope of the tangent at `x`: how much `f` changes per
# unit change of `x` when the change is tiny. For a scalar function of many variables, the
# **gradient** collects one partial derivative per variable (each taken with all the others held
# fixed); it points in the direction of steepest ascent, so stepping against it decreases `f`.
# 
# This topic computes derivatives in the three ways a practitioner meets them:
# 
# 1. **Numerically**, by finite differences. Taylor's theorem gives
#    `f(x ± h) = f(x) ± h f'(x) + h²/2 f''(x) ± h³/6 f'''(x) + ...`. The forward difference
#    `(f(x+h) - f(x)) / h` keeps the `h/2 f''(x)` term, so its error shrinks only in proportion
#    to `h` (first order). The central difference `(f(x+h) - f(x-h)) / (2h)` subtracts the two
#    expansions: the even terms cancel, the error becomes `h²/6 f'''(x)` (second order), and
#    halving `h` divides it by four. `h` cannot be made arbitrarily small, though: `f(x+h)` and
#    `f(x-h)` are rounded to about 16 significant digits, and dividing their difference by a tiny
#    `h` magnifies that rounding. In float64, `h` around `1e-4` to `1e-6` balances the two errors.
# 2. **Analytically**, with rules such as the chain rule `(f∘g)'(x) = f'(g(x)) g'(x)` and
#    matrix identities such as `∇ₓ(xᵀAx) = (A + Aᵀ)x`.
# 3. **Automatically**, with `torch.autograd`: during the forward computation torch records
#    every operation in a graph; `backward()` walks that graph from the output back to the inputs
#    and applies the chain rule at every node (reverse mode). The result is exact up to floating
#    point rounding: there is no `h` and no truncation error.
# 
# Numerical derivatives are slow (two calls of `f` per variable) and approximate, but they need
# nothing except `f`, which makes them the standard check of an analytic or automatic gradient
# ("gradient checking"). The topic ends with gradient descent, the loop that uses a gradient to
# minimise a function.
# 
# 言語モデルの学習とは、膨大な数のパラメータを少しずつ動かして損失を小さくしていくことです。
# その際に「どちらへ動かせばよいか」を教えてくれる局所的な情報が微分です。1 変数関数の微分
# `f'(x)` は点 `x` における接線の傾き、つまり `x` をごくわずかに変えたとき `f` が単位あたり
# どれだけ変わるかを表します。多変数のスカラー関数では、ほかの変数をすべて固定して 1 つの変数
# だけで微分した偏微分を変数ごとに並べたものを**勾配**と呼びます。勾配は `f` が最も急に増える
# 向きを指すので、その逆向きに進めば `f` は小さくなります。
# 
# このトピックでは、実務で出会う 3 通りの方法で微分を計算します。
# 
# 1. **数値微分**(差分近似)。テイラー展開
#    `f(x ± h) = f(x) ± h f'(x) + h²/2 f''(x) ± h³/6 f'''(x) + ...` から、前進差分
#    `(f(x+h) - f(x)) / h` には `h/2 f''(x)` の項が残り、誤差は `h` に比例してしか減りません
#    (1 次精度)。中心差分 `(f(x+h) - f(x-h)) / (2h)` では 2 つの展開を引き算するので偶数次の
#    項が打ち消し合い、誤差は `h²/6 f'''(x)` になります(2 次精度)。`h` を半分にすると誤差は
#    約 1/4 です。ただし `h` はいくらでも小さくできるわけではありません。`f(x+h)` と `f(x-h)` は
#    有効数字およそ 16 桁に丸められており、その差を小さな `h` で割ると丸め誤差が拡大されるから
#    です。float64 では `h` を `1e-4` から `1e-6` 程度にすると 2 種類の誤差の釣り合いがとれます。
# 2. **解析的な微分**。連鎖律 `(f∘g)'(x) = f'(g(x)) g'(x)` や、行列の公式
#    `∇ₓ(xᵀAx) = (A + Aᵀ)x` などの規則を使います。
# 3. **自動微分**(`torch.autograd`)。順方向の計算中に torch はすべての演算をグラフとして記録し、
#    `backward()` がそのグラフを出力から入力へとたどりながら各ノードで連鎖律を適用します
#    (リバースモード)。結果は浮動小数点の丸めを除いて厳密で、`h` も打ち切り誤差もありません。
# 
# 数値微分は遅く(変数 1 つにつき `f` を 2 回呼ぶ)近似にすぎませんが、`f` さえあれば計算できる
# ため、解析的な勾配や自動微分の結果を検証する標準的な手段になっています(勾配チェック)。
# 最後に、勾配を使って関数を最小化するループである勾配降下法を実装します。

# %%
import numpy as np
import torch

# %% [markdown]
# ## derivatives.numerical_diff
# 
# The central difference `(f(x+h) - f(x-h)) / (2h)` is the slope of the chord through two points
# placed symmetrically around `x`. Its truncation error is `h²/6 f'''(x)`, so it is second-order
# accurate; the one-sided `(f(x+h) - f(x)) / h` is only first-order. Pitfalls: dividing by `h`
# instead of `2h` (the two points are `2h` apart), and ignoring the `h` argument.
# 
# 中心差分 `(f(x+h) - f(x-h)) / (2h)` は、`x` の左右対称な 2 点を結ぶ弦の傾きです。打ち切り誤差は
# `h²/6 f'''(x)` なので 2 次精度です。片側だけの `(f(x+h) - f(x)) / h` は 1 次精度にとどまります。
# 2 点の間隔は `2h` なので `h` で割ってしまう誤りや、引数 `h` を無視する誤りに注意してください。

# %%
def numerical_diff(f, x, h=1e-4):
    """Derivative of ``f`` at the scalar ``x`` by the central difference.

    ``f`` is a function of one real number; it is called exactly twice, with the Python floats
    ``x + h`` and ``x - h``, and must return a scalar (Python number, NumPy scalar or 0-d array).
    ``x`` is a scalar (Python number, NumPy scalar or 0-d array) and ``h`` a non-zero step.
    Returns the Python float ``(f(x + h) - f(x - h)) / (2 * h)``, whose error shrinks about
    fourfold when ``h`` is halved (second-order accuracy). Raises ``ValueError`` when ``x`` is not
    a scalar (the message names its shape) or when ``h`` is zero.

    スカラー ``x`` における ``f`` の微分係数を中心差分で求めます。``f`` は 1 つの実数の関数で、
    Python の float ``x + h`` と ``x - h`` を引数としてちょうど 2 回呼ばれ、スカラー(Python の
    数値、NumPy のスカラー、または 0 次元配列)を返す必要があります。``x`` はスカラー、``h`` は
    0 でない刻み幅です。戻り値は Python の float ``(f(x + h) - f(x - h)) / (2 * h)`` で、``h`` を
    半分にすると誤差はおよそ 1/4 になります(2 次精度)。``x`` がスカラーでない場合(メッセージに
    その形状を示します)と ``h`` が 0 の場合は ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 0:
        raise ValueError(f"numerical_diff: x must be a scalar, got an array of shape {x.shape}")
    x, h = float(x), float(h)
    if h == 0.0:
        raise ValueError(f"numerical_diff: the step h must be non-zero, got {h!r}")
    # The two sample points are 2h apart; the f''(x) terms of their Taylor expansions cancel.
    return float((f(x + h) - f(x - h)) / (2.0 * h))
    ### END SOLUTION


# %% [markdown]
# ## derivatives.numerical_gradient
# 
# The partial derivative with respect to one element is a one-variable derivative with every
# other element frozen, so the gradient is `numerical_diff` applied once per element: perturb
# element `i` by `+h`, evaluate `f` on the whole array, perturb it by `-h`, evaluate again, then
# put the original value back before moving to the next element. Work on a copy of `x` (the
# caller's array must not change), visit every element of any shape (`np.ndindex` does this,
# including the single empty index of a 0-d array), and always hand `f` the full array. If the
# restore is forgotten, every later partial derivative is taken at a shifted point, which is
# invisible for separable functions such as `sum(x²)` and wrong for everything else.
# 
# ある要素についての偏微分は、ほかの要素をすべて固定した 1 変数の微分です。したがって勾配は、
# 要素ごとに `numerical_diff` を 1 回ずつ行えば求まります。要素 `i` を `+h` だけずらして配列全体で
# `f` を評価し、`-h` だけずらしてもう一度評価したら、次の要素に進む前に元の値に戻します。`x` の
# コピーの上で作業し(呼び出し側の配列を変えてはいけません)、どんな形状でもすべての要素を
# たどり(`np.ndindex` を使えば 0 次元配列の空のインデックスも含めてたどれます)、`f` には常に
# 配列全体を渡します。元に戻し忘れると後の偏微分はすべてずれた点で計算されます。`sum(x²)` の
# ように変数が分離した関数では気づきませんが、それ以外では誤った値になります。

# %%
def numerical_gradient(f, x, h=1e-4):
    """Gradient of the scalar function ``f`` at the array ``x``, by central differences.

    ``x`` is an array-like of any shape (a Python number counts as a 0-d array) and ``h`` a
    non-zero step. For every element ``i`` (in C order) the result holds
    ``(f(x + h e_i) - f(x - h e_i)) / (2 * h)``, where ``e_i`` is 1 at element ``i`` and 0
    elsewhere. ``f`` is always called with a float64 NumPy array of ``x``'s shape (a 0-d array when
    ``x`` is a scalar), twice per element, and must return a scalar. Returns a float64 array of
    ``x``'s shape. ``x`` is never modified: the perturbations are made on a private copy, one
    element at a time, and each element is restored before the next one is perturbed (``f`` must
    not keep or modify the array it receives). Raises ``ValueError`` when ``h`` is zero.

    スカラー関数 ``f`` の配列 ``x`` における勾配を中心差分で求めます。``x`` は任意の形状の
    array-like(Python の数値は 0 次元配列として扱います)、``h`` は 0 でない刻み幅です。結果の
    各要素 ``i``(C 順)は ``(f(x + h e_i) - f(x - h e_i)) / (2 * h)`` です。ここで ``e_i`` は要素
    ``i`` だけが 1 で残りが 0 の配列です。``f`` は常に ``x`` と同じ形状の float64 の NumPy 配列
    (``x`` がスカラーなら 0 次元配列)を引数として要素ごとに 2 回呼ばれ、スカラーを返す必要が
    あります。戻り値は ``x`` と同じ形状の float64 配列です。``x`` は変更しません。摂動は内部の
    コピーに 1 要素ずつ加え、次の要素に移る前に必ず元の値に戻します(``f`` は受け取った配列を
    保持したり書き換えたりしてはいけません)。``h`` が 0 の場合は ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    x = np.array(x, dtype=np.float64)  # a private copy: the caller's array is never touched
    h = float(h)
    if h == 0.0:
        raise ValueError(f"numerical_gradient: the step h must be non-zero, got {h!r}")
    grad = np.empty_like(x)  # (*x.shape)
    for index in np.ndindex(x.shape):  # every element once; the single index () when x is 0-d
        original = x[index]
        x[index] = original + h
        f_plus = float(f(x))
        x[index] = original - h
        f_minus = float(f(x))
        x[index] = original  # restore before the next element is perturbed
        grad[index] = (f_plus - f_minus) / (2.0 * h)
    return grad
    ### END SOLUTION


# %% [markdown]
# ## derivatives.tangent_line
# 
# The tangent at `a` is the line through the point `(a, f(a))` with slope `f'(a)`:
# `y = f'(a) (x - a) + f(a) = slope * x + (f(a) - slope * a)`. Its intercept is therefore
# `f(a) - slope * a`, not `f(a)` (that is the height at `x = a`, not at `x = 0`). Near `a` the
# tangent is the best straight-line approximation of `f`, which is exactly what a gradient step
# relies on.
# 
# 点 `a` における接線は、点 `(a, f(a))` を通り傾きが `f'(a)` の直線
# `y = f'(a) (x - a) + f(a) = slope * x + (f(a) - slope * a)` です。したがって切片は
# `f(a) - slope * a` であり、`f(a)` ではありません(`f(a)` は `x = 0` ではなく `x = a` での高さ
# です)。`a` の近くでは接線が `f` の最良の直線近似になっており、勾配法の 1 ステップはまさに
# この近似を頼りにしています。

# %%
def tangent_line(f, a, h=1e-4):
    """The tangent line of ``f`` at the scalar ``a``, as ``(slope, intercept)``.

    ``slope`` is ``numerical_diff(f, a, h)`` and ``intercept`` is ``f(a) - slope * a``, so that the
    line ``y = slope * x + intercept`` touches the graph of ``f`` at ``(a, f(a))``. ``f`` is called
    with Python floats and must return a scalar. Returns a tuple of two Python floats. Raises
    ``ValueError`` when ``a`` is not a scalar (the message names its shape) or when ``h`` is zero.

    スカラー ``a`` における ``f`` の接線を ``(slope, intercept)`` として返します。``slope`` は
    ``numerical_diff(f, a, h)``、``intercept`` は ``f(a) - slope * a`` で、直線
    ``y = slope * x + intercept`` は点 ``(a, f(a))`` で ``f`` のグラフに接します。``f`` は Python の
    float を引数として呼ばれ、スカラーを返す必要があります。戻り値は Python の float 2 つの
    タプルです。``a`` がスカラーでない場合(メッセージにその形状を示します)と ``h`` が 0 の場合は
    ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    a = np.asarray(a, dtype=np.float64)
    if a.ndim != 0:
        raise ValueError(f"tangent_line: a must be a scalar, got an array of shape {a.shape}")
    a = float(a)
    slope = numerical_diff(f, a, h)
    intercept = float(f(a)) - slope * a  # the line passes through (a, f(a))
    return slope, intercept
    ### END SOLUTION


# %% [markdown]
# ## derivatives.chain_rule_derivative
# 
# For `y = f(u)` with `u = g(x)`, a small change `dx` changes `u` by about `g'(x) dx`, and that
# changes `y` by about `f'(u) g'(x) dx`. Hence `(f∘g)'(x) = f'(g(x)) · g'(x)`. The outer derivative
# is evaluated at the *inner value* `g(x)`, not at `x`; forgetting the inner factor `g'(x)` is the
# other classic slip. Backpropagation is this rule applied node after node.
# 
# `y = f(u)`、`u = g(x)` とすると、`x` を `dx` だけ動かせば `u` はおよそ `g'(x) dx` 変わり、その
# 結果 `y` はおよそ `f'(u) g'(x) dx` 変わります。よって `(f∘g)'(x) = f'(g(x)) · g'(x)` です。外側の
# 導関数は `x` ではなく*内側の値* `g(x)` で評価します。内側の因子 `g'(x)` を掛け忘れるのも典型的な
# 誤りです。誤差逆伝播法は、この規則をノードごとに繰り返し適用したものです。

# %%
def chain_rule_derivative(f_prime, g, g_prime, x):
    """Derivative of the composition ``f(g(x))`` at ``x``: ``f_prime(g(x)) * g_prime(x)``.

    ``f_prime`` is the derivative of the outer function ``f``, ``g`` the inner function and
    ``g_prime`` its derivative. ``x`` is a scalar, for which the three functions are called with a
    Python float and a Python float is returned; an array-like ``x`` is also accepted, in which
    case the functions must work elementwise on float64 arrays and the result is a float64 array
    of ``x``'s shape.

    合成関数 ``f(g(x))`` の ``x`` における微分係数 ``f_prime(g(x)) * g_prime(x)`` を返します。
    ``f_prime`` は外側の関数 ``f`` の導関数、``g`` は内側の関数、``g_prime`` はその導関数です。
    ``x`` がスカラーの場合は 3 つの関数を Python の float で呼び、Python の float を返します。
    array-like の ``x`` も受け付けます。その場合 3 つの関数は float64 配列に要素ごとに作用する
    必要があり、戻り値は ``x`` と同じ形状の float64 配列です。
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        x = float(x)
    inner = g(x)
    result = np.asarray(f_prime(inner) * g_prime(x), dtype=np.float64)  # outer slope at g(x)
    return float(result) if result.ndim == 0 else result
    ### END SOLUTION


# %% [markdown]
# ## derivatives.grad_quadratic_form
# 
# `xᵀAx = Σᵢ Σⱼ Aᵢⱼ xᵢ xⱼ`. Differentiating with respect to `xₖ` picks up `xₖ` once as the
# row index (`Σⱼ Aₖⱼ xⱼ = (Ax)ₖ`) and once as the column index (`Σᵢ Aᵢₖ xᵢ = (Aᵀx)ₖ`), so
# `∇ₓ(xᵀAx) = (A + Aᵀ)x`. Only when `A` is symmetric does this reduce to the familiar `2Ax`.
# The quadratic form only sees the symmetric part `(A + Aᵀ)/2` of `A`, which is why `A` and `Aᵀ`
# have the same gradient. Check shapes before computing: NumPy would happily multiply a column
# `x` of shape `(n, 1)` and return an `(n, 1)` result instead of failing.
# 
# `xᵀAx = Σᵢ Σⱼ Aᵢⱼ xᵢ xⱼ` を `xₖ` で微分すると、`xₖ` は行の添字として 1 回
# (`Σⱼ Aₖⱼ xⱼ = (Ax)ₖ`)、列の添字として 1 回(`Σᵢ Aᵢₖ xᵢ = (Aᵀx)ₖ`)現れるので、
# `∇ₓ(xᵀAx) = (A + Aᵀ)x` となります。よく知られた `2Ax` になるのは `A` が対称なときだけです。
# 二次形式は `A` の対称部分 `(A + Aᵀ)/2` しか見ていないため、`A` と `Aᵀ` の勾配は一致します。
# 計算の前に形状を確認してください。NumPy は形状 `(n, 1)` の列ベクトル `x` でもエラーに
# せずに掛け算し、形状 `(n, 1)` の結果を返してしまいます。

# %%
def grad_quadratic_form(A, x):
    """Gradient of the quadratic form ``x^T A x`` with respect to ``x``: ``(A + A^T) x``.

    ``A`` is any square matrix of shape ``(n, n)`` (it need not be symmetric) and ``x`` a vector of
    shape ``(n,)``, both array-likes. Returns a float64 array of shape ``(n,)``. Raises
    ``ValueError``, naming the shapes, when ``A`` is not a square 2-D array or ``x`` is not a 1-D
    array of length ``n`` (a column of shape ``(n, 1)`` is rejected too).

    二次形式 ``x^T A x`` の ``x`` についての勾配 ``(A + A^T) x`` を返します。``A`` は形状
    ``(n, n)`` の任意の正方行列(対称でなくてかまいません)、``x`` は形状 ``(n,)`` のベクトルで、
    どちらも array-like です。戻り値は形状 ``(n,)`` の float64 配列です。``A`` が 2 次元の正方
    行列でない場合や、``x`` が長さ ``n`` の 1 次元配列でない場合(形状 ``(n, 1)`` の列ベクトルも
    不可)は、形状を示して ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    A = np.asarray(A, dtype=np.float64)  # (n, n)
    x = np.asarray(x, dtype=np.float64)  # (n,)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"grad_quadratic_form: A must be a square matrix (n, n), got shape {A.shape}")
    if x.shape != (A.shape[0],):
        raise ValueError(
            f"grad_quadratic_form: x must have shape ({A.shape[0]},) to match A of shape {A.shape}, "
            f"got shape {x.shape}"
        )
    return (A + A.T) @ x  # (n, n) @ (n,) -> (n,)
    ### END SOLUTION


# %% [markdown]
# ## derivatives.autograd_derivative
# 
# Wrap `x` in a 0-d float64 tensor created with `requires_grad=True`; torch then records every
# operation `f` performs on it. `backward()` on the 0-d result runs the chain rule backwards
# through that record and stores `df/dx` in the leaf's `.grad`. Use float64: a float32 tensor
# rounds `x` itself to about 7 significant digits, which can change the answer completely for
# rapidly varying functions. Convert the gradient to a Python float at the end. Gradients
# *accumulate* in `.grad`: a second `backward()` on the same graph would add a second copy.
# 
# `x` を `requires_grad=True` の 0 次元 float64 テンソルに包むと、torch は `f` がそれに対して行う
# 演算をすべて記録します。0 次元の結果に対して `backward()` を呼ぶと、記録をさかのぼって連鎖律が
# 適用され、`df/dx` が葉テンソルの `.grad` に格納されます。float64 を使ってください。float32 の
# テンソルでは `x` そのものが有効数字約 7 桁に丸められ、変化の激しい関数では答えがまったく
# 変わることがあります。最後に勾配を Python の float に変換します。勾配は `.grad` に*加算*される
# ので、同じグラフで 2 回 `backward()` を呼ぶと 2 倍になってしまいます。

# %%
def autograd_derivative(f, x):
    """Derivative ``f'(x)`` of a scalar function, computed by ``torch.autograd``.

    ``f`` takes a 0-d ``torch.Tensor`` and returns a 0-d tensor built from it with torch
    operations; ``x`` is a Python float (any real scalar is accepted). ``f`` is called once with a
    0-d float64 tensor holding ``x`` and ``requires_grad=True``; the derivative is obtained with
    ``backward()`` and returned as a Python float. When ``f``'s result does not depend on its input
    (it carries no gradient), the derivative is 0.0. A non-scalar result of ``f`` raises torch's
    ``RuntimeError``.

    スカラー関数の微分係数 ``f'(x)`` を ``torch.autograd`` で求めます。``f`` は 0 次元の
    ``torch.Tensor`` を受け取り、torch の演算でそこから作った 0 次元テンソルを返します。``x`` は
    Python の float です(任意の実数スカラーを受け付けます)。``f`` は ``x`` を保持する
    ``requires_grad=True`` の 0 次元 float64 テンソルで 1 回だけ呼ばれ、微分係数は ``backward()``
    で求めて Python の float として返します。``f`` の結果が入力に依存しない(勾配を持たない)場合、
    微分係数は 0.0 です。``f`` の結果がスカラーでない場合は torch の ``RuntimeError`` が送出されます。
    """
    ### BEGIN SOLUTION
    leaf = torch.tensor(float(x), dtype=torch.float64, requires_grad=True)  # 0-d leaf of the graph
    out = f(leaf)
    if not (isinstance(out, torch.Tensor) and out.requires_grad):
        return 0.0  # f(x) is a constant as far as autograd can tell
    out.backward()
    return 0.0 if leaf.grad is None else float(leaf.grad)
    ### END SOLUTION


# %% [markdown]
# ## derivatives.grad_check
# 
# Gradient checking compares an analytic gradient `a` with a numerical one `n` element by
# element. The *relative* error `|a - n| / max(|a|, |n|)` is used because an absolute error means
# nothing without a scale: `1e-6` is excellent for a gradient of size `1e3` and terrible for one
# of size `1e-7`. The floor `1e-12` in the denominator avoids `0/0` where both are exactly zero,
# and the *maximum* over elements is reported because a single wrong entry is a bug even when
# the average looks fine. With float64 and central differences, a correct gradient typically
# gives `1e-7` or less; `1e-2` or more means a bug.
# 
# 勾配チェックでは、解析的な勾配 `a` と数値的な勾配 `n` を要素ごとに比べます。*相対*誤差
# `|a - n| / max(|a|, |n|)` を使うのは、絶対誤差には尺度がないからです。`1e-6` という差は、大きさ
# `1e3` の勾配なら非常に良い一致ですが、大きさ `1e-7` の勾配なら大きな誤りです。分母の下限
# `1e-12` は両方がちょうど 0 のときの `0/0` を避けるためのもので、要素全体の*最大値*を報告する
# のは、平均が良く見えても 1 つの要素が違えばそれはバグだからです。float64 と中心差分を使えば、
# 正しい勾配ではふつう `1e-7` 以下になり、`1e-2` 以上ならバグを疑うべきです。

# %%
def grad_check(f, grad_f, x, h=1e-5):
    """Largest elementwise relative error between ``grad_f(x)`` and ``numerical_gradient(f, x, h)``.

    ``f`` is a scalar function of an array and ``grad_f`` its claimed (analytic) gradient; ``x`` is
    an array-like of any shape and ``h`` a non-zero step. ``grad_f`` is called once with a float64
    copy of ``x`` (a 0-d array when ``x`` is a scalar) and must return an array-like of ``x``'s
    shape; the numerical gradient ``n`` is ``numerical_gradient(f, x, h)``. Returns, as a Python
    float, the maximum over the elements of ``abs(a - n) / max(abs(a), abs(n), 1e-12)`` with
    ``a = grad_f(x)``; an ``x`` with no elements gives 0.0. ``x`` is not modified. Raises
    ``ValueError``, naming both shapes, when ``grad_f`` returns a different shape from ``x``'s, and
    when ``h`` is zero.

    解析的な勾配 ``grad_f(x)`` と ``numerical_gradient(f, x, h)`` の要素ごとの相対誤差の最大値を
    返します。``f`` は配列のスカラー関数、``grad_f`` はその勾配とされる(解析的な)関数です。
    ``x`` は任意の形状の array-like、``h`` は 0 でない刻み幅です。``grad_f`` は ``x`` の float64 の
    コピー(``x`` がスカラーなら 0 次元配列)で 1 回呼ばれ、``x`` と同じ形状の array-like を返す
    必要があります。数値勾配 ``n`` は ``numerical_gradient(f, x, h)`` です。``a = grad_f(x)`` と
    して、要素ごとの ``abs(a - n) / max(abs(a), abs(n), 1e-12)`` の最大値を Python の float で
    返します。要素のない ``x`` では 0.0 です。``x`` は変更しません。``grad_f`` の戻り値の形状が
    ``x`` と異なる場合(両方の形状を示します)と ``h`` が 0 の場合は ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    analytic = np.asarray(grad_f(x.copy()), dtype=np.float64)  # a copy, in case grad_f writes to it
    if analytic.shape != x.shape:
        raise ValueError(
            f"grad_check: grad_f returned shape {analytic.shape}, but x has shape {x.shape}"
        )
    numeric = numerical_gradient(f, x, h)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), 1e-12)
    relative = np.abs(analytic - numeric) / scale
    return float(relative.max()) if relative.size else 0.0
    ### END SOLUTION


# %% [markdown]
# ## derivatives.gradient_descent
# 
# Gradient descent repeats `x ← x - lr · ∇f(x)`: a small step against the gradient lowers `f`
# as long as the learning rate `lr` is small enough for the tangent-plane approximation to hold.
# Too large an `lr` overshoots and can diverge (on `f(x) = x²` any `lr > 1` does). Record the
# starting point and every iterate, so that `steps` updates give `steps + 1` rows. Build a *new*
# array at every step (or copy it into the trajectory): appending the same array and updating it
# in place makes every row of the trajectory equal to the last point.
# 
# 勾配降下法は `x ← x - lr · ∇f(x)` を繰り返します。学習率 `lr` が接平面による近似が成り立つ
# 程度に小さければ、勾配と逆向きに少し進むことで `f` は小さくなります。`lr` が大きすぎると行き
# 過ぎて発散することがあります(`f(x) = x²` では `lr > 1` で発散します)。出発点とすべての反復点を
# 記録するので、`steps` 回の更新で `steps + 1` 行になります。各ステップでは*新しい*配列を作って
# ください(または軌跡にコピーしてください)。同じ配列をリストに追加してその場で更新すると、軌跡の
# すべての行が最後の点と同じになってしまいます。

# %%
def gradient_descent(grad_f, x0, lr, steps):
    """Trajectory of ``steps`` gradient-descent updates ``x <- x - lr * grad_f(x)`` from ``x0``.

    ``grad_f`` maps a float64 array of ``x0``'s shape (a 0-d array when ``x0`` is a scalar) to an
    array-like of the same shape; ``x0`` is an array-like of any shape; ``lr`` is a positive
    learning rate and ``steps`` a non-negative integer. Returns a float64 array of shape
    ``(steps + 1, *x0.shape)`` whose row 0 is ``x0`` and whose row ``k`` is the point after ``k``
    updates. ``x0`` is not modified. Raises ``ValueError``, naming the value, when ``steps`` is
    negative or not an integer, or when ``lr`` is not positive (``lr <= 0`` or NaN).

    ``x0`` から勾配降下法の更新 ``x <- x - lr * grad_f(x)`` を ``steps`` 回行った軌跡を返します。
    ``grad_f`` は ``x0`` と同じ形状の float64 配列(``x0`` がスカラーなら 0 次元配列)を受け取り、
    同じ形状の array-like を返します。``x0`` は任意の形状の array-like、``lr`` は正の学習率、
    ``steps`` は 0 以上の整数です。戻り値は形状 ``(steps + 1, *x0.shape)`` の float64 配列で、
    0 行目が ``x0``、``k`` 行目が ``k`` 回更新した後の点です。``x0`` は変更しません。``steps`` が
    負または整数でない場合、``lr`` が正でない場合(``lr <= 0`` または NaN)は、その値を示して
    ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    if not float(steps).is_integer() or steps < 0:
        raise ValueError(f"gradient_descent: steps must be a non-negative integer, got {steps!r}")
    if not lr > 0:
        raise ValueError(f"gradient_descent: the learning rate lr must be positive, got {lr!r}")
    x = np.array(x0, dtype=np.float64)  # a private copy of the starting point
    trajectory = np.empty((int(steps) + 1, *x.shape), dtype=np.float64)  # (steps + 1, *x0.shape)
    trajectory[0] = x
    for k in range(1, int(steps) + 1):
        x = x - lr * np.asarray(grad_f(x), dtype=np.float64)  # a new array, never an in-place update
        trajectory[k] = x
    return trajectory
    ### END SOLUTION
