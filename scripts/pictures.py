"""Draw the README's pictures from the real code, so they stay current.

    python scripts/pictures.py              # writes docs/player.svg, docs/list.svg and
                                            # docs/figures.svg
    python scripts/pictures.py --png DIR    # and a PNG of each in DIR, to look at
                                            # (with rsvg-convert; not for committing)

The player picture is one frame of the live screen, 80x24, eight seconds
into the first hold of the warmup's second stretch.  Its pose figure is
drawn in half blocks: Rich's SVG leaves braille glyphs to a fallback font,
which places them unreliably (a terminal draws the finer braille itself).
The figures picture is the gallery of every stretch's pose, right side, as
`psoas show` draws it.  tests/test_pictures.py checks that the committed
pictures show what psoas prints today.

The gallery is laid out cell by cell, as a terminal would (the approach of
scripts/figures_preview.py), and goes one step further: each braille cell's
raised dots are drawn as dots, not as a glyph.  Rich's SVG leaves braille to
the font, and fonts without braille (DejaVu Sans Mono, so librsvg's PNGs)
or with glyphs of their own width put the dots off the grid; dots drawn by
position look the same in every browser and on GitHub.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from psoas_cli.files import datafiles  # noqa: E402
from psoas_cli.play import timeline  # noqa: E402
from psoas_cli.play.engine import Engine  # noqa: E402
from psoas_cli.ui.figures import raster  # noqa: E402
from psoas_cli.ui.player.frame import frame  # noqa: E402
from psoas_cli.ui.table import wrap  # noqa: E402
from psoas_cli.ui.views.catalogue import stretch_table  # noqa: E402

DOCS = ROOT / "docs"
WIDTH, HEIGHT = 80, 24


def svg_of(renderable, title: str) -> str:
    console = Console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", highlight=False)
    console.print(renderable)
    svg = console.export_svg(title=title)
    # Rich's SVG leaves spaces to the renderer's default, and some renderers
    # (librsvg) drop leading non-breaking spaces, shifting right-aligned columns.
    return svg.replace("<svg class=", '<svg xml:space="preserve" class=', 1)


def player_state():
    cat = datafiles.load_catalogue()
    plan = timeline.build(datafiles.load_routines(cat)["warmup"])
    first_hold = next(i for i, p in enumerate(plan.phases)
                      if p.kind == "hold" and p.stretch.slug == "half-kneeling")
    t = plan.phases[first_hold].start + 8
    engine = Engine(plan, now=lambda: t)
    engine.start(0.0)
    engine.advance(t)
    return engine.state(t)


def player_lines() -> list[Text]:
    """The player's frame as the live player draws it, the figure in half blocks."""
    cat = datafiles.load_catalogue()
    return frame(player_state(), WIDTH, HEIGHT, caution=cat.caution, breathing=cat.breathing,
                 figure_mode="halfblock")


# -- the gallery of figures --------------------------------------------------------

FIGURE_BOX = (30, 10)  # cells, as in the player's figure beside the countdown
CELL_W, CELL_H = 10, 20  # pixels: a terminal cell is about twice as tall as wide
DOT_GAP = 5  # pixels between braille dots, so dots sit on a square grid
DOT_SIZE = 3.4
COLUMNS = 3
TILE_W = FIGURE_BOX[0] * CELL_W + 30
CAPTION = 36  # characters a caption line holds
TILE_H = FIGURE_BOX[1] * CELL_H + 78
MARGIN = 20
BACKGROUND, INK, DIM, WORKED = "#292929", "#c5c8c6", "#868887", "#ff5fd7"
# A braille cell's bits, by the column and row of the dot each raises.
BRAILLE_DOTS = ((0x01, 0, 0), (0x02, 0, 1), (0x04, 0, 2), (0x40, 0, 3),
                (0x08, 1, 0), (0x10, 1, 1), (0x20, 1, 2), (0x80, 1, 3))


def dots(rows: tuple) -> tuple[list, list]:
    """Pixel centres of the raised dots in rendered braille rows: (plain, worked)."""
    plain: list = []
    worked: list = []
    for row, cells in enumerate(rows):
        for column, cell in enumerate(cells):
            bits = ord(cell.char) - 0x2800 if cell.char != " " else 0
            for bit, dx, dy in BRAILLE_DOTS:
                if bits & bit:
                    x = column * CELL_W + dx * DOT_GAP + DOT_GAP / 2
                    y = row * CELL_H + dy * DOT_GAP + DOT_GAP / 2
                    (worked if cell.worked else plain).append((x, y))
    return plain, worked


def _dot_path(points: list, colour: str, kind: str) -> str:
    # A zero-length line with round caps is a round dot: small, and exact everywhere.
    d = "".join(f"M{x:g} {y:g}h0" for x, y in points)
    return (f'<path class="{kind}" d="{d}" stroke="{colour}" stroke-width="{DOT_SIZE}" '
            f'stroke-linecap="round" fill="none"/>')


def _tile(stretch, left: float, top: float) -> list[str]:
    from xml.sax.saxutils import escape, quoteattr

    rows = raster.render(stretch.figure, *FIGURE_BOX, "braille", "right")
    width = len(rows[0]) * CELL_W if rows else 0
    x = left + (TILE_W - width) / 2
    y = top + (FIGURE_BOX[1] - len(rows)) * CELL_H  # standing on the tile's floor
    plain, worked = dots(rows)
    parts = [f'<g class="figure" data-slug={quoteattr(stretch.slug)} '
             f'transform="translate({x:g} {y:g})">',
             _dot_path(plain, INK, "body"), _dot_path(worked, WORKED, "worked"), "</g>"]
    caption = [(f"{stretch.number}. {stretch.name}", INK, ' font-weight="bold"')]
    if stretch.each_side:
        caption += [(line, DIM, "") for line in
                     wrap(f"right side: {stretch.side_text('right')}", CAPTION)]
    baseline = top + FIGURE_BOX[1] * CELL_H + 24
    for number, (text, colour, weight) in enumerate(caption):
        parts.append(f'<text x="{left + TILE_W / 2:g}" y="{baseline + number * 18:g}" '
                     f'text-anchor="middle" fill="{colour}"{weight}>{escape(text)}</text>')
    return parts


def gallery_svg(cat) -> str:
    """Every stretch's figure, right side, the worked limb in its own colour."""
    drawn = [stretch for stretch in cat if stretch.figure is not None]
    lines = -(-len(drawn) // COLUMNS)
    width, height = COLUMNS * TILE_W + 2 * MARGIN, lines * TILE_H + 2 * MARGIN
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans Mono, Menlo, Consolas, '
             f'monospace" font-size="14">',
             "<title>psoas: the pose of every stretch, right side</title>",
             f'<rect width="100%" height="100%" rx="8" fill="{BACKGROUND}"/>']
    for index, stretch in enumerate(drawn):
        column, line = index % COLUMNS, index // COLUMNS
        parts += _tile(stretch, MARGIN + column * TILE_W, MARGIN + line * TILE_H)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def pictures() -> dict[str, str]:
    """File name -> SVG text, for every picture in docs/."""
    cat = datafiles.load_catalogue()
    return {
        "player.svg": svg_of(Text("\n").join(player_lines()), "psoas routine warmup"),
        "list.svg": svg_of(stretch_table(cat, total=len(cat), width=WIDTH), "psoas list"),
        "figures.svg": gallery_svg(cat),
    }


def main(argv: list[str]) -> None:
    import shutil
    import subprocess

    looks = Path(argv[argv.index("--png") + 1]) if "--png" in argv[:-1] else None
    DOCS.mkdir(exist_ok=True)
    for name, svg in pictures().items():
        (DOCS / name).write_text(svg, encoding="utf-8")
        print(f"wrote {DOCS / name}")
        if looks and shutil.which("rsvg-convert"):
            looks.mkdir(parents=True, exist_ok=True)
            png = looks / name.replace(".svg", ".png")
            subprocess.run(["rsvg-convert", "-o", str(png), str(DOCS / name)], check=True)
            print(f"wrote {png}")


if __name__ == "__main__":
    main(sys.argv[1:])
