"""What a grading process does with one submission: grade it and return plain JSON data.

This runs in a process of :mod:`.pool`, or as ``python -m tensorkata.gradebook.child`` (job on
stdin, reply on stdout) for a task of :mod:`.cluster`; never in the process that writes the
gradebook. The reply is ``{"status": "graded", "results": <Gradescope results.json>}`` or, when the submission
as a whole cannot be graded, ``{"status": "error", "error": <one line>, "exercise_status": ...}``.
"""

import importlib
import json
import os
import shutil
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path


PRELOAD = ("graders.engine", "tensorkata.formats.gradescope", "tensorkata.submission")


def warm_up() -> None:
    """Import the engine (unless the fork server did already) before the first submission arrives,
    and what torch imports on first use (measured: torch.func 1.5-4 s, assert_close 0.5-0.8 s)."""
    for module in PRELOAD:
        importlib.import_module(module)
    import torch

    torch.testing.assert_close(torch.func.grad(torch.sin)(torch.zeros(())), torch.ones(()))


def _error(message: str, status: str) -> dict:
    return {"status": "error", "error": message, "exercise_status": status}


def grade_job(job: dict) -> dict:
    """Grade the submission described by ``job`` (see :mod:`.batch`)."""
    from graders.engine import grade
    from tensorkata.sandbox import Limits
    from tensorkata.formats import gradescope
    from tensorkata.submission import SubmissionError

    limits = Limits(**job["limits"]) if job.get("limits") else Limits()
    kind, paths = job["kind"], job["paths"]
    if kind == "zip" and not zipfile.is_zipfile(paths[0]):
        return _error(f"{Path(paths[0]).name} is not a readable zip file", "unreadable")
    try:
        with tempfile.TemporaryDirectory(prefix="tensorkata-batch-") as tmp:
            if kind == "files":  # loose <topic>.py / .ipynb files: graded as one folder of their own
                folder = Path(tmp) / "submission"
                folder.mkdir()
                for path in paths:
                    shutil.copy(path, folder / Path(path).name)
                target = folder
            else:
                target = Path(paths[0])
            result = grade(target, topics=job["topics"], seed=job["seed"], limits=limits)
    except SubmissionError as error:
        return _error(str(error), "unreadable")
    except Exception as error:  # a grader bug must cost this submission only
        where = traceback.extract_tb(error.__traceback__)[-1]
        message = (str(error).splitlines() or [""])[0][:300]
        return _error(f"grader error: {type(error).__name__}: {message} ({Path(where.filename).name}:{where.lineno})",
                      "grader-error")
    return {"status": "graded", "results": gradescope.to_dict(result, job["lang"])}


def main() -> None:
    """Grade the JSON job on stdin; only the reply reaches stdout (whatever else prints goes to stderr)."""
    job = json.load(sys.stdin)
    reply = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    reply.write(json.dumps(grade_job(job)))
    reply.close()


if __name__ == "__main__":
    main()
