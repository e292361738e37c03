"""Writing test results and check-ins to the history on a thread of their own.

As sessions are written (writer.py): ``put`` only hands a record over under
a lock held for microseconds, and a daemon thread writes it, retrying while
another process holds the database locked.  A record put again with the
same uid (a test saved after each side) replaces the copy not yet written.
``finish`` gives the thread a bounded time, then keeps whatever it could
not write in the journal beside the history (journal.py), to be written the
next time psoas runs.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from psoas_cli.errors import HistoryBusy
from psoas_cli.history import journal, practice
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.history.practice_records import CalmLineRow, CheckinRow, TestRecord
from psoas_cli.history.writer import BUSY_SECONDS, CLOSE_SECONDS, RETRY_SECONDS, _reason

Record = TestRecord | CheckinRow | CalmLineRow
FLUSH_SECONDS = 2.0  # the thread's time to catch up once nothing more will come


class PracticeWriter:
    """Writes practice records to the history in ``folder``, off the caller's thread.

    ``warn`` gets one line for each problem, on the caller's thread (at
    ``finish``); ``failure`` holds why writing stopped for good.
    """

    def __init__(self, folder: str | os.PathLike[str], *,
                 warn: Callable[[str], None] | None = None,
                 now: Callable[[], float] = time.time) -> None:
        self.folder = os.fspath(folder)
        self.warn = warn or (lambda message: None)
        self.notes: list[str] = []
        self.failure: str | None = None
        self.file = HistoryFile(self.folder, warn=self.notes.append, now=now,
                                busy_timeout=BUSY_SECONDS)
        self._cond = threading.Condition()
        self._pending: dict[str, Record] = {}  # uid: the newest copy not yet written
        self._closing = False
        self._abandoned = False
        self._thread: threading.Thread | None = None

    def put(self, *records: Record) -> None:
        """Queue ``records``; each replaces an unwritten one with its uid."""
        if not records:
            return
        with self._cond:
            for record in records:
                self._pending[record.uid] = record
            self._cond.notify_all()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="psoas-practice",
                                                daemon=True)
                self._thread.start()

    def flush(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every record to be written."""
        end = time.monotonic() + timeout
        with self._cond:
            while self._pending and self.failure is None and self._running():
                left = end - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            return not self._pending

    def finish(self, timeout: float = FLUSH_SECONDS) -> str | None:
        """Stop taking records, wait up to ``timeout`` for them to be written, and
        put the rest in the journal; returns the journal's path if any went there."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        written = self.flush(timeout)
        with self._cond:
            self._abandoned = True
            self._cond.notify_all()
            left = list(self._pending.values())
            self._pending.clear()
        if written and self._thread is not None:
            self._thread.join(CLOSE_SECONDS)
        for note in dict.fromkeys(self.notes):
            self.warn(note)
        if not left:
            if self.failure is not None:
                self.warn(f"tests and check-ins are not recorded: {self.failure}")
            return None
        try:
            path = journal.append(self.folder, [r.as_record() for r in left])
        except OSError as exc:
            self.warn(f"these answers could not be recorded: {exc.strerror or exc}")
            return None
        if self.failure is not None:
            self.warn(f"these answers are kept in {path}, to be written to the history when "
                      "it can be")
        return path

    def _running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        try:
            while True:
                record = self._next()
                if record is None:
                    return
                self._write(record)
        finally:
            self.file.close()

    def _next(self) -> Record | None:
        with self._cond:
            while not self._pending and not self._closing and not self._abandoned:
                self._cond.wait()
            if self._abandoned or self.failure is not None or not self._pending:
                return None
            return next(iter(self._pending.values()))

    def _write(self, record: Record) -> None:
        try:
            practice.write(self.file, record)
        except HistoryBusy:
            with self._cond:
                self._cond.wait(RETRY_SECONDS)
            return
        except Exception as exc:  # noqa: BLE001 - whatever it is, the test goes on
            with self._cond:
                self.failure = _reason(exc)
                self._cond.notify_all()
            return
        with self._cond:
            if self._pending.get(record.uid) is record:
                del self._pending[record.uid]
            self._cond.notify_all()


class NoWriter:
    """What PracticeWriter offers, for a run that records nothing (--no-history)."""

    def put(self, *records: Record) -> None:
        pass

    def finish(self, timeout: float = FLUSH_SECONDS) -> str | None:
        return None
