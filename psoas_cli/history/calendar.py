"""Days, weeks and streaks: the calendar maths of the history (pure).

Days are the user's local days (``time.localtime``); a session counts on the
day it started, even if it ends after midnight.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import NamedTuple

WEEKS = 12  # columns of the calendar


class Streaks(NamedTuple):
    current: int  # days in a row up to today or yesterday, else 0
    longest: int
    last_day: date | None  # the last day with a finished session

    def as_dict(self) -> dict[str, object]:
        return {"current": self.current, "longest": self.longest,
                "last_day": self.last_day.isoformat() if self.last_day else None}


def local_day(timestamp: float) -> date:
    """The user's local calendar day of a unix time."""
    return date(*time.localtime(timestamp)[:3])


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar_days(today: date, weeks: int = WEEKS) -> list[date]:
    """Every day from the Monday ``weeks - 1`` weeks before this one, to today."""
    first = monday_of(today) - timedelta(weeks=weeks - 1)
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def streaks(days: Iterable[date], today: date) -> Streaks:
    """Runs of consecutive days in ``days`` (days with a finished session).

    The current streak is the run ending on the last such day, if that day is
    today or yesterday: a streak is not broken until a whole day is missed.
    """
    ordered = sorted(set(days))
    if not ordered:
        return Streaks(0, 0, None)
    longest = run = 1
    for before, after in pairwise(ordered):
        run = run + 1 if (after - before).days == 1 else 1
        longest = max(longest, run)
    last = ordered[-1]
    current = run if last >= today - timedelta(days=1) else 0
    return Streaks(current, longest, last)


def iso_time(timestamp: float) -> str:
    """A unix time as local ISO 8601 with its offset, to the second."""
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")
