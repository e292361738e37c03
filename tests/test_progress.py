"""psoas progress: the charts as exact frames at 80x24 and 40x12 from fixed data,
without colour and in ASCII, and --json, --csv and --weeks through the command.

After a deliberate change to the layout, look at the new frames and write them with

    PSOAS_UPDATE_FRAMES=1 python -m pytest tests/test_progress.py
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from psoas_cli.files import datafiles
from psoas_cli.history import practice
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.practice.dates import short_day
from psoas_cli.practice.progress import progress
from psoas_cli.ui.table import as_text
from psoas_cli.ui.views.progress import progress_lines

from .test_readings import facts_of

FRAMES = Path(__file__).resolve().parent / "frames"
TODAY = date(2025, 11, 18)
# Seven weeks of check-ins after routines, each hip and the back, the left
# hip the tighter; three Thomas tests; minutes on the days with a routine.
GIVEN = ("today 2025-11-18; 10-01..10-14 R6 L7 B5; 10-15..10-28 R5 L7 B4; "
         "10-29..11-11 R4 L6 B3; 11-12..11-18 R3 L5 B2; "
         "T thomas 10-06 1/2; T thomas 10-20 1/2; T thomas 11-03 0/1")


@pytest.fixture(scope="module")
def tests():
    return datafiles.load_selftests()


def shown(tests, weeks: int = 12):
    facts = facts_of(GIVEN.replace("today 2025-11-18", f"today 2025-11-18; weeks {weeks}"))
    first = date(2025, 10, 1)
    minutes = {first + timedelta(days=n): (12.5 + n % 5, 1 + n % 2) for n in range(49)}
    return progress(facts, tests, minutes)


def text_of(lines) -> str:
    return "".join(line.rstrip() + "\n" for line in as_text(lines).plain.split("\n"))


@pytest.mark.parametrize("unicode", [True, False], ids=["unicode", "ascii"])
@pytest.mark.parametrize("size", [(80, 24), (40, 12), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_frame_matches_its_picture(tests, size, unicode):
    width, height = size
    text = text_of(progress_lines(shown(tests), tests, width=width, height=height,
                                  unicode=unicode))
    path = FRAMES / f"progress-{'' if unicode else 'ascii-'}{width}x{height}.txt"
    if os.environ.get("PSOAS_UPDATE_FRAMES"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= width
    if not unicode:
        assert text.isascii()


def test_at_80x24_it_fits_the_window_and_says_which_side_is_tighter(tests):
    text = text_of(progress_lines(shown(tests), tests, width=80, height=24))
    rows = text.splitlines()
    assert len(rows) <= 24
    assert "Left has been tighter than right for 7 weeks." in rows
    assert "Back pain down from 5 to 2 since 1 October." in rows
    assert "R right hip" in text and "L left hip" in text and "B back pain" in text
    chart = [row for row in rows if row[3:4] in ("┤", "│")]
    assert any("R" in row for row in chart) and any("L" in row for row in chart)


@pytest.mark.parametrize("width", range(30, 131, 5))
@pytest.mark.parametrize("today", [TODAY, date(2025, 12, 7)])
def test_the_time_axis_labels_weeks_at_a_regular_step(tests, width, today):
    given = GIVEN.replace("today 2025-11-18", f"today {today.isoformat()}")
    shown_ = progress(facts_of(given), tests, {})
    text = text_of(progress_lines(shown_, tests, width=width, height=40))
    axis = text.splitlines()[text.splitlines().index(next(
        row for row in text.splitlines() if row.lstrip().startswith(("└", "+")))) + 1]
    firsts = [short_day(w.first, shown_.today) for w in shown_.weeks]
    said = [" ".join(pair) for pair in zip(axis.split()[::2], axis.split()[1::2],
                                           strict=True)]
    weeks = [firsts.index(label) for label in said]
    steps = {b - a for a, b in zip(weeks, weeks[1:], strict=False)}
    assert weeks[0] == 0 and len(steps) == 1, axis  # the first week, then every n-th
    step = steps.pop()
    assert weeks[-1] + step >= len(firsts)  # none left out at the end
    assert len(weeks) >= 2


def test_without_colour_every_series_is_a_letter(tests):
    """The letters carry the series; colour only adds to them."""
    lines = progress_lines(shown(tests), tests, width=80, height=24)
    styled = {style for line in lines for _, style in line if style}
    assert {"bold cyan", "bold magenta", "bold yellow"} <= styled


def test_no_data_says_how_to_start(tests):
    facts = facts_of("today 2025-11-18")
    lines = progress_lines(progress(facts, tests, {}), tests, width=80, height=24)
    assert text_of(lines) == (
        "Progress over 12 weeks, 27 Aug to 18 Nov\n"
        "No check-ins or tests yet: 'psoas test' checks your hips, and 'psoas config set\n"
        "  checkin after' asks how they feel.\n")


def test_json_and_csv_hold_every_week(tests):
    data = shown(tests).as_dict(tests)
    assert len(data["weeks"]) == 12 and data["weeks"][-1]["last_day"] == "2025-11-18"
    assert data["weeks"][-1]["hip_left"] == 5.0 and data["weeks"][-1]["back"] == 2.0
    assert [r["right"] for r in data["tests"][0]["results"]] == [1, 1, 0]
    assert data["readings"][0] == {"kind": "side",
                                   "text": "Left has been tighter than right for 7 weeks."}
    rows = shown(tests).csv_rows(tests)
    assert rows[0][:4] == ["first_day", "last_day", "hip_right", "hip_left"]
    assert len(rows) == 13 and rows[-1][2:4] == ["3", "5"]


NOW = 1_763_400_000.0  # 17 November 2025


def _history_with_data(home, line: bool = True) -> None:
    from psoas_cli.history.calendar import local_day
    from psoas_cli.history.practice_records import (
        TestRecord,
        TestSide,
        calm_line_row,
        checkin_row,
        new_uid,
    )

    file = HistoryFile(str(home))
    now = NOW
    for day in range(30):
        at = now - day * 86400
        practice.write(file, checkin_row(at, "after", "hip-right", 3))
        practice.write(file, checkin_row(at, "after", "hip-left", 5))
        practice.write(file, checkin_row(at, "after", "back", 2))
    if line:
        practice.write(file, calm_line_row(now, "back-high-after", "back", None, 4))
    practice.write(file, TestRecord(new_uid(), "thomas", now, local_day(now), "finished", 2,
                                    (TestSide(new_uid(), "right", 1, False),
                                     TestSide(new_uid(), "left", 2, False))))
    file.close()


def at_now():
    from psoas_cli.cli.app import App

    return App(now=lambda: NOW + 3600)


def test_the_command(run, clean_env):
    _history_with_data(clean_env)
    result = run("progress", app=at_now())
    assert result.exit_code == 0, result.output
    assert "R right hip" in result.output
    assert "Left has been tighter than right for" in result.output
    data = json.loads(run("progress", "--json", "--weeks", "4", app=at_now()).output)
    assert len(data["weeks"]) == 4 and data["weeks"][-1]["hip_left"] == 5.0
    table = list(csv.reader(io.StringIO(run("progress", "--csv", app=at_now()).output)))
    assert table[0][0] == "first_day" and len(table) == 13
    assert run("progress", "--json", "--csv").exit_code == 2
    assert run("progress", "--weeks", "0").exit_code == 2


def test_the_command_in_ascii_under_lang_c(run, clean_env):
    _history_with_data(clean_env)
    result = run("progress", env={"LANG": "C"}, app=at_now())
    assert result.output.isascii() and "R right hip" in result.output


def test_psoas_alone_shows_the_latest_test_and_trend_in_one_line(run, clean_env):
    _history_with_data(clean_env, line=False)
    result = run(app=at_now())
    assert result.exit_code == 0, result.output
    assert "Test 17 Nov: left tighter (right 1, left 2 of 2); back pain steady at 2.\n" \
        in result.output


def test_psoas_alone_says_last_times_calm_line_first(run, clean_env):
    _history_with_data(clean_env)
    assert "Last time your back hurt after stretching (4 of 10): go gently today.\n" \
        in run(app=at_now()).output


def test_psoas_alone_without_tests_or_checkins_has_no_such_line(run, clean_env):
    result = run()
    assert "Test " not in result.output and "Re-test" not in result.output
