"""The reminder's screen, pinned frame by frame, and its plain-mode lines."""

from __future__ import annotations

import time

import pytest

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
)
from psoas_cli.breaks.schedule import (
    AWAY_STATE,
    DND,
    DUE,
    HELD_STATE,
    MEETING,
    ON_BREAK,
    QUIET,
    WAITING,
    Status,
)
from psoas_cli.history.records import Counts
from psoas_cli.ui.remind.view import frame, plain_line

WAITING_80x24 = """\
psoas remind                                          every 45 min · 09:00-18:00
────────────────────────────────────────────────────────────────────────────────








                              Next break at 10:45
                                   in 23 min

                     Today: 2 taken · 1 snoozed · 0 skipped
                                 Streak: 5 days








Enter: take a break now · q: quit
"""

DUE_80x24 = """\
psoas remind                                          every 45 min · 09:00-18:00
────────────────────────────────────────────────────────────────────────────────






                              █▀▄ █▀█ █▀▀ ▄▀▄ █ █
                              █▀▄ █▀▄ █▀  █▀█ █▀▄
                              ▀▀  ▀ ▀ ▀▀▀ ▀ ▀ ▀ ▀

                       Time for a break: the desk routine
                                due since 10:45

                     Today: 2 taken · 1 snoozed · 0 skipped
                                 Streak: 5 days






Enter: start the desk routine now · s: snooze 5 min · x: skip · q: quit
"""

WAITING_40x12 = """\
psoas remind  every 45 min · 09:00-18:00
────────────────────────────────────────


          Next break at 10:45
               in 23 min

 Today: 2 taken · 1 snoozed · 0 skipped
             Streak: 5 days


Enter: take a break now · q: quit
"""

DUE_40x12 = """\
psoas remind  every 45 min · 09:00-18:00
────────────────────────────────────────
          █▀▄ █▀█ █▀▀ ▄▀▄ █ █
          █▀▄ █▀▄ █▀  █▀█ █▀▄
          ▀▀  ▀ ▀ ▀▀▀ ▀ ▀ ▀ ▀
   Time for a break: the desk routine
            due since 10:45

 Today: 2 taken · 1 snoozed · 0 skipped
             Streak: 5 days
Enter: start the desk routine now
s: snooze 5 min · x: skip · q: quit
"""

DUE_30x8 = """\
psoas remind
  Time for a break: the desk
           routine
       due since 10:45
  Today: 2 taken · 1 snoozed
          0 skipped
Enter: start · s: snooze
x: skip · q: quit
"""


def status(**changes) -> Status:
    values = dict(state=WAITING, snoozed=False, due_at=0.0, due_clock="10:45",
                  due_day="", minutes_left=23, hours="09:00-18:00", opens_clock="",
                  every="45 min", snooze="5 min",
                  counts=Counts(offered=3, taken=2, snoozed=1, skipped=0))
    values.update(changes)
    return Status(**values)


def drawn(shown: Status, width: int, height: int, **options) -> str:
    lines = frame(shown, width, height, routine="desk", streak=5, **options)
    assert len(lines) == height
    assert all(len(line.plain) <= width for line in lines)
    return "".join(line.plain + "\n" for line in lines)


@pytest.mark.parametrize("shown, width, height, expected", [
    (status(), 80, 24, WAITING_80x24),
    (status(state=DUE), 80, 24, DUE_80x24),
    (status(), 40, 12, WAITING_40x12),
    (status(state=DUE), 40, 12, DUE_40x12),
    (status(state=DUE), 30, 8, DUE_30x8),
])
def test_frames(shown, width, height, expected):
    assert drawn(shown, width, height) == expected


NOTE = ("desktop notifications failed: notify-send: Cannot autolaunch D-Bus without X11 "
        "$DISPLAY")


@pytest.mark.parametrize("width, lines", [
    (80, ["       desktop notifications failed: notify-send: Cannot autolaunch D-Bus",
          "       without X11 $DISPLAY"]),
    (40, ["     desktop notifications failed:",
          "     notify-send: Cannot autolaunch",
          "     D-Bus without X11 $DISPLAY"]),
])
def test_a_note_wraps_as_one_block_centred(width, lines):
    """Its lines start under one another, not each centred on its own."""
    shown = drawn(status(), width, 24, note=NOTE).splitlines()
    start = shown.index(lines[0])
    assert shown[start:start + len(lines)] == lines


def middle(shown: Status, width: int = 40, height: int = 12) -> list[str]:
    """The centred lines, without the header, rule and keys."""
    lines = [line.plain.strip() for line in
             frame(shown, width, height, routine="desk", streak=5)[2:-1]]
    return [line for line in lines if line]


def test_quiet_hours_say_when_they_end_and_when_the_first_break_is():
    shown = status(state=QUIET, opens_clock="09:00", due_clock="09:45", due_day="tomorrow")
    assert middle(shown)[:2] == ["Quiet until 09:00", "first break at 09:45 tomorrow"]


def test_away_and_a_break_waiting_say_so():
    assert middle(status(state=AWAY_STATE, since_clock="12:01"), width=60)[:2] == [
        "Away since 12:01", "the next break comes 45 min after you are back"]
    held = status(state=HELD_STATE, busy=MEETING, busy_until="11:30", due_clock="10:45")
    assert middle(held, width=60)[:2] == ["Break waiting: in a meeting until 11:30",
                                          "due since 10:45; offered when it ends"]
    assert middle(status(state=HELD_STATE, busy=DND), width=60)[0] == \
        "Break waiting: do not disturb is on"


def test_a_snoozed_break_says_so():
    shown = status(snoozed=True, due_clock="10:50", minutes_left=4)
    assert middle(shown)[:2] == ["Snoozed until 10:50", "in 4 min"]


@pytest.mark.parametrize("minutes, text", [(1, "in under a minute"), (2, "in 2 min"),
                                           (59, "in 59 min"),
                                           (60, "in 1 h"), (105, "in 1 h 45 min")])
def test_the_time_left_reads_in_hours_and_minutes(minutes, text):
    assert middle(status(minutes_left=minutes))[1] == text


def test_streak_words():
    assert middle(status(), height=24)[-1] == "Streak: 5 days"
    one = frame(status(), 40, 12, routine="desk", streak=1)
    none = frame(status(), 40, 12, routine="desk", streak=0)
    assert "Streak: 1 day" in [line.plain.strip() for line in one]
    assert "Streak: none yet" in [line.plain.strip() for line in none]


def test_a_note_shows_when_there_is_room():
    note = "no desktop notifications: neither notify-send nor osascript is installed"
    lines = [line.plain.strip() for line in
             frame(status(), 80, 24, routine="desk", note=note)]
    assert note in lines
    short = [line.plain.strip() for line in
             frame(status(), 80, 5, routine="desk", note=note)]
    assert note not in short and "Next break at 10:45" in short


def test_the_question_is_bold_and_the_waiting_keys_are_dim():
    due = frame(status(state=DUE), 80, 24, routine="desk")
    waiting = frame(status(), 80, 24, routine="desk")
    assert due[-1].style == "bold" and waiting[-1].style == "dim"


def test_ascii_mode_uses_only_ascii():
    lines = [line.plain for line in frame(status(state=DUE), 40, 12, routine="desk",
                                          streak=5, ascii=True)]
    assert all(line.isascii() for line in lines)
    assert lines[0] == "psoas remind  every 45 min | 09:00-18:00"
    assert lines[1] == "-" * 40
    assert lines[-2:] == ["Enter: start the desk routine now", "s: snooze 5 min | x: skip | q: quit"]


def test_without_a_keyboard_there_are_no_keys():
    lines = [line.plain for line in frame(status(state=DUE), 80, 24, routine="desk",
                                          keyboard=False)]
    assert not any("q: quit" in line for line in lines)


def test_a_long_routine_name_never_overflows():
    for width, height in ((80, 24), (40, 12), (30, 8), (12, 4)):
        lines = frame(status(state=DUE), width, height, routine="x" * 100, streak=3)
        assert len(lines) == height
        assert max(len(line.plain) for line in lines) <= width


def test_the_screen_while_on_a_break():
    assert middle(status(state=ON_BREAK))[0] == "On a break: the desk routine"


# -- plain mode ----------------------------------------------------------------------------

def hhmm(t: float) -> str:
    return time.strftime("%H:%M", time.gmtime(t))


T = 10 * 3600 + 45 * 60  # 10:45 UTC on 1 January 1970


@pytest.mark.parametrize("event, line", [
    (Event(DUE_EVENT, T, T), "10:45  Time for a break: the desk routine."),
    (Event(AGAIN, T + 300, T), "10:50  Time for a break (after a snooze): the desk routine."),
    (Event(NUDGE, T + 900, T), "11:00  Still time for a break (due since 10:45)."),
    (Event(SNOOZED, T, T, T + 300, 300), "10:45  Break snoozed for 5 min, until 10:50."),
    (Event(SKIPPED, T, T, T + 2700), "10:45  Break skipped; next at 11:30."),
    (Event(STARTED, T, T), "10:45  Break started: the desk routine."),
    (Event(TAKEN, T + 246, T, T + 2946, 246),
     "10:49  Break taken: the desk routine, 4:06; next at 11:34."),
    (Event(MISSED, T + 4500, T, T + 82800),
     "12:00  Break missed (due since 10:45): the break hours are over; next at 09:45."),
    (Event(AWAY, T, None, T + 2700, 5400), "10:45  Back after 1:30:00 away; next break at 11:30."),
    (Event(AWAY, T, T - 600, T + 2700, 5400),
     "10:45  Back after 1:30:00 away; the break due since 10:35 is dropped; "
     "next break at 11:30."),
    (Event(IDLE, T, None, T + 2700, 300),
     "10:45  Away: no input for 5 min; the count starts again when you are back."),
    (Event(IDLE, T, T - 600, T + 2700, 420),
     "10:45  Away: no input for 7 min; the break due since 10:35 is dropped; the count starts "
     "again when you are back."),
    (Event(BACK, T, None, T + 2700, 1230), "10:45  Back after 20 min away; next break at 11:30."),
    (Event(HELD, T, None, T + 1800, reason=MEETING),
     "10:45  Break waiting: in a meeting until 11:15; offered when it ends."),
    (Event(HELD, T, None, None, reason=DND),
     "10:45  Break waiting: do not disturb is on; offered when it ends."),
])
def test_plain_lines(event, line):
    assert plain_line(event, routine="desk", clock=hhmm) == line


@pytest.mark.parametrize("shown", [
    status(), status(state=DUE), status(state=QUIET, opens_clock="09:00", due_day="tomorrow"),
    status(snoozed=True), status(state=ON_BREAK), status(state=AWAY_STATE, since_clock="12:01"),
    status(state=HELD_STATE, busy=MEETING, busy_until="11:30")],
    ids=["waiting", "due", "quiet", "snoozed", "break", "away", "held"])
def test_every_size_gets_exactly_its_lines(shown):
    note = "desktop notification failed: notify-send exited with status 1"
    for width in range(10, 91, 8):
        for height in range(1, 27):
            for extra in ({}, {"note": note, "streak": 4}):
                lines = frame(shown, width, height, routine="desk", **extra)
                assert len(lines) == height, (width, height, extra)
                assert max(len(line.plain) for line in lines) <= width, (width, height, extra)
