"""Text layout without Rich: wrapping and tables never exceed their width."""

from __future__ import annotations

import pytest

from psoas_cli.ui.table import Column, plain, table, wrap


@pytest.mark.parametrize("text, width, indent, expected", [
    ("one two three four", 9, "", ["one two", "three", "four"]),
    ("1. Start on all fours, wrists below", 16, "   ", ["1. Start on all", "   fours, wrists", "   below"]),
    ("supercalifragilistic", 8, "", ["supercal", "ifragili", "stic"]),
    ("", 10, "", [""]),
    ("the supercalifragilistic end", 8, "  ", ["the", "  superc", "  alifra", "  gilist",
                                                 "  ic end"]),
])
def test_wrap(text, width, indent, expected):
    assert wrap(text, width, indent) == expected


COLUMNS = [Column("#", right=True), Column("Name", wrap=True, least=4),
           Column("Routine", clip=True, least=5), Column("Min", right=True)]
ROWS = [[("1", ""), ("Half-kneeling hip flexor stretch", "bold"), ("warmup", ""), ("5", "")],
        [("12", ""), ("Cobra", "bold"), ("my very long routine name", ""), ("15", "")]]


def test_table_fits_when_there_is_room():
    lines = [plain(line) for line in table(COLUMNS, ROWS, 80)]
    assert lines[0] == " #  Name                              Routine                    Min"
    assert lines[1] == "─" * 68
    assert lines[2] == " 1  Half-kneeling hip flexor stretch  warmup                       5"
    assert lines[3] == "12  Cobra                             my very long routine name   15"


@pytest.mark.parametrize("width, clipped", [(60, False), (40, True), (30, True)])
def test_narrow_tables_wrap_and_clip_but_never_overflow(width, clipped):
    text = [plain(line) for line in table(COLUMNS, ROWS, width)]
    assert max(len(line) for line in text) <= width
    assert any("…" in line for line in text) is clipped  # the widest column gives first
    assert "stretch" in "\n".join(text)  # wrapped, not lost


def test_cells_keep_their_styles():
    lines = table(COLUMNS, ROWS, 80)
    assert lines[0][0][1] == "bold"  # headers
    assert lines[2][1][1] == "bold" and lines[2][2][1] == ""
