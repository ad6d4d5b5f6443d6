# Exercises of the topic `norms`: replace every `raise NotImplementedError` with your code.
# 課題 `norms`: `raise NotImplementedError` をあなたのコードに置き換えてください。
# (Generated from solutions/norms.py by `tensorkata build`.)

# %% [markdown]
# # Norms, similarity and normalization / ノルム・類似度・正規化
#
# A **norm** is a single non-negative number that measures how large a vector is. Training a
# language model uses norms all the time: gradient clipping limits the norm of the gradient,
# weight decay penalises the norm of the weights, cosine similarity compares embeddings once
# their norms are divided out, and every Transformer block normalizes its activations with
# layer normalization.
#
# - **The Lp family.** For $p \ge 1$, $\|x\|_p = (\sum_i |x_i|^p)^{1/p}$. $p = 1$ gives the sum
#   of absolute values (L1, "Manhattan"), $p = 2$ the Euclidean length (L2), and as
#   $p \to \infty$ the largest term wins, so $\|x\|_\infty = \max_i |x_i|$. Below $p = 1$ the
#   formula breaks the triangle inequality $\|x + y\| \le \|x\| + \|y\|$ and is no longer a norm,
#   which is why $p < 1$ is refused. The **Frobenius norm** of a matrix is the L2 norm of all of
#   its entries taken as one long vector.
# - **Reductions along axes.** A batch of vectors is an array, and we usually want one norm per
#   vector: `axis` names the axis (or tuple of axes) that is summed over, and `keepdims=True`
#   leaves each reduced axis in place with length 1, so that the result broadcasts against the
#   input (that is how `x / norm` divides every row by its own norm).
# - **Overflow and underflow.** The naive `sqrt(sum(x**2))` squares first. A float64 holds
#   numbers up to about `1.8e308`, so any $|x_i|$ above about `1.3e154` squares to `inf`, and
#   below about `1e-162` the square is rounded to 0, although the norm itself is an ordinary
#   number in both cases (the norm of `[1e300, 1e300]` is `1.414e300`). The cure is to factor
#   out the largest absolute value $m$ of the slice: $\|x\|_p = m\,\|x / m\|_p$. Every $x_i / m$
#   lies in $[-1, 1]$ and the largest is exactly 1, so the sum lies between 1 and $n$: nothing
#   overflows, and the entries that underflow are so much smaller than $m$ that they could not
#   change the result anyway. Two details matter: $m$ must be the maximum *of each slice being
#   reduced* (with a single global maximum, a slice of small entries next to a slice of huge ones
#   underflows to 0), and an all-zero slice has $m = 0$, where we divide by 1 instead of 0.
# - **Cosine similarity** $\cos\theta = a \cdot b / (\|a\|\,\|b\|)$ compares directions and
#   ignores lengths: 1 for the same direction, 0 for orthogonal vectors, -1 for opposite ones.
#   A zero vector has no direction, so torch clamps each norm from below,
#   $a \cdot b / (\max(\|a\|, \varepsilon) \max(\|b\|, \varepsilon))$, which makes the result 0
#   instead of `0 / 0 = nan`. **Normalizing** $x / \max(\|x\|_2, \varepsilon)$ gives unit vectors
#   the same way.
# - **Gradient clipping** treats the gradients of all parameters as one long vector: its total
#   L2 norm is $\sqrt{\sum_k \|g_k\|^2}$, and when it exceeds `max_norm` *every* gradient is
#   multiplied by the same factor `max_norm / (total + 1e-6)`. One common factor keeps the
#   direction of the update and only shortens it; clipping each array on its own would change
#   the direction. The total before clipping is returned because training scripts log it: a
#   spike in the gradient norm is often the first sign of a diverging run. torch's
#   `clip_grad_norm_` works in place (the trailing underscore), here we return new arrays.
# - **Layer normalization** standardizes each sample over its features (the last axis):
#   subtract the mean, divide by $\sqrt{\mathrm{var} + \varepsilon}$ with the *biased* variance
#   (divided by $D$, not $D - 1$), then scale and shift with the learned per-feature `gamma` and
#   `beta`. Unlike batch normalization, which averages over the batch axis, it treats every
#   sample (every token) on its own, so it behaves the same for any batch size. The
#   $\varepsilon$ goes *inside* the square root: it keeps a constant row (variance 0) finite.
#
# ---
#
# **ノルム**は、ベクトルの大きさを 1 つの非負の数で表したものです。言語モデルの学習ではノルムが
# いたるところで使われます。勾配クリッピングは勾配のノルムを制限し、重み減衰は重みのノルムに
# ペナルティを課し、コサイン類似度はノルムで割ったうえで埋め込みを比べ、Transformer の各ブロックは
# 層正規化で活性化を正規化します。
#
# - **Lp ノルムの族**:$p \ge 1$ に対して $\|x\|_p = (\sum_i |x_i|^p)^{1/p}$ です。$p = 1$ は絶対値の
#   和(L1、マンハッタン距離)、$p = 2$ はユークリッドの長さ(L2)で、$p \to \infty$ では最大の項が
#   支配的になるので $\|x\|_\infty = \max_i |x_i|$ です。$p < 1$ では三角不等式
#   $\|x + y\| \le \|x\| + \|y\|$ が成り立たなくなりノルムではなくなるため、$p < 1$ は受け付けません。
#   行列の**フロベニウスノルム**は、すべての成分を 1 本の長いベクトルとみなしたときの L2 ノルムです。
# - **軸に沿った縮約**:ベクトルのバッチは配列なので、ふつうはベクトルごとに 1 つのノルムを求めます。
#   `axis` は和をとる軸(または軸のタプル)を指定し、`keepdims=True` は縮約した軸を長さ 1 のまま
#   残します。こうすると結果が入力に対してブロードキャストでき、`x / norm` で各行をそれ自身の
#   ノルムで割れます。
# - **オーバーフローとアンダーフロー**:素朴な `sqrt(sum(x**2))` は先に 2 乗します。float64 が表せる
#   のは約 `1.8e308` までなので、$|x_i|$ が約 `1.3e154` を超えると 2 乗は `inf` になり、約 `1e-162`
#   より小さいと 2 乗は 0 に丸められます。どちらの場合もノルム自体はごく普通の数です
#   (`[1e300, 1e300]` のノルムは `1.414e300`)。対策は、スライスの絶対値の最大値 $m$ をくくり出す
#   ことです:$\|x\|_p = m\,\|x / m\|_p$。どの $x_i / m$ も $[-1, 1]$ に入り、最大のものはちょうど 1
#   なので、和は 1 以上 $n$ 以下です。何もオーバーフローせず、アンダーフローする成分は $m$ に比べて
#   小さすぎて、もともと結果を変えられません。大事な点が 2 つあります。$m$ は*縮約する各スライスの*
#   最大値でなければなりません(配列全体の最大値 1 つで割ると、巨大な値のスライスの隣にある小さな値
#   のスライスが 0 にアンダーフローします)。また、すべて 0 のスライスでは $m = 0$ なので、0 ではなく
#   1 で割ります。
# - **コサイン類似度** $\cos\theta = a \cdot b / (\|a\|\,\|b\|)$ は長さを無視して向きを比べます。
#   同じ向きなら 1、直交していれば 0、逆向きなら -1 です。ゼロベクトルには向きがないので、torch は
#   それぞれのノルムを下から抑え、$a \cdot b / (\max(\|a\|, \varepsilon) \max(\|b\|, \varepsilon))$
#   とします。こうすると結果は `0 / 0 = nan` ではなく 0 になります。**正規化**
#   $x / \max(\|x\|_2, \varepsilon)$ も同じやり方で単位ベクトルを作ります。
# - **勾配クリッピング**は、すべてのパラメータの勾配を 1 本の長いベクトルとして扱います。全体の L2
#   ノルムは $\sqrt{\sum_k \|g_k\|^2}$ で、これが `max_norm` を超えたら*すべての*勾配に同じ係数
#   `max_norm / (total + 1e-6)` を掛けます。共通の係数 1 つなら更新の向きは保たれ、長さだけが
#   縮みます。配列ごとに別々にクリップすると向きが変わってしまいます。クリップ前の全体ノルムを返す
#   のは、学習スクリプトがそれを記録するからです。勾配ノルムの急増は、学習が発散し始めた最初の
#   兆候であることがよくあります。torch の `clip_grad_norm_` はその場で書き換えます(末尾の
#   アンダースコアの意味)が、ここでは新しい配列を返します。
# - **層正規化(Layer Normalization)**は、各サンプルを特徴量(最後の軸)について標準化します。
#   平均を引き、*標本*分散ではなく $D$ で割る分散(偏りのある分散)を使って
#   $\sqrt{\mathrm{var} + \varepsilon}$ で割り、学習される特徴量ごとの `gamma` と `beta` で拡大と
#   平行移動をします。バッチの軸で平均するバッチ正規化と違い、サンプル(トークン)ごとに独立に
#   処理するので、バッチサイズによらず同じように振る舞います。$\varepsilon$ は平方根の*中*に
#   入れます。これで一定値の行(分散 0)でも有限の値になります。

# %%
import numpy as np

# %% [markdown]
# ## norms.l1_norm
#
# The sum of the absolute values along the reduced axes. `np.sum` already understands `axis`
# (`None`, an int or a tuple) and `keepdims`, and the sum of nothing is 0, so an empty input needs
# no special case. A sum of absolute values cannot overflow before the true result does.
#
# 縮約する軸に沿った絶対値の和です。`np.sum` は `axis`(`None`、整数、タプル)と `keepdims` をそのまま
# 扱え、空の和は 0 なので、空の入力に特別な処理は要りません。絶対値の和は、本当の結果がオーバー
# フローしない限りオーバーフローしません。

# %%
def l1_norm(x, axis=None, keepdims=False):
    """L1 norm: the sum of absolute values, over all elements or along ``axis``.

    ``x`` is an array-like of any shape (list, tuple, array, Python number). ``axis`` is ``None``
    (every element), an int, or a tuple of ints (negative ones count from the end), as in numpy.
    ``keepdims=True`` keeps every reduced axis with length 1. Returns a Python float (or numpy
    float64) when the result is a scalar, else a float64 array. An empty input (or an empty
    reduced axis) gives 0.0. An ``axis`` that ``x`` does not have raises numpy's ``AxisError``
    (a ``ValueError``). ``x`` is not modified.

    L1 ノルム、つまり絶対値の和を、全要素について、または ``axis`` に沿って求めます。``x`` は任意の
    形の array-like(リスト、タプル、配列、Python の数)です。``axis`` は numpy と同じく ``None``
    (全要素)、整数、または整数のタプル(負の値は末尾から数えます)です。``keepdims=True`` なら縮約
    した軸を長さ 1 で残します。結果がスカラーなら Python の float(または numpy の float64)を、
    そうでなければ float64 配列を返します。空の入力(または長さ 0 の軸での縮約)は 0.0 になります。
    ``x`` にない ``axis`` は numpy の ``AxisError``(``ValueError`` の一種)になります。``x`` は
    変更しません。
    """
    raise NotImplementedError("norms.l1_norm")


# %% [markdown]
# ## norms.l2_norm
#
# Never square the raw entries. Take the largest absolute value $m$ of every reduced slice
# (`keepdims=True`, so it broadcasts back; `initial=0.0`, so an empty slice has a maximum too),
# replace the zeros among them by 1, and compute $m \sqrt{\sum (x/m)^2}$. Each slice gets its own
# $m$: one global maximum would make a slice of small values underflow to 0.
#
# 成分をそのまま 2 乗してはいけません。縮約する各スライスの絶対値の最大値 $m$ を求め(ブロード
# キャストで戻せるよう `keepdims=True`、空のスライスにも最大値があるよう `initial=0.0`)、そのうち
# 0 のものを 1 に置き換えてから $m \sqrt{\sum (x/m)^2}$ を計算します。$m$ はスライスごとに別々です。
# 配列全体の最大値 1 つで割ると、小さな値のスライスが 0 にアンダーフローします。

# %%
def l2_norm(x, axis=None, keepdims=False):
    """Euclidean (L2) norm ``sqrt(sum x**2)``, over all elements or along ``axis``.

    ``x``, ``axis`` and ``keepdims`` are as in ``l1_norm`` (``axis``: ``None``, an int, or a tuple
    of ints). Returns a Python float (or numpy float64) when the result is a scalar, else a
    float64 array; an empty input gives 0.0. The result must neither overflow nor underflow: it is
    relatively exact (``rtol=1e-6``, no absolute slack) for finite entries with magnitudes from
    ``1e-300`` to ``1e300``, in any mixture. Squaring such entries directly gives ``inf`` or 0, so
    every slice is first divided by its own largest absolute value; an all-zero slice gives
    exactly 0.0, never NaN. ``x`` is not modified.

    ユークリッド(L2)ノルム ``sqrt(sum x**2)`` を、全要素について、または ``axis`` に沿って求めます。
    ``x``、``axis``、``keepdims`` は ``l1_norm`` と同じです(``axis`` は ``None``、整数、または整数
    のタプル)。結果がスカラーなら Python の float(または numpy の float64)を、そうでなければ float64
    配列を返し、空の入力は 0.0 になります。結果はオーバーフローもアンダーフローもしてはいけません。
    大きさが ``1e-300`` から ``1e300`` までの有限の成分が、どう混ざっていても相対的に正確
    (``rtol=1e-6``、絶対誤差の許容なし)でなければなりません。こうした成分をそのまま 2 乗すると
    ``inf`` や 0 になるので、各スライスをまずそれ自身の絶対値の最大値で割ります。すべて 0 の
    スライスはちょうど 0.0 になり、NaN にはなりません。``x`` は変更しません。
    """
    raise NotImplementedError("norms.l2_norm")


# %% [markdown]
# ## norms.linf_norm
#
# The largest absolute value. `np.max` has no answer for an empty slice (it raises), but a norm
# of nothing is 0, and since absolute values are never negative, `initial=0.0` supplies exactly
# that without changing any other result.
#
# 絶対値の最大値です。`np.max` は空のスライスに答えを持たず例外を送出しますが、何もないもののノルムは
# 0 です。絶対値は負にならないので、`initial=0.0` を渡せばほかの結果を変えずにちょうどその値が
# 得られます。

# %%
def linf_norm(x, axis=None, keepdims=False):
    """Infinity norm: the largest absolute value, over all elements or along ``axis``.

    ``x``, ``axis`` and ``keepdims`` are as in ``l1_norm``. Returns a Python float (or numpy
    float64) when the result is a scalar, else a float64 array. An empty input, or a reduction
    along an axis of length 0, gives 0.0 (the norm of an empty vector), not an error. ``x`` is not
    modified.

    無限大ノルム、つまり絶対値の最大値を、全要素について、または ``axis`` に沿って求めます。``x``、
    ``axis``、``keepdims`` は ``l1_norm`` と同じです。結果がスカラーなら Python の float(または
    numpy の float64)を、そうでなければ float64 配列を返します。空の入力や長さ 0 の軸に沿った縮約は、
    エラーではなく 0.0(空のベクトルのノルム)になります。``x`` は変更しません。
    """
    raise NotImplementedError("norms.linf_norm")


# %% [markdown]
# ## norms.lp_norm
#
# The same scaling as `l2_norm` with the power `p` instead of 2: $m\,(\sum (|x|/m)^p)^{1/p}$.
# Check `p` first (`p >= 1`; written as `not p >= 1` it also refuses NaN) and hand `p = inf` to
# `linf_norm`, the limit of the formula.
#
# `l2_norm` と同じスケーリングを、2 の代わりに指数 `p` で行います:$m\,(\sum (|x|/m)^p)^{1/p}$。
# まず `p` を確認し(`p >= 1`。`not p >= 1` と書けば NaN も拒否できます)、`p = inf` は式の極限である
# `linf_norm` に任せます。

# %%
def lp_norm(x, p, axis=None, keepdims=False):
    """Lp norm ``(sum |x|^p)^(1/p)`` for ``p >= 1``, over all elements or along ``axis``.

    ``x``, ``axis`` and ``keepdims`` are as in ``l1_norm``; ``p`` is a real number ``>= 1`` or
    ``inf`` (then the result is ``linf_norm``). Returns a Python float (or numpy float64) when the
    result is a scalar, else a float64 array; an empty input gives 0.0. Overflow-safe like
    ``l2_norm``: relatively exact (``rtol=1e-6``, no absolute slack) for entries with magnitudes
    from ``1e-300`` to ``1e300``, and an all-zero slice gives exactly 0.0. Raises ``ValueError``
    naming ``p`` when ``p < 1`` (also for ``-inf`` and NaN): below 1 the formula is not a norm.
    ``x`` is not modified.

    ``p >= 1`` の Lp ノルム ``(sum |x|^p)^(1/p)`` を、全要素について、または ``axis`` に沿って
    求めます。``x``、``axis``、``keepdims`` は ``l1_norm`` と同じで、``p`` は ``1`` 以上の実数または
    ``inf`` です(``inf`` なら結果は ``linf_norm`` です)。結果がスカラーなら Python の float(または
    numpy の float64)を、そうでなければ float64 配列を返し、空の入力は 0.0 になります。``l2_norm`` と
    同じくオーバーフローに対して安全で、大きさ ``1e-300`` から ``1e300`` の成分で相対的に正確
    (``rtol=1e-6``、絶対誤差の許容なし)、すべて 0 のスライスはちょうど 0.0 です。``p < 1``
    (``-inf`` と NaN も含みます)では ``p`` を示す ``ValueError`` を送出します。1 未満ではこの式は
    ノルムではありません。``x`` は変更しません。
    """
    raise NotImplementedError("norms.lp_norm")


# %% [markdown]
# ## norms.frobenius_norm
#
# The Frobenius norm is the L2 norm of all entries, so after checking that `A` is a matrix it is
# just `l2_norm(A)`, overflow safety included. (It is not the largest singular value, the
# spectral norm, and it is $\sqrt{\mathrm{tr}(A^\top A)}$, not $\sqrt{\mathrm{tr}(A A)}$.)
#
# フロベニウスノルムは全成分の L2 ノルムなので、`A` が行列であることを確かめたら `l2_norm(A)` を
# 返すだけで、オーバーフロー対策もそのまま付いてきます(最大特異値であるスペクトルノルムとは別物で、
# $\sqrt{\mathrm{tr}(A A)}$ ではなく $\sqrt{\mathrm{tr}(A^\top A)}$ です)。

# %%
def frobenius_norm(A):
    """Frobenius norm of a matrix: the square root of the sum of its squared entries.

    ``A`` is a 2-D array-like (nested lists or tuples, or an array), possibly with no entries
    (then 0.0). Returns a Python float, overflow-safe like ``l2_norm``: relatively exact for
    entries with magnitudes from ``1e-300`` to ``1e300``. Raises ``ValueError`` naming the shape
    when ``A`` is not 2-D. ``A`` is not modified.

    行列のフロベニウスノルム、つまり成分の 2 乗和の平方根です。``A`` は 2 次元の array-like(入れ子
    のリストやタプル、または配列)で、成分がなくても構いません(そのときは 0.0)。戻り値は Python の
    float で、``l2_norm`` と同じくオーバーフローに対して安全です(大きさ ``1e-300`` から ``1e300``
    の成分で相対的に正確)。``A`` が 2 次元でなければ、その形を示す ``ValueError`` を送出します。
    ``A`` は変更しません。
    """
    raise NotImplementedError("norms.frobenius_norm")


# %% [markdown]
# ## norms.cosine_similarity
#
# Broadcast `a` and `b` against each other first, as torch does, then take the dot product along
# the last axis and divide by the two norms, each clamped from below by `eps` on its own. A zero
# vector then gives `0 / eps**2 = 0`, never `0 / 0`.
#
# torch と同じく、まず `a` と `b` を互いにブロードキャストし、最後の軸に沿って内積をとり、それぞれ
# 別々に `eps` で下から抑えた 2 つのノルムで割ります。するとゼロベクトルは `0 / 0` ではなく
# `0 / eps**2 = 0` になります。

# %%
def cosine_similarity(a, b, eps=1e-8):
    """Cosine similarity along the last axis, with broadcasting (torch's convention).

    ``a`` and ``b`` are array-likes with at least one axis whose shapes broadcast, as in
    ``torch.nn.functional.cosine_similarity(a, b, dim=-1, eps=eps)``: they are broadcast against
    each other first (a last axis of length 1 is repeated too), then every pair of vectors along
    the last axis gives ``a.b / (max(|a|, eps) * max(|b|, eps))``, each norm clamped separately.
    A zero vector gives 0, never NaN. Returns a Python float for two vectors, else a float64 array
    of the broadcast shape without the last axis. No overflow safety is required (tests keep
    ``|a|`` and ``|b|`` far below ``1e150``). Shapes that do not broadcast raise ``ValueError``.
    Inputs are not modified.

    最後の軸に沿ったコサイン類似度を、ブロードキャスト付きで求めます(torch の規約)。``a`` と ``b``
    は軸を 1 つ以上持ち、形が互いにブロードキャストできる array-like で、
    ``torch.nn.functional.cosine_similarity(a, b, dim=-1, eps=eps)`` と同じ扱いです。まず互いに
    ブロードキャストし(長さ 1 の最後の軸も繰り返されます)、最後の軸に沿ったベクトルの組ごとに
    ``a.b / (max(|a|, eps) * max(|b|, eps))`` を求めます。2 つのノルムはそれぞれ別々に下から抑えます。
    ゼロベクトルは NaN ではなく 0 になります。ベクトル 2 つなら Python の float を、そうでなければ
    ブロードキャスト後の形から最後の軸を除いた形の float64 配列を返します。オーバーフロー対策は
    要求しません(テストでは ``|a|`` と ``|b|`` は ``1e150`` よりずっと小さい値です)。ブロード
    キャストできない形は ``ValueError`` になります。入力は変更しません。
    """
    raise NotImplementedError("norms.cosine_similarity")


# %% [markdown]
# ## norms.normalize
#
# Divide by the norm along `axis`, computed with `keepdims=True` so it broadcasts back, and
# clamped from below by `eps`: `x / max(|x|, eps)`. Adding `eps` to the norm instead would change
# every result slightly and small vectors a lot.
#
# `axis` に沿ったノルムで割ります。ノルムはブロードキャストで戻せるよう `keepdims=True` で求め、
# `eps` で下から抑えます:`x / max(|x|, eps)`。ノルムに `eps` を足すやり方では、すべての結果が
# わずかに変わり、小さなベクトルでは大きく変わってしまいます。

# %%
def normalize(x, axis=-1, eps=1e-12):
    """Scale the vectors along ``axis`` to unit L2 length, as ``torch.nn.functional.normalize``.

    ``x`` is an array-like with at least one axis and ``axis`` an int. Returns a new float64
    array of ``x``'s shape, ``x / max(|x|_2, eps)`` with the L2 norm taken along ``axis``: a
    vector whose norm is below ``eps`` is divided by ``eps`` (so a zero vector stays zero, never
    NaN). No overflow safety is required (tests keep entries far below ``1e150``). An ``axis``
    that ``x`` does not have raises numpy's ``AxisError`` (a ``ValueError``). ``x`` is not
    modified.

    ``axis`` に沿ったベクトルを L2 の長さ 1 に縮尺します(``torch.nn.functional.normalize`` と同じ)。
    ``x`` は軸を 1 つ以上持つ array-like、``axis`` は整数です。戻り値は ``x`` と同じ形の新しい
    float64 配列 ``x / max(|x|_2, eps)`` で、L2 ノルムは ``axis`` に沿って求めます。ノルムが ``eps``
    より小さいベクトルは ``eps`` で割ります(ゼロベクトルは NaN にならず 0 のままです)。オーバー
    フロー対策は要求しません(テストの成分は ``1e150`` よりずっと小さい値です)。``x`` にない
    ``axis`` は numpy の ``AxisError``(``ValueError`` の一種)になります。``x`` は変更しません。
    """
    raise NotImplementedError("norms.normalize")


# %% [markdown]
# ## norms.clip_grad_norm
#
# The total norm of several arrays is the norm of their individual norms, $\sqrt{\sum_k
# \|g_k\|^2}$. Compute one factor `min(1, max_norm / (total + 1e-6))` and multiply every array by
# it, creating new arrays (`g * factor`, never `g *= factor`, which would overwrite the caller's
# gradients).
#
# 複数の配列全体のノルムは、各配列のノルムのノルム $\sqrt{\sum_k \|g_k\|^2}$ です。係数
# `min(1, max_norm / (total + 1e-6))` を 1 つ求めてすべての配列に掛け、新しい配列を作ります
# (`g * factor` とし、呼び出し側の勾配を上書きしてしまう `g *= factor` は使いません)。

# %%
def clip_grad_norm(grads, max_norm):
    """Clip a list of gradients by their total L2 norm, as ``torch.nn.utils.clip_grad_norm_``.

    ``grads`` is a list of array-likes of any shapes and ``max_norm`` a positive number. The total
    norm is the L2 norm of all entries of all arrays together, ``sqrt(sum_k |g_k|^2)``. Every
    array is multiplied by the same factor ``min(1, max_norm / (total + 1e-6))`` (torch's rule:
    arrays are unchanged when ``total`` is small enough). Returns ``(clipped, total)``: a list of
    new float64 arrays of the input shapes, in order, and the total norm *before* clipping as a
    float. An empty list gives ``([], 0.0)``. The input arrays are never modified (tests keep
    ``total`` more than ``1e-5`` away from ``max_norm``, where the two rules of rounding could
    disagree).

    勾配のリストを全体の L2 ノルムでクリップします(``torch.nn.utils.clip_grad_norm_`` と同じ)。
    ``grads`` は任意の形の array-like のリスト、``max_norm`` は正の数です。全体のノルムは、すべての
    配列のすべての成分をまとめた L2 ノルム ``sqrt(sum_k |g_k|^2)`` です。すべての配列に同じ係数
    ``min(1, max_norm / (total + 1e-6))`` を掛けます(torch の規則です。``total`` が十分小さければ
    配列は変わりません)。戻り値は ``(clipped, total)`` で、入力と同じ形・同じ順の新しい float64 配列
    のリストと、*クリップ前の*全体ノルム(float)です。空のリストは ``([], 0.0)`` になります。入力の
    配列は決して変更しません(テストでは ``total`` と ``max_norm`` の差を ``1e-5`` より大きくし、
    丸めの違いで判定が分かれないようにしています)。
    """
    raise NotImplementedError("norms.clip_grad_norm")


# %% [markdown]
# ## norms.layer_norm
#
# Statistics over the last axis only, one mean and one variance per sample: `keepdims=True` keeps
# them broadcastable. The biased variance is the mean of the squared deviations (divide by `D`,
# `np.var`'s default `ddof=0`, and what torch uses), and `eps` is added before the square root.
#
# 統計量は最後の軸だけで求め、サンプルごとに平均と分散を 1 つずつ持ちます。`keepdims=True` で
# ブロードキャストできる形に保ちます。偏りのある分散は偏差の 2 乗の平均で(`D` で割ります。
# `np.var` の既定の `ddof=0` で、torch も同じです)、`eps` は平方根をとる前に足します。

# %%
def layer_norm(x, gamma, beta, eps=1e-5):
    """Layer normalization over the last axis, as ``torch.nn.functional.layer_norm``.

    ``x`` is an array-like of shape ``(..., D)`` (a single ``(D,)`` vector included); ``gamma`` and
    ``beta`` have shape ``(D,)``. Every vector along the last axis becomes
    ``(x - mean) / sqrt(var + eps) * gamma + beta``, where ``mean`` and the biased variance ``var``
    (divided by ``D``, not ``D - 1``) are taken over that vector alone. A constant vector gives
    ``beta`` (no NaN, thanks to ``eps``). Returns a new float64 array of ``x``'s shape. Raises
    ``ValueError`` naming the shapes when ``x`` is 0-d or ``gamma`` / ``beta`` are not ``(D,)``
    (torch raises a ``RuntimeError`` there). Inputs are not modified.

    最後の軸についての層正規化です(``torch.nn.functional.layer_norm`` と同じ)。``x`` は形
    ``(..., D)`` の array-like(``(D,)`` のベクトル 1 本も含みます)、``gamma`` と ``beta`` は形
    ``(D,)`` です。最後の軸に沿った各ベクトルは ``(x - mean) / sqrt(var + eps) * gamma + beta`` に
    なります。``mean`` と偏りのある分散 ``var``(``D - 1`` ではなく ``D`` で割ります)は、その
    ベクトルだけで求めます。一定値のベクトルは ``beta`` になります(``eps`` のおかげで NaN には
    なりません)。戻り値は ``x`` と同じ形の新しい float64 配列です。``x`` が 0 次元のとき、または
    ``gamma`` / ``beta`` が ``(D,)`` でないときは、形を示す ``ValueError`` を送出します(torch では
    ``RuntimeError`` です)。入力は変更しません。
    """
    raise NotImplementedError("norms.layer_norm")
