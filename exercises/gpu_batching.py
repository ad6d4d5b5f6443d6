# Exercises of the topic `gpu_batching`: replace every `raise NotImplementedError` with your code.
# 課題 `gpu_batching`: `raise NotImplementedError` をあなたのコードに置き換えてください。
# (Generated from solutions/gpu_batching.py by `tensorkata build`.)

# %% [markdown]
# # Batching, padding and devices / バッチ処理・パディング・デバイス
#
# A GPU is fast only when it gets a lot of identical work at once. A language model therefore
# never processes one sentence at a time: it stacks many of them into one tensor and runs every
# operation on the whole **batch**. This topic covers the habits that make such code correct and
# fast, wherever it runs.
#
# 1. **One operation for the whole batch.** A Python `for` loop over the batch launches one small
#    operation per example; on a GPU each launch costs far more than the arithmetic itself. Write
#    the computation once for a tensor with a leading batch dimension `B` (elementwise products,
#    reductions along a chosen `dim`, `torch.bmm`, broadcasting), so that the number of torch
#    operations does not depend on `B`. The graders count operations at two batch sizes.
# 2. **Only the intermediates you need.** Memory, not arithmetic, is usually what runs out. The
#    row-wise dot products of two `(B, d)` matrices are the diagonal of `x @ y.T`, but that
#    product is a `B x B` matrix of which only `B` entries mean anything. Squared distances
#    between `N` and `M` points can be written with an `(N, M, d)` broadcast of differences, or
#    with `|x|² + |y|² - 2 x·y`, whose largest piece is the `(N, M)` result itself.
# 3. **Padding and masks.** Sentences have different lengths `L_i`. To stack them, shorter ones
#    are padded to the longest length `L_max`, and a **length mask** (`True` at real positions
#    `t < L_i`) remembers which entries are real. Padded entries hold arbitrary values (zeros,
#    `NaN`, `inf`, the target `-100`), and every result must ignore them completely. Multiplying
#    by a 0/1 mask is not enough, because `0 * NaN = NaN` and `0 * inf = NaN`: select with
#    `torch.where(mask, x, 0)` instead, *before* any arithmetic touches the padded values. Means
#    divide by the number of real positions, never by `L_max`; the loss of a batch of sentences
#    is the mean over all real tokens together (a long sentence counts more than a short one).
# 4. **Device-agnostic code.** A tensor lives on a device (`cpu`, `cuda`, or `meta`, a device that
#    stores only shapes and dtypes, handy for checking shapes without computing anything). Every
#    tensor a function creates must be created on its inputs' device: `torch.arange(L,
#    device=x.device)`, `x.new_zeros(...)`, `torch.zeros_like(x)`. A bare `torch.arange(L)` lands
#    on the CPU and breaks the function on any other device. Keep the input's dtype as well: a
#    float16 model expects float16 results (computing internally in float32 and casting back at
#    the end is fine and often more accurate).
# 5. **Chunking.** When even one batched operation does not fit in memory, split the batch into
#    consecutive chunks along dim 0, process one chunk at a time and concatenate. For a row-wise
#    function the result is the same, and peak memory is bounded by the chunk size.
# 6. **Causal attention over padded batches.** Position `i` may attend to positions `j <= i` of
#    its own sentence only. With padding, the causal mask is combined with the length mask, the
#    padded queries produce zero rows, and padded values never reach the weighted sum.
#
# GPU は同じ種類の大量の計算を一度に与えられたときにだけ速く動きます。そのため言語モデルは文を
# 1 つずつ処理することはなく、多数の文を 1 つのテンソルに積み重ね、すべての演算を**バッチ**
# 全体に対して実行します。このトピックでは、どのデバイスで動かしても正しく速いコードを書く
# ための習慣を扱います。
#
# 1. **バッチ全体を 1 回の演算で。** バッチを Python の `for` ループで回すと、例ごとに小さな
#    演算を 1 回ずつ起動することになり、GPU ではその起動のコストが計算そのものよりはるかに
#    大きくなります。先頭にバッチ次元 `B` を持つテンソルに対して計算を一度だけ書けば
#    (要素ごとの積、`dim` を指定した縮約、`torch.bmm`、ブロードキャスト)、torch の演算回数は
#    `B` に依存しません。採点では 2 種類のバッチサイズで演算回数を数えます。
# 2. **必要な中間結果だけを作る。** 足りなくなるのはたいてい計算量ではなくメモリです。
#    `(B, d)` 行列 2 つの行ごとの内積は `x @ y.T` の対角成分ですが、この積は `B x B` 行列で、
#    意味があるのはそのうち `B` 個だけです。`N` 個と `M` 個の点の間の距離の 2 乗は、差を
#    `(N, M, d)` にブロードキャストしても書けますが、`|x|² + |y|² - 2 x·y` と書けば最大の
#    中間結果は `(N, M)` の結果そのものになります。
# 3. **パディングとマスク。** 文の長さ `L_i` はまちまちです。積み重ねるために短い文を最長の
#    長さ `L_max` までパディングし、**長さマスク**(実在する位置 `t < L_i` で `True`)でどの
#    要素が本物かを覚えておきます。パディング位置には任意の値(0、`NaN`、`inf`、目標値
#    `-100`)が入っていてよく、どの結果もそれらを完全に無視しなければなりません。0/1 のマスクを
#    掛けるだけでは不十分です。`0 * NaN = NaN`、`0 * inf = NaN` だからです。パディングの値に
#    演算が触れる*前に* `torch.where(mask, x, 0)` で選び出してください。平均は `L_max` では
#    なく実在する位置の個数で割ります。文のバッチの損失は、すべての実在トークンをまとめた平均
#    です(長い文は短い文より大きく効きます)。
# 4. **デバイスに依存しないコード。** テンソルはデバイス(`cpu`、`cuda`、あるいは形状と dtype
#    だけを持ち計算をしない `meta`。形状の確認に便利です)の上にあります。関数の中で作る
#    テンソルはすべて入力と同じデバイス上に作ります。`torch.arange(L, device=x.device)`、
#    `x.new_zeros(...)`、`torch.zeros_like(x)` などです。`device=` のない `torch.arange(L)` は
#    CPU 上にでき、ほかのデバイスでは関数が動かなくなります。dtype も入力のものを保ちます。
#    float16 のモデルは float16 の結果を期待します(内部で float32 で計算し最後に戻すのは
#    かまいませんし、そのほうが正確なこともよくあります)。
# 5. **チャンク分割。** バッチ全体の演算が 1 回でもメモリに収まらないときは、バッチを dim 0 に
#    沿って連続したチャンクに分け、1 チャンクずつ処理して連結します。行ごとの関数なら結果は
#    変わらず、メモリの最大使用量はチャンクの大きさで抑えられます。
# 6. **パディングされたバッチでの因果的アテンション。** 位置 `i` が参照できるのは自分の文の
#    位置 `j <= i` だけです。パディングがあるときは因果マスクと長さマスクを組み合わせ、
#    パディング位置のクエリの出力は 0 の行にし、パディング位置の値が重み付き和に入らない
#    ようにします。

# %%
import math

import torch

# %% [markdown]
# ## gpu_batching.rowwise_dot
#
# Row `b` of the result is `sum_k x[b, k] * y[b, k]`: multiply elementwise and sum along the
# feature dimension. `x @ y.T` would compute all `B x B` pairs `x[i]·y[j]` and keep only the
# diagonal, which costs `B` times the work and a `B x B` block of memory; `torch.diagonal` of it is
# right in value and wrong in memory.
#
# 結果の第 `b` 要素は `sum_k x[b, k] * y[b, k]` です。要素ごとに掛けて特徴の次元に沿って和を
# とります。`x @ y.T` は `B x B` 個すべての組 `x[i]·y[j]` を計算して対角成分だけを使うことに
# なり、計算量が `B` 倍、メモリも `B x B` 必要になります。その `torch.diagonal` は値こそ
# 正しいものの、メモリの使い方が誤りです。

# %%
def rowwise_dot(x, y):
    """Dot product of every row of ``x`` with the same row of ``y``: ``(B, d), (B, d) -> (B,)``.

    ``x`` and ``y`` are tensors of the same shape ``(B, d)``, dtype and device. Returns the tensor
    ``out`` of shape ``(B,)`` with ``out[b] = sum_k x[b, k] * y[b, k]``, in the inputs' dtype and on
    their device (any device, ``meta`` included). Vectorized: the number of torch operations does
    not depend on ``B``, and no ``B x B`` intermediate (such as ``x @ y.T``) is ever built. Raises
    ``ValueError`` naming both shapes when the inputs are not two 2-D tensors of one shape. The
    inputs are not modified.

    ``x`` の各行と ``y`` の同じ行との内積を求めます(``(B, d), (B, d) -> (B,)``)。``x`` と ``y``
    は形状 ``(B, d)``、dtype、デバイスが等しいテンソルです。戻り値は
    ``out[b] = sum_k x[b, k] * y[b, k]`` を持つ形状 ``(B,)`` のテンソルで、dtype もデバイスも
    入力と同じです(``meta`` を含むどのデバイスでも動きます)。ベクトル化されていること:
    torch の演算回数は ``B`` に依存せず、``B x B`` の中間結果(``x @ y.T`` など)は決して作り
    ません。入力が同じ形状の 2 次元テンソル 2 つでない場合は、両方の形状を示して
    ``ValueError`` を送出します。入力は変更しません。
    """
    raise NotImplementedError("gpu_batching.rowwise_dot")


# %% [markdown]
# ## gpu_batching.batched_matmul
#
# A batch of independent matrix products: `out[b] = a[b] @ b[b]`. `torch.bmm` (or `@`, which
# treats leading dimensions as a batch) does all of them in one call. The inner dimensions must
# agree (`m`), and the second operand is used as it is, not transposed.
#
# 互いに独立な行列積のバッチ `out[b] = a[b] @ b[b]` です。`torch.bmm`(あるいは先頭の次元を
# バッチとして扱う `@`)を使えば 1 回の呼び出しですべて計算できます。内側の次元 `m` が一致して
# いる必要があり、2 つ目の行列は転置せずにそのまま使います。

# %%
def batched_matmul(a, b):
    """Batched matrix product ``(B, n, m) @ (B, m, p) -> (B, n, p)``: ``out[i] = a[i] @ b[i]``.

    ``a`` and ``b`` are 3-D tensors of one dtype on one device with the same batch size ``B`` and
    matching inner dimension ``m``. Returns a tensor of shape ``(B, n, p)`` in that dtype, on that
    device. Vectorized: one batched operation, no Python loop over the batch. Raises
    ``ValueError`` naming both shapes when the inputs are not 3-D, or their batch sizes or inner
    dimensions differ. The inputs are not modified.

    バッチ化した行列積 ``(B, n, m) @ (B, m, p) -> (B, n, p)``、つまり ``out[i] = a[i] @ b[i]``
    を求めます。``a`` と ``b`` は同じ dtype・同じデバイスの 3 次元テンソルで、バッチサイズ
    ``B`` と内側の次元 ``m`` が一致します。戻り値は形状 ``(B, n, p)`` のテンソルで、dtype も
    デバイスも入力と同じです。ベクトル化されていること: バッチ全体を 1 回の演算で計算し、
    バッチを Python のループで回しません。入力が 3 次元でない場合、バッチサイズや内側の次元が
    一致しない場合は、両方の形状を示して ``ValueError`` を送出します。入力は変更しません。
    """
    raise NotImplementedError("gpu_batching.batched_matmul")


# %% [markdown]
# ## gpu_batching.pad_sequences
#
# Allocate the padded batch `(B, L_max, *F)` filled with `padding_value` on the sequences'
# device and in their dtype, then copy each sequence into the beginning of its row (right
# padding). The lengths go into an int64 tensor on the same device. Zero-length sequences simply
# leave their row all padding. This is what `torch.nn.utils.rnn.pad_sequence(..., batch_first=True)`
# does; its default `batch_first=False` gives the time-major layout `(L_max, B, *F)` instead.
# Check the inputs first: an empty list has no dtype, device or trailing shape to copy.
#
# 形状 `(B, L_max, *F)` のバッチを系列と同じデバイス・dtype で確保して `padding_value` で
# 埋め、各系列をその行の先頭にコピーします(右側パディング)。長さは同じデバイス上の int64
# テンソルにします。長さ 0 の系列の行はすべてパディングのままです。これは
# `torch.nn.utils.rnn.pad_sequence(..., batch_first=True)` と同じ処理で、既定の
# `batch_first=False` では時間軸が先頭の `(L_max, B, *F)` になります。最初に入力を確認して
# ください。空のリストには、まねるべき dtype もデバイスも後ろの形状もありません。

# %%
def pad_sequences(seqs, padding_value=0.0):
    """Stack sequences of different lengths into one right-padded batch.

    ``seqs`` is a non-empty list (or tuple) of tensors of shapes ``(L_i, *F)`` with the same
    trailing shape ``F``, the same dtype and the same device; ``L_i = 0`` is allowed. Returns the
    tuple ``(padded, lengths)``: ``padded`` has shape ``(B, L_max, *F)`` (``B = len(seqs)``,
    ``L_max = max L_i``), the sequences' dtype and device, ``padded[i, :L_i] = seqs[i]`` and
    ``padding_value`` (converted to that dtype) everywhere else; ``lengths`` is the int64 tensor
    ``[L_0, ..., L_{B-1}]`` of shape ``(B,)`` on the same device. Works on ``meta`` tensors. Raises
    ``ValueError`` for an empty list, for a tensor with no dimension, and for trailing shapes that
    differ (the message names the offending shape); mixed dtypes or devices also raise
    ``ValueError``. Not vectorized over the batch (a loop over the sequences is expected). The
    inputs are not modified.

    長さの異なる系列を、右側をパディングした 1 つのバッチにまとめます。``seqs`` は形状
    ``(L_i, *F)`` のテンソルの空でないリスト(またはタプル)で、後ろの形状 ``F``、dtype、
    デバイスはすべて同じです。``L_i = 0`` でもかまいません。戻り値はタプル
    ``(padded, lengths)`` です。``padded`` は形状 ``(B, L_max, *F)``(``B = len(seqs)``、
    ``L_max = max L_i``)で系列と同じ dtype・デバイスを持ち、``padded[i, :L_i] = seqs[i]``、
    それ以外はすべて ``padding_value``(その dtype に変換したもの)です。``lengths`` は同じ
    デバイス上の形状 ``(B,)`` の int64 テンソル ``[L_0, ..., L_{B-1}]`` です。``meta`` テンソル
    でも動きます。空のリスト、次元を持たないテンソル、後ろの形状が一致しない場合(問題の形状を
    メッセージに示します)は ``ValueError`` を送出します。dtype やデバイスが混在している場合も
    ``ValueError`` です。バッチについてベクトル化する必要はありません(系列についてのループで
    かまいません)。入力は変更しません。
    """
    raise NotImplementedError("gpu_batching.pad_sequences")


# %% [markdown]
# ## gpu_batching.length_mask
#
# Compare the positions `0, 1, ..., max_len - 1` (a row) with the lengths (a column):
# broadcasting `(1, max_len) < (B, 1)` gives the `(B, max_len)` mask in one operation. Create the
# positions with `device=lengths.device`. Use `<`, not `<=`: a sequence of length 3 occupies
# positions 0, 1 and 2. `True` means *keep* here; some APIs (for example `key_padding_mask` of
# `torch.nn.MultiheadAttention`) use the opposite convention, so read the documentation of
# whatever receives a mask. The default `max_len = lengths.max()` has to read the values, which
# a `meta` tensor does not have, so shape-only code passes `max_len` explicitly.
#
# 位置 `0, 1, ..., max_len - 1`(行ベクトル)と長さ(列ベクトル)を比較します。
# `(1, max_len) < (B, 1)` のブロードキャストで、`(B, max_len)` のマスクが 1 回の演算で
# できます。位置のテンソルは `device=lengths.device` を指定して作ります。`<=` ではなく `<` を
# 使います。長さ 3 の系列が占めるのは位置 0、1、2 です。ここでは `True` が「残す」を意味します。
# API によっては逆の約束のものもあるので(たとえば `torch.nn.MultiheadAttention` の
# `key_padding_mask`)、マスクを渡す先のドキュメントを確認してください。既定の
# `max_len = lengths.max()` は値を読む必要があり、`meta` テンソルには値がないので、形状だけを
# 扱うコードでは `max_len` を明示的に渡します。

# %%
def length_mask(lengths, max_len=None):
    """Boolean mask ``(B, max_len)``, ``True`` at the real positions ``t < lengths[b]`` of each row.

    ``lengths`` is a 1-D integer tensor ``(B,)``; ``max_len`` a non-negative int, or ``None`` for
    ``int(lengths.max())``. Returns a bool tensor of shape ``(B, max_len)`` on ``lengths``'s
    device with ``mask[b, t] = t < lengths[b]`` (a length above ``max_len`` gives a row of
    ``True``). The default needs the values of ``lengths``, so calls on ``meta`` tensors and on an
    empty batch (``B = 0``) pass ``max_len``; an empty batch without ``max_len`` raises
    ``ValueError``, as does a ``lengths`` that is not 1-D. Vectorized: the number of torch
    operations does not depend on ``B``. ``lengths`` is not modified.

    各行の実在する位置 ``t < lengths[b]`` で ``True`` となる形状 ``(B, max_len)`` の真偽値
    マスクを返します。``lengths`` は 1 次元の整数テンソル ``(B,)``、``max_len`` は 0 以上の整数
    か、``int(lengths.max())`` を意味する ``None`` です。戻り値は ``lengths`` と同じデバイス上の
    形状 ``(B, max_len)`` の bool テンソルで、``mask[b, t] = t < lengths[b]`` です(長さが
    ``max_len`` を超える行はすべて ``True`` になります)。既定値は ``lengths`` の値を必要と
    するので、``meta`` テンソルや空のバッチ(``B = 0``)では ``max_len`` を渡します。
    ``max_len`` のない空のバッチと、1 次元でない ``lengths`` には ``ValueError`` を送出します。
    ベクトル化されていること: torch の演算回数は ``B`` に依存しません。``lengths`` は変更
    しません。
    """
    raise NotImplementedError("gpu_batching.length_mask")


# %% [markdown]
# ## gpu_batching.masked_mean
#
# The mean over the real positions of each row is (sum of the real entries) / (number of real
# entries). Select first, `torch.where(mask, x, 0)`, so that a `NaN` or `inf` at a padded
# position never enters the sum (`x * mask` would turn it into `NaN`). Count the real positions
# per row with `mask.sum(dim=1)`, and clamp the count at 1: a row with no real position then has
# sum 0 and count 1, so its mean is 0 instead of `0 / 0 = NaN`. Dividing by `L` instead of the
# count is the classic slip: it shrinks the mean of every short sequence.
#
# 各行の実在位置での平均は(実在する要素の和)/(実在する要素の個数)です。まず
# `torch.where(mask, x, 0)` で選び出し、パディング位置の `NaN` や `inf` が和に入らないように
# します(`x * mask` ではそれが `NaN` になります)。行ごとの実在位置の個数は `mask.sum(dim=1)`
# で数え、1 以上に切り上げます。実在位置のない行は和が 0、個数が 1 になり、平均は
# `0 / 0 = NaN` ではなく 0 になります。個数ではなく `L` で割るのが典型的な誤りで、短い系列ほど
# 平均が小さくなってしまいます。

# %%
def masked_mean(x, mask):
    """Mean of ``x`` over the valid positions of each row: ``(B, L, *F), (B, L) -> (B, *F)``.

    ``x`` is a float tensor of shape ``(B, L, *F)`` (``F`` may be empty) and ``mask`` a bool tensor
    ``(B, L)`` on the same device, ``True`` at valid positions. Returns ``out`` of shape
    ``(B, *F)`` in ``x``'s dtype, on its device, with ``out[b]`` the mean of ``x[b, t]`` over the
    ``t`` where ``mask[b, t]`` holds; a row with no valid position gives 0. Values at invalid
    positions are arbitrary (``NaN`` and ``inf`` included) and never affect the result. Works on
    ``meta`` tensors. Vectorized: the number of torch operations does not depend on ``B``. Raises
    ``ValueError`` naming both shapes when ``mask`` is not ``(B, L)`` for an ``x`` of
    ``ndim >= 2``. The inputs are not modified.

    各行の有効な位置について ``x`` の平均をとります(``(B, L, *F), (B, L) -> (B, *F)``)。
    ``x`` は形状 ``(B, L, *F)``(``F`` は空でもかまいません)の浮動小数点テンソル、``mask`` は
    同じデバイス上の形状 ``(B, L)`` の bool テンソルで、有効な位置で ``True`` です。戻り値
    ``out`` は ``x`` と同じ dtype・デバイスの形状 ``(B, *F)`` のテンソルで、``out[b]`` は
    ``mask[b, t]`` が成り立つ ``t`` についての ``x[b, t]`` の平均です。有効な位置が 1 つもない
    行は 0 になります。無効な位置の値は任意で(``NaN`` や ``inf`` も含みます)、結果に一切影響
    しません。``meta`` テンソルでも動きます。ベクトル化されていること: torch の演算回数は
    ``B`` に依存しません。``ndim >= 2`` の ``x`` に対して ``mask`` が ``(B, L)`` でない場合は、
    両方の形状を示して ``ValueError`` を送出します。入力は変更しません。
    """
    raise NotImplementedError("gpu_batching.masked_mean")


# %% [markdown]
# ## gpu_batching.sequence_cross_entropy
#
# The loss of a padded batch of sentences is the cross-entropy `logsumexp(z) - z[target]`
# averaged over every real token of every sentence: sum the per-token losses over all real
# positions, then divide by the total number of real tokens. Averaging the per-sentence means
# instead gives a short sentence as much weight as a long one, which is a different loss. Build
# the mask from `lengths` (with `length_mask`), and make the padded positions harmless *before*
# computing anything there: replace their logits by 0 (they may be `NaN`) and their targets by 0
# (they may be `-100`, which `gather` cannot index). For float16 and bfloat16 compute in float32
# and cast back at the end.
#
# パディングされた文のバッチの損失は、交差エントロピー `logsumexp(z) - z[目標]` を、すべての
# 文のすべての実在トークンについて平均したものです。実在するすべての位置でトークンごとの損失を
# 合計し、実在トークンの総数で割ります。文ごとの平均をさらに平均すると、短い文が長い文と同じ
# 重みを持ってしまい、別の損失になります。マスクは `lengths` から(`length_mask` で)作り、
# パディング位置では何かを計算する*前に*無害な値にしておきます。ロジットは 0 に(`NaN` かも
# しれません)、目標は 0 に(`gather` で使えない `-100` かもしれません)置き換えます。float16 や
# bfloat16 では float32 で計算し、最後に元の dtype に戻します。

# %%
def sequence_cross_entropy(logits, targets, lengths):
    """Token-weighted mean cross-entropy of a padded batch of sequences.

    ``logits`` is a float tensor ``(B, L, V)``, ``targets`` an int64 tensor ``(B, L)`` and
    ``lengths`` an integer tensor ``(B,)``, all on one device; position ``t`` of sequence ``b`` is
    valid when ``t < lengths[b]``. Returns a 0-d tensor in ``logits``'s dtype, on its device: the
    sum over all valid tokens of ``logsumexp(logits[b, t]) - logits[b, t, targets[b, t]]``, divided
    by the number of valid tokens (one mean over all tokens together, not a mean of per-sequence
    means), or 0 when there is no valid token. Targets at valid positions must be classes in
    ``0..V-1`` (they are not checked); logits and targets at padded positions are arbitrary
    (``NaN``, ``inf``, ``-100`` ...) and never affect the result. Works on ``meta`` tensors.
    Vectorized: the number of torch operations does not depend on ``B``. Raises ``ValueError``
    naming the shapes when they do not fit together. The inputs are not modified.

    パディングされた系列のバッチについて、トークン数で重み付けした交差エントロピーの平均を
    求めます。``logits`` は形状 ``(B, L, V)`` の浮動小数点テンソル、``targets`` は形状
    ``(B, L)`` の int64 テンソル、``lengths`` は形状 ``(B,)`` の整数テンソルで、すべて同じ
    デバイス上にあります。系列 ``b`` の位置 ``t`` は ``t < lengths[b]`` のとき有効です。
    戻り値は ``logits`` と同じ dtype・デバイスの 0 次元テンソルで、すべての有効なトークンに
    ついての ``logsumexp(logits[b, t]) - logits[b, t, targets[b, t]]`` の和を有効なトークンの数で
    割ったものです(全トークンをまとめた 1 つの平均であり、系列ごとの平均の平均ではありません)。
    有効なトークンが 1 つもなければ 0 です。有効な位置の目標は ``0..V-1`` のクラスでなければ
    なりません(確認はしません)。パディング位置のロジットと目標は任意で(``NaN``、``inf``、
    ``-100`` など)、結果に一切影響しません。``meta`` テンソルでも動きます。ベクトル化されて
    いること: torch の演算回数は ``B`` に依存しません。形状が合わない場合は、形状を示して
    ``ValueError`` を送出します。入力は変更しません。
    """
    raise NotImplementedError("gpu_batching.sequence_cross_entropy")


# %% [markdown]
# ## gpu_batching.pairwise_sq_dists
#
# Expanding `|x_i - y_j|² = |x_i|² + |y_j|² - 2 x_i·y_j` turns the `(N, M, d)` tensor of
# differences into three pieces of size `N`, `M` and `N x M`: the row norms of `x` and of `y`,
# and one matrix product `x @ y.T`. Broadcasting `(N, 1) + (1, M)` assembles the result. The
# expansion subtracts nearly equal numbers when two points are close, so rounding can leave a
# tiny negative value where the true distance is 0; clamp at 0 (a negative squared distance
# would become `NaN` under a square root later). Mind the orientation: the norms of `x` index
# the rows, those of `y` the columns.
#
# `|x_i - y_j|² = |x_i|² + |y_j|² - 2 x_i·y_j` と展開すると、差の `(N, M, d)` テンソルが大きさ
# `N`、`M`、`N x M` の 3 つの部品に置き換わります。`x` と `y` の各行のノルムの 2 乗と、1 回の
# 行列積 `x @ y.T` です。`(N, 1) + (1, M)` のブロードキャストで結果を組み立てます。2 点が近いと
# この展開ではほぼ等しい数どうしを引き算するので、丸め誤差のために本当の距離が 0 のところに
# わずかな負の値が残ることがあります。0 で切り上げてください(距離の 2 乗が負だと、後で平方根を
# とったときに `NaN` になります)。向きにも注意してください。`x` のノルムは行に、`y` のノルムは
# 列に対応します。

# %%
def pairwise_sq_dists(x, y):
    """Squared Euclidean distances between all rows of ``x`` and all rows of ``y``: ``(N, M)``.

    ``x`` is a float tensor ``(N, d)`` and ``y`` one ``(M, d)`` of the same dtype, on the same
    device. Returns ``D`` of shape ``(N, M)`` in that dtype, on that device, with
    ``D[i, j] = |x_i|^2 + |y_j|^2 - 2 x_i . y_j`` clamped at 0, so every entry is ``>= 0`` exactly.
    No intermediate has more than ``max(N*M, N*d, M*d)`` elements (no ``(N, M, d)`` broadcast of
    differences). The expansion cancels for nearby points, so the values are accurate to the
    dtype's ``rtol`` and an absolute error of about the dtype's ``atol`` times
    ``max_i |x_i|^2 + max_j |y_j|^2``. Works on ``meta`` tensors. Vectorized: the number of torch
    operations does not depend on ``N`` or ``M``. Raises ``ValueError`` naming both shapes when
    the inputs are not 2-D with the same ``d``. The inputs are not modified.

    ``x`` のすべての行と ``y`` のすべての行の間のユークリッド距離の 2 乗 ``(N, M)`` を求め
    ます。``x`` は形状 ``(N, d)``、``y`` は形状 ``(M, d)`` の同じ dtype・同じデバイスの浮動小数
    点テンソルです。戻り値 ``D`` は同じ dtype・デバイスの形状 ``(N, M)`` のテンソルで、
    ``D[i, j] = |x_i|^2 + |y_j|^2 - 2 x_i . y_j`` を 0 で切り上げたものです。したがって全要素が
    厳密に ``>= 0`` です。中間結果の要素数は ``max(N*M, N*d, M*d)`` を超えません(差の
    ``(N, M, d)`` ブロードキャストは使いません)。近い点どうしではこの展開で桁落ちが起きるので、
    値の精度は dtype の ``rtol`` と、dtype の ``atol`` に ``max_i |x_i|^2 + max_j |y_j|^2`` を
    掛けた程度の絶対誤差です。``meta`` テンソルでも動きます。ベクトル化されていること: torch の
    演算回数は ``N`` や ``M`` に依存しません。入力が同じ ``d`` を持つ 2 次元テンソルでない場合は、
    両方の形状を示して ``ValueError`` を送出します。入力は変更しません。
    """
    raise NotImplementedError("gpu_batching.pairwise_sq_dists")


# %% [markdown]
# ## gpu_batching.to_device
#
# A training batch is rarely one tensor: it is a dict of tensors, a tuple `(inputs, targets)`,
# a namedtuple, or a nesting of these, with some non-tensor entries (a name, a count) mixed in.
# Walk the structure recursively: move each tensor with `.to(device)`, rebuild each container
# with the same type and order, and return anything else as it is. Build new containers instead
# of assigning into the given ones, so the caller's batch stays on its device. A namedtuple takes
# its fields as separate positional arguments, `type(obj)(*values)`: passing it one generator
# fails, although that is exactly how a plain tuple or list is rebuilt.
#
# 学習のバッチが 1 つのテンソルだけということはまれで、テンソルの辞書、タプル
# `(inputs, targets)`、名前付きタプル、あるいはそれらを入れ子にしたもので、テンソル以外の値
# (名前や個数)も混ざっています。構造を再帰的にたどり、テンソルは `.to(device)` で移し、
# コンテナは同じ型・同じ順序で作り直し、それ以外のものはそのまま返します。渡されたコンテナに
# 代入するのではなく新しいコンテナを作るので、呼び出し側のバッチは元のデバイスに残ります。
# 名前付きタプルはフィールドを別々の位置引数として受け取ります(`type(obj)(*values)`)。普通の
# タプルやリストはジェネレータ 1 つから作り直せますが、名前付きタプルではそれが失敗します。

# %%
def to_device(obj, device):
    """Move every tensor inside a nested structure of dicts, lists, tuples and namedtuples.

    ``obj`` is a tensor, a ``dict``, ``list``, ``tuple`` or namedtuple nesting any of these, or
    any other object; ``device`` is a ``torch.device`` or a string such as ``"cpu"``, ``"cuda"``
    or ``"meta"``. Returns a new structure of the same shape: every tensor is replaced by
    ``tensor.to(device)`` (dtype and values kept); every ``dict``, ``list``, ``tuple`` and
    namedtuple by a new one of exactly the same type with the keys or elements in the same order;
    every other object (numbers, strings, ``None``, NumPy arrays ...) is returned as it is. Other
    subclasses of ``dict``, ``list`` and ``tuple`` come back as the plain built-in type. The input
    structure and its tensors are not modified. Not vectorized (a recursion over the structure).

    辞書・リスト・タプル・名前付きタプルを入れ子にした構造の中のテンソルをすべて移動します。
    ``obj`` はテンソル、それらを入れ子にした ``dict``・``list``・``tuple``・名前付きタプル、
    あるいはほかの任意のオブジェクトです。``device`` は ``torch.device`` か ``"cpu"``・
    ``"cuda"``・``"meta"`` などの文字列です。戻り値は同じ形の新しい構造です。テンソルは
    ``tensor.to(device)`` に置き換え(dtype と値はそのまま)、``dict``・``list``・``tuple``・
    名前付きタプルはまったく同じ型の新しいものに、キーや要素を同じ順序で入れて作り直します。
    それ以外のオブジェクト(数値、文字列、``None``、NumPy 配列など)はそのまま返します。
    ``dict``・``list``・``tuple`` のその他のサブクラスは素の組み込み型で返します。入力の構造と
    そのテンソルは変更しません。ベクトル化の必要はありません(構造についての再帰です)。
    """
    raise NotImplementedError("gpu_batching.to_device")


# %% [markdown]
# ## gpu_batching.chunked_apply
#
# `torch.split(x, chunk_size)` cuts `x` along dim 0 into consecutive views of `chunk_size` rows
# (the last one may be shorter); apply `fn` to each and `torch.cat` the results along dim 0.
# Because `fn` works row by row, the concatenation equals `fn(x)`, but `fn` never holds more than
# `chunk_size` rows at once, which bounds its memory. `torch.stack` would add a new dimension and
# fails on a short last chunk; slicing `n // chunk_size` chunks loses the remainder. An `x` with
# no rows has no chunk at all, and `torch.cat` of an empty list fails, so call `fn(x)` once
# instead: that also gives the right trailing shape and dtype of `fn`'s output.
#
# `torch.split(x, chunk_size)` は `x` を dim 0 に沿って `chunk_size` 行ずつの連続したビューに
# 切り分けます(最後のものは短いことがあります)。それぞれに `fn` を適用し、結果を dim 0 に
# 沿って `torch.cat` で連結します。`fn` は行ごとに働くので連結したものは `fn(x)` に等しく、
# しかも `fn` が一度に扱うのは多くても `chunk_size` 行なので、メモリ使用量が抑えられます。
# `torch.stack` では新しい次元が増え、最後のチャンクが短いと失敗します。`n // chunk_size` 個の
# チャンクだけを切り出すと余りの行が失われます。行が 0 の `x` にはチャンクが 1 つもなく、
# 空のリストの `torch.cat` は失敗するので、代わりに `fn(x)` を 1 回呼びます。こうすれば `fn` の
# 出力の後ろの形状と dtype も正しくなります。

# %%
def chunked_apply(fn, x, chunk_size):
    """Apply the row-wise ``fn`` to consecutive chunks of ``x`` along dim 0 and concatenate.

    ``fn`` maps a tensor of ``n`` rows to a tensor whose dim 0 has ``n`` rows, row ``i`` depending
    only on input row ``i``; ``x`` is a tensor with at least one dimension; ``chunk_size`` a
    positive int. ``fn`` is called on the consecutive slices ``x[0:c], x[c:2c], ...`` in order
    (``c = chunk_size``, the last slice may be shorter) and never sees more than ``chunk_size``
    rows; the results are concatenated along dim 0, so the return value equals ``fn(x)`` (same
    shape, dtype and device). An ``x`` with 0 rows gives ``fn(x)``, with ``fn`` called exactly
    once. Raises ``ValueError`` naming the value when ``chunk_size < 1``. Works on ``meta``
    tensors. The number of torch operations grows with the number of chunks only, not with the
    rows per chunk. ``x`` is not modified.

    行ごとの関数 ``fn`` を、``x`` を dim 0 に沿って区切った連続するチャンクに適用して連結
    します。``fn`` は ``n`` 行のテンソルを dim 0 が ``n`` 行のテンソルに写し、出力の第 ``i`` 行は
    入力の第 ``i`` 行だけで決まります。``x`` は 1 次元以上のテンソル、``chunk_size`` は正の整数
    です。``fn`` は連続するスライス ``x[0:c], x[c:2c], ...``(``c = chunk_size``、最後のスライスは
    短いことがあります)に順に呼ばれ、``chunk_size`` 行を超える入力を受け取ることはありません。
    結果を dim 0 に沿って連結するので、戻り値は ``fn(x)`` に等しくなります(形状、dtype、
    デバイスも同じです)。行が 0 の ``x`` には ``fn(x)`` を返し、``fn`` はちょうど 1 回だけ
    呼ばれます。``chunk_size < 1`` の場合は、その値を示して ``ValueError`` を送出します。
    ``meta`` テンソルでも動きます。torch の演算回数はチャンクの個数に応じてだけ増え、チャンク
    あたりの行数には依存しません。``x`` は変更しません。
    """
    raise NotImplementedError("gpu_batching.chunked_apply")


# %% [markdown]
# ## gpu_batching.padded_causal_attention
#
# Attention for a whole padded batch at once. Scores `q @ kᵀ / sqrt(d)` are `(B, L, L)`. Query `i`
# of sequence `b` may attend to key `j` when `j <= i` (causal) and both positions are real
# (`i, j < lengths[b]`); combine the causal `(L, L)` mask with the length mask by broadcasting.
# Masked scores become `-inf` before the softmax, so their weights are exactly 0. A padded query
# has no allowed key at all: its softmax row is `NaN`, and it must become a row of zeros. Padded
# values must also be zeroed (or selected away) before `weights @ v`, because a zero weight times
# a `NaN` value is still `NaN`. Notice that for a real query the causal mask already excludes
# every padded key (they all come after it); the length mask matters for the padded rows and for
# keeping `NaN` out.
#
# パディングされたバッチ全体のアテンションを一度に計算します。スコア `q @ kᵀ / sqrt(d)` は
# `(B, L, L)` です。系列 `b` のクエリ `i` がキー `j` を参照できるのは、`j <= i`(因果的)で
# あり、かつ両方の位置が実在する(`i, j < lengths[b]`)ときです。`(L, L)` の因果マスクと長さ
# マスクをブロードキャストで組み合わせます。マスクされたスコアはソフトマックスの前に `-inf`
# にするので、その重みはちょうど 0 になります。パディング位置のクエリには参照できるキーが
# 1 つもなく、ソフトマックスの行は `NaN` になるので、0 の行に置き換える必要があります。
# `weights @ v` の前にはパディング位置の値も 0 にしておきます(あるいは選び除きます)。重み 0
# に `NaN` の値を掛けても `NaN` のままだからです。実在するクエリについては、因果マスクだけで
# パディング位置のキーはすべて除かれている(どれもクエリより後ろにある)ことに注意して
# ください。長さマスクが必要なのは、パディング位置の行と、`NaN` を締め出すためです。

# %%
def padded_causal_attention(q, k, v, lengths):
    """Causal scaled dot-product attention over a right-padded batch: ``(B, L, d) -> (B, L, d)``.

    ``q``, ``k`` and ``v`` are float tensors of shape ``(B, L, d)`` (one dtype, one device) and
    ``lengths`` an integer tensor ``(B,)`` with ``0 <= lengths[b] <= L``. For each ``b``, with
    ``n = lengths[b]``, ``out[b, :n]`` equals causal attention on the first ``n`` positions alone:
    ``softmax(q[b, :n] @ k[b, :n].T / sqrt(d) masked to j <= i) @ v[b, :n]``, and ``out[b, n:]``
    is 0 (a sequence of length 0 gives a block of zeros). Values of ``q``, ``k`` and ``v`` at
    padded positions are arbitrary (``NaN`` and ``inf`` included) and never affect the result.
    Returns ``out`` of shape ``(B, L, d)`` in the inputs' dtype, on their device (float16 and
    bfloat16 are computed in float32 internally). Works on ``meta`` tensors. Vectorized: the
    number of torch operations does not depend on ``B``. Raises ``ValueError`` naming the shapes
    when they do not fit together. The inputs are not modified.

    右側をパディングしたバッチに対する因果的なスケール付き内積アテンションです
    (``(B, L, d) -> (B, L, d)``)。``q``、``k``、``v`` は形状 ``(B, L, d)`` の浮動小数点テンソル
    (同じ dtype・同じデバイス)、``lengths`` は ``0 <= lengths[b] <= L`` を満たす形状 ``(B,)`` の
    整数テンソルです。各 ``b`` について ``n = lengths[b]`` とすると、``out[b, :n]`` は最初の
    ``n`` 個の位置だけで計算した因果的アテンション
    ``softmax(q[b, :n] @ k[b, :n].T / sqrt(d) を j <= i でマスク) @ v[b, :n]`` に等しく、
    ``out[b, n:]`` は 0 です(長さ 0 の系列ではすべて 0 のブロックになります)。パディング位置の
    ``q``、``k``、``v`` の値は任意で(``NaN`` や ``inf`` も含みます)、結果に一切影響しません。
    戻り値 ``out`` は入力と同じ dtype・デバイスの形状 ``(B, L, d)`` のテンソルです(float16 と
    bfloat16 は内部で float32 で計算します)。``meta`` テンソルでも動きます。ベクトル化されて
    いること: torch の演算回数は ``B`` に依存しません。形状が合わない場合は、形状を示して
    ``ValueError`` を送出します。入力は変更しません。
    """
    raise NotImplementedError("gpu_batching.padded_causal_attention")
