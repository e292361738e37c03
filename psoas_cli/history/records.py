"""The history's records: sessions, their stretches, breaks, streaks, reports.

Pure data (NamedTuples: cheap to define at every start), with the plain
forms they take in the journal and in ``--json``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from psoas_cli import limits
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
        """A session from the journal; ValueError, naming the field, if it is not
        one (a field missing or of the wrong type, a number out of range)."""
        def field(name: str) -> Any:
            if name not in record:
                raise ValueError(f"no '{name}'")
            return record[name]

        listed = field("stretches")
        if not isinstance(listed, list) or len(listed) > MOST_STRETCHES:
            raise ValueError("'stretches' is not a list of stretches")
        stretches = tuple(stretch_record(entry) for entry in listed)
        ended, heartbeat, pid, host = (record.get(name) for name in
                                       ("ended_at", "heartbeat", "pid", "host"))
        return cls(text(field("routine"), "routine"),
                   recorded_time(field("started_at"), "started_at"),
                   recorded_day(field("day"), "day"), status=text(field("status"), "status"),
                   planned_seconds=recorded_seconds(field("planned_seconds"), "planned_seconds"),
                   active_seconds=recorded_seconds(field("active_seconds"), "active_seconds"),
                   ended_at=None if ended is None else recorded_time(ended, "ended_at"),
                   stretches=stretches, token=text(field("token"), "token"),
                   pid=None if pid is None else process_id(pid, "pid"),
                   host=None if host is None else text(host, "host"),
                   heartbeat=None if heartbeat is None else recorded_time(heartbeat,
                                                                          "heartbeat"))

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


# -- checking what a journal or the history file gives ------------------------------------

MOST_STRETCHES = 100_000  # in one session: far more than any routine may hold
MOST_PID = 2 ** 31 - 1


def _number(value: Any, name: str, bound: limits.Bound) -> float:
    if type(value) in (float, int) and bound.low <= value <= bound.high:
        return float(value)  # the usual case, checked in place (NaN fails it)
    try:
        return float(limits.check(value, bound))
    except limits.OutOfBounds as exc:
        raise ValueError(f"'{name}' {exc}") from None


def recorded_time(value: Any, name: str) -> float:
    """A unix time from the journal or the history, checked: from 1970 to 3000."""
    return _number(value, name, limits.RECORDED_TIME)


def recorded_seconds(value: Any, name: str) -> float:
    """Seconds held, planned or active, checked."""
    return _number(value, name, limits.RECORDED_SECONDS)


def recorded_day(value: Any, name: str) -> date:
    """A day written YYYY-MM-DD."""
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(f"'{name}' is not a day (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{name}' is not a day (YYYY-MM-DD)") from None


def text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"'{name}' is not text")
    return value


def process_id(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MOST_PID:
        raise ValueError(f"'{name}' is not a process id")
    return value


def stretch_record(entry: Any) -> StretchRecord:
    """A stretch of a session, as the journal lists it: [position, slug, name,
    status, held seconds, planned seconds]."""
    if not isinstance(entry, list) or len(entry) != 6:
        raise ValueError("a stretch is not a list of its six fields")
    position, slug, name, status, held, planned = entry
    if isinstance(position, bool) or not isinstance(position, int) or \
            not 0 <= position < MOST_STRETCHES:
        raise ValueError("a stretch's position is not a whole number in range")
    return StretchRecord(position, text(slug, "slug"), text(name, "name"),
                         text(status, "status"), recorded_seconds(held, "held_seconds"),
                         recorded_seconds(planned, "planned_seconds"))


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


class Listing(NamedTuple):
    """What laying out a long list of sessions needs before reading them:
    how many, the longest routine names (some of them), the most seconds
    played, and the statuses."""

    number: int
    routines: tuple[str, ...]
    most_active: float
    statuses: tuple[str, ...]


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
