# %% [markdown]
# # Attention / アテンション
#
# Attention lets every position of a sequence look at the other positions and take a weighted
# average of what it finds there. Each position asks a **query** $q$ (a vector of length $d$),
# every position offers a **key** $k$ (same length $d$) and a **value** $v$ (length $d_v$). The
# weight of key $j$ for query $i$ grows with the dot product $q_i \cdot k_j$:
#
# $$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d}}\right) V .$$
#
# - **Shapes.** `Q (Lq, d)`, `K (Lk, d)`, `V (Lk, dv)`; `Q K^T` is `(Lq, Lk)`: one row per query,
#   one column per key, and the softmax runs along each row (over the keys). In a model every
#   tensor carries leading batch (and head) axes, `(..., L, d)`, so "transpose" means swapping
#   the *last two* axes (`k.transpose(-2, -1)` or `k.mT`). `k.T` reverses *all* axes of a 3-D
#   tensor and is wrong there, and the softmax axis is `-1`, not `1`.
# - **Why $\sqrt{d}$.** For vectors with independent entries of mean 0 and variance 1, the dot
#   product of two of them has variance $d$. Without the scale, scores of size $\sqrt{d}$ push
#   the softmax towards a one-hot vector whose gradients are nearly zero. Dividing by $\sqrt{d}$
#   (not $d$) brings the variance back to 1.
# - **Masks.** A boolean mask says which keys a query may use (`True` = keep). A **causal** mask
#   lets position $i$ see only $j \le i$, so a language model cannot read the tokens it must
#   predict; a **padding** mask hides the filler at the end of shorter sequences. A masked score
#   is replaced by $-\infty$ before the softmax, so its weight is exactly $e^{-\infty} = 0$. If a
#   whole row is masked, the softmax becomes $0/0$ = NaN; this project defines that row as all
#   zeros (the query attends to nothing), and NaN must never leak out.
# - **Multi-head attention** projects the input to queries, keys and values with weight matrices,
#   cuts the $D$ features into $H$ blocks of $D/H$ (one block per head), runs attention in every
#   head independently (each head can attend to different things), glues the heads back
#   together and mixes them with an output matrix.
# - **Positions.** Attention itself is blind to order: permuting the keys permutes nothing in the
#   result. The sinusoidal table of the original Transformer *adds* sines and cosines of
#   geometrically spaced frequencies to the inputs; rotary embeddings (RoPE) instead *rotate*
#   each pair of query/key features by an angle proportional to the position, so that the dot
#   product of a rotated query and key depends only on their relative distance.
# - **PyTorch conventions here.** Inputs are tensors and results keep the input's dtype and
#   device. Create every new tensor on the inputs' device (`torch.arange(L, device=...)`), and
#   avoid Python decisions on tensor values (`if mask.any():`, `.item()`): the graders also run
#   your functions on `meta` tensors, which have a shape and a dtype but no values at all.
#   Angles for positions are computed in float64 (a float32 angle at position 30000 is already
#   off by about 0.002 rad) and only the final table is cast.
#
# ---
#
# アテンションは、系列の各位置がほかの位置を参照し、そこにある情報の重み付き平均をとる仕組み
# です。各位置は**クエリ** $q$(長さ $d$ のベクトル)を出し、すべての位置が**キー** $k$(同じく長さ
# $d$)と**バリュー** $v$(長さ $d_v$)を差し出します。クエリ $i$ に対するキー $j$ の重みは内積
# $q_i \cdot k_j$ が大きいほど大きくなります。
#
# $$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{d}}\right) V .$$
#
# - **形状**:`Q (Lq, d)`、`K (Lk, d)`、`V (Lk, dv)` のとき `Q K^T` は `(Lq, Lk)` で、行がクエリ、
#   列がキーに対応し、ソフトマックスは各行に沿って(キーについて)とります。実際のモデルでは
#   すべてのテンソルに先頭のバッチ(とヘッド)の軸が付いて `(..., L, d)` となるので、「転置」は
#   *最後の 2 軸* の入れ替え(`k.transpose(-2, -1)` や `k.mT`)を意味します。3 次元テンソルの
#   `k.T` は *すべての* 軸を逆順にするので誤りで、ソフトマックスの軸も `1` ではなく `-1` です。
# - **$\sqrt{d}$ で割る理由**:平均 0・分散 1 の独立な成分をもつベクトルどうしの内積は分散が
#   $d$ になります。スケーリングしないと大きさ $\sqrt{d}$ 程度のスコアによってソフトマックスが
#   one-hot に近づき、勾配がほとんど 0 になります。($d$ ではなく)$\sqrt{d}$ で割ると分散が 1 に
#   戻ります。
# - **マスク**:真偽値のマスクは、クエリがどのキーを使ってよいかを表します(`True` = 使う)。
#   **因果マスク**は位置 $i$ に $j \le i$ だけを見せるもので、言語モデルが予測すべきトークンを
#   先に読めないようにします。**パディングマスク**は短い系列の末尾の埋め草を隠します。マスクされた
#   スコアはソフトマックスの前に $-\infty$ に置き換えるので、その重みはちょうど
#   $e^{-\infty} = 0$ です。行全体がマスクされるとソフトマックスは $0/0$ = NaN になりますが、この
#   プロジェクトではその行をすべて 0(何も参照しない)と定め、NaN を外に出してはいけません。
# - **マルチヘッドアテンション**は、重み行列で入力をクエリ・キー・バリューに射影し、$D$ 個の
#   特徴量を $D/H$ ずつの $H$ 個のブロック(ヘッドごとに 1 ブロック)に分け、各ヘッドで独立に
#   アテンションを計算し(ヘッドごとに異なる関係を捉えられます)、ヘッドを元どおりつなげて出力
#   行列で混ぜ合わせます。
# - **位置**:アテンションそのものは順序を区別しません。キーを並べ替えても結果は何も変わり
#   ません。元祖 Transformer の正弦波の表は、等比数列的に並んだ周波数の sin と cos を入力に
#   *足し* ます。回転位置埋め込み(RoPE)はその代わりに、クエリとキーの特徴量を 2 つずつ組にして
#   位置に比例する角度だけ *回転* させるので、回転後のクエリとキーの内積は相対的な距離だけで
#   決まります。
# - **このトピックの PyTorch の約束**:入力はテンソルで、結果は入力と同じ dtype・同じデバイスに
#   します。新しいテンソルはすべて入力のデバイス上に作り(`torch.arange(L, device=...)`)、
#   テンソルの値に基づく Python の分岐(`if mask.any():` や `.item()`)は避けてください。採点では
#   形状と dtype だけを持ち値を持たない `meta` テンソルでも関数を実行します。位置の角度は
#   float64 で計算し(float32 では位置 30000 の角度がすでに約 0.002 rad ずれます)、最後にできた
#   表だけを目的の dtype に変換します。

# %%
import math

import torch

# %% [markdown]
# ## attention.attention_scores
#
# One matrix product gives every query-key dot product at once: `q @ k^T` with `k^T` the swap of
# the last two axes, `(..., Lq, d) @ (..., d, Lk) -> (..., Lq, Lk)`. Then divide by `sqrt(d)`,
# where `d` is the length of the feature axis (the last one), not of any sequence axis.
#
# 1 回の行列積ですべてのクエリとキーの内積が求まります。`k^T` は最後の 2 軸の入れ替えで、
# `(..., Lq, d) @ (..., d, Lk) -> (..., Lq, Lk)` です。そのあと `sqrt(d)` で割ります。`d` は
# 特徴量の軸(最後の軸)の長さで、系列の軸の長さではありません。

# %%
def attention_scores(q, k):
    """Scaled dot-product scores ``q k^T / sqrt(d)`` of every query with every key.

    ``q`` is a tensor ``(..., Lq, d)`` and ``k`` a tensor ``(..., Lk, d)`` with the same leading
    (batch, head) axes and the same floating dtype and device; ``Lq`` and ``Lk`` may differ.
    Returns the tensor ``(..., Lq, Lk)`` whose entry ``[..., i, j]`` is
    ``q[..., i, :] . k[..., j, :] / sqrt(d)``, with ``q``'s dtype and device. "Transpose" means the
    last two axes of ``k`` (``k.T`` is wrong for batched tensors). Raises ``ValueError`` naming
    both shapes when ``q`` and ``k`` do not have the same last axis ``d``. Inputs are not
    modified; the function also runs on ``meta`` tensors.

    すべてのクエリとすべてのキーのスケール付き内積スコア ``q k^T / sqrt(d)`` を返します。
    ``q`` は ``(..., Lq, d)``、``k`` は ``(..., Lk, d)`` のテンソルで、先頭の(バッチやヘッドの)軸、
    浮動小数点の dtype、デバイスが共通です。``Lq`` と ``Lk`` は違ってもかまいません。戻り値は
    ``(..., Lq, Lk)`` のテンソルで、成分 ``[..., i, j]`` は ``q[..., i, :] . k[..., j, :] / sqrt(d)``
    です。dtype とデバイスは ``q`` と同じです。「転置」は ``k`` の最後の 2 軸の入れ替えです
    (バッチ付きのテンソルに ``k.T`` を使うのは誤りです)。``q`` と ``k`` の最後の軸 ``d`` が
    異なる場合は、両方の形状を示す ``ValueError`` を送出します。入力は変更しません。``meta``
    テンソルでも動作します。
    """
    ### BEGIN SOLUTION
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"attention_scores: q and k must share the feature axis d, got {tuple(q.shape)} and {tuple(k.shape)}"
        )
    d = q.shape[-1]
    # (..., Lq, d) @ (..., d, Lk) -> (..., Lq, Lk); a Python float keeps q's dtype
    return (q @ k.transpose(-2, -1)) / math.sqrt(d)
    ### END SOLUTION


# %% [markdown]
# ## attention.causal_mask
#
# Position `i` may attend to `j` exactly when `j <= i`: the lower triangle, diagonal included.
# Comparing a column of row indices with a row of column indices broadcasts to the whole
# `(L, L)` table in one step. Create the indices on the requested `device`; a bare
# `torch.arange(L)` lives on the CPU whatever the caller asked for. The result is a bool tensor
# (not a float tensor of ones and zeros, and not an additive mask of `0` and `-inf`).
#
# 位置 `i` が `j` を参照できるのは `j <= i` のときだけで、対角成分を含む下三角になります。
# 行番号の列ベクトルと列番号の行ベクトルを比較すると、ブロードキャストで `(L, L)` の表が一度に
# できます。番号は指定された `device` 上に作ってください。`device` を付けない `torch.arange(L)` は
# 呼び出し側が何を指定しても CPU 上にできてしまいます。結果は bool のテンソルです(1 と 0 の
# float テンソルでも、`0` と `-inf` の加算マスクでもありません)。

# %%
def causal_mask(L, device=None):
    """The causal attention mask: a bool ``(L, L)`` tensor, ``True`` where ``j <= i``.

    ``L`` is a non-negative int (the sequence length) and ``device`` a ``torch.device``, a device
    string or ``None`` (torch's default device, normally the CPU). Entry ``[i, j]`` is ``True``
    when query position ``i`` may attend to key position ``j``, i.e. when ``j <= i`` (the lower
    triangle, diagonal included), and ``False`` above the diagonal. The tensor has dtype
    ``torch.bool`` and is created directly on ``device`` (``device=torch.device("meta")`` gives a
    meta tensor). ``L = 0`` gives an empty ``(0, 0)`` tensor; a negative ``L`` raises
    ``ValueError``.

    因果アテンションのマスク、すなわち ``j <= i`` の位置が ``True`` の bool テンソル ``(L, L)`` を
    返します。``L`` は 0 以上の整数(系列長)、``device`` は ``torch.device``、デバイスを表す
    文字列、または ``None``(torch の既定のデバイス、通常は CPU)です。成分 ``[i, j]`` は、
    クエリの位置 ``i`` がキーの位置 ``j`` を参照できるとき、つまり ``j <= i`` のとき(対角成分を
    含む下三角)に ``True`` で、対角より上は ``False`` です。dtype は ``torch.bool`` で、最初から
    ``device`` 上に作ります(``device=torch.device("meta")`` なら meta テンソルになります)。
    ``L = 0`` なら空の ``(0, 0)`` テンソルを返し、負の ``L`` は ``ValueError`` です。
    """
    ### BEGIN SOLUTION
    if L < 0:
        raise ValueError(f"causal_mask: the length L must be >= 0, got {L}")
    position = torch.arange(L, device=device)  # (L,) on the requested device
    return position[None, :] <= position[:, None]  # (1, L) <= (L, 1) -> (L, L): [i, j] = j <= i
    ### END SOLUTION


# %% [markdown]
# ## attention.masked_softmax
#
# Replace every masked score by `-inf` (with `masked_fill`, which returns a new tensor and also
# overwrites any NaN or inf that padding left there), subtract each row's maximum so that no
# exponent is positive, exponentiate, and divide by the row sum. A fully masked row has maximum
# `-inf`; use 0 instead so the row stays `-inf - 0 = -inf`, every `exp` is exactly 0, and its sum
# is 0. Divide by 1 where the sum is 0 and that row comes out as zeros instead of `0/0`. All of
# this is tensor arithmetic: no `if` on tensor values, so it also runs on `meta` tensors.
#
# マスクされたスコアを `-inf` に置き換え(`masked_fill` は新しいテンソルを返し、パディングに
# 入っている NaN や inf も上書きします)、各行の最大値を引いて指数が正にならないようにし、指数を
# とって行の和で割ります。すべてマスクされた行の最大値は `-inf` なので、代わりに 0 を引きます。
# するとその行は `-inf - 0 = -inf` のままで、`exp` はすべてちょうど 0、和も 0 になります。和が
# 0 のところは 1 で割れば、その行は `0/0` ではなく 0 になります。すべてテンソルの演算で書き、
# テンソルの値による `if` は使わないので、`meta` テンソルでも動きます。

# %%
def masked_softmax(scores, mask=None):
    """Softmax of ``scores`` over the last axis, with masked positions set to exactly 0.

    ``scores`` is a floating tensor ``(..., Lk)`` (typically ``(..., Lq, Lk)``). ``mask`` is
    ``None`` or a bool tensor on the same device that broadcasts to ``scores.shape`` (for example
    ``(Lq, Lk)``, ``(B, 1, 1, Lk)`` or ``(Lk,)``); ``True`` means keep, ``False`` means masked out.
    Returns a tensor of ``scores``' shape, dtype and device: along the last axis the kept
    positions hold ``exp(s_j) / sum_{kept} exp(s_l)`` and the masked positions hold exactly 0
    (not a tiny number). A row whose positions are all masked is all zeros, never NaN. The values
    of ``scores`` at masked positions may be anything (NaN, inf) and do not affect the result.
    Stable for scores as large as ``+-1e4`` in float32 (subtract the row maximum first). Raises
    ``ValueError`` when ``mask`` is not a bool tensor or does not broadcast to ``scores.shape``.
    Inputs are not modified; no Python decision depends on tensor values, so it also runs on
    ``meta`` tensors.

    ``scores`` の最後の軸に沿ったソフトマックスで、マスクされた位置はちょうど 0 にします。
    ``scores`` は浮動小数点のテンソル ``(..., Lk)``(ふつうは ``(..., Lq, Lk)``)です。``mask`` は
    ``None``、または同じデバイス上にあり ``scores.shape`` にブロードキャストできる bool
    テンソル(例:``(Lq, Lk)``、``(B, 1, 1, Lk)``、``(Lk,)``)で、``True`` は残す、``False`` は
    マスクして除くことを表します。戻り値は ``scores`` と同じ形状・dtype・デバイスのテンソルで、
    最後の軸に沿って、残す位置は ``exp(s_j) / sum_{残す位置} exp(s_l)``、マスクされた位置は
    ちょうど 0(ごく小さな値ではなく)になります。すべての位置がマスクされた行はすべて 0 で、
    決して NaN になりません。マスクされた位置の ``scores`` の値は何であっても(NaN や inf でも)
    結果に影響しません。float32 で ``+-1e4`` 程度のスコアでも安定です(先に行の最大値を
    引きます)。``mask`` が bool テンソルでない場合や ``scores.shape`` にブロードキャストできない
    場合は ``ValueError`` を送出します。入力は変更しません。テンソルの値によって Python の処理を
    分岐させないので、``meta`` テンソルでも動作します。
    """
    ### BEGIN SOLUTION
    if mask is not None:
        if mask.dtype != torch.bool:
            raise ValueError(f"masked_softmax: mask must be a bool tensor, got dtype {mask.dtype}")
        # Broadcasting aligns the shapes from the right: each mask axis is 1 or the scores' length.
        pairs = zip(reversed(mask.shape), reversed(scores.shape))
        if mask.dim() > scores.dim() or any(m not in (1, s) for m, s in pairs):
            raise ValueError(
                f"masked_softmax: mask of shape {tuple(mask.shape)} does not broadcast to scores {tuple(scores.shape)}"
            )
        scores = scores.masked_fill(~mask, float("-inf"))  # a new tensor; padding values are gone
    top = scores.amax(dim=-1, keepdim=True)  # (..., 1); -inf for a fully masked row
    top = torch.where(torch.isfinite(top), top, torch.zeros_like(top))
    e = torch.exp(scores - top)  # every exponent <= 0; masked positions give exactly 0
    total = e.sum(dim=-1, keepdim=True)  # (..., 1); 0 only for a fully masked row
    return e / torch.where(total > 0, total, torch.ones_like(total))
    ### END SOLUTION


# %% [markdown]
# ## attention.scaled_dot_product_attention
#
# Put the two previous pieces together: the weights are the masked softmax of the scaled scores,
# one probability distribution over the keys per query, and the output of query `i` is the
# weighted average of the value rows, `weights @ v`. Scale the scores *before* the softmax:
# dividing the weights afterwards just makes rows that no longer sum to 1.
#
# これまでの 2 つを組み合わせます。重みはスケール付きスコアのマスク付きソフトマックスで、
# クエリごとにキー上の確率分布を 1 つ与えます。クエリ `i` の出力はバリューの行をその重みで
# 平均したもの `weights @ v` です。スケーリングはソフトマックスの *前に* 行います。後から重みを
# 割っても、和が 1 にならない行ができるだけです。

# %%
def scaled_dot_product_attention(q, k, v, mask=None):
    """Scaled dot-product attention: returns ``(out, weights)``.

    ``q (..., Lq, d)``, ``k (..., Lk, d)`` and ``v (..., Lk, dv)`` are tensors with the same leading
    axes, dtype and device (``Lq != Lk`` and ``dv != d`` are allowed, as in cross-attention);
    ``mask`` is ``None`` or a bool tensor broadcastable to ``(..., Lq, Lk)``, ``True`` = keep.
    ``weights = masked_softmax(attention_scores(q, k), mask)`` has shape ``(..., Lq, Lk)`` and
    ``out = weights @ v`` has shape ``(..., Lq, dv)``; both have ``q``'s dtype and device. A query
    whose keys are all masked gets zero weights and a zero output row. The scores of masked
    positions never matter, but ``v`` itself must be finite (``0 * NaN`` is NaN in the product).
    Returns the tuple ``(out, weights)`` in that order. Inputs are not modified; it also runs on
    ``meta`` tensors.

    スケール付き内積アテンションを計算し、``(out, weights)`` を返します。``q (..., Lq, d)``、
    ``k (..., Lk, d)``、``v (..., Lk, dv)`` は先頭の軸・dtype・デバイスが共通のテンソルです
    (クロスアテンションのように ``Lq != Lk`` や ``dv != d`` でもかまいません)。``mask`` は
    ``None``、または ``(..., Lq, Lk)`` にブロードキャストできる bool テンソルで、``True`` が
    残す位置です。``weights = masked_softmax(attention_scores(q, k), mask)`` は形状
    ``(..., Lq, Lk)``、``out = weights @ v`` は形状 ``(..., Lq, dv)`` で、どちらも ``q`` と同じ
    dtype・デバイスです。すべてのキーがマスクされたクエリは、重みも出力の行もすべて 0 に
    なります。マスクされた位置のスコアは結果に関係しませんが、``v`` そのものは有限でなければ
    なりません(積の中で ``0 * NaN`` は NaN です)。タプル ``(out, weights)`` をこの順で返します。
    入力は変更しません。``meta`` テンソルでも動作します。
    """
    ### BEGIN SOLUTION
    weights = masked_softmax(attention_scores(q, k), mask)  # (..., Lq, Lk), rows sum to 1 (or 0)
    out = weights @ v  # (..., Lq, Lk) @ (..., Lk, dv) -> (..., Lq, dv)
    return out, weights
    ### END SOLUTION


# %% [markdown]
# ## attention.multi_head_attention
#
# Project with row vectors (`x @ w_q`, `kv @ w_k`, `kv @ w_v`), then split the `D` features into
# `H` contiguous blocks of `d = D / H`: reshape `(B, L, D) -> (B, L, H, d)` and only then move the
# head axis forward with a transpose, `(B, H, L, d)`. Reshaping straight to `(B, H, L, d)` would
# mix positions and features. Every head runs `scaled_dot_product_attention` at once (the head
# axis is just another batch axis) and is scaled by `sqrt(d)`, the head size. Merge with the
# inverse steps (transpose back, then reshape to `(B, Lq, D)`) and apply `w_o`. For
# cross-attention the keys and values come from `kv`, whose length `Lk` may differ from `Lq`.
#
# 行ベクトルの規約で射影し(`x @ w_q`、`kv @ w_k`、`kv @ w_v`)、`D` 個の特徴量を大きさ
# `d = D / H` の連続した `H` 個のブロックに分けます。`(B, L, D) -> (B, L, H, d)` と reshape して
# から、転置でヘッドの軸を前に移して `(B, H, L, d)` にします。いきなり `(B, H, L, d)` に reshape
# すると位置と特徴量が混ざってしまいます。ヘッドの軸は単なるもう 1 つのバッチ軸なので、
# `scaled_dot_product_attention` で全ヘッドを一度に計算でき、スケールはヘッドの大きさ `d` の
# `sqrt(d)` になります。逆の手順(転置で戻してから `(B, Lq, D)` に reshape)で結合し、`w_o` を
# 掛けます。クロスアテンションではキーとバリューを `kv` から作り、その長さ `Lk` は `Lq` と
# 違ってもかまいません。

# %%
def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads, mask=None, kv=None):
    """Multi-head attention with row-vector weights: returns ``(out, weights)``.

    ``x`` is a tensor ``(B, Lq, D)``; ``kv`` is ``None`` (self-attention: ``kv = x``) or a tensor
    ``(B, Lk, D)`` (cross-attention). ``w_q``, ``w_k``, ``w_v``, ``w_o`` are ``(D, D)`` tensors
    applied to row vectors: ``q = x @ w_q``, ``k = kv @ w_k``, ``v = kv @ w_v``. ``n_heads = H``
    is a positive int dividing ``D``; head ``h`` uses feature columns ``[h*D/H, (h+1)*D/H)`` of
    ``q``, ``k`` and ``v`` (as ``transposes.split_heads``). Each head runs
    ``scaled_dot_product_attention`` (scale ``1/sqrt(D/H)``) with ``mask``, which is ``None`` or a
    bool tensor broadcastable to ``(B, H, Lq, Lk)`` (e.g. a causal ``(Lq, Lk)``, a padding mask
    ``(B, 1, 1, Lk)``, or one per head), ``True`` = keep. The head outputs are merged back to
    ``(B, Lq, D)`` (head ``h`` again in columns ``[h*D/H, (h+1)*D/H)``) and multiplied by ``w_o``.
    Returns ``(out (B, Lq, D), weights (B, H, Lq, Lk))``, with ``x``'s dtype and device. Raises
    ``ValueError`` naming the values when ``n_heads < 1`` or ``D % n_heads != 0``, and naming the
    shapes when ``x`` or ``kv`` is not 3-D or they disagree on ``B`` or ``D``. Inputs are not
    modified; it also runs on ``meta`` tensors.

    行ベクトル規約の重みによるマルチヘッドアテンションを計算し、``(out, weights)`` を返します。
    ``x`` は ``(B, Lq, D)`` のテンソル、``kv`` は ``None``(自己アテンション:``kv = x``)または
    ``(B, Lk, D)`` のテンソル(クロスアテンション)です。``w_q``、``w_k``、``w_v``、``w_o`` は
    ``(D, D)`` のテンソルで、行ベクトルに右から掛けます:``q = x @ w_q``、``k = kv @ w_k``、
    ``v = kv @ w_v``。``n_heads = H`` は ``D`` を割り切る正の整数で、ヘッド ``h`` は ``q``、``k``、
    ``v`` の特徴量の列 ``[h*D/H, (h+1)*D/H)`` を使います(``transposes.split_heads`` と同じ)。
    各ヘッドは ``mask`` を使って ``scaled_dot_product_attention``(スケール ``1/sqrt(D/H)``)を
    計算します。``mask`` は ``None``、または ``(B, H, Lq, Lk)`` にブロードキャストできる bool
    テンソル(例:因果マスク ``(Lq, Lk)``、パディングマスク ``(B, 1, 1, Lk)``、ヘッドごとのマスク)
    で、``True`` が残す位置です。各ヘッドの出力を ``(B, Lq, D)`` に結合し(ヘッド ``h`` は再び列
    ``[h*D/H, (h+1)*D/H)``)、``w_o`` を掛けます。戻り値は
    ``(out (B, Lq, D), weights (B, H, Lq, Lk))`` で、dtype とデバイスは ``x`` と同じです。
    ``n_heads < 1`` または ``D % n_heads != 0`` のときはその値を示す ``ValueError`` を、``x`` や
    ``kv`` が 3 次元でない場合や ``B``・``D`` が食い違う場合は形状を示す ``ValueError`` を送出
    します。入力は変更しません。``meta`` テンソルでも動作します。
    """
    ### BEGIN SOLUTION
    kv = x if kv is None else kv
    if x.dim() != 3 or kv.dim() != 3 or kv.shape[0] != x.shape[0] or kv.shape[2] != x.shape[2]:
        raise ValueError(
            f"multi_head_attention: need x (B, Lq, D) and kv (B, Lk, D), got {tuple(x.shape)} and {tuple(kv.shape)}"
        )
    B, Lq, D = x.shape
    if n_heads < 1 or D % n_heads != 0:
        raise ValueError(f"multi_head_attention: n_heads={n_heads} must be >= 1 and divide D={D}")
    d = D // n_heads

    def split(t):  # (B, L, D) -> (B, L, H, d) -> (B, H, L, d): head h holds columns [h*d, (h+1)*d)
        return t.reshape(t.shape[0], t.shape[1], n_heads, d).transpose(1, 2)

    q = split(x @ w_q)  # (B, H, Lq, d)
    k = split(kv @ w_k)  # (B, H, Lk, d)
    v = split(kv @ w_v)  # (B, H, Lk, d)
    heads, weights = scaled_dot_product_attention(q, k, v, mask)  # (B, H, Lq, d), (B, H, Lq, Lk)
    merged = heads.transpose(1, 2).reshape(B, Lq, D)  # (B, Lq, H, d) -> (B, Lq, D)
    return merged @ w_o, weights
    ### END SOLUTION


# %% [markdown]
# ## attention.sinusoidal_positions
#
# Column pair `(2i, 2i+1)` oscillates with the angle `p / base^(2i/d)`: the first pair turns by one
# radian per position, the last one almost not at all, so together they give every position a
# distinct pattern. Build the angles as an outer product of the positions `(L, 1)` and the inverse
# frequencies `(1, d/2)`, in float64, on the requested device; write the sines into the even
# columns and the cosines into the odd ones (interleaved, not two halves); cast to `dtype` only at
# the end.
#
# 列の組 `(2i, 2i+1)` は角度 `p / base^(2i/d)` で振動します。最初の組は位置 1 つにつき 1 ラジアン
# 回り、最後の組はほとんど回らないので、全体として各位置に異なるパターンを与えます。角度は位置
# `(L, 1)` と周波数 `(1, d/2)` の外積として、float64 で、指定されたデバイス上に作ります。sin を
# 偶数列に、cos を奇数列に書き込み(前半と後半に分けるのではなく交互に)、最後にだけ `dtype` に
# 変換します。

# %%
def sinusoidal_positions(L, d, base=10000.0, dtype=torch.float32, device=None):
    """The sinusoidal position table ``(L, d)`` of the original Transformer.

    ``L`` and ``d`` are non-negative ints, ``d`` even; ``base`` a positive number; ``dtype`` a
    floating torch dtype; ``device`` a ``torch.device``, a device string or ``None`` (the default
    device). Entry ``[p, 2i]`` is ``sin(p / base^(2i/d))`` and entry ``[p, 2i+1]`` is
    ``cos(p / base^(2i/d))`` for positions ``p = 0..L-1`` and ``i = 0..d/2-1``: sines in the even
    columns, cosines in the odd ones. The angles are computed in float64 (exact to float64 even
    for positions in the tens of thousands) and the table is cast to ``dtype`` only at the end.
    Returns a tensor of that dtype created on ``device`` (a meta tensor for ``"meta"``). Raises
    ``ValueError`` naming the value when ``d`` is odd, or when ``L`` or ``d`` is negative.

    元祖 Transformer の正弦波の位置表 ``(L, d)`` を返します。``L`` と ``d`` は 0 以上の整数で
    ``d`` は偶数、``base`` は正の数、``dtype`` は浮動小数点の torch の dtype、``device`` は
    ``torch.device``、デバイスを表す文字列、または ``None``(既定のデバイス)です。位置
    ``p = 0..L-1`` と ``i = 0..d/2-1`` について、成分 ``[p, 2i]`` は ``sin(p / base^(2i/d))``、成分
    ``[p, 2i+1]`` は ``cos(p / base^(2i/d))`` です。偶数列が sin、奇数列が cos です。角度は
    float64 で計算し(位置が数万でも float64 の精度で正確です)、表は最後にだけ ``dtype`` に
    変換します。戻り値はその dtype で ``device`` 上に作られたテンソルです(``"meta"`` なら meta
    テンソル)。``d`` が奇数の場合、または ``L`` や ``d`` が負の場合は、その値を示す
    ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    if d % 2 != 0 or d < 0 or L < 0:
        raise ValueError(f"sinusoidal_positions: need L >= 0 and an even d >= 0, got L={L}, d={d}")
    position = torch.arange(L, dtype=torch.float64, device=device)[:, None]  # (L, 1)
    two_i = torch.arange(0, d, 2, dtype=torch.float64, device=device)  # (d/2,): 0, 2, 4, ...
    angle = position / base ** (two_i / d)  # (L, d/2), float64
    table = torch.empty(L, d, dtype=torch.float64, device=device)
    table[:, 0::2] = torch.sin(angle)  # even columns
    table[:, 1::2] = torch.cos(angle)  # odd columns
    return table.to(dtype)
    ### END SOLUTION


# %% [markdown]
# ## attention.apply_rope
#
# Treat features `(2i, 2i+1)` as a point `(a, b)` in the plane and rotate it by the angle
# `theta = p * base^(-2i/d)`: `(a cos - b sin, a sin + b cos)`. Compute the angles (and their
# cosines and sines) in float64 on `x`'s device, from the given positions or `0..L-1`, broadcast
# them `(L, d/2)` against `x[..., 0::2]` and `x[..., 1::2]` `(..., L, d/2)`, and write the two
# results back into the even and odd columns of a new tensor of `x`'s dtype. Rotating a query at
# position `m` and a key at position `n` multiplies their dot product by a rotation of angle
# `(m - n) * ...`: only the distance between them survives.
#
# 特徴量 `(2i, 2i+1)` を平面上の点 `(a, b)` とみなし、角度 `theta = p * base^(-2i/d)` だけ回転
# させます:`(a cos - b sin, a sin + b cos)`。角度(とその cos と sin)は、与えられた位置(または
# `0..L-1`)から float64 で `x` のデバイス上に計算し、`(L, d/2)` を `x[..., 0::2]` と
# `x[..., 1::2]`(`(..., L, d/2)`)にブロードキャストして、2 つの結果を `x` と同じ dtype の新しい
# テンソルの偶数列と奇数列に書き戻します。位置 `m` のクエリと位置 `n` のキーをそれぞれ回転させると、
# 内積には角度 `(m - n) * ...` の回転だけが残り、両者の距離だけが効いてきます。

# %%
def apply_rope(x, positions=None, base=10000.0):
    """Rotary position embedding (RoPE) of ``x (..., L, d)`` with interleaved pairs.

    ``x`` is a floating tensor ``(..., L, d)`` with ``d`` even. ``positions`` is ``None`` (positions
    ``0..L-1``), a 1-D tensor of ``L`` positions (integer or floating, on ``x``'s device), or a
    sequence of ``L`` Python numbers (read as float64); positions need not be integers or
    increasing. ``base`` is a positive number. For the pair ``(a, b) = (x[..., 2i], x[..., 2i+1])``
    at position ``p`` the angle is ``theta = p * base^(-2i/d)`` and the result holds
    ``(a cos theta - b sin theta, a sin theta + b cos theta)`` in columns ``(2i, 2i+1)``. The
    angles (and their cosines and sines) are computed in float64; the result is a new tensor
    with ``x``'s shape, dtype and device. Raises ``ValueError`` naming the shape when ``x`` has
    fewer than 2 axes or an odd ``d``, or when ``positions`` does not hold ``L`` values. Inputs
    are not modified; it also runs on ``meta`` tensors.

    インターリーブ方式(隣り合う 2 成分を組にする方式)の回転位置埋め込み(RoPE)を
    ``x (..., L, d)`` に適用します。``x`` は ``d`` が偶数の浮動小数点のテンソル ``(..., L, d)`` です。
    ``positions`` は ``None``(位置 ``0..L-1``)、``L`` 個の位置をもつ 1 次元テンソル(整数または
    浮動小数点で、``x`` と同じデバイス上)、または ``L`` 個の Python の数の列(float64 として
    読みます)です。位置は整数でなくても、増加していなくてもかまいません。``base`` は正の数です。
    位置 ``p`` にある組 ``(a, b) = (x[..., 2i], x[..., 2i+1])`` の角度は
    ``theta = p * base^(-2i/d)`` で、結果の列 ``(2i, 2i+1)`` には
    ``(a cos theta - b sin theta, a sin theta + b cos theta)`` が入ります。角度(とその cos と
    sin)は float64 で計算し、結果は ``x`` と同じ形状・dtype・デバイスの新しいテンソルです。``x``
    の軸が 2 つ未満の場合や ``d`` が奇数の場合、または ``positions`` の値が ``L`` 個でない場合は、
    形状を示す ``ValueError`` を送出します。入力は変更しません。``meta`` テンソルでも動作します。
    """
    ### BEGIN SOLUTION
    if x.dim() < 2 or x.shape[-1] % 2 != 0:
        raise ValueError(f"apply_rope: x must be (..., L, d) with an even d, got shape {tuple(x.shape)}")
    L, d = x.shape[-2], x.shape[-1]
    if positions is None:
        p = torch.arange(L, dtype=torch.float64, device=x.device)
    elif isinstance(positions, torch.Tensor):
        p = positions.to(device=x.device, dtype=torch.float64)
    else:
        p = torch.tensor(positions, dtype=torch.float64, device=x.device)
    if p.shape != (L,):
        raise ValueError(f"apply_rope: positions must hold L={L} values, got shape {tuple(p.shape)}")
    two_i = torch.arange(0, d, 2, dtype=torch.float64, device=x.device)  # (d/2,)
    theta = p[:, None] * base ** (-two_i / d)  # (L, d/2), float64
    cos, sin = torch.cos(theta).to(x.dtype), torch.sin(theta).to(x.dtype)
    a, b = x[..., 0::2], x[..., 1::2]  # (..., L, d/2) each: the two halves of every pair
    out = torch.empty_like(x)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = a * sin + b * cos
    return out
    ### END SOLUTION
