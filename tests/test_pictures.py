"""The README's pictures show what psoas prints today.

docs/*.svg are drawn by scripts/pictures.py; a picture that no longer
matches the program (or never did: a list of tuples printed by Rich) fails
here, so a broken picture cannot be committed.
"""

from __future__ import annotations

import html
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TEXT = re.compile(r'<text class="[^"]*-r\d+" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)"'
                  r' clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>([^<]*)</text>')


def script():
    spec = importlib.util.spec_from_file_location("pictures", ROOT / "scripts" / "pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def screen_of(svg: str) -> str:
    """The text an SVG terminal picture shows, a line per row, trailing spaces dropped.

    Rich draws no text for runs of plain spaces, so each piece is placed at
    its column, worked out from its x and the width of a character.
    """
    pieces = [(float(x), float(length), int(row), html.unescape(text).replace("\xa0", " "))
              for x, length, row, text in TEXT.findall(svg)]
    if not pieces:
        return ""
    cell = next(length / len(text) for _, length, _, text in pieces if text)
    rows: dict[int, str] = {}
    for x, _, row, text in pieces:
        column = round(x / cell)
        rows[row] = rows.get(row, "").ljust(column) + text
    return "".join(rows.get(n, "").rstrip() + "\n" for n in range(max(rows) + 1))


def test_the_list_picture_is_the_list(run):
    output = run("list").output
    assert screen_of((DOCS / "list.svg").read_text(encoding="utf-8")) == output
    assert output.startswith(" #  Stretch")


def test_the_player_picture_is_a_frame_of_the_player():
    pictures = script()
    lines = pictures.player_lines()
    expected = "".join(line.plain.rstrip() + "\n" for line in lines)
    assert screen_of((DOCS / "player.svg").read_text(encoding="utf-8")) == expected
    assert any(c in "▀▄█" for line in lines[3:14] for c in line.plain[50:])  # the figure


@pytest.mark.parametrize("name", ["player.svg", "list.svg"])
def test_the_committed_pictures_are_what_the_script_draws(name):
    drawn = script().pictures()[name]
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert screen_of(drawn) == screen_of(committed), \
        f"docs/{name} is out of date: run python scripts/pictures.py"


def test_a_picture_of_something_else_is_caught():
    broken = script().svg_of("[(' #', 'bold'), ('Stretch', 'bold')]", "psoas list")
    assert screen_of(broken) != screen_of((DOCS / "list.svg").read_text(encoding="utf-8"))
