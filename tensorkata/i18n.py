"""Languages: every student-facing string exists in Japanese and English.

The language comes from ``--lang``, then ``TENSORKATA_LANG``, then the locale (``ja*`` gives
Japanese, anything else English). Messages live in ``messages/<part>.toml`` (one file per part of
the tool: engine, check, report, ...) keyed by id; topic texts (hints, diagnoses) live in the
topic catalogues.
"""

import locale
import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "ja")


def choose_language(explicit: str | None = None) -> str:
    for candidate in (explicit, os.environ.get("TENSORKATA_LANG")):
        if candidate:
            return "ja" if candidate.lower().startswith("ja") else "en"
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(variable):
            return "ja" if os.environ[variable].lower().startswith("ja") else "en"
    current = locale.getlocale()[0] or ""
    return "ja" if current.lower().startswith("ja") else "en"


@dataclass(frozen=True)
class Text:
    """One message in both languages."""

    en: str
    ja: str

    def __call__(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en

    @classmethod
    def from_table(cls, table: dict) -> "Text":
        return cls(en=table["en"], ja=table["ja"])


@cache
def messages() -> dict[str, Text]:
    found: dict[str, Text] = {}
    for path in sorted(Path(__file__).with_name("messages").glob("*.toml")):
        with open(path, "rb") as handle:
            table = tomllib.load(handle)
        clash = found.keys() & table.keys()
        if clash:
            raise ValueError(f"{path.name}: message ids defined twice: {sorted(clash)}")
        found.update((key, Text.from_table(value)) for key, value in table.items())
    return found


@dataclass(frozen=True)
class Msg:
    """A reference to an engine message with its parameters, rendered late in the chosen language."""

    key: str
    params: tuple = ()

    @classmethod
    def of(cls, key: str, **params) -> "Msg":
        if key not in messages():
            raise KeyError(f"no message {key!r} in tensorkata/messages/")
        return cls(key, tuple(sorted(params.items())))

    def __call__(self, lang: str) -> str:
        return messages()[self.key](lang).format(**dict(self.params))


def render(message, lang: str) -> str:
    """Render a :class:`Msg`, a :class:`Text` or a plain string."""
    return message if isinstance(message, str) else message(lang)
