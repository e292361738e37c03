"""The history keeps tests and check-ins: migration 4 from every earlier version,
a newer file refused, writing off the caller's thread, the journal when the
database is busy, --json and --clear."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from psoas_cli.errors import HistoryError
from psoas_cli.history import dbfile, journal, practice
from psoas_cli.history.calendar import local_day
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.history.practice_records import (
    TestAnswer,
    TestRecord,
    TestSide,
    calm_line_row,
    checkin_row,
    from_record,
    new_uid,
)
from psoas_cli.history.practice_writer import PracticeWriter
from psoas_cli.history.store import History

from .test_history import SCHEMA_V1

# Versions 2 and 3 as they shipped, written out here: old files are never
# made with today's code.
STEP_2 = """
CREATE TABLE breaks (id INTEGER PRIMARY KEY, at REAL NOT NULL, day TEXT NOT NULL,
    kind TEXT NOT NULL, due_at REAL, routine TEXT NOT NULL, session_id INTEGER);
CREATE INDEX breaks_by_day ON breaks (day, kind);
INSERT INTO breaks VALUES (3, 1717484000.0, '2024-06-04', 'taken', 1717483900.0, 'desk', 7);
PRAGMA user_version = 2;
"""
STEP_3 = """
ALTER TABLE sessions ADD COLUMN token TEXT;
ALTER TABLE sessions ADD COLUMN pid INTEGER;
ALTER TABLE sessions ADD COLUMN host TEXT;
ALTER TABLE sessions ADD COLUMN heartbeat REAL;
CREATE UNIQUE INDEX sessions_by_token ON sessions (token);
UPDATE sessions SET token = 'aa' || id, pid = 42, host = 'here', heartbeat = ended_at;
PRAGMA user_version = 3;
"""
VERSIONS = {1: SCHEMA_V1, 2: SCHEMA_V1 + STEP_2, 3: SCHEMA_V1 + STEP_2 + STEP_3}


def make(folder: Path, version: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "history.db"
    conn = sqlite3.connect(path)
    conn.executescript(VERSIONS[version])
    conn.close()
    return path


def rows(path: Path, table: str) -> list:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        conn.close()


def a_test(now: float, *, status: str = "finished", right: int | None = 2,
           left: int | None = 0) -> TestRecord:
    sides = (TestSide(new_uid(), "right", right, False,
                      (TestAnswer(new_uid(), "thigh", "lifts-little", 1),
                       TestAnswer(new_uid(), "pain", "no", None))),
             TestSide(new_uid(), "left", left, False))
    return TestRecord(new_uid(), "thomas", now, local_day(now), status, 1, sides)


@pytest.mark.parametrize("version", [1, 2, 3])
def test_every_earlier_version_migrates_with_nothing_lost(tmp_path, version):
    path = make(tmp_path, version)
    before = {table: rows(path, table) for table in ("sessions", "stretches", "breaks")
              if version >= 2 or table != "breaks"}
    with History(tmp_path) as history:
        (session,) = history.sessions()
        practice.write(history.file, a_test(time.time()))
    assert session.id == 7 and len(session.stretches) == 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(dbfile.MIGRATIONS) == 6
    conn.close()
    for table, old in before.items():  # every value kept; columns added later are empty...
        now = rows(path, table)
        assert [row[:len(o)] for row, o in zip(now, old, strict=True)] == old, table
        named = {"sessions": ("token",), "breaks": ("uid", "session")}.get(table, ())
        columns = [c for (_, c, *_) in sqlite3.connect(path).execute(
            f"PRAGMA table_info({table})")]
        for row, o in zip(now, old, strict=True):
            for column, value in zip(columns[len(o):], row[len(o):], strict=True):
                if column in named:  # ...but the random ids that name rows anywhere (5)
                    assert isinstance(value, str) and value, (table, column)
                else:
                    assert value is None, (table, column)
    found = practice.read(HistoryFile(tmp_path), answers=True)
    assert [t.score("right") for t in found.tests] == [2]
    assert [a.question for a in found.tests[0].side("right").answers] == ["thigh", "pain"]


def test_a_newer_history_is_refused_and_not_damaged(tmp_path):
    path = make(tmp_path, 3)
    with History(tmp_path) as history:
        history.create()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(dbfile.MIGRATIONS) + 1}")
    conn.close()
    saved = path.read_bytes()
    with pytest.raises(HistoryError, match="newer psoas"):
        practice.read(HistoryFile(tmp_path))
    with pytest.raises(HistoryError, match="newer psoas"):
        practice.write(HistoryFile(tmp_path), checkin_row(time.time(), "after", "back", 2))
    assert path.read_bytes() == saved


def test_every_row_has_a_unique_uid_and_writing_twice_keeps_one(tmp_path):
    file = HistoryFile(tmp_path)
    test = a_test(time.time(), status="stopped", left=None)
    test = test._replace(sides=test.sides[:1])
    row = checkin_row(time.time(), "after", "hip-left", 4, "ab" * 16)
    for _ in range(2):
        practice.write(file, test)
        practice.write(file, row)
    practice.write(file, test._replace(status="finished",
                                       sides=(*test.sides, TestSide(new_uid(), "left", 1,
                                                                    False))))
    found = practice.read(file, answers=True)
    assert len(found.tests) == 1 and found.tests[0].status == "finished"
    assert [s.side for s in found.tests[0].sides] == ["right", "left"]
    assert len(found.checkins) == 1 and found.checkins[0].session == "ab" * 16
    conn = sqlite3.connect(tmp_path / "history.db")
    for table in ("tests", "test_sides", "test_answers", "checkins", "checkin_lines"):
        uids = [u for (u,) in conn.execute(f"SELECT uid FROM {table}")]
        assert len(set(uids)) == len(uids) and all(len(u) == 32 for u in uids), table
    conn.close()
    file.close()


def test_written_off_the_callers_thread_and_kept_in_the_journal_while_busy(tmp_path):
    History(tmp_path).create()
    lock = sqlite3.connect(tmp_path / "history.db", isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    writer = PracticeWriter(tmp_path)
    started = time.monotonic()
    writer.put(checkin_row(time.time(), "after", "back", 3), a_test(time.time()))
    assert time.monotonic() - started < 0.05  # put never waits for the database
    path = writer.finish(timeout=0.3)
    lock.execute("ROLLBACK")
    lock.close()
    assert path == journal.path_in(str(tmp_path))
    kinds = [json.loads(line)["kind"] for line in Path(path).read_text().splitlines()]
    assert sorted(kinds) == ["checkin", "test"]
    with History(tmp_path) as history:
        history.replay()
        history.replay()  # a second replay writes nothing twice
    found = practice.read(HistoryFile(tmp_path))
    assert len(found.tests) == 1 and len(found.checkins) == 1
    assert not journal.pending(str(tmp_path))


@pytest.mark.parametrize("record", [
    {"kind": "checkin", "uid": "a" * 32, "at": 1.0, "day": "2025-01-01", "moment": "after",
     "item": "back", "value": 11},
    {"kind": "checkin", "uid": "a" * 32, "at": 1.0, "day": "2025-01-01", "moment": "during",
     "item": "back", "value": 1},
    {"kind": "checkin", "uid": "a;DROP", "at": 1.0, "day": "2025-01-01", "moment": "after",
     "item": "back", "value": 1},
    {"kind": "test", "uid": "b" * 32, "slug": "thomas", "started_at": 1.0, "day": "x",
     "status": "finished", "version": 1, "sides": []},
    {"kind": "checkin-line", "uid": "c" * 32, "at": 1.0, "day": "2025-01-01",
     "line": "back-worse", "item": "neck"},
])
def test_a_journal_record_out_of_bounds_is_refused(record):
    with pytest.raises((ValueError, KeyError, TypeError)):
        from_record(record)


def test_history_json_has_tests_checkins_and_calm_lines(run, clean_env):
    file = HistoryFile(clean_env)
    practice.write(file, a_test(time.time()))
    practice.write(file, checkin_row(time.time(), "before", "back", 5, "cd" * 16))
    practice.write(file, calm_line_row(time.time(), "back-high-before", "back", 5, None))
    file.close()
    data = json.loads(run("history", "--json").output)
    assert data["tests"][0]["sides"][0]["answers"][0]["question"] == "thigh"
    assert data["checkins"][0]["value"] == 5 and data["checkins"][0]["moment"] == "before"
    assert data["checkin_lines"][0]["line"] == "back-high-before"
    assert all(len(row["uid"]) == 32 for key in ("tests", "checkins", "checkin_lines")
               for row in data[key])


def test_history_clear_takes_the_tests_and_checkins_too(run, clean_env):
    file = HistoryFile(clean_env)
    practice.write(file, a_test(time.time()))
    file.close()
    result = run("history", "--clear", "--yes")
    assert "Started a new history" in result.output, result.output
    assert practice.read(HistoryFile(clean_env)).tests == ()
    assert run("history", "--clear", "--yes").output == "There is no history to clear.\n"
