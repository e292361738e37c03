"""The progress readings' wording, from the table of cases in docs/readings.md.

The table is the physical therapist's (issue 23), kept as it stands: each
row gives the history in a short notation, the kind of reading, and the
exact words it must produce.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from psoas_cli.files import datafiles
from psoas_cli.history.practice_records import (
    CalmLineRow,
    CheckinRow,
    TestAnswer,
    TestRecord,
    TestSide,
)
from psoas_cli.practice import readings
from psoas_cli.practice.readings import Facts

DOC = (Path(__file__).resolve().parent.parent / "docs" / "readings.md").read_text("utf-8")
SLUGS = {"thomas": "thomas", "floor": "half-kneeling-test"}
ITEMS = {"H": "hips", "R": "hip-right", "L": "hip-left", "B": "back"}
LINE_ITEMS = {"back-worse": "back", "back-high-after": "back", "hips-worse": "hips"}
TODAY_VERSION = datafiles.load_selftests().version
# Version 1's questions, in order, and the answer ids of their keys "1", "2", "3".
V1_QUESTIONS = {
    "thomas": (("thigh", ("rests", "lifts-little", "lifts-clearly")),
               ("drift", ("in-line", "drifts-little", "drifts-clearly")),
               ("knee", ("bends-90", "short-little", "short-clearly")),
               ("pain", ("no", "yes"))),
    "half-kneeling-test": (("reach", ("hand-or-more", "less-than-hand", "hardly")),
                           ("back", ("still", "arched-late", "arched-early")),
                           ("pain", ("no", "yes"))),
}


def v1_side(uid: str, side: str, slug: str, keys: str) -> TestSide:
    """A version-1 side from its answers' keys: scored as version 1 did (every
    question but pain, each key less one, summed)."""
    answers = tuple(TestAnswer(f"{uid}{n}", question, ids[int(key) - 1],
                               None if question == "pain" else int(key) - 1)
                    for n, ((question, ids), key) in enumerate(zip(V1_QUESTIONS[slug], keys,
                                                                 strict=True)))
    score = sum(a.score or 0 for a in answers)
    return TestSide(uid, side, score, any(a.answer == "yes" for a in answers), answers)


def cases() -> list[list[str]]:
    table = DOC.split("<!-- cases -->", 1)[1].split("<!-- /cases -->", 1)[0]
    return [[cell.strip().strip("`") for cell in row.strip().strip("|").split("|")]
            for row in table.strip().splitlines()[2:]]


def parse_day(text: str, today: date) -> date:
    parts = [int(p) for p in text.split("-")]
    return date(*parts) if len(parts) == 3 else date(today.year, *parts)


def days(text: str, today: date) -> list[date]:
    if ".." in text:
        first, last = (parse_day(t, today) for t in text.split(".."))
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [parse_day(text, today)]


def facts_of(given: str) -> Facts:
    """``today 2025-11-18; weeks 8; 11-03..11-09 R3 L5 bB4 !hip-worse:L; T thomas 11-03 1/3!``"""
    clauses = [c.strip() for c in given.split(";") if c.strip()]
    today = date.fromisoformat(clauses[0].split()[1])
    weeks, checkins, lines, tests = 12, [], [], []
    for number, clause in enumerate(clauses[1:]):
        words = clause.split()
        if words[0] == "weeks":
            weeks = int(words[1])
            continue
        if words[0] == "Tv1":
            _, slug, day, keys = words
            right_keys, left_keys = keys.split("/")
            sides = (v1_side(f"r{number:08d}", "right", SLUGS[slug], right_keys),
                     v1_side(f"l{number:08d}", "left", SLUGS[slug], left_keys))
            tests.append(TestRecord(f"t{number:08d}", SLUGS[slug], float(number),
                                    parse_day(day, today), "finished", 1, sides))
            continue
        if words[0] == "T":
            _, slug, day, scores = words
            hurt = scores.endswith("!")
            right, left = (None if s == "-" else int(s) for s in scores.rstrip("!").split("/"))
            sides = (TestSide(f"r{number:08d}", "right", right, hurt),
                     TestSide(f"l{number:08d}", "left", left, False))
            tests.append(TestRecord(f"t{number:08d}", SLUGS[slug], float(number),
                                    parse_day(day, today), "finished", TODAY_VERSION, sides))
            continue
        for count, day in enumerate(days(words[0], today)):
            session = f"s{number:04d}x{count:04d}"
            at = float(number * 1000 + count)
            for word in words[1:]:
                if word.startswith("!"):
                    line, _, side = word[1:].partition(":")
                    item = ITEMS[side] if side else LINE_ITEMS[line]
                    lines.append(CalmLineRow(f"c{session}", at, day, session, line, item, None,
                                             None))
                elif word[0] == "b":
                    checkins.append(CheckinRow(f"b{session}{word[1]}", at, day, session,
                                               "before", ITEMS[word[1]], int(word[2:])))
                else:
                    checkins.append(CheckinRow(f"a{session}{word[0]}", at, day, session,
                                               "after", ITEMS[word[0]], int(word[1:])))
    # Lines quote the after value they are about, as the player stores them.
    after = {(c.session, c.item): c.value for c in checkins if c.moment == "after"}
    lines = [line._replace(after=after.get((line.session, line.item))) for line in lines]
    tests.sort(key=lambda t: t.day)
    return Facts(today, tuple(checkins), tuple(lines), tuple(tests),
                 tests[-1] if tests else None, weeks,
                 last_scored=next((t for t in reversed(tests) if t.sets_due), None))


@pytest.fixture(scope="module")
def selftests():
    return datafiles.load_selftests()


CASES = cases()


def test_the_table_has_every_case():
    assert len(CASES) == 91


@pytest.mark.parametrize("case, given, kind, expected", CASES, ids=[c[0] for c in CASES])
def test_reading(selftests, case, given, kind, expected):
    facts = facts_of(given)
    if kind.startswith("home@"):
        got = readings.home_line(facts, selftests, int(kind[5:])) or "—"
    else:
        got = readings.readings(facts, selftests).get(kind, "—")
    assert got == expected


def test_round_half_up():
    from psoas_cli.practice.exact import Ratio

    assert [readings.half_up(Ratio.of(n, 2)) for n in range(6)] == [0, 1, 1, 2, 2, 3]
    assert [Ratio.of(n, 3).half_up() for n in range(-3, 4)] == [-1, -1, 0, 0, 0, 1, 1]


def test_the_home_line_is_ascii_and_within_80_columns(selftests):
    for case, _, kind, expected in CASES:
        if kind == "home@80" and expected != "—":
            assert expected.isascii() and len(expected) <= 80, case
            assert re.fullmatch(r"[A-Z].*\.", expected)
