"""Break hours (--between) and local wall-clock time, from the C library (TZ)."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from typing import NamedTuple

from psoas_cli.errors import ReminderError
from psoas_cli.text import quoted


class Window(NamedTuple):
    """Break hours as minutes after local midnight; ``end`` may be 24:00.

    When ``start`` is later than ``end`` the hours run past midnight
    (22:00-02:00 is 22:00 to 02:00 the next morning).
    """

    start: int
    end: int

    @property
    def minutes(self) -> int:
        return (self.end - self.start) % (24 * 60) or 24 * 60

    @property
    def overnight(self) -> bool:
        return self.start > self.end

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_TIME = r"(\d{1,2})(?::(\d{2}))?"
_WINDOW = re.compile(rf"\s*{_TIME}\s*[-\u2013]\s*{_TIME}\s*", re.ASCII)


def parse_window(text: str) -> Window:
    """Break hours as written: 09:00-18:00, 9-18, 9:30-17:30, 22:00-02:00."""
    match = _WINDOW.fullmatch(text or "")
    if not match:
        raise ReminderError(f"{quoted(text, 24)} is not a span of hours; "
                            "write it like 09:00-18:00 or 9-18")
    start = _minute_of_day(text, match.group(1), match.group(2), end=False)
    end = _minute_of_day(text, match.group(3), match.group(4), end=True)
    if start == end % (24 * 60):
        raise ReminderError(f"{quoted(text, 24)} starts and ends at the same time; "
                            "leave out --between to be reminded at any hour")
    return Window(start, end)


def _minute_of_day(text: str, hours: str, minutes: str | None, *, end: bool) -> int:
    h, m = int(hours), int(minutes or 0)
    if m > 59 or h > 24 or (h == 24 and (m or not end)):
        raise ReminderError(f"{quoted(text, 24)}: {hours}:{minutes or '00'} is not a time of day "
                            "(00:00 to 23:59, or 24:00 to end at midnight)")
    return h * 60 + m


class Zone:
    """Local wall-clock time, from the C library (the TZ variable)."""

    def fields(self, t: float) -> tuple[int, int, int, int, int, int]:
        """(year, month, day, hour, minute, second) of a unix time."""
        local = time.localtime(t)
        return (local.tm_year, local.tm_mon, local.tm_mday, local.tm_hour, local.tm_min,
                local.tm_sec)

    def at(self, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
        """Unix time of a local wall-clock time; out-of-range days roll over.

        A time the clocks skip (02:30 on the night they go from 02:00 to
        03:00) is the moment they reach past it: 03:00, when the wall clock
        first shows a time as late.  (The C library would say 03:30.)"""
        t = time.mktime((year, month, day, hour, minute, 0, 0, 0, -1))
        wanted = datetime(year, month, 1) + timedelta(days=day - 1, hours=hour,
                                                      minutes=minute)
        if _wall(t) == wanted:
            return t
        # In a gap: the first moment whose wall-clock time is as late as wanted.
        low, high = t - 6 * 3600, t  # no gap is longer than a few hours
        if _wall(low) >= wanted or _wall(high) < wanted:
            return t  # not a gap after all (the C library's own reading)
        while high - low > 1:
            middle = (low + high) // 2
            if _wall(middle) >= wanted:
                high = middle
            else:
                low = middle
        return high

    # Derived, so a test zone only needs the two above.
    def day(self, t: float) -> tuple[int, int, int]:
        return self.fields(t)[:3]

    def clock(self, t: float) -> str:
        _, _, _, hour, minute, _ = self.fields(t)
        return f"{hour:02d}:{minute:02d}"

    def midnight_after(self, t: float) -> float:
        y, m, d = self.day(t)
        return self.at(y, m, d + 1)


def _wall(t: float) -> datetime:
    """The local wall-clock time of a unix time, to the second."""
    return datetime(*time.localtime(t)[:6])


class Hours:
    """A Window laid on real days through a Zone."""

    def __init__(self, window: Window, zone: Zone) -> None:
        self.window = window
        self.zone = zone

    def _on(self, t: float, days: int, minute: int) -> float:
        y, m, d = self.zone.day(t)
        return self.zone.at(y, m, d + days, minute // 60, minute % 60)

    def contains(self, t: float) -> bool:
        return self.start_of(t) is not None

    def start_of(self, t: float) -> float | None:
        """Start of the stretch of hours ``t`` falls in, or None outside them."""
        w = self.window
        for days in ((0,) if not w.overnight else (0, -1)):
            start = self._on(t, days, w.start)
            if start <= t < self._on(t, days + (1 if w.overnight else 0), w.end):
                return start
        return None

    def end_after(self, start: float) -> float:
        """End of the stretch of hours that begins at ``start``."""
        return self._on(start, 1 if self.window.overnight else 0, self.window.end)

    def next_start(self, t: float) -> float:
        """The first start of the hours after ``t``."""
        today = self._on(t, 0, self.window.start)
        return today if today > t else self._on(t, 1, self.window.start)
