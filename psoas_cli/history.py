"""Session history: recording sessions, reading them back, streaks.

Pure Python.  The records and the questions asked of them live here; the
SQLite file itself (opening, schema, damaged files) is historyfile.py.
Every write is its own short transaction, committed at once, so a player
killed outright loses at most the stretch it was in.

Days are the user's local days (``time.localtime``); a session counts on the
day it started, even if it ends after midnight.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable

from .errors import HistoryError
from .historyfile import HistoryFile
from .reminders import Counts

__all__ = ["History", "HistoryError", "Session", "StretchRecord", "Report", "Streaks",
           "BreakRow", "Played"]
RECENT = 10  # sessions listed when no --days is given
WEEKS = 12  # columns of the calendar

IN_PROGRESS, FINISHED, STOPPED = "in progress", "finished", "stopped"
UNFINISHED = "unfinished"  # how an in-progress row reads once its player is gone

# -- the records --------------------------------------------------------------

@dataclass(frozen=True)
class StretchRecord:
    position: int
    slug: str
    name: str
    status: str  # "done" or "skipped"
    held_seconds: float
    planned_seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"position": self.position, "slug": self.slug, "name": self.name,
                "status": self.status, "held_seconds": round(self.held_seconds, 1),
                "planned_seconds": round(self.planned_seconds, 1)}


@dataclass(frozen=True)
class Session:
    routine: str
    started_at: float
    status: str = IN_PROGRESS
    planned_seconds: float = 0.0
    active_seconds: float = 0.0
    ended_at: float | None = None
    id: int | None = None
    day: date | None = None  # local day of started_at; worked out when None
    stretches: tuple[StretchRecord, ...] = ()

    def __post_init__(self) -> None:
        if self.day is None:
            object.__setattr__(self, "day", local_day(self.started_at))

    @property
    def minutes(self) -> float:
        return self.active_seconds / 60

    @property
    def outcome(self) -> str:
        """finished, stopped, or unfinished (the player never said how it ended)."""
        return UNFINISHED if self.status == IN_PROGRESS else self.status

    def as_dict(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "routine": self.routine,
            "day": self.day.isoformat(),
            "started_at": _iso(self.started_at),
            "ended_at": _iso(self.ended_at) if self.ended_at is not None else None,
            "status": self.outcome,
            "minutes": round(self.minutes, 1),
            "active_seconds": round(self.active_seconds, 1),
            "planned_seconds": round(self.planned_seconds, 1),
        }
        data["stretches"] = [s.as_dict() for s in self.stretches]
        return data


@dataclass(frozen=True)
class BreakRow:
    """One answer to a break reminder; ``kind`` is a ``reminders.Counts`` field."""

    at: float
    kind: str  # offered, taken, snoozed, skipped or missed
    routine: str
    due_at: float | None = None  # when the break came due; None for one taken early
    session_id: int | None = None  # taken: the session the routine recorded


@dataclass(frozen=True)
class Played:
    """A session that ended with something done: it counts as a break."""

    id: int
    routine: str
    started_at: float
    ended_at: float


@dataclass(frozen=True)
class Streaks:
    current: int  # days in a row up to today or yesterday, else 0
    longest: int
    last_day: date | None  # the last day with a finished session

    def as_dict(self) -> dict[str, Any]:
        return {"current": self.current, "longest": self.longest,
                "last_day": self.last_day.isoformat() if self.last_day else None}


@dataclass(frozen=True)
class Report:
    """Everything ``psoas history`` shows, read in one go."""

    today: date
    sessions: tuple[Session, ...]  # newest first
    streaks: Streaks
    minutes_this_week: float
    calendar: tuple[tuple[date, float], ...]  # minutes per day, Monday 11 weeks ago to today
    total: int  # sessions recorded, all time
    days: int | None = None  # the --days asked for, if any
    breaks_today: Counts = Counts()  # answers to psoas remind
    breaks_week: Counts = Counts()  # since Monday

    @property
    def week_start(self) -> date:
        return monday_of(self.today)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "total_sessions": self.total,
            "sessions": [s.as_dict() for s in self.sessions],
            "streaks": self.streaks.as_dict(),
            "week_start": self.week_start.isoformat(),
            "minutes_this_week": round(self.minutes_this_week, 1),
            "calendar": [{"day": d.isoformat(), "minutes": round(m, 1)}
                         for d, m in self.calendar],
            "breaks": {"today": asdict(self.breaks_today), "week": asdict(self.breaks_week)},
        }


# -- days and streaks (pure) --------------------------------------------------

def local_day(timestamp: float) -> date:
    """The user's local calendar day of a unix time."""
    return date(*time.localtime(timestamp)[:3])


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar_days(today: date, weeks: int = WEEKS) -> list[date]:
    """Every day from the Monday ``weeks - 1`` weeks before this one, to today."""
    first = monday_of(today) - timedelta(weeks=weeks - 1)
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def streaks(days: Iterable[date], today: date) -> Streaks:
    """Runs of consecutive days in ``days`` (days with a finished session).

    The current streak is the run ending on the last such day, if that day is
    today or yesterday: a streak is not broken until a whole day is missed.
    """
    ordered = sorted(set(days))
    if not ordered:
        return Streaks(0, 0, None)
    longest = run = 1
    for before, after in zip(ordered, ordered[1:]):
        run = run + 1 if (after - before).days == 1 else 1
        longest = max(longest, run)
    last = ordered[-1]
    current = run if last >= today - timedelta(days=1) else 0
    return Streaks(current, longest, last)


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


class History:
    """The sessions recorded in the history file in ``folder``.

    ``warn`` receives one line when a damaged file is moved aside; ``now``
    (unix time) decides what "today" is.
    """

    def __init__(self, folder: str | os.PathLike[str], *,
                 warn: Callable[[str], None] | None = None,
                 now: Callable[[], float] = time.time,
                 trace: Callable[[str], None] | None = None) -> None:
        self.file = HistoryFile(folder, warn=warn, now=now, trace=trace)
        self.folder = self.file.folder
        self.path = self.file.path
        self.now = now

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def exists(self) -> bool:
        return self.file.exists()

    def close(self) -> None:
        self.file.close()

    # -- writing --

    def save(self, session: Session) -> int:
        """Write ``session`` and its stretches so far; returns its id.

        Saving the same session again (with its id) updates its row and its
        stretches (a stretch played again replaces its first report), so each
        save stands on its own: after a damaged file is replaced, the next save
        writes the whole session anew.
        """

        def write(conn: sqlite3.Connection) -> int:
            cursor = conn.execute(
                "INSERT INTO sessions (id, routine, started_at, day, ended_at, status,"
                " planned_seconds, active_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at,"
                " status = excluded.status, active_seconds = excluded.active_seconds",
                (session.id, session.routine, session.started_at, session.day.isoformat(),
                 session.ended_at, session.status, session.planned_seconds,
                 session.active_seconds))
            session_id = session.id if session.id is not None else cursor.lastrowid
            conn.executemany(
                "INSERT INTO stretches (session_id, position, slug, name, status,"
                " held_seconds, planned_seconds) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (session_id, position) DO UPDATE SET status = excluded.status,"
                " held_seconds = excluded.held_seconds",
                [(session_id, s.position, s.slug, s.name, s.status, s.held_seconds,
                  s.planned_seconds) for s in session.stretches])
            return session_id

        return self.file.run(write, write=True)

    def add_break(self, row: BreakRow) -> None:
        """Append one answer to a break reminder, on the local day of ``row.at``."""
        self.file.run(lambda conn: conn.execute(
            "INSERT INTO breaks (at, day, kind, due_at, routine, session_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (row.at, local_day(row.at).isoformat(), row.kind, row.due_at, row.routine,
             row.session_id)), write=True)

    def create(self) -> None:
        """Make the folder and the file, with the newest schema, if they are missing."""
        self.file.run(lambda conn: None, write=False)

    def clear(self) -> str | None:
        """Move the history aside to a dated file and return its path (None if no file)."""
        return self.file.set_aside()

    # -- reading --

    def report(self, *, days: int | None = None, limit: int = RECENT, weeks: int = WEEKS,
               stretches: bool = False) -> Report:
        """The sessions of the last ``days`` days (else the ``limit`` newest), and totals."""
        today = local_day(self.now())
        if not self.exists():  # looking creates nothing
            return Report(today, (), Streaks(0, 0, None), 0.0,
                          tuple((d, 0.0) for d in calendar_days(today, weeks)), 0, days)

        def read(conn: sqlite3.Connection) -> Report:
            if days is None:
                rows = conn.execute(_SESSIONS + " ORDER BY started_at DESC LIMIT ?", (limit,))
            else:
                since = today - timedelta(days=days - 1)
                rows = conn.execute(_SESSIONS + " WHERE day >= ?"
                                    " ORDER BY day DESC, started_at DESC", (since.isoformat(),))
            sessions = [_session(row) for row in rows]
            if stretches and sessions:
                sessions = _with_stretches(conn, sessions)
            finished = [date.fromisoformat(day) for (day,) in conn.execute(
                "SELECT DISTINCT day FROM sessions WHERE status = 'finished'")]
            shown = calendar_days(today, weeks)
            minutes = dict(conn.execute(
                "SELECT day, SUM(active_seconds) / 60.0 FROM sessions WHERE day >= ?"
                " AND day <= ? GROUP BY day", (shown[0].isoformat(), today.isoformat())))
            calendar = tuple((d, minutes.get(d.isoformat(), 0.0)) for d in shown)
            monday = monday_of(today)
            this_week = sum(m for d, m in calendar if d >= monday)
            (total,) = conn.execute("SELECT count(*) FROM sessions").fetchone()
            return Report(today, tuple(sessions), streaks(finished, today), this_week,
                          calendar, total, days, _break_counts(conn, today, today),
                          _break_counts(conn, monday, today))

        return self.file.run(read, write=False)

    def break_counts(self, first: date, last: date) -> Counts:
        """Answers to break reminders from day ``first`` to ``last``, both included."""
        if not self.exists():
            return Counts()
        return self.file.run(lambda conn: _break_counts(conn, first, last), write=False)

    def played_since(self, after: float) -> list[Played]:
        """Sessions started after ``after`` that have ended with a stretch done
        (or finished), oldest first: each was a break, wherever it was played."""
        if not self.exists():
            return []

        def read(conn: sqlite3.Connection) -> list[Played]:
            rows = conn.execute(
                "SELECT id, routine, started_at, ended_at FROM sessions"
                " WHERE started_at > ? AND ended_at IS NOT NULL AND (status = 'finished'"
                " OR EXISTS (SELECT 1 FROM stretches WHERE session_id = sessions.id"
                " AND status = 'done')) ORDER BY started_at", (after,))
            return [Played(*row) for row in rows]

        return self.file.run(read, write=False)

    def count(self) -> int:
        """How many sessions are recorded."""
        if not self.exists():
            return 0
        return self.file.run(lambda conn: conn.execute("SELECT count(*) FROM sessions")
                         .fetchone()[0], write=False)

    def sessions(self) -> list[Session]:
        """Every session with its stretches, oldest first (for export and tests)."""
        if not self.exists():
            return []

        def read(conn: sqlite3.Connection) -> list[Session]:
            rows = conn.execute(_SESSIONS + " ORDER BY started_at, id")
            return _with_stretches(conn, [_session(row) for row in rows])

        return self.file.run(read, write=False)

_SESSIONS = ("SELECT id, routine, started_at, day, ended_at, status, planned_seconds,"
             " active_seconds FROM sessions")


def _break_counts(conn: sqlite3.Connection, first: date, last: date) -> Counts:
    rows = conn.execute("SELECT kind, count(*) FROM breaks WHERE day BETWEEN ? AND ?"
                        " GROUP BY kind", (first.isoformat(), last.isoformat()))
    known = set(Counts.__dataclass_fields__)
    return Counts(**{kind: n for kind, n in rows if kind in known})


def _session(row: tuple) -> Session:
    id_, routine, started_at, day, ended_at, status, planned, active = row
    return Session(routine=routine, started_at=started_at, status=status,
                   planned_seconds=planned, active_seconds=active, ended_at=ended_at,
                   id=id_, day=date.fromisoformat(day))


def _with_stretches(conn: sqlite3.Connection, sessions: list[Session]) -> list[Session]:
    found: dict[int, list[StretchRecord]] = {s.id: [] for s in sessions}
    ids = list(found)
    for start in range(0, len(ids), 500):  # stay under SQLite's limit on parameters
        chunk = ids[start:start + 500]
        rows = conn.execute(
            "SELECT session_id, position, slug, name, status, held_seconds, planned_seconds"
            f" FROM stretches WHERE session_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY session_id, position", chunk)
        for session_id, *fields in rows:
            found[session_id].append(StretchRecord(*fields))
    return [replace(s, stretches=tuple(found[s.id])) for s in sessions]
