"""The history's SQLite file: opening it safely, its schema, and setting it aside.

Pure Python: the standard library's sqlite3 only.  The file is opened in
WAL mode with a busy timeout, so two players can record at once and
``psoas history`` never blocks them; each piece of work is one short
transaction.

Nothing a user saved is ever deleted.  A file SQLite cannot read is moved
aside with a timestamp (its ``-wal`` and ``-shm`` files with it) and a new
one is started; ``clear`` moves the file aside the same way.

Something other than a regular file where the history should be (a FIFO,
a device, a directory) is refused before anything opens it, as opening a
FIFO would block for ever.  Reading falls back to a read-only open, so the
history can be read from a read-only folder or a full disk.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from psoas_cli.errors import HistoryBusy, HistoryError

T = TypeVar("T")  # what a piece of work on the file returns

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
    (  # 3: who is recording a session, so one whose player died reads 'interrupted'
        "ALTER TABLE sessions ADD COLUMN token TEXT",  # random; names a session in the journal
        "ALTER TABLE sessions ADD COLUMN pid INTEGER",  # the player's process
        "ALTER TABLE sessions ADD COLUMN host TEXT",  # ... on this machine
        "ALTER TABLE sessions ADD COLUMN heartbeat REAL",  # unix time of its last sign of life
        "CREATE UNIQUE INDEX sessions_by_token ON sessions (token)",
    ),
    (  # 4: self-tests (psoas test) and check-ins, each row named by a random uid, so
       # histories kept apart can be exported and merged without two rows colliding
        """CREATE TABLE tests (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,                 -- random: names the test anywhere
            slug TEXT NOT NULL,                       -- tests.yaml: 'thomas', ...
            started_at REAL NOT NULL,                 -- unix time
            day TEXT NOT NULL,                        -- local YYYY-MM-DD of the start
            status TEXT NOT NULL,                     -- 'finished' or 'stopped'
            version INTEGER NOT NULL                  -- tests.yaml's, for its scores
        )""",
        """CREATE TABLE test_sides (
            uid TEXT NOT NULL UNIQUE,
            test_id INTEGER NOT NULL,                 -- tests.id (no foreign key, as
                                                      -- breaks.session_id)
            side TEXT NOT NULL,                       -- 'right' or 'left'
            score INTEGER,                            -- NULL: a scored question skipped
            hurt INTEGER NOT NULL DEFAULT 0,          -- 1: "did anything hurt?" yes
            PRIMARY KEY (test_id, side)
        ) WITHOUT ROWID""",
        """CREATE TABLE test_answers (
            uid TEXT NOT NULL UNIQUE,
            test_id INTEGER NOT NULL,
            side TEXT NOT NULL,
            question TEXT NOT NULL,                   -- tests.yaml question id
            position INTEGER NOT NULL,                -- its place in the test, from 0
            answer TEXT,                              -- its answer id; NULL: can't tell
            score INTEGER,                            -- that answer's score then
            PRIMARY KEY (test_id, side, question)
        ) WITHOUT ROWID""",
        """CREATE TABLE checkins (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            at REAL NOT NULL,                         -- unix time of the answer
            day TEXT NOT NULL,                        -- local YYYY-MM-DD of at
            session TEXT,                             -- sessions.token of its routine
            moment TEXT NOT NULL,                     -- 'before' or 'after'
            item TEXT NOT NULL,                       -- 'hips', 'hip-right', 'hip-left',
                                                      -- 'back'
            value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10)
        )""",
        """CREATE TABLE checkin_lines (                -- the calm lines given: remembered
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            at REAL NOT NULL,
            day TEXT NOT NULL,
            session TEXT,
            line TEXT NOT NULL,                       -- checkins.yaml line id
            item TEXT NOT NULL,                       -- the item it is about
            value_before INTEGER,                     -- the values it quoted
            value_after INTEGER
        )""",
        "CREATE INDEX tests_by_day ON tests (day, slug)",
        "CREATE INDEX checkins_by_day ON checkins (day, moment, item)",
        "CREATE INDEX checkin_lines_by_day ON checkin_lines (day)",
    ),
    (  # 5: rows that travel (export, import, sync): each named by a random id anywhere,
       # tagged with the machine it was recorded on, and marked once in the sync folder
        "ALTER TABLE sessions ADD COLUMN machine TEXT",  # its machine's id; NULL: recorded
                                                         # here and not yet exported or synced
        "ALTER TABLE sessions ADD COLUMN pushed INTEGER",  # 1: in the sync folder, or came
                                                           # from elsewhere; NULL: to write
        "UPDATE sessions SET token = lower(hex(randomblob(16))) WHERE token IS NULL",
        "CREATE INDEX sessions_to_push ON sessions (id) WHERE pushed IS NULL",
        "ALTER TABLE breaks ADD COLUMN uid TEXT",  # random: names the row anywhere
        "ALTER TABLE breaks ADD COLUMN session TEXT",  # the token of session_id's session
        "ALTER TABLE breaks ADD COLUMN machine TEXT",
        "ALTER TABLE breaks ADD COLUMN pushed INTEGER",
        "UPDATE breaks SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL",
        "UPDATE breaks SET session = (SELECT token FROM sessions"
        " WHERE sessions.id = breaks.session_id) WHERE session_id IS NOT NULL",
        "CREATE UNIQUE INDEX breaks_by_uid ON breaks (uid)",
        "CREATE INDEX breaks_to_push ON breaks (id) WHERE pushed IS NULL",
        "ALTER TABLE tests ADD COLUMN machine TEXT",  # as sessions.machine
        "ALTER TABLE tests ADD COLUMN pushed INTEGER",
        "CREATE INDEX tests_to_push ON tests (id) WHERE pushed IS NULL",
        "ALTER TABLE checkins ADD COLUMN machine TEXT",
        "ALTER TABLE checkins ADD COLUMN pushed INTEGER",
        "CREATE INDEX checkins_to_push ON checkins (id) WHERE pushed IS NULL",
        "ALTER TABLE checkin_lines ADD COLUMN machine TEXT",
        "ALTER TABLE checkin_lines ADD COLUMN pushed INTEGER",
        "CREATE INDEX checkin_lines_to_push ON checkin_lines (id) WHERE pushed IS NULL",
        """CREATE TABLE machines (                     -- the names of the machines seen
            id TEXT PRIMARY KEY,                      -- machine.json's id on that machine
            name TEXT NOT NULL                        -- its host name, when it last said
        ) WITHOUT ROWID""",
        """CREATE TABLE sync_files (                   -- how far each file of a sync folder
            folder TEXT NOT NULL,                     -- has been merged: unchanged files
            name TEXT NOT NULL,                       -- are skipped, grown ones read from
            machine TEXT,                             -- where they were left
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            offset INTEGER NOT NULL,                  -- bytes merged (whole lines)
            line INTEGER NOT NULL,                    -- lines merged
            mark TEXT NOT NULL,                       -- the bytes before offset, in hex: a
                                                      -- file replaced by another is read anew
            wrote REAL,                               -- the last write it records
            problems TEXT,                            -- lines that could not be read
            PRIMARY KEY (folder, name)
        ) WITHOUT ROWID""",
    ),
    (  # 6: programs (psoas program): what happened in each run, the rest derived from it
       # and from the sessions, check-ins and tests it points at (practice/program.py)
        """CREATE TABLE program_events (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,                 -- random: names the event anywhere
            run TEXT NOT NULL,                        -- the uid of the run's start event
            kind TEXT NOT NULL,                       -- 'start', 'session', 'hurt',
                                                      -- 'resume' or 'stop'
            at REAL NOT NULL,                         -- unix time
            day TEXT NOT NULL,                        -- local YYYY-MM-DD of at
            program TEXT,                             -- start: the program's name
            stamp TEXT,                               -- start: its plan then, in short
            session TEXT,                             -- session: sessions.token
            remind INTEGER NOT NULL DEFAULT 0,        -- session: a break of psoas remind
            sharp INTEGER NOT NULL DEFAULT 0,         -- hurt: sharp pain, numbness or
                                                      -- tingling
            machine TEXT,                             -- as sessions.machine (sync)
            pushed INTEGER                            -- as sessions.pushed
        )""",
        "CREATE INDEX program_events_by_run ON program_events (run, day)",
        "CREATE INDEX program_events_to_push ON program_events (id) WHERE pushed IS NULL",
    ),
]


# -- checks -----------------------------------------------------------------

def _is_damaged(exc: sqlite3.Error) -> bool:
    """True for 'file is not a database' and 'database disk image is malformed'."""
    if isinstance(exc, (sqlite3.OperationalError, sqlite3.IntegrityError)):
        return False  # locked, read-only, disk full, a bad write: the file is fine
    if sys.version_info >= (3, 11):  # SQLite's error codes; not on an error psoas raises
        code = getattr(exc, "sqlite_errorcode", None)
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


def _use_wal(conn: sqlite3.Connection, wait: float) -> None:
    """Switch the file to WAL, once; retried, as SQLite reports a busy switch at once."""
    if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _is_busy(exc: sqlite3.Error) -> bool:
    if sys.version_info >= (3, 11):  # as in _is_damaged
        code = getattr(exc, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


# SQLite's locks on a file are POSIX locks, which belong to the process:
# closing any descriptor of the file, on any thread, drops them all.  So
# _foreign reads the header only while no connection of this process has that
# file open, under a lock that keeps one from opening meanwhile.
_OPEN_HERE: dict[tuple[int, int], int] = {}
_OPEN_LOCK = threading.RLock()


def _foreign(path: str) -> bool:
    """True when the file at ``path`` has something other than SQLite's header."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False  # missing, or let SQLite say what is wrong
    try:
        head = os.read(fd, len(SQLITE_HEADER))
    except OSError:
        return False
    finally:
        os.close(fd)
    return bool(head) and head != SQLITE_HEADER


def check_regular(path: str) -> None:
    """Refuse anything but a regular file (or nothing) at ``path``, without opening it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):  # else it would read as no history at all
            raise HistoryError(f"cannot use {path}: it is a link to nothing; move it out "
                               "of the way") from None
        return
    except OSError as exc:
        raise HistoryError(f"cannot use {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        what = "a directory" if stat.S_ISDIR(mode) else \
            "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "not a regular file"
        raise HistoryError(f"cannot use {path}: it is {what}; move it out of the way")


def _read_only_uri(path: str, immutable: bool) -> str:
    from urllib.parse import quote  # noqa: PLC0415 - read-only folder or full disk only: 2.5 ms

    return f"file:{quote(path)}?mode=ro" + ("&immutable=1" if immutable else "")


def _never_made(conn: sqlite3.Connection) -> bool:
    """Whether the file holds no tables at all: one begun as a disk filled (or
    a file of nothing), which holds no history."""
    (tables,) = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return int(tables) == 0


def _on_nothing(work: Callable[[sqlite3.Connection], T]) -> T:
    """``work`` on a history with nothing in it: an empty one made in memory,
    so a file that was never made reads as no history, as no file does."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn)
        conn.execute("BEGIN")
        return work(conn)
    finally:
        conn.close()


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
                 trace: Callable[[str], None] | None = None,
                 busy_timeout: float = BUSY_TIMEOUT_MS / 1000) -> None:
        self.folder = os.fspath(folder)
        self.path = os.path.join(self.folder, FILE_NAME)
        self.warn = warn or (lambda message: None)
        self.told: set[str] = set()  # lines said of rows left out (rowcheck.py)
        self.now = now
        self.trace = trace
        self.busy_timeout = busy_timeout
        # Called with the old connection when another psoas moved the file
        # aside (history --clear), before it is closed.
        self.left_behind: Callable[[sqlite3.Connection], None] = lambda conn: None
        self._conn: sqlite3.Connection | None = None
        self._opened: tuple[int, int] | None = None  # the file _conn has open
        self._registered: tuple[int, int] | None = None  # ... as counted in _OPEN_HERE
        self._lock = threading.Lock()

    def exists(self) -> bool:
        """Whether there is anything at the path: a link to nothing, or a loop of
        links, too, so that it is refused rather than read as no history."""
        return os.path.lexists(self.path)

    def close(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        with _OPEN_LOCK:
            try:
                conn.close()
            except sqlite3.Error:
                pass
            if self._registered is not None:
                _OPEN_HERE[self._registered] -= 1
                if not _OPEN_HERE[self._registered]:
                    del _OPEN_HERE[self._registered]
                self._registered = None

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

    def run(self, work: Callable[[sqlite3.Connection], T], *, write: bool) -> T:
        """Do ``work`` in one transaction; a damaged file is moved aside and work redone.

        Raises HistoryBusy when another process holds the lock for longer
        than the busy timeout.  Reading that fails for want of write access
        (a read-only folder, a full disk) is done again on a read-only open.
        """
        with self._lock:
            try:
                return self._attempt(work, write)
            except sqlite3.Error as exc:
                if _is_busy(exc):
                    raise HistoryBusy(f"cannot use {self.path}: {_one_line(exc)}") from exc
                if not _is_damaged(exc):
                    if not write and isinstance(exc, sqlite3.OperationalError):
                        return self._read_only(work, exc)
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

    def _attempt(self, work: Callable[[sqlite3.Connection], T], write: bool) -> T:
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

    def _read_only(self, work: Callable[[sqlite3.Connection], T], first: sqlite3.Error) -> T:
        """``work`` on a read-only open; as immutable if SQLite cannot even make
        its shared-memory file (a read-only folder, a full disk)."""
        for immutable in (False, True):
            try:
                conn = sqlite3.connect(_read_only_uri(self.path, immutable), uri=True,
                                       isolation_level=None, timeout=self.busy_timeout)
            except sqlite3.Error:
                continue
            try:
                conn.set_trace_callback(self.trace)
                if _check_version(conn, len(MIGRATIONS)) < len(MIGRATIONS):
                    if _never_made(conn):
                        return _on_nothing(work)
                    raise HistoryError(f"{self.path} needs an upgrade to be read, which "
                                       f"can't be done now: {_one_line(first)}")
                conn.execute("BEGIN")
                return work(conn)
            except sqlite3.OperationalError:
                continue
            except sqlite3.Error as exc:
                raise HistoryError(f"cannot read {self.path}: {_one_line(exc)}") from exc
            finally:
                conn.close()
        raise HistoryError(f"cannot use {self.path}: {_one_line(first)}") from first

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            if _identity(self.path) == self._opened:
                return self._conn
            try:  # set aside (cleared) since: write to the file now there
                self.left_behind(self._conn)
            finally:
                self.close()
        self._opened = _identity(self.path)
        try:
            os.makedirs(self.folder, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"cannot create {self.folder}: {exc.strerror or exc}") from exc
        for suffix in ("", "-wal", "-shm"):
            check_regular(self.path + suffix)
        with _OPEN_LOCK:
            identity = _identity(self.path)
            opened_here = identity is not None and _OPEN_HERE.get(identity)
            if not opened_here and _foreign(self.path):
                # Refused before SQLite opens it: closing a connection to such a file
                # would delete the -wal file beside it, which may be all that is left.
                raise sqlite3.DatabaseError("file is not a database")
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout,
                                   isolation_level=None, check_same_thread=False)
            conn.set_trace_callback(self.trace)
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
                _check_version(conn, len(MIGRATIONS))  # the first read: fails on damage
                _use_wal(conn, self.busy_timeout)
                # A committed stretch survives a power loss.
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                migrate(conn)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
            self._opened = self._registered = _identity(self.path)
            if self._registered is not None:
                _OPEN_HERE[self._registered] = _OPEN_HERE.get(self._registered, 0) + 1
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
    version = _user_version(conn)
    if version == len(steps):
        return version
    if version < len(steps):
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _user_version(conn)  # another may have won
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


def _user_version(conn: sqlite3.Connection) -> int:
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    return int(version)  # SQLite's user_version is an integer


def _check_version(conn: sqlite3.Connection, known: int) -> int:
    version = _user_version(conn)
    if version > known:
        raise HistoryError(f"the history file was written by a newer psoas (schema {version};"
                           f" this one knows up to {known}); upgrade psoas to read it")
    return version


