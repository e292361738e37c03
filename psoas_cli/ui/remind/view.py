"""What ``psoas remind`` shows: a small, calm screen, and one-line logs.

``frame`` is a pure function of a ``reminders.Status`` and a window size,
like the player's frame: the caller draws the lines it returns.  Waiting is
quiet (the next break and today's counts, centred); a due break gets a big
word and the question, with the keys, at the bottom.  When the window is
short the least needed lines go first; the question and the keys go last.

``plain_line`` is the log line for plain mode (a pipe, TERM=dumb, a service
manager): one line per event, no escape codes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text

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
from psoas_cli.breaks.hours import Zone
from psoas_cli.breaks.schedule import (
    AWAY_STATE,
    DND,
    DUE,
    HELD_STATE,
    MEETING,
    ON_BREAK,
    QUIET,
    Status,
)
from psoas_cli.model.durations import span_text
from psoas_cli.play.phrases import clock as mmss
from psoas_cli.ui import bigtext
from psoas_cli.ui.palette import AMBER
from psoas_cli.ui.table import wrap
from psoas_cli.ui.views.quantities import count

LOCAL = Zone()  # local time, from the C library

DUE_STYLE = f"bold {AMBER}"  # ui/palette: reads on a light window and a dark one
BIG_STYLE = AMBER  # the big word: block characters are never bold


@dataclass(frozen=True)
class Glyphs:
    sep: str
    rule: str


UNICODE = Glyphs(" · ", "─")
ASCII = Glyphs(" | ", "-")


@dataclass(eq=False)  # blocks are told apart by identity: two blank lines are not one
class Block:
    lines: list[Text]
    keep: int  # higher is dropped later when the window is short


# -- words ------------------------------------------------------------------------

def count_parts(status: Status) -> list[str]:
    c = status.counts
    return [f"Today: {c.taken} taken", f"{c.snoozed} snoozed", f"{c.skipped} skipped"]


def streak_text(days: int) -> str:
    if days <= 0:
        return "Streak: none yet"
    return f"Streak: {count(days, 'day')}"


def _when(status: Status) -> str:
    return status.due_clock + (f" {status.due_day}" if status.due_day else "")


def _left(minutes: int) -> str:
    """``minutes`` are whole minutes rounded up: 1 is anything under a minute."""
    return "in under a minute" if minutes <= 1 else "in " + span_text(minutes * 60)


def busy_text(reason: str, until: str) -> str:
    """What keeps a break waiting: 'in a meeting until 11:30', 'do not disturb is on'."""
    if reason == MEETING:
        return f"in a meeting until {until}" if until else "in a meeting"
    return "do not disturb is on" if reason == DND else ""


def headline(status: Status, routine: str) -> tuple[str, str]:
    """The main line and the one under it."""
    if status.state == AWAY_STATE:
        return (f"Away since {status.since_clock}",
                f"the next break comes {status.every} after you are back")
    if status.state == HELD_STATE:
        busy = busy_text(status.busy, status.busy_until)
        return (f"Break waiting: {busy}" if busy else "Break waiting",
                f"due since {status.due_clock}; offered when it ends")
    if status.state == DUE:
        return f"Time for a break: the {routine} routine", f"due since {status.due_clock}"
    if status.state == ON_BREAK:
        return f"On a break: the {routine} routine", ""
    if status.state == QUIET:
        return f"Quiet until {status.opens_clock}", f"first break at {_when(status)}"
    if status.snoozed:
        return f"Snoozed until {_when(status)}", _left(status.minutes_left)
    return f"Next break at {_when(status)}", _left(status.minutes_left)


def key_parts(status: Status, routine: str, *, short: bool) -> list[str]:
    if status.state == DUE:
        if short:
            return ["Enter: start", "s: snooze", "x: skip", "q: quit"]
        return [f"Enter: start the {routine} routine now", f"s: snooze {status.snooze}",
                "x: skip", "q: quit"]
    return ["Enter: break now" if short else "Enter: take a break now", "q: quit"]


# -- the frame ----------------------------------------------------------------------

def frame(status: Status, width: int, height: int, *, routine: str, streak: int | None = None,
          note: str = "", keyboard: bool = True, ascii: bool = False,
          halves: bool = True) -> list[Text]:
    """Exactly ``height`` lines for a ``width`` x ``height`` window; ``halves``
    False: the big word of full blocks alone (terminal.half_blocks)."""
    width, height = max(10, width), max(1, height)
    g = ASCII if ascii else UNICODE
    top = [Block([_split("psoas remind", _settings(status, g), width)], 5),
           Block([Text(g.rule * width, style="dim")], 2)]
    middle = _middle(status, width, routine, streak, note, g, halves)
    bottom = [Block(_keys(status, routine, width, g), 9)] if keyboard else []
    blocks = _fit(top + middle + bottom, height)
    top = [b for b in top if b in blocks]
    middle = [b for b in middle if b in blocks]
    bottom = [b for b in bottom if b in blocks]
    return _lay_out(top, middle, bottom, height)


def _settings(status: Status, g: Glyphs) -> str:
    every = f"every {status.every}"
    return g.sep.join((every, status.hours)) if status.hours else every


def _middle(status: Status, width: int, routine: str, streak: int | None, note: str,
            g: Glyphs, halves: bool = True) -> list[Block]:
    due = status.state == DUE
    main, under = headline(status, routine)
    blocks = []
    big = _big("BREAK", width, halves) if due and g is UNICODE else None
    if big:
        blocks += [Block(big, 4), Block([Text()], 0)]
    blocks.append(Block(_centred(main, width, DUE_STYLE if due else "bold"), 10))
    if under:
        blocks.append(Block(_centred(under, width, "dim" if due else ""), 8))
    blocks.append(Block([Text()], 1))
    counts = _joined(count_parts(status), width, g.sep)
    blocks.append(Block([_centre(line, width, "") for line in counts], 7))
    if streak is not None:
        blocks.append(Block(_centred(streak_text(streak), width, ""), 3))
    if note:
        blocks.append(Block([Text()], 0))
        blocks.append(Block(_paragraph(note, width, "dim italic"), 3))
    return blocks


def _keys(status: Status, routine: str, width: int, g: Glyphs) -> list[Text]:
    """The long keys, unless the short ones take fewer lines."""
    style = "bold" if status.state == DUE else "dim"
    full = _joined(key_parts(status, routine, short=False), width, g.sep)
    short = _joined(key_parts(status, routine, short=True), width, g.sep)
    lines = short if len(short) < len(full) else full
    return [Text(line, style=style, no_wrap=True) for line in lines]


def _joined(parts: list[str], width: int, sep: str) -> list[str]:
    """Parts joined with ``sep``, a new line where the next would not fit."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(sep) + len(part) <= width:
            lines[-1] += sep + part
        else:
            lines.append(part[:width])
    return lines


def _fit(blocks: list[Block], height: int) -> list[Block]:
    kept = list(blocks)
    while sum(len(b.lines) for b in kept) > height and kept:
        kept.remove(min(kept, key=lambda b: b.keep))
    return kept


def _lay_out(top: list[Block], middle: list[Block], bottom: list[Block],
             height: int) -> list[Text]:
    head = [line for b in top for line in b.lines]
    body = [line for b in middle for line in b.lines]
    foot = [line for b in bottom for line in b.lines]
    spare = height - len(head) - len(body) - len(foot)
    above = spare // 2
    return head + [Text()] * above + body + [Text()] * (spare - above) + foot


def _centred(text: str, width: int, style: str) -> list[Text]:
    return [_centre(line, width, style) for line in wrap(text, width)]


def _paragraph(text: str, width: int, style: str) -> list[Text]:
    """``text`` wrapped a little narrower than the window, its lines flush
    left under one another, and the block centred: a sentence that takes
    two lines reads as one, not as two centred pieces."""
    lines = wrap(text, width - 8 if width >= 40 else width)
    margin = (width - max(len(line) for line in lines)) // 2
    return [_centre(line, width, style, margin) for line in lines]


def _centre(line: str, width: int, style: str, margin: int | None = None) -> Text:
    # The margin is a piece of its own, unstyled, so a bold or coloured line
    # doesn't carry its style into the blank space before it.
    text = Text(" " * ((width - len(line)) // 2 if margin is None else margin), no_wrap=True)
    text.append(line, style=style)
    return text


def _big(word: str, width: int, halves: bool = True) -> list[Text] | None:
    if bigtext.width(word, tall=False) > width:
        return None
    # Not bold: xterm fakes bold on block characters, leaving stray lines (see
    # frame.unbold).
    return [_centre(row, width, BIG_STYLE) for row in bigtext.short(word, halves)]


def _split(left: str, right: str, width: int) -> Text:
    """``left`` and, if there is room, ``right`` flush with the right edge."""
    line = Text(left[:width], style="bold", no_wrap=True)
    room = width - len(left) - 2
    if len(right) <= room:
        line.append(" " * (width - len(left) - len(right)))
        line.append(right, style="dim")
    return line


# -- plain mode ------------------------------------------------------------------------------

def plain_line(event: Event, *, routine: str,
               clock: Callable[[float], str] = LOCAL.clock) -> str:
    """One log line for an event, starting with the local time."""
    def at(t: float | None) -> str:
        return clock(t) if t is not None else "?"

    kind = event.kind
    if kind == DUE_EVENT:
        text = f"Time for a break: the {routine} routine."
    elif kind == AGAIN:
        text = f"Time for a break (after a snooze): the {routine} routine."
    elif kind == NUDGE:
        text = f"Still time for a break (due since {at(event.due_at)})."
    elif kind == SNOOZED:
        text = f"Break snoozed for {span_text(event.seconds)}, until {at(event.next_at)}."
    elif kind == SKIPPED:
        text = f"Break skipped; next at {at(event.next_at)}."
    elif kind == STARTED:
        text = f"Break started: the {routine} routine."
    elif kind == TAKEN:
        text = (f"Break taken: the {routine} routine, {mmss(event.seconds)}; "
                f"next at {at(event.next_at)}.")
    elif kind == MISSED:
        text = (f"Break missed (due since {at(event.due_at)}): the break hours are over; "
                f"next at {at(event.next_at)}.")
    elif kind == AWAY:
        dropped = f"; the break due since {at(event.due_at)} is dropped" \
            if event.due_at is not None else ""
        text = f"Back after {mmss(event.seconds)} away{dropped}; next break at {at(event.next_at)}."
    elif kind == IDLE:
        dropped = f"; the break due since {at(event.due_at)} is dropped" \
            if event.due_at is not None else ""
        text = (f"Away: no input for {span_text(event.seconds)}{dropped}; the count starts "
                "again when you are back.")
    elif kind == BACK:
        text = f"Back after {span_text(event.seconds)} away; next break at {at(event.next_at)}."
    elif kind == HELD:
        until = at(event.next_at) if event.next_at is not None else ""
        text = f"Break waiting: {busy_text(event.reason, until)}; offered when it ends."
    else:
        text = kind
    return f"{clock(event.at)}  {text}"


def start_lines(status: Status, *, routine: str, length: float) -> list[str]:
    """What plain mode prints first: the settings, and when the first break comes."""
    hours = f", {status.hours}" if status.hours else ""
    main, under = headline(status, routine)
    return [f"Reminders every {status.every}{hours}: the {routine} routine ({mmss(length)}).",
            f"{main}, {under}."]


def end_line(status: Status) -> str:
    """What is printed when psoas remind stops."""
    return f"Reminders stopped. {', '.join(count_parts(status))}."


# -- notifications ------------------------------------------------------------------------------

TITLE = "psoas"


def notice(event: Event, *, routine: str, length: float, keyboard: bool,
           clock: Callable[[float], str] = LOCAL.clock) -> str:
    """The text of the desktop notification for a break that comes due.

    Without a keyboard (a service) the break is taken by playing the routine
    anywhere; the reminder notices it in the history.
    """
    how = ("Press Enter in psoas remind to start it." if keyboard
           else f"Start it with 'psoas routine {routine}'.")
    if event.kind == NUDGE and event.due_at is not None:
        return f"Still time for a break (due since {clock(event.due_at)}). {how}"
    return f"Time for a break: the {routine} routine ({mmss(length)}). {how}"
