"""Opening the files people name, for reading: one policy for every reader."""

from __future__ import annotations

import errno
import os
from typing import BinaryIO

__all__ = ["open_input", "read_input"]


def open_input(path: str | os.PathLike[str]) -> BinaryIO:
    """``path`` opened for reading bytes, without waiting for a FIFO's writer.

    Every reader of a file named by a person opens it here. A FIFO (named pipe)
    that nobody writes to would block ``open`` for ever; opened non-blocking and
    then switched back, it reads as empty instead, while a pipe that has a writer
    (``<(...)`` in a shell) reads as usual. Raises :class:`OSError` as ``open`` does
    (a directory fails at the first read, with ``EISDIR``), also for a name
    holding a NUL character.
    """
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # POSIX only; elsewhere a plain open
    try:
        descriptor = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_BINARY", 0))
    except ValueError:  # a NUL in the name: no file can have it
        raise OSError(errno.EINVAL, "the name holds a NUL character", os.fspath(path)) from None
    try:
        if nonblocking:
            os.set_blocking(descriptor, True)
        return open(descriptor, "rb")  # the caller closes it
    except BaseException:
        os.close(descriptor)
        raise


def read_input(path: str | os.PathLike[str], budget: int) -> bytes | None:
    """The bytes of the file at ``path``, or None when it holds more than ``budget``.

    At most ``budget + 1`` bytes are read, so a larger file (or ``/dev/zero``) is
    refused without being read whole. Raises :class:`OSError` as :func:`open_input`
    does, and as reading does.
    """
    with open_input(path) as stream:
        data = stream.read(budget + 1)
    return data if len(data) <= budget else None
