"""Grading on a Dask cluster: ``grade-batch --scheduler ADDRESS``.

Each submission becomes one task. The task carries the submission's files (the cluster's
machines need not share a file system with this one), writes them into a temporary folder and
grades them in a fresh ``python -m tensorkata.gradebook.child`` process, so a submission that
crashes or hangs its grader costs only its own task, as in the local :class:`~.pool.Pool`, and
the reply is the same plain JSON. Only the batch process writes the gradebook, as replies arrive;
it keeps about one task per worker thread in flight, so "running" in the gradebook means running.
"""

import dataclasses
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Callable, Iterator

from tensorkata.gradebook.pool import Failure, PoolError
from tensorkata.gradebook.scan import _walk

CONNECT_SECONDS = 30


def _files(job: dict) -> list[tuple[str, bytes]]:
    """The submission's regular files as (name relative to its parent folder, bytes)."""
    if job["kind"] == "folder":
        root = Path(job["paths"][0])
        entries = [(path, f"{root.name}/{name}") for path, name in _walk(root)]
    else:
        entries = [(Path(path), Path(path).name) for path in job["paths"]]
    files = []
    for path, name in entries:
        try:
            files.append((name, path.read_bytes()))
        except OSError:
            continue  # unreadable here: the submission is graded without it, as when it is missing
    return files


def _unpack(folder: Path, job: dict, files: list[tuple[str, bytes]]) -> list[str]:
    """Write the files into ``folder``; the job's paths as they are there."""
    paths = [str(folder / Path(path).name) for path in job["paths"]]
    if job["kind"] == "folder":
        os.mkdir(paths[0])
    for name, data in files:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return paths


def _grade_in_process(job: dict, seconds: float) -> dict:
    process = subprocess.Popen([sys.executable, "-m", "tensorkata.gradebook.child"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        out, _ = process.communicate(json.dumps(job).encode(), timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"failure": dataclasses.astuple(Failure.timed_out(seconds))}
    try:
        if process.returncode == 0:
            return json.loads(out)
    except ValueError:
        pass
    return {"failure": dataclasses.astuple(Failure.died(process.returncode))}


def grade_task(job: dict, files: list[tuple[str, bytes]], seconds: float) -> dict:
    """The Dask task: one submission graded in a process of its own on the worker's machine."""
    with tempfile.TemporaryDirectory(prefix="tensorkata-task-") as tmp:
        return _grade_in_process({**job, "paths": _unpack(Path(tmp), job, files)}, seconds)


def _reply(future) -> dict | Failure:
    try:
        reply = future.result()
    except Exception as error:  # noqa: BLE001 (a lost worker or a task Dask gave up on)
        return Failure("crashed", f"the Dask task failed: {type(error).__name__}: {error}")
    return Failure(*reply["failure"]) if "failure" in reply else reply


class DaskPool:
    """Grading tasks on the Dask scheduler at ``address``; the same interface and replies as :class:`~.pool.Pool`."""

    def __init__(self, address: str, seconds: float):
        self.address, self.seconds = address, seconds

    def run(self, jobs: list[tuple[object, dict]], on_start: Callable[[object], None]) -> Iterator[tuple[object, dict | Failure]]:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise PoolError("--scheduler needs Dask: pip install 'tensorkata[dask]'") from None
        try:
            client = Client(self.address, timeout=CONNECT_SECONDS)
        except (OSError, ValueError, TypeError) as error:
            raise PoolError(f"cannot reach the Dask scheduler at {self.address} ({error})") from None
        with client:
            pending, running, keys = deque(jobs), as_completed(), {}

            def submit() -> None:
                key, job = pending.popleft()
                on_start(key)
                future = client.submit(grade_task, job, _files(job), self.seconds, pure=False)
                keys[future.key] = key
                running.add(future)

            for _ in range(min(max(sum(client.nthreads().values()), 1), len(pending))):
                submit()
            for future in running:
                yield keys.pop(future.key), _reply(future)
                if pending:
                    submit()
