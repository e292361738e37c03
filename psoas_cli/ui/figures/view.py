"""Pose figures on screen: rasterised cells (figures.py) as Rich Text or plain lines.

The worked limb gets its own colour on a colour terminal; the raster already
draws it thicker (braille, half blocks) or with '#' (ASCII), so it still
stands out without colour.  Where the output cannot show braille or blocks,
figures fall back to ASCII rather than print mojibake.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from rich.text import Text

from psoas_cli.model import figures
from psoas_cli.ui.figures import raster
from psoas_cli.ui.terminal import c_locale, can_encode, half_blocks

# Not bold: where the font has none, xterm fakes it by drawing a glyph again a
# pixel to the right, which smears braille dots and blocks.
WORKED_STYLE = "bright_magenta"
DEFAULT_MODE = "braille"
NO_FIGURE = "none"
# What PSOAS_FIGURE_STYLE, the figure_style setting and 'show --figure-style'
# say, as the mode drawn (blocks: full blocks where there are no half blocks).
# none: no figure (a font that draws braille as empty boxes, and no wish for blocks).
STYLES = {"braille": "braille", "blocks": "halfblock", "ascii": "ascii", "none": NO_FIGURE}
_SAMPLE = {"braille": "\u28ff\u2800", "halfblock": "\u2580\u2584\u2588",
           "fullblock": "\u2588"}


def mode_for(stream: Any, style: str | None, environ: Any = None) -> str:
    """The drawing mode for ``stream`` when the user asked for ``style`` (one of
    STYLES; None: nothing asked, psoas chooses)."""
    if style is None:
        return choose_mode(stream, environ=environ)
    if style == "none":
        return NO_FIGURE
    return choose_mode(stream, STYLES[style], environ, asked=True)


def choose_mode(stream: Any, preferred: str = DEFAULT_MODE, environ: Any = None,
                coerced: bool | None = None, *, asked: bool = False) -> str:
    """The drawing mode for ``stream``: ``preferred`` where it can be shown.

    Otherwise half blocks (code pages such as cp437 carry them, but not
    braille), otherwise ASCII.  The Linux text console's usual fonts have
    neither braille nor half blocks, only the full block: figures are drawn
    with that there (terminal.half_blocks).  Python
    turns a C locale into UTF-8 by itself, yet a terminal started with
    LANG=C may well not show it, so an explicit C or POSIX locale means ASCII.
    ``asked``: the user asked for ``preferred``, which then wins where the
    output can encode it (braille on the Linux console: some fonts have it).
    """
    environ = os.environ if environ is None else environ
    if preferred == "ascii" or c_locale(environ, coerced):  # as unicode_ok decides
        return "ascii"
    candidates = [preferred, "halfblock"]
    if not half_blocks(environ):
        candidates = [preferred] if asked and preferred == "braille" else []
        candidates.append("fullblock")
    for mode in candidates:
        if can_encode(stream, _SAMPLE[mode]):
            return mode
    return "ascii"


def figure_text(figure: figures.Figure, width: int, height: int, *, mode: str = DEFAULT_MODE,
                side: str = "right", worked_style: str = WORKED_STYLE) -> Text:
    """The figure as Rich Text, the worked limb in ``worked_style``."""
    text = Text(no_wrap=True, overflow="crop")
    rows = raster.render(figure, width, height, mode, side)
    for number, row in enumerate(rows):
        if number:
            text.append("\n")
        for run, worked in _runs(row):
            text.append(run, style=worked_style if worked else None)
    return text


@lru_cache(maxsize=32)
def figure_texts(figure: figures.Figure, width: int, height: int, *, mode: str = DEFAULT_MODE,
                side: str = "right", worked_style: str = WORKED_STYLE) -> tuple[Text, ...]:
    """The figure as one Text per row, for laying beside other text.

    Cached, so a screen redrawn every second draws the figure once per
    phase and window size.  The Texts are shared: append them to others,
    never change them.
    """
    rows = raster.render(figure, width, height, mode, side)
    shown = []
    for row in rows:
        text = Text(no_wrap=True, overflow="crop")
        for run, worked in _runs(row):
            text.append(run, style=worked_style if worked else None)
        shown.append(text)
    return tuple(shown)


def figure_lines(figure: figures.Figure, width: int, height: int, *, mode: str = DEFAULT_MODE,
                 side: str = "right") -> list[str]:
    """The figure as plain strings, no escape codes, trailing spaces dropped."""
    rows = raster.render(figure, width, height, mode, side)
    return [line.rstrip() for line in raster.lines(rows)]


def figure_rows(figure: figures.Figure, width: int, height: int, *, mode: str = DEFAULT_MODE,
                side: str = "right",
                worked_style: str = WORKED_STYLE) -> list[list[tuple[str, str]]]:
    """The figure as lines of (text, style) pieces, for views laid out by ui/table.py."""
    rows = raster.render(figure, width, height, mode, side)
    return [[(run, worked_style if worked else "") for run, worked in _runs(row)]
            for row in rows]


def _runs(row: tuple) -> list[tuple[str, bool]]:
    """Neighbouring cells of the same kind joined, so Text holds few spans.

    A blank joins the run before it whatever its kind: the styling of a
    blank cannot be seen, and no span then starts with one (some SVG
    renderers drop a span's leading blanks, which shifts what follows).
    """
    runs: list[tuple[str, bool]] = []
    for cell in row:
        worked = cell.worked and cell.char != " "
        if runs and (runs[-1][1] == worked or cell.char == " "):
            runs[-1] = (runs[-1][0] + cell.char, runs[-1][1])
        else:
            runs.append((cell.char, worked))
    return runs
