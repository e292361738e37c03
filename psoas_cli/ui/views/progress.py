"""What `psoas progress` prints: charts of the weeks, then the readings.

The charts share one time axis, a column for each day of the window:
how the hips (each side, or both) and the low back felt after routines,
week by week; each test's results on the days it was taken; minutes
stretched a week, with the sessions under the bars.  They are sized to the
window: the readings always show in full, and the charts share the rows
left, the tests' and the minutes' going first when there is not room for
all.  Every series has a letter (R, L, H, B), so the charts read without
colour, and in ASCII under LANG=C.
"""

from __future__ import annotations

from datetime import date, timedelta

from psoas_cli.model.selftests import SelfTests
from psoas_cli.practice import readings
from psoas_cli.practice.dates import short_day
from psoas_cli.practice.progress import Progress
from psoas_cli.ui import chart
from psoas_cli.ui.chart import AXIS, Line, Series
from psoas_cli.ui.table import wrap

SERIES = (("hip-right", "R", "right hip", "cyan"), ("hip-left", "L", "left hip", "magenta"),
          ("hips", "H", "both hips", "green"), ("back", "B", "back pain", "yellow"))
MAIN_LEAST = 4  # rows of the main chart, at the least
TEST_CHART_FROM = 10  # rows the main chart keeps before the tests get charts of their own
TEST_ROWS = (3, 6)  # a test's chart: its least and most rows
TITLE_STYLE = "bold"


def progress_lines(shown: Progress, tests: SelfTests, *, width: int, height: int,
                   unicode: bool = True) -> list[Line]:
    """The charts and readings, ``width`` columns wide, fitted to ``height`` rows
    where they can be."""
    width = max(30, width)
    weeks = shown.weeks
    first, last = weeks[0].first, weeks[-1].last
    title = (f"Progress over {len(weeks)} week{'s' * (len(weeks) != 1)}, "
             f"{short_day(first, shown.today)} to {short_day(last, shown.today)}")
    told = _readings(shown, width)
    if "empty" in shown.readings:
        return [[(_clip(title, width), TITLE_STYLE)], *told]
    span = (last - first).days or 1
    plot = max(2, width - AXIS)

    def column(day: date) -> int:
        return round((day - first).days / span * (plot - 1))

    centres = [column(w.first + timedelta(days=3)) for w in weeks]
    band = max(1, min(3, plot // max(1, len(weeks)) - 1))
    ticks = chart.regular([(c, short_day(w.first, shown.today))
                           for c, w in zip(centres, weeks, strict=True)], width)
    labels = [[(chart.under(ticks, width), "dim")]]
    series = [Series(letter, name, [w.value(item) for w in weeks], style)
              for item, letter, name, style in SERIES if shown.has(item)]
    tested = [(test, points) for slug, points in shown.tests.items()
              if (test := tests.get(slug)) is not None]
    legend = _legend(series, width)
    listed = [line for test, points in tested
              for line in _test_text(test, points, shown.today, width)]
    minutes = [w.minutes for w in weeks]
    bars = any(minutes)
    # Every line but the charts' own rows: what is left is shared between them.
    fixed = 1 + len(legend) + 2 + 1 + len(told) + (3 if bars else 0)
    room = height - fixed
    charts_for_tests = bool(tested) and room - len(tested) * (TEST_ROWS[0] + 3) >= \
        TEST_CHART_FROM + 1
    if charts_for_tests:
        test_rows = min(TEST_ROWS[1], max(TEST_ROWS[0], (room - TEST_CHART_FROM) //
                                          len(tested) - 3))
        room -= len(tested) * (test_rows + 3)
    else:
        room -= len(listed) + (1 if listed else 0)
    bar_rows = 1 if room < 14 else 2 if room < 24 else 3
    if bars and room - bar_rows < MAIN_LEAST:  # a short window: the minutes go first
        bars, room = False, room + 3
    if listed and not charts_for_tests and room - (bar_rows if bars else 0) < MAIN_LEAST:
        room += len(listed) + 1
        listed = []
    main = max(MAIN_LEAST, room - (bar_rows if bars else 0))
    lines: list[Line] = [[(_clip(title, width), TITLE_STYLE)]]
    if series:
        lines += legend
        lines += chart.line_chart(series, low=0, high=10, width=width, height=main,
                                  unicode=unicode, columns=centres, ticks=(10, 5, 0))
        lines += labels
    else:
        lines += [[(line, "")] for line in wrap(
            "No check-ins after routines in these weeks: 'psoas config set checkin after' "
            "asks how your hips and back feel.", width)]
    if charts_for_tests:
        for test, points in tested:
            top = f"{test.top} = {test.bands[-1][1]}"
            lines += [[], [(_clip(f"{test.short}, 0 = normal length, {top}: R right, L left",
                                  width), "")]]
            columns = [column(p.day) for p in points]
            marks = [Series("R", "right", [p.right for p in points], "cyan"),
                     Series("L", "left", [p.left for p in points], "magenta")]
            lines += chart.line_chart(marks, low=0, high=test.top, width=width,
                                      height=test_rows, unicode=unicode, columns=columns,
                                      ticks=(test.top, 0))
            lines.append([(chart.under([(c, short_day(p.day, shown.today)) for c, p in
                                        zip(columns, points, strict=True)], width), "dim")])
    elif listed:
        lines += [[], *listed]
    if bars:
        most = max(minutes)
        words = (f"Minutes a week (most {most:.0f}), and sessions under them" if width >= 60
                 else f"Minutes a week (most {most:.0f}); sessions")
        lines += [[], [(_clip(words, width), "")]]
        lines += chart.bar_chart(minutes, width=width, height=bar_rows, unicode=unicode,
                                 style="blue", columns=centres, band=band)
        lines.append([(chart.under([(c, str(w.sessions)) for c, w in
                                    zip(centres, weeks, strict=True)], width), "")])
    if told:
        lines += [[], *told]
    return lines


def _legend(series: list[Series], width: int) -> list[Line]:
    """``After routines, 0-10:  R right hip  L left hip``, each letter in its colour."""
    parts = [f"{s.letter} {s.name}" for s in series]
    line: Line = [("After routines, 0-10:", "")]
    used = len(line[0][0])
    lines: list[Line] = []
    for s, part in zip(series, parts, strict=True):
        if used + 2 + len(part) > width:
            lines.append(line)
            line, used = [], -2
        line += [("  ", ""), (s.letter, f"bold {s.style}"), (part[1:], "")]
        used += 2 + len(part)
    return [*lines, line]


def _test_text(test, points, today: date, width: int) -> list[Line]:
    """A test's results as words, when there is no room to chart them: the
    latest that fit on two lines."""
    head = f"{test.short} (0 normal length, {test.top} {test.bands[-1][1]}):"
    shown = [f"{short_day(p.day, today)} R{_score(p.right)} L{_score(p.left)}"
             + (" (hurt)" if p.hurt else "") for p in points]
    for start in range(len(shown)):
        text = wrap(head + " " + ", ".join(shown[start:]), width, "  ")
        if len(text) <= 2:
            return [[(line, "")] for line in text]
    return [[(line, "")] for line in wrap(head + " " + shown[-1], width, "  ")]


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


def _readings(shown: Progress, width: int) -> list[Line]:
    lines: list[Line] = []
    for text in shown.readings.values():
        lines += [[(line, "")] for line in wrap(readings.sentence(text), width, "  ")]
    return lines


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
