"""Break rows in the history: the migration, the counts by local day, writing off
the reminder's thread, and what is read back."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date

import pytest

from psoas_cli.breaks.counts import (
    AWAY,
    DUE_EVENT,
    MISSED,
    NUDGE,
    SKIPPED,
    SNOOZED,
    STARTED,
    TAKEN,
    Event,
)
from psoas_cli.breaks.log import BreakLog
from psoas_cli.history import dbfile
from psoas_cli.history.records import BreakRow, Counts, StretchRecord, new_session
from psoas_cli.history.store import History

from .test_history import at, make_v1, user_version

PARIS = "CET-1CEST,M3.5.0,M10.5.0/3"


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "home"


def test_a_version_1_file_keeps_its_sessions_and_gains_the_breaks_table(folder):
    path = make_v1(folder)
    with History(folder) as store:
        (session,) = store.sessions()
        store.add_break(BreakRow(session.started_at + 3600, "taken", "desk", None, 7))
        counts = store.break_counts(session.day, session.day)
    assert user_version(path) == len(dbfile.MIGRATIONS)
    assert (session.id, session.routine, len(session.stretches)) == (7, "desk", 2)
    assert counts == Counts(taken=1)


def test_each_row_counts_on_its_own_local_day(folder, tz):
    tz(PARIS)
    rows = [BreakRow(at(2026, 3, 2, 23, 55), "offered", "desk", at(2026, 3, 2, 23, 55)),
            BreakRow(at(2026, 3, 3, 0, 3), "taken", "desk", at(2026, 3, 2, 23, 55)),
            BreakRow(at(2026, 3, 3, 9, 0), "snoozed", "desk", at(2026, 3, 3, 9, 0)),
            BreakRow(at(2026, 3, 3, 9, 5), "kind from a newer psoas", "desk")]
    with History(folder) as store:
        for row in rows:
            store.add_break(row)
        monday = store.break_counts(date(2026, 3, 2), date(2026, 3, 2))
        tuesday = store.break_counts(date(2026, 3, 3), date(2026, 3, 3))
        both = store.break_counts(date(2026, 3, 2), date(2026, 3, 3))
    assert monday == Counts(offered=1)
    assert tuesday == Counts(taken=1, snoozed=1)
    assert both == Counts(offered=1, taken=1, snoozed=1)


def test_the_report_has_breaks_today_and_this_week(folder, tz):
    tz(PARIS)
    with History(folder, now=lambda: at(2026, 3, 4)) as store:  # a Wednesday
        for day, kind in ((1, "taken"), (2, "taken"), (3, "skipped"), (4, "taken"),
                          (4, "offered")):
            store.add_break(BreakRow(at(2026, 3, day, 10), kind, "desk"))
        report = store.report()
    assert report.breaks_today == Counts(offered=1, taken=1)
    assert report.breaks_week == Counts(offered=1, taken=2, skipped=1)  # Sunday is last week


def test_the_break_queries_use_an_index(folder):
    with History(folder) as store:
        store.create()
    conn = sqlite3.connect(folder / "history.db")
    plan = " ".join(row[-1] for row in conn.execute(
        "EXPLAIN QUERY PLAN SELECT kind, count(*) FROM breaks"
        " WHERE day BETWEEN '2026-03-02' AND '2026-03-08' GROUP BY kind"))
    conn.close()
    assert plan.startswith("SEARCH breaks USING COVERING INDEX breaks_by_day"), plan


# -- the log ----------------------------------------------------------------------------

def test_events_become_rows_with_the_words_of_the_counts(folder):
    log = BreakLog(folder)
    due = 1000.0
    for event in (Event(DUE_EVENT, due, due), Event(NUDGE, due + 900, due),
                  Event(SNOOZED, due + 950, due), Event(STARTED, due + 1000, due),
                  Event(TAKEN, due + 1200, due, seconds=200), Event(SKIPPED, due + 5000, due),
                  Event(MISSED, due + 9000, due), Event(AWAY, due + 9999, None),
                  Event(AWAY, due + 20000, due + 15000)):
        log.record(event, "desk", session_id=3 if event.kind == TAKEN else None)
    log.close()
    conn = sqlite3.connect(folder / "history.db")
    found = conn.execute("SELECT kind, at, due_at, routine, session_id FROM breaks"
                         " ORDER BY id").fetchall()
    conn.close()
    assert found == [("offered", due, due, "desk", None),
                     ("snoozed", due + 950, due, "desk", None),
                     ("taken", due + 1200, due, "desk", 3),
                     ("skipped", due + 5000, due, "desk", None),
                     ("missed", due + 9000, due, "desk", None),
                     ("missed", due + 20000, due + 15000, "desk", None)]


def test_a_locked_history_never_holds_up_the_reminder(folder):
    with History(folder) as store:
        store.create()
    blocker = sqlite3.connect(folder / "history.db", isolation_level=None,
                              check_same_thread=False)
    blocker.execute("BEGIN EXCLUSIVE")
    log = BreakLog(folder)
    started = time.monotonic()
    log.record(Event(DUE_EVENT, 1000.0, 1000.0), "desk")
    log.record(Event(SKIPPED, 1060.0, 1000.0), "desk")
    assert time.monotonic() - started < 0.05  # handed over, not written
    threading.Timer(0.2, lambda: blocker.execute("COMMIT")).start()
    log.close()  # waits, a bounded time, for the rows given so far
    blocker.close()
    with History(folder) as store:
        assert store.break_counts(date(1970, 1, 1), date(1970, 1, 2)) == Counts(offered=1,
                                                                               skipped=1)


def test_rows_that_cannot_be_written_are_told_once(folder):
    folder.parent.mkdir(exist_ok=True)
    folder.write_text("a file where the psoas folder should be")
    told = []
    log = BreakLog(folder, warn=told.append)
    log.record(Event(DUE_EVENT, 1000.0, 1000.0), "desk")
    log.record(Event(SKIPPED, 1060.0, 1000.0), "desk")
    log.close()
    log.check()
    assert len(told) == 1 and told[0].startswith("breaks are not recorded for this run: ")


def test_the_write_can_be_routed_elsewhere(folder):
    given = []
    log = BreakLog(folder, write=given.append)
    log.record(Event(DUE_EVENT, 1000.0, 1000.0), "desk")
    log.close()
    assert given == [BreakRow(1000.0, "offered", "desk", 1000.0, None)]
    assert not (folder / "history.db").exists()


def test_played_since_finds_sessions_that_ended_with_something_done(folder):
    done = (StretchRecord(0, "pigeon", "Pigeon pose", "done", 30, 30),)
    skipped = (StretchRecord(0, "pigeon", "Pigeon pose", "skipped", 3, 30),)
    with History(folder) as store:
        for start, status, stretches in ((100.0, "finished", ()), (200.0, "stopped", done),
                                         (300.0, "stopped", skipped),
                                         (400.0, "in progress", done),
                                         (500.0, "finished", done)):
            store.save(new_session("desk", start, status=status, stretches=stretches,
                               ended_at=None if status == "in progress" else start + 60))
    log = BreakLog(folder)
    assert [p.started_at for p in log.played_since(150.0)] == [200.0, 500.0]
    assert [(p.routine, p.ended_at) for p in log.played_since(450.0)] == [("desk", 560.0)]
    log.close()


def test_reads_of_a_missing_history_create_nothing(folder):
    log = BreakLog(folder)
    assert (log.today(1000.0), log.streak(), log.played_since(0.0)) == (Counts(), 0, [])
    log.close()
    assert not folder.exists()
