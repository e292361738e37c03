"""Reading a user's file without hanging or filling the memory.

Pure Python.  Only a regular file is read: a FIFO would block the open for
ever, and a device such as /dev/zero never ends.  The file is opened without
blocking (so one swapped in after the check cannot hang it either) and read
to one byte past the limit, so a file that is too big, or grows, is caught
without reading it all.  ``problem`` words any failure for a one-line error.
"""

from __future__ import annotations

import errno
import os
import stat

from psoas_cli import limits


class NotRegular(OSError):
    """Something other than a regular file; ``args[0]`` says what."""


class TooBig(OSError):
    """A file over the limit."""


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def read_bytes(path: str, limit: int = limits.FILE_BYTES) -> bytes:
    """Up to ``limit`` bytes of the regular file at ``path``; OSError otherwise."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", path)
        raise NotRegular(next((name for test, name in _KINDS if test(info.st_mode)),
                              "a special file"))
    if info.st_size > limit:
        raise TooBig(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped since the check
            raise NotRegular("a special file")
        # What the file holds, and no more (a read of ``limit`` bytes would take
        # that much memory at once); then anything it has grown by since.
        parts = [handle.read(min(limit, os.fstat(fd).st_size) + 1)]
        total = len(parts[0])
        while total <= limit and (piece := handle.read(min(1 << 20, limit + 1 - total))):
            parts.append(piece)
            total += len(piece)
        data = b"".join(parts)
    if len(data) > limit:
        raise TooBig(path)
    return data


def read_from(path: str, offset: int, limit: int) -> tuple[bytes, os.stat_result]:
    """Up to ``limit`` bytes of the regular file at ``path`` from ``offset``, and
    the file's status as it was opened (its size then); OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, "is a directory", path)
            raise NotRegular(next((name for test, name in _KINDS if test(info.st_mode)),
                                  "a special file"))
        os.lseek(fd, offset, os.SEEK_SET)
        chunks = []
        left = limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)


def problem(exc: OSError, path: str, limit: int = limits.FILE_BYTES,
            directory: str = "is a directory") -> str:
    """What went wrong reading ``path``, for 'FILE: ...' in one line."""
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            return "is a link to nothing (dangling symbolic link)"
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return directory
    if isinstance(exc, NotRegular):
        return f"is {exc.args[0]}, not a regular file"
    if isinstance(exc, TooBig):
        return f"is larger than {limit // (1024 * 1024)} MB, more than psoas reads"
    if exc.errno == errno.ELOOP:
        return "is a loop of symbolic links"
    return f"cannot read: {exc.strerror or exc}"
