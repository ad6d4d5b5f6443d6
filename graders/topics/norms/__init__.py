"""The norms topic: L1, L2, Lp and Frobenius norms, cosine similarity, normalization, gradient clipping, layer norm."""
