"""Break reminders on a fake wall clock: durations, hours, and the schedule."""

from __future__ import annotations

import calendar
import time

import pytest

from psoas_cli.breaks.counts import (
    AWAY,
    BACK,
    DUE_EVENT,
    HELD,
    IDLE,
    NUDGE,
    SKIPPED,
    SNOOZED,
    STARTED,
    TAKEN,
)
from psoas_cli.breaks.hours import Window, Zone, parse_window
from psoas_cli.breaks.schedule import (
    AWAY_STATE,
    DND,
    DUE,
    HELD_STATE,
    MEETING,
    ON_BREAK,
    QUIET,
    WAITING,
    Busy,
    Schedule,
)
from psoas_cli.errors import PsoasError, ReminderError
from psoas_cli.history.records import Counts
from psoas_cli.model.durations import parse_duration

M = 60.0
H = 3600.0


@pytest.fixture(autouse=True)
def tz(monkeypatch):
    """UTC unless a test asks for another zone, as POSIX TZ rules (no zone files
    needed): "<+0530>-5:30" is India, "CET-1CEST,M3.5.0,M10.5.0/3" is Paris."""

    def use(rule: str) -> None:
        monkeypatch.setenv("TZ", rule)
        time.tzset()

    use("UTC0")
    yield use
    monkeypatch.undo()
    time.tzset()


def at(y=2025, m=3, d=4, hh=10, mm=0, ss=0) -> float:
    """Unix time of a local wall-clock time in the current TZ (default: a Tuesday)."""
    return time.mktime((y, m, d, hh, mm, ss, 0, 0, -1))


def clock(t: float) -> str:
    return time.strftime("%d %H:%M:%S", time.localtime(t))


def run(schedule: Schedule, start: float, end: float, step: float = M) -> list[tuple[str, str]]:
    """Tick every ``step`` seconds from start to end; the events, with local times."""
    events = []
    t = start
    while t <= end:
        event = schedule.on_tick(t)
        if event:
            events.append((event.kind, clock(t)))
        t += step
    return events


def started(every="45m", now=None, **options) -> Schedule:
    schedule = Schedule(parse_duration(every), **options)
    schedule.start(at() if now is None else now)
    return schedule


# -- durations and hours --------------------------------------------------------------

@pytest.mark.parametrize("text, seconds", [
    ("45m", 45 * M), ("1h30m", 90 * M), ("1h 30m", 90 * M), ("1h30", 90 * M), ("90s", 90),
    ("1h", H), ("1.5h", 90 * M), (".5h", 30 * M), ("25", 25 * M), (" 45 min ", 45 * M),
    ("2 hours", 2 * H), ("1m30s", 90), ("24h", 24 * H), ("1s", 1), ("45M", 45 * M),
])
def test_durations_read_as_people_write_them(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text, message", [
    ("45x", "'45x' is not a duration; write it like 45m, 1h30m, 90s or 1.5h"),
    ("", "'' is not a duration; write it like 45m, 1h30m, 90s or 1.5h"),
    ("inf", "'inf' is not a duration; write it like 45m, 1h30m, 90s or 1.5h"),
    ("nan", "'nan' is not a duration; write it like 45m, 1h30m, 90s or 1.5h"),
    ("1e3m", "'1e3m' is not a duration; write it like 45m, 1h30m, 90s or 1.5h"),
    ("1:30", "'1:30' is not a duration; write it like 45m, 1h30m, 90s or 1.5h"),
    ("0", "'0' is zero; a duration is more than zero"),
    ("0h0m", "'0h0m' is zero; a duration is more than zero"),
    ("-5m", "'-5m' is negative; a duration is more than zero"),
    ("25h", "'25h' is too long; at most 24h"),
    ("9" * 400 + "h", "'999999999999999999999...' is too long; at most 24h"),
    ("0.5s", "'0.5s' is too short; at least 1s"),
    ("30m1h", "'30m1h': give hours, minutes and seconds once each, in that order "
              "(write it like 45m, 1h30m, 90s or 1.5h)"),
    ("5m\x1b[2J", r"'5m\x1b[2J' is not a duration; write it like 45m, 1h30m, 90s or 1.5h"),
])
def test_bad_durations_say_what_is_wrong(text, message):
    with pytest.raises(ReminderError) as caught:
        parse_duration(text)
    assert str(caught.value) == message
    assert isinstance(caught.value, PsoasError)


def test_duration_limits_can_be_set_per_option():
    assert parse_duration("2h", most=2 * H) == 2 * H
    with pytest.raises(ReminderError, match="at most 1h"):
        parse_duration("61m", most=H)


@pytest.mark.parametrize("text, shown, minutes", [
    ("09:00-18:00", "09:00-18:00", 540), ("9-18", "09:00-18:00", 540),
    ("09:00-17:30", "09:00-17:30", 510), ("9:30 - 17:00", "09:30-17:00", 450),
    ("22:00-02:00", "22:00-02:00", 240), ("18-24", "18:00-24:00", 360),
])
def test_hours_read_as_people_write_them(text, shown, minutes):
    window = parse_window(text)
    assert (str(window), window.minutes) == (shown, minutes)


@pytest.mark.parametrize("text, message", [
    ("9", "'9' is not a span of hours; write it like 09:00-18:00 or 9-18"),
    ("nine-five", "'nine-five' is not a span of hours; write it like 09:00-18:00 or 9-18"),
    ("9-9", "'9-9' starts and ends at the same time; leave out --between to be reminded "
            "at any hour"),
    ("25-3", "'25-3': 25:00 is not a time of day (00:00 to 23:59, or 24:00 to end at "
             "midnight)"),
    ("9:60-10", "'9:60-10': 9:60 is not a time of day (00:00 to 23:59, or 24:00 to end at "
                "midnight)"),
    ("24-8", "'24-8': 24:00 is not a time of day (00:00 to 23:59, or 24:00 to end at "
             "midnight)"),
])
def test_bad_hours_say_what_is_wrong(text, message):
    with pytest.raises(ReminderError) as caught:
        parse_window(text)
    assert str(caught.value) == message


def test_hours_shorter_than_the_interval_are_refused():
    with pytest.raises(ReminderError) as caught:
        Schedule(2 * H, window=parse_window("9-10"))
    assert str(caught.value) == ("the hours 09:00-10:00 are no longer than the interval 2h, "
                                 "so no break would ever come due")


# -- every, snooze, skip, take ---------------------------------------------------------------

def test_a_break_comes_due_after_the_interval_and_then_waits_quietly():
    schedule = started("45m")
    assert schedule.due_at == at(mm=45)
    assert run(schedule, at(), at(hh=11, mm=59)) == [("due", "04 10:45:00"),
                                                     ("nudge", "04 11:00:00")]
    assert schedule.state == DUE
    assert schedule.tally.today(at(hh=12)) == Counts(offered=1)


def test_without_a_nudge_an_unanswered_break_never_rings_again():
    schedule = started("45m", nudge=None)
    assert run(schedule, at(), at(hh=17), step=30) == [("due", "04 10:45:00")]


def test_snooze_asks_again_after_five_minutes_and_counts_one_offer():
    schedule = started("45m")
    run(schedule, at(), at(mm=45))
    event = schedule.snooze(at(mm=46))
    assert (event.kind, event.due_at, event.next_at) == (SNOOZED, at(mm=45), at(mm=51))
    assert schedule.status(at(mm=46)).snoozed
    assert run(schedule, at(mm=47), at(mm=52)) == [("again", "04 10:51:00")]
    schedule.snooze(at(mm=52), 10 * M)
    assert run(schedule, at(mm=53), at(hh=11, mm=3)) == [("again", "04 11:02:00")]
    assert schedule.tally.today(at(hh=11, mm=3)) == Counts(offered=1, snoozed=2)


def test_skip_puts_the_next_break_a_whole_interval_away():
    schedule = started("45m")
    run(schedule, at(), at(mm=45))
    event = schedule.skip(at(mm=50))
    assert (event.kind, event.next_at) == (SKIPPED, at(hh=11, mm=35))
    assert schedule.state == WAITING
    assert schedule.tally.today(at(mm=50)) == Counts(offered=1, skipped=1)


def test_the_next_break_is_an_interval_after_the_break_ended():
    schedule = started("45m")
    run(schedule, at(), at(mm=45))
    assert schedule.start_break(at(mm=47)).kind == STARTED
    assert run(schedule, at(mm=47), at(hh=12)) == []  # ticks during the routine are ignored
    event = schedule.end_break(at(mm=53))
    assert (event.kind, event.seconds, event.due_at) == (TAKEN, 6 * M, at(mm=45))
    assert schedule.due_at == at(hh=11, mm=38)
    assert schedule.tally.today(at(mm=53)) == Counts(offered=1, taken=1)


def test_a_break_stopped_before_any_stretch_counts_as_skipped():
    schedule = started("45m")
    run(schedule, at(), at(mm=45))
    schedule.start_break(at(mm=46))
    assert schedule.end_break(at(mm=46, ss=5), taken=False).kind == SKIPPED
    assert schedule.tally.today(at(mm=47)) == Counts(offered=1, skipped=1)


def test_a_break_can_be_taken_early_and_restarts_the_count():
    schedule = started("45m")
    schedule.start_break(at(mm=20))
    assert schedule.end_break(at(mm=25)).kind == TAKEN
    assert schedule.due_at == at(hh=11, mm=10)
    assert schedule.tally.today(at(mm=25)) == Counts(taken=1)


def test_answers_that_do_not_fit_the_state_change_nothing():
    schedule = started("45m")
    assert schedule.snooze(at(mm=1)) is None
    assert schedule.skip(at(mm=1)) is None
    assert schedule.end_break(at(mm=1)) is None
    assert (schedule.state, schedule.due_at) == (WAITING, at(mm=45))


# -- quiet hours -----------------------------------------------------------------------------------

def test_before_the_hours_it_sleeps_and_counts_from_their_start():
    schedule = started("45m", now=at(hh=7), window=parse_window("09:00-18:00"))
    status = schedule.status(at(hh=7))
    assert (status.state, status.opens_clock, status.due_clock, status.due_day) == \
        (QUIET, "09:00", "09:45", "")
    assert run(schedule, at(hh=7), at(hh=9, mm=45)) == [("due", "04 09:45:00")]


def test_a_break_that_would_fall_after_hours_waits_for_the_next_morning():
    schedule = started("45m", now=at(hh=17, mm=30), window=parse_window("9-18"))
    status = schedule.status(at(hh=17, mm=30))
    assert (status.state, status.due_clock, status.due_day) == (WAITING, "09:45", "tomorrow")
    assert run(schedule, at(hh=17, mm=30), at(d=5, hh=9, mm=50)) == [("due", "05 09:45:00")]


def test_an_unanswered_break_is_dropped_when_the_hours_end():
    schedule = started("45m", now=at(hh=17), window=parse_window("9-18"))
    assert run(schedule, at(hh=17), at(hh=23)) == [("due", "04 17:45:00"),
                                                   ("missed", "04 18:00:00")]
    assert schedule.status(at(hh=23)).counts == Counts(offered=1, missed=1)
    assert run(schedule, at(hh=23, mm=1), at(d=5, hh=9, mm=45)) == [("due", "05 09:45:00")]


def test_a_break_snoozed_past_the_end_of_the_hours_is_missed_not_rung():
    schedule = started("45m", now=at(hh=17, mm=13), window=parse_window("9-18"))
    run(schedule, at(hh=17, mm=13), at(hh=17, mm=58))
    assert schedule.snooze(at(hh=17, mm=58)).next_at == at(hh=18, mm=3)
    assert run(schedule, at(hh=17, mm=59), at(hh=23)) == [("missed", "04 18:00:00")]


def test_hours_that_run_past_midnight():
    schedule = started("45m", now=at(hh=20), window=parse_window("22:00-02:00"))
    assert schedule.status(at(hh=20)).state == QUIET
    events = run(schedule, at(hh=20), at(d=5, hh=22, mm=50))
    assert events == [("due", "04 22:45:00"), ("nudge", "04 23:00:00"),
                      ("missed", "05 02:00:00"), ("due", "05 22:45:00")]


# -- sleeps, jumps, midnight ------------------------------------------------------------------

def test_after_a_short_sleep_a_late_break_fires_once_not_a_burst():
    schedule = started("45m")
    run(schedule, at(), at(mm=40))
    # The laptop sleeps at 10:40 and wakes at 11:20: several 'minutes' of the
    # schedule passed, but there is one due time, so one break.
    assert run(schedule, at(hh=11, mm=20), at(hh=11, mm=34)) == [("due", "04 11:20:00")]


def test_a_sleep_as_long_as_the_interval_counts_as_time_away():
    schedule = started("45m")
    run(schedule, at(), at(mm=30))
    event = schedule.on_tick(at(hh=12))
    assert (event.kind, event.seconds, event.due_at) == (AWAY, 90 * M, None)
    assert schedule.due_at == at(hh=12, mm=45)
    assert run(schedule, at(hh=12, mm=1), at(hh=12, mm=45)) == [("due", "04 12:45:00")]


def test_away_with_a_break_unanswered_drops_it_as_missed():
    schedule = started("45m")
    run(schedule, at(), at(mm=45))
    event = schedule.on_tick(at(hh=13))
    assert (event.kind, event.due_at) == (AWAY, at(mm=45))
    assert schedule.state == WAITING
    assert schedule.tally.today(at(hh=13)) == Counts(offered=1, missed=1)


def test_asleep_overnight_the_day_starts_with_the_hours():
    schedule = started("45m", now=at(hh=17), window=parse_window("9-18"))
    run(schedule, at(hh=17), at(hh=17, mm=40))
    event = schedule.on_tick(at(d=5, hh=8, mm=30))  # lid opened before the hours
    assert (event.kind, event.next_at) == (AWAY, at(d=5, hh=9, mm=45))


def test_a_clock_that_jumps_back_keeps_the_countdown():
    schedule = started("45m")
    run(schedule, at(), at(mm=30))
    assert schedule.on_tick(at(mm=10)) is None  # clock set back 20 minutes at 10:30
    assert schedule.due_at == at(mm=25)
    assert run(schedule, at(mm=11), at(mm=26)) == [("due", "04 10:25:00")]


def test_counts_start_again_at_local_midnight(tz):
    tz("<+0530>-5:30")  # local midnight is 18:30 UTC
    schedule = started("20m", now=at(hh=23, mm=30))
    run(schedule, at(hh=23, mm=30), at(hh=23, mm=50))
    schedule.skip(at(hh=23, mm=55))
    assert schedule.status(at(hh=23, mm=59)).counts == Counts(offered=1, skipped=1)
    assert schedule.status(at(d=5, hh=0, mm=1)).counts == Counts()
    run(schedule, at(d=5, hh=0, mm=1), at(d=5, hh=0, mm=15))
    assert schedule.status(at(d=5, hh=0, mm=16)).counts == Counts(offered=1)


def test_the_interval_is_real_time_across_a_daylight_saving_change(tz):
    tz("CET-1CEST,M3.5.0,M10.5.0/3")  # clocks go 02:00 -> 03:00 on 2025-03-30
    schedule = started("1h", now=at(m=3, d=30, hh=1, mm=30))
    assert schedule.status(at(m=3, d=30, hh=1, mm=30)).due_clock == "03:30"


def test_hours_follow_local_time_across_a_daylight_saving_change(tz):
    tz("CET-1CEST,M3.5.0,M10.5.0/3")
    schedule = started("45m", now=at(m=3, d=29, hh=19), window=parse_window("9-18"))
    assert clock(schedule.due_at) == "30 09:45:00"


class Offset(Zone):
    """A zone made of arithmetic, to show the schedule needs no TZ at all."""

    def __init__(self, hours: float) -> None:
        self.offset = hours * H

    def fields(self, t):
        return tuple(time.gmtime(t + self.offset)[:6])

    def at(self, year, month, day, hour=0, minute=0):
        return calendar.timegm((year, month, day, hour, minute, 0)) - self.offset


def test_local_time_can_be_injected_instead_of_read_from_tz():
    zone = Offset(-5)  # the process stays in UTC
    start = calendar.timegm((2025, 3, 4, 12, 0, 0))  # 07:00 at UTC-5
    schedule = Schedule(45 * M, window=parse_window("9-18"), zone=zone)
    schedule.start(start)
    status = schedule.status(start)
    assert (status.state, status.opens_clock, status.due_clock) == (QUIET, "09:00", "09:45")
    assert schedule.due_at == start + 2 * H + 45 * M


# -- waiting cheaply ------------------------------------------------------------------------------

def test_wait_until_the_shown_minute_changes_or_the_break_comes_due():
    schedule = started("45m")
    assert schedule.wait_seconds(at()) == 60
    assert schedule.wait_seconds(at(mm=43, ss=20)) == 40  # 1:40 left shows '2 min' until 1:00
    assert schedule.wait_seconds(at(mm=44, ss=30)) == 30
    assert schedule.wait_seconds(at(mm=44, ss=50), minutes_shown=False) == 10
    schedule.on_tick(at(mm=45))
    assert schedule.wait_seconds(at(mm=45)) == 60  # due: nothing changes but the minute cap


def test_wait_wakes_at_local_midnight_for_the_new_day():
    schedule = started("45m", now=at(hh=23, mm=50))
    assert schedule.wait_seconds(at(hh=23, mm=59, ss=45)) == 15


def test_a_loop_that_sleeps_as_told_wakes_about_once_a_minute():
    schedule = started("45m", nudge=None)
    t, wakes, events = at(), 0, []
    while t < at(hh=13):
        t += schedule.wait_seconds(t)
        wakes += 1
        event = schedule.on_tick(t)
        if event and event.kind == DUE_EVENT:
            events.append(clock(t))
            schedule.start_break(t)
            schedule.end_break(t + 5 * M)
            t += 5 * M
    assert events == ["04 10:45:00", "04 11:35:00", "04 12:25:00"]
    assert wakes <= 3 * 60


def test_status_words_for_the_screen():
    schedule = started("1h30m", snooze=90, window=Window(9 * 60, 18 * 60))
    status = schedule.status(at(mm=1))
    assert (status.every, status.snooze, status.hours, status.minutes_left) == \
        ("1 h 30 min", "1 min 30 s", "09:00-18:00", 89)
    run(schedule, at(mm=1), at(hh=11, mm=30))
    status = schedule.status(at(hh=11, mm=31))
    assert (status.state, status.due_clock) == (DUE, "11:30")
    schedule.start_break(at(hh=11, mm=32))
    assert schedule.status(at(hh=11, mm=33)).state == ON_BREAK



def test_the_status_changes_only_when_the_screen_would():
    schedule = started("45m")
    assert schedule.status(at(mm=1)) == schedule.status(at(mm=1, ss=59))  # '44 min' both
    assert schedule.status(at(mm=1)) != schedule.status(at(mm=2, ss=1))  # '43 min'


def test_starting_in_the_small_hours_of_hours_past_midnight():
    window = parse_window("22:00-02:00")
    assert started("45m", now=at(hh=1), window=window).due_at == at(hh=1, mm=45)
    assert started("45m", now=at(hh=1, mm=30), window=window).due_at == at(hh=22, mm=45)


def test_a_due_time_tied_to_the_hours_stays_when_the_clock_goes_back():
    schedule = started("45m", now=at(hh=7), window=parse_window("9-18"))
    run(schedule, at(hh=7), at(hh=8))
    schedule.on_tick(at(hh=7, mm=30))  # set back half an hour
    assert schedule.due_at == at(hh=9, mm=45)


# -- away (idle) and busy --------------------------------------------------------------------

def idle_run(schedule: Schedule, readings: dict[float, float], start: float, end: float,
             step: float = M) -> list[tuple[str, str]]:
    """Tick every ``step`` seconds, reporting the idle seconds ``readings`` gives at
    each moment (0 when it gives none); the events, with local times."""
    events = []
    t = start
    while t <= end:
        for event in (schedule.on_idle(t, readings.get(t, 0.0)), schedule.on_tick(t)):
            if event:
                events.append((event.kind, clock(t)))
        t += step
    return events


def test_an_idle_span_of_five_minutes_restarts_the_interval():
    schedule = started("45m")  # 10:00: the break would come at 10:45
    away = {at(mm=m): (m - 30) * M for m in range(36, 51)}  # no input from 10:30 to 10:50
    away[at(mm=51)] = 30  # a key at 10:50:30
    events = idle_run(schedule, away, at(), at(mm=52))
    assert events == [(IDLE, "04 10:36:00"), (BACK, "04 10:51:00")]
    assert schedule.due_at == at(mm=50, ss=30) + 45 * M  # 45 minutes from the return
    assert idle_run(schedule, {}, at(mm=53), at(hh=11, mm=36)) == [(DUE_EVENT, "04 11:36:00")]


def test_readings_between_two_looks_are_all_counted():
    schedule = started("45m")
    events = [schedule.on_idle(at(mm=35), 5 * M), schedule.on_idle(at(mm=35, ss=5), 2)]
    assert [e.kind for e in events] == [IDLE, BACK]  # both read before the loop looked again
    assert schedule.due_at == at(mm=35, ss=3) + 45 * M
    schedule.seen(at(mm=40))
    assert schedule.on_idle(at(mm=39), 10 * M) is None  # from before a key: tells nothing


def test_shorter_idle_spans_change_nothing():
    schedule = started("45m")
    almost = {at(mm=m): (m - 30) * M - 1 for m in range(31, 36)}  # 4:59 at 10:35
    assert idle_run(schedule, almost, at(), at(mm=45)) == [(DUE_EVENT, "04 10:45:00")]


def test_away_drops_a_due_break_and_the_status_says_since_when():
    schedule = started("45m")
    assert idle_run(schedule, {}, at(), at(mm=45)) == [(DUE_EVENT, "04 10:45:00")]
    event = schedule.on_idle(at(mm=52), 7 * M)
    assert (event.kind, event.due_at, event.seconds) == (IDLE, at(mm=45), 7 * M)
    status = schedule.status(at(mm=52))
    assert (status.state, status.since_clock) == (AWAY_STATE, "10:45")
    assert schedule.on_tick(at(hh=11)) is None  # no break while away, however long


def test_idle_time_before_a_key_or_a_break_is_not_time_away():
    schedule = started("45m")
    schedule.start_break(at(mm=10))
    assert schedule.on_idle(at(mm=15), 9 * M) is None  # playing: no input is expected
    schedule.end_break(at(mm=20))
    assert schedule.on_idle(at(mm=24), 14 * M) is None  # only 4 minutes since the break
    assert schedule.on_idle(at(mm=25), 15 * M).kind == IDLE


def test_idle_can_be_turned_off_and_does_nothing_outside_the_hours():
    assert started("45m", idle=None).on_idle(at(mm=30), H) is None
    assert started("45m", idle=0).on_idle(at(mm=30), H) is None
    quiet = started("45m", now=at(hh=7), window=parse_window("9-18"))
    assert quiet.on_idle(at(hh=8), H) is None
    assert started("45m", idle=10 * M).on_idle(at(mm=9), 9 * M) is None


def test_a_break_due_in_a_meeting_waits_until_it_ends():
    schedule = started("45m")
    schedule.set_busy(Busy(MEETING, until=at(hh=11, mm=15)))
    assert run(schedule, at(), at(mm=44)) == []
    event = schedule.on_tick(at(mm=45))
    assert (event.kind, event.next_at, event.reason) == (HELD, at(hh=11, mm=15), MEETING)
    status = schedule.status(at(mm=46))
    assert (status.state, status.busy, status.busy_until) == (HELD_STATE, MEETING, "11:15")
    assert schedule.wait_seconds(at(hh=11, mm=14, ss=30)) == 30  # wakes as the meeting ends
    assert run(schedule, at(mm=46), at(hh=11, mm=14)) == []  # held once, quietly
    assert run(schedule, at(hh=11, mm=15), at(hh=11, mm=16)) == [(DUE_EVENT, "04 11:15:00")]
    assert schedule.tally.today(at(hh=11, mm=16)).offered == 1


def test_do_not_disturb_holds_the_break_and_its_nudge_until_it_is_off():
    schedule = started("45m")
    assert run(schedule, at(), at(mm=45)) == [(DUE_EVENT, "04 10:45:00")]
    schedule.set_busy(Busy(DND))
    assert run(schedule, at(mm=46), at(hh=11, mm=30)) == []  # no nudge at 11:00
    schedule.set_busy(None)
    assert run(schedule, at(hh=11, mm=31), at(hh=11, mm=32)) == [(NUDGE, "04 11:31:00")]
    schedule.skip(at(hh=11, mm=33))
    schedule.set_busy(Busy(DND))
    assert run(schedule, at(hh=11, mm=34), at(hh=13)) == [(HELD, "04 12:18:00")]
    schedule.set_busy(None)
    assert run(schedule, at(hh=13, mm=1), at(hh=13, mm=1)) == [(DUE_EVENT, "04 13:01:00")]


# -- hours that fall in a daylight-saving gap, and a clock set back between ticks -------------

PARIS = "CET-1CEST,M3.5.0,M10.5.0/3"  # clocks go 02:00 -> 03:00 on 2025-03-30


@pytest.mark.parametrize("hours, every", [("02:15-02:45", "15m"), ("02:00-03:00", "15m"),
                                          ("01:30-02:30", "15m"), ("02:30-09:00", "15m"),
                                          ("02:30-09:00", "45m"), ("01:00-02:30", "1h")])
def test_no_break_is_announced_outside_hours_that_a_dst_gap_cuts(tz, hours, every):
    """On the night the clocks skip 02:00-03:00, hours written in that gap begin
    (or end) when the clock reaches 03:00: no first break outside them."""
    tz(PARIS)
    window = parse_window(hours)
    schedule = started(every, now=at(d=30, hh=0), window=window)
    events = run(schedule, at(d=30, hh=0), at(d=30, hh=12), step=30)
    dues = [when for kind, when in events if kind == "due"]
    for when in dues:
        hh, mm = int(when[3:5]), int(when[6:8])
        minute = hh * 60 + mm
        start, end = window.start, window.end
        assert start <= minute < end, (hours, dues)


def test_hours_wholly_in_the_gap_wait_for_the_next_day(tz):
    tz(PARIS)
    schedule = started("15m", now=at(d=30, hh=0), window=parse_window("02:15-02:45"))
    assert schedule.due_at == at(d=31, hh=2, mm=30)


def test_a_clock_set_back_between_ticks_delays_no_break():
    """The loop sleeps in real (monotonic) time: a clock set back 20 minutes while
    it slept a minute moved the due time back by 19 minutes, so the break came a
    minute late; told the real time that passed, the schedule moves it by 20."""
    schedule = started("45m")
    run(schedule, at(), at(mm=30))
    assert schedule.on_tick(at(mm=11), elapsed=60.0) is None  # 10:31, set back to 10:11
    assert schedule.due_at == at(mm=25)
    events = run(schedule, at(mm=12), at(mm=30), step=1)
    assert events[0] == ("due", "04 10:25:00")
