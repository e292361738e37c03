"""Charts in the terminal: lines of a few series and bars, in braille or ASCII.

psoas's own, rather than a plotting library's: plotext takes half a second
to import (``psoas progress`` must start within 1.15x of ``psoas list``),
and a chart here is a few dozen cells.  Lines are drawn in braille dots
(2x4 to a cell, as the pose figures are) between the points, and each
point is marked with its series' letter (R, L, B...), so the chart reads
without colour; where two points share a cell, ``*`` marks it.  In ASCII
(LANG=C) only the letters are drawn, joined by dots.  Bars are half blocks
(``#`` in ASCII).

Every chart is a list of lines, each a list of (text, style) pieces, as
ui/table.py lays out text: printed plain, the styles simply go.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

Piece = tuple[str, str]
Line = list[Piece]

AXIS = 4  # columns of the y axis: "10 ┤"
SHARED = "*"  # two series' points in one cell
_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [dot row][dot column]


class Series(NamedTuple):
    letter: str  # its mark at each point: R, L, B, H
    name: str  # for the legend: "right hip"
    values: Sequence[float | None]  # one per x; None: no point there
    style: str = ""


def positions(count: int, width: int) -> list[int]:
    """The column of each of ``count`` points spread over ``width`` columns."""
    if count <= 1:
        return [width // 2] * count
    return [round(i * (width - 1) / (count - 1)) for i in range(count)]


def line_chart(series: Sequence[Series], *, low: float, high: float, width: int,
               height: int, unicode: bool = True, columns: Sequence[int] | None = None,
               ticks: Sequence[float] | None = None) -> list[Line]:
    """The series drawn over ``width`` x ``height`` cells, a y axis at the left
    (``ticks`` labelled) and a baseline at the bottom (not counted in ``height``).
    ``columns``: where each x falls, from 0 to width - AXIS - 1."""
    plot = max(2, width - AXIS)
    count = max((len(s.values) for s in series), default=0)
    xs = list(columns) if columns is not None else positions(count, plot)
    rows = max(2, height)
    dots = [[0] * (plot * 2) for _ in range(rows * 4)]
    owner: dict[tuple[int, int], str] = {}  # cell: the style of the last line through it
    marks: dict[tuple[int, int], tuple[str, str]] = {}  # cell: (letter, style)

    def dot_y(value: float) -> float:
        share = (min(max(value, low), high) - low) / ((high - low) or 1)
        return (rows * 4 - 1) * (1 - share)

    for s in series:
        points = [(xs[i] * 2 + 1, dot_y(v), v) for i, v in enumerate(s.values)
                  if v is not None and i < len(xs)]
        if unicode:
            for (x0, y0, _), (x1, y1, _) in zip(points, points[1:], strict=False):
                steps = max(abs(x1 - x0), abs(y1 - y0), 1)
                for step in range(int(math.ceil(steps)) + 1):
                    t = step / math.ceil(steps)
                    x, y = round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t)
                    if 0 <= y < rows * 4 and 0 <= x < plot * 2:
                        dots[y][x] = 1
                        owner[(y // 4, x // 2)] = s.style
        if not unicode:  # a dot in each cell between two points
            for (x0, y0, _), (x1, y1, _) in zip(points, points[1:], strict=False):
                for column in range(x0 // 2 + 1, x1 // 2):
                    t = (column * 2 + 1 - x0) / ((x1 - x0) or 1)
                    row = min(rows - 1, int(y0 + (y1 - y0) * t) // 4)
                    owner.setdefault((row, column), ".")
        for px, py, _ in points:
            cell = (min(rows - 1, int(py) // 4), px // 2)
            marks[cell] = (SHARED, "bold") if cell in marks and marks[cell][0] != s.letter \
                else (s.letter, f"bold {s.style}".strip())
    labels = _tick_labels(ticks if ticks is not None else (high, (low + high) / 2, low),
                          low, high, rows)
    lines: list[Line] = []
    for row in range(rows):
        line: Line = [(labels.get(row, "").rjust(AXIS - 2) + (" ┤" if row in labels else " │"),
                       "dim")]
        for column in range(plot):
            if (row, column) in marks:
                line.append(marks[(row, column)])
                continue
            if not unicode:
                line.append(("." if owner.get((row, column)) == "." else " ", ""))
                continue
            code = 0
            for r in range(4):
                for c in range(2):
                    if dots[row * 4 + r][column * 2 + c]:
                        code |= _BITS[r][c]
            line.append((chr(0x2800 + code) if code else " ", owner.get((row, column), "")))
        lines.append(_joined(line))
    lines.append([(" " * (AXIS - 2) + " └" + "─" * plot, "dim")])
    if not unicode:
        lines = [_ascii(line) for line in lines]
    return lines


def _tick_labels(ticks: Sequence[float], low: float, high: float, rows: int) -> dict[int, str]:
    labels: dict[int, str] = {}
    for tick in ticks:
        share = (tick - low) / ((high - low) or 1)
        row = round((rows - 1) * (1 - share))
        labels.setdefault(row, f"{tick:g}")
    return labels


EIGHTHS = " ▁▂▃▄▅▆▇█"
ASCII_LEVELS = " .:-=+*#%@"


def bar_chart(values: Sequence[float], *, width: int, height: int, unicode: bool = True,
              style: str = "", columns: Sequence[int] | None = None, band: int = 3,
              axis: str = "") -> list[Line]:
    """A bar for each value, as tall as it is against the largest, in ``height``
    rows of eighth blocks (``#`` and friends in ASCII), each ``band`` columns
    wide and centred on its column (``columns`` as ``positions`` gives).
    ``axis`` is written left of the bottom row, in the y axis's columns."""
    plot = max(2, width - AXIS)
    xs = list(columns) if columns is not None else positions(len(values), plot)
    most = max(values, default=0) or 1
    levels = 8 if unicode else 9
    heights = [0 if v <= 0 else max(1, round(v / most * height * levels)) for v in values]
    lines: list[Line] = []
    for row in range(height):
        below = (height - 1 - row) * levels  # eighths under this row
        cells = [" "] * plot
        for x, h in zip(xs, heights, strict=False):
            fill = min(levels, max(0, h - below))
            if not fill:
                continue
            char = EIGHTHS[fill] if unicode else ASCII_LEVELS[fill]
            for dx in range(band):
                column = x - band // 2 + dx
                if 0 <= column < plot:
                    cells[column] = char
        label = axis if row == height - 1 else ""
        lines.append([(label[:AXIS - 1].rjust(AXIS - 1) + " ", "dim"),
                      ("".join(cells).rstrip(), style)])
    return lines


def under(labels: Sequence[tuple[int, str]], width: int) -> str:
    """Labels under a chart, each centred on its column, those that would touch
    the one before left out."""
    plot = max(2, width - AXIS)
    cells = [" "] * plot
    end = -2
    for column, text in labels:
        start = min(max(0, column - len(text) // 2), plot - len(text))
        if start <= end + 1 or start < 0:
            continue
        cells[start:start + len(text)] = list(text)
        end = start + len(text)
    return (" " * AXIS + "".join(cells)).rstrip()


def _joined(line: Line) -> Line:
    """Neighbouring pieces of the same style as one."""
    out: Line = []
    for text, style in line:
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        else:
            out.append((text, style))
    return out


_ASCII = str.maketrans({"┤": "+", "│": "|", "└": "+", "─": "-"})

# The few styles a chart uses, as terminal codes: written out rather than
# through Rich, whose import alone costs `psoas progress` a third of its start.
SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34",
       "magenta": "35", "cyan": "36"}


def render(lines: Sequence[Line], *, colour: bool) -> str:
    """The lines as text, right-stripped; with ``colour``, each styled piece in
    its terminal codes (a style's words that are not in SGR are left out)."""
    out = []
    for line in lines:
        if not colour:
            out.append("".join(text for text, _ in line).rstrip())
            continue
        parts = []
        for text, style in line:
            codes = ";".join(SGR[w] for w in style.split() if w in SGR) if text.strip() else ""
            parts.append(f"\x1b[{codes}m{text}\x1b[0m" if codes else text)
        out.append("".join(parts).rstrip())
    return "".join(row + "\n" for row in out)


def _ascii(line: Line) -> Line:
    return [(text.translate(_ASCII), style) for text, style in line]
