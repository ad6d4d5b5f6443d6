"""Loading a submission: a folder or zip of ``<topic>.py`` modules or ``<topic>.ipynb`` notebooks.

Loading only reads files, it never runs them. The result is a private folder holding one
``<topic>.py`` per readable topic (notebooks become their code cells), ready for a worker to
import from; topics that cannot be read carry the reason instead.
"""

import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

# A submission is a handful of small text files; anything far larger is not one.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2000


class SubmissionError(Exception):
    """The submission as a whole cannot be read (missing path, not a zip, ...)."""


@dataclass(frozen=True)
class Unreadable:
    reason: str


@dataclass
class Submission:
    name: str
    folder: Path
    sources: dict[str, str] = field(default_factory=dict)  # topic -> module source
    unreadable: dict[str, Unreadable] = field(default_factory=dict)
    _tmp: tempfile.TemporaryDirectory | None = None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


FIGURE_TAG = "tensorkata-figure"  # the tag of notebook cells that draw a figure (tensorkata.figures)


def in_module(cell) -> bool:
    """Whether a notebook cell is part of the graded module.

    The rule: every code cell except those that only check or show, namely nbgrader's autograder
    test cells (``grade`` without ``solution``) and figure cells (tagged ``tensorkata-figure``).
    Solution cells, read-only code and unmarked cells count, so a plain notebook is all its code.
    """
    role = cell.metadata.get("nbgrader", {})
    test = role.get("grade") and not role.get("solution")
    return cell.cell_type == "code" and not test and FIGURE_TAG not in cell.metadata.get("tags", [])


def notebook_source(path: Path) -> str:
    """The module cells of a notebook (:func:`in_module`), in order, as one module (shell and magic
    lines commented out)."""
    import nbformat

    notebook = nbformat.read(str(path), as_version=4)
    cells = []
    for cell in notebook.cells:
        if not in_module(cell):
            continue
        lines = [f"# {line}" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines()]
        cells.append("\n".join(lines))
    return "\n\n".join(cells) + "\n"


def _read_topic(path: Path) -> str | Unreadable:
    if path.stat().st_size > MAX_FILE_BYTES:
        return Unreadable(f"{path.name} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        if path.suffix == ".ipynb":
            return notebook_source(path)
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return Unreadable(f"{path.name} is not UTF-8 text ({error.reason} at byte {error.start})")
    except Exception as error:  # nbformat raises many kinds for a corrupt notebook
        return Unreadable(f"{path.name} could not be read as a notebook: {type(error).__name__}: {error}"[:500])


def _safe_extract(archive: Path, target: Path) -> dict[str, str]:
    """Extract regular files only: no absolute paths, no ``..``, no links, bounded size.

    Returns the members left out for their size, by file name, with the reason, so that the
    topics they held are reported as unreadable instead of missing.
    """
    left_out, total = {}, 0
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_MEMBERS:
                raise SubmissionError(f"{archive.name}: more than {MAX_MEMBERS} entries")
            for info in members:
                name = PurePosixPath(info.filename.replace("\\", "/"))
                mode = info.external_attr >> 16
                if info.is_dir() or name.is_absolute() or ".." in name.parts or stat.S_ISLNK(mode):
                    continue
                if info.file_size > MAX_FILE_BYTES or total + info.file_size > MAX_TOTAL_BYTES:
                    left_out[name.name] = f"{name.name} unpacks to {info.file_size} bytes, over the size limit"
                    continue
                total += info.file_size
                destination = target.joinpath(*name.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as source, open(destination, "wb") as sink:
                    sink.write(source.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES])
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as error:
        raise SubmissionError(f"{archive.name} is not a readable zip file: {error}") from None
    return left_out


def _find(root: Path, filename: str) -> Path | None:
    """The shallowest regular file called ``filename`` under ``root`` (zips often add a folder)."""
    candidates = [p for p in root.rglob(filename) if p.is_file() and not p.is_symlink()]
    candidates = [p for p in candidates if "__MACOSX" not in p.parts and ".ipynb_checkpoints" not in p.parts]
    return min(candidates, key=lambda p: (len(p.parts), str(p))) if candidates else None


def load(path: str | Path, topics: list[str]) -> Submission:
    """Read the submission at ``path`` for the given ``topics``."""
    path = Path(path)
    if not path.exists():
        raise SubmissionError(f"{path}: no such file or folder")
    tmp = tempfile.TemporaryDirectory(prefix="tensorkata-submission-")
    root = Path(tmp.name)
    submission = Submission(name=path.stem if path.is_file() else path.name, folder=root / "modules", _tmp=tmp)
    submission.folder.mkdir()
    try:
        left_out = {}
        if path.is_dir():
            source_root = path
        elif zipfile.is_zipfile(path):
            source_root = root / "unpacked"
            source_root.mkdir()
            left_out = _safe_extract(path, source_root)
        elif path.suffix in (".py", ".ipynb"):
            source_root = root / "single"
            source_root.mkdir()
            shutil.copy(path, source_root / path.name)
        else:
            raise SubmissionError(f"{path}: expected a folder, a .zip, a .py or a .ipynb file")
        for topic in topics:
            found = _find(source_root, f"{topic}.py") or _find(source_root, f"{topic}.ipynb")
            if found is None:
                reason = left_out.get(f"{topic}.py") or left_out.get(f"{topic}.ipynb")
                if reason:
                    submission.unreadable[topic] = Unreadable(reason)
                continue
            text = _read_topic(found)
            if isinstance(text, Unreadable):
                submission.unreadable[topic] = text
            else:
                submission.sources[topic] = text
                (submission.folder / f"{topic}.py").write_text(text, encoding="utf-8")
    except BaseException:
        tmp.cleanup()
        raise
    return submission
