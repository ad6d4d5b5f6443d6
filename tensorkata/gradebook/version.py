"""The grader version stored with every grade: when it changes, a re-run regrades.

It is the ``tensorkata`` package version plus a hash of every file that can change a score:
the engine and hidden suites (``graders/``), the oracle (``reference/``), the catalogue (points,
exercises), the worker that runs submitted code, and the submission loader.
"""

import hashlib
from importlib import metadata
from pathlib import Path

import graders
import reference
import tensorkata

PACKAGE = Path(tensorkata.__file__).parent
SOURCES = (
    (Path(graders.__file__).parent, "**/*.py"),
    (Path(graders.__file__).parent, "**/*.ini"),
    (Path(reference.__file__).parent, "**/*.py"),
    (PACKAGE / "catalog", "*.toml"),
    (PACKAGE / "worker", "**/*.py"),
    (PACKAGE, "submission.py"),
)


def package_version() -> str:
    try:
        return metadata.version("tensorkata")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def grader_version() -> str:
    """``<package version>+<first 12 hex digits of the hash of the grading files>``."""
    digest = hashlib.sha256()
    for root, pattern in SOURCES:
        for path in sorted(root.glob(pattern)):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            digest.update(f"{root.name}/{path.relative_to(root).as_posix()}".encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return f"{package_version()}+{digest.hexdigest()[:12]}"
