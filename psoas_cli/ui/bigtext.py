"""Large letters and digits made of block characters, readable across a room.

Glyphs are 5 pixels high.  ``render(text, scale)`` draws each pixel as
``scale`` cells wide and ``scale`` half-cells tall with half blocks, so a
pixel stays square on a terminal (a cell is about twice as tall as it is
wide) and the text can grow with the window: scale 1 is 3 rows (``short``),
scale 2 is 5 rows (``tall``), scale 6 is 15 rows.

Where the terminal has no half blocks (the Linux console: terminal.half_blocks)
``halves=False`` draws with full blocks alone, each pixel a whole number of
rows (``scale`` half-rows rounded up to whole rows): scale 1 is then 5 rows.
"""

from __future__ import annotations

from functools import cache, lru_cache

_GLYPHS = {
    "0": "###|#.#|#.#|#.#|###", "1": ".#.|##.|.#.|.#.|###", "2": "###|..#|###|#..|###",
    "3": "###|..#|.##|..#|###", "4": "#.#|#.#|###|..#|..#", "5": "###|#..|###|..#|###",
    "6": "###|#..|###|#.#|###", "7": "###|..#|..#|.#.|.#.", "8": "###|#.#|###|#.#|###",
    "9": "###|#.#|###|..#|###", ":": ".|#|.|#|.", " ": "..|..|..|..|..",
    "-": "...|...|###|...|...", "&": ".#..|#.#.|.#..|#.##|.##.",
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


def has_glyphs(text: str) -> bool:
    """Whether every character of ``text`` can be drawn (others are left out)."""
    return all(c in _GLYPHS for c in text.upper())


def _pixels(text: str) -> list[str]:
    """The text as 5 rows of '#' and '.', one column of space between glyphs."""
    rows = [""] * HEIGHT
    glyphs = [_GLYPHS[c] for c in text.upper() if c in _GLYPHS]
    for number, glyph in enumerate(glyphs):
        for row, bits in enumerate(glyph.split("|")):
            rows[row] += ("." if number else "") + bits
    return rows


def text_width(text: str, scale: int) -> int:
    """Columns ``text`` takes at ``scale``."""
    return len(_pixels(text)[0]) * scale


def rows(scale: int, halves: bool = True) -> int:
    """Rows any text takes at ``scale``: five pixels of ``scale`` half-rows each
    (without half blocks, of as many whole rows as that rounds up to)."""
    if not halves:
        return HEIGHT * -(-scale // 2)
    return (HEIGHT * scale + 1) // 2


@lru_cache(maxsize=32)  # a phase's countdown at most; numbers come back each hold
def render(text: str, scale: int, halves: bool = True) -> tuple[str, ...]:
    """``text`` in rows of half blocks, each pixel ``scale`` cells wide and
    ``scale`` half-cells tall, one pixel of space between glyphs (``halves``
    False: full blocks alone).  Glyphs are drawn once per scale and joined, so
    a new number costs a few joins."""
    glyphs = [_glyph(c, scale, halves) for c in text.upper() if c in _GLYPHS]
    if not glyphs:
        return ("",) * rows(scale, halves)
    gap = " " * scale
    return tuple(gap.join(parts) for parts in zip(*glyphs, strict=True))


@cache  # a few dozen glyphs at a few scales
def _glyph(char: str, scale: int, halves: bool = True) -> tuple[str, ...]:
    if not halves:
        tall = -(-scale // 2)  # whole rows a pixel
        return tuple(bits.replace("#", "█" * scale).replace(".", " " * scale)
                     for bits in _GLYPHS[char].split("|") for _ in range(tall))
    half_rows = [bits.replace("#", "#" * scale).replace(".", "." * scale)
                 for bits in _GLYPHS[char].split("|") for _ in range(scale)]
    if len(half_rows) % 2:
        half_rows.append("." * len(half_rows[0]))
    return tuple("".join(_half(a == "#", b == "#") for a, b in zip(top, bottom, strict=True))
                 for top, bottom in zip(half_rows[0::2], half_rows[1::2], strict=True))


def width(text: str, *, tall: bool) -> int:
    return text_width(text, 2 if tall else 1)


def tall(text: str, halves: bool = True) -> list[str]:
    """Five rows; each pixel two blocks wide so the glyphs keep their shape."""
    return list(render(text, 2, halves))


def short(text: str, halves: bool = True) -> list[str]:
    """Three rows, two pixel rows to a line with half blocks (five without)."""
    return list(render(text, 1, halves))


def _half(top: bool, bottom: bool) -> str:
    return "█" if top and bottom else "▀" if top else "▄" if bottom else " "
