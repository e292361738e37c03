"""Self-test results and check-ins in the history's SQLite file: writing, reading back.

The records are practice_records.py; the file is dbfile.py.  Every write is
one short transaction, keyed by the row's uid, so writing a record again
(a retry, a journal replayed, a test saved after each side) leaves one copy.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any, NamedTuple

from psoas_cli.history import rowcheck
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.history.practice_records import (
    ITEMS,
    CalmLineRow,
    CheckinRow,
    TestAnswer,
    TestRecord,
    TestSide,
)
from psoas_cli.text import clean


class Practice(NamedTuple):
    """What the progress readings and charts read: tests, check-ins and calm lines."""

    tests: tuple[TestRecord, ...] = ()  # oldest first
    checkins: tuple[CheckinRow, ...] = ()  # oldest first
    lines: tuple[CalmLineRow, ...] = ()  # oldest first
    last_test: TestRecord | None = None  # the latest ever, in the window or not
    last_scored: TestRecord | None = None  # ...of those that set when the next is due

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {"tests": [t.as_dict() for t in self.tests],
                "checkins": [c.as_dict() for c in self.checkins],
                "checkin_lines": [line.as_dict() for line in self.lines]}


# -- writing ------------------------------------------------------------------------------

def write(file: HistoryFile, record: TestRecord | CheckinRow | CalmLineRow) -> None:
    """Write one record in its own transaction (HistoryBusy while locked)."""
    file.run(lambda conn: write_in(conn, record), write=True)


def write_in(conn: sqlite3.Connection, record: TestRecord | CheckinRow | CalmLineRow) -> None:
    if isinstance(record, TestRecord):
        _write_test(conn, record)
    elif isinstance(record, CheckinRow):
        conn.execute("INSERT INTO checkins (uid, at, day, session, moment, item, value)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
                     (record.uid, record.at, record.day.isoformat(), record.session,
                      record.moment, record.item, record.value))
    else:
        conn.execute("INSERT INTO checkin_lines (uid, at, day, session, line, item,"
                     " value_before, value_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (uid) DO NOTHING",
                     (record.uid, record.at, record.day.isoformat(), record.session,
                      record.line, record.item, record.before, record.after))


def _write_test(conn: sqlite3.Connection, test: TestRecord) -> None:
    """The test's row (its status may move from stopped to finished) and each
    side written so far, with its answers."""
    # (pushed = NULL: a test already in the sync folder goes there again, further along.)
    conn.execute("INSERT INTO tests (uid, slug, started_at, day, status, version)"
                 " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE SET"
                 " status = excluded.status, pushed = NULL",
                 (test.uid, test.slug, test.started_at, test.day.isoformat(), test.status,
                  test.version))
    (test_id,) = conn.execute("SELECT id FROM tests WHERE uid = ?", (test.uid,)).fetchone()
    for side in test.sides:
        conn.execute("INSERT INTO test_sides (uid, test_id, side, score, hurt)"
                     " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                     (side.uid, test_id, side.side, side.score, int(side.hurt)))
        conn.executemany("INSERT INTO test_answers (uid, test_id, side, question, position,"
                         " answer, score) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                         [(a.uid, test_id, side.side, a.question, n, a.answer, a.score)
                          for n, a in enumerate(side.answers)])


# -- reading ------------------------------------------------------------------------------

def read(file: HistoryFile, *, since: date | None = None, lines_since: date | None = None,
         answers: bool = False, after_only: bool = False) -> Practice:
    """Tests, check-ins and calm lines from the day ``since`` on (all when None);
    calm lines from ``lines_since`` when that is earlier.  ``answers``: each
    test side with its answers (for --json); ``after_only``: only the check-ins
    given after routines, all the readings read."""
    if not file.exists():
        return Practice()
    first = since.isoformat() if since else ""
    first_line = min(first, lines_since.isoformat()) if lines_since and since else first
    left_out = rowcheck.LeftOut()
    try:
        return file.run(lambda conn: _read(conn, first, first_line, answers, after_only,
                                           left_out), write=False)
    finally:
        left_out.tell(file)


def _read(conn: sqlite3.Connection, first: str, first_line: str, answers: bool,
          after_only: bool, left_out: rowcheck.LeftOut) -> Practice:
    tests = _tests(conn, "WHERE day >= ? ORDER BY started_at, id", (first,), answers, left_out)
    quiet = rowcheck.LeftOut()  # the same tests again: counted once, above
    latest = _tests(conn, "ORDER BY started_at DESC, id DESC LIMIT 1", (), answers, quiet)
    # The latest that sets when the next is due (TestRecord.sets_due).
    scored = _tests(conn, "WHERE EXISTS (SELECT 1 FROM test_sides s WHERE s.test_id = tests.id"
                    " AND s.score IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM test_sides s"
                    " WHERE s.test_id = tests.id AND s.hurt)"
                    " ORDER BY started_at DESC, id DESC LIMIT 1", (), answers, quiet)
    days: dict[str, date] = {}  # a day is parsed once, however many rows it has
    moments = "('after')" if after_only else "('before', 'after')"
    checkins = []
    for uid, at, day, session, moment, item, value in conn.execute(
            "SELECT uid, at, day, session, moment, item, value FROM checkins"
            f" WHERE day >= ? AND moment IN {moments} ORDER BY at, id", (first,)):
        if item not in ITEMS:
            continue
        try:
            checkins.append(CheckinRow(
                uid, rowcheck.moment(at),
                days.get(day) or days.setdefault(day, rowcheck.day(day)),
                rowcheck.maybe(rowcheck.text, session), moment, item, rowcheck.rating(value)))
        except (ValueError, TypeError):
            left_out.add("check-in answer")
    lines = []
    for uid, at, day, session, line, item, before, after in conn.execute(
            "SELECT uid, at, day, session, line, item, value_before, value_after"
            " FROM checkin_lines WHERE day >= ? ORDER BY at, id", (first_line,)):
        if item not in ITEMS:
            continue
        try:
            lines.append(CalmLineRow(
                uid, rowcheck.moment(at), rowcheck.day(day),
                rowcheck.maybe(rowcheck.text, session), clean(rowcheck.text(line)), item,
                rowcheck.maybe(rowcheck.rating, before), rowcheck.maybe(rowcheck.rating, after)))
        except ValueError:
            left_out.add("calm line")
    return Practice(tests, tuple(checkins), tuple(lines), latest[0] if latest else None,
                    scored[0] if scored else None)


def tests_since(conn: sqlite3.Connection, since: str,
                left_out: rowcheck.LeftOut) -> tuple[TestRecord, ...]:
    """Every test from the day ``since`` (ISO) on, with its answers, oldest first."""
    return _tests(conn, "WHERE day >= ? ORDER BY started_at, id", (since,), True, left_out)


def _score(value: object) -> int | None:
    return None if value is None else rowcheck.whole(value, -10 ** 6, 10 ** 6)


def _tests(conn: sqlite3.Connection, where: str, args: tuple[str, ...],
           answers: bool, left_out: rowcheck.LeftOut) -> tuple[TestRecord, ...]:
    rows = conn.execute("SELECT id, uid, slug, started_at, day, status, version FROM tests "
                        + where, args).fetchall()
    if not rows:
        return ()
    ids = [row[0] for row in rows]
    sides: dict[int, list[TestSide]] = {i: [] for i in ids}
    bad: set[int] = set()  # tests with a value that can't be read: left out
    given: dict[tuple[int, str], list[TestAnswer]] = {}
    for start in range(0, len(ids), 500):  # under SQLite's limit on parameters
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        if answers:
            for test_id, side, uid, question, answer, score in conn.execute(
                    "SELECT test_id, side, uid, question, answer, score FROM test_answers"
                    f" WHERE test_id IN ({marks}) ORDER BY test_id, side, position", chunk):
                try:
                    given.setdefault((test_id, side), []).append(
                        TestAnswer(uid, clean(rowcheck.text(question)),
                                   None if answer is None else clean(rowcheck.text(answer)),
                                   _score(score)))
                except ValueError:
                    bad.add(test_id)
        for test_id, uid, side, score, hurt in conn.execute(
                "SELECT test_id, uid, side, score, hurt FROM test_sides"
                f" WHERE test_id IN ({marks})", chunk):
            if side in ("right", "left"):
                try:
                    sides[test_id].append(TestSide(uid, side, _score(score), bool(hurt),
                                                   tuple(given.get((test_id, side), ()))))
                except ValueError:
                    bad.add(test_id)
    tests = []
    for test_id, uid, slug, started_at, day, status, version in rows:
        try:
            if test_id in bad:
                raise ValueError("a side or an answer")
            tests.append(TestRecord(
                uid, clean(rowcheck.text(slug)), rowcheck.moment(started_at),
                rowcheck.day(day), clean(rowcheck.text(status)),
                rowcheck.whole(version, 0, 10 ** 9),
                tuple(sorted(sides[test_id], key=lambda s: s.side != "right")), test_id))
        except ValueError:
            left_out.add("self-test")
    return tuple(tests)


def count(file: HistoryFile) -> int:
    """How many tests and check-in answers are recorded."""
    if not file.exists():
        return 0
    found: int = file.run(lambda conn: conn.execute(
        "SELECT (SELECT count(*) FROM tests) + (SELECT count(*) FROM checkins)").fetchone()[0],
        write=False)
    return found


def minutes_by_day(file: HistoryFile, since: date) -> dict[date, tuple[float, int]]:
    """Each day's minutes of stretching (pauses left out) and sessions, from
    ``since`` on; a session played to its end with every stretch skipped
    does not count."""
    if not file.exists():
        return {}
    rows = file.run(lambda conn: conn.execute(
        "SELECT day, SUM(active_seconds) / 60.0, count(*) FROM sessions WHERE day >= ?"
        " AND status != 'skipped' GROUP BY day", (since.isoformat(),)).fetchall(), write=False)
    found, left_out = {}, rowcheck.LeftOut()
    for day, minutes, count in rows:
        try:
            found[rowcheck.day(day)] = (rowcheck.seconds(minutes), count)
        except ValueError:
            left_out.add("session", count)
    left_out.tell(file)
    return found
