"""What a program asks of today: the adaptation rules of docs/programs.md.

Pure Python.  Everything here is a function of the program (model/programs.py),
a few facts of the catalogue, the events so far and today's local date:
nothing reads a clock, a file or the history.  The events are stored (the
history's program_events, with the sessions, check-ins and self-tests they
point at, read by history/programs.py); everything else is derived by
replaying them day by day from the run's start (``fold``), so a rule
changed here changes every run, and nothing can drift out of step.

The rules are numbered as in docs/programs.md (R1 the fold, R3 holds, R4 the
tighter side, R5 unlocks, R6 pain, R7 easier weeks, R8 coming back).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from psoas_cli.model.programs import DAYS, REST, Program
from psoas_cli.practice.checkin import worse

# -- the numbers (docs/programs.md, R10) ---------------------------------------------------
PAIN_ABOVE = 3  # back pain above this (of 10) in any check-in is a pain flag
WORSE_BY = 2  # back pain after at least this much above before, in one session: a flag
GENTLE_SESSIONS = 3  # sessions played gentle after a pain flag
REPEAT_WINDOW = 14  # a second flag day within this many days: the program pauses
FLAGS_TO_PAUSE = 3  # ...or this many flag days since the start or the last resume
EASY_TIGHTNESS = 2  # tightness at or below this, both sides, is easy
EVIDENCE = 3  # check-ins (days) read for easy and for the tighter side
WINDOW = 14  # days looked back for check-ins and practice
PRACTICE = 2  # sessions that played the basic, within WINDOW, before it may deepen
TIGHTER_BY = 2  # one side this much tighter in a check-in...
TIGHTER_DAYS = 2  # ...on this many of the last EVIDENCE days, and never the other way
TEST_TIGHTER_BY = 1  # or this much in the latest self-test
STEADY_BACK = 2  # no back pain above this in the last week, for a strength move
GAP_EASE = 4  # missed days in a row before the holds step down...
EASE_SESSIONS = 2  # ...for this many sessions
GAP_RESTART = 14  # missed days in a row before the week starts again
MOST_DELOADS = 2  # easier weeks a run may have, never two in a row
DELOAD_RISE = 1  # the rise of a week's mean over the week before that asks for one
DELOAD_VALUES = 2  # day values needed in each of the two weeks compared
DONE_SHARE = 0.5  # a session stopped after this share of its time still counts
FINISHED_SHOWN = 7  # days a finished run still shows its line
EXTRA_REST = 5.0  # seconds, at least, of the rest before the tighter side's extra set

# Event kinds.
START, SESSION, CHECKIN, TEST, HURT, RESUME, STOP = (
    "start", "session", "checkin", "test", "hurt", "resume", "stop")
BEFORE, AFTER = "before", "after"
LEFT, RIGHT = "left", "right"

# Today's status.
PLAY, DONE, RESTING, PAUSED, FINISHED, STOPPED = (
    "session", "done", "rest", "paused", "finished", "stopped")
# Why a run is paused.
REPEATED, RED_FLAG = "repeated", "sharp"


class Event(NamedTuple):
    """One thing that happened in a run, on a local day; those of one day are
    applied in the order of ``at``."""

    kind: str  # START, SESSION, CHECKIN, TEST, HURT, RESUME or STOP
    day: date
    at: float = 0.0  # when (unix time), to order a day's events
    program: str = ""  # START: the program's name
    completed: bool = True  # SESSION: finished, or held at least DONE_SHARE of its time
    played: frozenset[str] = frozenset()  # SESSION: the stretches done, not skipped
    remind: bool = False  # SESSION: a break played by psoas remind
    moment: str = ""  # CHECKIN: BEFORE or AFTER a session
    back: int | None = None  # CHECKIN: back pain 0-10
    left: int | None = None  # CHECKIN: tightness of each hip, 0-10; TEST: each side's
    right: int | None = None  # score (0 = normal length, higher = tighter)
    both: int | None = None  # CHECKIN: one number for both hips
    sharp: bool = False  # HURT: it was sharp pain, numbness or tingling


def session(day: date, played: Iterable[str] = (), *, at: float = 0.0, completed: bool = True,
            remind: bool = False) -> Event:
    return Event(SESSION, day, at, completed=completed, played=frozenset(played),
                 remind=remind)


def checkin(day: date, moment: str = AFTER, *, at: float = 0.0, back: int | None = None,
            left: int | None = None, right: int | None = None,
            both: int | None = None) -> Event:
    return Event(CHECKIN, day, at, moment=moment, back=back, left=left, right=right,
                 both=both)


def test(day: date, left: int, right: int, *, at: float = 0.0) -> Event:
    return Event(TEST, day, at, left=left, right=right)


test.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


# -- the state while replaying a run -------------------------------------------------------

class PlanWeek(NamedTuple):
    """A week of the plan as it stands: the program's, or an easier one put in."""

    days: tuple[str, ...]
    hold: int
    level: str
    test: bool
    number: int  # the program's week it is (an easier week: the one just done)
    deload: bool = False


class Evidence(NamedTuple):
    """Why one side counts as tighter (or neither does)."""

    source: str  # "test" or "checkins"
    day: date  # the test's, or the last check-in's
    values: tuple[tuple[int, int], ...]  # (left, right): one for a test, three check-ins


class _State:
    """A run as the fold has it so far; plain and mutable, seen only here."""

    def __init__(self, program: Program, start: date) -> None:
        self.start = start
        self.plan = [PlanWeek(w.days, w.hold, w.level, w.test, n)
                     for n, w in enumerate(program.weeks, 1)]
        self.pos = 0  # the next program day: week pos // 7, day pos % 7
        self.rest_credit = False  # a day was missed since the last rest was taken
        self.missed = 0
        self.missed_run = 0  # missed days in a row, up to the last closed day
        self.gap_handled = 0  # this gap: 1 eased, 2 its week started again too
        self.welcome: tuple[int, bool] | None = None  # (days off, week restarted), unplayed
        self.flags: list[date] = []  # flag days since the start or the last resume
        self.all_flags: list[date] = []  # every flag day of the run
        self.gentle_left = 0
        self.gentle_now = False  # a check-in before today's session made it gentle
        self.ease_left = 0
        self.paused_on: date | None = None
        self.pause_reason = ""
        self.stopped = False
        self.deloads = 0
        self.unlocked: list[tuple[str, date]] = []  # (slug, the day it unlocked)
        self.unplayed: set[str] = set()  # unlocked, not yet in a completed session
        self.done_today = False
        self.played_today: frozenset[str] = frozenset()
        self.week_sessions = 0  # completed in the current plan week
        self.sessions: list[tuple[date, frozenset[str]]] = []
        self.checkins: list[Event] = []
        self.tests: list[Event] = []
        self.tested_weeks: set[int] = set()  # plan weeks in which a test was taken
        self.finished_on: date | None = None
        self.rest_days: list[date] = []  # calendar days a program rest day was taken
        self.paused_days: list[date] = []
        self.lines: list[tuple[date, str]] = []  # the calm lines raised, for the screens

    @property
    def week(self) -> int:
        return self.pos // DAYS

    @property
    def finished(self) -> bool:
        return self.pos >= DAYS * len(self.plan)

    def slot(self, pos: int | None = None) -> str:
        pos = self.pos if pos is None else pos
        return self.plan[pos // DAYS].days[pos % DAYS]


# -- day values of check-ins (R0) ----------------------------------------------------------

def _day_values(checkins: Sequence[Event], key: str) -> dict[date, int]:
    """One value a day: the day's answer before a session if there is one,
    else its answer after (before says how you are, after the session's
    passing effect).  One number for both hips counts for each side."""
    out: dict[date, int] = {}
    for event in checkins:
        value = getattr(event, key)
        if value is None and key in (LEFT, RIGHT):
            value = event.both
        if value is None:
            continue
        if event.moment == BEFORE or event.day not in out:
            out[event.day] = value
    return out


def _per_side(checkins: Sequence[Event]) -> dict[date, tuple[int, int]]:
    """Days with an answer for each hip on its own (not one number for both)."""
    out: dict[date, tuple[int, int]] = {}
    for event in checkins:
        if event.left is None or event.right is None:
            continue
        if event.moment == BEFORE or event.day not in out:
            out[event.day] = (event.left, event.right)
    return out


def _between(day: date, first: date, last: date) -> bool:
    return first <= day <= last


def _last_days(day: date, days: int) -> tuple[date, date]:
    """The ``days`` days ending on ``day``, both ends included."""
    return day - timedelta(days=days - 1), day


# -- R4: the tighter side ------------------------------------------------------------------

def tighter_side(tests: Sequence[Event], checkins: Sequence[Event],
                 today: date) -> tuple[str | None, Evidence | None]:
    """The tighter side and why: the newer of the latest test and the last
    three check-ins with each hip's own answer (on the same day, the test)."""
    test_side, test_evidence = None, None
    if tests:
        latest = tests[-1]
        left, right = latest.left or 0, latest.right or 0
        test_evidence = Evidence("test", latest.day, ((left, right),))
        if left - right >= TEST_TIGHTER_BY:
            test_side = LEFT
        elif right - left >= TEST_TIGHTER_BY:
            test_side = RIGHT
    first, last = _last_days(today, WINDOW)
    days = sorted((d, v) for d, v in _per_side(checkins).items() if _between(d, first, last))
    check_side, check_evidence = None, None
    if len(days) >= EVIDENCE:
        recent = days[-EVIDENCE:]
        check_evidence = Evidence("checkins", recent[-1][0], tuple(v for _, v in recent))
        for side, mine, other in ((LEFT, 0, 1), (RIGHT, 1, 0)):
            more = sum(1 for _, v in recent if v[mine] >= v[other] + TIGHTER_BY)
            less = sum(1 for _, v in recent if v[other] > v[mine])
            if more >= TIGHTER_DAYS and less == 0:
                check_side = side
    if check_evidence is None or (test_evidence is not None
                                  and test_evidence.day >= check_evidence.day):
        return test_side, test_evidence
    return check_side, check_evidence


# -- R5: easy, steady, practised -----------------------------------------------------------

def easy(tests: Sequence[Event], checkins: Sequence[Event], day: date) -> bool:
    """The basic has become easy, as of the end of ``day``: the latest test is
    normal on both sides (E1), or the last three tightness day values of the
    last 14 days are 2 or less on both sides (E2)."""
    if tests and tests[-1].left == 0 and tests[-1].right == 0:
        return True
    left, right = _day_values(checkins, LEFT), _day_values(checkins, RIGHT)
    first, last = _last_days(day, WINDOW)
    both = sorted((d, (left[d], right[d])) for d in left if d in right
                  and _between(d, first, last))
    recent = both[-EVIDENCE:]
    return len(recent) == EVIDENCE and all(max(v) <= EASY_TIGHTNESS for _, v in recent)


def _practised(state: _State, slug: str, day: date) -> int:
    first, last = _last_days(day, WINDOW)
    return sum(1 for d, played in state.sessions if _between(d, first, last) and slug in played)


def _steady(state: _State, day: date) -> bool:
    """No pain flag in the last 14 days, no back pain above 2 in the last 7."""
    first, last = _last_days(day, WINDOW)
    if any(_between(f, first, last) for f in state.all_flags):
        return False
    week = _last_days(day, DAYS)
    return all(v <= STEADY_BACK for d, v in _day_values(state.checkins, "back").items()
               if _between(d, *week))


def _unlock(program: Program, movements: frozenset[str], state: _State, day: date,
            number: int) -> None:
    """At the boundary after ``day``, into the planned week ``number``: at
    most one stretch and one movement, the first in the file's order that
    may come in."""
    if state.gentle_left or state.paused_on is not None:
        return
    taken = {slug for slug, _ in state.unlocked}
    for movement in (False, True):
        for variation in program.variations:
            slug = variation.stretch
            if slug in taken or (slug in movements) != movement or variation.from_week > number:
                continue
            basic = variation.instead_of
            practised = not basic or _practised(state, basic, day) >= PRACTICE
            if movement:
                ready = practised and _steady(state, day)
            else:
                week = _last_days(day, DAYS)
                ready = (practised and not any(_between(f, *week) for f in state.all_flags)
                         and easy(state.tests, state.checkins, day))
            if ready:
                state.unlocked.append((slug, day + timedelta(days=1)))
                state.unplayed.add(slug)
                state.lines.append((day + timedelta(days=1), f"new:{slug}"))
                break


# -- R7: easier weeks ----------------------------------------------------------------------

def deload_due(flags: Sequence[date], checkins: Sequence[Event], day: date) -> bool:
    """An easier week is asked for, looking back from ``day``: a pain flag in
    the last 7 days (D1), or back pain (D2) or either hip's tightness (D3)
    up by a point or more, on average, over the 7 days before those."""
    this_week = _last_days(day, DAYS)
    week_before = _last_days(day - timedelta(days=DAYS), DAYS)
    if any(_between(f, *this_week) for f in flags):
        return True
    for key in ("back", LEFT, RIGHT):
        values = _day_values(checkins, key)
        now = [v for d, v in values.items() if _between(d, *this_week)]
        then = [v for d, v in values.items() if _between(d, *week_before)]
        if len(now) >= DELOAD_VALUES and len(then) >= DELOAD_VALUES and \
                sum(now) * len(then) >= (sum(then) + DELOAD_RISE * len(then)) * len(now):
            return True  # mean(now) >= mean(then) + 1, in whole numbers
    return False


# -- R6: pain ------------------------------------------------------------------------------

def worse_after(before: int | None, after: int | None) -> bool:
    """Pain worse after a session than before it: by WORSE_BY points or more
    (a point's change is noise), by the check-ins' own rule, so the program
    and their calm line never disagree."""
    return before is not None and after is not None and worse(before, after, WORSE_BY)


def _flag(state: _State, day: date, *, before_session: bool = False,
          sharp: bool = False) -> None:
    if state.paused_on is not None or state.stopped:
        return
    if day in state.flags:
        if sharp:  # the same day, now a red flag: that pauses whatever came first
            _pause(state, day, RED_FLAG)
        return
    recent = [f for f in state.flags if day - timedelta(days=REPEAT_WINDOW) <= f < day]
    state.flags.append(day)
    state.all_flags.append(day)
    if sharp:
        _pause(state, day, RED_FLAG)
    elif recent or len(state.flags) >= FLAGS_TO_PAUSE:
        _pause(state, day, REPEATED)
    else:
        state.gentle_left = GENTLE_SESSIONS
        state.gentle_now = before_session
        state.lines.append((day, "gentle-now" if before_session else "gentle"))


def _pause(state: _State, day: date, reason: str) -> None:
    state.paused_on, state.pause_reason = day, reason
    state.lines.append((day, f"pause:{reason}"))


def _apply(program: Program, state: _State, event: Event) -> None:
    kind, day = event.kind, event.day
    if kind == STOP:
        state.stopped = True
    elif kind == RESUME:
        if state.paused_on is None:
            return
        state.paused_on, state.pause_reason = None, ""
        state.flags = []
        state.unlocked = []
        state.unplayed = set()
        state.gentle_left = GENTLE_SESSIONS
        state.pos -= state.pos % DAYS  # the week starts again
        state.week_sessions = 0
        state.lines.append((day, "resumed"))
    elif kind == HURT:
        _flag(state, day, sharp=event.sharp)
    elif kind == TEST:
        state.tests.append(event)
        if not state.finished:
            state.tested_weeks.add(state.week)
    elif kind == CHECKIN:
        state.checkins.append(event)
        if event.back is not None and event.back > PAIN_ABOVE:
            _flag(state, day, before_session=event.moment == BEFORE)
        elif event.moment == AFTER and event.back is not None:
            before = [c.back for c in state.checkins if c.day == day and c.moment == BEFORE
                      and c.back is not None]
            if before and worse_after(before[-1], event.back):
                _flag(state, day)
    elif kind == SESSION:
        _session(program, state, event)


def _session(program: Program, state: _State, event: Event) -> None:
    """A session played: it does today's program day, or it is an extra (in
    the history and the streak, never in the program)."""
    if state.paused_on is not None or state.stopped or state.finished or state.done_today:
        return
    slot = state.slot()
    if slot == REST or not event.completed:
        return
    if event.remind and slot != program.remind:
        return
    state.done_today = True
    state.played_today = event.played
    state.sessions.append((event.day, event.played))
    state.week_sessions += 1
    state.unplayed -= event.played
    state.welcome = None
    if state.gentle_left:
        state.gentle_left -= 1
    elif state.ease_left:
        state.ease_left -= 1
    state.gentle_now = False


def _close(program: Program, movements: frozenset[str], state: _State, day: date) -> None:
    """The end of calendar day ``day``: the program day moves on, or is missed."""
    if state.paused_on is not None:
        state.paused_days.append(day)
    if state.paused_on is not None or state.stopped or state.finished:
        state.done_today = False
        return
    week = state.week
    if state.slot() == REST:
        state.pos += 1
        state.rest_credit = False
        state.missed_run = 0
        state.rest_days.append(day)
    elif state.done_today:
        state.pos += 1
        state.missed_run = 0
    else:  # missed: the same program day waits for tomorrow
        state.missed += 1
        state.missed_run += 1
        state.rest_credit = True
    state.done_today = False
    state.gentle_now = False
    if state.rest_credit and not state.finished and state.slot() == REST \
            and state.pos // DAYS == week:
        state.pos += 1  # a missed day pays for the next rest day
        state.rest_credit = False
    if state.finished:
        state.finished_on = day + timedelta(days=1)
    elif state.week != week:
        state.week_sessions = 0
        _boundary(program, movements, state, day)


def _boundary(program: Program, movements: frozenset[str], state: _State, day: date) -> None:
    """The week just done ended on ``day``: an easier week before the next,
    or else what unlocks for it (R1b)."""
    done = state.plan[state.week - 1]
    deload = program.deload
    if (deload is not None and not done.deload and done.number >= 2
            and state.deloads < MOST_DELOADS
            and deload_due(state.all_flags, state.checkins, day)):
        hold = deload.hold if deload.hold is not None else program.step_down(done.hold)
        state.plan.insert(state.week, PlanWeek(deload.days, hold, deload.level, False,
                                               done.number, deload=True))
        state.deloads += 1
        state.lines.append((day + timedelta(days=1), "deload"))
        return
    _unlock(program, movements, state, day, state.plan[state.week].number)


def _morning(state: _State, day: date) -> None:
    """As ``day`` begins, after days off (R8), once a gap: the holds step down
    for two sessions after 4 days missed; the week starts again after 14."""
    if state.missed_run == 0:
        state.gap_handled = 0
        return
    if state.paused_on is not None or state.finished:
        return
    if state.missed_run >= GAP_RESTART and state.gap_handled < 2:
        state.pos -= state.pos % DAYS
        state.week_sessions = 0
        state.gap_handled = 2
        state.ease_left = EASE_SESSIONS
        state.welcome = (state.missed_run, True)
        state.lines.append((day, f"restart:{state.missed_run}"))
    elif state.missed_run >= GAP_EASE and state.gap_handled < 1:
        state.ease_left = EASE_SESSIONS
        state.gap_handled = 1
        state.welcome = (state.missed_run, False)
        state.lines.append((day, f"ease:{state.missed_run}"))


def fold(program: Program, movements: frozenset[str], events: Iterable[Event],
         today: date) -> _State:
    """Replay a run's events day by day, from its start to ``today`` (R1).

    ``movements`` are the slugs of the catalogue's movements (kind:
    movement): a variation is on the strength track when its stretch is one.
    Events before the start, or after today (a clock set wrong), are left out.
    """
    ordered = sorted(events, key=lambda e: (e.day, e.at))
    starts = [e for e in ordered if e.kind == START]
    if not starts:
        raise ValueError("a run begins with a start event")
    start = starts[-1].day
    state = _State(program, start)
    by_day: dict[date, list[Event]] = {}
    for event in ordered:
        if start <= event.day <= today and event.kind != START:
            by_day.setdefault(event.day, []).append(event)
    day = start
    while day <= today:
        _morning(state, day)
        for event in by_day.get(day, ()):
            _apply(program, state, event)
        if day == today:
            break
        _close(program, movements, state, day)
        day += timedelta(days=1)
    return state


# -- today ---------------------------------------------------------------------------------

class Today(NamedTuple):
    """What a run asks of today, and what status shows of it."""

    status: str  # PLAY, DONE, RESTING, PAUSED, FINISHED or STOPPED
    program: str
    start: date
    week: int = 0  # 1-based, in the plan as it stands (easier weeks counted)
    weeks: int = 0
    day: int = 0  # 1-7
    session: str = ""  # the session key
    label: str = ""  # "desk break"
    routine: str = ""
    level: str = ""
    hold: int = 0  # each focus stretch's time a side; 0 when gentle
    gentle: bool = False  # played as the gentle level plays it, nothing of the program's
    gentle_number: int = 0  # which of the gentle sessions (1-3) this is
    gentle_now: bool = False  # a check-in before this session made it gentle
    deload: bool = False  # an easier week
    test_due: bool = False
    swaps: tuple[tuple[str, str], ...] = ()  # (basic, variation) played in its place
    adds: tuple[tuple[str, str], ...] = ()  # (variation, after): added to this session
    tighter: str | None = None  # left, right or None
    evidence: Evidence | None = None
    next_label: str = ""  # the program day after today's ("rest day", "longer session")
    coming: tuple[str, ...] = ()  # the labels of the three program days after today's
    missed: int = 0
    paused_on: date | None = None
    pause_reason: str = ""  # REPEATED or RED_FLAG
    unlocked: tuple[tuple[str, date], ...] = ()
    new: tuple[str, ...] = ()  # unlocked variations today's session plays for the first time
    hold_changed: bool = False  # the first session of a week whose hold grew or fell
    next_hold: tuple[int, int] | None = None  # (planned week, hold) of the next change
    flags: tuple[date, ...] = ()
    gentle_left: int = 0
    eased: bool = False  # the holds step down after days off
    welcome: tuple[int, bool] | None = None  # (days off, week restarted) not yet played
    tests: tuple[tuple[date, int, int], ...] = ()
    finished_on: date | None = None
    finish: date | None = None  # the day the run ends if no more days are missed
    lines: tuple[tuple[date, str], ...] = ()
    rest_days: tuple[date, ...] = ()  # days a program rest day was taken: keep the streak
    paused_days: tuple[date, ...] = ()  # bridge the streak
    done_played: frozenset[str] = frozenset()  # today's session, when done

    @property
    def active(self) -> bool:
        """Still a run to show: not stopped, and not finished a week ago."""
        return self.status != STOPPED

    def label_text(self) -> str:
        """"gentle desk break", "desk break"."""
        return f"gentle {self.label}" if self.gentle else self.label


def today_of(program: Program, movements: frozenset[str], events: Iterable[Event],
             today: date) -> Today:
    """What the run of ``events`` asks of ``today`` (R1c)."""
    state = fold(program, movements, events, today)
    base = Today(STOPPED, program.name, state.start, missed=state.missed,
                 unlocked=tuple(state.unlocked), flags=tuple(state.all_flags),
                 gentle_left=state.gentle_left, lines=tuple(state.lines),
                 tests=tuple((t.day, t.left or 0, t.right or 0) for t in state.tests),
                 rest_days=tuple(state.rest_days), paused_days=tuple(state.paused_days),
                 finished_on=state.finished_on, weeks=len(state.plan))
    if state.stopped:
        return base
    if state.paused_on is not None:
        return base._replace(status=PAUSED, week=state.week + 1, day=state.pos % DAYS + 1,
                             paused_on=state.paused_on, pause_reason=state.pause_reason)
    if state.finished:
        finished_on = state.finished_on or today
        if today >= finished_on + timedelta(days=FINISHED_SHOWN):
            return base
        due = program.final_test and not any(t.day >= finished_on for t in state.tests)
        return base._replace(status=FINISHED, week=len(state.plan), test_due=due)
    week: PlanWeek = state.plan[state.week]
    slot = state.slot()
    coming = _coming(program, state)
    out = base._replace(
        status=PLAY, week=state.week + 1, day=state.pos % DAYS + 1, session=slot,
        deload=week.deload, next_label=coming[0] if coming else "", coming=coming,
        finish=today + timedelta(days=DAYS * len(state.plan) - state.pos - 1),
        next_hold=_next_hold(state), eased=bool(state.ease_left),
        welcome=(state.missed_run, state.welcome[1]) if state.welcome and state.missed_run
        else None,
        tighter=None, evidence=None)
    side, evidence = tighter_side(state.tests, state.checkins, today)
    out = out._replace(tighter=side, evidence=evidence)
    if slot != REST:
        kind = program.session(slot)
        out = out._replace(label=kind.label, routine=kind.routine,
                           test_due=week.test and state.week not in state.tested_weeks
                           and not state.done_today)
    if state.gentle_left or state.gentle_now:
        out = out._replace(gentle=True, level="gentle", hold=0, tighter=None,
                           gentle_number=GENTLE_SESSIONS - state.gentle_left + 1
                           if state.gentle_left else 1, gentle_now=state.gentle_now)
    else:
        previous = state.plan[state.week - 1].hold if state.week else week.hold
        out = out._replace(
            level=week.level, hold=program.step_down(week.hold) if state.ease_left else week.hold,
            swaps=swaps_of(program, state.unlocked), adds=adds_of(program, state.unlocked, slot),
            new=tuple(s for s, _ in state.unlocked if s in state.unplayed),
            hold_changed=state.week_sessions == 0 and previous != week.hold)
    if state.done_today:
        return out._replace(status=DONE, done_played=state.played_today, test_due=False)
    if slot == REST:
        return out._replace(status=RESTING, label="rest day")
    return out


def swaps_of(program: Program, unlocked: Iterable[tuple[str, date]]
             ) -> tuple[tuple[str, str], ...]:
    """(basic, variation) of each unlocked variation that takes a basic's place."""
    return tuple((program.variation(slug).instead_of, slug) for slug, _ in unlocked
                 if program.variation(slug).instead_of)


def adds_of(program: Program, unlocked: Iterable[tuple[str, date]], key: str
            ) -> tuple[tuple[str, str], ...]:
    """(variation, after) of each unlocked one added to the session ``key``."""
    return tuple((slug, program.variation(slug).after) for slug, _ in unlocked
                 if key in program.variation(slug).add_to)


def _label(program: Program, slot: str) -> str:
    return "rest day" if slot == REST else program.session(slot).label


def _coming(program: Program, state: _State) -> tuple[str, ...]:
    """The labels of the next three program days after today's."""
    total = DAYS * len(state.plan)
    return tuple(_label(program, state.slot(p)) for p in range(state.pos + 1,
                                                                min(state.pos + 4, total)))


def _next_hold(state: _State) -> tuple[int, int] | None:
    """(planned week, hold) of the first later week whose hold differs."""
    now = state.plan[state.week].hold
    for week in state.plan[state.week + 1:]:
        if week.hold != now and not week.deload:
            return week.number, week.hold
    return None


# -- R3: how long each focus stretch is held -----------------------------------------------

def dose(low: int, high: int, hold: int, reps: int, target: int) -> tuple[int, int]:
    """(hold, reps) a side for a focus stretch whose catalogue range is
    ``low``-``high``, which the routine would play as ``reps`` x ``hold``,
    to give ``target`` seconds a side.  Never shorter than the routine, and
    never one hold longer than the catalogue's longest (or the routine's own,
    if longer): the rest of the time comes as more holds."""
    if hold * reps >= target:
        return hold, reps
    cap = max(high, hold)
    sets = max(reps, math.ceil(target / cap))
    return min(cap, max(low, 5 * math.ceil(target / sets / 5))), sets

