# %% [markdown]
# # Transposes, matrix products, attention heads and eigen-decomposition / 転置・行列積・アテンションヘッド・固有値分解
#
# Almost every line of a transformer moves numbers between axes or multiplies matrices. This
# topic builds those moves by hand, then uses them for the eigen-decomposition behind PCA.
#
# - **Transpose.** The transpose of an `(m, n)` matrix `A` is the `(n, m)` matrix with
#   `Aᵀ[j, i] = A[i, j]`: rows become columns. It is *not* a reshape: reshaping `(2, 3)` to `(3, 2)`
#   keeps the entries in their reading order and only cuts the rows differently, so the values
#   land in the wrong places.
# - **Matrix product.** For `A (m, n)` and `B (n, l)`, entry `(i, j)` of `AB` is the dot product of
#   row `i` of `A` with column `j` of `B`: `Σₖ A[i, k] B[k, j]`. The inner sizes must agree (`n`),
#   the result is `(m, l)`, and `AB ≠ BA` in general. `A * B` is something else entirely: the
#   elementwise (Hadamard) product of two arrays of the same shape. Likewise `@` wants two
#   arrays; multiplying by a *scalar* is `*`.
# - **Vectors as matrices.** A 1-D array of shape `(n,)` is neither a row nor a column. When a
#   matrix formula needs a column, make the shape `(n, 1)` explicit; then `v vᵀ` is the `(n, n)`
#   outer product and `vᵀ v` the `(1, 1)` squared length.
# - **Batched transposes and heads.** Attention computes `Q Kᵀ` for every sequence of a batch at
#   once, so `K (..., L, d)` needs its *last two* axes swapped, whatever comes before them.
#   Multi-head attention cuts the feature axis `D` into `H` blocks of `d = D / H` consecutive
#   features, one per head, and moves the head axis in front of the sequence axis:
#   `(B, L, D) -> (B, L, H, d) -> (B, H, L, d)`. Merging is the exact inverse. The reshape alone is
#   not enough: without the axis move, a "head" would hold consecutive *positions* instead of a
#   block of features.
# - **Symmetric eigen-decomposition.** A real symmetric matrix `S` has real eigenvalues `λᵢ` and
#   orthonormal eigenvectors `vᵢ` (`S vᵢ = λᵢ vᵢ`), so `S = V diag(λ) Vᵀ = Σᵢ λᵢ vᵢ vᵢᵀ`. Use the
#   solver for symmetric matrices (`np.linalg.eigh`): the general `np.linalg.eig` neither sorts its
#   results nor promises orthonormal vectors. `eigh` returns the eigenvalues in *ascending* order;
#   for PCA we want them descending, and the eigenvector columns must be reordered together with
#   them. An eigenvector is only defined up to its sign (`-v` works as well as `v`), so we fix the
#   sign: the entry of largest absolute value is made positive.
# - **Low-rank approximation and PCA.** Keeping only the `k` largest terms of `Σᵢ λᵢ vᵢ vᵢᵀ` gives a
#   rank-`k` matrix; for a positive semi-definite `S` (a covariance matrix) it is the best rank-`k`
#   approximation. Each term is a scalar times an outer product: `λᵢ * (vᵢ vᵢᵀ)`. (A well-known
#   lecture snippet writes `v.reshape(2, 1) @ lam * v.reshape(1, 2)`; NumPy refuses it, because
#   `@` does not accept the scalar `lam` as an operand.) The share of the total variance that
#   component `i` explains is `λᵢ / Σⱼ λⱼ`.
#
# ---
#
# トランスフォーマーの計算は、ほとんどの行で軸の間で数値を移し替えるか、行列を掛け合わせています。
# このトピックではそうした操作を自分の手で組み立て、それを使って主成分分析 (PCA) の土台である
# 固有値分解を扱います。
#
# - **転置**。`(m, n)` 行列 `A` の転置は `Aᵀ[j, i] = A[i, j]` を満たす `(n, m)` 行列で、行が列に
#   なります。reshape とは違います。`(2, 3)` を `(3, 2)` に reshape しても要素は読み出し順のまま
#   並び、行の区切り方が変わるだけなので、値が誤った位置に入ります。
# - **行列積**。`A (m, n)` と `B (n, l)` の積 `AB` の `(i, j)` 成分は、`A` の `i` 行目と `B` の
#   `j` 列目の内積 `Σₖ A[i, k] B[k, j]` です。内側のサイズ `n` が一致している必要があり、結果は
#   `(m, l)` で、一般に `AB ≠ BA` です。`A * B` はまったく別物で、同じ形状の配列どうしの要素ごとの
#   積(アダマール積)です。同様に `@` は配列 2 つを受け取る演算で、*スカラー*を掛けるには `*` を
#   使います。
# - **行列としてのベクトル**。形状 `(n,)` の 1 次元配列は行ベクトルでも列ベクトルでもありません。
#   行列の式で列ベクトルが必要なときは形状を `(n, 1)` と明示します。そうすると `v vᵀ` は `(n, n)` の
#   外積、`vᵀ v` は `(1, 1)` の長さの 2 乗になります。
# - **バッチの転置とヘッド**。アテンションはバッチ内のすべての系列について `Q Kᵀ` を一度に計算する
#   ので、`K (..., L, d)` は前にどんな軸があっても*最後の 2 軸*を入れ替える必要があります。
#   マルチヘッドアテンションは特徴量の軸 `D` を、連続する `d = D / H` 個ずつの `H` 個のブロックに
#   分けて各ヘッドに割り当て、ヘッドの軸を系列の軸の前に移します:
#   `(B, L, D) -> (B, L, H, d) -> (B, H, L, d)`。結合はそのちょうど逆の操作です。reshape だけでは
#   足りません。軸を移さないと、「ヘッド」が特徴量のブロックではなく連続する*位置*を持つことに
#   なります。
# - **対称行列の固有値分解**。実対称行列 `S` の固有値 `λᵢ` は実数で、固有ベクトル `vᵢ`
#   (`S vᵢ = λᵢ vᵢ`)は正規直交に選べるので、`S = V diag(λ) Vᵀ = Σᵢ λᵢ vᵢ vᵢᵀ` と書けます。対称行列
#   用のソルバー(`np.linalg.eigh`)を使ってください。一般の行列用の `np.linalg.eig` は結果を並べ
#   替えず、固有ベクトルが正規直交になる保証もありません。`eigh` は固有値を*昇順*で返しますが、
#   PCA では降順が欲しいので、固有ベクトルの列も固有値と一緒に並べ替える必要があります。固有ベクトル
#   は符号を除いてしか決まらない(`v` の代わりに `-v` でもよい)ので、絶対値が最大の成分が正になる
#   ように符号をそろえます。
# - **低ランク近似と PCA**。`Σᵢ λᵢ vᵢ vᵢᵀ` のうち大きい方から `k` 項だけを残すとランク `k` の行列に
#   なり、`S` が半正定値(共分散行列など)ならそれが最良のランク `k` 近似です。各項はスカラーと外積の
#   積 `λᵢ * (vᵢ vᵢᵀ)` です(よく見かける講義のコード例 `v.reshape(2, 1) @ lam * v.reshape(1, 2)`
#   は NumPy ではエラーになります。`@` はスカラー `lam` をオペランドとして受け付けないからです)。
#   成分 `i` が説明する分散の割合(寄与率)は `λᵢ / Σⱼ λⱼ` です。

# %%
import numpy as np

# %% [markdown]
# ## transposes.transpose
#
# Build the transpose yourself (*scratch*: `.T`, `.transpose`, `np.transpose`, `swapaxes`,
# `moveaxis`, `rollaxis` and `einsum` are banned in this function). Entry `(j, i)` of the result
# is entry `(i, j)` of `A`, so the result has `n` rows of length `m`: its row `j` is column `j` of
# `A`. Check the dimension first: NumPy's `.T` silently returns a 1-D array unchanged, but a
# vector has no rows and columns to exchange, so the contract asks for a `ValueError`.
#
# 転置を自分で組み立てます(*scratch*: この関数では `.T`、`.transpose`、`np.transpose`、
# `swapaxes`、`moveaxis`、`rollaxis`、`einsum` は使用禁止です)。結果の `(j, i)` 成分は `A` の
# `(i, j)` 成分なので、結果は長さ `m` の行を `n` 本持ち、その `j` 行目は `A` の `j` 列目です。
# 最初に次元を確認してください。NumPy の `.T` は 1 次元配列をそのまま返しますが、ベクトルには
# 入れ替える行と列がないので、課題では `ValueError` を求めています。

# %%
def transpose(A):
    """Transpose of the 2-D array ``A``: the ``(n, m)`` array whose entry ``(j, i)`` is ``A[i, j]``.

    ``A`` is an array-like of shape ``(m, n)`` (nested lists or tuples, or an array of any real
    dtype). Returns a new float64 array of shape ``(n, m)``; a side of length 0 is allowed (a
    ``(0, 3)`` input gives a ``(3, 0)`` result). ``A`` is not modified. Raises ``ValueError``,
    naming the shape, when ``A`` is not 2-D. *Scratch*: this function (and any module-level
    helper it calls) must not use ``.T``, ``.transpose``, ``np.transpose``, ``.swapaxes``,
    ``np.swapaxes``, ``np.moveaxis``, ``np.rollaxis`` or ``np.einsum``.

    2 次元配列 ``A`` の転置、つまり ``(j, i)`` 成分が ``A[i, j]`` である ``(n, m)`` 配列を返します。
    ``A`` は形状 ``(m, n)`` の array-like(ネストしたリストやタプル、または任意の実数 dtype の配列)
    です。戻り値は形状 ``(n, m)`` の新しい float64 配列です。長さ 0 の辺も扱えます(``(0, 3)`` の
    入力なら結果は ``(3, 0)``)。``A`` は変更しません。``A`` が 2 次元でない場合は、その形状を示して
    ``ValueError`` を送出します。*scratch*: この関数(およびこの関数が呼ぶモジュール直下の補助関数)
    では ``.T``、``.transpose``、``np.transpose``、``.swapaxes``、``np.swapaxes``、
    ``np.moveaxis``、``np.rollaxis``、``np.einsum`` を使ってはいけません。
    """
    ### BEGIN SOLUTION
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"transpose: A must be a 2-D array, got shape {A.shape}")
    m, n = A.shape
    result = np.empty((n, m), dtype=np.float64)  # (n, m)
    for j in range(n):
        result[j, :] = A[:, j]  # row j of the result is column j of A
    return result
    ### END SOLUTION


# %% [markdown]
# ## transposes.matmul
#
# Build the product from row-times-column dot products (*scratch*: `@`, `np.dot`, `.dot`,
# `np.matmul`, `np.einsum`, `np.tensordot`, `np.inner` and `np.vdot` are banned here). Entry
# `(i, j)` is `Σₖ A[i, k] B[k, j]`: multiply row `i` of `A` elementwise with column `j` of `B` and
# add the products, e.g. `np.sum(A[i, :] * B[:, j])`. Check the shapes before computing, and name
# both of them in the message: a loop over `range(n)` would otherwise silently drop the extra rows
# of a `B` that is too tall. Plain Python loops are fine; the grader allows enough time for
# `64 x 64` matrices.
#
# 行と列の内積から行列積を組み立てます(*scratch*: ここでは `@`、`np.dot`、`.dot`、`np.matmul`、
# `np.einsum`、`np.tensordot`、`np.inner`、`np.vdot` は使用禁止です)。`(i, j)` 成分は
# `Σₖ A[i, k] B[k, j]` で、`A` の `i` 行目と `B` の `j` 列目を要素ごとに掛けて足し合わせたもの
# (たとえば `np.sum(A[i, :] * B[:, j])`)です。計算の前に形状を確認し、メッセージには両方の形状を
# 示してください。確認しないと、`range(n)` のループは行の多すぎる `B` の余分な行を黙って無視して
# しまいます。素朴な Python のループでもかまいません。採点では `64 x 64` の行列に十分な時間を
# とっています。

# %%
def matmul(A, B):
    """Matrix product of ``A (m, n)`` and ``B (n, l)``, built from row-times-column dot products.

    ``A`` and ``B`` are 2-D array-likes. Returns a new float64 array of shape ``(m, l)`` whose entry
    ``(i, j)`` is ``sum_k A[i, k] * B[k, j]`` (an inner size ``n = 0`` gives zeros). The inputs are
    not modified. Raises ``ValueError``, naming both shapes (e.g. ``matmul: inner dimensions
    differ: (2, 3) @ (4, 5)``), when either input is not 2-D or when ``A.shape[1] != B.shape[0]``.
    *Scratch*: this function (and any module-level helper it calls) must not use ``@``,
    ``np.dot``, ``.dot``, ``np.matmul``, ``np.einsum``, ``np.tensordot``, ``np.inner`` or
    ``np.vdot``.

    ``A (m, n)`` と ``B (n, l)`` の行列積を、行と列の内積から組み立てます。``A`` と ``B`` は 2 次元の
    array-like です。戻り値は形状 ``(m, l)`` の新しい float64 配列で、``(i, j)`` 成分は
    ``sum_k A[i, k] * B[k, j]`` です(内側のサイズ ``n = 0`` なら 0 になります)。入力は変更しません。
    どちらかの入力が 2 次元でない場合や ``A.shape[1] != B.shape[0]`` の場合は、両方の形状を示して
    (例: ``matmul: inner dimensions differ: (2, 3) @ (4, 5)``)``ValueError`` を送出します。
    *scratch*: この関数(およびこの関数が呼ぶモジュール直下の補助関数)では ``@``、``np.dot``、
    ``.dot``、``np.matmul``、``np.einsum``、``np.tensordot``、``np.inner``、``np.vdot`` を使っては
    いけません。
    """
    ### BEGIN SOLUTION
    A = np.asarray(A, dtype=np.float64)  # (m, n)
    B = np.asarray(B, dtype=np.float64)  # (n, l)
    if A.ndim != 2 or B.ndim != 2:
        raise ValueError(f"matmul: both inputs must be 2-D, got shapes {A.shape} @ {B.shape}")
    if A.shape[1] != B.shape[0]:
        raise ValueError(f"matmul: inner dimensions differ: {A.shape} @ {B.shape}")
    m, l = A.shape[0], B.shape[1]
    result = np.zeros((m, l), dtype=np.float64)  # (m, l)
    for i in range(m):
        row = A[i, :]  # (n,)
        for j in range(l):
            result[i, j] = np.sum(row * B[:, j])  # row i of A times column j of B
    return result
    ### END SOLUTION


# %% [markdown]
# ## transposes.to_column
#
# A column vector is a matrix with one column, shape `(n, 1)`. The three shapes that hold `n`
# numbers in a line, `(n,)`, `(1, n)` and `(n, 1)`, all become `(n, 1)`; anything else (a scalar,
# a true matrix such as `(2, 3)`, a 3-D array) is an error, so check the shape before reshaping:
# `reshape(-1, 1)` alone would happily flatten a `(2, 3)` matrix into a `(6, 1)` column. Note that
# `np.atleast_2d(v).T` is wrong for an input that already is a column, and `v[:, None]` adds an
# axis to whatever it gets. Return a new array, and never set `v.shape` on the caller's array.
#
# 列ベクトルとは列が 1 本の行列、つまり形状 `(n, 1)` の配列です。`n` 個の数を一列に並べた 3 つの
# 形状 `(n,)`、`(1, n)`、`(n, 1)` はすべて `(n, 1)` にします。それ以外(スカラー、`(2, 3)` のような
# 本物の行列、3 次元配列)はエラーなので、reshape の前に形状を確認してください。`reshape(-1, 1)`
# だけでは `(2, 3)` の行列も `(6, 1)` の列に平らにしてしまいます。`np.atleast_2d(v).T` はすでに
# 列ベクトルである入力に対して誤った結果になり、`v[:, None]` は何に対しても軸を 1 つ追加して
# しまうことにも注意してください。新しい配列を返し、呼び出し側の配列の `v.shape` を書き換えては
# いけません。

# %%
def to_column(v):
    """The vector ``v`` as a column of shape ``(n, 1)``.

    ``v`` is an array-like of shape ``(n,)``, ``(1, n)`` or ``(n, 1)`` (so ``(1, 1)`` stays
    ``(1, 1)``). Returns a new float64 array of shape ``(n, 1)`` holding the ``n`` values in their
    order; it never shares memory with ``v``, and ``v`` is not modified. Raises ``ValueError``,
    naming the shape, for any other shape: a scalar (0-d), a matrix with more than one row and
    more than one column, or an array of 3 or more dimensions (even ``(1, 1, n)``).

    ベクトル ``v`` を形状 ``(n, 1)`` の列ベクトルにして返します。``v`` は形状 ``(n,)``、
    ``(1, n)``、``(n, 1)`` のいずれかの array-like です(したがって ``(1, 1)`` は ``(1, 1)`` の
    ままです)。戻り値は ``n`` 個の値を同じ順に並べた形状 ``(n, 1)`` の新しい float64 配列で、
    ``v`` とメモリを共有することはなく、``v`` も変更しません。それ以外の形状、つまりスカラー
    (0 次元)、2 行以上かつ 2 列以上の行列、3 次元以上の配列(``(1, 1, n)`` も含む)では、形状を
    示して ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    v = np.asarray(v, dtype=np.float64)
    is_line = v.ndim == 1 or (v.ndim == 2 and 1 in v.shape)
    if not is_line:
        raise ValueError(f"to_column: v must have shape (n,), (1, n) or (n, 1), got shape {v.shape}")
    return v.reshape(-1, 1).copy()  # (n, 1), a copy even when reshape could return a view
    ### END SOLUTION


# %% [markdown]
# ## transposes.swap_last_two
#
# In batched attention the keys `K` have shape `(B, L, d)` (or `(B, H, L, d)` with heads), and the
# scores need `Kᵀ` of every matrix in the batch: the last two axes swap, the leading ones stay.
# `np.swapaxes(x, -1, -2)` does exactly that. `x.T` (`np.transpose(x)` without `axes`) reverses
# *all* axes, which is right only for a 2-D array, and `reshape` reorders nothing.
#
# バッチ処理のアテンションでは、キー `K` の形状は `(B, L, d)`(ヘッドがあれば `(B, H, L, d)`)で、
# スコアの計算にはバッチ内の各行列の `Kᵀ` が必要です。最後の 2 軸を入れ替え、前の軸はそのままに
# します。`np.swapaxes(x, -1, -2)` がちょうどその操作です。`x.T`(`axes` を指定しない
# `np.transpose(x)`)は*すべての*軸を逆順にするので 2 次元配列でしか正しくなく、`reshape` は
# 何も並べ替えません。

# %%
def swap_last_two(x):
    """``x`` with its last two axes exchanged: ``(..., m, n) -> (..., n, m)``.

    ``x`` is an array-like with at least 2 dimensions; any number of leading axes is kept in
    place. Returns a float64 array with ``result[..., j, i] == x[..., i, j]``; it may be a view of
    ``x`` when ``x`` already is a float64 array (as ``np.swapaxes`` gives), so do not write into it.
    ``x`` is not modified. Raises ``ValueError``, naming the shape, when ``x`` has fewer than 2
    dimensions.

    ``x`` の最後の 2 軸を入れ替えた配列 ``(..., m, n) -> (..., n, m)`` を返します。``x`` は 2 次元
    以上の array-like で、前にある軸はいくつあってもそのままの位置に残します。戻り値は
    ``result[..., j, i] == x[..., i, j]`` を満たす float64 配列です。``x`` がすでに float64 配列の
    場合は(``np.swapaxes`` と同じく)``x`` のビューになることがあるので、書き込まないでください。
    ``x`` は変更しません。``x`` の次元が 2 未満の場合は、その形状を示して ``ValueError`` を送出
    します。
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(f"swap_last_two: x needs at least 2 dimensions, got shape {x.shape}")
    return np.swapaxes(x, -1, -2)  # (..., m, n) -> (..., n, m)
    ### END SOLUTION


# %% [markdown]
# ## transposes.split_heads
#
# Multi-head attention gives each of the `H` heads its own block of `d = D / H` consecutive
# features: head `h` owns columns `[h*d, (h+1)*d)`. Reshape `(B, L, D)` to `(B, L, H, d)`, which
# cuts every feature vector into `H` consecutive blocks, then move the head axis before the
# sequence axis with `transpose(0, 2, 1, 3)`, giving `(B, H, L, d)`. Reshaping straight to
# `(B, H, L, d)` has the right shape but the wrong contents (a head would hold whole positions),
# and `reshape(B, L, d, H)` deals the features out to the heads like cards instead of in blocks.
# Check `n_heads` first: 0 heads would divide by zero.
#
# マルチヘッドアテンションでは、`H` 個のヘッドそれぞれが連続する `d = D / H` 個の特徴量のブロックを
# 受け持ちます。ヘッド `h` の担当は列 `[h*d, (h+1)*d)` です。`(B, L, D)` を `(B, L, H, d)` に
# reshape すると各特徴ベクトルが連続する `H` 個のブロックに切り分けられ、次に
# `transpose(0, 2, 1, 3)` でヘッドの軸を系列の軸の前に移すと `(B, H, L, d)` になります。いきなり
# `(B, H, L, d)` に reshape すると形状は合っても中身が誤り(1 つのヘッドが位置をまるごと持つ)に
# なり、`reshape(B, L, d, H)` では特徴量がブロックではなくトランプを配るように 1 つずつヘッドに
# 配られてしまいます。最初に `n_heads` を確認してください。ヘッド数 0 ではゼロ除算になります。

# %%
def split_heads(x, n_heads):
    """Split the features of ``x (B, L, D)`` into ``n_heads`` heads: ``(B, H, L, D / H)``.

    ``x`` is an array-like of shape ``(B, L, D)`` and ``n_heads`` a Python integer ``H``. With
    ``d = D // H``, returns a float64 array of shape ``(B, H, L, d)`` with
    ``result[b, h, i, :] == x[b, i, h*d:(h+1)*d]``: head ``h`` holds feature columns
    ``[h*d, (h+1)*d)``. ``x`` is not modified. Raises ``ValueError``, naming the values, when
    ``n_heads < 1`` or ``D % n_heads != 0``, and when ``x`` is not 3-D.

    ``x (B, L, D)`` の特徴量を ``n_heads`` 個のヘッドに分け、``(B, H, L, D / H)`` にします。``x`` は
    形状 ``(B, L, D)`` の array-like、``n_heads`` は Python の整数 ``H`` です。``d = D // H`` として、
    ``result[b, h, i, :] == x[b, i, h*d:(h+1)*d]`` を満たす形状 ``(B, H, L, d)`` の float64 配列を
    返します。ヘッド ``h`` は特徴量の列 ``[h*d, (h+1)*d)`` を持ちます。``x`` は変更しません。
    ``n_heads < 1`` の場合、``D % n_heads != 0`` の場合、``x`` が 3 次元でない場合は、値を示して
    ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"split_heads: x must have shape (B, L, D), got shape {x.shape}")
    B, L, D = x.shape
    if n_heads < 1 or D % n_heads != 0:
        raise ValueError(f"split_heads: n_heads must be >= 1 and divide D = {D}, got n_heads = {n_heads}")
    d = D // n_heads
    blocks = x.reshape(B, L, n_heads, d)  # (B, L, H, d): feature h*d + j -> block h, column j
    return blocks.transpose(0, 2, 1, 3).copy()  # (B, H, L, d)
    ### END SOLUTION


# %% [markdown]
# ## transposes.merge_heads
#
# Merging undoes the split step by step in reverse order: move the sequence axis back in front of
# the heads with `transpose(0, 2, 1, 3)`, `(B, H, L, d) -> (B, L, H, d)`, then join the `H` blocks
# of every position into one feature vector with `reshape(B, L, H * d)`. Block `h` then fills
# columns `[h*d, (h+1)*d)` again, so `merge_heads(split_heads(x, H))` gives back `x`.
#
# 結合は分割の手順を逆の順にたどります。まず `transpose(0, 2, 1, 3)` で系列の軸をヘッドの軸の前に
# 戻し(`(B, H, L, d) -> (B, L, H, d)`)、次に `reshape(B, L, H * d)` で各位置の `H` 個のブロックを
# 1 本の特徴ベクトルにつなげます。するとブロック `h` は再び列 `[h*d, (h+1)*d)` に入るので、
# `merge_heads(split_heads(x, H))` は `x` に戻ります。

# %%
def merge_heads(x):
    """Merge the heads of ``x (B, H, L, d)`` back into features: ``(B, L, H * d)``.

    ``x`` is an array-like of shape ``(B, H, L, d)``. Returns a float64 array of shape
    ``(B, L, H * d)`` with ``result[b, i, h*d:(h+1)*d] == x[b, h, i, :]``, the inverse of
    ``split_heads``. ``x`` is not modified. Raises ``ValueError``, naming the shape, when ``x`` is
    not 4-D.

    ``x (B, H, L, d)`` のヘッドを特徴量に結合し、``(B, L, H * d)`` に戻します。``x`` は形状
    ``(B, H, L, d)`` の array-like です。戻り値は ``result[b, i, h*d:(h+1)*d] == x[b, h, i, :]`` を
    満たす形状 ``(B, L, H * d)`` の float64 配列で、``split_heads`` の逆の操作です。``x`` は変更
    しません。``x`` が 4 次元でない場合は、その形状を示して ``ValueError`` を送出します。
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"merge_heads: x must have shape (B, H, L, d), got shape {x.shape}")
    B, H, L, d = x.shape
    positions_first = x.transpose(0, 2, 1, 3)  # (B, L, H, d)
    return positions_first.reshape(B, L, H * d)  # (B, L, H*d); reshape copies a non-contiguous view
    ### END SOLUTION


# %% [markdown]
# ## transposes.symmetric_eig
#
# Validate first: the matrix must be square, and symmetric up to rounding, i.e.
# `max |S - Sᵀ| <= 1e-8 * max |S|` (a relative test, so that it means the same for entries of size
# `1e-3` and `1e3`; `np.allclose` is far looser). Then call `np.linalg.eigh`, which returns
# ascending eigenvalues and unit eigenvector *columns*. Reverse both, the values *and* the
# columns, so that column `i` still belongs to value `i`. Finally fix each column's sign: find the
# entry of largest absolute value and flip the column if that entry is negative. Sort by value,
# not by magnitude: `-5` comes after `1`.
#
# まず入力を検証します。行列は正方で、丸め誤差の範囲で対称、つまり
# `max |S - Sᵀ| <= 1e-8 * max |S|` でなければなりません(相対的な判定なので、成分の大きさが `1e-3`
# でも `1e3` でも同じ意味になります。`np.allclose` ははるかに緩い判定です)。次に
# `np.linalg.eigh` を呼ぶと、昇順の固有値と、大きさ 1 の固有ベクトルを*列*に持つ行列が返ります。
# 値と列の*両方*を逆順にして、列 `i` が値 `i` に対応したままになるようにします。最後に各列の符号を
# そろえます。絶対値が最大の成分を探し、それが負なら列全体の符号を反転します。並べ替えは絶対値
# ではなく値の大きさで行います。`-5` は `1` の後ろです。

# %%
def symmetric_eig(S):
    """Eigen-decomposition of the real symmetric matrix ``S``: ``(eigvals, eigvecs)``.

    ``S`` is an array-like of shape ``(n, n)``. Returns a tuple of two float64 arrays: ``eigvals``
    of shape ``(n,)`` in descending order (by value, not magnitude), and ``eigvecs`` of shape
    ``(n, n)`` whose column ``i`` is a unit-norm eigenvector for ``eigvals[i]``
    (``S @ eigvecs[:, i] == eigvals[i] * eigvecs[:, i]``), so that
    ``S == eigvecs @ diag(eigvals) @ eigvecs.T``. Each column's entry of largest absolute value is
    positive (when two entries tie, the first one counts; with repeated eigenvalues the columns
    are any orthonormal basis of the eigenspace). ``S`` is not modified; the decomposition is
    computed from the symmetric part ``(S + S^T) / 2``. Raises ``ValueError``, naming the shape or
    the asymmetry, when ``S`` is not a square 2-D array, or when
    ``max|S - S^T| > 1e-8 * max|S|``.

    実対称行列 ``S`` の固有値分解 ``(eigvals, eigvecs)`` を返します。``S`` は形状 ``(n, n)`` の
    array-like です。戻り値は 2 つの float64 配列のタプルで、``eigvals`` は降順(絶対値ではなく値の
    大きさの順)に並べた形状 ``(n,)`` の配列、``eigvecs`` は列 ``i`` が ``eigvals[i]`` に対する
    大きさ 1 の固有ベクトル(``S @ eigvecs[:, i] == eigvals[i] * eigvecs[:, i]``)である形状
    ``(n, n)`` の配列です。したがって ``S == eigvecs @ diag(eigvals) @ eigvecs.T`` が成り立ちます。
    各列の絶対値が最大の成分は正です(同じ絶対値の成分が 2 つあるときは最初のものを使います。固有値
    が重複する場合、列は固有空間の任意の正規直交基底です)。``S`` は変更せず、分解は対称部分
    ``(S + S^T) / 2`` から計算します。``S`` が 2 次元の正方行列でない場合や
    ``max|S - S^T| > 1e-8 * max|S|`` の場合は、形状または非対称の大きさを示して ``ValueError`` を
    送出します。
    """
    ### BEGIN SOLUTION
    S = np.asarray(S, dtype=np.float64)
    if S.ndim != 2 or S.shape[0] != S.shape[1]:
        raise ValueError(f"symmetric_eig: S must be a square matrix (n, n), got shape {S.shape}")
    scale = np.max(np.abs(S)) if S.size else 0.0
    asymmetry = np.max(np.abs(S - S.T)) if S.size else 0.0
    if asymmetry > 1e-8 * scale:
        raise ValueError(
            f"symmetric_eig: S is not symmetric: max|S - S^T| = {asymmetry:.3g} > 1e-8 * max|S| = {1e-8 * scale:.3g}"
        )
    values, vectors = np.linalg.eigh((S + S.T) / 2)  # ascending values, eigenvectors as columns
    values, vectors = values[::-1].copy(), vectors[:, ::-1].copy()  # descending; columns move with values
    n = S.shape[0]
    largest = np.argmax(np.abs(vectors), axis=0)  # (n,): row of each column's largest |entry|
    signs = np.sign(vectors[largest, np.arange(n)])  # (n,)
    signs[signs == 0] = 1.0
    return values, vectors * signs  # flip every column whose largest entry is negative
    ### END SOLUTION


# %% [markdown]
# ## transposes.low_rank_approx
#
# Keep the eigenpairs of the `k` largest eigenvalues, by value (for a covariance matrix they are
# the directions of largest variance), and add up `λᵢ vᵢ vᵢᵀ`. With `V_k` the `(n, k)` matrix of
# those columns, the sum is `(V_k * λ_k) @ V_kᵀ`: scaling column `i` by `λᵢ` is a broadcast `*`,
# not a matrix product with a scalar. `k = 0` gives the zero matrix and `k = n` gives `S` back.
# Check `k` yourself: slicing with `[:k]` silently accepts `k > n` and counts from the end for a
# negative `k`.
#
# 大きい方から `k` 個の固有値(絶対値ではなく値で比べます。共分散行列なら分散が最も大きい方向
# です)の固有対を残し、`λᵢ vᵢ vᵢᵀ` を足し合わせます。その列を並べた `(n, k)` 行列を `V_k` とすると、
# 和は `(V_k * λ_k) @ V_kᵀ` です。列 `i` を `λᵢ` 倍するのはブロードキャストによる `*` で、スカラーとの
# 行列積ではありません。`k = 0` なら零行列、`k = n` なら `S` そのものに戻ります。`k` は自分で
# 確認してください。`[:k]` によるスライスは `k > n` を黙って受け入れ、負の `k` では末尾から数えて
# しまいます。

# %%
def low_rank_approx(S, k):
    """Rank-``k`` approximation ``sum_{i<k} lambda_i v_i v_i^T`` of the symmetric matrix ``S``.

    ``S`` is an array-like of shape ``(n, n)``, symmetric as ``symmetric_eig`` requires, and ``k``
    a Python integer with ``0 <= k <= n``. The ``k`` eigenpairs ``(lambda_i, v_i)`` with the largest
    eigenvalues *by value* (not magnitude) are kept, and the float64 ``(n, n)`` matrix
    ``sum_i lambda_i * outer(v_i, v_i)`` is returned; it is the best rank-``k`` approximation when
    ``S`` is positive semi-definite. ``k = 0`` gives zeros and ``k = n`` gives ``S``. ``S`` is not
    modified. Raises ``ValueError``, naming ``k`` and ``n``, when ``k`` is outside ``0..n``, and the
    errors of ``symmetric_eig`` for a non-square or non-symmetric ``S``.

    対称行列 ``S`` のランク ``k`` 近似 ``sum_{i<k} lambda_i v_i v_i^T`` を返します。``S`` は
    ``symmetric_eig`` の条件を満たす形状 ``(n, n)`` の対称な array-like、``k`` は ``0 <= k <= n`` の
    Python の整数です。固有値が(絶対値ではなく値で)大きい方から ``k`` 個の固有対
    ``(lambda_i, v_i)`` を残し、``(n, n)`` の float64 行列 ``sum_i lambda_i * outer(v_i, v_i)`` を
    返します。``S`` が半正定値なら、これが最良のランク ``k`` 近似です。``k = 0`` なら零行列、
    ``k = n`` なら ``S`` になります。``S`` は変更しません。``k`` が ``0..n`` の範囲外の場合は
    ``k`` と ``n`` を示して ``ValueError`` を送出し、正方でない ``S`` や対称でない ``S`` では
    ``symmetric_eig`` と同じエラーを送出します。
    """
    ### BEGIN SOLUTION
    values, vectors = symmetric_eig(S)  # descending values, unit eigenvector columns
    n = values.shape[0]
    if not 0 <= k <= n:
        raise ValueError(f"low_rank_approx: k must be in 0..{n} for S of shape {(n, n)}, got k = {k}")
    kept = vectors[:, :k]  # (n, k)
    return (kept * values[:k]) @ kept.T  # (n, k) scaled columns @ (k, n) -> (n, n)
    ### END SOLUTION


# %% [markdown]
# ## transposes.explained_variance_ratio
#
# In PCA the eigenvalues of the covariance matrix are the variances along the principal
# directions, and their sum is the total variance. Component `i` therefore explains the fraction
# `λᵢ / Σⱼ λⱼ` of it. Keep the order you were given (sorting is the caller's business), return
# fractions rather than percentages, and refuse a sum that is not positive: there is no variance
# to share out, and dividing by it would give `inf`, `nan` or ratios of the wrong sign.
#
# PCA では、共分散行列の固有値は主成分の方向に沿った分散で、その和が全分散です。したがって成分
# `i` はその `λᵢ / Σⱼ λⱼ` の割合を説明します。与えられた順序を保ち(並べ替えは呼び出し側の仕事
# です)、百分率ではなく割合を返し、和が正でない場合は拒否してください。分け合う分散がないうえ、
# その値で割ると `inf` や `nan`、符号の逆転した割合になってしまいます。

# %%
def explained_variance_ratio(eigvals):
    """Share of the total variance for each eigenvalue: ``eigvals / eigvals.sum()``.

    ``eigvals`` is an array-like of eigenvalues (usually 1-D, from ``symmetric_eig``; individual
    values may be negative). Returns a float64 array of the same shape and order whose entries sum
    to 1. ``eigvals`` is not modified. Raises ``ValueError``, naming the sum, when the sum is not
    positive (zero, negative or NaN; an empty input sums to 0).

    各固有値が全分散に占める割合 ``eigvals / eigvals.sum()`` を返します。``eigvals`` は固有値の
    array-like です(ふつうは ``symmetric_eig`` から得た 1 次元配列で、個々の値は負でもかまいません)。
    戻り値は同じ形状・同じ順序の float64 配列で、成分の和は 1 です。``eigvals`` は変更しません。
    和が正でない場合(0、負、NaN。空の入力の和は 0 です)は、その和を示して ``ValueError`` を送出
    します。
    """
    ### BEGIN SOLUTION
    eigvals = np.asarray(eigvals, dtype=np.float64)
    total = eigvals.sum()
    if not total > 0:  # also catches NaN
        raise ValueError(f"explained_variance_ratio: the eigenvalues must have a positive sum, got {total!r}")
    return eigvals / total
    ### END SOLUTION
