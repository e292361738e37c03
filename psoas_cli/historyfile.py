"""The history's SQLite file: opening it safely, its schema, and setting it aside.

Pure Python: the standard library's sqlite3 only.  The file is opened in
WAL mode with a busy timeout, so two players can record at once and
``psoas history`` never blocks them; each piece of work is one short
transaction.

Nothing a user saved is ever deleted.  A file SQLite cannot read is moved
aside with a timestamp (its ``-wal`` and ``-shm`` files with it) and a new
one is started; ``clear`` moves the file aside the same way.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from typing import Any, Callable, Sequence

from .errors import HistoryError

FILE_NAME = "history.db"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another player's write

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
    (  # break reminders (psoas remind): one row for each answer, never updated
        """CREATE TABLE breaks (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,                         -- unix time of the event
            day TEXT NOT NULL,                        -- local YYYY-MM-DD of at
            kind TEXT NOT NULL,                       -- 'offered', 'taken', 'snoozed',
                                                      -- 'skipped' or 'missed'
            due_at REAL,                              -- when the break came due; NULL
                                                      -- for one taken early
            routine TEXT NOT NULL,
            session_id INTEGER                        -- taken: the session it played, if
                                                      -- recorded (no foreign key: a
                                                      -- cleared history keeps no sessions)
        )""",
        "CREATE INDEX breaks_by_day ON breaks (day, kind)",
    ),
]


# -- checks -----------------------------------------------------------------

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


class HistoryFile:
    """The file ``history.db`` in ``folder``; opened on first use, safe to share
    between threads.

    ``warn`` receives one line when a damaged file is moved aside; ``now``
    (unix time) dates the names of files set aside; ``trace``, if given,
    receives every SQL statement run (tests read the query plans with it).
    """

    def __init__(self, folder: str | os.PathLike[str], *,
                 warn: Callable[[str], None] | None = None,
                 now: Callable[[], float] = time.time,
                 trace: Callable[[str], None] | None = None) -> None:
        self.folder = os.fspath(folder)
        self.path = os.path.join(self.folder, FILE_NAME)
        self.warn = warn or (lambda message: None)
        self.now = now
        self.trace = trace
        self._conn: sqlite3.Connection | None = None
        self._opened: tuple[int, int] | None = None  # the file _conn has open
        self._lock = threading.Lock()

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def set_aside(self) -> str | None:
        """Move the file aside to a dated name and return it (None if there is no file)."""
        with self._lock:
            if not self.exists():
                return None
            try:  # fold the WAL into the file so the backup stands alone
                self._connect().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except (sqlite3.Error, HistoryError):
                pass  # a damaged file is moved as it is, -wal and all
            return self._move_aside("")

    # -- the machinery --

    def run(self, work: Callable[[sqlite3.Connection], Any], *, write: bool) -> Any:
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
        conn.set_trace_callback(self.trace)
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


