"""Session history: recording sessions, reading them back, streaks.

Pure Python.  The records and the questions asked of them live here; the
SQLite file itself (opening, schema, damaged files) is dbfile.py.
Every write is its own short transaction, committed at once, so a player
killed outright loses at most the stretch it was in.

Days are the user's local days (``time.localtime``); a session counts on the
day it started, even if it ends after midnight.

A session still "in progress" is judged when it is read: if its player is
gone (its process has ended, or it has given no sign of life for a while) it
reads "interrupted", so a killed player's session does not stay in progress
for ever.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, NamedTuple

from psoas_cli.history import journal
from psoas_cli.history.records import Counts
from psoas_cli.errors import HistoryBusy, HistoryError
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.text import clean

__all__ = ["History", "HistoryBusy", "HistoryError", "Session", "StretchRecord", "Report",
           "Streaks", "BreakRow", "Played"]
RECENT = 10  # sessions listed when no --days is given
WEEKS = 12  # columns of the calendar

IN_PROGRESS, FINISHED, STOPPED = "in progress", "finished", "stopped"
INTERRUPTED = "interrupted"  # how an in-progress row reads once its player is gone
SKIPPED = "skipped"  # played to its end with every stretch skipped: no streak in that
HEARTBEAT_SECONDS = 30.0  # how often a player marks its session as alive
STALE_SECONDS = 3 * HEARTBEAT_SECONDS  # silent this long, with no process to ask: gone
STOPPED_FOR_LONG = 86400.0  # a live process silent this long (Ctrl-Z, or a reused pid)

# -- the records --------------------------------------------------------------

class StretchRecord(NamedTuple):
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


class _Session(NamedTuple):
    routine: str
    started_at: float
    status: str = IN_PROGRESS
    planned_seconds: float = 0.0
    active_seconds: float = 0.0
    ended_at: float | None = None
    id: int | None = None
    day: date | None = None  # local day of started_at; worked out when None
    stretches: tuple[StretchRecord, ...] = ()
    # Who records it: a random token naming it across retries and the journal,
    # the player's process and machine, and its last sign of life (unix time).
    token: str | None = None
    pid: int | None = None
    host: str | None = None
    heartbeat: float | None = None


class Session(_Session):
    """One routine played: a row of the sessions table, with its stretches."""

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Session:
        session = super().__new__(cls, *args, **kwargs)
        if session.day is None:  # the local day of started_at, worked out once
            session = session._replace(day=local_day(session.started_at))
        return session

    @property
    def minutes(self) -> float:
        return self.active_seconds / 60

    @property
    def outcome(self) -> str:
        """finished, stopped, in progress, or interrupted (its player is gone)."""
        return self.status

    def as_record(self) -> dict[str, Any]:
        """Plain data for the journal (journal.py); ``from_record`` reads it."""
        return {"routine": self.routine, "started_at": self.started_at, "status": self.status,
                "planned_seconds": self.planned_seconds,
                "active_seconds": self.active_seconds, "ended_at": self.ended_at,
                "day": self.day.isoformat(), "token": self.token, "pid": self.pid,
                "host": self.host, "heartbeat": self.heartbeat,
                "stretches": [[s.position, s.slug, s.name, s.status, s.held_seconds,
                               s.planned_seconds] for s in self.stretches]}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Session:
        """A session from the journal; ValueError (or TypeError) if it is not one."""
        def number(value: Any) -> float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"not a number: {value!r}"[:80])
            return float(value)

        stretches = tuple(StretchRecord(int(p), str(slug), str(name), str(status),
                                        number(held), number(planned))
                          for p, slug, name, status, held, planned in record["stretches"])
        ended = record.get("ended_at")
        return cls(str(record["routine"]), number(record["started_at"]),
                   status=str(record["status"]),
                   planned_seconds=number(record["planned_seconds"]),
                   active_seconds=number(record["active_seconds"]),
                   ended_at=None if ended is None else number(ended),
                   day=date.fromisoformat(record["day"]), stretches=stretches,
                   token=str(record["token"]), pid=record.get("pid"), host=record.get("host"),
                   heartbeat=record.get("heartbeat"))

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


class BreakRow(NamedTuple):
    """One answer to a break reminder; ``kind`` is a ``reminders.Counts`` field."""

    at: float
    kind: str  # offered, taken, snoozed, skipped or missed
    routine: str
    due_at: float | None = None  # when the break came due; None for one taken early
    session_id: int | None = None  # taken: the session the routine recorded


class Played(NamedTuple):
    """A session that ended with something done: it counts as a break."""

    id: int
    routine: str
    started_at: float
    ended_at: float


class Streaks(NamedTuple):
    current: int  # days in a row up to today or yesterday, else 0
    longest: int
    last_day: date | None  # the last day with a finished session

    def as_dict(self) -> dict[str, Any]:
        return {"current": self.current, "longest": self.longest,
                "last_day": self.last_day.isoformat() if self.last_day else None}


class Report(NamedTuple):
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
            "breaks": {"today": self.breaks_today._asdict(), "week": self.breaks_week._asdict()},
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


def this_host() -> str:
    """This machine's name, to tell its players from those of another sharing the folder."""
    try:
        return os.uname().nodename
    except AttributeError:  # pragma: no cover - Windows
        return os.environ.get("COMPUTERNAME", "")


def process_alive(pid: int) -> bool | None:
    """Whether process ``pid`` is running here; None where that cannot be asked."""
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but alive
    except (OSError, OverflowError, ValueError):
        return None
    return True


def judge(status: str, seen: float, pid: int | None, host: str | None, now: float, *,
          here: str, alive: Callable[[int], bool | None] = process_alive) -> str:
    """What an in-progress session is now: still in progress, or interrupted.

    ``seen`` is its last sign of life (a heartbeat, else its start).  A player
    on this machine is asked directly; one elsewhere (or from an older psoas,
    with no process to ask) is judged by how long it has been silent.
    """
    if status != IN_PROGRESS:
        return status
    running = alive(pid) if pid and host == here else None
    if running is False:
        return INTERRUPTED
    silent_for = now - seen
    limit = STOPPED_FOR_LONG if running else STALE_SECONDS
    return IN_PROGRESS if silent_for < limit else INTERRUPTED


class History:
    """The sessions recorded in the history file in ``folder``.

    ``warn`` receives one line when a damaged file is moved aside; ``now``
    (unix time) decides what "today" is.
    """

    def __init__(self, folder: str | os.PathLike[str], *,
                 warn: Callable[[str], None] | None = None,
                 now: Callable[[], float] = time.time,
                 trace: Callable[[str], None] | None = None,
                 busy_timeout: float | None = None) -> None:
        extra = {} if busy_timeout is None else {"busy_timeout": busy_timeout}
        self.file = HistoryFile(folder, warn=warn, now=now, trace=trace, **extra)
        self.folder = self.file.folder
        self.path = self.file.path
        self.now = now
        self._recording: set[str] = set()  # tokens of sessions in progress saved here
        self.file.left_behind = self._forget

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
            session_id = _upsert(conn, session)
            if session_id is None:  # already ended: a late copy changes nothing
                return _id_of(conn, session.token)
            conn.executemany(
                "INSERT INTO stretches (session_id, position, slug, name, status,"
                " held_seconds, planned_seconds) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (session_id, position) DO UPDATE SET status = excluded.status,"
                " held_seconds = excluded.held_seconds",
                [(session_id, s.position, s.slug, s.name, s.status, s.held_seconds,
                  s.planned_seconds) for s in session.stretches])
            return session_id

        saved = self.file.run(write, write=True)
        if session.token is not None:
            if session.status == IN_PROGRESS:
                self._recording.add(session.token)
            else:
                self._recording.discard(session.token)
        return saved

    def _forget(self, conn: sqlite3.Connection) -> None:
        """Another psoas set the file aside (history --clear) while sessions were
        being recorded here: take them out of the old file, as they go on in the
        new one, so the archive holds no half copy."""
        tokens = list(self._recording)
        if not tokens:
            return
        marks = ",".join("?" * len(tokens))
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM stretches WHERE session_id IN (SELECT id FROM sessions"
                         f" WHERE token IN ({marks}) AND status = 'in progress')", tokens)
            conn.execute(f"DELETE FROM sessions WHERE token IN ({marks})"
                         " AND status = 'in progress'", tokens)
            conn.execute("COMMIT")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def replay(self) -> int:
        """Write the sessions kept in the journal (journal.py); how many.

        Stops quietly (HistoryBusy, HistoryError) when the history cannot be
        written yet, keeping the rest for next time.
        """
        if not journal.pending(self.folder):
            return 0

        def write(record: dict[str, Any]) -> None:
            try:
                session = Session.from_record(record)
            except (KeyError, TypeError, ValueError):
                return  # not a session: dropped
            self.save(session)

        try:
            return journal.replay(self.folder, write)
        except (HistoryError, OSError):
            return 0

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
        """Move the history aside to a dated file and return its path (None if no file).

        Sessions waiting in the journal are written first, so they go with it.
        """
        self.replay()
        return self.file.set_aside()

    # -- reading --

    def report(self, *, days: int | None = None, limit: int = RECENT, weeks: int = WEEKS,
               stretches: bool = False) -> Report:
        """The sessions of the last ``days`` days (else the ``limit`` newest), and totals."""
        today = local_day(self.now())
        self.replay()
        if not self.exists():  # looking creates nothing
            return Report(today, (), Streaks(0, 0, None), 0.0,
                          tuple((d, 0.0) for d in calendar_days(today, weeks)), 0, days)
        read_row = self._reader()

        def read(conn: sqlite3.Connection) -> Report:
            if days is None:
                rows = conn.execute(_SESSIONS + " ORDER BY started_at DESC LIMIT ?", (limit,))
            else:
                # Any number of days back: past the first day of the calendar, all of them.
                back = min(days - 1, today.toordinal() - 1)
                since = today - timedelta(days=back)
                rows = conn.execute(_SESSIONS + " WHERE day >= ?"
                                    " ORDER BY day DESC, started_at DESC", (since.isoformat(),))
            sessions = [read_row(row) for row in rows]
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

        read_row = self._reader()

        def read(conn: sqlite3.Connection) -> list[Session]:
            rows = conn.execute(_SESSIONS + " ORDER BY started_at, id")
            return _with_stretches(conn, [read_row(row) for row in rows])

        return self.file.run(read, write=False)

    def _reader(self) -> Callable[[tuple], Session]:
        """Turns a row into a Session, judging the ones still in progress (once a
        process, however many rows it has)."""
        now, here, asked = self.now(), this_host(), {}

        def alive(pid: int) -> bool | None:
            if pid not in asked:
                asked[pid] = process_alive(pid)
            return asked[pid]

        def read_row(row: tuple) -> Session:
            session = _session(row)
            if session.status != IN_PROGRESS:
                return session
            seen = session.heartbeat or session.started_at
            status = judge(session.status, seen, session.pid, session.host, now, here=here,
                           alive=alive)
            return session._replace(status=status)

        return read_row


_SESSIONS = ("SELECT id, routine, started_at, day, ended_at, status, planned_seconds,"
             " active_seconds, token, pid, host, heartbeat FROM sessions")


def _break_counts(conn: sqlite3.Connection, first: date, last: date) -> Counts:
    rows = conn.execute("SELECT kind, count(*) FROM breaks WHERE day BETWEEN ? AND ?"
                        " GROUP BY kind", (first.isoformat(), last.isoformat()))
    known = set(Counts._fields)
    return Counts(**{kind: n for kind, n in rows if kind in known})


def _session(row: tuple) -> Session:
    id_, routine, started_at, day, ended_at, status, planned, active, *who = row
    token, pid, host, heartbeat = who
    # The file may come from anywhere: what it names is shown as text, never as
    # terminal control.
    return Session(routine=clean(str(routine)), started_at=started_at, status=clean(status),
                   planned_seconds=planned, active_seconds=active, ended_at=ended_at,
                   id=id_, day=date.fromisoformat(day), token=token, pid=pid, host=host,
                   heartbeat=heartbeat)


_UPSERT_BY_ID = (
    "INSERT INTO sessions (id, routine, started_at, day, ended_at, status, planned_seconds,"
    " active_seconds, token, pid, host, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, status = excluded.status,"
    " active_seconds = excluded.active_seconds, heartbeat = excluded.heartbeat")
# By token, a session ended stays as it ended: a late or replayed copy never reopens it.
_UPSERT_BY_TOKEN = (
    "INSERT INTO sessions (id, routine, started_at, day, ended_at, status, planned_seconds,"
    " active_seconds, token, pid, host, heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (token) DO UPDATE SET ended_at = excluded.ended_at,"
    " status = excluded.status, active_seconds = excluded.active_seconds,"
    " heartbeat = excluded.heartbeat WHERE sessions.status = 'in progress'")


def _upsert(conn: sqlite3.Connection, session: Session) -> int | None:
    """Insert or update the session's row; its id, or None if nothing changed."""
    by_token = session.token is not None
    cursor = conn.execute(
        _UPSERT_BY_TOKEN if by_token else _UPSERT_BY_ID,
        (None if by_token else session.id, session.routine, session.started_at,
         session.day.isoformat(), session.ended_at, session.status, session.planned_seconds,
         session.active_seconds, session.token, session.pid, session.host, session.heartbeat))
    if not by_token:
        return session.id if session.id is not None else cursor.lastrowid
    return _id_of(conn, session.token) if cursor.rowcount else None


def _id_of(conn: sqlite3.Connection, token: str | None) -> int:
    (session_id,) = conn.execute("SELECT id FROM sessions WHERE token = ?", (token,)).fetchone()
    return session_id


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
    return [s._replace(stretches=tuple(found[s.id])) for s in sessions]
