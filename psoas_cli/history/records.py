"""The history's records: sessions, their stretches, breaks, streaks, reports.

Pure data (NamedTuples: cheap to define at every start), with the plain
forms they take in the journal and in ``--json``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from psoas_cli.history.calendar import Streaks, iso_time, local_day, monday_of

RECENT = 10  # sessions listed when no --days is given

IN_PROGRESS, FINISHED, STOPPED = "in progress", "finished", "stopped"
INTERRUPTED = "interrupted"  # how an in-progress row reads once its player is gone
SKIPPED = "skipped"  # played to its end with every stretch skipped: no streak in that


class Counts(NamedTuple):
    """How many breaks were offered, taken, snoozed, skipped and missed."""

    offered: int = 0
    taken: int = 0
    snoozed: int = 0
    skipped: int = 0
    missed: int = 0


class StretchRecord(NamedTuple):
    position: int
    slug: str
    name: str
    status: str  # "done" or "skipped"
    held_seconds: float
    planned_seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"position": self.position, "slug": self.slug, "name": self.name,
                "status": self.status, "held_seconds": round(self.held_seconds, 1),
                "planned_seconds": round(self.planned_seconds, 1)}


class Session(NamedTuple):
    """One routine played: a row of the sessions table, with its stretches.

    Make a new one with ``new_session``, which works out its local day."""

    routine: str
    started_at: float
    day: date  # the local day of started_at: the day it counts on
    status: str = IN_PROGRESS
    planned_seconds: float = 0.0
    active_seconds: float = 0.0
    ended_at: float | None = None
    id: int | None = None
    stretches: tuple[StretchRecord, ...] = ()
    # Who records it: a random token naming it across retries and the journal,
    # the player's process and machine, and its last sign of life (unix time).
    token: str | None = None
    pid: int | None = None
    host: str | None = None
    heartbeat: float | None = None
    machine: str | None = None  # the machine's id; None: this one (not yet named)

    @property
    def minutes(self) -> float:
        return self.active_seconds / 60

    @property
    def outcome(self) -> str:
        """finished, stopped, in progress, or interrupted (its player is gone)."""
        return self.status

    def as_record(self) -> dict[str, Any]:
        """Plain data for the journal (journal.py); ``from_record`` reads it."""
        return {"routine": self.routine, "started_at": self.started_at, "status": self.status,
                "planned_seconds": self.planned_seconds,
                "active_seconds": self.active_seconds, "ended_at": self.ended_at,
                "day": self.day.isoformat(), "token": self.token, "pid": self.pid,
                "host": self.host, "heartbeat": self.heartbeat,
                "stretches": [[s.position, s.slug, s.name, s.status, s.held_seconds,
                               s.planned_seconds] for s in self.stretches]}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Session:
        """A session from the journal; ValueError (or TypeError) if it is not one."""
        def number(value: Any) -> float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"not a number: {value!r}"[:80])
            return float(value)

        stretches = tuple(StretchRecord(int(p), str(slug), str(name), str(status),
                                        number(held), number(planned))
                          for p, slug, name, status, held, planned in record["stretches"])
        ended = record.get("ended_at")
        return cls(str(record["routine"]), number(record["started_at"]),
                   date.fromisoformat(record["day"]), status=str(record["status"]),
                   planned_seconds=number(record["planned_seconds"]),
                   active_seconds=number(record["active_seconds"]),
                   ended_at=None if ended is None else number(ended),
                   stretches=stretches,
                   token=str(record["token"]), pid=record.get("pid"), host=record.get("host"),
                   heartbeat=record.get("heartbeat"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "routine": self.routine,
            "day": self.day.isoformat(),
            "started_at": iso_time(self.started_at),
            "ended_at": iso_time(self.ended_at) if self.ended_at is not None else None,
            "status": self.outcome,
            "minutes": round(self.minutes, 1),
            "active_seconds": round(self.active_seconds, 1),
            "planned_seconds": round(self.planned_seconds, 1),
            "stretches": [s.as_dict() for s in self.stretches],
        }


def new_session(routine: str, started_at: float, **fields: Any) -> Session:
    """A session starting at ``started_at``, counted on its local day."""
    return Session(routine, started_at, local_day(started_at), **fields)


class BreakRow(NamedTuple):
    """One answer to a break reminder; ``kind`` is a ``Counts`` field."""

    at: float
    kind: str  # offered, taken, snoozed, skipped or missed
    routine: str
    due_at: float | None = None  # when the break came due; None for one taken early
    session_id: int | None = None  # taken: the session the routine recorded


class Played(NamedTuple):
    """A session that ended with something done: it counts as a break."""

    id: int
    routine: str
    started_at: float
    ended_at: float


class Report(NamedTuple):
    """Everything ``psoas history`` shows, read in one go."""

    today: date
    sessions: tuple[Session, ...]  # newest first
    streaks: Streaks
    minutes_this_week: float
    calendar: tuple[tuple[date, float], ...]  # minutes per day, Monday 11 weeks ago to today
    total: int  # sessions recorded, all time
    days: int | None = None  # the --days asked for, if any
    # Answers to psoas remind, with a routine played here that none names as taken
    breaks_today: Counts = Counts()
    breaks_week: Counts = Counts()  # since Monday

    @property
    def week_start(self) -> date:
        return monday_of(self.today)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "total_sessions": self.total,
            "sessions": [s.as_dict() for s in self.sessions],
            "streaks": self.streaks.as_dict(),
            "week_start": self.week_start.isoformat(),
            "minutes_this_week": round(self.minutes_this_week, 1),
            "calendar": [{"day": d.isoformat(), "minutes": round(m, 1)}
                         for d, m in self.calendar],
            "breaks": {"today": self.breaks_today._asdict(), "week": self.breaks_week._asdict()},
        }
