"""Laying out text in columns: wrapping, tables and grids; psoas's one table engine.

Every table psoas prints is laid out here rather than by Rich's Table,
which costs time per cell (70 times slower at 1,000 rows), so a list of a
thousand stretches stays quick.  A line is a list of (text, style) pieces;
``as_text`` joins lines into one Rich Text for printing.

Every width here is in terminal cells, measured by ``cell_width`` alone: a
name in Chinese takes two cells a character, and the columns after it
still line up.  ASCII text, the common case, is measured by its length,
without loading Rich (``psoas --help`` wraps its text here).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from rich.text import Text

Piece = tuple[str, str]  # (text, Rich style name or "")
Line = list[Piece]


class Column(NamedTuple):
    header: str
    right: bool = False  # right-justify (numbers)
    wrap: bool = False  # may wrap onto more lines when the table is too wide
    least: int = 1  # narrowest it may be wrapped or clipped to
    clip: bool = False  # may be cut short, with an ellipsis, when the table is too wide


def cell_width(text: str) -> int:
    """How many terminal cells ``text`` takes, as Rich counts them.

    Rich's cell_len keeps every string it measures (up to 4,096 of them): a
    countdown measuring a new row of digits each second would fill that with
    strings it never asks about again.  Here only characters are remembered:
    a string of characters known to take one cell (all of psoas's drawing
    characters) is measured by its length, and only a string with others
    (wide, or zero-width) is left to cell_len.
    """
    if text.isascii() or _drawing().fullmatch(text):
        return len(text)
    seen = set(text)
    if seen <= _ONE_CELL:
        return len(text)
    from rich import cells  # noqa: PLC0415 - 2 ms that ASCII text (and --help) never needs

    _ONE_CELL.update(c for c in seen - _ONE_CELL if cells.get_character_cell_size(c) == 1)
    if seen <= _ONE_CELL:
        return len(text)
    return cells.cell_len(text)


# Characters found to take one cell, starting with psoas's own drawing
# characters (rules, bars, blocks, braille, arrows), so that drawing a frame
# never needs Rich's table of character widths (150 KiB loaded on first use).
_ONE_CELL: set[str] = ({chr(c) for c in range(0x20, 0x7F)} | set("─━│·…←→▀▄█░▒▓•")
                       | {chr(c) for c in range(0x2800, 0x2900)})


@cache
def _drawing() -> re.Pattern[str]:
    """Text of psoas's own drawing characters and ASCII alone: a row of big
    digits and a figure, each second, is measured by a match in C, not a set
    made of its characters."""
    return re.compile("[\x20-\x7e─━│·…←→▀▄█░▒▓•\u2800-\u28ff]*")


def _fitting(text: str, room: int) -> int:
    """How many of the characters at the start of ``text`` fit in ``room`` cells."""
    if text.isascii() or set(text) <= _ONE_CELL:
        return max(0, min(room, len(text)))
    # The widths of longer and longer starts never shrink: bisect them.
    return bisect_right(range(1, len(text) + 1), room, key=lambda end: cell_width(text[:end]))


def _cut(text: str, room: int) -> tuple[str, str]:
    """``text`` split after as many characters as fit in ``room`` cells, but at
    least one (a wide character is not cut in two, even in a room of one)."""
    at = max(1, _fitting(text, room))
    return text[:at], text[at:]


def _clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending in an ellipsis when cut."""
    if cell_width(text) <= width:
        return text
    return text[:_fitting(text, width - 1)] + "…"


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` with spaces after it (before it, ``right``) to ``width`` cells."""
    spaces = " " * (width - cell_width(text))
    return spaces + text if right else text + spaces


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Greedy word wrap to ``width`` cells; ``indent`` starts every line after
    the first (unless it leaves no room).

    A word wider than the line is cut, so no line is ever wider than
    ``width`` (but for a wide character in a line one cell wide).
    """
    width = max(1, width)
    if cell_width(indent) >= width:
        indent = ""
    lines: list[str] = []
    current, used = "", 0
    for word in text.split():
        size = cell_width(word)
        if current and used + 1 + size > width:
            lines.append(current)  # the word starts a new line, and is cut there if need be
            current = ""
        if current:
            current += " " + word
            used += 1 + size
            continue
        prefix = indent if lines else ""
        while cell_width(prefix) + size > width:
            head, word = _cut(word, width - cell_width(prefix))
            lines.append(prefix + head)
            size = cell_width(word)
            prefix = indent
        if word:
            current, used = prefix + word, cell_width(prefix) + size
    if current or not lines:
        lines.append(current)
    return lines


def table(columns: Sequence[Column], rows: Sequence[Sequence[Piece]], width: int,
          *, gap: int = 2, header: bool = True, header_style: str = "bold",
          footer: Sequence[Piece] | None = None,
          before: Mapping[int, Sequence[Line]] | None = None) -> list[Line]:
    """A header, a rule, the rows and an optional footer, fitted into ``width``.

    Cells may hold several lines (``\\n``).  When the table is too wide the
    columns that may wrap or clip narrow, widest first, down to ``least``.
    The footer (a total, say) comes after a blank line.  ``before`` maps a
    row's index to lines put before it, such as a section's heading: they
    take no part in the columns' widths.
    """
    everything = [*rows, footer] if footer else rows
    widths = _widths(columns, everything, width, gap, header)
    lines = _head(columns, widths, gap, header_style) if header else []
    for index, row in enumerate(rows):
        if before and index in before:
            lines += before[index]
        lines += _row(row, columns, widths, gap)
    if footer:
        lines += [[], *_row(footer, columns, widths, gap)]
    return lines


def streamed(columns: Sequence[Column], sample: Sequence[Sequence[Piece]],
             rows: Iterable[Sequence[Piece]], width: int, *, gap: int = 2,
             header: bool = True, header_style: str = "bold") -> Iterator[Line]:
    """``table`` for more rows than can be held at once: the columns are as wide
    as ``sample`` needs (rows holding the widest text each column will get),
    and ``rows`` are laid out one at a time as they come."""
    widths = _widths(columns, sample, width, gap, header)
    if header:
        yield from _head(columns, widths, gap, header_style)
    for row in rows:
        yield from _row(row, columns, widths, gap)


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[Piece]], width: int, gap: int,
            header: bool) -> list[int]:
    """Each column's width: its widest cell, narrowed to fit in ``width``."""
    widths = [max([cell_width(c.header) if header else 0]
                  + [_widest(row[i][0]) for row in rows])
              for i, c in enumerate(columns)]
    _narrow(columns, widths, width - gap * (len(columns) - 1))
    return widths


def _head(columns: Sequence[Column], widths: list[int], gap: int,
          header_style: str) -> list[Line]:
    """The header and the rule under it."""
    total = sum(widths) + gap * (len(columns) - 1)
    return [_row([(c.header, header_style) for c in columns], columns, widths, gap)[0],
            [("─" * total, "")]]


def _widest(cell: str) -> int:
    if "\n" not in cell:
        return cell_width(cell)
    return max(cell_width(part) for part in cell.split("\n"))


def _narrow(columns: Sequence[Column], widths: list[int], room: int) -> None:
    """Take the excess from the widest column that may wrap or clip, a column at
    a time, so the squeeze is shared rather than crushing one column."""
    while sum(widths) > room:
        candidates = [i for i, c in enumerate(columns)
                      if (c.wrap or c.clip) and widths[i] > c.least]
        if not candidates:
            return
        widths[max(candidates, key=lambda i: widths[i])] -= 1


def _row(pieces: Sequence[Piece], columns: Sequence[Column], widths: list[int],
         gap: int) -> list[Line]:
    stacked = [_cell_lines(text, column, size) for (text, _), column, size
               in zip(pieces, columns, widths, strict=True)]
    spacer = " " * gap
    last = len(pieces) - 1
    lines: list[Line] = []
    for number in range(max(len(parts) for parts in stacked)):
        line: Line = []
        for index, (parts, column, size, (_, style)) in enumerate(
                zip(stacked, columns, widths, pieces, strict=True)):
            text = _pad(parts[number] if number < len(parts) else "", size, right=column.right)
            line.append((text + spacer if index < last else text, style))
        lines.append(line)
    return lines


def _cell_lines(text: str, column: Column, size: int) -> list[str]:
    if "\n" not in text and cell_width(text) <= size:
        return [text]  # the common case, kept cheap for long tables
    if not column.wrap:
        return [_clip(part, size) for part in text.split("\n")]
    return [piece for part in text.split("\n") for piece in wrap(part, size)]


def plain(line: Line) -> str:
    return "".join(text for text, _ in line).rstrip()


def as_text(lines: Sequence[Line]) -> Text:
    """The lines as one Rich Text, without trailing spaces, never wrapped again."""
    from rich.text import Text  # noqa: PLC0415 - 15 ms that --help (it uses wrap) never needs

    text = Text(no_wrap=True, overflow="crop", end="\n")
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        row = Text.assemble(*[(piece, style or "") for piece, style in line])
        row.rstrip()
        text.append_text(row)
    return text
