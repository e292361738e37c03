"""The SQL that History actually runs uses its indexes: no query reads the whole table.

Statements are captured as SQLite runs them (set_trace_callback, with the
parameters filled in) and each SELECT is asked for its EXPLAIN QUERY PLAN.
"""

from __future__ import annotations

import sqlite3
import time

import pytest

from psoas_cli.history.records import StretchRecord, new_session
from psoas_cli.history.store import History

DAY = 86400.0
NOW = time.mktime((2025, 12, 30, 12, 0, 0, 0, 0, -1))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Sixty days of sessions up to the day before NOW, two a day, each with two
    stretches: written once, then only read.  (The plans do not depend on how
    many rows there are, as long as psoas never runs ANALYZE; what the rows
    decide is which statements run, and every query finds some.)"""
    folder = tmp_path_factory.mktemp("history")
    start = time.mktime((2025, 10, 31, 7, 0, 0, 0, 0, -1))
    with History(folder) as history:
        for n in range(60):
            when = start + n * DAY
            for hour, status in ((0, "finished"), (10, "stopped")):
                stretches = (StretchRecord(0, "pigeon", "Pigeon pose", "done", 30, 30),
                             StretchRecord(1, "cobra", "Cobra pose", "skipped", 4, 30))
                history.save(new_session("warmup", when + hour * 3600, status=status,
                                     active_seconds=300, ended_at=when + hour * 3600 + 320,
                                     stretches=stretches))
    return folder


def statements_of(folder, ask) -> list[str]:
    seen: list[str] = []
    with History(folder, now=lambda: NOW, trace=seen.append) as history:
        ask(history)
    return [s for s in seen if s.lstrip().upper().startswith(("SELECT", "INSERT"))]


def plan_of(folder, statement: str) -> list[str]:
    conn = sqlite3.connect(folder / "history.db")
    try:
        return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement)]
    finally:
        conn.close()


def full_scans(plan: list[str]) -> list[str]:
    """Steps that read every row of a table (an index or covering index is fine)."""
    return [step for step in plan if step.startswith("SCAN") and " USING " not in step]


@pytest.mark.parametrize("ask", [
    lambda h: h.report(),
    lambda h: h.report(days=30),
    lambda h: h.report(days=7, stretches=True),
    lambda h: h.count(),
    lambda h: h.played_since(time.mktime((2025, 12, 1, 0, 0, 0, 0, 0, -1))),
], ids=["report", "report-30-days", "report-with-stretches", "count", "played-since"])
def test_history_queries_use_an_index(store, ask):
    statements = [s for s in statements_of(store, ask) if s.lstrip().upper().startswith("SELECT")]
    assert statements, "nothing was traced"
    for statement in statements:
        if "sqlite_master" in statement or "pragma" in statement.lower():
            continue
        plan = plan_of(store, statement)
        assert full_scans(plan) == [], (statement, plan)


def test_the_check_would_see_a_full_scan(store):
    plan = plan_of(store, "SELECT * FROM sessions WHERE routine = 'warmup'")
    assert full_scans(plan) == ["SCAN sessions"]
