"""Records each routine the player plays into the history, as it goes.

Pure Python: a :class:`~psoas_cli.events.Listener` that writes through
:class:`~psoas_cli.history.History`.  Each write is its own committed
transaction: a session row when the routine starts, the session again with
each stretch as it ends, and the outcome when the routine ends.  A player
killed outright therefore loses at most the stretch it was in.

Recording must never stop a routine.  Any failure to write is reported once
through ``warn`` and recording stops for the rest of the run.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from .events import Listener, StretchResult, Summary
from .history import FINISHED, STOPPED, History, HistoryError, Session, StretchRecord

if TYPE_CHECKING:
    import os

    from .events import State
    from .timeline import Timeline


class Recorder(Listener):
    """Writes one session of ``routine`` to the history in ``folder``.

    ``warn`` gets at most one line, if recording fails and is switched off;
    ``clock`` gives unix time (time.time), and is also what decides the day.
    """

    def __init__(self, folder: str | os.PathLike[str], routine: str, planned_seconds: float,
                 *, warn: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.routine = routine
        self.planned_seconds = float(planned_seconds)
        self.warn = warn or (lambda message: None)
        self.clock = clock
        self.history = History(folder, warn=self._tell, now=clock)
        self.session: Session | None = None
        self.off = False

    # -- the engine's calls --

    def routine_started(self, timeline: Timeline, state: State) -> None:
        self._save(lambda: Session(self.routine, self.clock(),
                                   planned_seconds=self.planned_seconds))

    def stretch_ended(self, result: StretchResult) -> None:
        if self.session is None:
            return

        def updated() -> Session:
            record = StretchRecord(result.index, result.slug, result.name, result.status,
                                   float(result.held), float(result.planned))
            # Going back into a stretch reports it again; the later report wins.
            others = [s for s in self.session.stretches if s.position != record.position]
            stretches = tuple(sorted(others + [record], key=lambda s: s.position))
            return replace(self.session, active_seconds=float(result.active),
                           stretches=stretches)

        self._save(updated)

    def routine_ended(self, summary: Summary) -> None:
        if self.session is None:
            return
        status = FINISHED if summary.finished else STOPPED
        self._save(lambda: replace(self.session, status=status, ended_at=self.clock(),
                                   active_seconds=float(summary.active)))
        self.history.close()

    # -- helpers --

    def _save(self, updated: Callable[[], Session]) -> None:
        """Write the session as ``updated()`` makes it; on any failure, warn and stop."""
        if self.off:
            return
        try:
            session = updated()
            session_id = self.history.save(session)
        except Exception as exc:  # noqa: BLE001 - whatever it is, the routine goes on
            self.off = True
            self.history.close()
            reason = exc if isinstance(exc, (HistoryError, sqlite3.Error, OSError)) else repr(exc)
            self._tell(f"history is off for this run: {reason}")
            return
        self.session = replace(session, id=session_id)

    def _tell(self, message: str) -> None:
        try:
            self.warn(" ".join(message.split()))
        except Exception:  # a broken warn must not stop the routine either
            pass
