"""Draw the README's pictures from the real code, so they stay current.

    python scripts/pictures.py        # writes docs/player.svg and docs/list.svg

The player picture is one frame of the live screen, 80x24, eight seconds
into the first hold of the warmup's second stretch.  Its pose figure is
drawn in half blocks: SVG viewers place braille glyphs unreliably (they
come from a fallback font), and a terminal draws the finer braille itself.
tests/test_pictures.py checks that the committed pictures show what psoas
prints today.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from psoas_cli import datafiles, timeline  # noqa: E402
from psoas_cli.engine import Engine  # noqa: E402
from psoas_cli.ui.frame import frame  # noqa: E402
from psoas_cli.ui.views import stretch_table  # noqa: E402

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


def pictures() -> dict[str, str]:
    """File name -> SVG text, for every picture in docs/."""
    cat = datafiles.load_catalogue()
    return {
        "player.svg": svg_of(Text("\n").join(player_lines()), "psoas routine warmup"),
        "list.svg": svg_of(stretch_table(cat, total=len(cat), width=WIDTH), "psoas list"),
    }


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    for name, svg in pictures().items():
        (DOCS / name).write_text(svg, encoding="utf-8")
        print(f"wrote {DOCS / name}")


if __name__ == "__main__":
    main()
