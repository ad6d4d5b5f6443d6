"""Row-wise test functions of the gpu_batching topic: the ``fn`` that ``chunked_apply`` calls.

Each one maps a tensor ``(n, d)`` to a result whose row ``i`` depends on row ``i`` of the input
only, so applying it chunk by chunk and concatenating gives the same as applying it once. They
work on every float dtype and on ``meta`` tensors. Sent as ``F("rows_softmax", max_rows=k)``, the
function itself refuses a call with more than ``k`` rows ("fn never sees more than chunk_size
rows"). The output shapes differ on purpose (``(n, d)``, ``(n,)``, ``(n, d, d)``), and
``rows_argmax`` changes the dtype to int64, so a submission that skips ``fn`` cannot pass.
"""

import torch

from tensorkata.worker.functions import register


@register
def rows_softmax(x):
    """Softmax of every row: ``(n, d) -> (n, d)``."""
    return torch.softmax(x, dim=-1)


@register
def rows_norm(x):
    """Euclidean norm of every row: ``(n, d) -> (n,)``."""
    return torch.linalg.vector_norm(x, dim=-1)


@register
def rows_argmax(x):
    """Index of the largest entry of every row: ``(n, d) -> (n,)`` int64."""
    return x.argmax(dim=-1)


@register
def rows_outer(x):
    """Outer product of every row with itself: ``(n, d) -> (n, d, d)``."""
    return x[:, :, None] * x[:, None, :]


@register
def rows_affine(x):
    """``2 x + 1`` elementwise: ``(n, ...) -> (n, ...)``."""
    return 2 * x + 1
