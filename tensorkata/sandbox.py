"""The judge's handle on worker processes: fork one, request with a time limit, kill, replace.

The worker runs submission code; this side only ever sees frames of plain data. A worker that
misses its deadline is killed with its whole process group; a worker that dies is noticed
through the closed pipe. Either way the caller gets an exception and may start a fresh worker.
"""

import atexit
import json
import os
import select
import subprocess
import sys
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tensorkata.worker import codec, protocol

# Reasons: pure-Python loops over 64x64 matrices take ~0.2 s; importing a module with torch
# takes ~2 s on a loaded 2-core machine if torch must be imported. Both leave a wide margin.
CALL_SECONDS = 10.0
LOAD_SECONDS = 30.0
# Per worker (one topic of one submission): a whole hidden suite needs a few CPU seconds and a
# few hundred MB beyond torch's own mappings (~0.7 GB); printed output is never needed.
CPU_SECONDS = 300
MEMORY_BYTES = 4 * 1024**3
OUTPUT_BYTES = 16 * 1024**2
PROCESSES = 512  # per unprivileged user: room for parallel workers and their threads, not for a fork bomb
PROJECT = Path(__file__).resolve().parents[1]
HIDDEN = ("graders", "reference", "solutions", "tests")


class WorkerTimeout(Exception):
    """The worker did not answer within the time limit and was killed."""


class WorkerDied(Exception):
    """The worker process ended (crash, exit, kill) before it answered."""


@dataclass(frozen=True)
class Limits:
    call_seconds: float = CALL_SECONDS
    load_seconds: float = LOAD_SECONDS
    cpu_seconds: int = CPU_SECONDS
    memory_bytes: int = MEMORY_BYTES
    output_bytes: int = OUTPUT_BYTES
    processes: int = PROCESSES

    def for_worker(self) -> dict:
        return {"cpu_seconds": self.cpu_seconds, "memory_bytes": self.memory_bytes,
                "output_bytes": self.output_bytes, "processes": self.processes}


def _worker_environment() -> dict:
    """A scrubbed environment: only what Python and the numeric libraries need."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    return env


class ForkServer:
    """The process that forks workers with numpy and torch already imported."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tensorkata.worker.forkserver", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), cwd="/", env=_worker_environment(),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        theirs.close()
        self._socket = ours
        self._replies = ours.makefile("rb")
        self._lock = threading.Lock()

    def _ask(self, request: dict, fds: list[int]) -> dict:
        with self._lock:
            socket.send_fds(self._socket, [json.dumps(request).encode()], fds)
            line = self._replies.readline()
        if not line:
            raise WorkerDied("the fork server is gone")
        return json.loads(line)

    def fork(self, request_read: int, reply_write: int, workdir: str, modules: str, limits: "Limits") -> int:
        """A new confined worker with a copy of ``modules``, serving on the given pipe ends; returns its pid."""
        hide = [str(PROJECT / name) for name in HIDDEN]
        request = {"op": "fork", "workdir": workdir, "modules": modules, "limits": limits.for_worker(), "hide": hide}
        return self._ask(request, [request_read, reply_write])["pid"]

    def kill(self, pid: int) -> None:
        """Kill a worker's whole session and anything its processes left running."""
        if self.process.poll() is None:
            self._ask({"op": "kill", "pid": pid}, [])

    def close(self) -> None:
        self._socket.close()
        self.process.kill()
        self.process.wait()


_server: ForkServer | None = None
_server_lock = threading.Lock()


def fork_server() -> ForkServer:
    """The fork server of this process, started on first use and again if it died."""
    global _server
    with _server_lock:
        if _server is None or _server.process.poll() is not None:
            _server = ForkServer()
            atexit.register(_server.close)
        return _server


def _reachable_tmp() -> str | None:
    """A temporary folder the worker can still reach once it has dropped to an unprivileged user:
    ``TMPDIR`` unless a folder on its path shuts others out (then ``/tmp``)."""
    base = Path(tempfile.gettempdir()).resolve()
    if os.getuid() != 0 or all(os.stat(folder).st_mode & 0o001 for folder in (base, *base.parents)):
        return None
    return "/tmp"


class Worker:
    """One worker process with its own temporary working directory and copy of the modules."""

    def __init__(self, modules: str, limits: Limits = Limits()):
        self.workdir = tempfile.TemporaryDirectory(prefix="tensorkata-worker-", dir=_reachable_tmp())
        request_read, self._request = os.pipe()
        self._reply, reply_write = os.pipe()
        self._server = fork_server()
        try:
            self.pid = self._server.fork(request_read, reply_write, self.workdir.name, modules, limits)
        finally:
            os.close(request_read)
            os.close(reply_write)

    def request(self, message: dict, timeout: float) -> dict:
        """Send one request and wait for its reply, at most ``timeout`` seconds."""
        try:
            protocol.write_frame(self._request, codec.dumps(message))
        except OSError as error:
            self.close()
            raise WorkerDied(f"the worker process ended ({error.strerror})") from None
        deadline = time.monotonic() + timeout
        ready, _, _ = select.select([self._reply], [], [], timeout)
        if not ready:
            self.close()
            raise WorkerTimeout(f"no answer within {timeout:g} s")
        try:
            return codec.loads(self._read_before(deadline))
        except (protocol.ChannelClosed, ValueError):
            self.close()
            raise WorkerDied("the worker process ended before it answered") from None

    def _read_before(self, deadline: float) -> bytes:
        """Read a frame; the header has arrived, a body that stalls still counts against the limit."""
        remaining = max(deadline - time.monotonic(), 0.05)
        ready, _, _ = select.select([self._reply], [], [], remaining)
        if not ready:
            raise protocol.ChannelClosed("reply stalled")
        return protocol.read_frame(self._reply)

    @property
    def alive(self) -> bool:
        if self._request < 0:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def close(self) -> None:
        """Kill the worker and everything it started, and remove its directory."""
        if self._request >= 0:
            try:
                self._server.kill(self.pid)
            except (WorkerDied, OSError):
                pass  # the server is gone, and its workers with their closed pipes
        for fd in (self._request, self._reply):
            if fd >= 0:
                os.close(fd)
        self._request = self._reply = -1
        self.workdir.cleanup()
