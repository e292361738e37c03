"""Break reminders in the history: a row for each answer, and what was played.

Pure Python.  ``BreakLog`` turns the schedule's events into history rows
(``reminders.counted_as`` decides the kind, so the screen's counts and
``psoas history`` agree) and reads back what the reminder needs: today's
counts, the streak, and the sessions played since a moment (a routine
played in another terminal counts as the break).

Rows are written off the reminder's thread: ``write`` takes one row and
must return at once.  The default, ``RowWriter``, hands each row to a
thread of its own, so a locked database delays the row, not the screen or
the keys.  Reads happen on the caller's thread; in WAL mode they never
wait for a writer.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, TypeVar

from psoas_cli.breaks.counts import Event, counted_as
from psoas_cli.history.calendar import WEEKEND, local_day
from psoas_cli.history.records import BreakRow, Counts, Played
from psoas_cli.history.store import History

if TYPE_CHECKING:
    import os

FLUSH_SECONDS = 2.0  # how long the end of psoas remind waits for rows not yet written

T = TypeVar("T")  # what a read of the history gives


class RowWriter:
    """Writes rows with ``save`` on a thread of its own, in order.

    A failure stops the writing for the rest of the run; ``failures`` holds
    its one line for the caller to show on its own thread.
    """

    def __init__(self, save: Callable[[BreakRow], None]) -> None:
        self.save = save
        self.rows: queue.Queue[BreakRow | None] = queue.Queue()
        self.failures: list[str] = []
        self.thread: threading.Thread | None = None

    def __call__(self, row: BreakRow) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._work, name="psoas-breaks", daemon=True)
            self.thread.start()
        self.rows.put(row)

    def close(self, timeout: float = FLUSH_SECONDS) -> None:
        """Let the rows already given be written, waiting at most ``timeout``."""
        if self.thread is not None:
            self.rows.put(None)
            self.thread.join(timeout)

    def _work(self) -> None:
        while (row := self.rows.get()) is not None:
            if self.failures:
                continue  # off for this run; drain the queue so close() returns
            try:
                self.save(row)
            except Exception as exc:  # noqa: BLE001 - whatever it is, the reminder goes on
                self.failures.append(f"breaks are not recorded for this run: "
                                     f"{' '.join(str(exc).split()) or type(exc).__name__}")


class BreakLog:
    """The history of one ``psoas remind``, in the psoas folder ``folder``."""

    def __init__(self, folder: str | os.PathLike[str], *,
                 warn: Callable[[str], None] | None = None,
                 now: Callable[[], float] = time.time,
                 write: Callable[[BreakRow], None] | None = None,
                 rest: Collection[int] = WEEKEND) -> None:
        self.rest = rest  # the weekdays that never break a streak
        self.reader = History(folder, warn=warn, now=now)
        self.rows = History(folder, warn=warn, now=now)  # the writer thread's connection
        self.warn = warn or (lambda message: None)
        self.writer = RowWriter(self.rows.add_break)
        self.write = write or self.writer
        self.told: set[str] = set()

    def record(self, event: Event, routine: str, session_id: int | None = None) -> None:
        """A row for an event that counts (offered, taken, snoozed, skipped, missed)."""
        kind = counted_as(event)
        if kind is not None:
            self.write(BreakRow(event.at, kind, routine, event.due_at, session_id))

    def check(self) -> None:
        """Tell, once and on the caller's thread, that rows could not be written."""
        if self.writer.failures:
            self._tell("write", self.writer.failures[0])

    def today(self, now: float) -> Counts:
        day = local_day(now)
        return self._read(lambda: self.reader.break_counts(day, day), Counts())

    def streak(self) -> int | None:
        return self._read(lambda: self.reader.report(limit=0, rest=self.rest).streaks.current, None)

    def played_since(self, after: float) -> list[Played]:
        return self._read(lambda: self.reader.played_since(after), [])

    def close(self) -> None:
        self.writer.close()
        if self.writer.thread is None or not self.writer.thread.is_alive():
            self.rows.close()
        self.reader.close()
        self.check()

    def _read(self, ask: Callable[[], T], otherwise: T) -> T:
        """A read that fails is told once and answered with ``otherwise``."""
        try:
            return ask()
        except Exception as exc:  # noqa: BLE001 - a reminder without counts still reminds
            self._tell("read", f"cannot read the history: {' '.join(str(exc).split())}")
            return otherwise

    def _tell(self, kind: str, message: str) -> None:
        if kind not in self.told:
            self.told.add(kind)
            self.warn(message)


class NoLog:
    """What BreakLog offers, for a run with history off."""

    def record(self, event: Event, routine: str, session_id: int | None = None) -> None:
        pass

    def check(self) -> None:
        pass

    def today(self, now: float) -> Counts:
        return Counts()

    def streak(self) -> int | None:
        return None

    def played_since(self, after: float) -> list[Played]:
        return []

    def close(self) -> None:
        pass
