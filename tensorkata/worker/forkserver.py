"""The fork server: one process that has imported numpy and torch and forks ready workers.

Importing torch costs over a second; forking a process that already did costs milliseconds. The
judge starts this server once (``python -m tensorkata.worker.forkserver SOCKET_FD``) and asks it
over a Unix socket for each worker, passing the worker's two pipe ends and working directory.
The server runs no torch operation itself, so no thread pool exists to be broken by ``fork``.
"""

import json
import os
import signal
import socket
import sys

import numpy  # noqa: F401  (the point of this process: modules already imported when forking)
import torch  # noqa: F401
import torch._dynamo  # noqa: F401  (imported on first use of a dispatch mode: 2 s, 8 s under tracemalloc)
import torch.utils._python_dispatch  # noqa: F401

from tensorkata.worker import loop

MAX_MESSAGE = 4096


def _become_worker(server: socket.socket, request_fd: int, reply_fd: int, workdir: str) -> None:
    """In the forked child: a session of its own, its own directory, then serve requests."""
    server.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    os.chdir(workdir)
    torch.set_num_threads(1)
    try:
        loop.run(request_fd, reply_fd)
    finally:
        os._exit(0)


def serve(server: socket.socket) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, MAX_MESSAGE, 2)
        except OSError:
            return
        if not message:
            return  # the judge went away
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            _become_worker(server, fds[0], fds[1], request["workdir"])
        for fd in fds:
            os.close(fd)
        server.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def main() -> None:
    server = socket.socket(fileno=int(sys.argv[1]))
    serve(server)


if __name__ == "__main__":
    main()
