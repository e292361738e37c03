"""Figures drawn as character cells: braille, half blocks or ASCII.

Pure Python (no Rich): ``render`` turns a checked ``Figure`` (model/figures.py)
into rows of ``Cell`` for a box of any size, the right side as written and
the left its exact mirror.  Terminal cells are about twice as tall as they
are wide; braille packs 2x4 dots into a cell and half blocks 1x2, so in both
a dot is square; ASCII has one (tall) dot per cell and is corrected for it.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from psoas_cli.model.figures import (
    BED_LEG_INSET,
    BONES,
    COLLARS,
    HEAD_RADIUS,
    JOINTS,
    MATTRESS,
    PARTS,
    SIDES,
    Bed,
    Figure,
    bone_length,
    scale_of,
)

# Dots per cell across and down.  "fullblock" is for terminals without half
# blocks (the Linux console): a dot a cell, drawn as the full block.
MODES = {"braille": (2, 4), "halfblock": (1, 2), "fullblock": (1, 1), "ascii": (1, 1)}


class Cell(NamedTuple):
    char: str
    worked: bool


# The shapes a figure is drawn from, in the figure's grid units (y up); _place
# scales them to the canvas.  ``worked`` marks the limb the stretch works.

class Line(NamedTuple):
    """A straight stroke: a bone, a collar bone, an edge of a chair or a bed."""

    x0: float
    y0: float
    x1: float
    y1: float
    worked: bool


class Ring(NamedTuple):
    """A circle: a foam roller seen end-on."""

    x: float
    y: float
    r: float
    worked: bool


class Head(NamedTuple):
    """The head: a ring in braille and half blocks, an 'O' in ASCII."""

    x: float
    y: float
    r: float
    worked: bool


class Floor(NamedTuple):
    """The floor's height; it spans whatever else is drawn."""

    y: float


Shape = Line | Ring | Head | Floor


def render(figure: Figure, width: int, height: int, mode: str = "braille",
           side: str = "right") -> tuple:
    """The figure drawn to fit ``width`` x ``height`` cells, as rows of Cells.

    The rows are trimmed to the drawing (at most the box, one side of it
    filled), floor at the bottom.  ``side='left'`` is the exact mirror of
    the right.  Results are cached: a player asks once per phase and size.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if side not in SIDES:
        raise ValueError(f"side must be right or left, not {side!r}")
    return _render(figure, max(int(width), 1), max(int(height), 1), mode, side)


def lines(rows: tuple) -> list[str]:
    """The rendered rows as plain strings."""
    return ["".join(cell.char for cell in row) for row in rows]


@lru_cache(maxsize=64)
def _render(figure: Figure, width: int, height: int, mode: str, side: str) -> tuple:
    canvas = _draw(figure, width, height, mode)
    if side == "left":
        canvas.flip(MODES[mode][0])
    return _ENCODERS[mode](canvas, width, height)


def _draw(figure: Figure, width: int, height: int, mode: str) -> _Canvas:
    per_x, per_y = MODES[mode]
    canvas = _Canvas(width * per_x, height * per_y, ascii=mode == "ascii",
                     thin=mode == "fullblock")
    _place(canvas, _shapes(figure), per_x, per_y)
    return canvas


def _shapes(figure: Figure) -> list[Shape]:
    j = dict(zip(JOINTS, figure.joints, strict=True))
    marked = {i for i, bone in enumerate(BONES) for part in figure.worked
              if bone[2] in PARTS[part]}
    head_radius = HEAD_RADIUS * scale_of(figure.joints)
    shapes: list[Shape] = []
    if figure.chair is not None:
        back, front, seat, top = figure.chair
        floor = figure.floor if figure.floor is not None else 0.0
        shapes.append(Line(back, seat, front, seat, False))
        shapes.append(Line(back, seat, back, floor, False))
        shapes.append(Line(front, seat, front, floor, False))
        if top is not None:
            shapes.append(Line(back, seat, back, top, False))
    if figure.roller is not None:
        x, y, r = figure.roller
        shapes.append(Ring(x, y, r, False))
    if figure.bed is not None:
        shapes += _bed_shapes(figure.bed, figure.floor if figure.floor is not None else 0.0)
    # Far limbs first and worked ones last, so the marked limb is drawn on top.
    order = sorted(range(len(BONES)), key=lambda i: (i in marked, "near" in BONES[i][2]))
    for a, b in COLLARS:
        (x0, y0), (x1, y1) = j[a], j[b]
        shapes.append(Line(x0, y0, x1, y1, False))
    for index in order:
        a, b, name, _ = BONES[index]
        (x0, y0), (x1, y1) = j[a], j[b]
        if name == "neck":
            # The neck stops at the head's outline.
            length = bone_length((x0, y0), (x1, y1))
            keep = max(length - head_radius, 0.0) / length if length else 0.0
            x1, y1 = x0 + (x1 - x0) * keep, y0 + (y1 - y0) * keep
        shapes.append(Line(x0, y0, x1, y1, index in marked))
    hx, hy = j["head"]
    shapes.append(Head(hx, hy, head_radius, False))
    if figure.floor is not None:
        shapes.append(Floor(figure.floor))
    return shapes


def _bed_shapes(bed: Bed, floor: float) -> list[Shape]:
    """A bed seen from the side: the mattress as a long box (its top, its
    underside and its two ends) and a leg under each end, set in a little."""
    head, foot, top = bed
    low = top - MATTRESS
    inset = BED_LEG_INSET if foot > head else -BED_LEG_INSET
    return [Line(head, top, foot, top, False), Line(head, low, foot, low, False),
            Line(head, top, head, low, False), Line(foot, top, foot, low, False),
            Line(head + inset, low, head + inset, floor, False),
            Line(foot - inset, low, foot - inset, floor, False)]


def _bounds(shapes: list[Shape]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for shape in shapes:
        match shape:
            case Line(x0, y0, x1, y1):
                xs += (x0, x1)
                ys += (y0, y1)
            case Ring(x, y, r) | Head(x, y, r):
                xs += (x - r, x + r)
                ys += (y - r, y + r)
            case Floor(y):
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


FLOOR_MARGIN = 1.0  # grid units of floor beyond the figure at each end
# From this many dots to a grid unit (a figure about 30 braille rows tall)
# every line is drawn two dots thick, the worked limb three: a one-dot line
# that big looks faint from a mat.
BOLD_FROM = 6.0


def _place(canvas: _Canvas, shapes: list[Shape], per_x: int, per_y: int) -> None:
    """Scale the shapes to fill the canvas, keeping their shape on screen.

    The floor gets the top row of dots in the last row of cells, and the
    body the cells above it, so a colour given to a limb lying on the floor
    never spills onto the floor line.
    """
    x0, y0, x1, y1 = _bounds(shapes)
    floor = next((s for s in shapes if isinstance(s, Floor)), None)
    if floor is not None:
        x0, x1 = x0 - FLOOR_MARGIN, x1 + FLOOR_MARGIN
        floor_row = canvas.height - per_y
        bottom = floor_row - 1
    else:
        bottom = canvas.height - 1
    # A dot is 1/per_x of a cell wide and 2/per_y of a cell-width tall.
    dot_w, dot_h = 1.0 / per_x, 2.0 / per_y
    span_x, span_y = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)

    def scale(grow: int) -> float:
        # Room for the last dot, and for a thick line to grow into.
        room_x, room_y = canvas.width - 1 - grow, bottom - grow
        return max(min(room_x * dot_w / span_x, room_y * dot_h / span_y), 0.0)

    unit = scale(1)
    if per_x > 1 and unit / dot_h >= BOLD_FROM and canvas.chars is None:
        canvas.weight = 2
        unit = scale(2)
    sx, sy = unit / dot_w, unit / dot_h

    def at(x: float, y: float) -> tuple[float, float]:
        return (x - x0) * sx, bottom - (y - y0) * sy

    for shape in shapes:
        match shape:
            case Line(ax, ay, bx, by, worked):
                canvas.line(*at(ax, ay), *at(bx, by), worked)
            case Ring(cx, cy, r, worked) | Head(cx, cy, r, worked):
                px, py = at(cx, cy)
                canvas.ring(px, py, r * sx, r * sy, worked, head=isinstance(shape, Head))
    if floor is not None:
        canvas.line(0, floor_row, (x1 - x0) * sx, floor_row, False, floor=True)


class _Canvas:
    """A grid of dots: 0 empty, 1 drawn, 2 drawn as the worked limb.

    For ASCII each dot also keeps the character that best follows its line.
    """

    def __init__(self, width: int, height: int, *, ascii: bool, thin: bool = False) -> None:
        self.width = width
        self.height = height
        self.dots = [bytearray(width) for _ in range(height)]
        self.chars = [[" "] * width for _ in range(height)] if ascii else None
        self.clipped = 0  # dots that fell outside: scaling should leave none
        self.weight = 1  # dots across a line; the worked limb gets one more
        # A dot a whole cell: a line one dot across, the worked limb too (its
        # colour tells it apart), or the figure is a lump.
        self.thin = thin

    def put(self, x: int, y: int, value: int, char: str = "") -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            row = self.dots[y]
            if value >= row[x]:
                row[x] = value
                if self.chars is not None and char:
                    self.chars[y][x] = char
        else:
            self.clipped += 1

    def line(self, ax: float, ay: float, bx: float, by: float, worked: bool,
             floor: bool = False) -> None:
        dx, dy = bx - ax, by - ay
        steps = max(abs(dx), abs(dy))
        count = int(math.ceil(steps)) + 1
        value = 2 if worked else 1
        char = "_" if floor else _slope_char(dx, dy, self)
        if worked and self.chars is not None:
            char = "#"
        # Thick lines grow across their direction: above a flat line (away
        # from the floor), beside a steep one.
        across = (0, -1) if abs(dx) >= abs(dy) else (1, 0)
        thickness = 1 if floor or self.chars is not None or self.thin \
            else self.weight + worked
        for step in range(count):
            t = step / (count - 1) if count > 1 else 0.0
            x = int(round(ax + dx * t))
            y = int(round(ay + dy * t))
            for grow in range(thickness):
                self.put(x + across[0] * grow, y + across[1] * grow, value, char)

    def ring(self, cx: float, cy: float, rx: float, ry: float, worked: bool,
             head: bool) -> None:
        value = 2 if worked else 1
        if self.chars is not None:
            if head or rx < 1.5:
                self.put(int(round(cx)), int(round(cy)), value, "O" if head else "o")
            else:  # a roller: its two sides
                self.put(int(round(cx - rx)), int(round(cy)), value, "(")
                self.put(int(round(cx + rx)), int(round(cy)), value, ")")
            return
        if min(rx, ry) < 1.6:  # too small for an outline to read: a solid dot
            for y in range(int(math.floor(cy - ry)), int(math.ceil(cy + ry)) + 1):
                for x in range(int(math.floor(cx - rx)), int(math.ceil(cx + rx)) + 1):
                    if ((x - cx) / max(rx, 0.5)) ** 2 + ((y - cy) / max(ry, 0.5)) ** 2 <= 1.0:
                        self.put(x, y, value)
            return
        count = max(12, int(2 * math.pi * max(rx, ry) * 1.5))
        for inset in range(self.weight):  # a bold outline grows inwards
            for step in range(count):
                angle = 2 * math.pi * step / count
                self.put(int(round(cx + (rx - inset) * math.cos(angle))),
                         int(round(cy + (ry - inset) * math.sin(angle))), value)

    def flip(self, per_x: int) -> None:
        """Mirror left to right, keeping cells aligned: pad to whole cells first."""
        pad = -self.width % per_x
        self.dots = [bytearray(pad) + row[::-1] for row in self.dots]
        if self.chars is not None:
            swap = {"/": "\\", "\\": "/", "(": ")", ")": "("}
            self.chars = [[" "] * pad + [swap.get(c, c) for c in row[::-1]] for row in self.chars]
        self.width += pad


def _slope_char(dx: float, dy: float, canvas: _Canvas) -> str:
    """The ASCII stroke for a line going (dx, dy) cells, y down; a cell is
    twice as tall as wide, so the visual angle uses 2*dy."""
    if canvas.chars is None:
        return ""
    angle = math.degrees(math.atan2(-2 * dy, dx)) % 180
    if angle < 22.5 or angle >= 157.5:
        return "-"
    if angle < 67.5:
        return "/"
    if angle < 112.5:
        return "|"
    return "\\"


# -- encoding dots as characters ------------------------------------------------

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col]
_HALF = {(0, 0): " ", (1, 0): "\u2580", (0, 1): "\u2584", (1, 1): "\u2588"}


def _trim(cells: list) -> tuple:
    """Drop empty rows and columns around the drawing."""
    used_rows = [i for i, row in enumerate(cells) if any(c.char != " " for c in row)]
    if not used_rows:
        return ()
    used_cols = [i for i in range(len(cells[0])) if any(row[i].char != " " for row in cells)]
    top, bottom = used_rows[0], used_rows[-1] + 1
    left, right = used_cols[0], used_cols[-1] + 1
    return tuple(tuple(row[left:right]) for row in cells[top:bottom])


# For each dot row of a braille cell, byte tables turning a dot (0, 1, 2)
# into its bit in the left and the right column; and one marking the worked.
_BIT_TABLES = tuple(tuple(bytes([0, bit, bit]) + bytes(253) for bit in pair)
                    for pair in _BRAILLE_BITS)
_WORKED_TABLE = bytes([0, 0, 1]) + bytes(253)


class _BrailleCells(dict):
    """The cell for each (dot pattern, worked) pair, made the first time one is
    drawn: a figure uses a few dozen of the 512, and each costs memory."""

    def __missing__(self, key: tuple[int, int]) -> Cell:
        code, mark = key
        cell = self[key] = Cell(chr(0x2800 + code) if code else " ", bool(mark))
        return cell


_BRAILLE_CELLS = _BrailleCells()


def _braille(canvas: _Canvas, width: int, height: int) -> tuple:
    """Each band of four dot rows as a row of braille cells.

    A band's dots are turned into bits with byte tables and OR-ed together
    as big integers, a cell a byte: the player draws big figures, and this
    keeps them quick to draw.
    """
    rows = []
    cells = min(width, (canvas.width + 1) // 2)
    blank = bytes(cells * 2)
    for cy in range(min(height, (canvas.height + 3) // 4)):
        bits = worked = 0
        for r in range(4):
            y = cy * 4 + r
            line = bytes(canvas.dots[y][:cells * 2]).ljust(cells * 2, b"\0") \
                if y < canvas.height else blank
            left, right = line[0::2], line[1::2]
            bits |= int.from_bytes(left.translate(_BIT_TABLES[r][0]), "big") | \
                int.from_bytes(right.translate(_BIT_TABLES[r][1]), "big")
            worked |= int.from_bytes(left.translate(_WORKED_TABLE), "big") | \
                int.from_bytes(right.translate(_WORKED_TABLE), "big")
        codes, marks = bits.to_bytes(cells, "big"), worked.to_bytes(cells, "big")
        rows.append([_BRAILLE_CELLS[code, mark] for code, mark in zip(codes, marks, strict=True)])
    return _trim(rows)


def _halfblock(canvas: _Canvas, width: int, height: int) -> tuple:
    rows = []
    dots = canvas.dots
    for cy in range(min(height, (canvas.height + 1) // 2)):
        top = dots[cy * 2]
        low = dots[cy * 2 + 1] if cy * 2 + 1 < canvas.height else bytearray(canvas.width)
        row = []
        for x in range(min(width, canvas.width)):
            a, b = top[x], low[x]
            row.append(Cell(_HALF[(a > 0, b > 0)], a == 2 or b == 2))
        rows.append(row)
    return _trim(rows)


def _fullblock(canvas: _Canvas, width: int, height: int) -> tuple:
    rows = []
    for y in range(min(height, canvas.height)):
        line = canvas.dots[y]
        rows.append([Cell("\u2588" if line[x] else " ", line[x] == 2)
                     for x in range(min(width, canvas.width))])
    return _trim(rows)


def _ascii(canvas: _Canvas, width: int, height: int) -> tuple:
    assert canvas.chars is not None, "an ASCII canvas keeps its characters"
    rows = []
    for y in range(min(height, canvas.height)):
        line, chars = canvas.dots[y], canvas.chars[y]
        rows.append([Cell(chars[x] if line[x] else " ", line[x] == 2)
                     for x in range(min(width, canvas.width))])
    return _trim(rows)


_ENCODERS = {"braille": _braille, "halfblock": _halfblock, "fullblock": _fullblock,
             "ascii": _ascii}
