"""The student bundle: everything a student needs to work and check, nothing that grades.

``tensorkata release OUT`` writes a folder that is its own installable project: the stubs, the
notebooks, the public-check data with hints and diagnosis texts, the student side of the
``tensorkata`` package (check, hint, the pytest plugin, the worker that runs their code), a
student README and a GitHub Classroom workflow. Solutions, the reference, the hidden suites and
the mistake implementations stay behind: ``INSTRUCTOR_ONLY`` names the parts of the package that
are left out, and the project's leak test proves that no line of them travels.
"""

import shutil
from pathlib import Path

import nbformat

from tensorkata import catalog
from tensorkata.build import classroom

PROJECT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).with_name("templates")
# Instructor tools inside the package: building, gradebooks and class reports are not for students.
INSTRUCTOR_ONLY = ("build", "gradebook", "report")


class ReleaseError(Exception):
    """The bundle cannot be written where asked; the message says why."""


def _ignored(directory: str, names: list[str]) -> set[str]:
    skip = {n for n in names if n == "__pycache__" or n.endswith(".pyc")}
    if Path(directory) == PROJECT / "tensorkata":
        skip |= set(INSTRUCTOR_ONLY)
    return skip


def _package(out: Path) -> None:
    shutil.copytree(PROJECT / "tensorkata", out / "tensorkata", ignore=_ignored)


def _exercises(out: Path) -> None:
    (out / "exercises").mkdir()
    for topic in catalog.topic_names():
        shutil.copy2(PROJECT / "exercises" / f"{topic}.py", out / "exercises" / f"{topic}.py")


def _notebooks(out: Path) -> None:
    from tensorkata.build.notebooks import student_notebook

    (out / "notebooks").mkdir()
    for topic in catalog.topic_names():
        nbformat.write(student_notebook(topic), out / "notebooks" / f"{topic}.ipynb")


def _version() -> str:
    import tomllib

    with open(PROJECT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def _project_files(out: Path) -> None:
    (out / "pyproject.toml").write_text((TEMPLATES / "student-pyproject.toml").read_text().replace("@VERSION@", _version()))
    shutil.copy2(TEMPLATES / "student-README.md", out / "README.md")
    (out / ".gitignore").write_text("__pycache__/\n*.egg-info/\n.venv/\n.tensorkata-progress.json\n.ipynb_checkpoints/\n")


def build(out: Path) -> Path:
    """Write the student bundle into ``out``, which must not exist or be empty."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(f"{out}: exists and is not empty; choose a new folder (nothing was overwritten)")
    out.mkdir(parents=True, exist_ok=True)
    _package(out)
    _exercises(out)
    _notebooks(out)
    _project_files(out)
    classroom.write(out)
    return out


def manifest(out: Path) -> list[str]:
    """Every file in the bundle, relative and sorted: what the leak test and the CLI report."""
    return sorted(p.relative_to(out).as_posix() for p in Path(out).rglob("*") if p.is_file())

