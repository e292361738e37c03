"""Sessions not yet in the history, kept in a small file beside it until they are.

Pure Python.  When the history stays locked (or cannot be written) past the
end of a routine, the recorder appends the session here, one JSON object a
line; the next psoas that can write the history replays the file and
removes what it wrote.  Entries name their session by a token, so writing
one twice is harmless.

Both steps hold an exclusive lock on the file (flock, where there is one),
and an appender makes sure the file it locked is still the one in place, so
a line is never appended to a file that replaying is about to remove.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locking
    LOCKING = False
else:
    LOCKING = True

JOURNAL = "history-pending.jsonl"
MAX_BYTES = 1024 * 1024  # a few thousand sessions; more is not ours

T = TypeVar("T")  # what work on the locked journal returns


def path_in(folder: str) -> str:
    return os.path.join(folder, JOURNAL)


def pending(folder: str) -> bool:
    return os.path.exists(path_in(folder))


def append(folder: str, records: list[dict[str, Any]]) -> str:
    """Add ``records`` to the journal in ``folder`` and return its path (OSError if not)."""
    path = path_in(folder)
    import json  # noqa: PLC0415 - only with something to keep: 1.8 ms on every history read

    data = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode()
    os.makedirs(folder, exist_ok=True)
    for _ in range(10):  # each retry means a replay replaced the file meanwhile
        fd = _open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            _lock(fd)
            if _same_file(fd, path):
                os.write(fd, data)
                os.fsync(fd)
                return path
        finally:
            os.close(fd)
    raise OSError(f"{path} keeps changing")


def replay(folder: str, write: Callable[[dict[str, Any]], None]) -> int:
    """Give each record in the journal to ``write`` and remove those written.

    Stops at the first record ``write`` cannot write (it raises), keeping that
    one and the rest; a line that is not a record is dropped.  The lock is
    not held while writing, which may wait on the history's own lock.
    Returns how many lines were dealt with.
    """
    lines = _locked(folder, lambda path, fd, current: current) or []
    done: list[str] = []
    try:
        for text in lines:
            record = _record(text)
            if record is not None:
                write(record)
            done.append(text)
    finally:
        if done:
            _locked(folder, lambda path, fd, current: _keep(path, _without(current, done)))
    return len(done)


def _locked(folder: str, work: Callable[[str, int, list[str]], T]) -> T | None:
    """``work(path, fd, lines)`` with the journal locked; None when there is none."""
    path = path_in(folder)
    try:
        fd = _open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        _lock(fd)
        if not _same_file(fd, path):  # replaced meanwhile: its lines are in the new one
            return _locked(folder, work)
        data = os.read(fd, MAX_BYTES + 1)[:MAX_BYTES]
        return work(path, fd, data.decode("utf-8", "replace").splitlines())
    finally:
        os.close(fd)


def _without(lines: list[str], done: list[str]) -> list[str]:
    """``lines`` less one copy of each of ``done`` (another replay may have gone first)."""
    left = list(lines)
    for text in done:
        if text in left:
            left.remove(text)
    return left


def _record(text: str) -> dict[str, Any] | None:
    import json  # noqa: PLC0415 - only with a journal to replay: 1.8 ms on every history read

    try:
        record = json.loads(text)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _keep(path: str, lines: list[str]) -> None:
    """Leave only ``lines`` in the journal (none: remove it); called under the lock."""
    if not lines:
        os.unlink(path)
        return
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))
    os.replace(temporary, path)


def _open(path: str, flags: int) -> int:
    """Open without blocking (a FIFO must not hang psoas); only a regular file."""
    fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0), 0o600)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"{path} is not a regular file")
    return fd


def _lock(fd: int) -> None:
    if LOCKING:
        fcntl.flock(fd, fcntl.LOCK_EX)


def _same_file(fd: int, path: str) -> bool:
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)
