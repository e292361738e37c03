"""A full-screen view that rewrites only what changed, as curses does.

Rich's Live renders and writes the whole window at every refresh: 2-4 kB a
second for a countdown whose digits and bars are all that moved.  A Screen
keeps what each row shows (its characters and their styles); given the next
frame it moves the cursor to each row that differs and writes only the cells
that changed (a bar that grows by a cell and its figure at the far end are
two short runs, not the whole bar between them).  A resize, or coming back
from Ctrl-Z, redraws everything.
"""

from __future__ import annotations

from itertools import pairwise
from typing import IO, NamedTuple

from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.text import Text

from psoas_cli.ui.table import cell_width
from psoas_cli.ui.terminal import under_screen

ENTER = "\x1b[?1049h\x1b[?25l\x1b[0m\x1b[H\x1b[2J"  # alternate screen, no cursor, plain, cleared
LEAVE = "\x1b[0m\x1b[?25h\x1b[?1049l"  # cursor shown, back to the normal screen
CLEAR = "\x1b[H\x1b[2J"
RESET = "\x1b[0m"

_NOT_ITALIC = Style(italic=False)

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

    def __init__(self, console: Console, *, italics: bool | None = None) -> None:
        self.console = console
        # GNU screen shows italics as reverse video: none there (terminal.under_screen).
        self.italics = not under_screen() if italics is None else italics
        self.file: IO[str] = console.file
        self.shown: list[Row] = []  # what the terminal shows now, row by row
        self.keys: list[tuple] = []  # the Text each row was made from, to skip unchanged rows
        self.last: list[Text] = []  # the lines drawn last time, to skip the same objects
        self.size: tuple[int, int] | None = None
        self._codes: dict[tuple, str] = {}
        self._styled: dict[tuple, tuple[str, ...]] = {}  # a row's codes, by its styles
        self._system = None
        name = console.color_system
        if name is not None:
            self._system = ColorSystem[_SYSTEMS[name]]

    # -- entering and leaving ---------------------------------------------------

    def enter(self) -> None:
        self.shown, self.keys, self.last, self.size = [], [], [], None
        self._write(ENTER)

    def leave(self) -> None:
        # Cleared first: where the alternate screen is ignored (GNU screen's
        # stock configuration), the last frame would stay under what follows.
        self._write(CLEAR + LEAVE)

    # -- drawing ----------------------------------------------------------------

    def show(self, lines: list[Text], size: tuple[int, int] | None = None,
             after: str = "") -> int:
        """Make the screen show ``lines``, then write ``after`` (a window title,
        say) in the same write; returns how many bytes were written.  ``size``
        is the window's, when the caller has just asked for it."""
        if size is None:
            size = (self.console.size.width, self.console.size.height)
        out: list[str] = []
        if size != self.size:  # a new window: nothing on it can be trusted
            out.append(CLEAR)
            self.shown, self.keys, self.last, self.size = [], [], [], size
        width, height = size
        lines = lines[:height]
        rows = max(len(lines), len(self.shown))
        shown = self.shown + [BLANK] * (rows - len(self.shown))
        keys = self.keys + [()] * (rows - len(self.keys))
        last = self.last
        count, before = len(lines), len(last)
        for number in range(rows):
            line = lines[number] if number < count else None
            if line is not None and number < before and line is last[number]:
                continue  # the very line drawn last time: nothing to compare
            key = _key(line)
            if key == keys[number]:
                continue
            new = self._row(line, width, key) if line is not None else BLANK
            out.append(_patch(number, shown[number], new))
            shown[number], keys[number] = new, key
        self.shown, self.keys = shown[:max(len(lines), 1)], keys[:max(len(lines), 1)]
        self.last = list(lines)
        out.append(after)
        text = "".join(out)
        if text:
            self._write(text)
        return len(text.encode("utf-8", "replace"))

    def _row(self, line: Text, width: int, key: tuple | None = None) -> Row:
        """The cells of ``line`` (whose ``_key`` is ``key``): its characters,
        and the style of each as Rich would combine them (the line's style,
        then each span over it, in order), worked out per run between span
        edges rather than per character, and kept for the next line with the
        same styles in the same places (a row of digits a second later)."""
        key = key or _key(line)
        plain = key[0]
        styles = (key[1], key[2], len(plain))
        codes = self._styled.get(styles)
        if codes is None:
            codes = self._styles(line, plain)
            if len(self._styled) >= 256:  # rows of a few phases
                self._styled.clear()
            self._styled[styles] = codes
        if cell_width(plain) != len(plain):
            return Row(plain, codes, narrow=False)
        if len(plain) <= width:
            return Row(plain, codes)
        return Row(plain[:width], codes[:width])

    def _styles(self, line: Text, plain: str) -> tuple[str, ...]:
        spans = [span for span in line.spans if span.end > span.start]
        edges = sorted({0, len(plain), *(span.start for span in spans),
                        *(min(span.end, len(plain)) for span in spans)})
        codes: list[str] = []
        for start, end in pairwise(edges):
            over = tuple(span.style for span in spans if span.start <= start and span.end >= end)
            codes += [self._code((line.style, *over))] * (end - start)
        return tuple(codes)

    def _code(self, styles: tuple) -> str:
        """The SGR sequence that starts these styles combined, worked out once."""
        code = self._codes.get(styles)
        if code is None:
            code = ""
            parts = [self.console.get_style(s, default="") for s in styles if s]
            if self._system is not None and parts:
                style = Style.combine(parts)
                if not self.italics:
                    style += _NOT_ITALIC
                if style:
                    rendered = style.render("\0", color_system=self._system)
                    code = rendered[:rendered.index("\0")]
            self._codes[styles] = code
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
    """The bytes that turn row ``number`` from ``old`` into ``new``: for each
    run of cells that differ, the cursor moved to it and the run written."""
    if not (old.narrow and new.narrow):  # cells are not characters: the whole row
        return f"\x1b[{number + 1};1H" + _run(new.chars, new.codes) + "\x1b[K"
    length = max(len(old.chars), len(new.chars))
    old_chars, old_codes = _padded(old, length)
    new_chars, new_codes = _padded(new, length)
    first, last = _differ(old_chars, new_chars)
    if old_codes != new_codes:  # the usual case: only characters changed
        first = min(first, _same_start(old_codes, new_codes))
        last = max(last, length - _same_start(old_codes[::-1], new_codes[::-1]))
    if first >= last:
        return ""
    return "".join(f"\x1b[{number + 1};{start + 1}H" + _run(new_chars[start:end],
                                                             new_codes[start:end])
                   for start, end in _changed(old_chars, old_codes, new_chars, new_codes,
                                              first, last))


# A cursor move costs about as many bytes as a few cells; fewer unchanged
# cells than this between two changes are written again rather than skipped.
GAP = 6


def _changed(old_chars: str, old_codes: tuple, new_chars: str, new_codes: tuple,
             first: int, last: int) -> list[tuple[int, int]]:
    """The runs [start, end) of cells that differ between ``first`` (which does)
    and ``last`` (the cell after the last that does), joined across gaps of
    fewer than GAP unchanged cells."""
    if last - first <= 2 * GAP:  # too short to be worth looking inside
        return [(first, last)]
    runs = []
    start, same = first, 0
    for column in range(first, last):
        if old_chars[column] == new_chars[column] and old_codes[column] == new_codes[column]:
            same += 1
            continue
        if same >= GAP:
            runs.append((start, column - same))
            start = column
        same = 0
    runs.append((start, last))
    return runs


def _padded(row: Row, length: int) -> tuple[str, tuple[str, ...]]:
    """The row to ``length`` cells, blank cells after its end."""
    short = length - len(row.chars)
    return row.chars + " " * short, row.codes + ("",) * short


def _differ(a: str, b: str) -> tuple[int, int]:
    """The first character of ``a`` and ``b`` (as long as each other) that
    differs, and the one after the last that does; (len, 0) when none does.
    Both found at once in C: the strings as numbers of 32 bits a character,
    the lowest and highest bits of their exclusive or."""
    apart = int.from_bytes(a.encode("utf-32-le", "surrogatepass"), "little") \
        ^ int.from_bytes(b.encode("utf-32-le", "surrogatepass"), "little")
    if not apart:
        return len(a), 0
    return ((apart & -apart).bit_length() - 1) >> 5, ((apart.bit_length() - 1) >> 5) + 1


def _same_start(a, b) -> int:
    """How many leading items ``a`` and ``b`` share: a binary search comparing
    slices, so the work per row is a few comparisons done in C, not a loop
    over cells in Python."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _run(chars: str, codes: tuple[str, ...]) -> str:
    """Cells with their styles, each style started where it changes.  Every
    run ends with no style in force (the screen starts so, too), so a run
    that begins styled needs no reset first."""
    if not codes or codes.count(codes[0]) == len(codes):  # one style (a digit, a bar's end)
        return codes[0] + chars + RESET if codes and codes[0] else chars
    parts = []
    current = ""
    start = 0
    for column, code in enumerate(codes):
        if code != current:
            parts.append(chars[start:column])
            parts.append(RESET + code if current else code)
            current, start = code, column
    parts.append(chars[start:])
    if current:
        parts.append(RESET)
    return "".join(parts)
