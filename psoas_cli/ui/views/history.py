"""How ``psoas history`` looks: recent sessions, streaks and a calendar heat map.

Everything here returns Rich Text; the caller owns the Console.  The
heat map shades each day with characters (``·· ░░ ▒▒ ▓▓ ██``) and colours them
too, so it reads the same in plain output, where Rich drops the colour.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import islice

from rich.text import Text

from psoas_cli.history.records import (
    FINISHED,
    SKIPPED,
    STOPPED,
    Counts,
    Listing,
    Report,
    Session,
)
from psoas_cli.text import line as one_line
from psoas_cli.ui.palette import AMBER, GREEN
from psoas_cli.ui.table import Column, Line, Piece, as_text, streamed, table
from psoas_cli.ui.views.quantities import count, minutes_text, streak_text

EMPTY = "No sessions yet. Start one with 'psoas routine warmup'."
WIDE = 60  # narrower terminals drop the weekday and the time of day

# (lowest minutes, characters, style): a day gets the last level it reaches.
LEVELS = (
    (0.0, "··", "grey42"),
    (1e-9, "░░", "green4"),
    (5.0, "▒▒", "green3"),
    (10.0, "▓▓", "green1"),
    (20.0, "██", "bright_green"),  # never bold: xterm fakes bold on blocks, 1 px right
)
LEGEND = ("0", "1-4", "5-9", "10-19", "20+")
LEGEND_WIDTH = len("  ".join(f"{chars} {label}"
                             for (_, chars, _), label in zip(LEVELS, LEGEND, strict=True)))
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
OUTCOME_STYLES = {FINISHED: GREEN, STOPPED: AMBER, SKIPPED: "dim"}  # ui/palette


def history_view(report: Report, *, width: int = 80,
                 machines: dict[str, str] | None = None) -> Text:
    """The whole ``psoas history`` screen; ``machines`` (id -> name, "" for this
    machine) adds a column naming where each session was played."""
    if not report.total:
        breaks = breaks_text(report)
        return Text(EMPTY + (f"\nBreaks: {breaks}" if breaks else ""))
    parts: list = [Text(_sessions_title(report), style="bold")]
    if report.sessions:
        parts.append(sessions_table(report.sessions, width=width, machines=machines))
    else:
        parts.append(Text(f"No sessions in the last {count(report.days, 'day')}."))
    hint = _more_hint(report)
    if hint:  # two lines rather than one broken in the middle of the command
        parts.append(Text(hint if len(hint) <= width else hint.replace("; ", "\n"), style="dim"))
    weeks = len(_weeks(report.calendar))
    parts += [Text(), totals(report, width=width), Text(),
              Text(f"Last {weeks} weeks, minutes a day", style="bold"),
              heat_map(report.calendar, width=width)]
    return Text("\n", no_wrap=True).join(parts)


def sessions_table(sessions: Sequence[Session], *, width: int = 80,
                   machines: dict[str, str] | None = None) -> Text:
    """One line a session.  Laid out by table.py: a Rich table of a month of
    sessions took over a second."""
    wide = width >= WIDE
    return as_text(table(_columns(wide, machines), [_cells(s, wide, machines) for s in sessions],
                         width))


def _columns(wide: bool, machines: dict[str, str] | None) -> list[Column]:
    columns = [Column("Date")] + ([Column("Time")] if wide else []) + [
        Column("Routine", clip=True, least=7), Column("Min", right=True), Column("Status")]
    if machines is not None:
        columns.append(Column("Machine", clip=True, least=7))
    return columns


def _cells(session: Session, wide: bool, machines: dict[str, str] | None) -> list[Piece]:
    cells = [(_date_text(session.day, wide=wide), "")]
    if wide:
        cells.append((_clock_text(session.started_at), ""))
    cells += [(session.routine, ""), (minutes_text(session.active_seconds, played=True), ""),
              (session.outcome, OUTCOME_STYLES.get(session.status, "dim"))]
    if machines is not None:
        name = machines.get(session.machine or "", "") or (session.machine or "")[:8]
        cells.append((one_line(name), ""))  # on its row: a line break as text
    return cells


CHUNK = 1000  # lines of a long list laid out and printed at a time


def history_chunks(report: Report, listing: Listing, sessions: Iterable[Session], *,
                   width: int = 80, machines: dict[str, str] | None = None,
                   ) -> Iterator[Text | list[Line]]:
    """``history_view`` for ``--days``, made as ``sessions`` are read, a chunk
    of lines at a time, so that a million of them are never held at once:
    the table is laid out for the widest text ``listing`` says will come
    (and every machine's name).  The table's lines come as table.py's lines
    (console.emit_lines prints them), the rest as Text."""
    if not report.total or not listing.number:
        yield history_view(report, width=width, machines=machines)
        return
    wide = width >= WIDE
    yield Text(_sessions_title(report), style="bold")
    # A row for each routine name, status and machine, the widest of each among them.
    names = [*(machines or {}), ""]
    routines, statuses = listing.routines or ("",), listing.statuses or ("",)
    sample = [_cells(Session(routines[i % len(routines)], 0.0, date(2000, 1, 1),
                             status=statuses[i % len(statuses)],
                             active_seconds=listing.most_active,
                             machine=names[i % len(names)]), wide, machines)
              for i in range(max(len(routines), len(statuses), len(names)))]
    lines = streamed(_columns(wide, machines), sample,
                     (_cells(s, wide, machines) for s in sessions), width)
    while chunk := list(islice(lines, CHUNK)):
        yield chunk
    weeks = len(_weeks(report.calendar))
    yield Text("\n", no_wrap=True).join([
        Text(), totals(report, width=width), Text(),
        Text(f"Last {weeks} weeks, minutes a day", style="bold"),
        heat_map(report.calendar, width=width)])


def totals(report: Report, *, width: int = 80) -> Text:
    """Streak, longest streak and minutes this week, as a two-column grid."""
    rows = [("Streak", streak_text(report)), ("Longest", count(report.streaks.longest, "day")),
            ("This week", f"{minutes_text(report.minutes_this_week * 60)} min")]
    if breaks_text(report):
        rows.append(("Breaks", breaks_text(report)))
    cells = [[(name, "bold"), (value, "")] for name, value in rows]
    return as_text(table([Column(""), Column("", wrap=True)], cells, width, header=False))


def breaks_text(report: Report) -> str:
    """Breaks taken today and this week (psoas remind, or a routine played), or ""
    when there were none."""
    today, week = report.breaks_today, report.breaks_week
    if week == Counts():
        return ""
    others = [count(week.offered, "reminder")] if week.offered else []
    others += [f"{n} {word}" for n, word in ((week.snoozed, "snoozed"),
                                            (week.skipped, "skipped"),
                                            (week.missed, "missed")) if n]
    return (f"{today.taken} taken today, {week.taken} this week"
            + (f" ({', '.join(others)})" if others else ""))


def heat_map(calendar: Sequence[tuple[date, float]], *, width: int = 80) -> Text:
    """Rows Monday to Sunday, a column per week, the newest on the right, and a legend."""
    weeks = _weeks(calendar)
    text = Text()
    text.append(_month_line(weeks) + "\n", style="dim")
    for weekday, day_name in enumerate(DAY_NAMES):
        text.append(f"{day_name} ", style="dim")
        for n, week in enumerate(weeks):
            if n:
                text.append(" ")
            if weekday < len(week):
                chars, style = level(week[weekday][1])
                text.append(chars, style=style)
            else:
                text.append("  ")  # after today
        text.append("\n")
    text.append("    " if width >= LEGEND_WIDTH + 4 else "")
    for n, ((_, chars, style), label) in enumerate(zip(LEVELS, LEGEND, strict=True)):
        text.append("  " if n else "")
        text.append(chars, style=style)
        text.append(f" {label}", style="dim")
    return text


def level(minutes: float) -> tuple[str, str]:
    """The characters and style of a day with ``minutes`` of stretching."""
    chosen = LEVELS[0]
    for entry in LEVELS:
        if minutes >= entry[0]:
            chosen = entry
    return chosen[1], chosen[2]


# -- helpers --------------------------------------------------------------------

def _weeks(calendar: Sequence[tuple[date, float]]) -> list[list[tuple[date, float]]]:
    weeks: list[list[tuple[date, float]]] = []
    for day, minutes in calendar:
        if not weeks or day.weekday() == 0:
            weeks.append([])
        weeks[-1].append((day, minutes))
    return weeks


def _month_line(weeks: list[list[tuple[date, float]]]) -> str:
    """Each month's name over the week it begins in, and the month already under
    way in the first week where that leaves a space before the next name
    (months begin four weeks apart or more, so no beginning is ever left out)."""
    starts = [(4 + 3 * n, day.month) for n, week in enumerate(weeks)
              for day, _ in week if day.day == 1]
    under_way = weeks[0][0][0].month if weeks and weeks[0] else None
    if under_way is not None and (not starts or starts[0][0] > 4):
        name = _month_name(under_way)
        if not starts or 4 + len(name) < starts[0][0]:
            starts.insert(0, (4, under_way))
    line = ""
    for column, month in starts:
        line = line.ljust(column) + _month_name(month)
    return line


def _month_name(month: int) -> str:
    return date(2000, month, 1).strftime("%b")


def _sessions_title(report: Report) -> str:
    if report.days is None:
        return "Recent sessions"
    return "Today's sessions" if report.days == 1 else f"Sessions, last {report.days} days"


def _more_hint(report: Report) -> str:
    if report.days is not None or report.total <= len(report.sessions):
        return ""
    return (f"The {len(report.sessions)} newest of {report.total} sessions;"
            " 'psoas history --days 30' for more.")


def _date_text(day: date, *, wide: bool) -> str:
    return f"{DAY_NAMES[day.weekday()]} {day.isoformat()}" if wide else day.isoformat()


def _clock_text(timestamp: float) -> str:
    return time.strftime("%H:%M", time.localtime(timestamp))
