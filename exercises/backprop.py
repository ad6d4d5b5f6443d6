# Exercises of the topic `backprop`: replace every `raise NotImplementedError` with your code.
# 課題 `backprop`: `raise NotImplementedError` をあなたのコードに置き換えてください。
# (Generated from solutions/backprop.py by `tensorkata build`.)

# %% [markdown]
# # Backpropagation / 誤差逆伝播法
#
# A network is a long composition of simple functions, and training needs the derivative of one
# number, the loss, with respect to every parameter. **Backpropagation** is the chain rule applied
# to that composition in the efficient order: run the computation forwards once and remember every
# intermediate value, then walk the computation backwards from the loss. At each step the
# derivative of the loss with respect to a node's output (its *upstream gradient*) is multiplied
# by the node's *local* derivative and handed to its inputs. One backward pass costs about as much
# as the forward pass, whatever the number of parameters; this is why it is called reverse-mode
# automatic differentiation, and it is what `loss.backward()` does in PyTorch.
#
# This topic builds the pieces by hand:
#
# 1. **The sigmoid** `σ(z) = 1 / (1 + e^{-z})` and its derivative `σ(z)(1 - σ(z))`. Written
#    literally, `e^{-z}` overflows for `z ≈ -710`; rewriting it for negative `z` as
#    `e^{z} / (1 + e^{z})` only ever exponentiates non-positive numbers.
# 2. **One neuron with binary cross-entropy.** `z = w·x + b`, `a = σ(z)`,
#    `L = -(y log a + (1 - y) log(1 - a))`. The derivatives of the loss and of the sigmoid cancel
#    so neatly that `∂L/∂z = a - y`; then `∂L/∂w = (a - y) x` and `∂L/∂b = a - y`.
# 3. **A scalar autograd engine**, `Value`, in the spirit of micrograd. Every operation creates a
#    node that remembers its inputs and its local derivatives. `backward()` orders the graph
#    topologically (every node after all the nodes that use it, when read backwards) and
#    propagates gradients in that order, *adding* contributions: a node used twice receives the
#    sum over both paths (the multivariable chain rule). The order is built with an explicit
#    stack, not recursion, so graphs 10,000 nodes deep work.
# 4. **A two-layer network** `relu(X W1 + b1) W2 + b2` with mean softmax cross-entropy, whose
#    gradients are written out as matrix products, layer by layer.
# 5. **Updates**: plain SGD, AdamW (Adam with decoupled weight decay, the standard optimiser for
#    language models), gradient accumulation over micro-batches (a large batch that does not fit
#    in memory at once), and the warmup + cosine learning-rate schedule.
#
# ネットワークは単純な関数を長く合成したものであり、学習にはただ 1 つの数値である損失を、
# すべてのパラメータで微分した値が必要です。**誤差逆伝播法**は、この合成関数に連鎖律を効率のよい
# 順序で適用する方法です。まず計算を順方向に 1 回実行して途中の値をすべて記録し、次に損失から
# 逆向きに計算をたどります。各ステップでは、ノードの出力に関する損失の微分(*上流の勾配*)に
# そのノードの*局所的な*微分を掛け、入力側のノードに渡します。パラメータがいくつあっても逆伝播
# 1 回のコストは順伝播とほぼ同じです。これがリバースモード自動微分と呼ばれる手法で、PyTorch の
# `loss.backward()` が行っていることです。
#
# このトピックでは、その部品を自分の手で作ります。
#
# 1. **シグモイド** `σ(z) = 1 / (1 + e^{-z})` とその導関数 `σ(z)(1 - σ(z))`。式どおりに書くと
#    `z ≈ -710` で `e^{-z}` がオーバーフローします。負の `z` では `e^{z} / (1 + e^{z})` と書き直せば、
#    指数関数には 0 以下の数しか渡りません。
# 2. **二値交差エントロピーを持つ 1 つのニューロン。** `z = w·x + b`、`a = σ(z)`、
#    `L = -(y log a + (1 - y) log(1 - a))` です。損失の微分とシグモイドの微分がきれいに打ち消し
#    合い、`∂L/∂z = a - y` となります。すると `∂L/∂w = (a - y) x`、`∂L/∂b = a - y` です。
# 3. **スカラーの自動微分エンジン** `Value`(micrograd と同じ考え方)。各演算は、入力と局所的な
#    微分を覚えたノードを作ります。`backward()` はグラフをトポロジカル順序(逆向きに読むと、どの
#    ノードもそれを使うすべてのノードより後に来る順序)に並べ、その順に勾配を伝えます。寄与は
#    *加算*します。2 回使われたノードには両方の経路の和が届きます(多変数の連鎖律)。順序は再帰
#    ではなく明示的なスタックで作るので、深さ 10,000 のグラフでも動きます。
# 4. **2 層ネットワーク** `relu(X W1 + b1) W2 + b2` と平均ソフトマックス交差エントロピー。勾配を
#    層ごとに行列積として書き下します。
# 5. **更新則**: 素朴な SGD、AdamW(重み減衰を分離した Adam で、言語モデルの標準的な
#    オプティマイザ)、マイクロバッチによる勾配累積(一度にメモリに載らない大きなバッチのため)、
#    ウォームアップ + コサイン減衰の学習率スケジュールです。

# %%
import math

import numpy as np

# %% [markdown]
# ## backprop.sigmoid
#
# `1 / (1 + np.exp(-z))` is exact for `z ≥ 0`, but for `z = -1000` it asks for `e^{1000}`, which
# overflows to `inf` with a `RuntimeWarning` (the final value happens to be 0, but a warning in a
# training loop hides real problems). For `z < 0` multiply numerator and denominator by `e^{z}`:
# `σ(z) = e^{z} / (1 + e^{z})`, whose exponent is negative. Both forms only need
# `e^{-|z|} ∈ (0, 1]`, so compute that once and pick the form by the sign of `z`. The second form
# also keeps tiny probabilities such as `σ(-700) ≈ 1e-304` relatively exact, where
# `1 - σ(700)` would round to 0.
#
# `1 / (1 + np.exp(-z))` は `z ≥ 0` では正確ですが、`z = -1000` では `e^{1000}` を計算しようとして
# `inf` にオーバーフローし、`RuntimeWarning` が出ます(最終的な値はたまたま 0 になりますが、学習
# ループの中の警告は本当の問題を覆い隠します)。`z < 0` では分子と分母に `e^{z}` を掛けて
# `σ(z) = e^{z} / (1 + e^{z})` とすれば、指数は負になります。どちらの形も `e^{-|z|} ∈ (0, 1]` さえ
# あれば計算できるので、これを 1 回だけ求め、`z` の符号で式を選びます。2 つ目の形は
# `σ(-700) ≈ 1e-304` のような非常に小さな確率も相対的に正確に保ちます(`1 - σ(700)` では 0 に丸め
# られてしまいます)。

# %%
def sigmoid(z):
    """Elementwise logistic function ``1 / (1 + exp(-z))``, stable for any ``z``.

    ``z`` is an array-like (list, tuple, array, or a Python number). Returns a float64 array of
    ``z``'s shape (a 0-d array for a scalar ``z``). The result is exact (relatively, also for tiny
    values such as ``sigmoid(-700)``) and raises no overflow warning under NumPy's default error
    state for ``|z|`` up to ``1e3`` and beyond: ``exp`` is only ever applied to ``-|z| <= 0``.
    ``sigmoid(-1000)`` is ``0.0`` and ``sigmoid(1000)`` is ``1.0``; NaN stays NaN. ``z`` is not
    modified.

    要素ごとのロジスティック関数 ``1 / (1 + exp(-z))`` を、どんな ``z`` でも安定に計算します。
    ``z`` は array-like(リスト、タプル、配列、Python の数値)です。戻り値は ``z`` と同じ形の
    float64 配列です(スカラーの ``z`` には 0 次元配列)。結果は正確で(``sigmoid(-700)`` のような
    非常に小さな値でも相対的に正確)、NumPy の既定のエラー設定のもとで ``|z|`` が ``1e3`` 以上でも
    オーバーフローの警告を出しません。``exp`` には常に ``-|z| <= 0`` しか渡さないからです。
    ``sigmoid(-1000)`` は ``0.0``、``sigmoid(1000)`` は ``1.0`` で、NaN は NaN のままです。``z`` は
    変更しません。
    """
    raise NotImplementedError("backprop.sigmoid")


# %% [markdown]
# ## backprop.sigmoid_grad
#
# Differentiate `σ(z) = (1 + e^{-z})^{-1}`: `σ'(z) = e^{-z} / (1 + e^{-z})² = σ(z) · (1 - σ(z))`.
# The derivative is expressed through the *output* `σ(z)`, which the forward pass has already
# computed; this is why frameworks keep the sigmoid's output for the backward pass. Apply the
# formula to `σ(z)`, not to `z`: `z (1 - z)` is the most common slip. Reusing the stable
# `sigmoid` also keeps the derivative finite for large `|z|` (where it is essentially 0), while
# `e^{-z} / (1 + e^{-z})²` gives `inf / inf = nan` at `z = -1000`.
#
# `σ(z) = (1 + e^{-z})^{-1}` を微分すると `σ'(z) = e^{-z} / (1 + e^{-z})² = σ(z) · (1 - σ(z))` です。
# 導関数は順伝播ですでに計算した*出力* `σ(z)` で表されます。フレームワークが逆伝播のために
# シグモイドの出力を保存しておくのはこのためです。式は `z` ではなく `σ(z)` に適用します。
# `z (1 - z)` としてしまうのが最もよくある誤りです。安定な `sigmoid` を再利用すれば、`|z|` が
# 大きいところ(導関数はほぼ 0)でも有限の値が得られます。`e^{-z} / (1 + e^{-z})²` では
# `z = -1000` で `inf / inf = nan` になってしまいます。

# %%
def sigmoid_grad(z):
    """Derivative of the sigmoid, ``sigmoid(z) * (1 - sigmoid(z))``, elementwise.

    ``z`` is an array-like. Returns a float64 array of ``z``'s shape (0-d for a scalar ``z``),
    computed from the stable ``sigmoid`` so that it is finite (essentially 0) for ``|z|`` up to
    ``1e3``. ``z`` is not modified.

    シグモイドの導関数 ``sigmoid(z) * (1 - sigmoid(z))`` を要素ごとに計算します。``z`` は
    array-like です。戻り値は ``z`` と同じ形の float64 配列(スカラーの ``z`` には 0 次元配列)で、
    安定な ``sigmoid`` から計算するので、``|z|`` が ``1e3`` までなら有限(ほぼ 0)になります。
    ``z`` は変更しません。
    """
    raise NotImplementedError("backprop.sigmoid_grad")


# %% [markdown]
# ## backprop.neuron_forward_backward
#
# Forward: `z = w·x + b`, `a = σ(z)`, `L = -(y log a + (1 - y) log(1 - a))`. Backward, by the chain
# rule: `∂L/∂a = -(y/a - (1 - y)/(1 - a)) = (a - y) / (a (1 - a))`, and `∂a/∂z = a (1 - a)`, so the
# two factors cancel: `∂L/∂z = a - y`, "prediction minus target", exactly as for softmax with
# cross-entropy. Then `∂z/∂w = x` and `∂z/∂b = 1` give `dw = (a - y) x` and `db = a - y`.
# Multiplying by `σ'(z)` once more is a classic mistake: that factor is already inside `a - y`.
# The loss itself is computed from `z` with `log(1 + e^{-|z|})`, which equals the formula above but
# never takes the log of a probability that has rounded to 0 or 1.
#
# 順伝播は `z = w·x + b`、`a = σ(z)`、`L = -(y log a + (1 - y) log(1 - a))` です。逆伝播では連鎖律
# により `∂L/∂a = -(y/a - (1 - y)/(1 - a)) = (a - y) / (a (1 - a))`、`∂a/∂z = a (1 - a)` で、2 つの
# 因子が打ち消し合って `∂L/∂z = a - y`(「予測 − 目標」)になります。ソフトマックスと交差
# エントロピーの組み合わせとまったく同じ形です。さらに `∂z/∂w = x`、`∂z/∂b = 1` から
# `dw = (a - y) x`、`db = a - y` が得られます。ここでもう一度 `σ'(z)` を掛けてしまうのは典型的な
# 誤りです。その因子はすでに `a - y` の中に含まれています。損失そのものは `z` から
# `log(1 + e^{-|z|})` を使って計算します。上の式と等しいのですが、0 や 1 に丸められた確率の対数を
# とることがありません。

# %%
def neuron_forward_backward(w, x, b, y):
    """Loss and gradients of one sigmoid neuron with binary cross-entropy.

    ``w`` and ``x`` are array-likes of the same shape ``(D,)``, ``b`` is a real number (the bias)
    and ``y`` the target in ``[0, 1]`` (usually 0 or 1; soft targets follow the same formula).
    Computes ``z = w . x + b``, ``a = sigmoid(z)`` and
    ``L = -(y log a + (1 - y) log(1 - a))`` (evaluated stably from ``z``). Returns the dict
    ``{"loss": L, "dw": dL/dw, "db": dL/db}`` with ``loss`` and ``db`` Python floats and ``dw`` a
    float64 array of ``w``'s shape; since ``dL/dz = a - y``, ``dw = (a - y) x`` and
    ``db = a - y``. Raises ``ValueError``, naming both shapes, when ``w`` and ``x`` are not 1-D
    arrays of one shape. Inputs are not modified.

    二値交差エントロピーを損失とする 1 つのシグモイドニューロンの、損失と勾配を求めます。
    ``w`` と ``x`` は同じ形 ``(D,)`` の array-like、``b`` は実数(バイアス)、``y`` は ``[0, 1]`` の
    目標値です(ふつうは 0 か 1 ですが、ソフトな目標値も同じ式に従います)。
    ``z = w . x + b``、``a = sigmoid(z)``、``L = -(y log a + (1 - y) log(1 - a))`` を計算します
    (損失は ``z`` から安定に評価します)。戻り値は辞書 ``{"loss": L, "dw": dL/dw, "db": dL/db}``
    で、``loss`` と ``db`` は Python の float、``dw`` は ``w`` と同じ形の float64 配列です。
    ``dL/dz = a - y`` なので ``dw = (a - y) x``、``db = a - y`` です。``w`` と ``x`` が同じ形の
    1 次元配列でない場合は、両方の形を示して ``ValueError`` を送出します。入力は変更しません。
    """
    raise NotImplementedError("backprop.neuron_forward_backward")


# %% [markdown]
# ## backprop.Value
#
# A `Value` is one node of a computation graph: its number `data`, the gradient `grad` that
# `backward()` fills in, the nodes it was computed from (`_parents`) and the local derivative of
# its data with respect to each of them (`_local_grads`). Every operation computes the new number
# *and* those local derivatives, for example `c = a * b` stores `(b.data, a.data)`, and
# `t = a.tanh()` stores `1 - t²`. Python numbers are wrapped in new leaf nodes, and the reflected
# methods (`__radd__`, `__rsub__`, `__rtruediv__`, ...) make `2 - v` and `1 / v` work; for the
# non-commutative ones the order matters: `2 - v` is `Value(2) - v`, not `v - 2`.
#
# `backward()` on a node `v`:
#
# 1. Collect every node `v` depends on in **topological order** (each node after its parents),
#    with an explicit stack: a recursive depth-first search would exceed Python's recursion limit
#    (about 1,000 frames) on a chain of 10,000 nodes.
# 2. Reset the gradient of every *non-leaf* node found to 0, then set `v.grad = 1` (`dv/dv`).
#    Leaves keep what they hold, so their gradients accumulate across calls as in PyTorch, while
#    an intermediate node never carries a stale gradient from an earlier call into this one
#    (micrograd omits this reset, so a second call double-counts through shared nodes).
# 3. Walk the order backwards: when a node is reached, its gradient is complete (every node that
#    uses it has already been processed), so add `local × node.grad` to each parent's gradient.
#    Use `+=`: a node used twice (`a * a`, or `x` in `x + f(x)`) must receive the sum of both
#    contributions, and `=` would keep only the last one.
#
# `Value` はグラフの 1 つのノードです。持っているのは数値 `data`、`backward()` が書き込む勾配
# `grad`、自分を計算するのに使ったノード(`_parents`)、そしてそれぞれのノードに関する自分の
# 値の局所的な微分(`_local_grads`)です。各演算は新しい数値*と*その局所的な微分を計算します。
# たとえば `c = a * b` は `(b.data, a.data)` を、`t = a.tanh()` は `1 - t²` を保存します。
# Python の数値は新しい葉ノードに包みます。`__radd__`、`__rsub__`、`__rtruediv__` などの反射
# メソッドを定義すると `2 - v` や `1 / v` が動くようになります。可換でない演算では順序が重要で、
# `2 - v` は `v - 2` ではなく `Value(2) - v` です。
#
# ノード `v` の `backward()` の手順は次のとおりです。
#
# 1. `v` が依存するすべてのノードを**トポロジカル順序**(どのノードも親より後)で集めます。明示的な
#    スタックを使ってください。再帰による深さ優先探索では、長さ 10,000 の鎖で Python の再帰の上限
#    (約 1,000 段)を超えてしまいます。
# 2. 見つかった*葉でない*ノードの勾配をすべて 0 に戻してから、`v.grad = 1`(`dv/dv`)とします。
#    葉ノードの値はそのまま残すので、PyTorch と同じく葉の勾配は呼び出しをまたいで蓄積されます。
#    一方、途中のノードが以前の呼び出しの古い勾配を今回に持ち込むことはありません(micrograd は
#    このリセットを省いているため、2 回目の呼び出しで共有ノードを通る寄与が二重に数えられます)。
# 3. 順序を逆向きにたどります。あるノードに来た時点で、それを使うノードはすべて処理済みなので、
#    そのノードの勾配は完成しています。各親の勾配に `局所微分 × node.grad` を加えます。`+=` を
#    使ってください。2 回使われたノード(`a * a` や、`x + f(x)` の `x`)には両方の寄与の和が
#    届く必要があり、`=` では最後の 1 つしか残りません。

# %%
class Value:
    """A scalar node of a computation graph with reverse-mode automatic differentiation.

    ``Value(data)`` builds a *leaf* from a real number. Attributes: ``data`` (a Python float,
    ``float(data)``) and ``grad`` (a Python float, ``0.0`` until ``backward()`` writes to it).
    Operations build new nodes: ``+ - * /`` with another ``Value`` or a Python number on either
    side (``2 - v``, ``1 / v``, ``v * 3``), unary ``-v``, ``v ** k`` for a numeric constant ``k``
    (int or float), and the methods ``exp()``, ``log()``, ``tanh()``, ``sigmoid()`` and
    ``relu()`` (whose derivative is 0 at 0). ``log`` of a non-positive number and a negative base
    with a non-integer ``k`` raise ``ValueError`` (from ``math``); ``exp`` may overflow like
    ``math.exp`` (``OverflowError``).

    ``v.backward()`` sets ``v.grad = 1.0`` and fills the ``grad`` of every node ``v`` depends on
    with ``d v / d node``; a node used several times receives the sum over all paths. It works
    for graphs of any depth (an explicit stack, no recursion). Leaves accumulate across calls, as
    in PyTorch: a second ``backward()`` adds to their ``grad``. Every non-leaf node the call
    reaches is reset first, so it holds ``d v / d node`` of this call only and a second call never
    double-counts through shared intermediate nodes; nodes the call does not reach are left alone.

    計算グラフのスカラーのノードで、リバースモードの自動微分を行います。``Value(data)`` は実数から
    *葉*ノードを作ります。属性は ``data``(Python の float、``float(data)``)と ``grad``(Python の
    float で、``backward()`` が書き込むまでは ``0.0``)です。演算は新しいノードを作ります。別の
    ``Value`` または Python の数値(左右どちらでも可、``2 - v``、``1 / v``、``v * 3``)との
    ``+ - * /``、単項の ``-v``、数値の定数 ``k``(int または float)による ``v ** k``、そして
    メソッド ``exp()``、``log()``、``tanh()``、``sigmoid()``、``relu()``(0 での微分は 0)です。
    0 以下の数の ``log`` や、負の底と整数でない ``k`` の組み合わせは(``math`` による)
    ``ValueError`` になり、``exp`` は ``math.exp`` と同じくオーバーフローすることがあります
    (``OverflowError``)。

    ``v.backward()`` は ``v.grad = 1.0`` とし、``v`` が依存するすべてのノードの ``grad`` に
    ``d v / d node`` を書き込みます。複数回使われたノードにはすべての経路の和が入ります。どんな
    深さのグラフでも動きます(再帰ではなく明示的なスタックを使います)。PyTorch と同じく、葉ノードは
    呼び出しをまたいで蓄積します。2 回目の ``backward()`` はその ``grad`` に加算します。呼び出しが
    到達した葉でないノードは最初にリセットされるので、その呼び出しの ``d v / d node`` だけを持ち、
    2 回目の呼び出しで共有された途中のノードを通る寄与が二重に数えられることはありません。
    呼び出しが到達しないノードには触れません。
    """

    def __init__(self, data):
        """A leaf holding ``float(data)`` with ``grad = 0.0``. / ``float(data)`` を持ち ``grad = 0.0`` の葉ノード。"""
        raise NotImplementedError("backprop.__init__")

    def __repr__(self):
        return f"Value(data={self.data!r}, grad={self.grad!r})"

    def __add__(self, other):
        """``self + other``. / ``self + other`` です。"""
        raise NotImplementedError("backprop.__add__")

    def __radd__(self, other):
        """``other + self`` for a number ``other``. / 数値 ``other`` との ``other + self`` です。"""
        raise NotImplementedError("backprop.__radd__")

    def __neg__(self):
        """``-self``. / ``-self`` です。"""
        raise NotImplementedError("backprop.__neg__")

    def __sub__(self, other):
        """``self - other``. / ``self - other`` です。"""
        raise NotImplementedError("backprop.__sub__")

    def __rsub__(self, other):
        """``other - self`` for a number ``other`` (not ``self - other``). / 数値 ``other`` との ``other - self`` です(``self - other`` ではありません)。"""
        raise NotImplementedError("backprop.__rsub__")

    def __mul__(self, other):
        """``self * other``. / ``self * other`` です。"""
        raise NotImplementedError("backprop.__mul__")

    def __rmul__(self, other):
        """``other * self`` for a number ``other``. / 数値 ``other`` との ``other * self`` です。"""
        raise NotImplementedError("backprop.__rmul__")

    def __truediv__(self, other):
        """``self / other``. / ``self / other`` です。"""
        raise NotImplementedError("backprop.__truediv__")

    def __rtruediv__(self, other):
        """``other / self`` for a number ``other`` (not ``self / other``). / 数値 ``other`` との ``other / self`` です(``self / other`` ではありません)。"""
        raise NotImplementedError("backprop.__rtruediv__")

    def __pow__(self, k):
        """``self ** k`` for a numeric constant ``k``. / 数値の定数 ``k`` による ``self ** k`` です。"""
        raise NotImplementedError("backprop.__pow__")

    def exp(self):
        """``e ** self``. / ``e ** self`` です。"""
        raise NotImplementedError("backprop.exp")

    def log(self):
        """Natural logarithm of ``self``. / ``self`` の自然対数です。"""
        raise NotImplementedError("backprop.log")

    def tanh(self):
        """Hyperbolic tangent of ``self``. / ``self`` の双曲線正接です。"""
        raise NotImplementedError("backprop.tanh")

    def sigmoid(self):
        """Logistic sigmoid of ``self``, without overflow. / ``self`` のシグモイドです(オーバーフローしません)。"""
        raise NotImplementedError("backprop.sigmoid")

    def relu(self):
        """``max(self, 0)``, with derivative 0 at 0. / ``max(self, 0)`` です(0 での微分は 0)。"""
        raise NotImplementedError("backprop.relu")

    def backward(self):
        """Fill ``grad`` of every node this one depends on with ``d self / d node``. / このノードが依存するすべてのノードの ``grad`` に ``d self / d node`` を書き込みます。"""
        raise NotImplementedError("backprop.backward")


# %% [markdown]
# ## backprop.mlp_loss_and_grads
#
# Forward, with the shape of every array: `z1 = X W1 + b1` `(N, H)`, `h = relu(z1)` `(N, H)`,
# `logits = h W2 + b2` `(N, C)`, `p = softmax(logits)` row by row, loss `= mean_n(-log p[n, y_n])`.
# Backward, one layer at a time:
#
# - `dlogits = (p - onehot(y)) / N` `(N, C)`: softmax with cross-entropy, divided by `N` because
#   of the mean.
# - `dW2 = hᵀ dlogits` `(H, C)`, `db2 = Σ_n dlogits` `(C,)` (the bias is added to every row, so its
#   gradient sums over the rows), `dh = dlogits W2ᵀ` `(N, H)`.
# - `dz1 = dh ⊙ [z1 > 0]`: ReLU passes the gradient where it was active and blocks it elsewhere,
#   including exactly at 0 (the convention of PyTorch).
# - `dW1 = Xᵀ dz1` `(D, H)`, `db1 = Σ_n dz1` `(H,)`.
#
# Every gradient has the shape of its parameter, which is a quick check on each product: the
# transposes go where the shapes force them. The loss uses a log-softmax shifted by the row
# maximum, as in the cross_entropy topic.
#
# 順伝播を、各配列の形とともに書きます。`z1 = X W1 + b1` `(N, H)`、`h = relu(z1)` `(N, H)`、
# `logits = h W2 + b2` `(N, C)`、行ごとに `p = softmax(logits)`、損失 `= mean_n(-log p[n, y_n])`
# です。逆伝播は 1 層ずつ進めます。
#
# - `dlogits = (p - onehot(y)) / N` `(N, C)`: ソフトマックスと交差エントロピーの組み合わせで、
#   平均をとっているので `N` で割ります。
# - `dW2 = hᵀ dlogits` `(H, C)`、`db2 = Σ_n dlogits` `(C,)`(バイアスはすべての行に足されるので、
#   勾配は行について和をとります)、`dh = dlogits W2ᵀ` `(N, H)`。
# - `dz1 = dh ⊙ [z1 > 0]`: ReLU は活性だった場所では勾配を通し、それ以外では止めます。ちょうど 0 の
#   場所でも止めます(PyTorch と同じ約束です)。
# - `dW1 = Xᵀ dz1` `(D, H)`、`db1 = Σ_n dz1` `(H,)`。
#
# どの勾配もそのパラメータと同じ形になるので、各行列積の確認に使えます。転置は形の都合で必要な
# 場所に自然に入ります。損失は、交差エントロピーのトピックと同じく行ごとの最大値でずらした
# log-softmax で計算します。

# %%
def mlp_loss_and_grads(X, y, params):
    """Mean softmax cross-entropy of a two-layer ReLU network and its gradients.

    ``X`` is an array-like ``(N, D)`` with ``N >= 1``, ``y`` integer class labels ``(N,)`` in
    ``0..C-1``, and ``params`` a dict with ``"W1" (D, H)``, ``"b1" (H,)``, ``"W2" (H, C)`` and
    ``"b2" (C,)`` (other keys are ignored). The network computes ``h = relu(X @ W1 + b1)`` and
    ``logits = h @ W2 + b2``; the loss is the mean over the rows of ``-log softmax(logits)[n, y_n]``
    (computed stably). Returns ``(loss, grads)``: ``loss`` a Python float and ``grads`` a dict
    with the keys ``"W1", "b1", "W2", "b2"`` holding float64 arrays of the parameters' shapes. The
    derivative of ReLU at exactly 0 is taken as 0. Raises ``ValueError`` (naming the shapes or
    the label) for inconsistent shapes or a label outside ``0..C-1``. Inputs are not modified.

    2 層の ReLU ネットワークの平均ソフトマックス交差エントロピーと、その勾配を求めます。``X`` は
    ``N >= 1`` の array-like ``(N, D)``、``y`` は ``0..C-1`` の整数のクラスラベル ``(N,)``、
    ``params`` は ``"W1" (D, H)``、``"b1" (H,)``、``"W2" (H, C)``、``"b2" (C,)`` を持つ辞書です
    (ほかのキーは無視します)。ネットワークは ``h = relu(X @ W1 + b1)``、
    ``logits = h @ W2 + b2`` を計算し、損失は各行の ``-log softmax(logits)[n, y_n]`` の平均です
    (安定に計算します)。戻り値は ``(loss, grads)`` で、``loss`` は Python の float、``grads`` は
    キー ``"W1", "b1", "W2", "b2"`` にパラメータと同じ形の float64 配列を持つ辞書です。ちょうど 0
    における ReLU の微分は 0 とします。形が食い違う場合や ``0..C-1`` の外のラベルがある場合は、
    形やラベルを示して ``ValueError`` を送出します。入力は変更しません。
    """
    raise NotImplementedError("backprop.mlp_loss_and_grads")


# %% [markdown]
# ## backprop.sgd_step
#
# Stochastic gradient descent moves every parameter a small step against its gradient:
# `θ ← θ - lr · ∇θ`. Return *new* arrays in a *new* dict. `params[k] -= lr * grads[k]` changes the
# caller's arrays in place, and so does the same line after `new = params.copy()`, because
# `dict.copy()` copies the dict, not the arrays it holds.
#
# 確率的勾配降下法は、すべてのパラメータを勾配と逆向きに少しだけ動かします:
# `θ ← θ - lr · ∇θ`。*新しい*辞書に*新しい*配列を入れて返してください。
# `params[k] -= lr * grads[k]` は呼び出し側の配列をその場で書き換えてしまいます。`new = params.copy()`
# の後に同じ行を書いても同じです。`dict.copy()` がコピーするのは辞書であって、中の配列では
# ないからです。

# %%
def sgd_step(params, grads, lr):
    """One plain gradient-descent step: a new dict ``{k: params[k] - lr * grads[k]}``.

    ``params`` and ``grads`` are dicts of array-likes (or numbers); ``grads`` has every key of
    ``params`` with the same shapes, and ``lr`` is the learning rate (a real number). Returns a new
    dict with the keys of ``params``, each holding a new float64 array (a NumPy float for scalar
    entries). Neither the dicts nor the arrays passed in are modified.

    素朴な勾配降下法の 1 ステップを行い、新しい辞書 ``{k: params[k] - lr * grads[k]}`` を
    返します。``params`` と ``grads`` は array-like(または数値)の辞書で、``grads`` は ``params``
    のすべてのキーを同じ形で持ちます。``lr`` は学習率(実数)です。戻り値は ``params`` と同じ
    キーを持つ新しい辞書で、各値は新しい float64 配列です(スカラーの値には NumPy の float)。
    渡された辞書も配列も変更しません。
    """
    raise NotImplementedError("backprop.sgd_step")


# %% [markdown]
# ## backprop.adamw_step
#
# Adam keeps two running averages per parameter: `m` of the gradient (momentum) and `v` of its
# square (a per-element scale). Both start at 0, so early on they are biased towards 0; dividing by
# `1 - β^t` (with `t` the number of the step being taken, starting at 1) corrects that. The update
# is `lr · m̂ / (√v̂ + ε)`: each element moves by about `lr`, whatever the size of its gradient.
#
# **AdamW** applies weight decay *separately*: first `θ ← θ (1 - lr · wd)`, then the Adam update.
# Adding `wd · θ` to the gradient instead (plain L2 regularisation) lets Adam's scaling shrink the
# decay of parameters with large gradients; the decoupled form decays every weight at the same
# rate. This is exactly `torch.optim.AdamW.step()`:
#
# ```
# t = step + 1
# θ = θ (1 - lr wd)
# m = β1 m + (1 - β1) g ;  v = β2 v + (1 - β2) g²
# θ = θ - lr · (m / (1 - β1^t)) / (√(v / (1 - β2^t)) + ε)
# ```
#
# Adam はパラメータごとに 2 つの移動平均を持ちます。勾配の平均 `m`(モーメンタム)と、勾配の 2 乗の
# 平均 `v`(要素ごとのスケール)です。どちらも 0 から始まるので、初めのうちは 0 の方に偏って
# います。`1 - β^t`(`t` は今から行うステップの番号で 1 から始まります)で割ってこの偏りを補正
# します。更新量は `lr · m̂ / (√v̂ + ε)` で、勾配の大きさにかかわらず各要素はおよそ `lr` だけ動きます。
#
# **AdamW** は重み減衰を*分離して*適用します。まず `θ ← θ (1 - lr · wd)` とし、その後で Adam の更新を
# 行います。代わりに `wd · θ` を勾配に足す(普通の L2 正則化)と、勾配の大きなパラメータほど Adam
# のスケーリングによって減衰が弱められてしまいます。分離した形ではすべての重みが同じ割合で減衰
# します。これは `torch.optim.AdamW.step()` とまったく同じ計算です(上の式を参照)。

# %%
def adamw_step(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    """One ``torch.optim.AdamW`` step for one parameter array, without modifying the inputs.

    ``param`` and ``grad`` are array-likes of one shape (or numbers); ``state`` is the dict
    ``{"step": int, "m": array, "v": array}`` of the steps taken so far and the running averages
    (start with ``{"step": 0, "m": zeros, "v": zeros}``). With ``t = state["step"] + 1``,
    ``beta1, beta2 = betas``: ``param * (1 - lr * weight_decay)`` first (decoupled weight decay),
    then ``m = beta1 m + (1 - beta1) grad``, ``v = beta2 v + (1 - beta2) grad**2`` and
    ``param - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)``. Returns
    ``(new_param, new_state)``: a float64 array of ``param``'s shape and a new dict
    ``{"step": t, "m": new m, "v": new v}`` (``t`` a Python int, ``m`` and ``v`` new float64
    arrays). ``param``, ``grad`` and ``state`` (and the arrays in it) are not modified.

    1 つのパラメータ配列について ``torch.optim.AdamW`` の 1 ステップを、入力を変更せずに行います。
    ``param`` と ``grad`` は同じ形の array-like(または数値)、``state`` はこれまでのステップ数と
    移動平均を表す辞書 ``{"step": int, "m": 配列, "v": 配列}`` です(最初は
    ``{"step": 0, "m": 0 の配列, "v": 0 の配列}``)。``t = state["step"] + 1``、
    ``beta1, beta2 = betas`` として、まず ``param * (1 - lr * weight_decay)``(分離された重み減衰)
    を計算し、次に ``m = beta1 m + (1 - beta1) grad``、``v = beta2 v + (1 - beta2) grad**2``、
    ``param - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)`` を計算します。戻り値は
    ``(new_param, new_state)`` で、``param`` と同じ形の float64 配列と、新しい辞書
    ``{"step": t, "m": 新しい m, "v": 新しい v}``(``t`` は Python の int、``m`` と ``v`` は新しい
    float64 配列)です。``param``、``grad``、``state``(とその中の配列)は変更しません。
    """
    raise NotImplementedError("backprop.adamw_step")


# %% [markdown]
# ## backprop.accumulated_gradient
#
# When a batch does not fit in memory, split it into micro-batches, compute each one's gradient
# and combine them before a single update. `grad_fn` returns the gradient of the *mean* loss over
# its micro-batch, so micro-batch `b` with `n_b` rows stands for `n_b` samples: the full-batch mean
# is the **weighted** mean `Σ_b n_b g_b / N`. The plain mean of the micro-batch gradients is right
# only when every micro-batch has the same size; the last one is often smaller. (In PyTorch the
# same rule appears as scaling each micro-batch's loss by `n_b / N` before `backward()`, so that the
# gradients accumulated in `.grad` add up to the full-batch gradient.)
#
# バッチがメモリに載らないときは、マイクロバッチに分けてそれぞれの勾配を計算し、1 回の更新の前に
# まとめます。`grad_fn` はマイクロバッチの*平均*損失の勾配を返すので、`n_b` 行のマイクロバッチ `b`
# は `n_b` 個のサンプルを代表しています。バッチ全体の平均は**重み付き**平均 `Σ_b n_b g_b / N` です。
# マイクロバッチの勾配の単純な平均が正しいのは、すべてのマイクロバッチが同じ大きさのときだけで、
# 最後のマイクロバッチはしばしば小さくなります。(PyTorch では、`backward()` の前に各マイクロ
# バッチの損失を `n_b / N` 倍しておき、`.grad` に蓄積された勾配の合計がバッチ全体の勾配になる
# ようにする、という形で同じ規則が現れます。)

# %%
def accumulated_gradient(grad_fn, params, X, y, micro_batch_size):
    """The gradient of the mean loss over the whole batch, from micro-batch gradients.

    ``grad_fn(params, Xb, yb)`` returns a dict of gradients (arrays or numbers) of the *mean* loss
    over the micro-batch ``(Xb, yb)``. ``X`` and ``y`` are array-likes with the same number ``N``
    of rows (``N >= 1``), and ``micro_batch_size`` a positive integer. ``grad_fn`` is called once
    per consecutive micro-batch ``X[i:i + micro_batch_size]``, ``y[i:i + micro_batch_size]``, for
    ``i = 0, micro_batch_size, 2 * micro_batch_size, ...`` in order (the last one may be smaller),
    with ``params`` passed through unchanged. Returns a new dict with ``grad_fn``'s keys holding
    the weighted mean ``sum_b n_b * g_b / N`` (``n_b`` rows in micro-batch ``b``) as float64
    arrays (NumPy floats for scalar gradients). Raises ``ValueError`` when ``micro_batch_size`` is
    not a positive integer, when ``X`` has no rows, or when ``X`` and ``y`` have different
    numbers of rows. Inputs are not modified.

    マイクロバッチの勾配から、バッチ全体の平均損失の勾配を求めます。``grad_fn(params, Xb, yb)``
    はマイクロバッチ ``(Xb, yb)`` の*平均*損失の勾配を(配列または数値の)辞書で返します。``X`` と
    ``y`` は行数 ``N`` が等しい array-like(``N >= 1``)、``micro_batch_size`` は正の整数です。
    ``grad_fn`` は連続するマイクロバッチ ``X[i:i + micro_batch_size]``、``y[i:i + micro_batch_size]``
    (``i = 0, micro_batch_size, 2 * micro_batch_size, ...``)ごとに順番に 1 回ずつ呼ばれ(最後の
    マイクロバッチは小さいことがあります)、``params`` はそのまま渡されます。戻り値は ``grad_fn``
    と同じキーを持つ新しい辞書で、重み付き平均 ``sum_b n_b * g_b / N``(``n_b`` はマイクロバッチ
    ``b`` の行数)を float64 配列(スカラーの勾配には NumPy の float)で持ちます。
    ``micro_batch_size`` が正の整数でない場合、``X`` に行がない場合、``X`` と ``y`` の行数が
    異なる場合は ``ValueError`` を送出します。入力は変更しません。
    """
    raise NotImplementedError("backprop.accumulated_gradient")


# %% [markdown]
# ## backprop.warmup_cosine_lr
#
# Large models are trained with a learning rate that first **warms up** linearly from 0 (the Adam
# statistics are still unreliable in the first steps, and a full-size step can wreck a freshly
# initialised network), then **decays** along half a cosine from `base_lr` to `min_lr`, and stays
# at `min_lr` afterwards:
#
# - `step < warmup_steps`: `base_lr · step / warmup_steps` (so step 0 uses `lr = 0`);
# - `warmup_steps ≤ step ≤ total_steps`: `min_lr + (base_lr - min_lr) · ½ (1 + cos(π p))` with
#   progress `p = (step - warmup_steps) / (total_steps - warmup_steps)` running from 0 to 1 (when
#   the two are equal, the single step left is `base_lr`);
# - `step > total_steps`: `min_lr`.
#
# The progress is measured from the end of the warmup, not from step 0; otherwise the schedule
# jumps down at the end of the warmup and never reaches `min_lr` at `total_steps`.
#
# 大規模なモデルの学習では、学習率をまず 0 から線形に**ウォームアップ**し(最初の数ステップでは
# Adam の統計量がまだ信頼できず、初期化したばかりのネットワークに全力のステップを加えると壊れて
# しまうことがあります)、次にコサインの半周期に沿って `base_lr` から `min_lr` まで**減衰**させ、
# その後は `min_lr` のままにします(式は上のとおりです。ステップ 0 では `lr = 0` になります)。
#
# 進み具合 `p` はステップ 0 からではなくウォームアップの終わりから測ります。そうしないと、
# ウォームアップの終わりで学習率が不連続に下がり、`total_steps` で `min_lr` に届きません。

# %%
def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    """Learning rate at ``step`` for a linear warmup followed by cosine decay.

    ``step``, ``warmup_steps`` and ``total_steps`` are integers, ``base_lr`` and ``min_lr`` real
    numbers. Returns a Python float: ``base_lr * step / warmup_steps`` while
    ``step < warmup_steps``; ``min_lr + (base_lr - min_lr) * 0.5 * (1 + cos(pi * (step -
    warmup_steps) / (total_steps - warmup_steps)))`` while ``warmup_steps <= step <= total_steps``
    (just ``base_lr`` when ``warmup_steps == total_steps``); ``min_lr`` for ``step > total_steps``.
    Raises ``ValueError``, naming the values, when ``step < 0``, ``warmup_steps < 0`` or
    ``total_steps < warmup_steps``.

    線形のウォームアップとそれに続くコサイン減衰における、``step`` での学習率を返します。
    ``step``、``warmup_steps``、``total_steps`` は整数、``base_lr`` と ``min_lr`` は実数です。
    戻り値は Python の float で、``step < warmup_steps`` の間は ``base_lr * step / warmup_steps``、
    ``warmup_steps <= step <= total_steps`` の間は ``min_lr + (base_lr - min_lr) * 0.5 * (1 +
    cos(pi * (step - warmup_steps) / (total_steps - warmup_steps)))``(``warmup_steps ==
    total_steps`` のときは ``base_lr``)、``step > total_steps`` では ``min_lr`` です。
    ``step < 0``、``warmup_steps < 0``、``total_steps < warmup_steps`` の場合は、値を示して
    ``ValueError`` を送出します。
    """
    raise NotImplementedError("backprop.warmup_cosine_lr")
