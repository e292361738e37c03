"""Programs in the history: their events, and everything a run's fold reads.

A run of a program is a few events (history table program_events):
``start`` (the program's name), ``session`` (the token of a session the
program played, in the sessions table), ``hurt`` (the user said it hurt),
``resume`` and ``stop``.  Nothing else is stored: where the run stands is
worked out from these, the sessions they point at, and the check-ins and
self-tests taken since the run started (practice/program.py), so the
history says it once.

Each event has a random uid, so writing it twice (a retry, the journal
replayed) writes it once, and histories merged elsewhere never collide.
``active`` answers "is a program running?" with one short query, so
``psoas`` alone pays for the rest only when one is.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any, NamedTuple

from psoas_cli.history import rowcheck
from psoas_cli.history.calendar import iso_time, local_day
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.history.practice import tests_since
from psoas_cli.history.practice_records import TestRecord, new_uid
from psoas_cli.text import clean, clip

KIND = "program-event"  # the journal's name for one
KINDS = ("start", "session", "hurt", "resume", "stop")
FINISHED = "finished"
COMPLETED_SHARE = 0.5  # a stopped session counts when it held this share of its time


class EventRow(NamedTuple):
    """One event of a run, as stored."""

    uid: str
    run: str  # the uid of the run's start event
    kind: str  # start, session, hurt, resume or stop
    at: float
    day: date
    program: str = ""  # start: the program's name
    stamp: str = ""  # start: the program's plan then, in short (to notice a changed file)
    session: str | None = None  # session: the sessions.token it played
    remind: bool = False  # session: a break of psoas remind
    sharp: bool = False  # hurt: sharp pain, numbness or tingling

    def as_record(self) -> dict[str, Any]:
        return {"kind": KIND, "uid": self.uid, "run": self.run, "event": self.kind,
                "at": self.at, "day": self.day.isoformat(), "program": self.program,
                "stamp": self.stamp, "session": self.session, "remind": self.remind,
                "sharp": self.sharp}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> EventRow:
        kind = record["event"]
        if record.get("kind") != KIND or kind not in KINDS:
            raise ValueError("not a program event")
        at = record["at"]
        if isinstance(at, bool) or not isinstance(at, (int, float)) or at != at:
            raise ValueError("not a time")
        session = record.get("session")
        return cls(_uid(record["uid"]), _uid(record["run"]), kind, float(at),
                   date.fromisoformat(record["day"]), clean(clip(str(record["program"]), 60)),
                   clean(clip(str(record.get("stamp") or ""), 200)),
                   None if session is None else _uid(session), record.get("remind") is True,
                   record.get("sharp") is True)

    def as_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "run": self.run, "event": self.kind,
                "at": iso_time(self.at), "day": self.day.isoformat(),
                "program": self.program or None, "session": self.session,
                "remind": self.remind, "sharp": self.sharp}


def _uid(value: Any) -> str:
    if not isinstance(value, str) or not 8 <= len(value) <= 64 or not value.isalnum():
        raise ValueError("not a uid")
    return value


def event(kind: str, at: float, *, run: str | None = None, **fields: Any) -> EventRow:
    """A new event at unix time ``at``, on its local day; a start names its own run."""
    uid = new_uid()
    return EventRow(uid, run or uid, kind, at, local_day(at), **fields)


# -- writing -------------------------------------------------------------------------------

def write(file: HistoryFile, row: EventRow) -> None:
    """Write one event in its own transaction (HistoryBusy while locked)."""
    file.run(lambda conn: write_in(conn, row), write=True)


def write_in(conn: sqlite3.Connection, row: EventRow) -> None:
    conn.execute("INSERT INTO program_events (uid, run, kind, at, day, program, stamp,"
                 " session, remind, sharp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                 " ON CONFLICT (uid) DO NOTHING",
                 (row.uid, row.run, row.kind, row.at, row.day.isoformat(), row.program or None,
                  row.stamp or None, row.session, int(row.remind), int(row.sharp)))


# -- reading -------------------------------------------------------------------------------

class Run(NamedTuple):
    """A run and everything its fold reads, in one read of the history."""

    start: EventRow
    events: tuple[EventRow, ...]  # all of the run's, the start first, in time order
    sessions: dict[str, tuple[bool, frozenset[str]]]  # token: (completed, stretches done)
    checkins: tuple[tuple[str | None, float, date, str, str, int], ...]
    # (session, at, day, moment, item, value) of each answer since the start day
    tests: tuple[TestRecord, ...]  # each test since the start day, with its answers
    # (scored by the tests.yaml of its day: practice/runs.py re-scores it)

    @property
    def stopped(self) -> bool:
        return any(e.kind == "stop" for e in self.events)


def active(file: HistoryFile) -> tuple[str, str] | None:
    """(run, program) of the latest run when it has not been stopped; None
    when there is none (one query, for psoas alone)."""
    if not file.exists():
        return None
    row = file.run(lambda conn: conn.execute(
        "SELECT run, kind, program FROM program_events WHERE kind IN ('start', 'stop')"
        " ORDER BY at DESC, id DESC LIMIT 1").fetchone(), write=False)
    if row is None or row[1] != "start":
        return None
    return str(row[0]), clean(str(row[2]))


def ever(file: HistoryFile) -> bool:
    """Whether a program was ever started (in this history)."""
    if not file.exists():
        return False
    return bool(file.run(lambda conn: conn.execute(
        "SELECT EXISTS (SELECT 1 FROM program_events WHERE kind = 'start')").fetchone()[0],
        write=False))


def latest(file: HistoryFile) -> Run | None:
    """The latest run (stopped or not), with everything its fold reads."""
    if not file.exists():
        return None
    left_out = rowcheck.LeftOut()
    try:
        return file.run(lambda conn: _latest(conn, left_out), write=False)
    finally:
        left_out.tell(file)


_EVENTS = ("SELECT uid, run, kind, at, day, program, stamp, session, remind, sharp"
           " FROM program_events")


def _event_rows(rows: Any, left_out: rowcheck.LeftOut) -> tuple[EventRow, ...]:
    """The program events of ``rows`` (``_EVENTS``); a row edited beyond reading is
    left out and counted."""
    events = []
    for uid, run, kind, at, day, program, stamp, session, remind, sharp in rows:
        if kind not in KINDS:
            continue
        try:
            events.append(EventRow(
                uid, rowcheck.text(run), kind, rowcheck.moment(at), rowcheck.day(day),
                clean(rowcheck.text(program or "")), rowcheck.text(stamp or ""),
                rowcheck.maybe(rowcheck.text, session), bool(remind), bool(sharp)))
        except ValueError:
            left_out.add("program event")
    return tuple(events)


def _latest(conn: sqlite3.Connection, left_out: rowcheck.LeftOut) -> Run | None:
    row = conn.execute("SELECT run FROM program_events WHERE kind = 'start'"
                       " ORDER BY at DESC, id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    events = _event_rows(conn.execute(_EVENTS + " WHERE run = ? ORDER BY at, id", (row[0],)),
                         left_out)
    start = next((e for e in events if e.kind == "start"), None)
    if start is None:
        return None
    since = start.day.isoformat()
    tokens = [e.session for e in events if e.kind == "session" and e.session]
    sessions: dict[str, tuple[bool, frozenset[str]]] = {}
    for begin in range(0, len(tokens), 500):
        chunk = tokens[begin:begin + 500]
        marks = ",".join("?" * len(chunk))
        done: dict[str, set[str]] = {}
        for token, slug in conn.execute(
                "SELECT s.token, t.slug FROM stretches t JOIN sessions s ON s.id = t.session_id"
                f" WHERE s.token IN ({marks}) AND t.status = 'done'", chunk):
            done.setdefault(token, set()).add(str(slug))
        for token, status, planned, active_seconds in conn.execute(
                "SELECT token, status, planned_seconds, active_seconds FROM sessions"
                f" WHERE token IN ({marks})", chunk):
            try:
                planned, active_seconds = (rowcheck.seconds(planned),
                                           rowcheck.seconds(active_seconds))
            except ValueError:
                continue  # the sessions' reader says so
            completed = status == FINISHED or (
                planned > 0 and active_seconds >= COMPLETED_SHARE * planned)
            sessions[token] = (completed, frozenset(done.get(token, ())))
    checkins = []
    for session, at, day, moment, item, value in conn.execute(
            "SELECT session, at, day, moment, item, value FROM checkins WHERE day >= ?"
            " ORDER BY at, id", (since,)):
        try:
            checkins.append((session, rowcheck.moment(at), rowcheck.day(day), moment, item,
                             rowcheck.rating(value)))
        except ValueError:
            left_out.add("check-in answer")
    tests = tests_since(conn, since, left_out)
    return Run(start, events, sessions, tuple(checkins), tests)


def all_events(file: HistoryFile) -> list[EventRow]:
    """Every program event, oldest first (for --json)."""
    if not file.exists():
        return []
    left_out = rowcheck.LeftOut()
    try:
        return file.run(lambda conn: list(_event_rows(
            conn.execute(_EVENTS + " ORDER BY at, id"), left_out)), write=False)
    finally:
        left_out.tell(file)
