"""The largest and smallest values psoas accepts, in one place.

Pure Python.  The command line, routines files and catalogues check their
numbers here, so a hold of a million seconds, a billion reps, an infinite
rest or NaN is refused with the same words wherever it is written.  The
README lists these limits; change them here and there together.

Use ``check(value, HOLD)`` for a number a file gave (already an int or a
float), ``parse(text, HOLD)`` for one typed on the command line; both raise
``OutOfBounds`` with a message such as "must be at most 600, not 1e+300".
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from psoas_cli.text import kind, shown

Number = int | float


class Bound(NamedTuple):
    low: float
    high: float
    whole: bool = False  # only whole numbers
    unit: str = ""  # "seconds", for messages
    above: bool = False  # low itself is not allowed: more than low


HOLD = Bound(1, 600, whole=True, unit="seconds")  # one hold (or one flow), 10 minutes
REPS = Bound(1, 100, whole=True)  # reps of a stretch, on each side
PAUSE = Bound(0, 600, unit="seconds")  # ready, switch and rest; a routine item's set-up
SETUP = Bound(1, 600, unit="seconds")  # a stretch's own time to get into position
ROUTINE_SECONDS = 4 * 3600  # a whole routine as planned, pauses and set-ups included
# What a routine may be fitted to (--minutes, minutes:, config): no more than it may last.
MINUTES = Bound(0, ROUTINE_SECONDS // 60, unit="minutes", above=True)
# A side's big word ("right ankle"): short enough that, in big letters, the
# figure still fits beside it in 80 columns.
SIDE_WORD = 11
MOVE_WORDS = 15  # a move between positions, said in about six seconds
MOVE_VERB = 6  # a movement's verb ("reach"), short enough for the big word "REACH & HOLD"
# A stretch's why line: one or two sentences, said in about 20 s (2.5 words a second).
WHY_SENTENCES = 2
WHY_WORDS = 50
# A routine's name: YAML reads no key longer than 1,024 characters, quotes included.
NAME_CHARS = 1000
# A program (programs.yaml): the time a week gives each focus stretch a side,
# how many weeks it may have, and how long its title and a day's label may be.
PROGRAM_HOLD = Bound(10, 120, whole=True, unit="seconds")
PROGRAM_WEEKS = 12
PROGRAM_TITLE = 60
PROGRAM_LABEL = 30
FILE_BYTES = 2 * 1024 * 1024  # a catalogue or routines file (ours are 25 kB together)
# A command psoas runs (a desktop notification, a voice cue): what of its output
# is kept (the rest is read and dropped), and how long it may run.
CHILD_OUTPUT_BYTES = 4096
CHILD_SECONDS = 30.0
# One session waiting in the history's journal (a few kB; a longer one is set aside).
JOURNAL_RECORD_BYTES = 1024 * 1024
# A time recorded in the history (unix time): from 1970 to the start of the year 3000.
RECORDED_TIME = Bound(0, 32_503_680_000, unit="seconds")
# Seconds recorded for a session or a stretch: a hold, an active or planned time.
RECORDED_SECONDS = Bound(0, 10 * 24 * 3600, unit="seconds")
# A history export to import (about 500 bytes a session: 100,000 sessions and more),
# and what is read of a sync file at a time (a file may be longer: read in parts).
IMPORT_BYTES = 256 * 1024 * 1024
SYNC_READ_BYTES = 8 * 1024 * 1024  # of a sync file read at once: a line is a few hundred bytes
SYNC_FILE_BYTES = 1024 * 1024 * 1024  # a sync file longer than this is left alone
# A calendar (remind --calendar): how deeply its parts may nest (VCALENDAR >
# VTIMEZONE > STANDARD is 3; a deeper file is read no further), how many events
# are read of all its files, how long one event may last, how many periods apart
# its repeats may be (a longer INTERVAL is read as no repeat), and how many
# periods of one rule, and of all rules together, are looked at for one answer.
CALENDAR_DEPTH = 8
CALENDAR_EVENTS = 100_000
CALENDAR_EVENT_DAYS = 400
CALENDAR_INTERVAL = 1000
CALENDAR_RULE_PERIODS = 200_000
CALENDAR_PERIODS = 2_000_000

# What may be typed for a number: ASCII digits, a sign and a decimal point, and
# not so many digits that converting them costs anything.
_TYPED = re.compile(r"[+-]?(?:[0-9]{1,12}(?:\.[0-9]{0,9})?|\.[0-9]{1,9})")
_MANY_DIGITS = re.compile(r"[+-]?0*[1-9][0-9]{12,}(?:\.[0-9]*)?")


class OutOfBounds(ValueError):
    """A number that is not a number, not finite, or outside its bound."""


def check(value: object, bound: Bound) -> Number:
    """``value`` (from a file) if it is a finite number within ``bound``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise OutOfBounds(f"must be a number{_of(bound)}, not {kind(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise OutOfBounds(f"must be a finite number{_of(bound)}, not {shown(value)}")
    if bound.above and not bound.low < value <= bound.high:
        raise OutOfBounds(f"must be more than {bound.low:g} and at most {bound.high:g}, "
                          f"not {shown(value)}")
    if value < bound.low:
        raise OutOfBounds(f"must be at least {bound.low:g}, not {shown(value)}")
    if value > bound.high:
        raise OutOfBounds(f"must be at most {bound.high:g}, not {shown(value)}")
    if bound.whole and int(value) != value:
        raise OutOfBounds(f"must be a whole number, not {shown(value)}")
    return int(value) if bound.whole else value


def parse(text: str, bound: Bound) -> Number:
    """A number typed on the command line, checked as ``check`` does.

    Only ASCII digits are read: Python's int() and float() would take
    '١٢' and 'nan' and 'inf', which nobody means as a time.
    """
    typed = text.strip()
    if _MANY_DIGITS.fullmatch(typed):  # a number, only far too big (or small) to read
        side = f"at least {bound.low:g}" if typed.startswith("-") else f"at most {bound.high:g}"
        raise OutOfBounds(f"must be {side}, not '{shown(text, 20)}'")
    if not _TYPED.fullmatch(typed):
        what = "a whole number" if bound.whole else "a number"
        raise OutOfBounds(f"must be {what}{_of(bound)}, not '{shown(text)}'")
    value: Number = float(typed) if "." in typed else int(typed)
    return check(value, bound)


def check_length(seconds: float) -> None:
    """A routine's planned length, all pauses included (timeline.length stops
    adding once past the limit: how far past is not known, so not said)."""
    if not seconds <= ROUTINE_SECONDS:
        raise OutOfBounds(f"would last over {_hours(ROUTINE_SECONDS)}, longer than a "
                          "routine may last")


def _of(bound: Bound) -> str:
    return f" of {bound.unit}" if bound.unit else ""


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{round(hours, 1):g} hours" if hours < 1e6 else "millions of hours"
