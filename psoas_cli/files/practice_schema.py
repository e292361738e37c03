"""Reading the self-tests (tests.yaml) and the check-ins (checkins.yaml): strict validation.

As the catalogue is read (catalogue_schema.py): unknown keys refused with a
close match, one-line errors naming ``file:line``, the test and the field.
Every screen text is held to the width its header states, and a test's
spoken steps, cue and notice lines must fit the time they are said in, so
an edit can never overrun a phase.  Only needed when the data is not in the
cache (datafiles.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from psoas_cli import limits
from psoas_cli.errors import CheckinError, SelfTestError
from psoas_cli.files import yamlfile
from psoas_cli.files.catalogue_schema import SLUG, _side_means
from psoas_cli.files.yamlfile import REQUIRED, Invalid
from psoas_cli.model import figures
from psoas_cli.model.catalogue import POSITIONS
from psoas_cli.model.checkins import ITEMS, MOMENTS, CalmLine, CheckinQuestion, Checkins
from psoas_cli.model.selftests import Answer, Question, SelfTest, SelfTests
from psoas_cli.play.phrases import COUNTDOWN_AT, WORDS_PER_SECOND, notice_times
from psoas_cli.text import kind, shown

TESTS_VERSION = 2  # the tests.yaml this psoas reads (1: the Thomas test scored three answers)
ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
SIDE_WORDS = re.compile(r"\b(right|left)\b", re.I)


# -- small converters -----------------------------------------------------------------

def _id(value: Any) -> str:
    if not isinstance(value, str) or not ID.match(value):
        raise Invalid(f"must be lowercase letters, digits and hyphens, not {shown(value)}")
    return value


def _text_at_most(limit: int) -> yamlfile.Converter:
    def convert(value: Any) -> str:
        text = yamlfile.text(value)
        if len(text) > limit:
            raise Invalid(f"is {len(text)} characters; at most {limit} fit the screen")
        return text

    return convert


def _whole(low: int, high: int) -> yamlfile.Converter:
    def convert(value: Any) -> int:
        if type(value) is not int or not low <= value <= high:
            raise Invalid(f"must be a whole number from {low} to {high}, not "
                          f"{shown(value)}")
        return value

    return convert


def _seconds(bound: limits.Bound) -> yamlfile.Converter:
    return lambda value: yamlfile.bounded(value, bound)


def _must_be_true(value: Any) -> bool:
    if value is not True:
        raise Invalid("must be true: a self-test is an addition, never one of the article's "
                      "eleven stretches")
    return True


def _both(value: Any) -> str:
    if value != "both":
        raise Invalid("must be both: a self-test compares the two sides")
    return "both"


def _words(*texts: str) -> int:
    return len(" ".join(texts).split())


def _seconds_to_say(*texts: str) -> float:
    return _words(*texts) / WORDS_PER_SECOND


# -- tests.yaml ---------------------------------------------------------------------------

def parse_tests(path: str) -> SelfTests:
    """Read and validate the self-tests in the YAML file at ``path``."""
    return tests_from_document(yamlfile.load(path, SelfTestError))


def _test_list(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise Invalid(f"must be a non-empty list of tests, not {kind(value)}")
    return value


_TOP = {
    "version": (yamlfile.version_is("tests", TESTS_VERSION), REQUIRED),
    "retest_days": (_whole(1, 365), REQUIRED),
    "before": (yamlfile.text_list, ()),
    "tests": (_test_list, REQUIRED),
}

_TEST = {
    "slug": (lambda v: _slug(v), REQUIRED),
    "name": (yamlfile.text, REQUIRED),
    "short": (_text_at_most(20), REQUIRED),
    "aliases": (yamlfile.text_list, ()),
    "addition": (_must_be_true, REQUIRED),
    "summary": (yamlfile.text, REQUIRED),
    "position": (yamlfile.choice(POSITIONS), REQUIRED),
    "equipment": (yamlfile.text_list, ()),
    "sides": (_both, REQUIRED),
    "side_means": (_side_means, REQUIRED),
    "setup": (_seconds(limits.SETUP), REQUIRED),
    "switch": (_seconds(limits.PAUSE), REQUIRED),
    "hold": (_seconds(limits.HOLD), REQUIRED),
    "settle": (_seconds(limits.PAUSE), 0),
    "cue": (_text_at_most(60), REQUIRED),
    "steps": (yamlfile.text_list, REQUIRED),
    "come_out": (yamlfile.text, REQUIRED),
    "switch_says": (_side_means, REQUIRED),
    "finish": (yamlfile.text, REQUIRED),
    "cautions": (yamlfile.text_list, ()),
    "not_if": (yamlfile.text_list, ()),
    "instead": (lambda v: _slug(v), REQUIRED),
    "instead_says": (yamlfile.text, REQUIRED),
    "questions": (lambda v: _list_of(v, "questions"), REQUIRED),
    "alert": (yamlfile.text, REQUIRED),
    "bands": (lambda v: _list_of(v, "bands"), REQUIRED),
    "figure": (lambda value: value, None),
    "comparable_since": (_whole(1, TESTS_VERSION), 1),
}

_QUESTION = {
    "id": (_id, REQUIRED),
    "notice": (yamlfile.text, REQUIRED),
    "ask": (_text_at_most(76), REQUIRED),
    "ask_short": (_text_at_most(38), REQUIRED),
    "scored": (yamlfile.flag, REQUIRED),
    "answers": (lambda v: _list_of(v, "answers"), REQUIRED),
}

_ANSWER = {
    "id": (_id, REQUIRED),
    "key": (lambda v: _key(v), REQUIRED),
    "text": (_text_at_most(34), REQUIRED),
    "score": (_whole(0, 10), None),
    "result": (lambda v: "" if v == "" else yamlfile.text(v), REQUIRED),
    "alert": (yamlfile.flag, False),
    "note": (lambda v: "" if v == "" else yamlfile.text(v), ""),
}


Fail = Callable[[str, str], SelfTestError]  # (field, message): the error to raise


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise Invalid(f"must be lowercase letters, digits and hyphens, not "
                      f"{shown(value)}")
    return value


def _key(value: Any) -> str:
    if not isinstance(value, str) or value not in "123456789" or len(value) != 1:
        raise Invalid(f"must be one of the keys \"1\" to \"9\", in quotes, not "
                      f"{shown(value)}")
    return value


def _list_of(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise Invalid(f"must be a non-empty list of {what}, not {kind(value)}")
    return value


def tests_from_document(doc: yamlfile.Document) -> SelfTests:
    top = doc.data
    if not isinstance(top, dict):
        raise SelfTestError("the file needs 'version', 'retest_days' and 'tests'",
                            path=doc.path)
    fields = yamlfile.check_fields(doc, top, _TOP, SelfTestError, what="file")
    entries = fields["tests"]
    tests = []
    for number, entry in enumerate(entries):
        tests.append(_test(doc, entry, doc.where(entries).of(str(number))))
    slugs = [t.slug for t in tests]
    for test, entry in zip(tests, entries, strict=True):
        if slugs.count(test.slug) > 1:
            raise SelfTestError("used by another test", path=doc.path,
                                line=doc.where(entry).of("slug"), item=test.slug, field="slug")
        if test.instead not in slugs or test.instead == test.slug:
            raise SelfTestError(f"must name another test ({', '.join(slugs)})", path=doc.path,
                                line=doc.where(entry).of("instead"), item=test.slug,
                                field="instead")
    return SelfTests(fields["version"], fields["retest_days"], fields["before"], tuple(tests))


def _test(doc: yamlfile.Document, entry: Any, line: int) -> SelfTest:
    label = entry.get("slug") if isinstance(entry, dict) and isinstance(entry.get("slug"),
                                                                        str) else None
    fields = yamlfile.check_fields(doc, entry, _TEST, SelfTestError, item=label, what="test",
                                   line=line)
    label = fields["slug"]
    where = doc.where(entry)

    def fail(field: str, message: str, at: int | None = None) -> SelfTestError:
        return SelfTestError(message, path=doc.path, line=at or where.of(field), item=label,
                             field=field)

    if not fields["steps"]:
        raise fail("steps", "needs at least one step")
    for number, step in enumerate(fields["steps"], 1):
        if SIDE_WORDS.search(step):
            raise fail("steps", f"step {number} names a side; the player says which side, so "
                       "steps never do")
    if not fields["settle"] < fields["hold"]:
        raise fail("settle", "must be less than the hold")
    questions = tuple(_question(doc, q, label, doc.where(entry["questions"]).of(str(n)))
                      for n, q in enumerate(fields["questions"]))
    if len({q.id for q in questions}) != len(questions):
        raise fail("questions", "two questions have the same id")
    bands = _bands(fields["bands"], fail)
    top = sum(q.top for q in questions)
    if bands[-1][0] != top:
        raise fail("bands", f"the last band must end at the test's top score, {top}, "
                   f"not {bands[-1][0]}")
    fields.update(questions=questions, bands=bands,
                  equipment=tuple(e.lower() for e in fields["equipment"]))
    _check_timing(fields, fail)
    fields["figure"] = _figure(doc, entry, label)
    del fields["addition"], fields["sides"]  # always true, always both: checked above
    return SelfTest(**fields)


def _question(doc: yamlfile.Document, entry: Any, test: str, line: int) -> Question:
    fields = yamlfile.check_fields(doc, entry, _QUESTION, SelfTestError, item=test,
                                   what="question", line=line)
    where = doc.where(entry)
    answers = []
    for number, answer in enumerate(fields["answers"]):
        at = doc.where(fields["answers"]).of(str(number))
        found = yamlfile.check_fields(doc, answer, _ANSWER, SelfTestError, item=test,
                                      what="answer", line=at)
        answers.append(Answer(**found))

    def fail(message: str) -> SelfTestError:
        return SelfTestError(f"question '{fields['id']}': {message}", path=doc.path,
                             line=where.of("answers"), item=test, field="answers")

    if not 2 <= len(answers) <= 4:
        raise fail(f"has {len(answers)} answers; give 2 to 4")
    if [a.key for a in answers] != [str(n) for n in range(1, len(answers) + 1)]:
        raise fail("the answers' keys must be \"1\", \"2\"... in order")
    if len({a.id for a in answers}) != len(answers):
        raise fail("two answers have the same id")
    scores = [a.score for a in answers]
    if fields["scored"]:
        if None in scores:
            raise fail("every answer of a scored question needs a score")
        if 0 not in scores:
            raise fail("a scored question needs an answer scoring 0 (normal length)")
        if any(a.note for a in answers):
            raise fail("a scored question's answers have no note (its score says it)")
    elif any(s is not None for s in scores):
        raise fail("an unscored question's answers have no score")
    return Question(fields["id"], fields["notice"], fields["ask"], fields["ask_short"],
                    fields["scored"], tuple(answers))


def _bands(value: list[Any], fail: Fail) -> tuple[tuple[int, str], ...]:
    bands = []
    for entry in value:
        if not (isinstance(entry, list) and len(entry) == 2 and type(entry[0]) is int
                and isinstance(entry[1], str) and entry[1].strip()):
            raise fail("bands", "each band is [highest score, words], such as [2, \"a little "
                       "tight\"]")
        bands.append((entry[0], yamlfile.text(entry[1])))
    if [b[0] for b in bands] != sorted({b[0] for b in bands}):
        raise fail("bands", "the bands' highest scores must rise")
    return tuple(bands)


def _check_timing(fields: dict[str, Any], fail: Fail) -> None:
    """Every step is said while getting ready, with the name and the side; the cue,
    every notice and the 3-2-1 within the hold."""
    for phase, seconds in (("setup", fields["setup"]), ("switch", fields["switch"])):
        side = f"Right side: {fields['side_means']}."
        needed = _seconds_to_say(fields["name"], side, *fields["steps"])
        if needed > seconds:
            raise fail(phase, f"{seconds:g} s is too short to say every step "
                       f"({needed:.0f} s at {WORDS_PER_SECOND:g} words a second)")
    last_at, last = notice_times(fields["settle"], [q.notice for q in fields["questions"]])[-1]
    said = last_at + _seconds_to_say(last)
    room = fields["hold"] - COUNTDOWN_AT
    if _seconds_to_say(fields["cue"]) > fields["settle"] or said > room:
        raise fail("hold", f"{fields['hold']:g} s is too short for the cue, the notice lines "
                   f"and the 3-2-1 (they take {said + COUNTDOWN_AT:.0f} s)")


def _figure(doc: yamlfile.Document, entry: dict[str, Any], label: str) -> figures.Figure | None:
    data = entry.get("figure")
    if data is None:
        return None
    try:
        return figures.check(data)
    except figures.FigureInvalid as exc:
        line, node = doc.where(entry).of("figure"), data
        for key in exc.path:
            if isinstance(node, dict) and key in node:
                line, node = doc.where(node).of(key), node[key]
        raise SelfTestError(exc.message, path=doc.path, line=line, item=label,
                            field="figure") from None


# -- checkins.yaml ---------------------------------------------------------------------------

def parse_checkins(path: str) -> Checkins:
    """Read and validate the check-ins in the YAML file at ``path``."""
    return checkins_from_document(yamlfile.load(path, CheckinError))


def _mapping(value: Any) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"must be a mapping, not {kind(value)}")
    return value


_CHECKINS = {
    "version": (yamlfile.version_one("check-ins"), REQUIRED),
    "scale": (_mapping, REQUIRED),
    "confirm_seconds": (lambda v: yamlfile.bounded(v, limits.Bound(0, 5)), REQUIRED),
    "timeout_seconds": (lambda v: yamlfile.bounded(v, limits.Bound(1, 600)), REQUIRED),
    "pain_above": (_whole(0, 10), REQUIRED),
    "pain_severe": (_whole(0, 10), REQUIRED),
    "worse_by": (_whole(1, 10), REQUIRED),
    "pain_stop": (_whole(0, 10), REQUIRED),
    "much_worse_by": (_whole(1, 10), REQUIRED),
    "questions": (lambda v: _list_of(v, "questions"), REQUIRED),
    "screen": (_mapping, REQUIRED),
    "lines": (_mapping, REQUIRED),
}

_SCALE = {"low": (_whole(0, 0), REQUIRED), "high": (_whole(10, 10), REQUIRED),
          "ten_key": (lambda v: _letter(v), REQUIRED)}


def _letter(value: Any) -> str:
    if not isinstance(value, str) or len(value) != 1 or not value.isalpha() \
            or not value.isascii() or value.lower() in "bq":
        raise Invalid(f"must be one letter (not b or q), not {shown(value)}")
    return value.lower()


def _by_moment(limit: int) -> yamlfile.Converter:
    def convert(value: Any) -> dict[str, str]:
        if not isinstance(value, dict) or set(value) != set(MOMENTS):
            raise Invalid("must give 'before' and 'after'")
        return {m: _text_at_most(limit)(value[m]) for m in MOMENTS}

    return convert


_CHECKIN_QUESTION = {
    "id": (yamlfile.choice(ITEMS), REQUIRED),
    "label": (_text_at_most(20), REQUIRED),
    "ask": (_by_moment(80), REQUIRED),
    "ask_short": (_by_moment(40), REQUIRED),
    "scale": (_text_at_most(80), REQUIRED),
    "scale_short": (_text_at_most(40), REQUIRED),
}

# The screen's texts: group -> its keys, each with the width its text may take.
_SCREEN = {
    "title": ({"before": 80, "after": 80}),
    "title_short": ({"before": 40, "after": 40}),
    "keys": ({"ask": 80, "back": 80}),
    "keys_short": ({"ask": 40, "back": 40}),
    "answered": ({"value": 80, "skipped": 80}),
    "answered_short": ({"value": 40, "skipped": 40}),
    "timed_out": ({"line": 80}),
    "timed_out_short": ({"line": 40}),
    "lines": ({"prompt": 80, "again": 80, "gave_up": 80, "choose": 80}),
}

LINE_IDS = ("back-severe-before", "back-high-before", "back-much-worse", "back-severe-after",
            "back-worse", "back-high-after", "hips-worse", "hip-worse")
_LINE = {
    "when": (yamlfile.choice(MOMENTS), REQUIRED),
    "wait": (yamlfile.flag, False),
    "long": (yamlfile.text, REQUIRED),
    "short": (yamlfile.text, REQUIRED),
    "spoken": (yamlfile.text, REQUIRED),
    "keys": (_text_at_most(80), ""),
    "keys_short": (_text_at_most(40), ""),
}
_PLACEHOLDERS = {"before", "after", "value", "hip", "Hip", "label"}


def checkins_from_document(doc: yamlfile.Document) -> Checkins:
    top = doc.data
    if not isinstance(top, dict):
        raise CheckinError("the file needs 'version', 'scale', 'questions', 'screen' and "
                           "'lines'", path=doc.path)
    fields = yamlfile.check_fields(doc, top, _CHECKINS, CheckinError, what="file")
    scale = yamlfile.check_fields(doc, fields["scale"], _SCALE, CheckinError, item="scale",
                                  what="scale")
    where = doc.where(top)
    questions = []
    for number, entry in enumerate(fields["questions"]):
        at = doc.where(fields["questions"]).of(str(number))
        found = yamlfile.check_fields(doc, entry, _CHECKIN_QUESTION, CheckinError,
                                      item=str(entry.get("id")) if isinstance(entry, dict)
                                      else None, what="question", line=at)
        questions.append(CheckinQuestion(**found))
    if sorted(q.id for q in questions) != sorted(ITEMS):
        raise CheckinError(f"needs one question for each of {', '.join(ITEMS)}", path=doc.path,
                           line=where.of("questions"), field="questions")
    screen = _screen(doc, fields["screen"])
    lines = {}
    for line_id, entry in fields["lines"].items():
        if line_id not in LINE_IDS:
            raise CheckinError(f"unknown line (the lines: {', '.join(LINE_IDS)})",
                               path=doc.path, line=doc.where(fields["lines"]).of(str(line_id)),
                               item=str(line_id), field="lines")
        found = yamlfile.check_fields(doc, entry, _LINE, CheckinError, item=line_id,
                                      what="line")
        for name in ("long", "short", "spoken"):
            unknown = set(re.findall(r"\{([^{}]*)\}", found[name])) - _PLACEHOLDERS
            if unknown:
                raise CheckinError(f"unknown placeholder '{{{sorted(unknown)[0]}}}'",
                                   path=doc.path, line=doc.where(entry).of(name), item=line_id,
                                   field=name)
        if found["wait"] and not found["keys"]:
            raise CheckinError("a line that waits says its keys", path=doc.path,
                               line=doc.where(entry).line, item=line_id, field="keys")
        lines[line_id] = CalmLine(line_id, **found)
    missing = [i for i in LINE_IDS if i not in lines]
    if missing:
        raise CheckinError(f"missing the line '{missing[0]}'", path=doc.path,
                           line=where.of("lines"), field="lines")
    return Checkins(fields["version"], scale["low"], scale["high"], scale["ten_key"],
                    float(fields["confirm_seconds"]), float(fields["timeout_seconds"]),
                    fields["pain_above"], fields["pain_severe"], fields["worse_by"],
                    fields["pain_stop"], fields["much_worse_by"],
                    tuple(questions), screen, lines)


def _screen(doc: yamlfile.Document, value: dict[str, Any]) -> dict[str, dict[str, str]]:
    screen: dict[str, dict[str, str]] = {}
    for group, keys in _SCREEN.items():
        entry = value.get(group)
        if not isinstance(entry, dict) or set(entry) != set(keys):
            raise CheckinError(f"needs {', '.join(keys)}", path=doc.path,
                               line=doc.where(value).of(group), item="screen", field=group)
        screen[group] = {}
        for key, limit in keys.items():
            try:
                screen[group][key] = _text_at_most(limit)(entry[key])
            except Invalid as exc:
                raise CheckinError(str(exc), path=doc.path, line=doc.where(entry).of(key),
                                   item="screen", field=f"{group}.{key}") from None
    unknown = set(value) - set(_SCREEN)
    if unknown:
        raise CheckinError("unknown field", path=doc.path,
                           line=doc.where(value).of(sorted(unknown)[0]), item="screen",
                           field=str(sorted(unknown)[0]))
    return screen
