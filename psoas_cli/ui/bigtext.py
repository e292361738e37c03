"""Large letters and digits made of block characters, readable across a room.

Glyphs are 5 pixels high.  ``tall`` draws each pixel as two full blocks
(5 rows); ``short`` packs two pixel rows into one with half blocks (3 rows).
"""

from __future__ import annotations

_GLYPHS = {
    "0": "###|#.#|#.#|#.#|###", "1": ".#.|##.|.#.|.#.|###", "2": "###|..#|###|#..|###",
    "3": "###|..#|.##|..#|###", "4": "#.#|#.#|###|..#|..#", "5": "###|#..|###|..#|###",
    "6": "###|#..|###|#.#|###", "7": "###|..#|..#|.#.|.#.", "8": "###|#.#|###|#.#|###",
    "9": "###|#.#|###|..#|###", ":": ".|#|.|#|.", " ": "..|..|..|..|..",
    "-": "...|...|###|...|...",
    "A": ".#.|#.#|###|#.#|#.#", "B": "##.|#.#|##.|#.#|##.", "C": "###|#..|#..|#..|###",
    "D": "##.|#.#|#.#|#.#|##.", "E": "###|#..|##.|#..|###", "F": "###|#..|##.|#..|#..",
    "G": "###|#..|#.#|#.#|###", "H": "#.#|#.#|###|#.#|#.#", "I": "###|.#.|.#.|.#.|###",
    "J": "..#|..#|..#|#.#|###", "K": "#.#|#.#|##.|#.#|#.#", "L": "#..|#..|#..|#..|###",
    "M": "#...#|##.##|#.#.#|#...#|#...#", "N": "#..#|##.#|#.##|#..#|#..#",
    "O": "###|#.#|#.#|#.#|###", "P": "###|#.#|###|#..|#..", "Q": "###|#.#|#.#|###|..#",
    "R": "###|#.#|##.|#.#|#.#", "S": "###|#..|###|..#|###", "T": "###|.#.|.#.|.#.|.#.",
    "U": "#.#|#.#|#.#|#.#|###", "V": "#.#|#.#|#.#|#.#|.#.", "W": "#...#|#...#|#.#.#|##.##|#...#",
    "X": "#.#|#.#|.#.|#.#|#.#", "Y": "#.#|#.#|.#.|.#.|.#.", "Z": "###|..#|.#.|#..|###",
}
HEIGHT = 5


def _pixels(text: str) -> list[str]:
    """The text as 5 rows of '#' and '.', one column of space between glyphs."""
    rows = [""] * HEIGHT
    glyphs = [_GLYPHS[c] for c in text.upper() if c in _GLYPHS]
    for number, glyph in enumerate(glyphs):
        for row, bits in enumerate(glyph.split("|")):
            rows[row] += ("." if number else "") + bits
    return rows


def width(text: str, *, tall: bool) -> int:
    pixels = len(_pixels(text)[0])
    return pixels * 2 if tall else pixels


def tall(text: str) -> list[str]:
    """Five rows; each pixel two blocks wide so the glyphs keep their shape."""
    return [row.replace("#", "██").replace(".", "  ") for row in _pixels(text)]


def short(text: str) -> list[str]:
    """Three rows, two pixel rows to a line with half blocks."""
    rows = _pixels(text) + ["." * len(_pixels(text)[0])]
    lines = []
    for top, bottom in zip(rows[0::2], rows[1::2]):
        lines.append("".join(_half(a == "#", b == "#") for a, b in zip(top, bottom)))
    return lines


def _half(top: bool, bottom: bool) -> str:
    return "█" if top and bottom else "▀" if top else "▄" if bottom else " "
