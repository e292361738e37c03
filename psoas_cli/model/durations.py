"""Durations for break reminders: read as typed (45m, 1h30m, 90s), written back short,
and shown for people to read.

Pure, and below files/ so that the settings (files/config.py: ``idle``) read
a duration as ``psoas remind --idle`` does."""

from __future__ import annotations

import math
import re

from psoas_cli.errors import ReminderError
from psoas_cli.text import quoted

MINUTE = 60.0
HOUR = 3600.0
MAX_EVERY = 24 * HOUR  # longer than a day is not a break reminder
MIN_EVERY = 1.0

_UNITS = {"h": HOUR, "hr": HOUR, "hrs": HOUR, "hour": HOUR, "hours": HOUR,
          "m": MINUTE, "min": MINUTE, "mins": MINUTE, "minute": MINUTE, "minutes": MINUTE,
          "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0}
_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)"
_PART = re.compile(rf"{_NUMBER}\s*([a-z]*)\s*", re.ASCII)
_BARE = re.compile(_NUMBER, re.ASCII)
_EXAMPLES = "write it like 45m, 1h30m, 90s or 1.5h"


def parse_duration(text: str, *, least: float = MIN_EVERY, most: float = MAX_EVERY) -> float:
    """Seconds in a duration as people write it: 45m, 1h30m, 1h 30m, 90s, 1.5h.

    A bare number is minutes (``25`` is 25 minutes): breaks are thought of in
    minutes, and 25 seconds would never be what was meant.  Each unit may
    appear once, largest first.
    """
    cleaned = text.strip().lower() if isinstance(text, str) else ""
    if not cleaned:
        raise ReminderError(f"{quoted(text, 24)} is not a duration; {_EXAMPLES}")
    if cleaned.startswith("-"):
        raise ReminderError(f"{quoted(text, 24)} is negative; a duration is more than zero")
    bare = _BARE.fullmatch(cleaned)
    if bare:
        seconds = float(bare.group(1)) * MINUTE
    else:
        seconds = _parse_parts(text, cleaned)
    if not math.isfinite(seconds) or seconds > most:
        raise ReminderError(f"{quoted(text, 24)} is too long; at most {format_duration(most)}")
    if seconds <= 0:
        raise ReminderError(f"{quoted(text, 24)} is zero; a duration is more than zero")
    if seconds < least:
        raise ReminderError(f"{quoted(text, 24)} is too short; at least {format_duration(least)}")
    return seconds


def _parse_parts(text: str, cleaned: str) -> float:
    seconds, position, last = 0.0, 0, math.inf
    while position < len(cleaned):
        match = _PART.match(cleaned, position)
        if not match:
            raise ReminderError(f"{quoted(text, 24)} is not a duration; {_EXAMPLES}")
        number, word = match.groups()
        if not word and last == HOUR and match.end() == len(cleaned):
            unit: float | None = MINUTE  # "1h30", as often written
        else:
            unit = _UNITS.get(word)
        if unit is None:
            raise ReminderError(f"{quoted(text, 24)} is not a duration; {_EXAMPLES}")
        if unit >= last:
            raise ReminderError(f"{quoted(text, 24)}: give hours, minutes and seconds once each, "
                                f"in that order ({_EXAMPLES})")
        seconds += float(number) * unit
        position, last = match.end(), unit
    return seconds


def format_duration(seconds: float) -> str:
    """The short form parse_duration reads back: 45m, 1h30m, 1m30s, 24h."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return "".join(parts) or "0s"


def span_text(seconds: float) -> str:
    """A length for people to read: '45 s', '5 min', '1 h 30 min'."""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole % 60 and whole < 600:
        return f"{whole // 60} min {whole % 60} s"
    minutes = int(round(whole / 60))
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
