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


# -- the gallery of figures ------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
DOT = re.compile(r"M([\d.]+) ([\d.]+)h0")


def gallery_shows(svg: str) -> dict:
    """What the gallery draws, read back from the SVG alone: for each figure, its
    slug, its caption, and its braille rows with the worked cells marked."""
    import xml.etree.ElementTree as ET

    pictures = script()
    root = ET.fromstring(svg)
    captions = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    shown = {}
    for group, caption in zip([g for g in root.iter(f"{SVG}g") if g.get("class") == "figure"],
                              captions):
        cells: dict = {}
        for path in group.iter(f"{SVG}path"):
            worked = path.get("class") == "worked"
            for x, y in DOT.findall(path.get("d")):
                column, dx = divmod(float(x) - pictures.DOT_GAP / 2, pictures.CELL_W)
                row, dy = divmod(float(y) - pictures.DOT_GAP / 2, pictures.CELL_H)
                bit = next(b for b, bx, by in pictures.BRAILLE_DOTS
                           if (bx, by) == (dx / pictures.DOT_GAP, dy / pictures.DOT_GAP))
                bits, marked = cells.get((int(row), int(column)), (0, False))
                cells[int(row), int(column)] = (bits | bit, marked or worked)
        shown[group.get("data-slug")] = (caption, cells)
    return shown


def expected_gallery() -> dict:
    from psoas_cli.files import datafiles
    from psoas_cli.ui.figures import raster
    pictures = script()
    expected = {}
    for stretch in datafiles.load_catalogue():
        rows = raster.render(stretch.figure, *pictures.FIGURE_BOX, "braille", "right")
        cells = {(r, c): (ord(cell.char) - 0x2800, cell.worked)
                 for r, row in enumerate(rows) for c, cell in enumerate(row) if cell.char != " "}
        expected[stretch.slug] = (f"{stretch.number}. {stretch.name}", cells)
    return expected


def test_the_gallery_draws_every_stretchs_figure_with_its_name():
    shown = gallery_shows((DOCS / "figures.svg").read_text(encoding="utf-8"))
    expected = expected_gallery()
    assert list(shown) == list(expected) and len(shown) == 22  # the eleven and the additions
    for slug in expected:
        assert shown[slug] == expected[slug], slug


def test_the_committed_gallery_is_what_the_script_draws():
    assert (DOCS / "figures.svg").read_text(encoding="utf-8") == script().pictures()["figures.svg"], \
        "docs/figures.svg is out of date: run python scripts/pictures.py"


@pytest.mark.parametrize("break_it", [
    lambda svg: re.sub(r'<g class="figure" data-slug="camel".*?</g>', "", svg, flags=re.S),
    lambda svg: svg.replace('class="worked" d="M', 'class="worked" d="M1', 1),  # a dot moved
    lambda svg: re.sub(r'(class="worked" d=")[^"]*', r"\1", svg),  # worked limbs unmarked
    lambda svg: svg.replace("11. Pigeon pose", "11. Pigeon"),
])
def test_a_broken_gallery_is_caught(break_it):
    svg = (DOCS / "figures.svg").read_text(encoding="utf-8")
    broken = break_it(svg)
    assert broken != svg
    assert gallery_shows(broken) != expected_gallery()


def test_the_readme_shows_the_gallery():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/figures.svg)" in readme
