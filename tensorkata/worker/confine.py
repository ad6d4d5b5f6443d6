"""Confining a freshly forked worker before it runs any submitted code.

Each step is best effort where the operating system may refuse it (no root, no namespaces), and
each one closes one way out:

- resource limits: CPU seconds, address space, size of any file written (the submission's
  printed output included), open files, processes of the (unprivileged) user;
- the project's hidden parts (hidden suites, oracle, solutions, tests) are covered by empty
  mounts in a private mount namespace, and not importable by name either;
- when started as root, the worker drops to an unprivileged user, so it cannot write outside
  its own directory (or forge a results file such as Gradescope's ``/autograder/results``).
"""

import ctypes
import importlib.abc
import os
import resource
import signal
import sys

CLONE_NEWNS = 0x00020000
MS_REC, MS_PRIVATE = 0x4000, 0x40000
UNPRIVILEGED = 65534  # "nobody"
HIDDEN_PACKAGES = ("graders", "reference", "solutions", "tests")


class _HiddenPackages(importlib.abc.MetaPathFinder):
    """Refuses to import the judge's packages, whatever ``sys.path`` says."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN_PACKAGES:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def _limit(kind: int, value: int) -> None:
    try:
        resource.setrlimit(kind, (value, value))
    except (ValueError, OSError):
        pass


def set_limits(limits: dict) -> None:
    _limit(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    _limit(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    _limit(resource.RLIMIT_FSIZE, int(limits["output_bytes"]))
    _limit(resource.RLIMIT_NOFILE, 256)
    if os.getuid() != 0:  # counted per user, and not enforced for root
        _limit(resource.RLIMIT_NPROC, int(limits["processes"]))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing


def hide_paths(paths: list[str]) -> bool:
    """Cover ``paths`` with empty read-only mounts visible to this process only."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        return False
    if libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return False
    hidden = True
    for path in paths:
        if os.path.isdir(path):
            hidden &= libc.mount(b"tmpfs", path.encode(), b"tmpfs", 1, b"size=4k,mode=555") == 0  # 1 = MS_RDONLY
    return hidden


def block_imports() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in HIDDEN_PACKAGES:
            del sys.modules[name]
    sys.meta_path.insert(0, _HiddenPackages())


def drop_privileges(workdir: str) -> None:
    if os.getuid() != 0:
        return
    for folder, _, files in os.walk(workdir):
        for path in [folder, *(os.path.join(folder, name) for name in files)]:
            os.chown(path, UNPRIVILEGED, UNPRIVILEGED)
    os.setgroups([])
    os.setgid(UNPRIVILEGED)
    os.setuid(UNPRIVILEGED)


def confine(workdir: str, limits: dict, hide: list[str]) -> None:
    os.environ["HOME"] = workdir
    os.environ["TMPDIR"] = workdir
    if os.getuid() == 0:
        hide_paths(hide)
    block_imports()
    drop_privileges(workdir)
    set_limits(limits)
