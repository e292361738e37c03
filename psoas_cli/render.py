"""Static Rich output: the catalogue table, one stretch, plans and summaries.

Everything here returns renderables; the caller owns the Console.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Iterable

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .catalogue import Range, Stretch


def plain_wanted(stream: IO[str] | None = None) -> bool:
    """True when output must carry no escape codes at all.

    NO_COLOR alone would still let Rich print bold and dim; users who set
    it, pipes and dumb terminals get text only.
    """
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return True
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        return True
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


def make_console(stream: IO[str] | None = None, *, stderr: bool = False) -> Console:
    stream = stream or (sys.stderr if stderr else sys.stdout)
    if plain_wanted(stream):
        return Console(file=stream, color_system=None, highlight=False, emoji=False,
                       force_terminal=False, stderr=stderr)
    return Console(file=stream, highlight=False, emoji=False, stderr=stderr)


def emit(console: Console, renderable) -> None:
    """Print; in plain output drop the padding Rich adds to the line ends."""
    if console.color_system is not None:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    lines = captured.get().splitlines()
    console.file.write("".join(line.rstrip() + "\n" for line in lines))
    console.file.flush()


def seconds_text(value: Range, *, unit: bool = True) -> str:
    """``20-30 s``, or ``1-2 min`` when both ends are whole minutes."""
    if value.low >= 60 and value.low % 60 == 0 and value.high % 60 == 0:
        low, high = value.low // 60, value.high // 60
        text = str(low) if low == high else f"{low}-{high}"
        return f"{text} min" if unit else text
    return f"{value} s" if unit else str(value)


def reps_text(stretch: Stretch) -> str:
    reps = str(stretch.reps)
    return f"{reps} each side" if stretch.each_side else reps


def short_reps_text(stretch: Stretch) -> str:
    return f"{stretch.reps} a side" if stretch.each_side else str(stretch.reps)


def stretch_table(stretches: Iterable[Stretch], *, total: int, width: int = 80) -> Table:
    """The catalogue as a table; narrow terminals drop position and equipment."""
    stretches = list(stretches)
    wide = width >= 64
    # Right padding only, so columns sit two spaces apart and 80 columns hold
    # the longest name on one line.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0),
                  caption=_table_caption(len(stretches), total), caption_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Stretch", min_width=12)
    if wide:
        table.add_column("Position", no_wrap=True)
    table.add_column("Hold", no_wrap=True)
    table.add_column("Reps", no_wrap=True)
    if wide:
        table.add_column("Needs", min_width=6)
    for stretch in stretches:
        cells = [str(stretch.number), Text(stretch.name, style="bold")]
        if wide:
            cells.append(stretch.position)
        cells += [seconds_text(stretch.hold), short_reps_text(stretch)]
        if wide:
            cells.append("\n".join(stretch.equipment) or "-")
        table.add_row(*cells)
    return table


def _table_caption(shown: int, total: int) -> str:
    count = f"{shown} of {total} stretches" if shown != total else f"{total} stretches"
    if not shown:
        return "No stretch matches those filters."
    return f"{count}. 'psoas show NAME' for the steps."


def stretch_details(stretch: Stretch, *, caution: str = "") -> Group:
    title = Text()
    title.append(f"{stretch.number}. {stretch.name}", style="bold")
    title.append(f"  ({stretch.slug})", style="dim")
    parts: list = [title]
    if stretch.aliases:
        parts.append(Text("Also called: " + ", ".join(stretch.aliases), style="dim"))
    if stretch.summary:
        parts.append(Text(stretch.summary))
    parts.append(Text())
    parts.append(_facts(stretch))
    parts.append(Text())
    parts.append(Text("Steps", style="bold"))
    parts.append(_steps(stretch.steps))
    if stretch.cue:
        parts.append(Text())
        parts.append(Text.assemble(("Focus: ", "bold"), stretch.cue))
    if caution:
        parts.append(Text())
        parts.append(Text(caution, style="dim italic"))
    return Group(*parts)


def _facts(stretch: Stretch) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    hold = seconds_text(stretch.hold)
    if stretch.continuous:
        hold += ", moving the whole time"
    grid.add_row("Position", stretch.position)
    grid.add_row("Needs", ", ".join(stretch.equipment) or "nothing")
    grid.add_row("Targets", ", ".join(stretch.targets) or "-")
    grid.add_row("Hold" if not stretch.continuous else "Time", hold)
    grid.add_row("Reps", reps_text(stretch))
    return grid


def _steps(steps: Iterable[str]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for number, step in enumerate(steps, 1):
        grid.add_row(f"{number}.", step)
    return grid


# -- routines, plans and summaries ------------------------------------------------

def clock(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` past an hour."""
    whole = max(0, int(round(seconds)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def routine_table(rows: Iterable[tuple[str, int, float, str]]) -> Table:
    """Rows of (name, number of stretches, planned seconds, description)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0),
                  caption="'psoas routine NAME' plays one; add --dry-run to see its plan.",
                  caption_justify="left")
    table.add_column("Routine", style="bold", no_wrap=True)
    table.add_column("Stretches", justify="right", no_wrap=True)
    table.add_column("Time", justify="right", no_wrap=True)
    table.add_column("What it is for")
    for name, count, seconds, description in rows:
        table.add_row(name, str(count), clock(seconds), description)
    return table


def plan_table(timeline) -> Table:
    """Every phase of a timeline with its start, and the total, for --dry-run."""
    from .player import describe

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0),
                  show_footer=True)
    table.add_column("Start", justify="right", no_wrap=True, footer="")
    table.add_column("Stretch", footer="Total")
    table.add_column("Phase", footer="")
    table.add_column("Time", justify="right", no_wrap=True, footer=clock(timeline.planned))
    previous = None
    for phase in timeline.phases:
        name = "" if phase.item == previous else f"{phase.item + 1}. {phase.stretch.name}"
        previous = phase.item
        time = "Enter" if phase.wait else clock(phase.duration)
        table.add_row(clock(phase.start), name, describe(phase, name=False), time)
    return table


def summary_text(summary) -> Group:
    """What the user did, printed after the player closes."""
    verb = "Finished" if summary.finished else "Stopped"
    paused = summary.elapsed - summary.active
    timing = clock(summary.elapsed)
    if paused >= 1:
        timing += f" ({clock(summary.active)} stretching, {clock(paused)} paused)"
    preposition = "in" if summary.finished else "after"
    lines = [Text(f"{verb} {summary.routine} {preposition} {timing}.", style="bold")]
    total = len(summary.results) + len(summary.not_reached)
    done, skipped = summary.done, summary.skipped
    lines.append(Text(f"Done {len(done)} of {total} stretches"
                      + (": " + ", ".join(r.name for r in done) if done else "") + "."))
    if skipped:
        lines.append(Text(f"Skipped {len(skipped)}: " + ", ".join(r.name for r in skipped) + "."))
    if summary.not_reached:
        lines.append(Text(f"Not reached {len(summary.not_reached)}: "
                          + ", ".join(summary.not_reached) + ".", style="dim"))
    return Group(*lines)
