"""What `psoas progress` shows, week by week (pure): how the hips and the back
felt after routines, test results, minutes and sessions, and the readings.

Weeks are counted back from today as the readings count them (week 0 is
today and the six days before it), and listed oldest first.  A week's
value for an item is the mean of its days' values (each day the mean of
that day's after check-ins); a week without one has none, and its chart
shows a gap rather than a zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, NamedTuple

from psoas_cli.model.selftests import SelfTests
from psoas_cli.practice import readings
from psoas_cli.practice.exact import Ratio, mean
from psoas_cli.practice.readings import Facts

ITEMS = ("hip-right", "hip-left", "hips", "back")


class Week(NamedTuple):
    first: date
    last: date
    values: dict[str, Ratio]  # item: the week's mean, for the items it has
    minutes: float
    sessions: int

    def value(self, item: str) -> float | None:
        found = self.values.get(item)
        return None if found is None else float(found)


class Point(NamedTuple):
    """One test result, for its chart."""

    day: date
    right: int | None
    left: int | None
    hurt: bool


class Progress(NamedTuple):
    today: date
    weeks: tuple[Week, ...]  # oldest first
    tests: dict[str, tuple[Point, ...]]  # slug: its results in the window, oldest first
    readings: dict[str, str]  # kind: the reading's bare phrase, in display order

    def has(self, item: str) -> bool:
        return any(item in week.values for week in self.weeks)

    def as_dict(self, tests: SelfTests) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "weeks": [{"first_day": w.first.isoformat(), "last_day": w.last.isoformat(),
                       **{item.replace("-", "_"): _rounded(w.values.get(item))
                          for item in ITEMS},
                       "minutes": round(w.minutes, 1), "sessions": w.sessions}
                      for w in self.weeks],
            "tests": [{"test": slug, "name": _short(tests, slug),
                       "top_score": _top(tests, slug),
                       "results": [{"day": p.day.isoformat(), "right": p.right, "left": p.left,
                                    "hurt": p.hurt} for p in points]}
                      for slug, points in self.tests.items()],
            "readings": [{"kind": kind, "text": readings.sentence(text)}
                         for kind, text in self.readings.items()],
        }

    def csv_rows(self, tests: SelfTests) -> list[list[str]]:
        """A header and a row a week; each test's latest result in the week too."""
        slugs = [t.slug for t in tests.tests]
        header = ["first_day", "last_day", *(i.replace("-", "_") for i in ITEMS), "minutes",
                  "sessions"] + [f"{s.replace('-', '_')}_{side}" for s in slugs
                                 for side in ("right", "left")]
        rows = [header]
        for week in self.weeks:
            row = [week.first.isoformat(), week.last.isoformat()]
            row += ["" if week.values.get(i) is None else f"{_rounded(week.values[i]):g}"
                    for i in ITEMS]
            row += [f"{week.minutes:.1f}", str(week.sessions)]
            for slug in slugs:
                inside = [p for p in self.tests.get(slug, ()) if week.first <= p.day <= week.last]
                last = inside[-1] if inside else None
                row += ["" if last is None or last.right is None else str(last.right),
                        "" if last is None or last.left is None else str(last.left)]
            rows.append(row)
        return rows


def _short(tests: SelfTests, slug: str) -> str:
    test = tests.get(slug)
    return test.short if test is not None else slug


def _top(tests: SelfTests, slug: str) -> int | None:
    test = tests.get(slug)
    return test.top if test is not None else None


def _rounded(value: Ratio | None) -> float | None:
    return None if value is None else round(float(value), 1)


def progress(facts: Facts, tests: SelfTests, minutes: Mapping[date, tuple[float, int]],
             pain_above: int = readings.PAIN_ABOVE) -> Progress:
    """The weeks of ``facts``' window, oldest first; ``minutes`` holds each
    day's minutes and sessions."""
    checked = readings.routines(facts)
    weeks_back = facts.weeks - 1
    by_week: dict[tuple[str, int], list[Ratio]] = {}  # (item, weeks back): its day values
    for item in ITEMS:
        for day, value in readings.day_values(facts, item, checked).items():
            by_week.setdefault((item, readings.week_of(facts, day)), []).append(value)
    weeks = []
    for back in range(weeks_back, -1, -1):
        last = facts.today - timedelta(days=7 * back)
        first = last - timedelta(days=6)
        means = {item: mean(by_week[item, back]) for item in ITEMS if (item, back) in by_week}
        days = [minutes.get(first + timedelta(days=n), (0.0, 0)) for n in range(7)]
        weeks.append(Week(first, last, means, sum(m for m, _ in days),
                          sum(c for _, c in days)))
    points: dict[str, tuple[Point, ...]] = {}
    facts = readings.rescored(facts, tests)
    for test in facts.tests:
        if readings.in_window(facts, test.day):
            # A result of another version is charted without its scores: never compared.
            same = test.version == facts.version
            points[test.slug] = (*points.get(test.slug, ()),
                                 Point(test.day, test.score("right") if same else None,
                                       test.score("left") if same else None, test.hurt))
    return Progress(facts.today, tuple(weeks), points,
                    readings.readings(facts, tests, pain_above, checked))
