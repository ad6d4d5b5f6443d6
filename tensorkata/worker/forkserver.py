"""The fork server: one process that has imported numpy and torch and forks ready workers.

Importing torch costs over a second; forking a process that already did costs milliseconds. The
judge starts this server once (``python -m tensorkata.worker.forkserver SOCKET_FD``) and asks it
over a Unix socket for each worker, passing the worker's two pipe ends, working directory and
limits, and later to kill it together with anything it left running (the server is the
"subreaper" of its workers, so even processes that escaped a worker's session come back to it).
The server runs no torch operation itself, so no thread pool exists to be broken by ``fork``.
"""

import ctypes
import json
import os
import shutil
import signal
import socket
import sys
import time

import numpy  # noqa: F401  (the point of this process: modules already imported when forking)
import torch  # noqa: F401
import torch._dynamo  # noqa: F401  (imported on first use of a dispatch mode: 2 s, 8 s under tracemalloc)
import torch.utils._python_dispatch  # noqa: F401

from tensorkata.worker import loop
from tensorkata.worker.confine import confine

MAX_MESSAGE = 4096


PR_SET_CHILD_SUBREAPER = 36


def _become_worker(server: socket.socket, request_fd: int, reply_fd: int, request: dict) -> None:
    """In the forked child: a session of its own, its own directory, confined, then serve requests."""
    server.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    try:
        os.chdir(request["workdir"])
        torch.set_num_threads(1)
        loop.MODULES = os.path.join(request["workdir"], "modules")
        shutil.copytree(request["modules"], loop.MODULES)  # its own copy, readable after dropping privileges
        confine(request["workdir"], request["limits"], request["hide"])
        loop.run(request_fd, reply_fd)
    finally:
        os._exit(0)


def _children() -> list[int]:
    """Our direct children: the workers, and orphans of workers that were reparented to us."""
    try:  # the kernel's own list (this process has one thread); scanning /proc costs ~10 ms
        with open(f"/proc/self/task/{os.getpid()}/children") as listed:
            return [int(pid) for pid in listed.read().split()]
    except OSError:
        pass
    me, found = str(os.getpid()), []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                found.append(int(entry))
    return found


def _gone(pid: int, seconds: float = 2.0) -> None:
    """Wait until ``pid`` has died and been reaped, so that its children have come back to us."""
    deadline = time.monotonic() + seconds
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.005)


def _kill(pid: int, workers: set[int]) -> None:
    """Kill a worker's session, then every orphan a dead worker left behind (and theirs, in turn)."""
    workers.discard(pid)
    for kill, target in ((os.killpg, pid), (os.kill, pid)):
        try:
            kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    _gone(pid)
    for _ in range(10):
        orphans = set(_children()) - workers
        if not orphans:
            return
        for orphan in orphans:
            try:
                os.kill(orphan, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for orphan in orphans:
            _gone(orphan)


def serve(server: socket.socket) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1)  # escaped grandchildren come back to us
    workers: set[int] = set()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, MAX_MESSAGE, 2)
        except OSError:
            return
        if not message:
            return  # the judge went away
        request = json.loads(message)
        if request["op"] == "kill":
            _kill(request["pid"], workers)
            server.sendall(b"{}\n")
            continue
        pid = os.fork()
        if pid == 0:
            _become_worker(server, fds[0], fds[1], request)
        workers.add(pid)
        for fd in fds:
            os.close(fd)
        server.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _warm_up() -> None:
    """Load what the first meta-device operation would load in every worker (1-6 s otherwise)."""
    (torch.empty(2, device="meta") * 2).sum()


def main() -> None:
    _warm_up()
    server = socket.socket(fileno=int(sys.argv[1]))
    serve(server)


if __name__ == "__main__":
    main()
