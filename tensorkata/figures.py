"""Figures in the topic notebooks, drawn with the student's own functions.

A picture of what a function computes teaches what a page of text cannot, but only once the
function exists: while it is still a stub, a figure says which function to implement instead of
failing. Figures are for people, so nbgrader's autograde run (``NBGRADER_EXECUTION`` set) skips
them, and ``tensorkata grade`` leaves their cells out of the module.
"""

import os

import numpy as np

from tensorkata.i18n import Msg


def _say(key: str, **params) -> None:
    """Figures sit in bilingual notebooks, so their notes come in both languages."""
    for lang in ("en", "ja"):
        print(Msg.of(key, **params)(lang))


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        _say("figure.no-matplotlib")
        return None
    try:
        import matplotlib_fontja  # noqa: F401  (Japanese labels)
    except ImportError:
        pass
    return plt


def _draw(default_name: str, draw) -> None:
    """Run ``draw(plt)`` unless grading, and name the missing function when it is still a stub."""
    if os.environ.get("NBGRADER_EXECUTION"):
        return
    plt = _pyplot()
    if plt is None:
        return
    try:
        draw(plt)
    except NotImplementedError as stub:
        plt.close("all")
        _say("figure.implement", function=str(stub.args[0]) if stub.args else default_name)
        return
    plt.show()


def _bowl(p):
    """A tilted elliptic bowl: its gradient field is not radial, so wrong gradients stand out."""
    x, y = p
    return x**2 + 3 * y**2 + x * y


def gradient_field(numerical_gradient) -> None:
    """Arrows of the student's numerical gradient over the contour lines of ``_bowl``."""

    def draw(plt):
        xs = np.linspace(-2, 2, 15)
        grid = np.array([[numerical_gradient(_bowl, np.array([x, y])) for x in xs] for y in xs])
        fine = np.linspace(-2, 2, 100)
        fx, fy = np.meshgrid(fine, fine)
        _, axes = plt.subplots(figsize=(5, 5))
        axes.contour(fx, fy, _bowl((fx, fy)), levels=15, cmap="viridis")
        axes.quiver(*np.meshgrid(xs, xs), grid[..., 0], grid[..., 1], color="tab:red")
        axes.set_title("∇f, f(x, y) = x² + 3y² + xy (numerical_gradient)")
        axes.set_aspect("equal")

    _draw("derivatives.numerical_gradient", draw)


def loss_curve(gradient_descent) -> None:
    """The bowl's value along the student's gradient-descent trajectories for three step sizes."""

    def gradient(p):
        x, y = p
        return np.array([2 * x + y, 6 * y + x])

    def draw(plt):
        _, axes = plt.subplots(figsize=(6, 4))
        for lr in (0.02, 0.1, 0.3):
            path = np.asarray(gradient_descent(gradient, np.array([1.8, 1.5]), lr, 40))
            axes.semilogy([_bowl(p) for p in path], marker=".", label=f"lr = {lr}")
        axes.set_xlabel("step / ステップ")
        axes.set_ylabel("f(x)")
        axes.set_title("Loss curve of gradient_descent / 勾配降下法の損失曲線")
        axes.legend()

    _draw("derivatives.gradient_descent", draw)


def attention_heatmap(scaled_dot_product_attention, causal_mask) -> None:
    """The weights of causal attention between random queries and keys, as a heatmap."""

    def draw(plt):
        import torch

        generator = torch.Generator().manual_seed(0)
        q, k, v = (torch.randn(8, 16, generator=generator) for _ in range(3))
        _, weights = scaled_dot_product_attention(q, k, v, causal_mask(8))
        figure, axes = plt.subplots(figsize=(5.5, 4.5), layout="constrained")
        image = axes.imshow(np.asarray(weights, dtype=float), cmap="magma", vmin=0, vmax=1)
        axes.set_xlabel("key position j / キーの位置 j")
        axes.set_ylabel("query position i / クエリの位置 i")
        axes.set_title("Causal attention weights / 因果アテンションの重み")
        figure.colorbar(image, ax=axes)

    _draw("attention.scaled_dot_product_attention", draw)
