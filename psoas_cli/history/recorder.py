"""Records each routine the player plays into the history, as it goes.

Pure Python: a :class:`~psoas_cli.play.events.Listener` that keeps the session
in memory and hands a snapshot of it to a background writer
(writer.py) when the routine starts, as each stretch ends, and when
the routine ends.  The engine's thread never waits on the database: a
history locked by another process, or a slow disk, cannot hold up the
timer.  A player killed outright loses at most the stretch it was in.

After the routine, ``finish`` gives the writer a bounded time to catch up;
a session it still could not write is kept in the journal beside the
history (journal.py) and written the next time psoas runs, so it is
never lost.  Recording never stops a routine: problems become one line
through ``warn``, at most once each.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from psoas_cli.history import journal
from psoas_cli.play.events import Listener, StretchResult, Summary

if TYPE_CHECKING:
    from psoas_cli.history.records import Session
    from psoas_cli.history.writer import HistoryWriter
    from psoas_cli.play.events import State
    from psoas_cli.play.timeline import Timeline

FLUSH_SECONDS = 2.0  # the writer's time to catch up once the routine has ended


class Recorder(Listener):
    """Records one session of ``routine`` in the history in ``folder``.

    ``warn`` gets a line for each problem worth telling; ``clock`` gives unix
    time (time.time), and is also what decides the day.
    """

    def __init__(self, folder: str | os.PathLike[str], routine: str, planned_seconds: float,
                 *, warn: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time, token: str | None = None) -> None:
        self.folder = os.fspath(folder)
        # Random, names the session in the history and the journal; check-ins
        # given before the routine name it too, so it may be chosen first.
        self.token = token or os.urandom(16).hex()
        self.routine = routine
        self.planned_seconds = float(planned_seconds)
        self.warn = warn or (lambda message: None)
        self.clock = clock
        self._writer: HistoryWriter | None = None
        self.session: Session | None = None
        # The session's start, not yet written: (started_at, token, pid).  The token
        # is random, and names the session across retries and in the journal.
        self._started: tuple[float, str, int] | None = None
        self._told: set[str] = set()

    @property
    def writer(self) -> HistoryWriter:
        """The background writer, made on first use: the history's store and
        SQLite load then, after the player's first frame, not before it (only the
        journal, 0.5 ms, comes before)."""
        if self._writer is None:
            from psoas_cli.history.writer import HistoryWriter  # noqa: PLC0415 - 5 ms

            self._writer = HistoryWriter(self.folder, clock=self.clock)
        return self._writer

    # -- the engine's calls (on its thread: none of them waits) --

    def routine_started(self, timeline: Timeline, state: State) -> None:
        # Noted now, written when the first phase has been drawn (phase_started,
        # which reaches the recorder after the screen).
        self._started = (self.clock(), self.token, os.getpid())

    def phase_started(self, state: State) -> None:
        if self.session is None and self._started is not None:
            self._begin()
            self._put()

    def _begin(self) -> None:
        if self._started is None:
            return
        # After the first frame, as the writer.
        from psoas_cli.history.liveness import this_host  # noqa: PLC0415 - 2.1 ms, records too
        from psoas_cli.history.records import new_session  # noqa: PLC0415 - 1.9 ms

        started_at, token, pid = self._started
        self.session = new_session(self.routine, started_at, planned_seconds=self.planned_seconds,
                                   host=this_host(), token=token, pid=pid)
        self._started = None

    def stretch_ended(self, result: StretchResult) -> None:
        if self.session is None and self._started is not None:
            self._begin()
        if self.session is None:
            return
        from psoas_cli.history.records import StretchRecord  # noqa: PLC0415 - as _begin: 1.9 ms

        record = StretchRecord(result.index, result.slug, result.name, result.status,
                               float(result.held), float(result.planned))
        # Going back into a stretch reports it again; the later report wins.
        others = [s for s in self.session.stretches if s.position != record.position]
        stretches = tuple(sorted(others + [record], key=lambda s: s.position))
        self.session = self.session._replace(active_seconds=float(result.active),
                               stretches=stretches)
        self._put()

    def routine_ended(self, summary: Summary) -> None:
        if self.session is None and self._started is not None:
            self._begin()
        if self.session is None:
            return
        from psoas_cli.history import records  # noqa: PLC0415 - as _begin: 1.9 ms

        if not summary.finished:
            status = records.STOPPED
        else:  # to its end, but with n pressed through every stretch: not a session done
            done = any(s.status == "done" for s in self.session.stretches)
            status = records.FINISHED if done else records.SKIPPED
        self.session = self.session._replace(status=status, ended_at=self.clock(),
                               active_seconds=float(summary.active))
        self._put()
        self.writer.close()

    # -- after the routine --

    @property
    def session_id(self) -> int | None:
        """The session's row in the history, once written (after ``finish``)."""
        return self.writer.saved_id

    def flush(self, timeout: float = FLUSH_SECONDS) -> bool:
        """Wait (at most ``timeout`` seconds) until all so far is written."""
        return self.writer.flush(timeout)

    def finish(self, timeout: float = FLUSH_SECONDS) -> str | None:
        """Let the writer catch up, then keep what it could not write in the journal.

        Returns the journal's path when the session went there.
        """
        try:
            left = self.writer.finish(timeout)
        except KeyboardInterrupt:  # Ctrl-C while waiting: keep the session, then stop
            self._keep(self.writer.finish(0))
            raise
        self._pass_on()
        return self._keep(left)

    def _keep(self, left: Session | None) -> str | None:
        """Put what the writer could not write in the journal; its path, if so."""
        if left is None:
            return None
        try:
            path = journal.append(self.folder, [left.as_record()])
        except OSError as exc:
            self._tell(f"this session could not be recorded: {exc.strerror or exc}")
            return None
        if self.writer.failure is not None:
            self._tell(f"this session is kept in {path}, to be written to the history when "
                       f"it can be")
        return path

    # -- helpers --

    def _put(self) -> None:
        if self.session is not None:
            self.writer.put(self.session)
        self._pass_on()

    def _pass_on(self) -> None:
        """Tell what the writer has met so far (on the caller's thread)."""
        for note in list(self.writer.notes):
            self._tell(note)
        if self.writer.failure is not None:
            self._tell(f"history is off for this run: {self.writer.failure}")

    def _tell(self, message: str) -> None:
        if message in self._told:
            return
        self._told.add(message)
        try:
            self.warn(" ".join(message.split()))
        except Exception:  # a broken warn must not stop the routine either
            pass
