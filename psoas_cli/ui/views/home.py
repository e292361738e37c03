"""What ``psoas`` alone shows: your streak, the routines, and what to try.

Plain text laid out by table.py, without Rich: the page is printed on
every bare ``psoas``, so it costs no more to start than ``psoas list``, and
it reads the same on a terminal, in a pipe and in a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from psoas_cli.play.phrases import clock
from psoas_cli.ui.table import Column, plain, table, wrap
from psoas_cli.ui.views.quantities import minutes_text, streak_text

if TYPE_CHECKING:
    from psoas_cli.history.records import Report

TITLE = "psoas: guided stretches for the psoas and hip flexors."


class HomeProgram(NamedTuple):
    """A running program, as the home page shows it."""

    line: str  # "today: desk break (3 min), week 2 of 6"
    play: str = ""  # today's session to play ("desk break"); "" when done or resting
    bridges: tuple[date, ...] = ()  # its rest and paused days: they keep the streak
    suggest: bool = False  # no program ever ran, and psoas is well used: suggest one
# When no routine can be played: another catalogue, without the stretches
# the built-in routines name, and none of the user's own yet.
NO_ROUTINES = ("No routine to play with this catalogue yet: the built-in ones need "
               "stretches it doesn't have. 'psoas routine new NAME STRETCH...' makes one.")


def home_view(report: Report, routines: Sequence[tuple[str, float, str]], *,
              stretch: str = "pigeon", width: int = 80, reading: str | None = None,
              program: HomeProgram | None = None) -> str:
    """``routines`` are (name, planned seconds, description), in the order listed;
    ``stretch`` is the one ``psoas show`` is suggested for; ``reading`` the
    practice's one line (the latest test and trend), under the streak;
    ``program`` a running program's line for today, right under the title."""
    lines = [*wrap(TITLE, width), ""]
    if program is not None and program.line:
        lines += [*wrap(program.line, width), ""]
    if report.total:
        lines += _history(report, width)
    if reading:
        lines += wrap(reading, width)
    if report.total or reading:
        lines.append("")
    columns = [Column("Routine", clip=True, least=6), Column("Time", right=True),
               Column("What it is for", wrap=True, least=10)]
    rows = [[(name, ""), (clock(seconds), ""), (description, "")]
            for name, seconds, description in routines]
    lines += [plain(line) for line in table(columns, rows, width)] if rows \
        else wrap(NO_ROUTINES, width)
    lines += ["", "Try", *_tries(report, [r[0] for r in routines], stretch, width, program)]
    return "\n".join(lines)


def _history(report: Report, width: int) -> list[str]:
    rows = [[("Streak", ""), (streak_text(report), "")]]
    if report.sessions:
        last = report.sessions[0]
        rows.append([("Last", ""), (f"{_day(last.day, report.today)}: {last.routine}, "
                                    f"{minutes_text(last.active_seconds)} min, "
                                    f"{last.outcome}", "")])
    columns = [Column(""), Column("", wrap=True, least=10)]
    return [plain(line) for line in table(columns, rows, width, header=False)]


def _day(day: date, today: date) -> str:
    if day == today:
        return "today"
    return "yesterday" if day == today - timedelta(days=1) else day.isoformat()


def _tries(report: Report, names: Sequence[str], stretch: str, width: int,
           program: HomeProgram | None = None) -> list[str]:
    """Three commands: today's program session (else the routine played last,
    else the warm-up), a stretch (or, for someone who stretches often and has
    never run a program, the program), help."""
    last = report.sessions[0].routine if report.sessions else ""
    if names:
        routine = last if last in names else ("warmup" if "warmup" in names else names[0])
        again = " again" if routine == last else ""
        first = [(f"psoas routine {routine}", ""),
                 (f"play {routine}{again} (space pauses, q stops)", "")]
    else:
        first = [(f"psoas routine new mine {stretch}", ""), ("make a routine of your own", "")]
    if program is not None and program.play:
        first = [("psoas program next", ""),
                 (f"play today's {program.play} (space pauses, q stops)", "")]
    second = [(f"psoas show {stretch}", ""), ("how to do one stretch", "")]
    if program is not None and program.suggest:
        second = [("psoas program start", ""), ("six weeks for tight hips, planned for you", "")]
    rows = [first, second,
            [("psoas --help", ""), ("every command and option", "")]]
    columns = [Column("", clip=True, least=12), Column("", wrap=True, least=10)]
    return ["  " + plain(line) for line in table(columns, rows, width - 2, header=False)]
