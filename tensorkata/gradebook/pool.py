"""Grading processes: N at a time, each grading one submission after another.

Grading runs the hidden pytest suites in-process, which is not thread-safe, so parallel grading
uses separate processes. They come from multiprocessing's ``forkserver`` (``spawn`` where there
is none): a clean server process that imported the engine once and forks a ready grading process
in milliseconds, so replacing one that died is cheap; nothing of this process's state (open
database, threads) is inherited. Jobs and replies cross as JSON. Each process grades one submission at a time, so when one dies (or
overruns its deadline and is killed) the parent knows exactly which submission it was grading:
that submission alone gets a failure, a fresh process takes the slot, and the batch goes on.
"""

import ctypes
import importlib
import json
import multiprocessing
import os
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Iterator

PR_SET_PDEATHSIG = 1


class PoolError(Exception):
    """No grading process could be started."""


@dataclass(frozen=True)
class Failure:
    """A submission whose grading process died or overran its deadline."""

    kind: str  # "crashed" | "timed-out"
    message: str

    @classmethod
    def timed_out(cls, seconds: float) -> "Failure":
        return cls("timed-out", f"grading took longer than {seconds:g} s and was stopped")

    @classmethod
    def died(cls, exit_code) -> "Failure":
        return cls("crashed", f"the grading process died (exit code {exit_code})")


def _resolve(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _die_with_parent() -> None:
    """Be killed when our parent process dies, however it dies (Linux); a no-op elsewhere.

    The parent is the fork server, which exits as soon as the batch process is gone.
    """
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _serve(conn, target: str, warm_up: str | None) -> None:
    """A grading process: say ready, then answer one JSON job at a time until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    if warm_up:
        _resolve(warm_up)()
    function = _resolve(target)
    conn.send_bytes(b'{"ready": true}')
    while True:
        try:
            job = json.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply = json.dumps({"reply": function(job)})
        except BaseException as error:  # noqa: BLE001 (whatever happens, the parent hears of it)
            reply = json.dumps({"error": f"{type(error).__name__}: {error}"})
        conn.send_bytes(reply.encode())


class _Slot:
    def __init__(self, context, target: str, warm_up: str | None):
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, target, warm_up), daemon=True)
        self.process.start()
        theirs.close()
        self.ready = False
        self.key = None
        self.deadline = float("inf")

    def send(self, key, payload: dict, deadline: float) -> None:
        self.key, self.deadline = key, deadline
        try:
            self.conn.send_bytes(json.dumps(payload).encode())
        except OSError:
            pass  # the process just died: its sentinel reports it, and the job as failed

    def take(self):
        key, self.key, self.deadline = self.key, None, float("inf")
        return key

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send_bytes(b"null")
        except OSError:
            pass
        self.process.join(5)
        self.kill()


class Pool:
    """``workers`` grading processes running ``target`` ("module:function") on JSON jobs."""

    def __init__(self, workers: int, target: str, seconds: float, warm_up: str | None = None,
                 preload: tuple[str, ...] = ()):
        self.workers, self.target, self.seconds, self.warm_up = workers, target, seconds, warm_up
        if "forkserver" in multiprocessing.get_all_start_methods():
            self.context = multiprocessing.get_context("forkserver")
            self.context.set_forkserver_preload(list(preload))  # takes effect when the server starts
        else:
            self.context = multiprocessing.get_context("spawn")

    def _slot(self) -> _Slot:
        return _Slot(self.context, self.target, self.warm_up)

    def run(self, jobs: list[tuple[object, dict]], on_start: Callable[[object], None]) -> Iterator[tuple[object, dict | Failure]]:
        """Grade ``(key, job)`` pairs; yield ``(key, reply)`` as each finishes, ``reply`` a dict or a :class:`Failure`.

        ``on_start(key)`` is called just before a job is handed to a process.
        """
        pending = deque(jobs)
        slots = [self._slot() for _ in range(min(self.workers, len(pending)))]
        clean = False
        try:
            while pending or any(slot.key is not None for slot in slots):
                for slot in slots:
                    if slot.ready and slot.key is None and pending:
                        key, job = pending.popleft()
                        on_start(key)
                        slot.send(key, job, time.monotonic() + self.seconds)
                timeout = min(slot.deadline for slot in slots) - time.monotonic()
                ready = set(wait([s.conn for s in slots] + [s.process.sentinel for s in slots],
                                 None if timeout == float("inf") else max(timeout, 0)))
                for index, slot in enumerate(slots):
                    event = self._check(slot, ready)
                    if event is None:
                        continue
                    key = slot.take()
                    if isinstance(event, Failure):  # the process is gone or stuck: a fresh one takes its place
                        slot.kill()
                        slots[index] = self._slot()
                        if key is None:
                            continue
                    yield key, event
            clean = True
        finally:
            for slot in slots:
                slot.stop() if clean else slot.kill()

    def _check(self, slot: _Slot, ready: set):
        """What happened on ``slot``: None, a reply dict, or a :class:`Failure` (the process is gone)."""
        if slot.conn in ready:
            try:
                message = json.loads(slot.conn.recv_bytes())
            except (EOFError, OSError, ValueError):
                return self._died(slot)
            if message.get("ready"):
                slot.ready = True
                return None
            if "error" in message:
                return {"failed": message["error"]}
            return message["reply"]
        if slot.process.sentinel in ready:
            return self._died(slot)
        if slot.key is not None and time.monotonic() > slot.deadline:
            return Failure.timed_out(self.seconds)
        return None

    def _died(self, slot: _Slot) -> Failure:
        slot.process.join(1)
        if not slot.ready:
            raise PoolError(f"a grading process could not start (exit code {slot.process.exitcode})")
        return Failure.died(slot.process.exitcode)
