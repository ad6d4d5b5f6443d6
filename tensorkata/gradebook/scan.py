"""Finding the submissions in a folder, and the hash of each one's content.

Every sub-folder and every ``.zip`` directly in the folder is one submission, named by the
folder name or the zip's stem; ``<topic>.py`` / ``<topic>.ipynb`` files lying directly in the
folder together form one more submission, named after the folder itself. Hidden entries
(names starting with ``.``) are ignored, and so is anything else (the gradebook, a CSV, notes).
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

SKIPPED = ("__MACOSX", "__pycache__")  # never part of a submission's content
CHUNK = 1 << 20


@dataclass(frozen=True)
class Candidate:
    name: str
    kind: str  # "folder" | "zip" | "files"
    paths: tuple[str, ...]  # the folder or zip; for "files", the loose topic files
    content_hash: str

    @property
    def source(self) -> str:
        return self.paths[0] if self.kind != "files" else os.path.dirname(self.paths[0])


def _hidden(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED


def _hash_file(digest, path: Path, label: str) -> None:
    digest.update(label.encode("utf-8", "surrogateescape") + b"\0")
    try:
        with open(path, "rb") as handle:
            digest.update(str(os.fstat(handle.fileno()).st_size).encode() + b"\0")
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError as error:
        digest.update(f"<unreadable: {error.strerror}>".encode())
    digest.update(b"\0")


def _walk(folder: Path, prefix: str = ""):
    """Regular files under ``folder`` in a fixed order, as (path, relative name); no hidden entries or links."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if _hidden(entry.name) or entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), f"{prefix}{entry.name}/")
        elif entry.is_file(follow_symlinks=False):
            yield Path(entry.path), prefix + entry.name


def content_hash(kind: str, paths) -> str:
    """sha256 over the names and bytes of every file of a submission."""
    digest = hashlib.sha256(kind.encode() + b"\0")
    if kind == "folder":
        for path, name in _walk(Path(paths[0])):
            _hash_file(digest, path, name)
    else:
        for path in sorted(paths, key=lambda p: Path(p).name):
            _hash_file(digest, Path(path), Path(path).name)
    return digest.hexdigest()


def scan(directory: str | Path, topic_names: list[str]) -> tuple[list[Candidate], list[str]]:
    """The submissions in ``directory`` (sorted by name), and the names of the entries ignored."""
    directory = Path(directory)
    topic_files = {f"{t}{suffix}" for t in topic_names for suffix in (".py", ".ipynb")}
    found: list[tuple[str, str, tuple[str, ...]]] = []
    loose, ignored = [], []
    for entry in sorted(os.scandir(directory), key=lambda e: e.name):
        if _hidden(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_dir():
            found.append((entry.name, "folder", (str(path),)))
        elif entry.is_file() and path.suffix.lower() == ".zip":
            found.append((path.stem, "zip", (str(path),)))
        elif entry.is_file() and entry.name in topic_files:
            loose.append(str(path))
        else:
            ignored.append(entry.name)
    if loose:
        found.append((directory.resolve().name or "submission", "files", tuple(loose)))
    taken: set[str] = set()
    candidates = []
    for name, kind, paths in found:
        if name in taken:  # alice/ and alice.zip: the zip keeps its suffix, loose files get one
            name = Path(paths[0]).name if kind == "zip" else f"{name}.loose"
        base, number = name, 2
        while name in taken:
            name, number = f"{base}~{number}", number + 1
        taken.add(name)
        candidates.append(Candidate(name, kind, paths, content_hash(kind, paths)))
    return sorted(candidates, key=lambda c: c.name), ignored
