"""Text layout without Rich: wrapping and tables never exceed their width, in
terminal cells (a double-width character takes two)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from psoas_cli.ui.table import Column, cell_width, plain, table, wrap


@pytest.mark.parametrize("text, width, indent, expected", [
    ("one two three four", 9, "", ["one two", "three", "four"]),
    ("1. Start on all fours, wrists below", 16, "   ",
     ["1. Start on all", "   fours, wrists", "   below"]),
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


# -- terminal cells, not characters ------------------------------------------------

@pytest.mark.parametrize("text", ["pose", "鸽子式 pose", "café", "Ａ", "e\u0301", "❤\ufe0f",
                                  "👨\u200d👩\u200d👧", "─━…⠿"])
def test_widths_are_counted_in_cells_as_rich_counts_them(text):
    assert cell_width(text) == cell_len(text)


@pytest.mark.parametrize("text, width, indent, expected", [
    ("鸽子式鸽子式 pose", 4, "", ["鸽子", "式鸽", "子式", "pose"]),
    ("鸽子式 pose", 7, "", ["鸽子式", "pose"]),
    ("one 鸽子式", 9, "", ["one", "鸽子式"]),
    ("鸽子式", 1, "", ["鸽", "子", "式"]),  # a wide character is never cut in two
    ("abc", 2, "   ", ["ab", "c"]),  # an indent that leaves no room is left out
])
def test_wrap_counts_cells(text, width, indent, expected):
    assert wrap(text, width, indent) == expected


def test_wide_cells_clip_and_pad_to_their_columns():
    columns = [Column("Name", clip=True, least=4), Column("N", right=True)]
    rows = [[("鸽子式 pose", ""), ("1", "")], [("Cobra pose", ""), ("12", "")]]
    assert [plain(line) for line in table(columns, rows, 20)] == [
        "Name          N", "─" * 15, "鸽子式 pose   1", "Cobra pose   12"]
    # Cut to five cells: two wide characters would take four and the ellipsis a fifth.
    assert [plain(line) for line in table(columns, rows, 10)] == [
        "Name     N", "─" * 10, "鸽子…    1", "Cobra…  12"]
    # Cut to four: one wide character, the ellipsis, and a space for the half left.
    assert [plain(line) for line in table(columns, rows, 8)] == [
        "Name   N", "─" * 8, "鸽…    1", "Cob…  12"]
