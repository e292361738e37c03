"""The sync folder on disk: its files, reading them in parts, appending to this machine's.

Pure Python, bytes only (what the lines mean is history/exchange.py).  Each
machine appends to its own ``psoas-<machine>.jsonl`` and to nothing else;
the tools that sync the folder (Syncthing, Dropbox, iCloud Drive, git) copy
the files between machines, and make a copy beside a file when two
versions of it meet (``*.sync-conflict-*``, ``* (conflicted copy)*``,
``*~``).  Those copies are read too.

An append holds an exclusive lock on the file (flock, where there is one),
first cuts off a last line left half written by a psoas that was stopped
in the middle (nothing in it was marked as written), writes the new lines
in one write, and flushes them to the disk before it returns.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locking
    LOCKING = False
else:
    LOCKING = True

from psoas_cli.errors import PsoasError

PREFIX, SUFFIX = "psoas-", ".jsonl"
_OWN = re.compile(r"psoas-([0-9A-Za-z_-]{1,64})\.jsonl")
_COPY = re.compile(r"psoas-([0-9A-Za-z_-]{1,64})\b.*")
_COPY_MARKS = ("conflict",)  # Syncthing's .sync-conflict-, Dropbox's (conflicted copy)
HISTORY = "history.db"  # the database that must never be in a synced folder
LOCK_SECONDS = 5.0  # the longest an append waits for another's


class Entry(NamedTuple):
    """A file of the sync folder that psoas reads."""

    name: str
    path: str
    machine: str  # whose file it is, or is a copy of
    copy: bool  # a conflict copy (or another copy a tool made)
    size: int
    mtime_ns: int


def classify(name: str) -> tuple[str, bool] | None:
    """(machine, is a copy) for a file name psoas reads; None for any other."""
    own = _OWN.fullmatch(name)
    if own:
        return own.group(1), False
    copy = _COPY.fullmatch(name)
    if copy and (SUFFIX in name or name.endswith("~")) and (
            name.endswith("~") or any(mark in name for mark in _COPY_MARKS)
            or re.search(r" \d+\.jsonl$", name)):  # iCloud Drive's "psoas-x 2.jsonl"
        return copy.group(1), True
    return None


def entries(folder: str) -> list[Entry]:
    """The files of ``folder`` psoas reads: each machine's, then the copies, by name."""
    found = []
    with os.scandir(folder) as listing:
        for item in listing:
            if not item.name.startswith(PREFIX):
                continue
            known = classify(item.name)
            if known is None:
                continue
            try:
                info = item.stat()  # through a link, as a tool may link a file in
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found.append(Entry(item.name, item.path, known[0], known[1], info.st_size,
                                   info.st_mtime_ns))
    return sorted(found, key=lambda e: (e.copy, e.name))


def check_folder(folder: str, home: str) -> str:
    """``folder`` as an absolute path, if the history may sync through it; else
    PsoasError saying why not (it holds the psoas folder, or a history file)."""
    absolute = os.path.abspath(os.path.expanduser(folder))
    real, psoas = os.path.realpath(absolute), os.path.realpath(home)
    if os.path.exists(absolute) and not os.path.isdir(absolute):
        raise PsoasError(f"{absolute} is not a folder")
    if psoas == real or psoas.startswith(real.rstrip(os.sep) + os.sep):
        raise PsoasError(f"{absolute} holds the psoas folder {home}: its {HISTORY} would be "
                         "synced, and a database copied while it is written is damaged; "
                         "choose a folder outside it")
    if os.path.lexists(os.path.join(absolute, HISTORY)):
        raise PsoasError(f"{absolute} holds a {HISTORY}: a database must never be in a synced "
                         "folder (two machines writing it damage it); move it out, or choose "
                         "another folder")
    return absolute


def head(path: str, size: int) -> bytes:
    """The first ``size`` bytes of the file (fewer if it is shorter)."""
    return before(path, size, size)


def before(path: str, offset: int, size: int) -> bytes:
    """The ``size`` bytes before ``offset`` (fewer at the start of the file)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        start = max(0, offset - size)
        return _read_at(fd, start, offset - start)
    finally:
        os.close(fd)


def _read_at(fd: int, start: int, size: int) -> bytes:
    """Up to ``size`` bytes from ``start`` (os.pread, where there is one: not Windows)."""
    os.lseek(fd, start, os.SEEK_SET)
    chunks = []
    while size > 0:
        chunk = os.read(fd, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


class Appender:
    """Appends lines to this machine's file, locked (see ``appending``)."""

    def __init__(self, fd: int, path: str, found: int) -> None:
        self.fd = fd
        self.path = path
        self.found = found  # its size when opened: 0 if it was not there, or empty

    def __call__(self, data: bytes) -> None:
        if not data:
            return
        try:
            _write(self.fd, data)
            os.fsync(self.fd)
        except OSError as exc:
            raise PsoasError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def stat(self) -> os.stat_result:
        return os.fstat(self.fd)


@contextmanager
def appending(path: str, header: bytes) -> Iterator[Appender]:
    """Lock the file at ``path`` (making it, with ``header`` as its first line) and
    give a function that appends lines to it, flushed to the disk."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND
                     | getattr(os, "O_NONBLOCK", 0), 0o644)
    except OSError as exc:
        raise PsoasError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PsoasError(f"cannot write {path}: it is not a regular file")
        _lock(fd)
        found = os.fstat(fd).st_size
        _whole_lines(fd, header)
        yield Appender(fd, path, found)
    except OSError as exc:
        raise PsoasError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _whole_lines(fd: int, header: bytes) -> None:
    """Cut off a last line written in part (a psoas stopped while appending: none
    of its rows was marked as written); a file with no whole line gets the header."""
    size = os.fstat(fd).st_size
    if size and _read_at(fd, size - 1, 1) == b"\n":
        return
    keep = 0
    at = size
    while at > 0:
        start = max(0, at - 65536)
        block = _read_at(fd, start, at - start)
        newline = block.rfind(b"\n")
        if newline >= 0:
            keep = start + newline + 1
            break
        at = start
    if keep != size:
        os.ftruncate(fd, keep)
    if keep == 0:
        _write(fd, header)
        os.fsync(fd)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _lock(fd: int, wait: float = LOCK_SECONDS) -> None:
    """The file's lock, waiting at most ``wait`` seconds for another psoas's append."""
    if not LOCKING:
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise PsoasError("another psoas is writing to the sync folder; try again "
                                 "in a moment") from None
            time.sleep(0.01)
        except OSError:
            return  # a file system without locks: one writer a machine is the rule anyway
