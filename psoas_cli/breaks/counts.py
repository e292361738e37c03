"""What a reminder schedule reports (its events), and the breaks counted per local day."""

from __future__ import annotations

from typing import NamedTuple

from psoas_cli.breaks.hours import Zone
from psoas_cli.history.records import Counts

# Events
DUE_EVENT = "due"  # a break comes due for the first time (counted as offered)
AGAIN = "again"  # a snoozed break comes due again
NUDGE = "nudge"  # the one reminder of a break left unanswered
SNOOZED, SKIPPED, STARTED, TAKEN = "snoozed", "skipped", "started", "taken"
MISSED = "missed"  # an unanswered break dropped at the end of the break hours
AWAY = "away"  # the machine slept (or the clock jumped) for at least a whole interval
IDLE = "idle"  # no input (or the screen locked) for the idle time: away from the desk
BACK = "back"  # input again after an idle span: the interval starts from here
HELD = "held"  # a break came due while busy (a meeting, do-not-disturb): it waits


class Event(NamedTuple):
    kind: str
    at: float
    due_at: float | None = None  # when the break this is about first came due
    next_at: float | None = None  # the next due time, once the schedule is waiting again
    seconds: float = 0.0  # taken: the break's length; away: the gap; snoozed: the snooze;
    # idle: how long without input so far; back: how long away
    reason: str = ""  # held: what the break waits for (MEETING or DND)



_COUNTED = {DUE_EVENT: "offered", TAKEN: "taken", SNOOZED: "snoozed", SKIPPED: "skipped",
            MISSED: "missed"}


def counted_as(event: Event) -> str | None:
    """The Counts field an event adds one to, or None; the history's break
    rows use the same words, so its counts and the screen's agree."""
    if event.kind == AWAY and event.due_at is not None:
        return "missed"  # away from the desk with a break unanswered
    return _COUNTED.get(event.kind)


class Tally:
    """Breaks offered, taken, snoozed, skipped and missed on the current local day."""

    def __init__(self, zone: Zone) -> None:
        self.zone = zone
        self.day: tuple[int, int, int] | None = None
        self.counts = Counts()

    def seed(self, t: float, counts: Counts) -> None:
        """Start from counts read elsewhere (the history) for the day of ``t``."""
        self.day, self.counts = self.zone.day(t), counts

    def add(self, event: Event) -> None:
        field = counted_as(event)
        if field is None:
            return
        counts = self.today(event.at)
        self.counts = counts._replace(**{field: getattr(counts, field) + 1})
        self.day = self.zone.day(event.at)

    def today(self, t: float) -> Counts:
        return self.counts if self.zone.day(t) == self.day else Counts()
