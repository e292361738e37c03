"""Break reminders: the schedule as a state machine.

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
    waiting/due --(no input for the idle time)--> away --(input again)--> waiting

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
* Away counts as a break: no input for ``idle`` seconds (5 minutes by
  default; the screen locked counts as no input) drops a break that is due
  and restarts the interval, from the moment the user is back.  An idle span
  is counted only from the last moment the user was surely there: the
  start, a key, the end of a break (a routine is played without touching the
  keyboard).  The caller reports idle time with ``on_idle``.
* Quiet while busy: while the caller says the user is busy (``set_busy``: a
  meeting in their calendar, or the desktop's do-not-disturb), a break that
  comes due waits, without ringing, and is offered when the busy time ends;
  a nudge waits too.
"""

from __future__ import annotations

import math
from datetime import date
from typing import NamedTuple

from psoas_cli.breaks.counts import (
    AGAIN,
    AWAY,
    BACK,
    DUE_EVENT,
    HELD,
    IDLE,
    MISSED,
    NUDGE,
    SKIPPED,
    SNOOZED,
    STARTED,
    TAKEN,
    Event,
    Tally,
)
from psoas_cli.breaks.hours import Hours, Window, Zone
from psoas_cli.errors import ReminderError
from psoas_cli.history.records import Counts
from psoas_cli.model.durations import MAX_EVERY, MIN_EVERY, MINUTE, format_duration, span_text

DEFAULT_SNOOZE = 5 * MINUTE
DEFAULT_NUDGE = 15 * MINUTE
MAX_WAIT = 60.0  # the caller ticks at least this often; longer gaps are sleeps or jumps
GAP = 2 * MAX_WAIT  # a tick this late (or later) was a sleep or a jump, not a slow wake

DEFAULT_IDLE = 5 * MINUTE  # no input this long is time away from the desk

# States
WAITING, DUE, ON_BREAK = "waiting", "due", "break"
AWAY_STATE = "away"  # no input for the idle time: the interval starts when the user is back
QUIET = "quiet"  # shown for waiting outside the break hours
HELD_STATE = "held"  # shown for waiting when a break is due but the user is busy

# What keeps a break waiting
MEETING, DND = "meeting", "dnd"


class Busy(NamedTuple):
    """The user is busy: in a meeting until ``until``, or do-not-disturb is on
    (``until`` None: until the caller says otherwise)."""

    reason: str  # MEETING or DND
    until: float | None = None

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
    since_clock: str = ""  # away: since when (HH:MM)
    busy: str = ""  # MEETING or DND while the user is busy, else ""
    busy_until: str = ""  # a meeting's end, HH:MM ("" if unknown)


class Schedule:
    """When the next break comes due, and what each answer does to it."""

    def __init__(self, every: float, *, snooze: float = DEFAULT_SNOOZE,
                 nudge: float | None = DEFAULT_NUDGE, window: Window | None = None,
                 zone: Zone | None = None, idle: float | None = DEFAULT_IDLE) -> None:
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
        self.last_tick: float | None = None  # the wall-clock time of the last on_tick
        self.idle = idle or None  # seconds without input that count as away; None: never
        self.present = -math.inf  # the last moment the user was surely at the desk
        self.away_since: float | None = None
        self.busy: Busy | None = None
        self.held = False  # the due time passed while busy: the break waits

    # -- placing the next break --------------------------------------------------

    def start(self, now: float) -> None:
        """Begin counting, as if the user sat down at ``now``."""
        self.last_seen = self.present = now
        self._wait_from(now, self.every)

    def _wait_from(self, now: float, interval: float) -> None:
        """Next break ``interval`` after ``now``; one that would fall outside the
        hours moves to ``every`` after their next start."""
        self.state, self.nudge_at, self.anchored, self.held = WAITING, None, False, False
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
        for _ in range(7):  # hours a daylight-saving gap cuts too short that day: the next
            if start + self.every < self.hours.end_after(start):
                break
            start = self.hours.next_start(max(start, self.hours.end_after(start)))
        self.due_at, self.expires = start + self.every, self.hours.end_after(start)
        self.anchored = True  # tied to the hours on the wall clock, not to a moment

    # -- the clock moving ------------------------------------------------------------

    def on_tick(self, now: float, elapsed: float | None = None) -> Event | None:
        """Call whenever the caller wakes; returns what just happened, if anything.

        ``elapsed``: the real (monotonic) seconds since the last tick, when the
        caller knows them: a clock set back while it slept is then seen by
        exactly how far, not less the time slept.
        """
        if self.state == ON_BREAK:
            return None
        last, self.last_seen = self.last_seen, now
        ticked, self.last_tick = self.last_tick, now
        # Where the wall clock should be now: after the last tick by the real
        # time that passed, when the caller says; else at least where it was.
        expected = ticked + elapsed if ticked is not None and elapsed is not None \
            and 0 <= elapsed < GAP else last
        if expected is not None and now < expected - 1:
            self._clock_went_back(expected, now)
        elif last is not None and now - last >= max(GAP, self.every):
            return self._record(self._back_from_away(now, now - last))
        if now >= self.expires:
            return self._record(self._hours_over(now))
        if self.state == DUE:
            if self.nudge_at is not None and now >= self.nudge_at and not self._busy(now):
                self.nudge_at = None
                return self._record(Event(NUDGE, now, self.pending))
            return None
        if self.state == WAITING and self.away_since is None and now >= self.due_at:
            busy = self._busy(now)
            if busy is not None:
                if self.held:
                    return None
                self.held = True
                return Event(HELD, now, self.pending, busy.until, reason=busy.reason)
            return self._record(self._come_due(now))
        return None

    def _busy(self, now: float) -> Busy | None:
        busy = self.busy
        return busy if busy is not None and (busy.until is None or now < busy.until) else None

    # -- away from the desk, and busy -------------------------------------------------

    def seen(self, now: float) -> None:
        """The user is surely at the desk at ``now`` (a key was pressed)."""
        self.present = max(self.present, now)

    def on_idle(self, now: float, idle: float | None) -> Event | None:
        """The user has given no input for ``idle`` seconds (None: not known).

        Reaching the idle time drops a due break and holds the next one until
        the user is back (IDLE); input again starts the interval from the
        moment it came (BACK).
        """
        if self.idle is None or idle is None or self.state == ON_BREAK or not idle >= 0 \
                or now < self.present:
            return None  # a reading from before the user was surely there tells nothing
        idle = min(idle, now - self.present)  # not before a key, a break or the start
        if self.away_since is not None:
            if idle >= self.idle:
                self._wait_from(now, self.every)  # still away: the count waits for them
                return None
            back = max(now - idle, self.away_since)
            gone, self.away_since = back - self.away_since, None
            self.last_seen = max(self.last_seen or now, now)
            self._wait_from(back, self.every)
            return self._record(Event(BACK, now, None, self.due_at, gone))
        if idle < self.idle or self.state not in (WAITING, DUE) or self.shown_state(now) == QUIET:
            return None
        self.away_since = now - idle
        dropped, self.pending = self.pending, None
        self._wait_from(now, self.every)
        return self._record(Event(IDLE, now, dropped, self.due_at, idle))

    def set_busy(self, busy: Busy | None) -> None:
        """The user is busy (a meeting, do-not-disturb) or, with None, no longer."""
        self.busy = busy

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
        self.seen(now)
        self.due_at = now + seconds  # may pass the end of the hours: then it is missed
        return self._record(Event(SNOOZED, now, self.pending, self.due_at, seconds))

    def skip(self, now: float) -> Event | None:
        """x: let this break go; the next is a whole interval away."""
        if self.state != DUE:
            return None
        due, self.pending = self.pending, None
        self.last_seen = now
        self.seen(now)
        self._wait_from(now, self.every)
        return self._record(Event(SKIPPED, now, due, self.due_at))

    def start_break(self, now: float) -> Event | None:
        """Enter: the routine starts; ticks are ignored until ``end_break``.

        Also allowed while waiting (a break taken early).
        """
        if self.state == ON_BREAK:
            return None
        self.state, self.break_started, self.nudge_at = ON_BREAK, now, None
        self.away_since = None  # a routine played is the user back (and on a break)
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
        self.seen(now)  # the routine's time without input is no time away
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
        if self.state == WAITING and self.away_since is not None:
            return AWAY_STATE
        if self.state == WAITING and self.hours is not None and not self.hours.contains(now):
            return QUIET
        if self.state == WAITING and self.held:
            return HELD_STATE
        return self.state

    def wait_seconds(self, now: float, *, minutes_shown: bool = True) -> float:
        """How long the caller may sleep before something it shows or does changes.

        Never more than MAX_WAIT, so a sleep or clock jump is noticed within
        a minute; with ``minutes_shown`` it also wakes when the whole minutes
        left change, and at local midnight (today's counts start again).
        """
        moments = [now + MAX_WAIT, self.expires]
        if self.state == WAITING and not self.held:  # a held break waits for busy.until
            moments.append(self.due_at)
            left = self.due_at - now
            if minutes_shown and left > 0:
                moments.append(self.due_at - (math.ceil(left / MINUTE) - 1) * MINUTE)
        elif self.state == DUE and self.nudge_at is not None:
            moments.append(self.nudge_at)
        if self.busy is not None and self.busy.until is not None and self.busy.until > now:
            moments.append(self.busy.until)  # a meeting's end: the break waiting is offered
        if minutes_shown:
            moments.append(self.zone.midnight_after(now))
        return max(0.01, min(moments) - now)

    def status(self, now: float) -> Status:
        state = self.shown_state(now)
        due_at = self.pending if state in (DUE, ON_BREAK) and self.pending is not None \
            else self.due_at
        left = max(0.0, self.due_at - now) if state in (WAITING, QUIET, AWAY_STATE) else 0.0
        busy = self._busy(now)
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
            counts=self.tally.today(now),
            since_clock=self.zone.clock(self.away_since) if self.away_since is not None else "",
            busy=busy.reason if busy else "",
            busy_until=self.zone.clock(busy.until) if busy and busy.until is not None else "")

    def _day_word(self, now: float, t: float) -> str:
        if not math.isfinite(t):
            return ""
        days = _ordinal(self.zone.day(t)) - _ordinal(self.zone.day(now))
        return "" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"


def _ordinal(day: tuple[int, int, int]) -> int:
    return date(*day).toordinal()
