"""A web font for the page's own characters, so Japanese text reads on machines without a CJK font.

The page must be readable offline anywhere, and many machines (servers, minimal Linux) have no
font with Japanese glyphs. So the page embeds IPAexGothic (shipped by matplotlib-fontja), cut
down with fontTools to exactly the non-ASCII characters the page uses: a few kilobytes instead
of four megabytes. Browsers use it only for characters the system fonts before it lack.
"""

import base64
import io

import matplotlib_fontja
from fontTools import subset
from fontTools.ttLib import TTFont

FAMILY = "tensorkata-ja"


def characters(text: str) -> str:
    """The characters of ``text`` a Latin-only system font may lack, in a fixed order."""
    return "".join(sorted({c for c in text if ord(c) > 0x7E}))


def data_uri(text: str) -> str | None:
    """A WOFF font with the glyphs of ``text``'s non-ASCII characters; None when it has none."""
    wanted = characters(text)
    if not wanted:
        return None
    options = subset.Options()
    options.flavor = "woff"
    font = TTFont(matplotlib_fontja.get_font_ttf_path(), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=wanted)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return "data:font/woff;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
