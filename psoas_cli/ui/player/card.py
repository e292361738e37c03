"""The before-you-start card on the live screen, and as plain lines.

The card (play/card.py) is drawn once before the first countdown.  When the
window is too small for all of it, it is cut into pages that each fit, the
general caution never split between two pages while a page can hold it;
Enter or space turns a page, and on the last one begins.
"""

from __future__ import annotations

from rich.text import Text

from psoas_cli.play.card import TITLE, Card
from psoas_cli.play.phrases import clock
from psoas_cli.ui.table import wrap
from psoas_cli.ui.views import quantities

LABEL = 11  # columns of the labels ("Take care  ") in a wide window
LABELS_FROM = 60  # narrower than this, a label goes before its text ("You need: ...")
BEGIN = "Press Enter or space to begin · q to quit"
BEGIN_SHORT = "Enter or space: begin · q: quit"
TURN = "Enter: next · q: quit"
STARTING = "Starting in a moment · q to quit"
STARTING_SHORT = "Starting · q: quit"


def _head(card: Card, width: int) -> Text:
    left = f"psoas · {card.routine}"
    right = f"{quantities.count(card.stretches, 'stretch', 'stretches')} · {clock(card.seconds)}"
    if len(left) + 2 + len(right) > width:  # two spaces at least between them
        return Text(left[:width], style="bold", no_wrap=True)
    line = Text(left, style="bold", no_wrap=True)
    line.append(" " * (width - len(left) - len(right)))
    line.append(right, style="dim")
    return line


def _lines(text: str, width: int, style: str = "", indent: str = "") -> list[Text]:
    return [Text(line, style=style, no_wrap=True) for line in wrap(text, width, indent)]


def _units(card: Card, width: int) -> list[list[Text]]:
    """The card's parts, each kept whole on a page where it can be."""
    units = [_lines(card.purpose, width) + [Text()] if card.purpose else [],
             _lines(card.caution, width, "italic"),
             _lines(card.breathing, width, "italic") + [Text()]]
    for label, text in card.sections():
        if width >= LABELS_FROM:
            values = wrap(text, width - LABEL)
            lines = [Text(f"{label:<{LABEL}}", style="bold", no_wrap=True)]
            lines[0].append(values[0])
            lines += [Text(" " * LABEL + value, no_wrap=True) for value in values[1:]]
        else:
            lines = _lines(f"{label}: {text.rstrip('.')}.", width)
        units.append(lines)
    return [unit for unit in units if unit]


def card_pages(card: Card, width: int, height: int) -> list[list[Text]]:
    """The card as pages of at most ``height`` lines of ``width`` columns;
    without the routine's purpose when that saves a page (it is in the plan
    too, and a page more is one more key before the start)."""
    pages = _card_pages(card, width, height)
    if card.purpose and len(pages) > 1:
        without = _card_pages(card._replace(purpose=""), width, height)
        if len(without) < len(pages):
            return without
    return pages


def _card_pages(card: Card, width: int, height: int) -> list[list[Text]]:
    width = max(10, width)
    units = _units(card, width)
    whole = [line for unit in units for line in unit]
    begin = BEGIN if len(BEGIN) <= width else BEGIN_SHORT
    starting = STARTING if len(STARTING) <= width else STARTING_SHORT
    last_keys = begin if card.waits else starting
    # One page, with room to breathe, when it all fits.
    page = [_head(card, width), Text("─" * width, style="dim"), Text(TITLE, style="bold"),
            Text(), *whole, Text(), Text(last_keys, style="dim")]
    if len(page) <= height:
        return [page]
    rows = max(1, height - 3)  # the head, the title and the keys on every page
    packed: list[list[Text]] = []
    for unit in units:
        while len(unit) > rows:  # too long for any page: cut where it must be
            if packed and not packed[-1]:
                packed.pop()
            packed.append(unit[:rows])
            unit = unit[rows:]
        if packed and len(packed[-1]) + len(unit) <= rows:
            packed[-1] = packed[-1] + unit
        else:
            packed.append(list(unit))
    pages = []
    for number, lines in enumerate(packed, 1):
        while lines and not lines[-1].plain:
            lines = lines[:-1]
        last = number == len(packed)
        keys = last_keys if last else TURN
        title = f"{TITLE} ({number}/{len(packed)})"
        pages.append([_head(card, width), Text(title[:width], style="bold"), *lines,
                      *[Text()] * (rows - len(lines)), Text(keys[:width], style="dim")])
    return pages


def card_text(card: Card, width: int) -> list[str]:
    """The card as plain lines, for --plain and a log: nothing waits there."""
    lines = [f"{TITLE}: {card.routine}, "
             f"{quantities.count(card.stretches, 'stretch', 'stretches')}, "
             f"{clock(card.seconds)}"]
    lines += wrap(card.purpose, width) if card.purpose else []
    lines += wrap(card.caution, width) + wrap(card.breathing, width)
    for label, text in card.sections():
        lines += wrap(f"{label}: {text.rstrip('.')}.", width)
    return lines
