"""The Gradescope autograder bundle: the grader's source plus the two scripts Gradescope runs.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once as root when it
builds the image, and ``run_autograder`` for every submission, which must leave
``/autograder/results/results.json``. The bundle carries the hidden graders, so it is for the
instructor's Gradescope account only, never for students.
"""

import json
import zipfile
from pathlib import Path

from tensorkata.i18n import Msg

PROJECT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "tensorkata", "graders", "reference")

SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image.
set -euo pipefail
cd /autograder/source
python=""
for candidate in python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null; then python="$candidate"; break; fi
done
if [ -z "$python" ]; then
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
    python=python3.11
fi
"$python" -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet --upgrade pip
# The CPU build of PyTorch: the default index would bring several GB of CUDA libraries.
/autograder/venv/bin/pip install --quiet torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/pip install --quiet /autograder/source
"""

# AUTOGRADER_ROOT and TENSORKATA_PYTHON exist so the bundle can be tried outside Gradescope.
RUN = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission; it must leave results/results.json behind.
set -u
root="${{AUTOGRADER_ROOT:-/autograder}}"
python="${{TENSORKATA_PYTHON:-$root/venv/bin/python}}"
mkdir -p "$root/results"
cd "$root/source"
"$python" -m tensorkata.cli grade "$root/submission" --lang {lang}{topics} --json "$root/results/results.json"
status=$?
if [ $status -ne 0 ] || [ ! -s "$root/results/results.json" ]; then
    # Written by the shell itself: it must work even when Python cannot start.
    cat > "$root/results/results.json" <<'JSON'
{failed}
JSON
fi
"""



def _members(root: Path):
    for name in SOURCES:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" not in file.parts and file.suffix != ".pyc":
                yield file, file.relative_to(root).as_posix()


def _add_script(archive: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o100755 << 16  # an executable regular file once unpacked
    archive.writestr(info, text)


def build(out: Path, lang: str = "en", topics: list[str] | None = None, root: Path = PROJECT) -> Path:
    """Write the bundle to ``out`` (a .zip).

    ``lang`` is the language of the students' feedback; ``topics`` limits the assignment to those
    topics (a weekly assignment), all topics when None.
    """
    options = "".join(f" --topic {topic}" for topic in topics or [])
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _add_script(archive, "setup.sh", SETUP)
        _add_script(archive, "run_autograder", RUN.format(lang=lang, topics=options, failed=_failure_json(lang)))
        for file, name in _members(root):
            archive.write(file, name)
    return out


def _failure_json(lang: str) -> str:
    """The results.json left when grading could not run: the student sees why, not nothing."""
    return json.dumps({"score": 0.0, "output": Msg.of("gradescope.failed")(lang), "tests": []}, ensure_ascii=False)
