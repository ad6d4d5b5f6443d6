"""The class report (``tensorkata report DB --html FILE``): a gradebook as one HTML page.

- :mod:`.stats`    reads the gradebook (read-only) into plain numbers; no drawing
- :mod:`.figures`  the plots, drawn with matplotlib (Agg) into PNG data URIs
- :mod:`.font`     the Japanese web font, cut down to the characters the page uses
- :mod:`.page`     the HTML page (Jinja2 template in ``templates/``)
"""

from pathlib import Path

from tensorkata.report.stats import ClassStats, ReportError, read


def write(db, path, lang: str) -> ClassStats:
    """Write the report on gradebook ``db`` to ``path``; :class:`ReportError` when it cannot."""
    stats = read(db)
    try:
        from tensorkata.report.page import html  # matplotlib and jinja2 come with the "report" extra
    except ImportError as error:
        raise ReportError(f"the report needs {error.name}: pip install 'tensorkata[report]'") from None
    path = Path(path)
    if path.is_dir():
        raise ReportError(f"{path} is a folder, not an HTML file")
    if not path.parent.is_dir():
        raise ReportError(f"{path}: folder {path.parent} does not exist")
    page = html(stats, lang)
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise ReportError(f"{path}: cannot write the report ({error.strerror or error})") from None
    return stats
