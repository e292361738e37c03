"""A self-test's answers made into scores and plain words (pure).

A side's score is the sum of its scored answers, from 0 (normal length) to
the test's top; a scored question left as "can't tell" leaves the side
without a score, its answers still shown.  The result line says what was
felt ("thigh lifts a little off the bed"), never pass or fail, and an
unscored answer may add a note on another muscle ("outer hip (TFL) may be
tight").

A stored result is scored by the tests.yaml of its day (its ``version``).
``current`` re-scores one from its stored answers with today's file, when
the test is still taken the same way (``comparable_since``); only results
of today's version are ever compared (docs/readings.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from psoas_cli.history.practice_records import TestRecord
from psoas_cli.model.selftests import SelfTest, SelfTests
from psoas_cli.practice.dates import long_day

SIDES = ("right", "left")
LABEL_WIDTH = len("right: ")


def side_score(test: SelfTest, answers: Mapping[str, str | None]) -> int | None:
    """The sum of the scored answers; None when one was skipped (or not given)."""
    return test.score_of(answers)


def current(tests: SelfTests, record: TestRecord) -> TestRecord | None:
    """``record`` as today's tests.yaml scores it: as it is when it is of
    today's version; re-scored from its stored answers when its test has been
    taken the same way since (``comparable_since``) and has every answer it
    gave; else None: kept and shown, never compared."""
    if record.version == tests.version:
        return record
    test = tests.get(record.slug)
    if test is None or not test.comparable_since <= record.version < tests.version:
        return None
    sides = []
    for side in record.sides:
        answers = {a.question: a.answer for a in side.answers}
        for question, answer in answers.items():
            known = test.question(question)
            if known is None or (answer is not None and known.answer(answer) is None):
                return None  # an answer this file no longer has
        sides.append(side._replace(score=test.score_of(answers)))
    return record._replace(version=tests.version, sides=tuple(sides))


def side_hurt(test: SelfTest, answers: Mapping[str, str | None]) -> bool:
    """Whether an answer of this side asks for the test's alert line ("it hurt")."""
    for question in test.questions:
        answer = question.answer(answers.get(question.id))
        if answer is not None and answer.alert:
            return True
    return False


def result_phrase(test: SelfTest, answers: Mapping[str, str | None]) -> str:
    """The side's answers in words, then its score and band in brackets:
    "thigh lifts a little off the bed, knee stays in line, knee bends less
    than 90 (1 of 2: a little tight)"."""
    phrases = []
    for question in test.questions:
        answer = question.answer(answers.get(question.id))
        if answer is None:
            if question.scored or any(a.note for a in question.answers):
                phrases.append(f"{question.id}: can't tell")
            continue
        if answer.result:
            phrases.append(answer.result)
    score = side_score(test, answers)
    tail = "(no score)" if score is None else f"({score} of {test.top}: {test.band(score)})"
    return ", ".join(phrases) + (" " if phrases else "") + tail


def result_lines(test: SelfTest, side: str, answers: Mapping[str, str | None],
                 width: int) -> list[str]:
    """``right: ...`` wrapped at ``width`` with a hanging indent under the first
    phrase; then the notes, if any, under it: "Note: outer hip (TFL) may be
    tight." """
    head, indent = f"{side}:".ljust(LABEL_WIDTH), " " * LABEL_WIDTH
    lines = _wrap(result_phrase(test, answers), width, indent, first=head)
    notes = test.notes(answers)
    if notes:
        label = "Note: " if len(notes) == 1 else "Notes: "
        lines += _wrap("; ".join(notes) + ".", width, indent, first=indent + label)
    return lines


def comparison(right: int | None, left: int | None) -> str:
    """Which side is tighter, in one sentence ("" when neither has a score)."""
    if right is None and left is None:
        return ""
    if right is None or left is None:
        return f"Only the {'right' if right is not None else 'left'} side has a score."
    if right > left:
        return "Right is tighter than left."
    if left > right:
        return "Left is tighter than right."
    return "Both sides scored the same."


def due_day(tests: SelfTests, day: date) -> date:
    """When a test taken on ``day`` is due again."""
    return day + timedelta(days=tests.retest_days)


def results_text(tests: SelfTests, test: SelfTest, day: date,
                 sides: Sequence[tuple[str, Mapping[str, str | None]]], *, today: date,
                 first: bool, checkins_on: bool, width: int) -> list[str]:
    """What is printed when a test ends: the title, a line a side, which side is
    tighter, when the next test is due, and a hint to check in.  A side that
    hurt ends it all with the test's alert instead: nothing compared, no
    re-test asked for; and a test with no score sets no next one."""
    lines = _wrap(f"{test.short}, {long_day(day, today, year=True)} (a self-test added to "
                  "psoas).", width)
    scores: dict[str, int | None] = {"right": None, "left": None}
    hurt = False
    for side, answers in sides:
        lines += result_lines(test, side, answers, width)
        scores[side] = side_score(test, answers)
        hurt = hurt or side_hurt(test, answers)
    if hurt:
        return lines + _wrap(test.alert, width)
    closing = [comparison(scores["right"], scores["left"])]
    if any(score is not None for score in scores.values()):
        closing.append(f"Next test due on {long_day(due_day(tests, day), today)}.")
        if first:
            closing.append(f"Take it again in {tests.retest_days // 7} weeks, on the same "
                           f"{'bed' if 'bed' in ' '.join(test.equipment) else 'mat'}, "
                           "to see a change.")
    if not checkins_on:
        closing.append("To track how your hips and back feel too: psoas config set checkin "
                       "after")
    for sentence in closing:
        if sentence:
            lines += _wrap(sentence, width)
    return lines


def _wrap(text: str, width: int, indent: str = "", *, first: str = "") -> list[str]:
    """Greedy word wrap; ``first`` starts the first line, ``indent`` the others."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = indent + word
        elif current:
            current = f"{current} {word}"
        else:
            current = first + word
    if current:
        lines.append(current)
    return lines
