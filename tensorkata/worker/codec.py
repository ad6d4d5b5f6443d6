"""Plain-data encoding for everything that crosses the judge/worker boundary.

Values become JSON: numbers, strings, lists, and tagged dicts for tuples, namedtuples, dicts,
NumPy arrays, NumPy scalars, torch tensors, dtypes, devices and named test functions. Arrays
travel as raw bytes of a whitelisted numeric dtype, so decoding never runs code and never builds object
arrays. Anything else is described (type name and a capped ``repr``), not transported: the judge
sees an :class:`Opaque` and can say "returned a Foo" without ever holding a Foo.
"""

import base64
import collections
import functools
import json
import math

import numpy as np

from tensorkata.worker.functions import F

NUMPY_DTYPES = frozenset(
    "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 complex64 complex128".split()
)
TORCH_DTYPES = frozenset(
    "bool int8 int16 int32 int64 uint8 float16 bfloat16 float32 float64 complex64 complex128".split()
)
REPR_LIMIT = 200


class Opaque:
    """Stands in for a value the worker could not transport: only its type name and repr."""

    def __init__(self, type_name: str, text: str):
        self.type_name = type_name
        self.text = text

    def __repr__(self):
        return f"<{self.type_name}: {self.text}>"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _torch():
    import torch

    return torch


def _describe(value) -> dict:
    try:
        text = repr(value)
    except BaseException:  # a student's __repr__ may raise anything; describing must not
        text = "<repr failed>"
    if not isinstance(text, str):
        text = "<repr is not a string>"
    return {"$opaque": type(value).__qualname__, "repr": text[:REPR_LIMIT]}


def _encode_tensor(t) -> dict:
    torch = _torch()
    name = str(t.dtype).removeprefix("torch.")
    if name not in TORCH_DTYPES:
        return _describe(t)
    out = {"$torch": name, "shape": list(t.shape), "device": str(t.device), "requires_grad": bool(t.requires_grad)}
    if t.device.type == "meta":
        out["data"] = None
        return out
    flat = t.detach().to("cpu").contiguous()
    if flat.dtype == torch.bfloat16:
        flat = flat.view(torch.int16)
    out["data"] = _b64(flat.numpy().tobytes())
    return out


def encode(value):
    """Turn ``value`` into JSON-compatible plain data (see the module docstring)."""
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    if kind is list:
        return [encode(v) for v in value]
    if kind is tuple:
        return {"$tuple": [encode(v) for v in value]}
    if kind is dict:
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if kind is np.ndarray and value.dtype.name in NUMPY_DTYPES:
        data = np.ascontiguousarray(value)
        return {"$nd": value.dtype.name, "shape": list(value.shape), "data": _b64(data.tobytes())}
    if isinstance(value, np.generic) and kind.__module__ == "numpy" and value.dtype.name in NUMPY_DTYPES:
        return {"$np": value.dtype.name, "data": _b64(np.asarray(value).tobytes())}
    if kind is F:
        shape = None if value.expect_shape is None else list(value.expect_shape)
        return {"$fn": value.name, "expect_shape": shape, "max_rows": value.max_rows}
    if isinstance(value, tuple) and hasattr(kind, "_fields") and kind.__module__ != "builtins":
        return {"$namedtuple": kind.__name__, "fields": list(kind._fields), "values": [encode(v) for v in value]}
    if kind.__module__ == "torch":
        torch = _torch()
        if kind is torch.Tensor:
            return _encode_tensor(value)
        if kind is torch.dtype:
            return {"$dtype": str(value).removeprefix("torch.")}
        if kind is torch.device:
            return {"$device": str(value)}
    return _describe(value)


@functools.cache
def _namedtuple_type(name: str, fields: tuple):
    """A namedtuple class with that name and those fields, made here: no foreign class is imported."""
    return collections.namedtuple(name, fields)


def _decode_tensor(obj):
    torch = _torch()
    name, shape = obj["$torch"], tuple(obj["shape"])
    if name not in TORCH_DTYPES:
        raise ValueError(f"dtype {name!r} is not transportable")
    dtype = getattr(torch, name)
    if obj["data"] is None:
        t = torch.empty(shape, dtype=dtype, device="meta")
    else:
        raw = bytearray(base64.b64decode(obj["data"]))
        wire = torch.int16 if dtype == torch.bfloat16 else dtype
        t = torch.frombuffer(raw, dtype=wire) if raw else torch.empty(0, dtype=wire)
        t = t.view(dtype).reshape(shape).clone()
        if obj["device"] != "cpu":
            t = t.to(obj["device"])
    return t.requires_grad_(True) if obj.get("requires_grad") and t.is_floating_point() else t


def _decode_tagged(obj: dict):
    if "$tuple" in obj:
        return tuple(decode(v) for v in obj["$tuple"])
    if "$dict" in obj:
        return {decode(k): decode(v) for k, v in obj["$dict"]}
    if "$float" in obj:
        return float(obj["$float"])
    if "$nd" in obj or "$np" in obj:
        name = obj.get("$nd") or obj.get("$np")
        if name not in NUMPY_DTYPES:
            raise ValueError(f"dtype {name!r} is not transportable")
        array = np.frombuffer(base64.b64decode(obj["data"]), dtype=np.dtype(name))
        if "$np" in obj:
            return array[0]
        return array.reshape(obj["shape"]).copy()
    if "$torch" in obj:
        return _decode_tensor(obj)
    if "$dtype" in obj:
        return getattr(_torch(), obj["$dtype"])
    if "$device" in obj:
        return _torch().device(obj["$device"])
    if "$fn" in obj:
        return F(obj["$fn"], obj.get("expect_shape"), obj.get("max_rows"))
    if "$namedtuple" in obj:
        kind = _namedtuple_type(str(obj["$namedtuple"]), tuple(str(f) for f in obj["fields"]))
        return kind(*(decode(v) for v in obj["values"]))
    if "$opaque" in obj:
        return Opaque(str(obj["$opaque"]), str(obj["repr"]))
    raise ValueError(f"unknown tag in {sorted(obj)!r}")


def decode(data):
    """Inverse of :func:`encode`; builds only plain values, arrays, tensors and :class:`Opaque`."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, dict):
        return _decode_tagged(data)
    return data


def dumps(message) -> bytes:
    return json.dumps(message, allow_nan=False).encode("utf-8")


def loads(raw: bytes):
    return json.loads(raw.decode("utf-8"))
