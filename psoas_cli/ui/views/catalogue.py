"""Static output: the catalogue table, one stretch, routines, plans and summaries.

Every view returns a Rich ``Text`` laid out to the width it is given (tables
by table.py); the caller owns the Console and prints it with console.emit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from rich.text import Text

from psoas_cli.model.catalogue import Range, Stretch
from psoas_cli.model.figures import Figure
from psoas_cli.play.phrases import (
    TAKE_CARE,
    clock,
    describe,
    ending,
    side_sentence,
    side_sentences,
    title,
)
from psoas_cli.play.timeline import MOVE, READY, SWITCH
from psoas_cli.ui.table import Column, Line, as_text, cell_width, table, wrap
from psoas_cli.ui.views import quantities
from psoas_cli.ui.views.home import NO_ROUTINES


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


# -- the catalogue -------------------------------------------------------------------

ADDITIONS = "Added by psoas, not among the article's stretches:"


def stretch_table(stretches: Iterable[Stretch], *, total: int, width: int = 80) -> Text:
    """The catalogue as a table; narrow terminals drop position and equipment.
    The stretches psoas adds (``addition``) come after the others, under a
    heading of their own."""
    stretches = sorted(stretches, key=lambda s: s.addition)
    if not stretches:
        return as_text(_para(_table_caption(0, total, 0), width, "dim"))
    wide = width >= 64
    columns = [Column("#", right=True), Column("Stretch", wrap=True, least=12)]
    if wide:
        columns.append(Column("Position"))
    columns += [Column("Hold"), Column("Reps")]
    if wide:
        columns.append(Column("Needs", wrap=True, least=6))
    rows = []
    for stretch in stretches:
        cells = [(str(stretch.number), ""), (stretch.name, "bold")]
        if wide:
            cells.append((stretch.position, ""))
        cells += [(seconds_text(stretch.hold), ""), (short_reps_text(stretch), "")]
        if wide:
            cells.append(("\n".join(stretch.equipment) or "-", ""))
        rows.append(cells)
    columns[1] = columns[1]._replace(least=_names_least(columns, rows, width))
    added = sum(s.addition for s in stretches)
    first = len(stretches) - added
    heading = [[], *_para(ADDITIONS, width, "bold")] if first else _para(ADDITIONS, width, "bold")
    lines = table(columns, rows, width, before={first: heading} if added else None)
    return as_text(lines + _para(_table_caption(len(stretches), total, added), width, "dim"))


def _names_least(columns: list[Column], rows: list[list[tuple[str, str]]], width: int) -> int:
    """How narrow the names may get: as wide as the longest, when the other
    columns can make room for it (the gear wraps, "foam" over "roller"),
    so a name wraps only in a narrow window."""
    others = 0
    for index, column in enumerate(columns):
        if index == 1:
            continue
        natural = max([cell_width(column.header)]
                      + [max(cell_width(part) for part in row[index][0].split("\n"))
                         for row in rows])
        others += min(natural, column.least) if column.wrap else natural
    room = width - others - 2 * (len(columns) - 1)
    longest = max(cell_width(row[1][0]) for row in rows)
    return max(columns[1].least, min(longest, room))


def _table_caption(shown: int, total: int, added: int) -> str:
    count = f"{shown} of {total} stretches" if shown != total \
        else quantities.count(total, "stretch", "stretches")
    if not shown:
        return "No stretch matches those filters."
    if added:
        count += f", {added} of them added by psoas"
    return f"{count}. 'psoas show NAME' for the steps."


FIGURE_BOX = (40, 12)  # cells: wide enough to read the pose, short enough to keep the steps near
FIGURE_LEAST = 20  # narrower than this, a figure is left out


def stretch_details(stretch: Stretch, *, caution: str = "", breathing: str = "",
                    width: int = 80, figure_mode: str | None = None,
                    side: str = "right") -> Text:
    """One stretch for a beginner: what it is, its facts and sides, what to take
    care over, the figure (drawn in ``figure_mode``, for ``side``), the steps,
    and how to breathe and make it easier."""
    lines: list[Line] = [[(f"{stretch.number}. {stretch.name}", "bold"),
                          (f"  ({stretch.slug})", "dim")]]
    if stretch.aliases:
        lines += _para("Also called: " + ", ".join(stretch.aliases), width, "dim")
    if stretch.summary:
        lines += _para(stretch.summary, width)
    lines.append([])
    lines += _facts(stretch, width)
    lines += _take_care(stretch, caution, width)
    if figure_mode and stretch.figure is not None and width >= FIGURE_LEAST:
        lines += [[], *_figure(stretch, stretch.figure, figure_mode, side, width)]
    lines += [[], [("Steps", "bold")]]
    for number, step in enumerate(stretch.steps, 1):
        lines += _para(f"{number}. {step}", width, indent="   ")
    feel = stretch.sided(stretch.feel, side) if stretch.each_side else stretch.feel
    deepen = stretch.sided(stretch.deepen, side) if stretch.each_side else stretch.deepen
    gentle = f"the gentle level plays {stretch.gentle.name}" if stretch.gentle else ""
    after = [("Focus", stretch.cue), ("Feel", feel), ("Fix", stretch.fix),
             ("Deepen", deepen), ("Breathe", breathing), ("Easier", stretch.easier),
             ("Gentle", gentle)]
    if any(value for _, value in after):
        lines += [[], *_fact_lines(after, width)]
    return as_text(lines)


def _para(text: str, width: int, style: str = "", indent: str = "") -> list[Line]:
    return [[(part, style)] for part in wrap(text, width, indent)]


def _facts(stretch: Stretch, width: int) -> list[Line]:
    hold = seconds_text(stretch.hold)
    if stretch.continuous:
        hold += ", moving the whole time"
    facts = [("Why", stretch.why),
             ("Position", stretch.position), ("Needs", ", ".join(stretch.equipment) or "nothing"),
             ("Targets", ", ".join(stretch.targets) or "-")]
    if stretch.movement:
        verb = stretch.lifts
        many = f"{verb}es" if verb.endswith(("ch", "sh", "s", "x")) else f"{verb}s"
        end = "at the top" if verb == "lift" else "at the end"
        facts.append(("Kind", f"movement: {reps_text(stretch)} {many}, "
                              f"{seconds_text(stretch.hold)} {end}"))
    else:
        facts += [("Hold" if not stretch.continuous else "Time", hold),
                  ("Reps", reps_text(stretch))]
    if stretch.setup is not None:
        most = f"-{stretch.setup_most:g}" if stretch.setup_most else ""
        facts.append(("Set-up", f"{stretch.setup:g}{most} s to get into position"))
    pauses = [f"{stretch.rest:g} s between reps" if stretch.rest is not None else "",
              f"{stretch.switch:g} s to switch sides" if stretch.switch is not None else ""]
    facts.append(("Rest", ", ".join(p for p in pauses if p)))
    facts += [("Sides" if number == 0 else "", sentence)
              for number, sentence in enumerate(side_sentences(stretch))]
    if stretch.advanced:
        facts.append(("Level", "advanced: leave it out while you are a beginner"))
    if stretch.addition:
        facts.append(("Added", "by psoas: not one of the article's stretches"))
    if stretch.unlocks_after:
        facts.append(("Deepens", f"{stretch.unlocks_after}: 'psoas program' plays it in that "
                                 "one's place once that one feels easy"))
    return _fact_lines(facts, width)


def _fact_lines(facts: list[tuple[str, str]], width: int) -> list[Line]:
    """Name and value in two columns, the value wrapped under itself."""
    lines: list[Line] = []
    for name, value in facts:
        if not value:
            continue
        parts = wrap(value, width - 10)
        lines.append([(f"{name:<8}", "bold"), ("  " + parts[0], "")])
        lines += [[(" " * 10 + part, "")] for part in parts[1:]]
    return lines


def _take_care(stretch: Stretch, caution: str, width: int) -> list[Line]:
    """The stretch's own cautions, then the general one: before the steps, where
    they are read before trying the stretch."""
    cautions = [*stretch.cautions, caution] if caution else list(stretch.cautions)
    if not cautions:
        return []
    lines: list[Line] = [[], [(TAKE_CARE, "bold")]]
    for text in cautions:
        lines += _para(f"- {text}", width, indent="  ")
    return lines


def _figure(stretch: Stretch, figure: Figure, mode: str, side: str, width: int) -> list[Line]:
    """The pose, with a line saying which side it shows."""
    from psoas_cli.ui.figures.view import figure_rows  # noqa: PLC0415 - 3 ms psoas list never needs

    box_width, box_height = FIGURE_BOX
    lines: list[Line] = figure_rows(figure, min(box_width, width), box_height,
                                    mode=mode, side=side)
    if stretch.each_side and stretch.side_means:
        lines += _para(f"Shown: {side_sentence(stretch, side)}", width, "dim")
    return lines


# -- routines, plans and summaries ------------------------------------------------

ROUTINES_CAPTION = "'psoas routine NAME' plays one; add --dry-run to see its plan."


def routine_table(rows: Iterable[tuple[str, int, float, str]], *, width: int = 80) -> Text:
    """Rows of (name, number of stretches, planned seconds, description)."""
    columns = [Column("Routine", clip=True, least=6), Column("Stretches", right=True),
               Column("Time", right=True), Column("What it is for", wrap=True, least=10)]
    cells = [[(name, "bold"), (str(count), ""), (clock(seconds), ""), (description, "")]
             for name, count, seconds, description in rows]
    if not cells:
        return as_text(_para(NO_ROUTINES, width))
    return as_text(table(columns, cells, width) + _para(ROUTINES_CAPTION, width))


def plan_table(timeline, *, width: int = 80) -> Text:
    """Every phase of a timeline with its start, and the total, for --dry-run;
    the routine's purpose above them and its closing line after."""
    columns = [Column("Start", right=True), Column("Stretch", wrap=True, least=10),
               Column("Phase", wrap=True, least=10), Column("Time", right=True)]
    rows = []
    previous = None
    for index, phase in enumerate(timeline.phases):
        name = "" if phase.item == previous else f"{phase.item + 1}. {title(phase.stretch)}"
        previous = phase.item
        time = "Enter" if phase.wait else clock(phase.duration)
        before = timeline.phases[index - 1].stretch if index else None
        left_in = (before.ends_in or before.position) if before else ""
        where = _Where(timeline.moves.place(left_in), left_in) if before else None
        rows.append([(clock(phase.start), ""), (name, ""), (_plan_phase(phase, where), ""),
                     (time, "")])
    footer = [("", ""), ("Total", "bold"), ("", ""), (clock(timeline.planned), "bold")]
    lines = table(columns, rows, width, footer=footer)
    if timeline.purpose:
        lines = [*_para(timeline.purpose, width, "italic"), [], *lines]
    if timeline.closing:
        lines += _para(f"After it: {timeline.closing}", width)
    return as_text(lines)


def _plan_phase(phase, before) -> str:
    """The phase in words; where a side begins, what that side means, on a line
    of its own; where a stretch starts elsewhere, where from."""
    text = describe(phase, name=False)
    if phase.side and phase.kind in (READY, MOVE, SWITCH) and phase.stretch.side_means:
        text += f"\n({phase.stretch.side_text(phase.side)})"
    if phase.kind == MOVE and before is not None and before.position != phase.stretch.position:
        text += f"\n(from {before.place})"
    if phase.note:
        text += f"\n{phase.note}"
    return text


class _Where(NamedTuple):
    place: str  # "lying on your back"
    position: str


def summary_text(summary, *, width: int = 80, closing: str = "") -> Text:
    """What the user did, printed after the player closes; a finished
    routine's ``closing`` line (what to do next) after it."""
    lines = _para(ending(summary), width, "bold")
    total = len(summary.results) + len(summary.not_reached)
    done, skipped = summary.done, summary.skipped
    lines += _para(f"Done {len(done)} of {quantities.count(total, 'stretch', 'stretches')}"
                   + (": " + ", ".join(r.name for r in done) if done else "") + ".", width)
    if skipped:
        lines += _para("Skipped: " + ", ".join(r.name for r in skipped) + ".", width)
    if summary.stopped_during:
        lines += _para(f"Stopped during: {summary.stopped_during.name}.", width)
    if summary.not_reached:
        lines += _para("Not reached: " + ", ".join(summary.not_reached) + ".", width, "dim")
    if closing and summary.finished:
        lines += _para(closing, width, "bold")
    return as_text(lines)
