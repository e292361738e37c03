"""Look at every stretch's figure: right and left, in the sizes the player uses.

    python scripts/figures_preview.py                  # braille, to the terminal
    python scripts/figures_preview.py --mode halfblock --mode ascii
    python scripts/figures_preview.py --svg out/       # also out/figures-MODE.svg, and
                                                       # a cell-exact -cells.svg (+ .png
                                                       # when rsvg-convert is installed)
    python scripts/figures_preview.py --only pigeon --steps

Each figure sits in a dim frame the size of the box it was given, so any
clipping or wasted room shows.  The worked limb is in its own colour.

Rich's SVG leaves glyph placement to the font, and where the monospace font
lacks braille (DejaVu Sans Mono does) the fallback's wider glyphs drift
off the grid.  A terminal keeps every glyph in its cell, so for looking at
the figures the -cells.svg places each character in its own cell, as a
terminal would, and that is the one converted to PNG.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

from psoas_cli.files import datafiles
from psoas_cli.ui.figures import raster
from psoas_cli.ui.figures.view import DEFAULT_MODE, figure_text

BOXES = ((40, 16, "right"), (40, 16, "left"), (30, 12, "right"), (20, 8, "right"))


def framed(figure, width: int, height: int, mode: str, side: str) -> list[Text]:
    """The figure centred at the bottom of a width x height box, in a frame."""
    drawing = figure_text(figure, width, height, mode=mode, side=side)
    rows = drawing.split("\n") if drawing.plain else []
    rows = [Text("")] * (height - len(rows)) + list(rows)
    used = max((r.cell_len for r in rows), default=0)
    left = (width - used) // 2
    out = [Text(f"┌{'─' * width}┐", style="dim")]
    for row in rows:
        line = Text("│", style="dim")
        line.append(" " * left)
        line.append_text(row)
        line.append(" " * (width - left - row.cell_len))
        line.append("│", style="dim")
        out.append(line)
    label = f"{width}x{height} {side}"
    out.append(Text(f"└{label}{'─' * (width - len(label))}┘", style="dim"))
    return out


def side_by_side(blocks: list[list[Text]]) -> list[Text]:
    height = max(len(b) for b in blocks)
    lines = []
    for i in range(height):
        line = Text()
        for block in blocks:
            width = block[0].cell_len
            piece = block[i] if i < len(block) else Text(" " * width)
            line.append_text(piece)
            line.append(" ")
        lines.append(line)
    return lines


def stretch_block(stretch, mode: str, steps: bool, width: int) -> list[Text]:
    side_note = ""
    if stretch.each_side:
        side_note = " (both sides)"
    worked = ", ".join(stretch.figure.worked) or "nothing marked"
    head = Text(f"{stretch.number}. {stretch.name}{side_note}", style="bold")
    head.append(f"   worked: {worked}   mode: {mode}", style="dim")
    out = [head]
    out += side_by_side([framed(stretch.figure, w, h, mode, s) for w, h, s in BOXES])
    if steps:
        for number, step in enumerate(stretch.steps, 1):
            for i, piece in enumerate(textwrap.wrap(step, width - 4)):
                out.append(Text(f"{number if not i else ' '}. {piece}" if not i else
                                f"   {piece}"))
    out.append(Text(""))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", action="append", choices=list(raster.MODES))
    parser.add_argument("--only", action="append", help="a stretch (name, slug or number)")
    parser.add_argument("--steps", action="store_true", help="print each stretch's steps too")
    parser.add_argument("--svg", metavar="DIR", help="also save figures-MODE.svg (and .png)")
    parser.add_argument("--group", type=int, default=0, metavar="N",
                        help="with --svg, one picture per N stretches (easier to look at)")
    parser.add_argument("--catalogue", metavar="PATH", help="another stretches.yaml")
    args = parser.parse_args(argv)
    cat = datafiles.load_catalogue(args.catalogue)
    chosen = [cat.find(q) for q in args.only] if args.only else list(cat)
    chosen = [s for s in chosen if s.figure is not None]
    width = sum(w + 3 for w, _, _ in BOXES)
    group = args.group or len(chosen)
    screen = Console(highlight=False, width=max(width, shutil.get_terminal_size().columns))
    for mode in args.mode or [DEFAULT_MODE]:
        started = time.perf_counter()
        for first in range(0, len(chosen), group):
            record = Console(record=True, width=width, file=io.StringIO(), force_terminal=True,
                             color_system="truecolor", highlight=False)
            shown: list[Text] = []
            for stretch in chosen[first:first + group]:
                for line in stretch_block(stretch, mode, args.steps, width):
                    record.print(line, no_wrap=True, crop=False)
                    screen.print(line, no_wrap=True, crop=False)
                    shown.append(line)
            if args.svg:
                part = f"-{first // group + 1}" if group < len(chosen) else ""
                _save(record, shown, Path(args.svg), f"{mode}{part}")
        took = (time.perf_counter() - started) * 1000
        screen.print(f"[dim]{len(chosen)} stretches in {mode}, drawn and printed in "
                     f"{took:.0f} ms[/]")


def _save(console: Console, lines: list[Text], folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    svg = folder / f"figures-{name}.svg"
    console.save_svg(str(svg), title=f"psoas figures ({name})")
    cells = folder / f"figures-{name}-cells.svg"
    cells.write_text(cell_svg(lines), encoding="utf-8")
    print(f"wrote {svg} and {cells}", file=sys.stderr)
    converter = shutil.which("rsvg-convert")
    if converter:
        png = folder / f"figures-{name}.png"
        subprocess.run([converter, "-o", str(png), str(cells)], check=True)
        print(f"wrote {png}", file=sys.stderr)


CELL_W, CELL_H = 10, 20  # a terminal cell is about twice as tall as wide
COLOURS = {"worked": "#ff55ff", "dim": "#777777", "bold": "#ffffff", None: "#cccccc"}


def cell_svg(lines: list[Text]) -> str:
    """Each character in its own terminal cell, coloured by its style."""
    from xml.sax.saxutils import escape

    width = max((line.cell_len for line in lines), default=1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * CELL_W + 20}" '
             f'height="{len(lines) * CELL_H + 20}" font-family="DejaVu Sans Mono, monospace" '
             f'font-size="16"><rect width="100%" height="100%" fill="#1e1e1e"/>']
    for row, line in enumerate(lines):
        y = 10 + row * CELL_H + 15
        for column, (char, style) in enumerate(_styled_cells(line)):
            if char != " ":
                x = 10 + column * CELL_W + CELL_W / 2
                weight = ' font-weight="bold"' if style == "bold" else ""
                parts.append(f'<text x="{x}" y="{y}" text-anchor="middle" '
                             f'fill="{COLOURS[style]}"{weight}>{escape(char)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _styled_cells(line: Text):
    styles = [None] * len(line.plain)
    for span in line.spans:
        name = str(span.style)
        kind = "worked" if "magenta" in name else "dim" if "dim" in name else \
            "bold" if "bold" in name else None
        for i in range(span.start, min(span.end, len(styles))):
            styles[i] = kind
    if line.style and "dim" in str(line.style):
        styles = [s or "dim" for s in styles]
    return zip(line.plain, styles, strict=True)


if __name__ == "__main__":
    main()
