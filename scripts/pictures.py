"""Draw the README's pictures from the real code, so they stay current.

    python scripts/pictures.py        # writes docs/player.svg and docs/list.svg

The player picture is one frame of the live screen, 80x24, eight seconds
into the first hold of the warmup's second stretch.
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from rich.text import Text

from psoas_cli import datafiles, timeline
from psoas_cli.engine import Engine
from psoas_cli.ui.frame import frame
from psoas_cli.ui.views import stretch_table

DOCS = Path(__file__).resolve().parent.parent / "docs"
WIDTH, HEIGHT = 80, 24


def recorder() -> Console:
    return Console(record=True, width=WIDTH, file=io.StringIO(), force_terminal=True,
                   color_system="truecolor", highlight=False)


def player_state():
    cat = datafiles.load_catalogue()
    plan = timeline.build(datafiles.load_routines(cat)["warmup"])
    first_hold = next(i for i, p in enumerate(plan.phases)
                      if p.kind == "hold" and p.stretch.slug == "standing")
    t = plan.phases[first_hold].start + 8
    engine = Engine(plan, now=lambda: t)
    engine.start(0.0)
    engine.advance(t)
    return engine.state(t)


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    console = recorder()
    console.print(Text("\n").join(frame(player_state(), WIDTH, HEIGHT)))
    console.save_svg(str(DOCS / "player.svg"), title="psoas routine warmup")
    console = recorder()
    cat = datafiles.load_catalogue()
    console.print(stretch_table(cat, total=len(cat), width=WIDTH))
    console.save_svg(str(DOCS / "list.svg"), title="psoas list")
    print(f"wrote {DOCS / 'player.svg'} and {DOCS / 'list.svg'}")


if __name__ == "__main__":
    main()
