"""The reminder's keys and its full screen, away from the command line."""

from __future__ import annotations

import io

from rich.console import Console

from psoas_cli.breaks.schedule import DUE, WAITING, Status
from psoas_cli.history.records import Counts
from psoas_cli.play.engine import ENTER, QUIT
from psoas_cli.ui.keys import parse
from psoas_cli.ui.remind.loop import KEYMAP, SKIP, SNOOZE, LiveScreen

from .fakes import screen_rows


def test_the_reminders_keys():
    assert parse(b"sx\r\nqQSX", KEYMAP) == [SNOOZE, SKIP, ENTER, ENTER, QUIT, QUIT, SNOOZE, SKIP]
    assert parse(b" pnb\x1b[C", KEYMAP) == []  # the player's keys mean nothing here


def status(**changes) -> Status:
    values = dict(state=WAITING, snoozed=False, due_at=0.0, due_clock="10:45", due_day="",
                  minutes_left=23, hours="", opens_clock="", every="45 min", snooze="5 min",
                  counts=Counts())
    values.update(changes)
    return Status(**values)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def shown(out) -> str:
    """The text on the emulated 80x24 terminal now."""
    return "\n".join(screen_rows(out.getvalue(), 80, 24))


def test_the_screen_is_drawn_only_when_what_it_shows_changes():
    out = Terminal()
    console = Console(file=out, force_terminal=True, width=80, height=24, color_system=None)
    with LiveScreen(console, routine="desk", keyboard=True) as screen:
        screen.show(status(), 2)
        screen.show(status(), 2)  # a wake-up with nothing new: nothing is written
        drawn = out.getvalue()
        screen.show(status(minutes_left=22), 2)
        assert out.getvalue() != drawn and "in 22 min" in shown(out)
        drawn = out.getvalue()
        screen.show(status(minutes_left=22), 2)
        assert out.getvalue() == drawn
        screen.tell("no desktop notifications")
        screen.show(status(minutes_left=22), 2)
        assert "no desktop notifications" in shown(out)
        screen.show(status(state=DUE), 2)
        assert "Time for a break: the desk routine" in shown(out)
    assert out.getvalue().endswith("\x1b[?1049l")  # the normal screen is back
