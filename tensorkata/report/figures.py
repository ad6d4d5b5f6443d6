"""The report's figures: matplotlib (Agg, no display), returned as PNG data URIs for the page.

Labels are in the report's language; IPAexGothic (from matplotlib-fontja) draws the Japanese
ones and DejaVu Sans the Latin ones, each falling back on the other for glyphs it lacks, so
neither language shows missing-glyph boxes. Figures never touch pyplot's global state.
"""

import base64
import io
import math

import matplotlib_fontja  # noqa: F401  (registers IPAexGothic with matplotlib)
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tensorkata import catalog
from tensorkata.i18n import Msg
from tensorkata.report.stats import BINS, ClassStats, TopicStat

FONTS = {"ja": ["IPAexGothic", "DejaVu Sans"], "en": ["DejaVu Sans", "IPAexGothic"]}
DPI = 110
COLOUR = "#3b6ea8"
WIDTH = 100 / BINS


def _style(lang: str) -> dict:
    return {"font.family": FONTS[lang], "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _histogram(axes, counts: list[int]) -> None:
    axes.bar([i * WIDTH for i in range(BINS)], counts, width=WIDTH, align="edge", color=COLOUR, edgecolor="white")
    axes.set_xlim(0, 100)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def scores(stats: ClassStats, lang: str) -> str:
    """Histogram of the submissions' total scores in percent."""
    with rc_context(_style(lang)):
        figure = Figure(figsize=(7, 3), dpi=DPI, layout="constrained")
        axes = figure.add_subplot()
        _histogram(axes, stats.counts)
        axes.set_xlabel(Msg.of("class-report.axis-score")(lang))
        axes.set_ylabel(Msg.of("class-report.axis-submissions")(lang))
        return _png(figure)


def _topic_title(topic: TopicStat, lang: str) -> str:
    title = catalog.topic(topic.name).title(lang) if topic.name in catalog.topic_names() else topic.name
    return f"{title} (n={len(topic.percents)})"


def topics(stats: ClassStats, lang: str) -> str:
    """One small histogram per topic, on the same axes as the total's."""
    columns = min(len(stats.topics), 2)
    rows = math.ceil(len(stats.topics) / columns)
    with rc_context(_style(lang)):
        figure = Figure(figsize=(7, 0.4 + 1.9 * rows), dpi=DPI, layout="constrained")
        grid = figure.subplots(rows, columns, squeeze=False, sharex=True)
        for axes, topic in zip(grid.flat, stats.topics):
            _histogram(axes, topic.counts)
            axes.set_title(_topic_title(topic, lang), fontsize=9)
        for axes in list(grid.flat)[len(stats.topics):]:
            axes.set_visible(False)
        figure.supxlabel(Msg.of("class-report.axis-score")(lang), fontsize=9)
        figure.supylabel(Msg.of("class-report.axis-submissions")(lang), fontsize=9)
        return _png(figure)


def exercises(stats: ClassStats, lang: str) -> str:
    """Pass rate of every exercise as horizontal bars, the hardest at the top."""
    shown = stats.exercises
    with rc_context(_style(lang)):
        figure = Figure(figsize=(7, 0.8 + 0.26 * len(shown)), dpi=DPI, layout="constrained")
        axes = figure.add_subplot()
        places = range(len(shown))
        axes.barh(places, [100 * e.pass_rate for e in shown], color=COLOUR)
        axes.set_yticks(places, [e.id for e in shown], fontsize=8)
        axes.invert_yaxis()
        for place, e in zip(places, shown):
            axes.annotate(f"{e.passed}/{e.submissions}", (100 * e.pass_rate, place), xytext=(3, 0),
                          textcoords="offset points", va="center", fontsize=7)
        axes.set_xlim(0, 112)
        axes.set_xticks(range(0, 101, 20))
        axes.set_xlabel(Msg.of("class-report.axis-pass-rate")(lang))
        return _png(figure)
