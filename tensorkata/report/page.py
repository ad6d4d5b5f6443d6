"""The report as one self-contained HTML page: figures and font embedded, no script, no network.

The page is a Jinja2 template with autoescaping, since submission names and recorded error
messages come from students. Numbers for programs to read sit in ``data-*`` attributes.
"""

import statistics
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from tensorkata import catalog
from tensorkata.i18n import Msg, render
from tensorkata.report import figures, font
from tensorkata.report.stats import ClassStats


def _environment() -> Environment:
    return Environment(loader=PackageLoader("tensorkata.report"), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def _helpers(lang: str) -> dict:
    """What the template calls: messages and catalogue titles in ``lang``, number formatting."""
    names = set(catalog.topic_names())
    return {
        "say": lambda key, **params: Msg.of(key, **params)(lang),
        "text": lambda message: render(message, lang),
        "topic_title": lambda name: catalog.topic(name).title(lang) if name in names else name,
        "one": lambda value: f"{value:.1f}",
        "mean": lambda values: statistics.fmean(values) if values else 0.0,
        "median": lambda values: statistics.median(values) if values else 0.0,
    }


def html(stats: ClassStats, lang: str) -> str:
    """The whole page for ``stats`` in ``lang``."""
    drawn = {}
    if stats.finished:
        drawn = {"scores": figures.scores(stats, lang), "topics": figures.topics(stats, lang),
                 "exercises": figures.exercises(stats, lang)}
    template = _environment().get_template("report.html.j2")
    context = {"stats": stats, "lang": lang, "name": Path(stats.db).name, "figures": drawn, "family": font.FAMILY,
               **_helpers(lang)}
    draft = template.render(context, font=None)  # first pass: which characters the font must hold
    return template.render(context, font=font.data_uri(draft))
