"""Writing sessions to the history on a thread of its own, so the timer never waits.

Pure Python.  The recorder hands each new snapshot of its session to
``put``, which only swaps a reference under a lock held for microseconds;
a daemon thread writes the newest snapshot it has, retrying while another
process holds the database locked, and meanwhile newer snapshots simply
replace older ones (each snapshot is the whole session so far).  While the
session is in progress the thread also refreshes its heartbeat now and
then, so a reader can tell a live player from a dead one.

At the end, ``finish`` gives the thread a bounded time to catch up and
returns whatever it could not write, for the caller to keep in the journal.

Every wait (the heartbeat, a retry, ``flush``'s deadline) goes through the
``monotonic`` and ``wait`` it is given: the real clock's, unless a test
passes a fake one, so that no test has to sleep to see them.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

from psoas_cli.errors import HistoryBusy, HistoryError
from psoas_cli.history.liveness import HEARTBEAT_SECONDS
from psoas_cli.history.records import IN_PROGRESS, Session
from psoas_cli.history.store import History

BUSY_SECONDS = 0.25  # one attempt's wait for another process's lock
RETRY_SECONDS = 0.05  # between attempts while the database is busy
CLOSE_SECONDS = 0.5  # for the thread to close the database once all is written

# How the writer spends time: wait(condition, timeout), called holding the
# condition; False when the timeout ran out.  Condition.wait itself by default.
Wait = Callable[[threading.Condition, float | None], bool]


class HistoryWriter:
    """Writes session snapshots to the history in ``folder``, off the caller's thread.

    ``failure`` holds why writing stopped for good (a read-only folder, a
    file from a newer psoas...); ``notes`` gathers what the history had to
    say (a damaged file moved aside), for the caller to show on its thread.
    ``clock`` stamps the rows (unix time); ``monotonic`` and ``wait`` measure
    and spend the time waited for.
    """

    def __init__(self, folder: str, *, clock: Callable[[], float] = time.time,
                 heartbeat: float = HEARTBEAT_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic,
                 wait: Wait = threading.Condition.wait) -> None:
        self.clock = clock
        self.heartbeat = heartbeat
        self._monotonic = monotonic
        self._wait = wait
        self.notes: list[str] = []
        self.failure: str | None = None
        self.saved_id: int | None = None  # the session's row, once written
        self.history = History(folder, now=clock, warn=self.notes.append,
                               busy_timeout=BUSY_SECONDS)
        self._cond = threading.Condition()
        self._pending: Session | None = None  # the newest snapshot not yet written
        self._last: Session | None = None  # the last one written
        self._closing = False  # no more snapshots will come
        self._abandoned = False  # finish() has given up waiting
        self._thread: threading.Thread | None = None

    # -- the caller's side ----------------------------------------------------------

    def put(self, session: Session) -> None:
        """Queue ``session`` (replacing any older snapshot not yet written)."""
        with self._cond:
            self._pending = session
            self._cond.notify_all()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="psoas-history",
                                                daemon=True)
                self._thread.start()

    def close(self) -> None:
        """No more snapshots: the thread ends once the last one is written."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()

    def flush(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every snapshot to be written."""
        end = self._monotonic() + timeout
        with self._cond:
            while self._pending is not None and self.failure is None and self._running():
                left = end - self._monotonic()
                if left <= 0:
                    break
                self._wait(self._cond, left)
            return self._pending is None

    def finish(self, timeout: float) -> Session | None:
        """Close, wait up to ``timeout`` for the last write, and stop the thread;
        returns the snapshot left unwritten, if any."""
        self.close()
        written = self.flush(timeout)
        with self._cond:
            self._abandoned = True
            self._cond.notify_all()
            left = self._pending
        if written and self._thread is not None:
            # It has nothing left to wait on: let it close the file, so the
            # database is checkpointed rather than cut off at exit.
            self._thread.join(CLOSE_SECONDS)
        return left

    def _running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the thread -----------------------------------------------------------------

    def _run(self) -> None:
        try:
            self.history.replay()  # sessions an earlier run could not write
            while True:
                session = self._next()
                if session is None:
                    return
                self._write(session)
        except Exception as exc:  # noqa: BLE001 - never a traceback over the live screen
            with self._cond:
                self.failure = _reason(exc)
                self._cond.notify_all()
        finally:
            self.history.close()

    def _next(self) -> Session | None:
        """The snapshot to write next (a heartbeat when one is due); None: stop."""
        with self._cond:
            while self._pending is None and not self._closing and not self._abandoned:
                if not self._wait(self._cond, self.heartbeat) and self._pending is None:
                    last = self._last
                    if last is not None and last.status == IN_PROGRESS:
                        self._pending = last  # written again, with a new heartbeat
            if self._abandoned or self.failure is not None:
                return None
            return self._pending

    def _write(self, session: Session) -> None:
        try:
            saved_id = self.history.save(session._replace(heartbeat=self.clock()))
        except HistoryBusy:
            with self._cond:  # try again soon, or sooner if stopped
                self._wait(self._cond, RETRY_SECONDS)
            return
        except Exception as exc:  # noqa: BLE001 - whatever it is, the routine goes on
            with self._cond:
                self.failure = _reason(exc)
                self._cond.notify_all()
            return
        with self._cond:
            if self._pending is session:
                self._pending = None
            self._last = session
            self.saved_id = saved_id
            self._cond.notify_all()


def _reason(exc: Exception) -> str:
    if isinstance(exc, (HistoryError, sqlite3.Error, OSError)):
        return " ".join(str(exc).split()) or type(exc).__name__
    return repr(exc)
