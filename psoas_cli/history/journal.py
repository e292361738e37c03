"""Sessions not yet in the history, kept in a small file beside it until they are.

Pure Python.  When the history stays locked (or cannot be written) past the
end of a routine, the recorder appends the session here, one JSON object a
line; the next psoas that can write the history replays the file and
removes what it wrote.  Entries name their session by a token, so writing
one twice is harmless.

Appending holds an exclusive lock on the file (flock, where there is one),
and an appender makes sure the file it locked is still the one in place, so
a line is never appended to a file that replaying has taken away.

Replaying takes the journal's records, under its lock, into a file of its
own (``.replaying``, locked while it is read, so one psoas replays at a
time), and reads it a record at a time, however long it is: no record is
ever dropped unread.  A record is at most ``RECORD_BYTES`` long; one that is
longer, or is not a session (not JSON, nested too deep, numbers out of any
range, fields of the wrong type), is set aside in ``.rejected`` and the
caller is told in one line.  When the history can't be written, what is left
goes back in front of the journal, in order, for next time.  A replay killed
half-way leaves its file, which the next replay picks up.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from psoas_cli import limits

JOURNAL = "history-pending.jsonl"
REPLAYING = JOURNAL + ".replaying"  # the records one replay is writing
REJECTED = JOURNAL + ".rejected"  # records that could not be read, kept for a person
RECORD_BYTES = limits.JOURNAL_RECORD_BYTES
BATCH = 200  # records handed to the writer at once (one transaction)
COPY = 64 * 1024  # bytes copied at a time

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locking
    LOCKING = False
else:
    LOCKING = True

# What the writer says of each record in a batch: None, written; else why not.
WriteMany = Callable[[list[dict[str, Any]]], list[str | None]]


def path_in(folder: str) -> str:
    return os.path.join(folder, JOURNAL)


def pending(folder: str) -> bool:
    return os.path.exists(path_in(folder)) or os.path.exists(os.path.join(folder, REPLAYING))


def append(folder: str, records: list[dict[str, Any]]) -> str:
    """Add ``records`` to the journal in ``folder`` and return its path (OSError if not)."""
    path = path_in(folder)
    import json  # noqa: PLC0415 - only with something to keep: 1.8 ms on every history read

    data = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode()
    os.makedirs(folder, exist_ok=True)
    for _ in range(10):  # each retry means a replay took the file meanwhile
        fd = _open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
        try:
            _lock(fd)
            if _same_file(fd, path):
                os.write(fd, _line_start(fd) + data)
                os.fsync(fd)
                return path
        finally:
            os.close(fd)
    raise OSError(f"{path} keeps changing")


def replay(folder: str, write: WriteMany,
           reject: Callable[[int, str], None] | None = None) -> int:
    """Give the journal's records to ``write``, a batch at a time, and remove
    those written; returns how many were dealt with (written or set aside).

    ``write`` returns, for each record, None when it is written, else why it
    is no session (the record is then set aside); it raises when the
    history can't be written now, which stops the replay and keeps the
    records not yet written.  ``reject(count, first_reason)`` is told once,
    at the end, of the records set aside.  Another psoas replaying at the
    same time: nothing is done (0).
    """
    own = os.path.join(folder, REPLAYING)
    for _ in range(3):  # a replay that ended just as we opened its file: once more
        try:
            fd = _open(own, os.O_RDWR | os.O_CREAT)
        except FileNotFoundError:  # no folder
            return 0
        try:
            if not _try_lock(fd):
                return 0  # another psoas is replaying
            if not _same_file(fd, own):
                continue
            _remove_stale(folder)
            _take_journal(folder, fd)
            return _replay_file(folder, fd, write, reject)
        finally:
            os.close(fd)
    return 0


def _remove_stale(folder: str) -> None:
    """Remove the temporary files a replay killed outright left (only a replay,
    holding the lock now held, writes them: any there is stale)."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        if entry.startswith(JOURNAL + ".") and entry.endswith(".tmp"):
            try:
                os.remove(os.path.join(folder, entry))
            except OSError:
                pass


def _replay_file(folder: str, fd: int, write: WriteMany,
                 reject: Callable[[int, str], None] | None) -> int:
    """Replay the records in ``fd`` (the ``.replaying`` file, locked)."""
    aside = _Aside(os.path.join(folder, REJECTED))
    handle = os.fdopen(os.dup(fd), "rb")  # shares fd's offset: from the start
    handle.seek(0)
    done = 0
    kept_from: int | None = 0  # where the records not yet written start (None: all done)
    try:
        for records, lines, bad, end in _batches(handle, aside):
            results = write(records) if records else []
            for line, reason in zip(lines, results, strict=True):
                if reason is not None:
                    aside.add(line + b"\n", reason)
            done += len(records) + bad
            kept_from = end
        kept_from = None
    except Exception:  # noqa: BLE001 - the history can't be written now: keep the rest
        pass
    finally:
        handle.close()
        aside.close()
        if kept_from is None:
            os.unlink(os.path.join(folder, REPLAYING))
        else:
            _put_back(folder, fd, kept_from)
        if aside.count and reject is not None:
            reject(aside.count, aside.first)
    return done


class _Aside:
    """The ``.rejected`` file, opened (for appending) at the first record set aside."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0
        self.first = ""  # why the first was set aside
        self._stream: BinaryIO | None = None

    def add(self, data: bytes, reason: str) -> None:
        self.write(data)
        self.count += 1
        self.first = self.first or reason

    def write(self, data: bytes) -> None:
        if self._stream is None:
            self._stream = open(self.path, "ab")
        self._stream.write(data)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()


def _batches(handle: BinaryIO, aside: _Aside,
             ) -> Iterator[tuple[list[dict[str, Any]], list[bytes], int, int]]:
    """(records, their lines, how many lines were set aside, the offset after
    them) for up to BATCH records at a time; bad lines go to ``aside``."""
    records: list[dict[str, Any]] = []
    lines: list[bytes] = []
    bad = 0
    while True:
        line = handle.readline(RECORD_BYTES + 1)
        if not line:
            break
        if len(line) > RECORD_BYTES and not line.endswith(b"\n"):
            aside.add(line, f"longer than {RECORD_BYTES:,} bytes")
            _copy_rest_of_line(handle, aside)
            bad += 1
        elif line.strip():
            line = line.rstrip(b"\r\n")
            record, reason = _record(line)
            if record is None:
                aside.add(line + b"\n", reason)
                bad += 1
            else:
                records.append(record)
                lines.append(line)
        if len(records) >= BATCH:
            yield records, lines, bad, handle.tell()
            records, lines, bad = [], [], 0
    if records or bad:
        yield records, lines, bad, handle.tell()


def _copy_rest_of_line(handle: BinaryIO, out: _Aside) -> None:
    """Copy up to the end of the line (or file), a chunk at a time."""
    while True:
        chunk = handle.readline(COPY)
        if not chunk:
            out.write(b"\n")
            return
        out.write(chunk)
        if chunk.endswith(b"\n"):
            return


def _record(line: bytes) -> tuple[dict[str, Any] | None, str]:
    """The record on ``line``, or None and why not."""
    import json  # noqa: PLC0415 - only with a journal to replay: 1.8 ms on every history read

    try:
        record = json.loads(line)
    except RecursionError:
        return None, "nested too deep"
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"not JSON ({str(exc)[:60]})"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    return record, ""


def _take_journal(folder: str, fd: int) -> None:
    """Under the journal's lock, add its records to the end of ours (``fd``)
    and remove it: appends go to a new journal from then on."""
    path = path_in(folder)
    for _ in range(10):
        try:
            source = _open(path, os.O_RDWR)
        except FileNotFoundError:
            return
        try:
            _lock(source)
            if not _same_file(source, path):
                continue  # replaced meanwhile: take the new one
            os.lseek(fd, 0, os.SEEK_END)
            os.write(fd, _line_start(fd))
            _copy(source, fd)
            os.fsync(fd)
            os.unlink(path)
            return
        finally:
            os.close(source)


def _put_back(folder: str, fd: int, offset: int) -> None:
    """The records of ours from ``offset`` on, in front of any appended since,
    as the journal; ours removed."""
    path = path_in(folder)
    temporary = f"{path}.{os.getpid()}.tmp"
    for _ in range(10):
        try:
            current = _open(path, os.O_RDWR | os.O_CREAT)
        except OSError:
            return  # ours stays, for the next replay to take
        try:
            _lock(current)
            if not _same_file(current, path):
                continue
            out = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.lseek(fd, offset, os.SEEK_SET)
                _copy(fd, out)
                os.write(out, _line_start(out))
                os.lseek(current, 0, os.SEEK_SET)
                _copy(current, out)
                os.fsync(out)
            finally:
                os.close(out)
            if os.path.getsize(temporary):
                os.replace(temporary, path)
            else:
                os.unlink(temporary)
                os.unlink(path)
            os.unlink(os.path.join(folder, REPLAYING))
            return
        finally:
            os.close(current)


def _copy(source: int, target: int) -> None:
    while True:
        chunk = os.read(source, COPY)
        if not chunk:
            return
        os.write(target, chunk)


def _line_start(fd: int) -> bytes:
    """A newline to write first if the file ends in the middle of a line (a
    writer cut off by a full disk), so the next record is a line of its own."""
    size = os.fstat(fd).st_size
    return b"\n" if size and os.pread(fd, 1, size - 1) != b"\n" else b""


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


def _try_lock(fd: int) -> bool:
    if not LOCKING:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, path: str) -> bool:
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)
