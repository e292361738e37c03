"""A full-screen view that rewrites only what changed, as curses does.

Rich's Live renders and writes the whole window at every refresh: 2-4 kB a
second for a countdown whose digits and bars are all that moved.  A Screen
keeps what each row shows (its characters and their styles); given the next
frame it moves the cursor to each row that differs and writes only the run
of cells from the first change to the last.  A resize, or coming back from
Ctrl-Z, redraws everything.
"""

from __future__ import annotations

from typing import IO, NamedTuple

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

ENTER = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J"  # alternate screen, cursor hidden, cleared
LEAVE = "\x1b[0m\x1b[?25h\x1b[?1049l"  # cursor shown, back to the normal screen
CLEAR = "\x1b[H\x1b[2J"
RESET = "\x1b[0m"

_SYSTEMS = {"standard": "STANDARD", "256": "EIGHT_BIT", "truecolor": "TRUECOLOR",
            "windows": "WINDOWS"}


class Row(NamedTuple):
    """What a row of the screen shows: one character and one SGR code per cell.

    ``narrow`` is False when a character takes two cells (CJK in a name, say):
    such a row is always rewritten whole, as cells and characters differ.
    """

    chars: str
    codes: tuple[str, ...]
    narrow: bool = True


BLANK = Row("", ())


class Screen:
    """The alternate screen of ``console``'s terminal, drawn a row at a time."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.file: IO[str] = console.file
        self.shown: list[Row] = []  # what the terminal shows now, row by row
        self.keys: list[tuple] = []  # the Text each row was made from, to skip unchanged rows
        self.size: tuple[int, int] | None = None
        self._codes: dict[Style | str | None, str] = {}
        self._system = None
        name = console.color_system
        if name is not None:
            from rich.color import ColorSystem

            self._system = ColorSystem[_SYSTEMS[name]]

    # -- entering and leaving ---------------------------------------------------

    def enter(self) -> None:
        self.shown, self.keys, self.size = [], [], None
        self._write(ENTER)

    def leave(self) -> None:
        self._write(LEAVE)

    # -- drawing ----------------------------------------------------------------

    def show(self, lines: list[Text]) -> int:
        """Make the screen show ``lines``; returns how many bytes were written."""
        size = (self.console.width, self.console.height)
        out: list[str] = []
        if size != self.size:  # a new window: nothing on it can be trusted
            out.append(CLEAR)
            self.shown, self.keys, self.size = [], [], size
        width, height = size
        lines = lines[:height]
        rows = max(len(lines), len(self.shown))
        shown = self.shown + [BLANK] * (rows - len(self.shown))
        keys = self.keys + [()] * (rows - len(self.keys))
        for number in range(rows):
            line = lines[number] if number < len(lines) else None
            key = _key(line)
            if key == keys[number]:
                continue
            new = self._row(line, width) if line is not None else BLANK
            out.append(_patch(number, shown[number], new))
            shown[number], keys[number] = new, key
        self.shown, self.keys = shown[:max(len(lines), 1)], keys[:max(len(lines), 1)]
        text = "".join(out)
        if text:
            self._write(text)
        return len(text.encode("utf-8", "replace"))

    def _row(self, line: Text, width: int) -> Row:
        chars: list[str] = []
        codes: list[str] = []
        for segment in line.render(self.console):
            text = segment.text
            if not text or segment.control:
                continue
            code = self._code(segment.style)
            chars.append(text)
            codes.extend([code] * len(text))
        joined = "".join(chars)
        if cell_len(joined) != len(joined):
            return Row(joined, tuple(codes), narrow=False)
        return Row(joined[:width], tuple(codes[:width]))

    def _code(self, style: Style | None) -> str:
        """The SGR sequence that starts ``style``, worked out once per style."""
        code = self._codes.get(style)
        if code is None:
            code = ""
            if style and self._system is not None:
                rendered = style.render("\0", color_system=self._system)
                code = rendered[:rendered.index("\0")]
            self._codes[style] = code
        return code

    def _write(self, text: str) -> None:
        self.file.write(text)
        self.file.flush()


def _key(line: Text | None) -> tuple:
    """What decides how a line looks: its text, its style and its spans."""
    if line is None:
        return ()
    return (line.plain, str(line.style), tuple(line.spans))


def _patch(number: int, old: Row, new: Row) -> str:
    """The bytes that turn row ``number`` from ``old`` into ``new``: the cursor
    moved to the first cell that differs, then the cells up to the last one."""
    if not (old.narrow and new.narrow):  # cells are not characters: the whole row
        return f"\x1b[{number + 1};1H" + _run(new, 0, len(new.chars) - 1) + "\x1b[K"
    length = max(len(old.chars), len(new.chars))
    first = 0
    while first < length and _cell(old, first) == _cell(new, first):
        first += 1
    if first == length:
        return ""
    last = length - 1
    while _cell(old, last) == _cell(new, last):
        last -= 1
    return f"\x1b[{number + 1};{first + 1}H" + _run(new, first, last)


def _run(row: Row, first: int, last: int) -> str:
    """Cells ``first`` to ``last`` of ``row``, each style started when it changes."""
    parts = []
    current = ""
    for column in range(first, last + 1):
        char, code = _cell(row, column)
        if code != current:
            parts.append(RESET + code)
            current = code
        parts.append(char)
    if current:
        parts.append(RESET)
    return "".join(parts)


def _cell(row: Row, column: int) -> tuple[str, str]:
    if column < len(row.chars):
        return row.chars[column], row.codes[column]
    return " ", ""
