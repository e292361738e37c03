"""The history store and the recorder: days, streaks, schema, damage, concurrency."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from psoas_cli.errors import HistoryError
from psoas_cli.history import dbfile
from psoas_cli.history.calendar import streaks
from psoas_cli.history.recorder import Recorder
from psoas_cli.history.records import RECENT, Session, StretchRecord, new_session
from psoas_cli.history.store import History
from psoas_cli.play.events import Outcome, StretchResult, Summary

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "home"


def at(y, m, d, hh=12, mm=0) -> float:
    """Unix time of a local wall-clock time, in the current TZ."""
    return time.mktime((y, m, d, hh, mm, 0, 0, 0, -1))


def finished(start: float, minutes: float = 10, routine: str = "warmup") -> Session:
    return new_session(routine, start, status="finished", active_seconds=minutes * 60,
                   ended_at=start + minutes * 60)


def report_at(folder, now: float, **options):
    with History(folder, now=lambda: now) as store:
        return store.report(**options)


# -- streaks --------------------------------------------------------------------

TODAY = date(2025, 6, 4)  # a Wednesday


def days_ago(*ns: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in ns]


@pytest.mark.parametrize("days, current, longest", [
    ([], 0, 0),
    (days_ago(0), 1, 1),
    (days_ago(0, 1, 2), 3, 3),
    (days_ago(1, 2, 3, 4), 4, 4),  # not yet today: the streak still holds
    (days_ago(2, 3, 4), 0, 3),  # a whole day missed
    (days_ago(0, 1, 3, 4, 5, 6, 9), 2, 4),  # gaps split the runs
    (days_ago(0, 0, 1, 1), 2, 2),  # two sessions on a day count once
], ids=["none", "today", "three", "through-yesterday", "broken", "gaps", "repeats"])
def test_streaks(days, current, longest):
    result = streaks(days, TODAY)
    assert (result.current, result.longest) == (current, longest)


@pytest.mark.parametrize("days, current, longest", [
    (days_ago(5, 2), 0, 2),  # Friday, then Monday: the weekend between is forgiven
    (days_ago(6, 5, 4, 2, 1, 0), 6, 6),  # a Saturday session counts as a day of it
    (days_ago(5, 0), 1, 1),  # Monday and Tuesday missed
    (days_ago(12, 5, 2, 1, 0), 4, 4),  # a whole week between breaks it
], ids=["weekend", "saturday", "weekdays-missed", "a-week"])
def test_rest_days_never_break_a_streak(days, current, longest):
    result = streaks(days, TODAY)  # Saturday and Sunday unless told
    assert (result.current, result.longest) == (current, longest)


def test_the_current_streak_holds_over_the_weekend_and_rest_days_can_be_changed():
    friday, monday = date(2025, 6, 6), date(2025, 6, 9)
    assert streaks([friday - timedelta(days=1), friday], monday).current == 2
    assert streaks([friday], monday, rest=()).current == 0  # every day counts
    assert streaks([friday - timedelta(days=1), friday], monday, rest={4, 5}).current == 0
    thursday = friday - timedelta(days=1)  # with Friday and Saturday off, Sunday is missed
    assert streaks([thursday, date(2025, 6, 8)], monday, rest={4, 5}).longest == 2
    assert streaks([date(2020, 1, 1)], monday, rest=range(7)).current == 1  # never broken


def test_only_finished_sessions_make_a_streak_but_all_minutes_count(folder, tz):
    tz("UTC")
    with History(folder) as store:
        store.save(finished(at(2025, 6, 2), minutes=10))
        store.save(new_session("warmup", at(2025, 6, 3), status="stopped", active_seconds=240))
        store.save(finished(at(2025, 6, 4, 8), minutes=5))
    report = report_at(folder, at(2025, 6, 4, 20))
    assert (report.streaks.current, report.streaks.longest) == (1, 1)
    assert report.minutes_this_week == pytest.approx(19)


def test_minutes_this_week_start_on_monday(folder, tz):
    tz("UTC")
    with History(folder) as store:
        store.save(finished(at(2025, 6, 1, 9), minutes=30))  # Sunday: last week
        store.save(finished(at(2025, 6, 2, 9), minutes=7))  # Monday
        store.save(finished(at(2025, 6, 8, 21), minutes=8))  # Sunday, this week
    assert report_at(folder, at(2025, 6, 8, 22)).minutes_this_week == pytest.approx(15)
    assert report_at(folder, at(2025, 6, 9, 9)).minutes_this_week == 0


def test_a_session_across_midnight_counts_on_the_day_it_started(folder, tz):
    tz("CET-1CEST,M3.5.0,M10.5.0/3")  # Paris
    start = at(2025, 6, 3, 23, 50)
    with History(folder) as store:
        store.save(new_session("cooldown", start, status="finished", active_seconds=1800,
                           ended_at=start + 1800))
    report = report_at(folder, at(2025, 6, 4, 9))
    assert report.sessions[0].day == date(2025, 6, 3)
    assert report.streaks.last_day == date(2025, 6, 3)
    assert dict(report.calendar)[date(2025, 6, 3)] == 30
    assert dict(report.calendar)[date(2025, 6, 4)] == 0


@pytest.mark.parametrize("zone", ["UTC", "NZST-12NZDT,M9.5.0,M4.1.0/3",  # Auckland
                                  "PST8PDT,M3.2.0,M11.1.0"])  # Los Angeles
def test_days_are_local_days(folder, tz, zone):
    tz(zone)
    with History(folder) as store:
        # Early morning and late evening: the hours a UTC day would misplace.
        store.save(finished(at(2025, 1, 14, 0, 30)))
        store.save(finished(at(2025, 1, 15, 23, 30)))
    report = report_at(folder, at(2025, 1, 16, 7))
    assert [s.day for s in report.sessions] == [date(2025, 1, 15), date(2025, 1, 14)]
    assert report.today == date(2025, 1, 16)
    assert report.streaks.current == 2


def test_a_streak_across_a_daylight_saving_change(folder, tz):
    tz("CET-1CEST,M3.5.0,M10.5.0/3")  # Berlin: clocks went forward on 30 March 2025: a 23-hour day
    with History(folder) as store:
        for day in (29, 30, 31):
            store.save(finished(at(2025, 3, day, 0, 15)))
    report = report_at(folder, at(2025, 3, 31, 23, 45))
    assert report.streaks.current == report.streaks.longest == 3


def test_a_recorded_day_stays_put_when_the_user_travels(folder, tz):
    tz("JST-9")  # Tokyo
    with History(folder) as store:
        store.save(finished(at(2025, 1, 15, 7)))  # 14 January in UTC
    tz("EST5EDT,M3.2.0,M11.1.0")  # New York
    report = report_at(folder, at(2025, 1, 15, 12))
    assert report.sessions[0].day == date(2025, 1, 15)
    assert report.streaks.current == 1


def test_days_option_lists_only_recent_days_and_limit_applies_otherwise(folder, tz):
    tz("UTC")
    with History(folder) as store:
        for n in range(15):
            store.save(finished(at(2025, 6, 1 + n, 8)))
    now = at(2025, 6, 15, 20)
    assert [s.day.day for s in report_at(folder, now, days=3).sessions] == [15, 14, 13]
    assert len(report_at(folder, now).sessions) == RECENT
    assert report_at(folder, now).total == 15


def test_calendar_runs_from_a_monday_eleven_weeks_back_to_today(folder, tz):
    tz("UTC")
    report = report_at(folder, at(2025, 6, 4))  # no file: looking creates nothing
    days = [d for d, _ in report.calendar]
    assert days[0] == date(2025, 3, 17) and days[0].weekday() == 0
    assert days[-1] == date(2025, 6, 4)
    assert len(days) == 11 * 7 + 3
    assert not folder.exists()


# -- the schema -------------------------------------------------------------------

# Version 1 as it shipped; a test of old files must not use today's code to make them.
SCHEMA_V1 = """
CREATE TABLE sessions (id INTEGER PRIMARY KEY, routine TEXT NOT NULL,
    started_at REAL NOT NULL, day TEXT NOT NULL, ended_at REAL,
    status TEXT NOT NULL DEFAULT 'in progress', planned_seconds REAL NOT NULL DEFAULT 0,
    active_seconds REAL NOT NULL DEFAULT 0);
CREATE TABLE stretches (session_id INTEGER NOT NULL REFERENCES sessions (id),
    position INTEGER NOT NULL, slug TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
    held_seconds REAL NOT NULL, planned_seconds REAL NOT NULL,
    PRIMARY KEY (session_id, position)) WITHOUT ROWID;
CREATE INDEX sessions_by_start ON sessions (started_at);
CREATE INDEX sessions_by_day ON sessions (day, started_at, active_seconds);
CREATE INDEX finished_days ON sessions (day) WHERE status = 'finished';
INSERT INTO sessions VALUES (7, 'desk', 1717484400.0, '2024-06-04', 1717484700.0,
    'finished', 300, 290);
INSERT INTO stretches VALUES (7, 0, 'seated', 'Seated psoas stretch', 'done', 30, 30);
INSERT INTO stretches VALUES (7, 1, 'standing', 'Standing psoas stretch', 'skipped', 4, 30);
PRAGMA user_version = 1;
"""


def make_v1(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "history.db"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    conn.close()
    return path


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_a_new_file_gets_the_newest_schema_in_wal_mode(folder):
    with History(folder) as store:
        store.create()
    path = folder / "history.db"
    assert user_version(path) == len(dbfile.MIGRATIONS)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_a_version_1_file_is_read_and_written(folder):
    make_v1(folder)
    with History(folder) as store:
        (old,) = store.sessions()
        store.save(finished(old.started_at + 86400))
        sessions = store.sessions()
    assert (old.id, old.routine, old.status, old.active_seconds) == (7, "desk", "finished", 290)
    assert [s.status for s in old.stretches] == ["done", "skipped"]
    assert len(sessions) == 2


def test_migrations_apply_in_order_and_keep_the_data(folder, monkeypatch):
    path = make_v1(folder)
    v2 = ("ALTER TABLE sessions ADD COLUMN note TEXT NOT NULL DEFAULT ''",
          "UPDATE sessions SET note = 'from v1'")
    monkeypatch.setattr(dbfile, "MIGRATIONS", [*dbfile.MIGRATIONS, v2])
    with History(folder) as store:
        (session,) = store.sessions()
    assert user_version(path) == len(dbfile.MIGRATIONS)  # the step added last, too
    assert session.routine == "desk" and len(session.stretches) == 2
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT id, note FROM sessions").fetchall() == [(7, "from v1")]
    conn.close()


def test_a_file_from_a_newer_psoas_is_refused_and_left_alone(folder):
    path = make_v1(folder)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer psoas.*upgrade"):
        History(folder).report()
    assert path.read_bytes() == before
    assert list(folder.iterdir()) == [path]


def test_the_indexes_serve_the_history_queries(folder):
    with History(folder) as store:
        store.create()
    conn = sqlite3.connect(folder / "history.db")
    plans = {
        "SELECT DISTINCT day FROM sessions WHERE status = 'finished'": "finished_days",
        "SELECT day, SUM(active_seconds) FROM sessions WHERE day >= '2025-01-01'"
        " AND day <= '2025-03-01' GROUP BY day": "sessions_by_day",
        "SELECT * FROM sessions ORDER BY started_at DESC LIMIT 10": "sessions_by_start",
        "SELECT * FROM sessions WHERE day >= '2025-01-01'"
        " ORDER BY day DESC, started_at DESC": "sessions_by_day",
    }
    for query, index in plans.items():
        plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + query))
        assert index in plan and "TEMP B-TREE" not in plan, (query, plan)
    conn.close()


# -- damaged files ----------------------------------------------------------------

def test_a_garbage_file_is_moved_aside_intact_and_a_new_one_works(folder):
    folder.mkdir()
    garbage = os.urandom(3000) + b"not a database"
    wal = b"w" * 700
    (folder / "history.db").write_bytes(garbage)
    (folder / "history.db-wal").write_bytes(wal)
    warnings = []
    with History(folder, warn=warnings.append) as store:
        assert store.report().total == 0
        store.save(finished(time.time()))
        assert store.count() == 1
    (warning,) = warnings
    (moved,) = folder.glob("history-damaged-*.db")
    assert str(moved) in warning and "file is not a database" in warning
    assert moved.read_bytes() == garbage
    assert Path(f"{moved}-wal").read_bytes() == wal


def test_damage_found_inside_a_valid_file_moves_it_aside(folder):
    with History(folder) as store:
        for n in range(20):
            store.save(finished(time.time() - n * 3600))
    path = folder / "history.db"
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)  # every page but the first
    path.write_bytes(bytes(data))
    warnings = []
    with History(folder, warn=warnings.append) as store:
        assert store.report().total == 0
    assert len(warnings) == 1 and "malformed" in warnings[0]
    (moved,) = folder.glob("history-damaged-*.db")
    assert moved.read_bytes() == bytes(data)


def test_a_damaged_file_another_player_set_aside_first_is_not_moved_again(folder, monkeypatch):
    folder.mkdir()
    (folder / "history.db").write_bytes(b"garbage" * 100)
    real = dbfile._foreign

    def racing(path):
        damaged = real(path)
        if damaged:  # another player noticed too, and was quicker
            monkeypatch.setattr(dbfile, "_foreign", real)
            History(folder).create()
        return damaged

    monkeypatch.setattr(dbfile, "_foreign", racing)
    warnings = []
    with History(folder, warn=warnings.append) as store:
        store.save(finished(time.time()))
    assert warnings == []
    assert len(list(folder.glob("history-damaged-*.db"))) == 1
    assert History(folder).count() == 1


def test_an_unusable_folder_is_a_typed_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(HistoryError, match="cannot create"):
        History(blocker / "home").save(finished(time.time()))


def test_clear_moves_the_file_to_a_dated_backup(folder):
    with History(folder, now=lambda: at(2025, 6, 4, 7, 30)) as store:
        store.save(finished(time.time()))
        moved = store.clear()
        assert store.count() == 0
    assert Path(moved).name == "history-2025-06-04-073000.db"
    assert History(Path(moved).parent).count() == 0
    conn = sqlite3.connect(moved)
    assert conn.execute("SELECT count(*) FROM sessions").fetchone() == (1,)
    conn.close()


# -- two players at once ----------------------------------------------------------

WRITER = """
import os, sys, time
from psoas_cli.play.events import Outcome, StretchResult, Summary
from psoas_cli.history.recorder import Recorder

folder, me, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
open(os.path.join(folder, "ready-" + me), "w").close()
while len([n for n in os.listdir(folder) if n.startswith("ready-")]) < 2:
    time.sleep(0.001)
warnings = []
for n in range(count):
    recorder = Recorder(folder, f"{me}-{n}", 60, warn=warnings.append)
    recorder.routine_started(None, None)
    for i in range(2):
        recorder.stretch_ended(StretchResult(i, "s", "S", "done", 30, 30))
    recorder.routine_ended(Summary(f"{me}-{n}", Outcome.FINISHED, 61, 60, 60))
    assert recorder.finish(timeout=30) is None  # written, not kept for later
print(warnings)
"""


@pytest.mark.slow  # two fresh Pythons
def test_two_players_recording_at_once_lose_nothing(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    count = 100
    players = [subprocess.Popen([sys.executable, "-c", WRITER, str(folder), me, str(count)],
                                env=env, stdout=subprocess.PIPE, text=True)
               for me in ("a", "b")]
    outputs = [p.communicate(timeout=60)[0] for p in players]
    assert [p.returncode for p in players] == [0, 0]
    assert outputs == ["[]\n", "[]\n"]  # no player had to give up
    sessions = History(folder).sessions()
    assert len(sessions) == 2 * count
    assert {s.routine for s in sessions} == {f"{me}-{n}" for me in "ab" for n in range(count)}
    assert all(s.status == "finished" and len(s.stretches) == 2 for s in sessions)
    owners = "".join(s.routine[0] for s in sessions)
    assert "ab" in owners or "ba" in owners  # they really did write at the same time


# -- the recorder -----------------------------------------------------------------

class Clock:
    def __init__(self, start: float) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def result(index: int, status: str = "done", held: float = 30.0) -> StretchResult:
    return StretchResult(index, f"stretch-{index}", f"Stretch {index}", status, held, 30.0)


def summary(reason: str, active: float, results=()) -> Summary:
    return Summary("warmup", Outcome(reason), active + 5, active, 120.0, tuple(results))


def only_session(folder, now=time.time) -> Session:
    (session,) = History(folder, now=now).sessions()
    return session


def test_recorder_records_a_finished_routine(folder):
    clock = Clock(at(2025, 6, 4, 7, 30))
    recorder = Recorder(folder, "warmup", 120, clock=clock)
    recorder.routine_started(None, None)
    clock.advance(40)
    recorder.stretch_ended(result(0))
    clock.advance(40)
    recorder.stretch_ended(result(1, "skipped", 3.5))
    clock.advance(10)
    recorder.routine_ended(summary("finished", 88.0))
    assert recorder.finish() is None
    session = only_session(folder)
    assert (session.routine, session.status, session.active_seconds) == ("warmup", "finished", 88)
    assert session.planned_seconds == 120
    assert session.started_at == at(2025, 6, 4, 7, 30) and session.day == date(2025, 6, 4)
    assert session.ended_at == clock.t
    assert session.stretches == (
        StretchRecord(0, "stretch-0", "Stretch 0", "done", 30.0, 30.0),
        StretchRecord(1, "stretch-1", "Stretch 1", "skipped", 3.5, 30.0),
    )


@pytest.mark.parametrize("reason", ["quit", "interrupted", "terminated"])
def test_recorder_marks_any_other_ending_stopped(folder, reason):
    recorder = Recorder(folder, "warmup", 120)
    recorder.routine_started(None, None)
    recorder.stretch_ended(result(0))
    recorder.routine_ended(summary(reason, 33.0))
    recorder.finish()
    session = only_session(folder)
    assert (session.status, session.outcome, session.active_seconds) == ("stopped", "stopped", 33)


def test_each_stretch_is_committed_as_it_ends_with_the_engines_active_time(folder):
    clock = Clock(at(2025, 6, 4, 7, 30))
    recorder = Recorder(folder, "warmup", 120, clock=clock)
    recorder.routine_started(None, None)
    recorder.phase_started(None)  # the first phase is on screen: now the session is written
    assert recorder.flush()
    assert only_session(folder, clock).outcome == "in progress"
    clock.advance(335)  # 35 s of stretching and a 300 s pause: the phone rang
    recorder.stretch_ended(result(0)._replace(active=35.0))
    assert recorder.flush()
    session = only_session(folder, clock)  # read through another connection, as after a crash
    assert session.outcome == "in progress" and session.ended_at is None
    assert session.active_seconds == pytest.approx(35)
    assert len(session.stretches) == 1


def test_a_stretch_played_again_keeps_its_last_report(folder):
    recorder = Recorder(folder, "warmup", 120)
    recorder.routine_started(None, None)
    recorder.stretch_ended(result(0, "skipped", 2))
    recorder.stretch_ended(result(0, "done", 30))  # went back and did it properly
    recorder.stretch_ended(result(1))
    recorder.routine_ended(summary("finished", 70))
    recorder.finish()
    assert [(s.position, s.status) for s in only_session(folder).stretches] == [
        (0, "done"), (1, "done")]


def test_a_session_recorded_while_the_history_is_cleared_moves_whole_to_the_new_one(folder):
    with History(folder) as store:
        store.save(finished(time.time() - 86400))  # yesterday's, which stays behind
    recorder = Recorder(folder, "cooldown", 120)
    recorder.routine_started(None, None)
    recorder.stretch_ended(result(0))
    assert recorder.flush()
    backup = History(folder).clear()  # psoas history --clear, from another terminal
    recorder.stretch_ended(result(1))
    recorder.routine_ended(summary("finished", 80))
    assert recorder.finish() is None
    session = only_session(folder)
    assert session.status == "finished" and len(session.stretches) == 2
    assert History(folder).count() == 1
    # The backup keeps yesterday's session, and no half copy of this one.
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT routine, status FROM sessions").fetchall() == [
        ("warmup", "finished")]
    assert conn.execute("SELECT count(*) FROM stretches").fetchone() == (0,)
    conn.close()


KILLED = """
import sys, time
from psoas_cli.play.events import StretchResult
from psoas_cli.history.recorder import Recorder

recorder = Recorder(sys.argv[1], "full", 600)
recorder.routine_started(None, None)
recorder.stretch_ended(StretchResult(0, "pigeon", "Pigeon pose", "done", 30, 30))
assert recorder.flush()
print("one stretch done", flush=True)
time.sleep(60)
"""


@pytest.mark.slow  # a fresh Python
def test_a_killed_player_loses_only_the_stretch_in_progress_and_reads_interrupted(folder):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    player = subprocess.Popen([sys.executable, "-c", KILLED, str(folder)], env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert player.stdout.readline() == "one stretch done\n"
    finally:
        player.send_signal(signal.SIGKILL)
        player.wait()
    session = only_session(folder)  # at once: its process is gone
    assert (session.routine, session.outcome) == ("full", "interrupted")
    assert [s.slug for s in session.stretches] == ["pigeon"]


def test_a_write_failure_warns_once_and_never_raises(folder, monkeypatch):
    warnings = []
    recorder = Recorder(folder, "warmup", 120, warn=warnings.append)
    recorder.routine_started(None, None)

    def broken(self, session):
        raise HistoryError("cannot use history.db: disk I/O error")

    monkeypatch.setattr(History, "save", broken)
    recorder.stretch_ended(result(0))
    recorder.stretch_ended(result(1))
    recorder.routine_ended(summary("finished", 60))
    journal = recorder.finish()
    assert warnings == ["history is off for this run: cannot use history.db: disk I/O error",
                        f"this session is kept in {journal}, to be written to the history "
                        f"when it can be"]


def test_a_recorder_that_cannot_start_warns_once(tmp_path):
    (tmp_path / "file").write_text("")
    warnings = []
    recorder = Recorder(tmp_path / "file" / "home", "warmup", 120, warn=warnings.append)
    recorder.routine_started(None, None)
    recorder.stretch_ended(result(0))
    recorder.routine_ended(summary("quit", 10))
    recorder.finish()
    warning, kept = warnings
    assert warning.startswith("history is off for this run: cannot create ")
    assert kept.startswith("this session could not be recorded: ")
    assert "\n" not in warning


def test_even_a_failing_warn_does_not_stop_the_routine(tmp_path):
    (tmp_path / "file").write_text("")

    def warn(message):
        raise OSError("stderr is closed")

    recorder = Recorder(tmp_path / "file" / "home", "warmup", 120, warn=warn)
    recorder.routine_started(None, None)
    recorder.routine_ended(summary("finished", 10))
    recorder.finish()


def test_a_recorder_starting_on_a_damaged_file_records_in_a_new_one(folder):
    folder.mkdir()
    (folder / "history.db").write_bytes(b"\0garbage" * 100)
    warnings = []
    recorder = Recorder(folder, "desk", 60, warn=warnings.append)
    recorder.routine_started(None, None)
    recorder.stretch_ended(result(0))
    recorder.routine_ended(summary("finished", 40))
    recorder.finish()
    assert len(warnings) == 1 and "moved it to" in warnings[0]
    assert only_session(folder).status == "finished"


def test_recorder_with_the_real_engine(folder):
    from psoas_cli.files import datafiles
    from psoas_cli.model.routines import Item, Pauses, Routine
    from psoas_cli.play import timeline
    from psoas_cli.play.engine import NEXT, Engine

    from .fakes import FakeClock

    cat = datafiles.load_catalogue()
    items = (Item(cat.find("standing")), Item(cat.find("cobra")))
    plan = timeline.build(Routine("test", "", "low", "low", Pauses(ready=5, switch=5, rest=3),
                                  items))
    clock = FakeClock([(8, NEXT)], start=at(2025, 6, 4, 7))
    recorder = Recorder(folder, "test", plan.planned, clock=clock.now)
    end = Engine(plan, recorder, now=clock.now, wait=clock.wait).run()
    recorder.finish()
    session = only_session(folder)
    assert end.outcome == "finished" and session.status == "finished"
    assert session.active_seconds == pytest.approx(end.active)
    assert [(s.slug, s.status) for s in session.stretches] == [
        (r.slug, r.status) for r in end.results]


@pytest.mark.slow  # a fresh Python
def test_the_history_loads_after_the_first_frame_not_before(tmp_path):
    """Making a recorder and starting a routine load neither SQLite nor the
    history's modules: those come once the first phase has been drawn."""
    code = ("import sys\n"
            "from psoas_cli.history.recorder import Recorder\n"
            "r = Recorder(sys.argv[1], 'warmup', 60)\n"
            "r.routine_started(None, None)\n"
            "before = 'sqlite3' in sys.modules or 'psoas_cli.history.store' in sys.modules\n"
            "r.phase_started(None)\n"
            "r.finish()\n"
            "print(before, 'sqlite3' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["False", "True"]
