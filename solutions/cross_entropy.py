# %% [markdown]
# # Cross-entropy and softmax
#
# A language model finishes every step with a vector of **logits**, one real number per token of
# the vocabulary. This topic turns those numbers into probabilities, and the probabilities into
# the single number that training minimises.
#
# - **Softmax** maps logits $z$ to probabilities $e^{z_k} / \sum_j e^{z_j}$. Adding the same
#   constant $c$ to every logit multiplies numerator and denominator by $e^c$, so the result does
#   not change. We use that freedom to subtract the largest logit $m$: every exponent becomes
#   $\le 0$, so `exp` cannot overflow (in float64 `exp(710)` is already `inf`, and `inf / inf` is
#   `nan`), and the largest term is exactly 1, so the denominator is never 0.
# - **Log-softmax** is the logarithm of softmax, but `log(softmax(z))` loses information: a
#   probability of $e^{-10000}$ underflows to 0 and its log becomes `-inf`, although the true
#   value $-10000$ is a perfectly ordinary number. Written out,
#   $\log \mathrm{softmax}(z)_k = z_k - \mathrm{logsumexp}(z)$ with
#   $\mathrm{logsumexp}(z) = m + \log \sum_j e^{z_j - m}$, and every piece stays in range.
# - **Cross-entropy** of a target distribution $t$ and predicted probabilities $y$ is
#   $E = -\sum_k t_k \log y_k$, the expected surprise $-\log y_k$ under the target. With a one-hot
#   $t$ only the correct class is left: $E = -\log y_{\text{correct}}$. A class with $t_k = 0$ is
#   weighted by zero and $t \log y \to 0$ as $t \to 0$, so its term is 0 even when $y_k = 0$; but
#   the computer evaluates `0 * log(0)` as `0 * -inf = nan`, so such terms must be left out, not
#   computed. A class with $t_k > 0$ and $y_k = 0$ means the model called a real outcome
#   impossible, and the loss is honestly `+inf`. Adding a small delta such as `1e-7` inside the log
#   hides that and shifts every small probability, so we do not do it.
# - **Batches.** For one sample $E = -\,t \cdot \log y$ is a dot product. With $N$ samples stacked
#   as the rows of $T$ and $Y$, each loss is the dot product of *row* $n$ of $T$ with *row* $n$ of
#   $\log Y$. The matrix product $T (\log Y)^\top$ is $N \times N$: its diagonal holds those losses,
#   and its $N^2 - N$ other entries pair sample $i$'s target with sample $j$'s prediction, which is
#   meaningless and costs $N$ times the work and memory. Multiply elementwise and sum each row.
# - **From logits.** Frameworks fuse both steps: $\ell_n = \mathrm{logsumexp}(z_n) - z_{n,c_n}$ for
#   the correct class $c_n$. Two training features come with it. `ignore_index` (usually `-100`)
#   marks positions, typically padding, that take no part at all: they are left out of the sum
#   *and* out of the count that the mean divides by, and their logits may hold anything. Label
#   smoothing with $\varepsilon$ trains against $(1-\varepsilon)\,\text{onehot} + \varepsilon/K$
#   instead of the one-hot target, so the loss becomes
#   $(1-\varepsilon)\,\ell + \varepsilon \cdot \mathrm{mean}_k(-\log p_k)$, which discourages
#   over-confident logits.
# - **Gradient.** The derivative of the mean loss with respect to the logits is
#   $(\mathrm{softmax}(z) - \text{onehot}) / N$: prediction minus target, divided by $N$ because of
#   the mean.
# - **Perplexity** is $\exp$ of the *mean* per-token loss, the geometric mean of
#   $1/p(\text{correct token})$. A perplexity of 20 means the model is as unsure as a uniform
#   choice among 20 tokens. The exponential comes after the mean because the mean loss is the log
#   of a geometric mean; averaging `exp(loss)` instead would let the worst tokens dominate.
# - **Temperature** divides the logits by $T$ before softmax: $T < 1$ sharpens the distribution,
#   $T > 1$ flattens it.
# - **Binary cross-entropy from logits** uses $\max(z, 0) - z t + \log(1 + e^{-|z|})$, whose
#   exponent is never positive.
#
# ---
#
# 言語モデルは各ステップの最後に、語彙の各トークンに 1 つずつ実数を割り当てたベクトル
# (**ロジット**)を出力します。このトピックでは、その数値を確率に変換し、さらに学習で最小化する
# 1 つの数値(損失)に変換する方法を扱います。
#
# - **ソフトマックス**はロジット $z$ を確率 $e^{z_k} / \sum_j e^{z_j}$ に変換します。すべての
#   ロジットに同じ定数 $c$ を足すと分子も分母も $e^c$ 倍になるので、結果は変わりません。この性質を
#   利用して最大のロジット $m$ を引いておくと、指数はすべて $0$ 以下になり `exp` がオーバーフロー
#   しません(float64 では `exp(710)` がすでに `inf` で、`inf / inf` は `nan` です)。また最大の項が
#   ちょうど 1 になるため、分母が 0 になることもありません。
# - **対数ソフトマックス**はソフトマックスの対数ですが、`log(softmax(z))` と計算すると情報が
#   失われます。$e^{-10000}$ という確率は 0 にアンダーフローし、その対数は `-inf` になります。
#   本当の値 $-10000$ はごく普通の数なのにです。式を展開すると
#   $\log \mathrm{softmax}(z)_k = z_k - \mathrm{logsumexp}(z)$、
#   $\mathrm{logsumexp}(z) = m + \log \sum_j e^{z_j - m}$ となり、どの途中結果も範囲内に収まります。
# - **交差エントロピー**は目標分布 $t$ と予測確率 $y$ に対して $E = -\sum_k t_k \log y_k$ で、
#   目標分布のもとでの「驚き」$-\log y_k$ の期待値です。$t$ が one-hot なら正解クラスの項だけが
#   残り、$E = -\log y_{\text{正解}}$ になります。$t_k = 0$ のクラスは重み 0 で、$t \to 0$ のとき
#   $t \log y \to 0$ なので、$y_k = 0$ であってもその項は 0 です。ところが計算機は
#   `0 * log(0)` を `0 * -inf = nan` と評価するため、こうした項は計算せずに除外する必要があります。
#   $t_k > 0$ かつ $y_k = 0$ は、実際に起こる結果をモデルが「ありえない」と判断したことを意味し、
#   損失は正しく `+inf` になります。対数の中に `1e-7` のような小さな値を足すとこの事実が隠れ、
#   小さな確率の値もすべてずれるので、ここでは足しません。
# - **バッチ**:1 サンプルでは $E = -\,t \cdot \log y$ という内積です。$N$ 個のサンプルを $T$ と $Y$
#   の行として並べたとき、各損失は $T$ の *第 n 行* と $\log Y$ の *第 n 行* の内積です。行列積
#   $T (\log Y)^\top$ は $N \times N$ 行列になり、対角成分がその損失ですが、残りの $N^2 - N$ 個の
#   成分はサンプル $i$ の目標とサンプル $j$ の予測を組み合わせた意味のない値で、計算量もメモリも
#   $N$ 倍かかります。要素ごとに掛けてから行ごとに和をとりましょう。
# - **ロジットから直接**:フレームワークは 2 つの処理をまとめ、正解クラス $c_n$ に対して
#   $\ell_n = \mathrm{logsumexp}(z_n) - z_{n,c_n}$ を計算します。これには学習用の機能が 2 つ付いて
#   います。`ignore_index`(通常は `-100`)はパディングなど計算に一切参加しない位置を示し、その行は
#   和からも、平均で割る個数からも除かれ、ロジットにどんな値が入っていても構いません。
#   ラベルスムージング($\varepsilon$)は one-hot の代わりに
#   $(1-\varepsilon)\,\text{onehot} + \varepsilon/K$ を目標として学習するもので、損失は
#   $(1-\varepsilon)\,\ell + \varepsilon \cdot \mathrm{mean}_k(-\log p_k)$ となり、ロジットが過度に
#   自信を持つのを抑えます。
# - **勾配**:平均損失のロジットに関する微分は $(\mathrm{softmax}(z) - \text{onehot}) / N$ です。
#   「予測 − 目標」を、平均をとった分だけ $N$ で割ったものです。
# - **パープレキシティ**はトークンあたり損失の *平均* の $\exp$ で、$1/p(\text{正解トークン})$ の
#   幾何平均にあたります。パープレキシティ 20 は、20 個のトークンから一様に選ぶのと同じくらい
#   迷っている状態を表します。平均損失は幾何平均の対数なので、指数をとるのは平均の後です。
#   `exp(損失)` の平均をとると、最も悪いトークンが結果を支配してしまいます。
# - **温度**はソフトマックスの前にロジットを $T$ で割ります。$T < 1$ で分布が鋭くなり、$T > 1$ で
#   平らになります。
# - **ロジットからの二値交差エントロピー**は $\max(z, 0) - z t + \log(1 + e^{-|z|})$ を使います。
#   この式の指数は決して正になりません。

# %%
import numpy as np

# %% [markdown]
# ## cross_entropy.softmax
#
# Subtract the maximum along the axis, exponentiate, divide by the sum along the same axis.
# `keepdims=True` keeps the reduced axis (with length 1) so that the division broadcasts row by
# row, whatever the axis.
#
# 指定された軸に沿って最大値を引き、指数をとり、同じ軸に沿った和で割ります。`keepdims=True` で
# 縮約した軸を長さ 1 のまま残すと、どの軸でも割り算が正しくブロードキャストされます。

# %%
def softmax(z, axis=-1):
    """Stable softmax of ``z`` along ``axis``.

    ``z`` is an array-like of logits (list, tuple, array, number); ``axis`` is an int. Returns a
    new float64 array of ``z``'s shape whose entries along ``axis`` are
    ``exp(z_k) / sum_j exp(z_j)``, so they are non-negative and sum to 1. The result must be
    finite and exact for logits as large as ``+-1e4``, without overflow warnings: subtract the
    maximum along ``axis`` first (the result is unchanged by that shift). An empty ``z`` gives an
    empty array; a 0-d ``z`` counts as one logit along axis ``0``/``-1`` and gives 1.0, as in
    torch; an ``axis`` that ``z`` does not have raises ``ValueError`` (numpy's ``AxisError`` is
    one). NaN in a slice makes that slice NaN, as in torch. ``z`` is not modified.

    ``z`` の ``axis`` 方向の安定なソフトマックスです。``z`` は array-like(リスト、タプル、配列、
    数)のロジット、``axis`` は整数です。戻り値は ``z`` と同じ形の新しい float64 配列で、
    ``axis`` 方向の各要素は ``exp(z_k) / sum_j exp(z_j)`` なので、非負で和が 1 になります。
    ``+-1e4`` 程度のロジットでも有限かつ正確で、オーバーフローの警告を出してはいけません。先に
    ``axis`` 方向の最大値を引いてください(このずらしで結果は変わりません)。空の ``z`` には空の配列を
    返します。0 次元の ``z`` は torch と同じく軸 ``0``/``-1`` 方向の 1 個のロジットとみなし、1.0 を
    返します。``z`` に存在しない ``axis`` は ``ValueError``(numpy の ``AxisError`` もその一種)に
    なります。スライスに NaN があれば torch と同じくそのスライスは NaN になります。``z`` は変更
    しません。
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    if z.size == 0:
        return z.copy()  # nothing to normalise (torch also returns an empty tensor)
    # Shifting every logit by the maximum cancels in the ratio but makes each exponent <= 0.
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)
    ### END SOLUTION


# %% [markdown]
# ## cross_entropy.log_softmax
#
# Never take the log of a probability that may have underflowed. Compute
# `z - m - log(sum(exp(z - m)))`: the sum is at least 1 (the maximum contributes `exp(0)`), so its
# log is finite, and `z - m` keeps the full size of very negative logits.
#
# アンダーフローしているかもしれない確率の対数をとってはいけません。`z - m - log(sum(exp(z - m)))`
# を計算します。和は 1 以上(最大値の項が `exp(0)` = 1)なので対数は有限で、`z - m` は非常に小さな
# ロジットの値もそのまま保ちます。

# %%
def log_softmax(z, axis=-1):
    """Stable log-softmax of ``z`` along ``axis``, computed with log-sum-exp.

    ``z`` is an array-like of logits; ``axis`` is an int. Returns a new float64 array of ``z``'s
    shape holding ``z_k - log(sum_j exp(z_j))`` along ``axis``. Every entry must be finite
    wherever the true value is finite: ``[0, -1e4]`` gives ``[0, -1e4]``, never ``-inf``, so
    ``log(softmax(z))`` is not acceptable, and logits up to ``+-1e4`` give no overflow warning.
    An empty ``z`` gives an empty array; a 0-d ``z`` counts as one logit and gives 0.0, as in
    torch; an ``axis`` that ``z`` does not have raises ``ValueError`` (numpy's ``AxisError``).
    ``z`` is not modified.

    log-sum-exp を使った ``z`` の ``axis`` 方向の安定な対数ソフトマックスです。``z`` は array-like
    のロジット、``axis`` は整数です。戻り値は ``z`` と同じ形の新しい float64 配列で、``axis``
    方向に ``z_k - log(sum_j exp(z_j))`` を持ちます。本当の値が有限なところでは必ず有限で
    なければなりません。``[0, -1e4]`` は ``-inf`` ではなく ``[0, -1e4]`` になるので、
    ``log(softmax(z))`` では不合格です。``+-1e4`` 程度のロジットでもオーバーフローの警告を出しては
    いけません。空の ``z`` には空の配列を返し、0 次元の ``z`` は torch と同じく 1 個のロジットと
    みなして 0.0 を返します。``z`` に存在しない ``axis`` は ``ValueError``(numpy の
    ``AxisError``)になります。``z`` は変更しません。
    """
    ### BEGIN SOLUTION
    z = np.asarray(z, dtype=np.float64)
    if z.size == 0:
        return z.copy()
    shifted = z - np.max(z, axis=axis, keepdims=True)
    # The sum holds exp(0) = 1 for the maximum, so it lies in [1, K] and its log is finite.
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    ### END SOLUTION


# %% [markdown]
# ## cross_entropy.cross_entropy
#
# $E = -\sum_k t_k \log y_k$ for one sample. Only classes with $t_k \ne 0$ enter the sum: evaluate
# the log just there, so `0 * log(0)` never turns into `nan`. A genuine $t_k > 0$, $y_k = 0$ stays
# `+inf`; no delta, no clipping.
#
# 1 サンプルの $E = -\sum_k t_k \log y_k$ です。和に入るのは $t_k \ne 0$ のクラスだけなので、対数は
# そこでだけ計算し、`0 * log(0)` が `nan` にならないようにします。$t_k > 0$ かつ $y_k = 0$ の場合は
# そのまま `+inf` です。小さな値を足したりクリップしたりはしません。

# %%
def cross_entropy(t, y):
    """Cross-entropy ``-sum_k t_k log y_k`` of one sample.

    ``t`` is the target distribution (one-hot or soft) and ``y`` the predicted probabilities, both
    array-likes of shape ``(K,)``. Returns a Python float. A term with ``t_k = 0`` contributes 0
    even when ``y_k = 0`` (the limit of ``t log y``), without any warning; a term with ``t_k > 0``
    and ``y_k = 0`` makes the result ``inf``. Nothing is clipped and no small delta is added to
    ``y``, so the value is exact. ``K = 0`` gives 0.0. Raises ``ValueError`` naming both shapes
    when ``t`` and ``y`` are not both 1-D of the same shape (use ``batch_cross_entropy`` for
    rows). Inputs are not modified.

    1 サンプルの交差エントロピー ``-sum_k t_k log y_k`` です。``t`` は目標分布(one-hot または
    ソフトラベル)、``y`` は予測確率で、どちらも形 ``(K,)`` の array-like です。戻り値は Python の
    float です。``t_k = 0`` の項は ``y_k = 0`` であっても(``t log y`` の極限として)0 とし、警告も
    出しません。``t_k > 0`` かつ ``y_k = 0`` の項があれば結果は ``inf`` です。クリップも小さな値の
    加算もしないので、値は正確です。``K = 0`` なら 0.0 です。``t`` と ``y`` が同じ形の 1 次元配列で
    なければ、両方の形を示す ``ValueError`` を送出します(行ごとの計算は ``batch_cross_entropy``
    を使います)。入力は変更しません。
    """
    ### BEGIN SOLUTION
    t = np.asarray(t, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if t.ndim != 1 or t.shape != y.shape:
        raise ValueError(f"cross_entropy: t and y must both be (K,), got {t.shape} and {y.shape}")
    used = t != 0  # classes with t_k = 0 contribute exactly 0, so log is never taken there
    with np.errstate(divide="ignore"):  # t_k > 0 with y_k = 0: log gives -inf, the loss is inf
        log_y = np.log(y[used])
    return float(-np.sum(t[used] * log_y))
    ### END SOLUTION


# %% [markdown]
# ## cross_entropy.batch_cross_entropy
#
# The same loss for every row of `(N, K)` arrays. Row $n$'s loss is the dot product of row $n$ of
# $T$ with row $n$ of $\log Y$: multiply elementwise and sum along the class axis. `T @ log(Y).T`
# would build an $N \times N$ matrix of which only the diagonal means anything.
#
# `(N, K)` 配列の各行に同じ損失を求めます。第 $n$ 行の損失は $T$ の第 $n$ 行と $\log Y$ の第 $n$ 行の
# 内積なので、要素ごとに掛けてクラスの軸方向に和をとります。`T @ log(Y).T` では $N \times N$ 行列が
# でき、意味があるのはその対角成分だけです。

# %%
def batch_cross_entropy(T, Y, reduction="mean"):
    """Row-wise cross-entropy of ``N`` samples, reduced as asked.

    ``T`` (targets) and ``Y`` (probabilities) are array-likes of the same shape ``(N, K)``. Row
    ``n``'s loss is ``-sum_k T[n, k] log Y[n, k]``, with the conventions of ``cross_entropy``
    (``T = 0`` terms are 0 even where ``Y = 0``; ``T > 0`` with ``Y = 0`` gives ``inf``; no
    clipping). Compute it row by row as a dot product, never through the ``N x N`` matrix
    ``T @ log(Y).T``. ``reduction="none"`` returns the float64 array of shape ``(N,)``; ``"sum"``
    returns their sum and ``"mean"`` their mean, as Python floats. An empty batch (``N = 0``) gives
    0.0 under ``"sum"`` and NaN under ``"mean"`` (as ``torch.mean`` of nothing), without warnings.
    Raises ``ValueError`` for any other ``reduction`` or when ``T`` and ``Y`` are not 2-D of the
    same shape. Inputs are not modified.

    ``N`` 個のサンプルの行ごとの交差エントロピーを、指定どおりに集約します。``T``(目標)と ``Y``
    (確率)は同じ形 ``(N, K)`` の array-like です。第 ``n`` 行の損失は
    ``-sum_k T[n, k] log Y[n, k]`` で、``cross_entropy`` と同じ規約に従います(``T = 0`` の項は
    ``Y = 0`` でも 0、``T > 0`` かつ ``Y = 0`` なら ``inf``、クリップなし)。行ごとの内積として
    計算し、``N x N`` 行列 ``T @ log(Y).T`` は決して作らないでください。``reduction="none"`` は形
    ``(N,)`` の float64 配列を返し、``"sum"`` はその和、``"mean"`` はその平均を Python の float で
    返します。空のバッチ(``N = 0``)は ``"sum"`` で 0.0、``"mean"`` で NaN(何もない
    ``torch.mean`` と同じ)になり、警告は出しません。それ以外の ``reduction``、または ``T`` と
    ``Y`` が同じ形の 2 次元配列でない場合は ``ValueError`` を送出します。入力は変更しません。
    """
    ### BEGIN SOLUTION
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"batch_cross_entropy: reduction must be 'none', 'sum' or 'mean', not {reduction!r}")
    T = np.asarray(T, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if T.ndim != 2 or T.shape != Y.shape:
        raise ValueError(f"batch_cross_entropy: T and Y must both be (N, K), got {T.shape} and {Y.shape}")
    used = T != 0
    with np.errstate(divide="ignore"):
        log_Y = np.log(Y, where=used, out=np.zeros_like(Y))  # 0 wherever T is 0: no 0 * -inf
    losses = -np.sum(T * log_Y, axis=1)  # (N,): row n is -(T[n] . log Y[n])
    if reduction == "none":
        return losses
    total = float(np.sum(losses))
    if reduction == "sum":
        return total
    return total / len(losses) if len(losses) else float("nan")
    ### END SOLUTION


# %% [markdown]
# ## cross_entropy.cross_entropy_from_logits
#
# `torch.nn.functional.cross_entropy` for class indices. Drop the ignored rows *first* (their
# logits may be NaN padding), take `log_softmax` of the rest, pick each row's target entry, and mix
# in the smoothing term $\varepsilon \cdot \mathrm{mean}_k(-\log p_k)$. The mean divides by the
# number of rows that were kept.
#
# クラス番号を目標とする `torch.nn.functional.cross_entropy` です。無視する行を *最初に* 取り除き
# (そのロジットは NaN のパディングかもしれません)、残りの `log_softmax` をとって各行の正解の
# 成分を取り出し、スムージング項 $\varepsilon \cdot \mathrm{mean}_k(-\log p_k)$ を混ぜます。平均は
# 残した行の数で割ります。

# %%
def cross_entropy_from_logits(logits, targets, reduction="mean", ignore_index=-100, label_smoothing=0.0):
    """Softmax cross-entropy from logits and class indices, as ``torch.nn.functional.cross_entropy``.

    ``logits`` is an array-like ``(N, K)``; ``targets`` holds ``N`` integer class indices (ints, or
    floats with whole values); an unbatched ``(K,)`` with a single target is also accepted, as in
    torch. Row ``n``'s loss is ``-log softmax(logits[n])[targets[n]]``; with
    ``label_smoothing = eps`` it is ``(1 - eps) * that + eps * mean_k(-log softmax(logits[n])_k)``.
    Rows whose target equals ``ignore_index`` take no part: their logits may hold anything (NaN,
    inf) without affecting the result, they are 0.0 under ``"none"``, and they are left out of the
    sum and of the count that ``"mean"`` divides by. ``"none"`` returns a float64 array ``(N,)`` (a
    float when unbatched); ``"sum"`` and ``"mean"`` return Python floats. With no row left (every
    target ignored, or ``N = 0``), ``"mean"`` is NaN and ``"sum"`` is 0.0, as in torch. Logits up to
    ``+-1e4`` give exact values without warnings. Raises ``ValueError`` when ``reduction`` is not
    ``"none"``/``"sum"``/``"mean"``, when ``label_smoothing`` is outside ``[0, 1]`` (torch
    documents that range), when the shapes are not ``(N, K)`` and ``(N,)``, when a target is not a
    whole number, or when a target other than ``ignore_index`` lies outside ``0..K-1`` (also a
    negative one). Inputs are not modified.

    ロジットとクラス番号から求めるソフトマックス交差エントロピーで、
    ``torch.nn.functional.cross_entropy`` と同じ値を返します。``logits`` は ``(N, K)`` の
    array-like、``targets`` は ``N`` 個の整数のクラス番号(整数、または整数値の浮動小数点数)です。
    torch と同じく、バッチ次元のない ``(K,)`` と 1 つの目標も受け付けます。第 ``n`` 行の損失は
    ``-log softmax(logits[n])[targets[n]]`` で、``label_smoothing = eps`` のときは
    ``(1 - eps) * それ + eps * mean_k(-log softmax(logits[n])_k)`` です。目標が ``ignore_index``
    の行は計算に一切参加しません。そのロジットに何(NaN や inf)が入っていても結果に影響せず、
    ``"none"`` では 0.0 になり、和からも ``"mean"`` が割る個数からも除かれます。``"none"`` は
    float64 配列 ``(N,)``(バッチ次元なしなら float)を、``"sum"`` と ``"mean"`` は Python の
    float を返します。残る行がない(すべて無視、または ``N = 0``)とき、torch と同じく ``"mean"``
    は NaN、``"sum"`` は 0.0 です。``+-1e4`` 程度のロジットでも警告なしに正確な値を返します。
    ``reduction`` が ``"none"``/``"sum"``/``"mean"`` 以外、``label_smoothing`` が ``[0, 1]`` の外
    (torch の仕様の範囲)、形が ``(N, K)`` と ``(N,)`` でない、目標が整数でない、または
    ``ignore_index`` 以外の目標が ``0..K-1`` の外(負の値も含む)の場合は ``ValueError`` を送出
    します。入力は変更しません。
    """
    ### BEGIN SOLUTION
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(
            f"cross_entropy_from_logits: reduction must be 'none', 'sum' or 'mean', not {reduction!r}"
        )
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy_from_logits: label_smoothing {label_smoothing} is outside [0, 1]")
    logits = np.asarray(logits, dtype=np.float64)
    given = np.asarray(targets)
    targets = given.astype(np.int64)
    if not np.array_equal(targets, given):
        wrong = given[targets != given].flat[0]
        raise ValueError(f"cross_entropy_from_logits: targets must be whole class indices, got {wrong}")
    unbatched = logits.ndim == 1 and targets.ndim == 0
    if unbatched:
        logits, targets = logits[None, :], targets[None]  # (1, K) and (1,)
    if logits.ndim != 2 or targets.shape != logits.shape[:1]:
        raise ValueError(
            f"cross_entropy_from_logits: logits must be (N, K) and targets (N,), "
            f"got {logits.shape} and {targets.shape}"
        )
    n, k = logits.shape
    kept = targets != ignore_index
    bad = kept & ((targets < 0) | (targets >= k))
    if np.any(bad):
        raise ValueError(
            f"cross_entropy_from_logits: target {targets[bad][0]} is outside 0..{k - 1} "
            f"and is not ignore_index={ignore_index}"
        )
    rows = np.flatnonzero(kept)  # (M,) rows that count; padded rows are never touched
    log_p = log_softmax(logits[rows], axis=-1)  # (M, K)
    losses = -log_p[np.arange(len(rows)), targets[rows]]  # (M,) negative log-likelihood
    if label_smoothing > 0:
        # eps/K on every class: eps times the mean over classes of -log p_k
        losses = (1.0 - label_smoothing) * losses + label_smoothing * (-np.sum(log_p, axis=1) / k)
    if reduction == "none":
        out = np.zeros(n)
        out[rows] = losses
        return float(out[0]) if unbatched else out
    total = float(np.sum(losses))
    if reduction == "sum":
        return total
    return total / len(rows) if len(rows) else float("nan")
    ### END SOLUTION


# %% [markdown]
# ## cross_entropy.softmax_cross_entropy_grad
#
# Differentiating $\mathrm{logsumexp}(z) - z_c$ gives $\mathrm{softmax}(z) - \text{onehot}(c)$ for one
# row. The mean over $N$ rows divides every row's gradient by $N$.
#
# $\mathrm{logsumexp}(z) - z_c$ を微分すると、1 行について $\mathrm{softmax}(z) - \text{onehot}(c)$
# になります。$N$ 行の平均をとるので、各行の勾配を $N$ で割ります。

# %%
def softmax_cross_entropy_grad(logits, targets):
    """Gradient of the mean softmax cross-entropy with respect to the logits.

    ``logits`` is an array-like ``(N, K)`` and ``targets`` ``N`` integer class indices in
    ``0..K-1`` (no ignored rows, no label smoothing). Returns the float64 array
    ``(softmax(logits) - onehot(targets)) / N`` of shape ``(N, K)``, the gradient of
    ``cross_entropy_from_logits(logits, targets)`` (reduction ``"mean"``). An unbatched ``(K,)``
    with one target gives ``softmax - onehot`` of shape ``(K,)``, as torch's autograd does; ``N = 0``
    gives an empty ``(0, K)`` array. Stable for logits up to ``+-1e4``. Raises ``ValueError`` when
    the shapes are not ``(N, K)`` and ``(N,)``, when a target is not a whole number, or when a
    target lies outside ``0..K-1`` (``-100`` included: nothing is ignored here). Inputs are not
    modified.

    平均ソフトマックス交差エントロピーのロジットに関する勾配です。``logits`` は ``(N, K)`` の
    array-like、``targets`` は ``0..K-1`` の範囲の ``N`` 個の整数のクラス番号です(無視する行も
    ラベルスムージングもありません)。戻り値は形 ``(N, K)`` の float64 配列
    ``(softmax(logits) - onehot(targets)) / N`` で、``cross_entropy_from_logits(logits, targets)``
    (``"mean"``)の勾配です。torch の自動微分と同じく、バッチ次元のない ``(K,)`` と 1 つの目標には
    形 ``(K,)`` の ``softmax - onehot`` を返し、``N = 0`` なら空の ``(0, K)`` 配列を返します。
    ``+-1e4`` 程度のロジットでも安定です。形が ``(N, K)`` と ``(N,)`` でない、目標が整数でない、
    または目標が ``0..K-1`` の外にある(``-100`` も含みます。ここでは何も無視しません)場合は
    ``ValueError`` を送出します。入力は変更しません。
    """
    ### BEGIN SOLUTION
    logits = np.asarray(logits, dtype=np.float64)
    given = np.asarray(targets)
    targets = given.astype(np.int64)
    if not np.array_equal(targets, given):
        wrong = given[targets != given].flat[0]
        raise ValueError(f"softmax_cross_entropy_grad: targets must be whole class indices, got {wrong}")
    unbatched = logits.ndim == 1 and targets.ndim == 0
    if unbatched:
        logits, targets = logits[None, :], targets[None]
    if logits.ndim != 2 or targets.shape != logits.shape[:1]:
        raise ValueError(
            f"softmax_cross_entropy_grad: logits must be (N, K) and targets (N,), "
            f"got {logits.shape} and {targets.shape}"
        )
    n, k = logits.shape
    bad = (targets < 0) | (targets >= k)
    if np.any(bad):
        raise ValueError(f"softmax_cross_entropy_grad: target {targets[bad][0]} is outside 0..{k - 1}")
    grad = softmax(logits, axis=-1)  # (N, K), a new array we may change in place
    grad[np.arange(n), targets] -= 1.0  # minus the one-hot target
    grad /= max(n, 1)  # the mean over N rows; an empty batch stays empty
    return grad[0] if unbatched else grad
    ### END SOLUTION


# %% [markdown]
# ## cross_entropy.perplexity
#
# Perplexity is `exp` of the mean loss, so reuse `cross_entropy_from_logits` with its defaults
# (rows with target `-100` are ignored) and exponentiate the result once.
#
# パープレキシティは平均損失の `exp` なので、`cross_entropy_from_logits` を既定の引数のまま使い
# (目標が `-100` の行は無視されます)、その結果の指数を 1 回だけとります。

# %%
def perplexity(logits, targets):
    """Perplexity: ``exp`` of the mean cross-entropy of the kept tokens.

    ``logits`` ``(N, K)`` and ``targets`` ``(N,)`` as in ``cross_entropy_from_logits``, which is
    used with its defaults: the mean over the rows whose target is not ``-100``. Returns the Python
    float ``exp(mean loss)``, the exponential of the mean (not the mean of exponentials): perfect
    predictions give 1.0, uniform logits over ``K`` classes give ``K``. When every target is
    ignored (or ``N = 0``) the mean is NaN, and so is the result. A mean loss above about 709 gives
    ``inf`` without a warning. Raises the same ``ValueError``s as ``cross_entropy_from_logits``.
    Inputs are not modified.

    パープレキシティ、つまり計算に残したトークンの平均交差エントロピーの ``exp`` です。``logits``
    ``(N, K)`` と ``targets`` ``(N,)`` は ``cross_entropy_from_logits`` と同じで、その関数を既定の
    引数のまま使います(目標が ``-100`` でない行の平均)。戻り値は Python の float
    ``exp(平均損失)`` で、平均の指数です(指数の平均ではありません)。完全な予測なら 1.0、``K``
    クラスに一様なロジットなら ``K`` になります。すべての目標が無視される(または ``N = 0``)と
    平均は NaN なので、結果も NaN です。平均損失が約 709 を超えると、警告なしに ``inf`` を返します。
    ``cross_entropy_from_logits`` と同じ ``ValueError`` を送出します。入力は変更しません。
    """
    ### BEGIN SOLUTION
    mean_loss = cross_entropy_from_logits(logits, targets)
    with np.errstate(over="ignore"):  # exp of a mean loss above ~709 is a genuine inf
        return float(np.exp(mean_loss))
    ### END SOLUTION


# %% [markdown]
# ## cross_entropy.temperature_softmax
#
# Divide the logits by the temperature, then apply the stable softmax. Small temperatures make the
# scaled logits large, which is exactly why the max subtraction matters here.
#
# ロジットを温度で割ってから、安定なソフトマックスを適用します。温度が小さいと割った後のロジットが
# 大きくなるので、ここでも最大値を引くことが欠かせません。

# %%
def temperature_softmax(z, temperature):
    """Softmax of ``z / temperature`` along the last axis.

    ``z`` is an array-like of logits and ``temperature`` a positive number. Returns a new float64
    array of ``z``'s shape, ``softmax(z / temperature)`` along the last axis: a temperature below 1
    sharpens the distribution, above 1 flattens it, and ``inf`` makes it uniform. Stable (no
    overflow, no warning) however large the scaled logits ``z / temperature`` are, as long as they
    are finite: a small temperature turns ``z = 30`` into ``3000``. Raises ``ValueError`` naming the
    value when ``temperature <= 0`` or is NaN. A 0-d ``z`` gives 1.0, as in ``softmax``. ``z`` is
    not modified.

    ``z / temperature`` の最後の軸方向のソフトマックスです。``z`` は array-like のロジット、
    ``temperature`` は正の数です。戻り値は ``z`` と同じ形の新しい float64 配列
    ``softmax(z / temperature)``(最後の軸方向)です。温度が 1 より小さいと分布は鋭く、1 より
    大きいと平らになり、``inf`` なら一様になります。温度で割ったロジット ``z / temperature`` が
    有限である限り、どれほど大きくてもオーバーフローや警告なしに安定です(温度が小さいと
    ``z = 30`` が ``3000`` になります)。``temperature <= 0`` または NaN のときは、その値を示す
    ``ValueError`` を送出します。0 次元の ``z`` は ``softmax`` と同じく 1.0 になります。
    ``z`` は変更しません。
    """
    ### BEGIN SOLUTION
    temperature = float(temperature)
    if not temperature > 0:  # also rejects NaN
        raise ValueError(f"temperature_softmax: temperature must be > 0, got {temperature}")
    return softmax(np.asarray(z, dtype=np.float64) / temperature, axis=-1)
    ### END SOLUTION


# %% [markdown]
# ## cross_entropy.bce_with_logits
#
# With $p = \sigma(z)$, $-t\log p - (1-t)\log(1-p)$ simplifies to $\log(1 + e^{z}) - z t$. Rewriting
# $\log(1 + e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})$ keeps the exponent non-positive, so neither
# `exp` nor `log` ever sees an extreme value.
#
# $p = \sigma(z)$ とすると、$-t\log p - (1-t)\log(1-p)$ は $\log(1 + e^{z}) - z t$ に整理できます。
# さらに $\log(1 + e^{z}) = \max(z, 0) + \log(1 + e^{-|z|})$ と書き直すと指数が 0 以下に保たれ、
# `exp` にも `log` にも極端な値が渡りません。

# %%
def bce_with_logits(z, t, reduction="mean"):
    """Binary cross-entropy from logits, equal to torch's ``binary_cross_entropy_with_logits``.

    ``z`` (logits) and ``t`` (targets in ``[0, 1]``, hard or soft) are array-likes of the same shape
    (any shape, including 0-d). The elementwise loss is ``max(z, 0) - z*t + log(1 + exp(-|z|))``,
    the stable form of ``-(t log sigmoid(z) + (1 - t) log(1 - sigmoid(z)))``: finite, exact and
    warning-free for ``|z|`` up to ``1e4``. ``reduction="none"`` returns the float64 losses in
    ``z``'s shape; ``"sum"`` and ``"mean"`` (over all elements) return Python floats. Empty input
    gives 0.0 under ``"sum"`` and NaN under ``"mean"``, as in torch. Raises ``ValueError`` for any
    other ``reduction`` or when the shapes differ (no broadcasting: torch raises too). Inputs are
    not modified.

    ロジットから求める二値交差エントロピーで、torch の ``binary_cross_entropy_with_logits`` と同じ
    値を返します。``z``(ロジット)と ``t``(``[0, 1]`` の目標、0/1 でもソフトでも可)は同じ形
    (0 次元を含む任意の形)の array-like です。要素ごとの損失は
    ``max(z, 0) - z*t + log(1 + exp(-|z|))`` で、
    ``-(t log sigmoid(z) + (1 - t) log(1 - sigmoid(z)))`` を安定に書き直したものです。``|z|`` が
    ``1e4`` まで有限かつ正確で、警告も出しません。``reduction="none"`` は ``z`` と同じ形の float64 の
    損失を返し、``"sum"`` と ``"mean"``(全要素について)は Python の float を返します。空の入力は
    torch と同じく ``"sum"`` で 0.0、``"mean"`` で NaN です。それ以外の ``reduction``、または形が
    異なる場合(ブロードキャストはしません。torch もエラーです)は ``ValueError`` を送出します。
    入力は変更しません。
    """
    ### BEGIN SOLUTION
    if reduction not in ("none", "sum", "mean"):
        raise ValueError(f"bce_with_logits: reduction must be 'none', 'sum' or 'mean', not {reduction!r}")
    z = np.asarray(z, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    if z.shape != t.shape:
        raise ValueError(f"bce_with_logits: z and t must have one shape, got {z.shape} and {t.shape}")
    # log(1 + e^z) = max(z, 0) + log(1 + e^-|z|): the exponent is never positive.
    losses = np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))
    if reduction == "none":
        return losses
    total = float(np.sum(losses))
    if reduction == "sum":
        return total
    return total / losses.size if losses.size else float("nan")
    ### END SOLUTION
