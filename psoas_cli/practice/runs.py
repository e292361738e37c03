"""A run as the history holds it, turned into the events the rules fold.

Pure Python.  history/programs.py reads a run (its events, the sessions
they played, the check-ins and self-tests since it started); this makes
them practice/program.py's events:

* a session event counts when its session finished, or held half its
  planned time (a stopped one), with the stretches it did;
* the answers of one check-in (one session, before or after it) become
  one check-in: back pain, each hip, or one number for both hips;
* a self-test with both sides scored is a test (issue 23's side scores:
  0 is normal length, higher is tighter), as today's tests.yaml scores it
  (practice/scoring.current); one of another version that cannot be
  re-scored is no evidence; one where a side hurt is an "it hurt" instead,
  and is not read as a score.
"""

from __future__ import annotations

from datetime import date

from psoas_cli.history.programs import Run
from psoas_cli.model.selftests import SelfTests
from psoas_cli.practice import program as rules
from psoas_cli.practice.program import Event
from psoas_cli.practice.scoring import current

ITEMS = {"back": "back", "hips": "both", "hip-left": "left", "hip-right": "right"}


def events_of(run: Run, tests: SelfTests) -> list[Event]:
    """The fold's events for ``run``, in time order; ``tests``: today's tests.yaml."""
    out: list[Event] = []
    for row in run.events:
        if row.kind == rules.START:
            out.append(Event(rules.START, row.day, row.at, program=row.program))
        elif row.kind == rules.SESSION:
            completed, played = run.sessions.get(row.session or "", (False, frozenset()))
            out.append(Event(rules.SESSION, row.day, row.at, completed=completed,
                             played=played, remind=row.remind))
        elif row.kind in (rules.HURT, rules.RESUME, rules.STOP):
            out.append(Event(row.kind, row.day, row.at, sharp=row.sharp))
    out += _checkins(run)
    for record in run.tests:
        if record.hurt:
            out.append(Event(rules.HURT, record.day, record.started_at))
            continue
        scored = current(tests, record)
        left, right = (None, None) if scored is None else (scored.score("left"),
                                                           scored.score("right"))
        if left is not None and right is not None:
            out.append(rules.test(record.day, left, right, at=record.started_at))
    return sorted(out, key=lambda e: (e.day, e.at))


def _checkins(run: Run) -> list[Event]:
    grouped: dict[tuple[str | None, date, str], dict[str, float | int]] = {}
    for session, at, day, moment, item, value in run.checkins:
        key = ITEMS.get(item)
        if key is None or moment not in (rules.BEFORE, rules.AFTER):
            continue
        group = grouped.setdefault((session, day, moment), {"at": at})
        group["at"] = min(float(group["at"]), at)
        group[key] = value
    return [Event(rules.CHECKIN, day, float(values["at"]), moment=moment,
                  back=_int(values.get("back")), left=_int(values.get("left")),
                  right=_int(values.get("right")), both=_int(values.get("both")))
            for (_, day, moment), values in grouped.items()]


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)
