"""Progress between runs: per topic, the last and the best count of passed exercises.

Kept in a small JSON file next to the checked folder's modules, so a student sees it grow. A
missing, corrupt or unwritable file never stops a check: progress is a courtesy, not a record.
"""

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

FILENAME = ".tensorkata-progress.json"


@dataclass(frozen=True)
class Progress:
    topic: str
    done: int
    total: int
    previous: int | None  # done at the last run, if any
    best: int


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _count(entry, key: str) -> int | None:
    value = entry.get(key) if isinstance(entry, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _write(path: Path, data: dict) -> None:
    """Replace the file atomically; silently keep the old one if the folder is read-only."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tensorkata-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except OSError:
        pass


def record(folder: Path, counts: dict[str, tuple[int, int]]) -> list[Progress]:
    """Store ``counts`` (topic -> (done, total)) for ``folder``; return each topic's progress."""
    path = Path(folder) / FILENAME
    data = _read(path)
    found = []
    for topic, (done, total) in counts.items():
        entry = data.get(topic)
        previous = _count(entry, "last") if _count(entry, "total") == total else None
        best = max(done, _count(entry, "best") or 0) if previous is not None else done
        found.append(Progress(topic, done, total, previous, best))
        data[topic] = {"last": done, "best": best, "total": total}
    _write(path, data)
    return found
