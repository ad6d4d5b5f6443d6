"""Length-prefixed JSON frames on a pair of pipes, the only channel between judge and worker."""

import os
import struct

HEADER = struct.Struct(">Q")
MAX_FRAME = 256 * 1024 * 1024


class ChannelClosed(EOFError):
    """The other side went away (or sent a frame that cannot be read)."""


def write_frame(fd: int, payload: bytes) -> None:
    data = HEADER.pack(len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd: int, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise ChannelClosed("pipe closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> bytes:
    (size,) = HEADER.unpack(read_exactly(fd, HEADER.size))
    if size > MAX_FRAME:
        raise ChannelClosed(f"frame of {size} bytes exceeds the limit")
    return read_exactly(fd, size)
