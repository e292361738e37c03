"""Break reminders: durations, break hours, and the schedule as a state machine.

Pure Python, no Click, no Rich, no terminal, and no clock of its own: every
method that needs the time is handed ``now`` (unix time, the wall clock), and
local time comes from an injected ``Zone``.  The caller owns the loop; it
asks ``wait_seconds`` how long it may sleep and calls ``on_tick`` when it
wakes.

The states, and what moves between them::

    waiting --(due time passes)--> due --Enter--> break --(routine ends)--> waiting
                                    |--s--> waiting (snoozed; comes due again)
                                    |--x--> waiting
                                    '--(break hours end, or you were away)--> waiting

Rules:

* The schedule follows the wall clock and keeps only one due time, so after
  a laptop sleeps or the clock jumps forward a break fires once, never a
  burst.  The caller ticks at least every ``MAX_WAIT`` seconds, so a longer
  gap between ticks means the machine slept or the clock jumped; a gap of a
  whole interval or more counts as time away from the desk (a break of
  sorts) and restarts the count without ringing.
* A clock that jumps backwards keeps the countdown it had.
* An unanswered break stays due: it doesn't stack up or ring every minute;
  one gentle nudge comes ``nudge`` seconds later (15 minutes by default).
* After a break the next one is ``every`` after the break ended.
* Outside the break hours (``--between``) nothing comes due; the count
  starts again at the next start of the hours, so the first break of a
  working day comes ``every`` after it starts, and nothing carried over
  from the evening before.  A break left unanswered when the hours end is
  dropped as missed.
* Counts are per local day; each event counts on the day it happened.
"""

from __future__ import annotations

import math
import re
import time
from datetime import date
from typing import NamedTuple

from psoas_cli.history.records import Counts
from psoas_cli.errors import PsoasError

MINUTE = 60.0
HOUR = 3600.0
MAX_EVERY = 24 * HOUR  # longer than a day is not a break reminder
MIN_EVERY = 1.0
DEFAULT_SNOOZE = 5 * MINUTE
DEFAULT_NUDGE = 15 * MINUTE
MAX_WAIT = 60.0  # the caller ticks at least this often; longer gaps are sleeps or jumps
GAP = 2 * MAX_WAIT  # a tick this late (or later) was a sleep or a jump, not a slow wake

# States
WAITING, DUE, ON_BREAK = "waiting", "due", "break"
QUIET = "quiet"  # shown for waiting outside the break hours

# Events
DUE_EVENT = "due"  # a break comes due for the first time (counted as offered)
AGAIN = "again"  # a snoozed break comes due again
NUDGE = "nudge"  # the one reminder of a break left unanswered
SNOOZED, SKIPPED, STARTED, TAKEN = "snoozed", "skipped", "started", "taken"
MISSED = "missed"  # an unanswered break dropped at the end of the break hours
AWAY = "away"  # the machine slept (or the clock jumped) for at least a whole interval


class ReminderError(PsoasError):
    """A duration or a window of hours that cannot be used as given."""


# -- durations ------------------------------------------------------------------

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
        raise ReminderError(f"{_shown(text)} is not a duration; {_EXAMPLES}")
    if cleaned.startswith("-"):
        raise ReminderError(f"{_shown(text)} is negative; a duration is more than zero")
    bare = _BARE.fullmatch(cleaned)
    if bare:
        seconds = float(bare.group(1)) * MINUTE
    else:
        seconds = _parse_parts(text, cleaned)
    if not math.isfinite(seconds) or seconds > most:
        raise ReminderError(f"{_shown(text)} is too long; at most {format_duration(most)}")
    if seconds <= 0:
        raise ReminderError(f"{_shown(text)} is zero; a duration is more than zero")
    if seconds < least:
        raise ReminderError(f"{_shown(text)} is too short; at least {format_duration(least)}")
    return seconds


def _shown(text: object) -> str:
    """The user's text quoted for a message: control characters escaped, cut short."""
    text = str(text)
    return repr(text if len(text) <= 24 else text[:21] + "...")


def _parse_parts(text: str, cleaned: str) -> float:
    seconds, position, last = 0.0, 0, math.inf
    while position < len(cleaned):
        match = _PART.match(cleaned, position)
        if not match:
            raise ReminderError(f"{_shown(text)} is not a duration; {_EXAMPLES}")
        number, word = match.groups()
        if not word and last == HOUR and match.end() == len(cleaned):
            unit: float | None = MINUTE  # "1h30", as often written
        else:
            unit = _UNITS.get(word)
        if unit is None:
            raise ReminderError(f"{_shown(text)} is not a duration; {_EXAMPLES}")
        if unit >= last:
            raise ReminderError(f"{_shown(text)}: give hours, minutes and seconds once each, "
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


# -- break hours ------------------------------------------------------------------

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
        raise ReminderError(f"{_shown(text)} is not a span of hours; "
                            "write it like 09:00-18:00 or 9-18")
    start = _minute_of_day(text, match.group(1), match.group(2), end=False)
    end = _minute_of_day(text, match.group(3), match.group(4), end=True)
    if start == end % (24 * 60):
        raise ReminderError(f"{_shown(text)} starts and ends at the same time; "
                            "leave out --between to be reminded at any hour")
    return Window(start, end)


def _minute_of_day(text: str, hours: str, minutes: str | None, *, end: bool) -> int:
    h, m = int(hours), int(minutes or 0)
    if m > 59 or h > 24 or (h == 24 and (m or not end)):
        raise ReminderError(f"{_shown(text)}: {hours}:{minutes or '00'} is not a time of day "
                            "(00:00 to 23:59, or 24:00 to end at midnight)")
    return h * 60 + m


# -- local time -----------------------------------------------------------------------

class Zone:
    """Local wall-clock time, from the C library (the TZ variable)."""

    def fields(self, t: float) -> tuple[int, int, int, int, int, int]:
        """(year, month, day, hour, minute, second) of a unix time."""
        return tuple(time.localtime(t)[:6])  # type: ignore[return-value]

    def at(self, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
        """Unix time of a local wall-clock time; out-of-range days roll over."""
        return time.mktime((year, month, day, hour, minute, 0, 0, 0, -1))

    # Derived, so a test zone only needs the two above.
    def day(self, t: float) -> tuple[int, int, int]:
        return self.fields(t)[:3]

    def clock(self, t: float) -> str:
        return "%02d:%02d" % self.fields(t)[3:5]

    def midnight_after(self, t: float) -> float:
        y, m, d = self.day(t)
        return self.at(y, m, d + 1)


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


# -- counts per day ----------------------------------------------------------------------



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


# -- the schedule -----------------------------------------------------------------------------

class Event(NamedTuple):
    kind: str
    at: float
    due_at: float | None = None  # when the break this is about first came due
    next_at: float | None = None  # the next due time, once the schedule is waiting again
    seconds: float = 0.0  # taken: the break's length; away: the gap; snoozed: the snooze


class Status(NamedTuple):
    """What the screen shows, worked out for one moment.  Equal statuses
    draw the same screen, so the caller redraws only when it changes."""

    state: str  # WAITING, QUIET, DUE or ON_BREAK
    snoozed: bool  # waiting for a snoozed break to come due again
    due_at: float  # waiting: the next due time; due: when it first came due
    due_clock: str  # due_at as local HH:MM
    due_day: str  # "" when due_at is today, else "tomorrow" or a weekday
    minutes_left: int  # waiting: whole minutes to due_at, rounded up
    hours: str  # "09:00-18:00", or "" for any hour
    opens_clock: str  # quiet: when the hours start again, HH:MM
    every: str  # "45 min"
    snooze: str  # "5 min"
    counts: Counts


class Schedule:
    """When the next break comes due, and what each answer does to it."""

    def __init__(self, every: float, *, snooze: float = DEFAULT_SNOOZE,
                 nudge: float | None = DEFAULT_NUDGE, window: Window | None = None,
                 zone: Zone | None = None) -> None:
        if not MIN_EVERY <= every <= MAX_EVERY:
            raise ReminderError(f"every {format_duration(every)} is out of range "
                                f"({format_duration(MIN_EVERY)} to {format_duration(MAX_EVERY)})")
        if window is not None and window.minutes * MINUTE <= every:
            raise ReminderError(f"the hours {window} are no longer than the interval "
                                f"{format_duration(every)}, so no break would ever come due")
        self.every = every
        self.snooze_seconds = snooze
        self.nudge = nudge
        self.window = window
        self.zone = zone or Zone()
        self.hours = Hours(window, self.zone) if window else None
        self.tally = Tally(self.zone)
        self.state = WAITING
        self.due_at = math.inf  # waiting: when the next break comes due
        self.pending: float | None = None  # when the unanswered break first came due
        self.expires = math.inf  # the end of the hours the due time (or break) belongs to
        self.anchored = False  # due_at is 'every' after a start of the hours
        self.nudge_at: float | None = None
        self.break_started: float | None = None
        self.last_seen: float | None = None

    # -- placing the next break --------------------------------------------------

    def start(self, now: float) -> None:
        """Begin counting, as if the user sat down at ``now``."""
        self.last_seen = now
        self._wait_from(now, self.every)

    def _wait_from(self, now: float, interval: float) -> None:
        """Next break ``interval`` after ``now``; one that would fall outside the
        hours moves to ``every`` after their next start."""
        self.state, self.nudge_at, self.anchored = WAITING, None, False
        if self.hours is None:
            self.due_at, self.expires = now + interval, math.inf
            return
        start = self.hours.start_of(now)
        if start is not None:
            end = self.hours.end_after(start)
            if now + interval < end:
                self.due_at, self.expires = now + interval, end
                return
            now = end  # the hours end first: count from their next start
        start = self.hours.next_start(now)
        self.due_at, self.expires = start + self.every, self.hours.end_after(start)
        self.anchored = True  # tied to the hours on the wall clock, not to a moment

    # -- the clock moving ------------------------------------------------------------

    def on_tick(self, now: float) -> Event | None:
        """Call whenever the caller wakes; returns what just happened, if anything."""
        if self.state == ON_BREAK:
            return None
        last, self.last_seen = self.last_seen, now
        if last is not None and now < last - 1:
            self._clock_went_back(last, now)
        elif last is not None and now - last >= max(GAP, self.every):
            return self._record(self._back_from_away(now, now - last))
        if now >= self.expires:
            return self._record(self._hours_over(now))
        if self.state == DUE:
            if self.nudge_at is not None and now >= self.nudge_at:
                self.nudge_at = None
                return self._record(Event(NUDGE, now, self.pending))
            return None
        if now >= self.due_at:
            return self._record(self._come_due(now))
        return None

    def _come_due(self, now: float) -> Event:
        again = self.pending is not None
        if not again:
            self.pending = now
        self.state = DUE
        self.nudge_at = now + self.nudge if self.nudge else None
        return Event(AGAIN if again else DUE_EVENT, now, self.pending)

    def _back_from_away(self, now: float, gap: float) -> Event:
        dropped, self.pending = self.pending, None
        self._wait_from(now, self.every)
        return Event(AWAY, now, dropped, self.due_at, gap)

    def _hours_over(self, now: float) -> Event | None:
        dropped, self.pending = self.pending, None
        self._wait_from(now, self.every)
        return Event(MISSED, now, dropped, self.due_at) if dropped is not None else None

    def _clock_went_back(self, last: float, now: float) -> None:
        """Keep the countdown the user was watching.  A due time tied to the
        hours stays where it is: the hours are on the wall clock too."""
        if self.state == WAITING and not self.anchored:
            self.due_at -= last - now
        if self.nudge_at is not None:
            self.nudge_at -= last - now

    # -- answers -------------------------------------------------------------------

    def snooze(self, now: float, seconds: float | None = None) -> Event | None:
        """s: ask again in a few minutes.  Only a due break can be snoozed."""
        if self.state != DUE:
            return None
        seconds = self.snooze_seconds if seconds is None else seconds
        self.last_seen, self.state, self.nudge_at = now, WAITING, None
        self.due_at = now + seconds  # may pass the end of the hours: then it is missed
        return self._record(Event(SNOOZED, now, self.pending, self.due_at, seconds))

    def skip(self, now: float) -> Event | None:
        """x: let this break go; the next is a whole interval away."""
        if self.state != DUE:
            return None
        due, self.pending = self.pending, None
        self.last_seen = now
        self._wait_from(now, self.every)
        return self._record(Event(SKIPPED, now, due, self.due_at))

    def start_break(self, now: float) -> Event | None:
        """Enter: the routine starts; ticks are ignored until ``end_break``.

        Also allowed while waiting (a break taken early).
        """
        if self.state == ON_BREAK:
            return None
        self.state, self.break_started, self.nudge_at = ON_BREAK, now, None
        return self._record(Event(STARTED, now, self.pending))

    def end_break(self, now: float, *, taken: bool = True) -> Event | None:
        """The routine is over; the next break is ``every`` after ``now``.

        ``taken`` is False when the routine was stopped before any stretch was
        done: a due break then counts as skipped, an early one not at all.
        """
        if self.state != ON_BREAK:
            return None
        due, self.pending = self.pending, None
        length = now - (self.break_started if self.break_started is not None else now)
        self.last_seen, self.break_started = now, None
        self._wait_from(now, self.every)
        if not taken and due is None:
            return None
        return self._record(Event(TAKEN if taken else SKIPPED, now, due, self.due_at, length))

    def _record(self, event: Event | None) -> Event | None:
        if event is not None:
            self.tally.add(event)
        return event

    # -- what to show, and when to look again ----------------------------------------------

    def shown_state(self, now: float) -> str:
        if self.state == WAITING and self.hours is not None and not self.hours.contains(now):
            return QUIET
        return self.state

    def wait_seconds(self, now: float, *, minutes_shown: bool = True) -> float:
        """How long the caller may sleep before something it shows or does changes.

        Never more than MAX_WAIT, so a sleep or clock jump is noticed within
        a minute; with ``minutes_shown`` it also wakes when the whole minutes
        left change, and at local midnight (today's counts start again).
        """
        moments = [now + MAX_WAIT, self.expires]
        if self.state == WAITING:
            moments.append(self.due_at)
            left = self.due_at - now
            if minutes_shown and left > 0:
                moments.append(self.due_at - (math.ceil(left / MINUTE) - 1) * MINUTE)
        elif self.state == DUE and self.nudge_at is not None:
            moments.append(self.nudge_at)
        if minutes_shown:
            moments.append(self.zone.midnight_after(now))
        return max(0.01, min(moments) - now)

    def status(self, now: float) -> Status:
        state = self.shown_state(now)
        due_at = self.pending if state in (DUE, ON_BREAK) and self.pending is not None \
            else self.due_at
        left = max(0.0, self.due_at - now) if state in (WAITING, QUIET) else 0.0
        opens = ""
        if state == QUIET and self.hours is not None:
            opens = self.zone.clock(self.hours.next_start(now))
        return Status(
            state=state,
            snoozed=state in (WAITING, QUIET) and self.pending is not None,
            due_at=due_at,
            due_clock=self.zone.clock(due_at) if math.isfinite(due_at) else "",
            due_day=self._day_word(now, due_at),
            minutes_left=int(math.ceil(left / MINUTE)),
            hours=str(self.window) if self.window else "",
            opens_clock=opens,
            every=span_text(self.every), snooze=span_text(self.snooze_seconds),
            counts=self.tally.today(now))

    def _day_word(self, now: float, t: float) -> str:
        if not math.isfinite(t):
            return ""
        days = _ordinal(self.zone.day(t)) - _ordinal(self.zone.day(now))
        return "" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"


def _ordinal(day: tuple[int, int, int]) -> int:
    return date(*day).toordinal()
