"""The judge's handle on one worker process: spawn, request with a time limit, kill, replace.

The worker runs submission code; this side only ever sees frames of plain data. A worker that
misses its deadline is killed with its whole process group; a worker that dies is noticed
through the closed pipe. Either way the caller gets an exception and may start a fresh worker.
"""

import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from tensorkata.worker import codec, protocol

# Reasons: pure-Python loops over 64x64 matrices take ~0.2 s; importing a module with torch
# takes ~2 s on a loaded 2-core machine. Both limits leave a wide margin above that.
CALL_SECONDS = 10.0
LOAD_SECONDS = 30.0


class WorkerTimeout(Exception):
    """The worker did not answer within the time limit and was killed."""


class WorkerDied(Exception):
    """The worker process ended (crash, exit, kill) before it answered."""


@dataclass(frozen=True)
class Limits:
    call_seconds: float = CALL_SECONDS
    load_seconds: float = LOAD_SECONDS


def _worker_environment() -> dict:
    """A scrubbed environment: only what Python and the numeric libraries need."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    return env


class Worker:
    """One worker process with its own temporary working directory."""

    def __init__(self):
        self.workdir = tempfile.TemporaryDirectory(prefix="tensorkata-worker-")
        request_read, self._request = os.pipe()
        self._reply, reply_write = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tensorkata.worker", str(request_read), str(reply_write)],
            pass_fds=(request_read, reply_write),
            cwd=self.workdir.name,
            env=_worker_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        os.close(request_read)
        os.close(reply_write)

    def request(self, message: dict, timeout: float) -> dict:
        """Send one request and wait for its reply, at most ``timeout`` seconds."""
        try:
            protocol.write_frame(self._request, codec.dumps(message))
        except (BrokenPipeError, OSError) as error:
            self.close()
            raise WorkerDied(str(error)) from None
        deadline = time.monotonic() + timeout
        ready, _, _ = select.select([self._reply], [], [], timeout)
        if not ready:
            self.close()
            raise WorkerTimeout(f"no answer within {timeout:g} s")
        try:
            return codec.loads(self._read_before(deadline))
        except (protocol.ChannelClosed, ValueError) as error:
            reason = self._death_reason(error)
            self.close()
            raise WorkerDied(reason) from None

    def _read_before(self, deadline: float) -> bytes:
        """Read a frame; the header has arrived, a body that stalls still counts against the limit."""
        remaining = max(deadline - time.monotonic(), 0.05)
        ready, _, _ = select.select([self._reply], [], [], remaining)
        if not ready:
            raise protocol.ChannelClosed("reply stalled")
        return protocol.read_frame(self._reply)

    def _death_reason(self, error: Exception) -> str:
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return str(error)
        if code < 0:
            return f"killed by signal {signal.Signals(-code).name}"
        return f"exited with status {code}"

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Kill the worker and everything it started, and remove its directory."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait()
        for fd in (self._request, self._reply):
            try:
                os.close(fd)
            except OSError:
                pass
        self._request = self._reply = -1
        self.workdir.cleanup()
