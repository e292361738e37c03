"""Days, weeks and streaks: the calendar maths of the history (pure).

Days are the user's local days (``time.localtime``); a session counts on the
day it started, even if it ends after midnight.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import NamedTuple

WEEKS = 12  # columns of the calendar
WEEKEND = frozenset({5, 6})  # Saturday and Sunday (date.weekday()): rest days unless set


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


def streaks(days: Iterable[date], today: date, rest: Collection[int] = WEEKEND,
            bridges: Collection[date] = ()) -> Streaks:
    """Runs of days in ``days`` (days with a finished session), forgiving rest days.

    Two session days belong to one run when every day between them is a rest
    day (``rest`` holds weekday numbers, Monday 0): a weekend off never breaks
    a streak, and a session on a rest day still counts as a day of it.  The
    current streak is the run ending on the last session day, if no day that
    is not a rest day has passed since: today is never missed yet, so a
    streak is not broken until a whole working day is.  ``bridges`` are more
    days that never break one: a program's rest days taken and the days it
    was paused (practice/program.py).
    """
    ordered = sorted(set(days))
    if not ordered:
        return Streaks(0, 0, None)
    rest = frozenset(rest)
    bridged = frozenset(bridges)
    longest = run = 1
    for before, after in pairwise(ordered):
        run = run + 1 if _only_rest_between(before, after, rest, bridged) else 1
        longest = max(longest, run)
    last = ordered[-1]
    current = run if last >= today or _only_rest_between(last, today, rest, bridged) else 0
    return Streaks(current, longest, last)


def _only_rest_between(first: date, last: date, rest: frozenset[int],
                       bridges: frozenset[date] = frozenset()) -> bool:
    """True when every day strictly between ``first`` and ``last`` is a rest day
    (or a day in ``bridges``)."""
    between = (last - first).days - 1
    if between >= 7 and len(rest) < 7 and not bridges:
        return False  # a whole week has a day that is not a rest day
    return all((first + timedelta(days=n)).weekday() in rest
               or first + timedelta(days=n) in bridges for n in range(1, between + 1))


def iso_time(timestamp: float) -> str:
    """A unix time as local ISO 8601 with its offset, to the second."""
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")
