"""Session history in SQLite: recording sessions, reading them back, streaks.

Pure Python: the standard library's sqlite3 only, no Click, no Rich.

One file, ``history.db``, lives in a folder the caller chooses (the CLI
passes ``App.home()``).  The file is opened in WAL mode with a busy timeout,
so two players can record at once and ``psoas history`` never blocks them;
every write is its own short transaction, committed at once, so a player
killed outright loses at most the stretch it was in.

Nothing a user saved is ever deleted.  A file SQLite cannot read is moved
aside with a timestamp (its ``-wal`` and ``-shm`` files with it), a new one
is started, and the caller's ``warn`` is told where the old one went.
``clear`` moves the file aside the same way.

Days are the user's local days (``time.localtime``); a session counts on the
day it started, even if it ends after midnight.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterable, Sequence

from .errors import PsoasError

FILE_NAME = "history.db"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another player's write
RECENT = 10  # sessions listed when no --days is given
WEEKS = 12  # columns of the calendar

IN_PROGRESS, FINISHED, STOPPED = "in progress", "finished", "stopped"
UNFINISHED = "unfinished"  # how an in-progress row reads once its player is gone

# Each step takes the file from version N to N+1 (the list index + 1) and is
# applied, with the new PRAGMA user_version, inside one transaction.  Append
# steps; never edit one that has shipped.
MIGRATIONS: list[tuple[str, ...]] = [
    (  # 1: sessions, the stretches in them, and the indexes history needs
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            routine TEXT NOT NULL,
            started_at REAL NOT NULL,                 -- unix time
            day TEXT NOT NULL,                        -- local YYYY-MM-DD of the start
            ended_at REAL,                            -- NULL until the routine ends
            status TEXT NOT NULL DEFAULT 'in progress',  -- or 'finished', 'stopped'
            planned_seconds REAL NOT NULL DEFAULT 0,
            active_seconds REAL NOT NULL DEFAULT 0    -- pauses left out
        )""",
        """CREATE TABLE stretches (
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            position INTEGER NOT NULL,                -- place in the routine, from 0
            slug TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL,                     -- 'done' or 'skipped'
            held_seconds REAL NOT NULL,
            planned_seconds REAL NOT NULL,
            PRIMARY KEY (session_id, position)
        ) WITHOUT ROWID""",
        "CREATE INDEX sessions_by_start ON sessions (started_at)",
        "CREATE INDEX sessions_by_day ON sessions (day, started_at, active_seconds)",
        "CREATE INDEX finished_days ON sessions (day) WHERE status = 'finished'",
    ),
]


class HistoryError(PsoasError):
    """The history file cannot be opened, read or written."""


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


# -- the file -----------------------------------------------------------------

def _is_damaged(exc: sqlite3.Error) -> bool:
    """True for 'file is not a database' and 'database disk image is malformed'."""
    if isinstance(exc, (sqlite3.OperationalError, sqlite3.IntegrityError)):
        return False  # locked, read-only, disk full, a bad write: the file is fine
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    text = str(exc)
    return isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text
                                                       or "malformed" in text)


def _identity(path: str) -> tuple[int, int] | None:
    """Which file is at ``path`` now (device, inode), so a renamed one is noticed."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL, once; retried, as SQLite reports a busy switch at once."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _is_busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _foreign(path: str) -> bool:
    """True when the file at ``path`` has something other than SQLite's header."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    except OSError:
        return False  # let SQLite say what is wrong
    return bool(head) and head != SQLITE_HEADER


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class History:
    """The history file in ``folder``; opened on first use, safe to share.

    ``warn`` receives one line when a damaged file is moved aside; ``now``
    (unix time) decides what "today" is.
    """

    def __init__(self, folder: str | os.PathLike[str], *,
                 warn: Callable[[str], None] | None = None,
                 now: Callable[[], float] = time.time) -> None:
        self.folder = os.fspath(folder)
        self.path = os.path.join(self.folder, FILE_NAME)
        self.warn = warn or (lambda message: None)
        self.now = now
        self._conn: sqlite3.Connection | None = None
        self._opened: tuple[int, int] | None = None  # the file _conn has open
        self._lock = threading.Lock()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.close()
            except sqlite3.Error:
                pass

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

        return self._run(write, write=True)

    def create(self) -> None:
        """Make the folder and the file, with the newest schema, if they are missing."""
        self._run(lambda conn: None, write=False)

    def clear(self) -> str | None:
        """Move the history aside to a dated file and return its path (None if no file)."""
        with self._lock:
            if not self.exists():
                return None
            try:  # fold the WAL into the file so the backup stands alone
                self._connect().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except (sqlite3.Error, HistoryError):
                pass  # a damaged file is moved as it is, -wal and all
            return self._move_aside("")

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
                          calendar, total, days)

        return self._run(read, write=False)

    def count(self) -> int:
        """How many sessions are recorded."""
        if not self.exists():
            return 0
        return self._run(lambda conn: conn.execute("SELECT count(*) FROM sessions")
                         .fetchone()[0], write=False)

    def sessions(self) -> list[Session]:
        """Every session with its stretches, oldest first (for export and tests)."""
        if not self.exists():
            return []

        def read(conn: sqlite3.Connection) -> list[Session]:
            rows = conn.execute(_SESSIONS + " ORDER BY started_at, id")
            return _with_stretches(conn, [_session(row) for row in rows])

        return self._run(read, write=False)

    # -- the machinery --

    def _run(self, work: Callable[[sqlite3.Connection], Any], *, write: bool) -> Any:
        """Do ``work`` in one transaction; a damaged file is moved aside and work redone."""
        with self._lock:
            try:
                return self._attempt(work, write)
            except sqlite3.Error as exc:
                if not _is_damaged(exc):
                    raise HistoryError(f"cannot use {self.path}: {_one_line(exc)}") from exc
                reason = _one_line(exc)
            if _identity(self.path) == self._opened:
                moved = self._move_aside("damaged-")
                self.warn(f"the history file could not be read ({reason}); moved it to "
                          f"{moved} and started a new one")
            else:  # another psoas has already set it aside; use the new one
                self.close()
            try:
                return self._attempt(work, write)
            except sqlite3.Error as exc:
                raise HistoryError(f"cannot use {self.path}: {_one_line(exc)}") from exc

    def _attempt(self, work: Callable[[sqlite3.Connection], Any], write: bool) -> Any:
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            result = work(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise
        return result

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            if _identity(self.path) == self._opened:
                return self._conn
            self.close()  # set aside (cleared) since: write to the file now there
        self._opened = _identity(self.path)
        try:
            os.makedirs(self.folder, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"cannot create {self.folder}: {exc.strerror or exc}") from exc
        if _foreign(self.path):
            # Refused before SQLite opens it: closing a connection to such a file
            # would delete the -wal file beside it, which may be all that is left.
            raise sqlite3.DatabaseError("file is not a database")
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _check_version(conn, len(MIGRATIONS))  # the first read: fails on damage
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")  # a committed stretch survives power loss
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        self._opened = _identity(self.path)
        return conn

    def _move_aside(self, label: str) -> str:
        """Rename the file (and its -wal, -shm) to a new dated name; returns it."""
        self.close()
        stamp = time.strftime("%Y-%m-%d-%H%M%S", time.localtime(self.now()))
        target = os.path.join(self.folder, f"history-{label}{stamp}.db")
        n = 1
        while any(os.path.exists(target + s) for s in ("", "-wal", "-shm")):
            n += 1
            target = os.path.join(self.folder, f"history-{label}{stamp}-{n}.db")
        try:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(self.path + suffix):
                    os.rename(self.path + suffix, target + suffix)
        except OSError as exc:
            raise HistoryError(f"cannot move {self.path} aside: {exc.strerror or exc}") from exc
        return target


def migrate(conn: sqlite3.Connection, steps: Sequence[Sequence[str]] | None = None) -> int:
    """Bring the file up to the newest schema; returns its version.

    Takes the write lock first, so two players opening a new file at once
    create the tables once.  A file from a newer psoas is refused, not touched.
    """
    steps = MIGRATIONS if steps is None else steps
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version == len(steps):
        return version
    if version < len(steps):
        conn.execute("BEGIN IMMEDIATE")
        try:
            (version,) = conn.execute("PRAGMA user_version").fetchone()  # another may have won
            for number in range(version + 1, len(steps) + 1):
                for statement in steps[number - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return _check_version(conn, len(steps))


def _check_version(conn: sqlite3.Connection, known: int) -> int:
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version > known:
        raise HistoryError(f"the history file was written by a newer psoas (schema {version};"
                           f" this one knows up to {known}); upgrade psoas to read it")
    return version


_SESSIONS = ("SELECT id, routine, started_at, day, ended_at, status, planned_seconds,"
             " active_seconds FROM sessions")


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
