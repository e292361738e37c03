"""The history when it is locked, unwritable, not a file, or its player gone.

The timer never waits on the database: a routine ends on time while another
process holds the history locked, and its session is written once the lock
ends, or kept in the journal and written by the next psoas.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from psoas_cli.files import datafiles
from psoas_cli.history import journal as history_journal
from psoas_cli.history.liveness import HEARTBEAT_SECONDS, STALE_SECONDS, STOPPED_FOR_LONG, judge
from psoas_cli.history.recorder import Recorder
from psoas_cli.history.records import IN_PROGRESS, INTERRUPTED, new_session
from psoas_cli.history.store import History
from psoas_cli.history.writer import BUSY_SECONDS, RETRY_SECONDS, HistoryWriter
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.play.engine import Engine
from psoas_cli.play.events import Listeners, Outcome, StretchResult, Summary

from .fakes import FakeClock, ThreadClock, deadline

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path):
    home = tmp_path / "home"
    History(home).create()
    return home


@contextmanager
def locked(folder: Path):
    """Another process's write lock on the history, as BEGIN EXCLUSIVE takes it."""
    conn = sqlite3.connect(folder / "history.db", isolation_level=None,
                           check_same_thread=False)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def short_plan():
    """Camel, 0.2 s to get ready and one 1 s hold: 1.2 s in all."""
    cat = datafiles.load_catalogue()
    routine = Routine("locked", "", "low", "low", Pauses(),
                      (Item(cat.find("camel"), hold=1, reps=1, setup=0.2),))
    return timeline.build(routine)


def waiting_on(clock: ThreadClock, recorder: Recorder) -> Recorder:
    """``recorder``, its writer waiting on the fake ``clock`` rather than the real one."""
    recorder._writer = HistoryWriter(recorder.folder, clock=recorder.clock,
                                     monotonic=clock.now, wait=clock.wait)
    return recorder


def test_a_routine_ends_on_time_while_the_history_is_locked(folder):
    from psoas_cli.ui.player.plain import PlainPlayer

    plan = short_plan()
    clock, waits = FakeClock(), ThreadClock()
    recorder = waiting_on(waits, Recorder(folder, plan.routine, plan.planned))
    with locked(folder) as lock, open(os.devnull, "w") as sink:
        started = time.monotonic()
        summary = Engine(plan, Listeners([PlainPlayer(sink), recorder]), now=clock.now,
                         wait=clock.wait).run()
        returned = time.monotonic() - started
        waits.wait_until_parked()  # the writer found the lock, and waits to try again
        assert waits.timeouts == [RETRY_SECONDS]
        assert History(folder).count() == 0  # nothing could be written meanwhile
        lock.execute("ROLLBACK")  # the lock ends
        waits.advance(RETRY_SECONDS)
        assert recorder.finish(timeout=5) is None  # ... and the writer writes it all
    assert summary.outcome is Outcome.FINISHED
    assert summary.elapsed == pytest.approx(plan.planned)
    assert returned < BUSY_SECONDS  # no listener call waited on the lock
    (session,) = History(folder).sessions()
    assert (session.routine, session.status, len(session.stretches)) == ("locked", "finished", 1)
    assert not history_journal.pending(str(folder))


def play_quickly(folder: Path, waits: ThreadClock | None = None,
                 **recorder_options) -> Recorder:
    """A routine on a fake clock, recorded, not yet finished; its writer waits on
    ``waits`` if given."""
    plan = short_plan()
    clock = FakeClock()
    recorder = Recorder(folder, plan.routine, plan.planned, **recorder_options)
    if waits is not None:
        waiting_on(waits, recorder)
    Engine(plan, recorder, now=clock.now, wait=clock.wait).run()
    return recorder


def test_a_lock_that_outlasts_the_wait_leaves_the_session_in_the_journal(folder, run):
    # The writer's retries and finish's 0.3 s pass on the fake clock, at once.
    waits = ThreadClock(at_once=60)
    with locked(folder):
        recorder = play_quickly(folder, waits)
        journal = recorder.finish(timeout=0.3)
        assert journal == str(folder / history_journal.JOURNAL)
        assert History(folder).count() == 0
    # The abandoned writer may still be inside SQLite's own wait for the lock; a
    # process would have exited with it, a test thread lingers: let it end first.
    thread = recorder.writer._thread
    if thread is not None:
        thread.join(10)
    result = run("history", env={"PSOAS_HOME": str(folder)})  # the next psoas writes it
    assert result.exit_code == 0, result.output
    assert "locked  " in result.output and "finished" in result.output
    assert History(folder).count() == 1
    assert not os.path.exists(journal)


def test_replaying_the_journal_twice_writes_each_session_once(folder):
    session = new_session("twice", time.time(), status="finished", token="t-1")
    history_journal.append(str(folder), [session.as_record(), session.as_record()])
    history_journal.append(str(folder), [{"not": "a session"}])
    with open(history_journal.path_in(str(folder)), "a") as journal:
        journal.write("not even JSON\n")
    assert History(folder).replay() == 4
    assert [s.routine for s in History(folder).sessions()] == ["twice"]
    assert not history_journal.pending(str(folder))


def test_a_finished_session_is_never_reopened_by_a_late_copy(folder):
    with History(folder) as store:
        start = new_session("late", time.time(), token="t-2")
        store.save(new_session("late", start.started_at, status="stopped", token="t-2",
                           active_seconds=50))
        store.save(start)  # an older snapshot, from a journal say
        (session,) = store.sessions()
    assert (session.status, session.active_seconds) == ("stopped", 50)


def test_a_history_that_cannot_be_written_keeps_the_session_and_says_so(folder, monkeypatch):
    from psoas_cli.history import store as history_store

    def refuse(self, session):
        raise history_store.HistoryError(
            "cannot use history.db: attempt to write a readonly database")

    monkeypatch.setattr(History, "save", refuse)
    warnings = []
    journal = play_quickly(folder, warn=warnings.append).finish(timeout=1)
    assert warnings == [
        "history is off for this run: cannot use history.db: attempt to write a readonly "
        "database",
        f"this session is kept in {journal}, to be written to the history when it can be"]
    monkeypatch.undo()
    assert History(folder).replay() == 1 and History(folder).count() == 1


# -- not a file ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["history.db", "history.db-wal", history_journal.JOURNAL])
def test_a_fifo_where_the_history_should_be_is_refused_without_blocking(tmp_path, run, name):
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / name)
    warnings = []
    with deadline(10):
        journal = play_quickly(home, warn=warnings.append).finish(timeout=2)
        result = run("history", env={"PSOAS_HOME": str(home)})
    if name == history_journal.JOURNAL:  # the history is fine; the journal is not read
        assert warnings == [] and journal is None and result.exit_code == 0
        assert History(home).count() == 1
        return
    assert warnings[0] == (f"history is off for this run: cannot use {home / name}: it is a "
                           f"named pipe (FIFO); move it out of the way")
    if name == "history.db":
        assert result.output == (f"Error: cannot use {home / name}: it is a named pipe (FIFO);"
                                 f" move it out of the way\n")
    else:  # no history.db yet: nothing to read, and nothing opened
        assert result.exit_code == 0


# -- read-only and full ---------------------------------------------------------------------

HISTORY = [sys.executable, "-m", "psoas_cli", "history", "--days", "2"]


def with_history(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    with History(home) as store:  # closed, so the WAL is folded in and removed
        store.save(new_session("desk", time.time() - 60, status="finished", active_seconds=60))
    return home


def run_psoas(command, home: Path, preexec=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PSOAS_HOME": str(home), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=30,
                          preexec_fn=preexec)


@pytest.mark.slow  # a fresh Python
def test_history_reads_a_full_disk(tmp_path):
    home = with_history(tmp_path)

    def full():  # no file may grow: SQLite cannot make its -shm or -wal files
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    done = run_psoas(HISTORY, home, preexec=full)
    assert done.returncode == 0, done.stderr
    assert " desk " in done.stdout and "finished" in done.stdout


@pytest.mark.slow  # a fresh Python
def test_history_reads_a_read_only_folder(tmp_path):
    home = with_history(tmp_path)
    if os.geteuid() != 0:
        os.chmod(home / "history.db", 0o444)
        os.chmod(home, 0o555)
        try:
            done = run_psoas(HISTORY, home)
        finally:
            os.chmod(home, 0o755)
    else:  # root writes anywhere; a read-only mount stops even root
        mount = f"mount --bind -o ro {home} {home} && exec \"$@\""
        done = run_psoas(["unshare", "-m", "sh", "-c", mount, "sh", *HISTORY], home)
        if "unshare" in done.stderr or "mount" in done.stderr:
            pytest.skip(f"cannot make a read-only folder here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert " desk " in done.stdout and "finished" in done.stdout


# -- players that are gone --------------------------------------------------------------------

NOW = 1_750_000_000.0


@pytest.mark.parametrize("seen, pid, host, alive, expected", [
    (NOW - 10, 42, "here", True, IN_PROGRESS),
    (NOW - 10, 42, "here", False, INTERRUPTED),  # its process has ended: at once
    (NOW - STOPPED_FOR_LONG - 1, 42, "here", True, INTERRUPTED),  # stopped a day, or reused
    (NOW - STALE_SECONDS + 1, 42, "there", None, IN_PROGRESS),  # another machine: heartbeats
    (NOW - STALE_SECONDS - 1, 42, "there", None, INTERRUPTED),
    (NOW - STALE_SECONDS - 1, None, None, None, INTERRUPTED),  # an older psoas's row
    (NOW - 10, None, None, None, IN_PROGRESS),
])
def test_judging_a_session_in_progress(seen, pid, host, alive, expected):
    assert judge(IN_PROGRESS, seen, pid, host, NOW, here="here",
                 alive=lambda p: alive) == expected
    assert judge("finished", seen, pid, host, NOW, here="here", alive=lambda p: alive) \
        == "finished"


def test_the_writer_keeps_a_heartbeat_while_the_session_is_in_progress(folder):
    # Two heartbeats pass at once on the fake clock; the writer waits for a third.
    clock = ThreadClock(at_once=2 * HEARTBEAT_SECONDS)
    started = clock.now()
    writer = HistoryWriter(str(folder), clock=clock.now, monotonic=clock.now, wait=clock.wait)
    writer.put(new_session("alive", started, token="t-3"))
    clock.wait_until_parked()
    assert clock.timeouts == [HEARTBEAT_SECONDS] * 3
    (session,) = History(folder, now=clock.now).sessions()
    assert session.status == IN_PROGRESS
    assert session.heartbeat == started + 2 * HEARTBEAT_SECONDS
    writer.put(new_session("alive", started, status="finished", token="t-3"))
    assert writer.finish(timeout=2) is None
    (session,) = History(folder, now=clock.now).sessions()
    assert session.status == "finished"


def test_a_recorder_hears_nothing_after_the_end(folder):
    recorder = Recorder(folder, "x", 60)
    recorder.routine_started(None, None)
    recorder.stretch_ended(StretchResult(0, "camel", "Camel pose", "done", 30, 30))
    recorder.routine_ended(Summary("x", Outcome.HUNG_UP, 40, 30, 60))
    assert recorder.finish() is None
    assert recorder.writer._thread is not None and not recorder.writer._thread.is_alive()
    (session,) = History(folder).sessions()
    assert session.status == "stopped"


# -- a disk that fills as the history is first made ------------------------------------------

def _disk_full(monkeypatch):
    """Every write to the file fails, as on a full disk (the first is the switch to WAL)."""
    from psoas_cli.history import dbfile

    def full(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(dbfile, "_use_wal", full)


@pytest.mark.parametrize("size", ["empty", "one page"])
@pytest.mark.parametrize("args", [[], ["history"], ["history", "--json"],
                                  ["history", "--days", "7"]],
                         ids=["psoas", "history", "json", "days"])
def test_a_history_file_begun_on_a_full_disk_reads_as_no_history(run, tmp_path, monkeypatch,
                                                                  size, args):
    """The disk filled as history.db was first made: a file of nothing, or of one
    page and no tables, is left.  It holds no sessions, and says nothing else."""
    home = tmp_path / "home"
    home.mkdir()
    path = home / "history.db"
    path.write_bytes(b"")
    if size == "one page":
        conn = sqlite3.connect(path)
        conn.execute("VACUUM")
        conn.close()
        assert path.stat().st_size == 4096
    _disk_full(monkeypatch)
    result = run(*args, env={"PSOAS_HOME": str(home)})
    assert result.exit_code == 0, result.output
    assert "upgrade" not in result.output and "cannot" not in result.output
    if args == ["history"]:
        assert result.output == "No sessions yet. Start one with 'psoas routine warmup'.\n"


def test_an_older_history_on_a_full_disk_says_why_it_cannot_be_upgraded(run, tmp_path,
                                                                       monkeypatch):
    from .test_history import make_v1

    path = make_v1(tmp_path / "home")
    _disk_full(monkeypatch)
    result = run("history", env={"PSOAS_HOME": str(path.parent)})
    assert result.exit_code == 1
    assert result.output == (f"Error: {path} needs an upgrade to be read, which can't be done "
                             "now: database or disk is full\n")
