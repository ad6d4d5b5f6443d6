"""The worker process: imports submission modules and calls their functions on request.

Forked by the fork server (:mod:`tensorkata.worker.forkserver`) with numpy and torch already
imported, then :func:`run` on two pipe ends from the judge. The submission's own
stdout and stderr go to a file, so nothing it prints can corrupt the channel. Every reply is
plain data (see :mod:`tensorkata.worker.codec`); an exception raised by submission code is
reported by name, message and traceback text, never as an object.
"""

import importlib
import os
import sys
import traceback

import numpy as np  # noqa: F401  (preloaded so that a call does not pay for the import)
import torch  # noqa: F401

from tensorkata.worker import codec, protocol
from tensorkata.worker.run import call_function, measured_call, run_scenario

TRACEBACK_LIMIT = 4000


HARNESS = os.path.dirname(os.path.abspath(__file__))
MODULES = "."  # the worker's own copy of the submitted modules, set when the worker starts


def _student_traceback(error: BaseException) -> str:
    """The traceback without the worker's own frames: a student reads only about their code."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(HARNESS)]
    lines = [line.replace(MODULES + os.sep, "") for line in traceback.format_list(frames)]
    lines += traceback.format_exception_only(error)
    return "Traceback (most recent call last):\n" + "".join(lines) if frames else "".join(lines)


def describe_exception(error: BaseException) -> dict:
    text = _student_traceback(error)
    return {
        "type": type(error).__name__,
        "mro": [k.__name__ for k in type(error).__mro__],
        "message": _safe_str(error),
        "traceback": text[-TRACEBACK_LIMIT:],
    }


def _safe_str(error: BaseException) -> str:
    try:
        return str(error)[:1000]
    except BaseException:
        return "<str() of the exception failed>"


def handle(request: dict) -> dict:
    op = request["op"]
    if op == "ping":
        return {"ok": True}
    if op == "load":
        if MODULES not in sys.path:
            sys.path.insert(0, MODULES)
        importlib.import_module(request["module"])
        return {"ok": True}
    if op == "call":
        module = sys.modules[request["module"]]
        function = getattr(module, request["function"], None)
        if function is None:
            return {"missing": True}
        args, kwargs = codec.decode(request["args"]), codec.decode(request["kwargs"])
        if request.get("measure"):
            value, measured = measured_call(function, args, kwargs)
        else:
            value, measured = call_function(function, args, kwargs), None
        reply = {"ok": True, "value": codec.encode(value), "measured": measured}
        if request.get("echo_args"):
            reply["args_after"] = codec.encode([args, kwargs])
        return reply
    if op == "scenario":
        module = sys.modules[request["module"]]
        value = run_scenario(request["module"], request["name"], module, codec.decode(request["args"]))
        return {"ok": True, "value": codec.encode(value)}
    raise ValueError(f"unknown operation {op!r}")


def serve(request_fd: int, reply_fd: int) -> None:
    while True:
        try:
            request = codec.loads(protocol.read_frame(request_fd))
        except protocol.ChannelClosed:
            return
        try:
            reply = handle(request)
        except BaseException as error:  # submission code may raise anything, SystemExit included
            reply = {"error": describe_exception(error)}
        try:
            payload = codec.dumps(reply)
        except (TypeError, ValueError) as error:
            payload = codec.dumps({"error": describe_exception(error)})
        protocol.write_frame(reply_fd, payload)


def run(request_fd: int, reply_fd: int) -> None:
    """Serve requests with the submission's output going to a file in the working directory."""
    output = os.open("submission-output.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(output, 1)
    os.dup2(output, 2)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    serve(request_fd, reply_fd)
