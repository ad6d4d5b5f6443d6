"""The judge's view of one submitted module: a proxy whose calls run in a worker.

``student.softmax(z)`` sends ``z`` to the worker, calls the submission's ``softmax`` there and
returns the decoded result, or raises a :class:`StageFailure` that says what happened (not
implemented, raised, timed out, crashed). The worker is started lazily and replaced after a
time-out or crash; a function that timed out once fails at once afterwards, so a hanging
exercise costs one time limit, not one per hypothesis example.
"""

import os
from dataclasses import dataclass

from tensorkata.sandbox import Limits, Worker, WorkerDied, WorkerTimeout
from tensorkata.stages import StageFailure
from tensorkata.i18n import Msg
from tensorkata.worker import codec


@dataclass
class Call:
    """The last call made through a proxy, kept so that a failure can show its input."""

    function: str
    args: tuple
    kwargs: dict


class LoadFailure(Exception):
    """The module could not be imported in the worker; ``details`` says why."""

    def __init__(self, reason: str, details: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.details = details


class StudentModule:
    """Calls into the submitted module ``name`` found in the folder ``path``."""

    last_call: Call | None = None

    def __init__(self, name: str, path: str, limits: Limits = Limits()):
        self.name = name
        self.path = os.path.abspath(path)  # the worker runs in a directory of its own
        self.limits = limits
        self._worker: Worker | None = None
        self._settled: dict[str, StageFailure] = {}  # not implemented, missing or timed out: no retry

    def load(self) -> None:
        """Start a worker and import the module; raise :class:`LoadFailure` if that fails."""
        self.close()
        self._worker = Worker(self.path, self.limits)
        try:
            reply = self._worker.request({"op": "load", "module": self.name}, self.limits.load_seconds)
        except WorkerTimeout:
            raise LoadFailure("timed-out") from None
        except WorkerDied as error:
            raise LoadFailure("crashed", str(error)) from None
        if "error" in reply:
            error = reply["error"]
            raise LoadFailure("raised", f"{error['type']}: {error['message']}\n{error['traceback']}")

    def call(self, function: str, *args, echo_args: bool = False, **kwargs):
        """Call ``function`` in the worker; with ``echo_args`` also return the arguments after the call."""
        reply = self._call(function, args, kwargs, echo_args=echo_args)
        value = codec.decode(reply["value"])
        return (value, codec.decode(reply["args_after"])) if echo_args else value

    def measure(self, function: str, *args, **kwargs):
        """Call ``function`` under instrumentation: ``(value, {"ops", "largest", "peak_bytes", "warnings"})``."""
        reply = self._call(function, args, kwargs, measure=True)
        return codec.decode(reply["value"]), reply["measured"]

    def scenario(self, name: str, *args):
        """Run the worker-side scenario ``name`` of this topic on the submitted module."""
        StudentModule.last_call = Call(f"scenario {name}", args, {})
        request = {"op": "scenario", "module": self.name, "name": name, "args": codec.encode(list(args))}
        return codec.decode(self._send(name, request)["value"])

    def _call(self, function: str, args: tuple, kwargs: dict, **options) -> dict:
        StudentModule.last_call = Call(function, args, kwargs)
        request = {
            "op": "call", "module": self.name, "function": function,
            "args": codec.encode(list(args)), "kwargs": codec.encode(kwargs), **options,
        }
        return self._send(function, request)

    def _send(self, function: str, request: dict) -> dict:
        """One request about ``function``; every way it can go wrong becomes a stage failure."""
        if function in self._settled:
            raise self._settled[function]
        if self._worker is None or not self._worker.alive:
            try:
                self.load()
            except LoadFailure as failure:
                raise StageFailure("crashed", Msg.of("stage.crashed", function=function, reason=failure.reason)) from None
        reply = self._request(function, request)
        if reply.get("missing"):
            self._settled[function] = StageFailure("missing", Msg.of("stage.missing", function=function))
            raise self._settled[function]
        if "error" in reply:
            failure = _raised(function, reply["error"])
            if failure.stage == "not-implemented":
                self._settled[function] = failure
            raise failure
        return reply

    def settled(self, function: str) -> StageFailure | None:
        """The failure every call of ``function`` will give (not implemented, missing, timed out), if known."""
        return self._settled.get(function)

    def restart(self) -> None:
        """A fresh worker for the next call: what one exercise's code did cannot touch the next."""
        self.close()

    def _request(self, function: str, request: dict) -> dict:
        try:
            return self._worker.request(request, self.limits.call_seconds)
        except WorkerTimeout:
            failure = StageFailure(
                "timed-out", Msg.of("stage.timed-out", function=function, seconds=f"{self.limits.call_seconds:g}"),
                diagnosis="timed-out",
            )
            self._settled[function] = failure
            raise failure from None
        except WorkerDied as error:
            raise StageFailure("crashed", Msg.of("stage.crashed", function=function, reason=str(error))) from None

    def __getattr__(self, function: str):
        if function.startswith("_"):
            raise AttributeError(function)
        return lambda *args, **kwargs: self.call(function, *args, **kwargs)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None


def _raised(function: str, error: dict) -> StageFailure:
    """Turn the worker's description of an exception into the right stage."""
    if "NotImplementedError" in error["mro"]:
        return StageFailure("not-implemented", Msg.of("stage.not-implemented", function=function))
    message = Msg.of("stage.raised", function=function, type=error["type"], message=error["message"][:300])
    failure = StageFailure("raised", message, raised=error)
    return failure.with_detail("label.traceback", _last_lines(error["traceback"], 6))


def _last_lines(text: str, count: int) -> str:
    return "\n".join(text.rstrip().splitlines()[-count:])
