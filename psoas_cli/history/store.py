"""The sessions and breaks recorded in SQLite: writing them, reading them back.

The records are records.py; the SQLite file itself (opening, schema,
damaged files) is dbfile.py.  Every write is its own short transaction,
committed at once, so a player killed outright loses at most the stretch it
was in.
"""

from __future__ import annotations

import heapq
import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import date, timedelta
from typing import Any, TypeVar

from psoas_cli import limits
from psoas_cli.errors import HistoryError
from psoas_cli.history import journal
from psoas_cli.history.calendar import (
    WEEKEND,
    WEEKS,
    Streaks,
    calendar_days,
    local_day,
    monday_of,
    streaks,
)
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.history.glance import PLAYED_HERE, PLAYED_UNANSWERED
from psoas_cli.history.liveness import judge, process_alive, this_host
from psoas_cli.history.records import (
    IN_PROGRESS,
    INTERRUPTED,
    RECENT,
    BreakRow,
    Counts,
    Listing,
    Played,
    Report,
    Session,
    StretchRecord,
    process_id,
    recorded_day,
    recorded_seconds,
    recorded_time,
    stretch_record,
    text,
)
from psoas_cli.text import clean

# A row as sqlite3 gives it: the values of the columns asked for, of SQLite's types.
Row = tuple[Any, ...]
T = TypeVar("T")  # what a use of the sessions read returns


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
        self._told: set[str] = set()  # what warn was told of rows it could not read
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
            return _save_in(conn, session)

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
        """Write the sessions kept in the journal (journal.py); how many it dealt with.

        Never raises: when the history cannot be written yet (HistoryBusy,
        HistoryError) the rest is kept for next time; a record that is no
        session is set aside, and ``warn`` told in one line; anything else
        that goes wrong is told the same way.
        """
        if not journal.pending(self.folder):
            return 0

        def write(records: list[dict[str, Any]]) -> list[str | None]:
            reasons: list[str | None] = []
            sessions = []
            for record in records:
                if record.get("kind") == "program-event":  # a program's (history/programs.py)
                    reasons.append(self._replay_program(record) or "")
                    continue
                if "kind" in record:  # a test or a check-in (sessions have no kind)
                    reasons.append(self._replay_practice(record) or "")
                    continue
                try:
                    sessions.append(Session.from_record(record))
                    reasons.append(None)
                except (KeyError, TypeError, ValueError) as exc:
                    reasons.append(str(exc) or type(exc).__name__)
            failed = iter(self.file.run(lambda conn: self._save_all(conn, sessions),
                                        write=True))
            return [next(failed) if reason is None else (reason or None)
                    for reason in reasons]

        def rejected(count: int, first: str) -> None:
            entries = "1 entry" if count == 1 else f"{count:,} entries"
            verb = "was" if count == 1 else "were"
            self.file.warn(f"{entries} of {journal.path_in(self.folder)} could not be read, "
                           f"and {verb} set aside in "
                           f"{os.path.join(self.folder, journal.REJECTED)} (the first: "
                           f"{clean(first)[:100]})")

        try:
            return journal.replay(self.folder, write, rejected)
        except (HistoryError, OSError):  # not a regular file, a folder that can't be written
            return 0
        except Exception as exc:  # noqa: BLE001 - never: the journal waits for next time
            self.file.warn("the sessions waiting in the journal could not be written: "
                           f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
            return 0

    def _replay_program(self, record: dict[str, Any]) -> str | None:
        """Write a program's event kept in the journal; why not, if it is none."""
        from psoas_cli.history import programs  # noqa: PLC0415 - as below

        try:
            event = programs.EventRow.from_record(record)
        except (KeyError, TypeError, ValueError) as exc:
            return str(exc) or type(exc).__name__
        programs.write(self.file, event)
        return None

    def _replay_practice(self, record: dict[str, Any]) -> str | None:
        """Write a self-test or check-in kept in the journal; why not, if it is none."""
        # Loaded only for one (their records and SQL: 1 ms of every history read).
        from psoas_cli.history import practice, practice_records  # noqa: PLC0415

        try:
            row = practice_records.from_record(record)
        except (KeyError, TypeError, ValueError) as exc:
            return str(exc) or type(exc).__name__
        practice.write(self.file, row)
        return None

    def _save_all(self, conn: sqlite3.Connection, sessions: list[Session]) -> list[str | None]:
        """Write ``sessions`` in the transaction open on ``conn``; for each, None
        when written, else why SQLite refused it (that one alone is undone)."""
        results: list[str | None] = []
        for session in sessions:
            conn.execute("SAVEPOINT one")
            try:
                _save_in(conn, session)
            except (OverflowError, ValueError, TypeError, sqlite3.InterfaceError,
                    sqlite3.IntegrityError, sqlite3.DataError) as exc:
                conn.execute("ROLLBACK TO one")
                results.append(f"refused by the history file: {exc}")
            else:
                results.append(None)
            conn.execute("RELEASE one")
        return results

    def add_break(self, row: BreakRow) -> None:
        """Append one answer to a break reminder, on the local day of ``row.at``,
        named by a random id (and its session by the session's).

        A session counts as one break taken however many reminders saw it
        (two ``psoas remind`` on one folder each see every routine played):
        a second 'taken' row for the same session is not written."""
        values = (row.at, local_day(row.at).isoformat(), row.kind, row.due_at, row.routine,
                  row.session_id, os.urandom(16).hex(), row.session_id)
        once = (" WHERE NOT EXISTS (SELECT 1 FROM breaks WHERE kind = 'taken'"
                " AND session_id = ?)") if row.kind == "taken" and row.session_id else ""
        self.file.run(lambda conn: conn.execute(
            "INSERT INTO breaks (at, day, kind, due_at, routine, session_id, uid, session)"
            " SELECT ?, ?, ?, ?, ?, ?, ?, (SELECT token FROM sessions WHERE id = ?)" + once,
            values + ((row.session_id,) if once else ())), write=True)

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
               stretches: bool = False, rest: Collection[int] = WEEKEND,
               bridges: Collection[date] = (), listed: bool = True) -> Report:
        """The sessions of the last ``days`` days (else the ``limit`` newest), and totals;
        ``rest``: the weekdays that never break a streak, ``bridges`` more days
        that never do (a program's rest and paused days; calendar.streaks).
        ``listed=False``: the totals alone, the sessions to be read one at a
        time with ``each_session`` (there may be a million of them)."""
        today = local_day(self.now())
        self.replay()
        if not self.exists():  # looking creates nothing
            return Report(today, (), Streaks(0, 0, None), 0.0,
                          tuple((d, 0.0) for d in calendar_days(today, weeks)), 0, days)
        read_row = self._reader()

        def read(conn: sqlite3.Connection) -> Report:
            skipped[:] = [0, 0]
            rows: Iterable[Row] = ()
            if days is None:
                rows = conn.execute(_SESSIONS + " ORDER BY started_at DESC LIMIT ?", (limit,))
            elif listed:
                rows = conn.execute(_SESSIONS + _SINCE, (_since(today, days),))
            sessions = [s for s in map(read_row, rows) if s is not None]
            if stretches and sessions:
                sessions = _with_stretches(conn, sessions, skipped)
            finished = _days(conn.execute(
                "SELECT DISTINCT day FROM sessions WHERE status = 'finished'"))
            shown = calendar_days(today, weeks)
            minutes = dict(conn.execute(
                f"SELECT day, SUM({_ACTIVE}) / 60.0 FROM sessions WHERE day >= ?"
                " AND day <= ? GROUP BY day", (shown[0].isoformat(), today.isoformat())))
            calendar = tuple((d, minutes.get(d.isoformat(), 0.0)) for d in shown)
            monday = monday_of(today)
            this_week = sum(m for d, m in calendar if d >= monday)
            (total,) = conn.execute("SELECT count(*) FROM sessions").fetchone()
            return Report(today, tuple(sessions), streaks(finished, today, rest, bridges),
                          this_week,
                          calendar, total, days, _break_counts(conn, today, today),
                          _break_counts(conn, monday, today))

        skipped = read_row.skipped
        try:
            return self.file.run(read, write=False)
        finally:
            self._tell_skipped(skipped)

    def listing(self, days: int) -> Listing:
        """What laying out the sessions of the last ``days`` days needs to know
        before reading them one at a time: how many there are, and the widest
        text of each column (read without holding the sessions)."""
        if not self.exists():
            return Listing(0, (), 0.0, ())
        since = _since(local_day(self.now()), days)

        def read(conn: sqlite3.Connection) -> Listing:
            (number, most) = conn.execute(
                f"SELECT count(*), max({_ACTIVE}) FROM sessions WHERE day >= ?",
                (since,)).fetchone()
            longest: list[tuple[int, str]] = []  # a heap of the longest names, by length
            for (name,) in conn.execute("SELECT DISTINCT routine FROM sessions WHERE day >= ?",
                                        (since,)):
                if isinstance(name, str):
                    heapq.heappush(longest, (len(name), clean(name)))
                    if len(longest) > LONGEST_NAMES:
                        heapq.heappop(longest)
            statuses = tuple(clean(status) for (status,) in conn.execute(
                "SELECT DISTINCT status FROM sessions WHERE day >= ?", (since,))
                if isinstance(status, str))
            if IN_PROGRESS in statuses:
                statuses += (INTERRUPTED,)  # how one whose player is gone reads
            return Listing(number, tuple(name for _, name in longest), float(most or 0.0),
                           statuses)

        return self.file.run(read, write=False)

    def with_sessions(self, days: int, use: Callable[[Iterator[Session]], T], *,
                      stretches: bool = False) -> T | None:
        """``use(sessions)``, ``sessions`` being the sessions of the last ``days``
        days, newest first, read one at a time as ``use`` takes them (with their
        stretches, if asked): a million sessions cost the memory of one.
        ``use`` runs inside the read (the history's lock held); None when
        there is no history."""
        if not self.exists():
            return None
        since = _since(local_day(self.now()), days)
        read_row = self._reader()
        skipped = read_row.skipped

        def read(conn: sqlite3.Connection) -> T:
            skipped[:] = [0, 0]
            rows = conn.execute(_SESSIONS + _SINCE + ", id", (since,))
            if stretches:
                return use(_in_batches(conn, rows, read_row, skipped))
            return use(s for s in map(read_row, rows) if s is not None)

        try:
            return self.file.run(read, write=False)
        finally:
            self._tell_skipped(skipped)

    def break_counts(self, first: date, last: date) -> Counts:
        """Answers to break reminders from day ``first`` to ``last``, both included."""
        if not self.exists():
            return Counts()
        return self.file.run(lambda conn: _break_counts(conn, first, last), write=False)

    def played_since(self, after: float) -> list[Played]:
        """Sessions started after ``after`` that have ended with a stretch done
        (or finished), oldest first: each was a break, in whichever terminal it
        was played on this machine (those merged from others were not)."""
        if not self.exists():
            return []

        def read(conn: sqlite3.Connection) -> list[Played]:
            rows = conn.execute(
                "SELECT id, routine, started_at, ended_at FROM sessions s"
                " WHERE started_at > ? AND" + PLAYED_HERE + " ORDER BY started_at", (after,))
            played = []
            for id_, routine, started_at, ended_at in rows:
                try:
                    played.append(Played(_whole(id_), clean(text(routine, "routine")),
                                         recorded_time(started_at, "started_at"),
                                         recorded_time(ended_at, "ended_at")))
                except ValueError:
                    skipped[0] += 1
            return played

        skipped = [0, 0]
        try:
            return self.file.run(read, write=False)
        finally:
            self._tell_skipped(skipped)

    def count(self) -> int:
        """How many sessions are recorded."""
        if not self.exists():
            return 0
        return self.file.run(_count, write=False)

    def sessions(self) -> list[Session]:
        """Every session with its stretches, oldest first (for export and tests)."""
        if not self.exists():
            return []

        read_row = self._reader()

        def read(conn: sqlite3.Connection) -> list[Session]:
            skipped[:] = [0, 0]
            rows = conn.execute(_SESSIONS + " ORDER BY started_at, id")
            return _with_stretches(conn, [s for s in map(read_row, rows) if s is not None],
                                   skipped)

        skipped = read_row.skipped
        try:
            return self.file.run(read, write=False)
        finally:
            self._tell_skipped(skipped)

    def _tell_skipped(self, skipped: list[int]) -> None:
        """One line, once, on the rows a read left out: [sessions, stretches]."""
        parts = [f"{n:,} {word}{'s' if n != 1 else ''}"
                 for n, word in zip(skipped, ("session", "stretch"), strict=True) if n]
        parts = [part.replace("stretchs", "stretches") for part in parts]
        if not parts:
            return
        verb = "is" if sum(skipped) == 1 else "are"
        message = (f"{' and '.join(parts)} in {self.path} could not be read (a value out of "
                   f"range or of the wrong type), and {verb} left out")
        if message not in self._told:
            self._told.add(message)
            self.file.warn(message)

    def _reader(self) -> _RowReader:
        """Turns a row into a Session (None for a row it can't read, counted in
        ``skipped``), judging the ones still in progress (once a process,
        however many rows it has)."""
        now, here = self.now(), this_host()
        asked: dict[int, bool | None] = {}

        def alive(pid: int) -> bool | None:
            if pid not in asked:
                asked[pid] = process_alive(pid)
            return asked[pid]

        skipped = [0, 0]

        def read_row(row: Row) -> Session | None:
            try:
                session = _session(row)
            except ValueError:
                skipped[0] += 1
                return None
            if session.status != IN_PROGRESS:
                return session
            seen = session.heartbeat or session.started_at
            status = judge(session.status, seen, session.pid, session.host, now, here=here,
                           alive=alive)
            return session._replace(status=status)

        return _RowReader(read_row, skipped)


def _save_in(conn: sqlite3.Connection, session: Session) -> int:
    """Write ``session`` and its stretches in the transaction open on ``conn``."""
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


_COLUMNS = ("id", "routine", "started_at", "day", "ended_at", "status", "planned_seconds",
            "active_seconds", "token", "pid", "host", "heartbeat", "machine")
_SESSIONS = f"SELECT {', '.join(_COLUMNS)} FROM sessions"
# The sessions since a day, newest first (the covering index sessions_by_day).
_SINCE = " WHERE day >= ? ORDER BY day DESC, started_at DESC"
_BATCH = 500  # sessions whose stretches are read at once (SQLite's parameters: 999)
LONGEST_NAMES = 200  # routine names a listing's width is worked out from


def _in_batches(conn: sqlite3.Connection, rows: sqlite3.Cursor,
                read_row: Callable[[Row], Session | None],
                skipped: list[int]) -> Iterator[Session]:
    """The sessions in ``rows`` with their stretches, read a batch at a time."""
    while batch := rows.fetchmany(_BATCH):
        yield from _with_stretches(conn, [s for s in map(read_row, batch) if s is not None],
                                   skipped)


def _since(today: date, days: int) -> str:
    """The first of the last ``days`` days; any number of days back: past the
    first day of the calendar, all of them."""
    return (today - timedelta(days=min(days - 1, today.toordinal() - 1))).isoformat()


def _break_counts(conn: sqlite3.Connection, first: date, last: date) -> Counts:
    """The answers to reminders; a routine played here that none names is a break
    taken too (glance.PLAYED_UNANSWERED)."""
    days = (first.isoformat(), last.isoformat())
    rows = conn.execute("SELECT kind, count(*) FROM breaks WHERE day BETWEEN ? AND ?"
                        " GROUP BY kind", days)
    known = set(Counts._fields)
    counts = Counts(**{kind: n for kind, n in rows if kind in known})
    (played,) = conn.execute(PLAYED_UNANSWERED, days).fetchone()
    return counts._replace(taken=counts.taken + int(played or 0))


def _count(conn: sqlite3.Connection) -> int:
    (count,) = conn.execute("SELECT count(*) FROM sessions").fetchone()
    return int(count)


class _RowReader:
    """A row reader that counts the rows it could not read: [sessions, stretches]."""

    def __init__(self, read: Callable[[Row], Session | None], skipped: list[int]) -> None:
        self.read = read
        self.skipped = skipped

    def __call__(self, row: Row) -> Session | None:
        return self.read(row)


# Seconds played that count in the calendar's sums: a number in range, else none.
_ACTIVE = ("CASE WHEN typeof(active_seconds) IN ('integer', 'real') AND active_seconds"
           f" BETWEEN 0 AND {limits.RECORDED_SECONDS.high:g} THEN active_seconds ELSE 0 END")


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not a whole number")
    return value


def _days(rows: Iterable[tuple[Any, ...]]) -> list[date]:
    """The days in ``rows`` that are days: anything else is no day."""
    found = []
    for (day,) in rows:
        try:
            found.append(recorded_day(day, "day"))
        except ValueError:
            pass
    return found


def _session(row: Row) -> Session:
    """The session in a row of the file; ValueError for a value psoas did not
    write there (text for a time, a time past the year 3000, no day)."""
    id_, routine, started_at, day, ended_at, status, planned, active, *who = row
    token, pid, host, heartbeat, machine = who
    # The file may come from anywhere: what it names is shown as text, never as
    # terminal control.
    return Session(routine=clean(text(routine, "routine")),
                   started_at=recorded_time(started_at, "started_at"),
                   status=clean(text(status, "status")),
                   planned_seconds=recorded_seconds(planned, "planned_seconds"),
                   active_seconds=recorded_seconds(active, "active_seconds"),
                   ended_at=None if ended_at is None else recorded_time(ended_at, "ended_at"),
                   id=_whole(id_), day=recorded_day(day, "day"),
                   token=None if token is None else text(token, "token"),
                   pid=None if pid is None else process_id(pid, "pid"),
                   host=None if host is None else text(host, "host"),
                   heartbeat=None if heartbeat is None else recorded_time(heartbeat,
                                                                          "heartbeat"),
                   machine=None if machine is None else text(machine, "machine"))


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
    " heartbeat = excluded.heartbeat, pushed = NULL WHERE sessions.status = 'in progress'")
# (pushed = NULL: a session written to the sync folder as its player seemed gone,
# and that ends after all, is written there again.)


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
    return int(session_id)


def _with_stretches(conn: sqlite3.Connection, sessions: list[Session],
                    skipped: list[int]) -> list[Session]:
    """``sessions`` with their stretches; a stretch row psoas can't read is left
    out, and counted in ``skipped[1]``."""
    # Sessions read from the file all have their id: None only to the checker.
    found: dict[int | None, list[StretchRecord]] = {s.id: [] for s in sessions}
    ids = list(found)
    for start in range(0, len(ids), 500):  # stay under SQLite's limit on parameters
        chunk = ids[start:start + 500]
        rows = conn.execute(
            "SELECT session_id, position, slug, name, status, held_seconds, planned_seconds"
            f" FROM stretches WHERE session_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY session_id, position", chunk)
        for session_id, *fields in rows:
            try:
                found[session_id].append(stretch_record(fields))
            except ValueError:
                skipped[1] += 1
    return [s._replace(stretches=tuple(found[s.id])) for s in sessions]
