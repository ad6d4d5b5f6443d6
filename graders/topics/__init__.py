"""One sub-package per topic: the hidden suite (``hidden_tests.py``) and ``mistakes.py``.

Adding a topic means adding a folder here, a ``tensorkata/catalog/<topic>.toml`` and its
``solutions/`` and ``reference/`` modules; the engine discovers it by name.
"""

import importlib
import pkgutil


def names() -> list[str]:
    """The topics that have a hidden suite, in curriculum order where known."""
    return [m.name for m in pkgutil.iter_modules(__path__) if m.ispkg]


def import_all(module: str) -> None:
    """Import ``graders.topics.<topic>.<module>`` for every topic that has one."""
    for topic in names():
        try:
            importlib.import_module(f"{__name__}.{topic}.{module}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{topic}.{module}":
                raise
