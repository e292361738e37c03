"""The practice's records in the history: self-test results, check-ins, calm lines.

Pure data (NamedTuples), with the plain forms they take in the journal
(``as_record``/``from_record``, checked on the way back in as a session
is) and in ``--json`` (``as_dict``).  Every row carries a random ``uid``,
made once when the row is made, so a history exported and merged
elsewhere never has two rows collide, and writing a row twice (a retry, a
journal replayed) writes it once.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any, NamedTuple

from psoas_cli.history.calendar import iso_time, local_day
from psoas_cli.text import clean, clip

TEST, CHECKIN, CALM_LINE = "test", "checkin", "checkin-line"  # journal kinds
KINDS = (TEST, CHECKIN, CALM_LINE)
SIDES = ("right", "left")
MOMENTS = ("before", "after")
ITEMS = ("hips", "hip-right", "hip-left", "back")
FINISHED, STOPPED = "finished", "stopped"


def new_uid() -> str:
    """A random name for a row: 128 bits, as hex."""
    return os.urandom(16).hex()


class TestAnswer(NamedTuple):
    uid: str
    question: str  # tests.yaml question id
    answer: str | None  # its answer id; None: "can't tell"
    score: int | None  # that answer's score when given; None if unscored or skipped

    def as_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "question": self.question, "answer": self.answer,
                "score": self.score}


class TestSide(NamedTuple):
    uid: str
    side: str  # right or left
    score: int | None  # None: a scored question was skipped
    hurt: bool
    answers: tuple[TestAnswer, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "side": self.side, "score": self.score, "hurt": self.hurt,
                "answers": [a.as_dict() for a in self.answers]}


class TestRecord(NamedTuple):
    """One ``psoas test``: its answers side by side, as far as it went."""

    uid: str
    slug: str
    started_at: float
    day: date
    status: str  # finished, or stopped (the sides finished are kept)
    version: int  # tests.yaml's version: its scores
    sides: tuple[TestSide, ...] = ()
    id: int | None = None  # the row, once read back


    def side(self, name: str) -> TestSide | None:
        return next((s for s in self.sides if s.side == name), None)

    def score(self, name: str) -> int | None:
        found = self.side(name)
        return found.score if found is not None else None

    @property
    def hurt(self) -> bool:
        return any(s.hurt for s in self.sides)

    @property
    def sets_due(self) -> bool:
        """A side scored and none hurt: the test sets when the next is due.  One
        stopped before any score, or one that hurt, moves nothing."""
        return any(s.score is not None for s in self.sides) and not self.hurt

    @property
    def complete(self) -> bool:
        """Both sides scored, neither hurt: the only results compared over time."""
        return all(self.score(s) is not None for s in SIDES) and not self.hurt

    def as_record(self) -> dict[str, Any]:
        return {"kind": TEST, "uid": self.uid, "slug": self.slug,
                "started_at": self.started_at, "day": self.day.isoformat(),
                "status": self.status, "version": self.version,
                "sides": [[s.uid, s.side, s.score, s.hurt,
                           [[a.uid, a.question, a.answer, a.score] for a in s.answers]]
                          for s in self.sides]}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> TestRecord:
        sides = []
        for uid, side, score, hurt, answers in record["sides"]:
            if side not in SIDES or not isinstance(hurt, bool):
                raise ValueError("not a side")
            sides.append(TestSide(_uid(uid), side, _score(score), hurt, tuple(
                TestAnswer(_uid(a_uid), _name(question), _name(answer, none=True),
                           _score(a_score))
                for a_uid, question, answer, a_score in answers)))
        status = str(record["status"])
        if status not in (FINISHED, STOPPED):
            raise ValueError("not a status")
        return cls(_uid(record["uid"]), _name(record["slug"]), _time(record["started_at"]),
                   date.fromisoformat(record["day"]), status, int(record["version"]),
                   tuple(sides))

    def as_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "test": self.slug, "day": self.day.isoformat(),
                "started_at": iso_time(self.started_at), "status": self.status,
                "version": self.version, "sides": [s.as_dict() for s in self.sides]}


class CheckinRow(NamedTuple):
    """One answer of a check-in: how one item felt, 0 to 10."""

    uid: str
    at: float
    day: date
    session: str | None  # the routine's session token; None if it was not recorded
    moment: str  # before or after
    item: str  # hips, hip-right, hip-left or back
    value: int  # 0 to 10


    def as_record(self) -> dict[str, Any]:
        return {"kind": CHECKIN, "uid": self.uid, "at": self.at, "day": self.day.isoformat(),
                "session": self.session, "moment": self.moment, "item": self.item,
                "value": self.value}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> CheckinRow:
        if record["moment"] not in MOMENTS or record["item"] not in ITEMS:
            raise ValueError("not a check-in")
        value = _score(record["value"])
        if value is None or not 0 <= value <= 10:
            raise ValueError("not a value from 0 to 10")
        return cls(_uid(record["uid"]), _time(record["at"]), date.fromisoformat(record["day"]),
                   _session(record.get("session")), record["moment"], record["item"], value)

    def as_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "at": iso_time(self.at), "day": self.day.isoformat(),
                "session": self.session, "moment": self.moment, "item": self.item,
                "value": self.value}


class CalmLineRow(NamedTuple):
    """A calm line given after a check-in (checkins.yaml ``lines``), remembered."""

    uid: str
    at: float
    day: date
    session: str | None
    line: str  # its id: 'back-worse'
    item: str
    before: int | None  # the values it quoted
    after: int | None


    def as_record(self) -> dict[str, Any]:
        return {"kind": CALM_LINE, "uid": self.uid, "at": self.at,
                "day": self.day.isoformat(), "session": self.session, "line": self.line,
                "item": self.item, "before": self.before, "after": self.after}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> CalmLineRow:
        if record["item"] not in ITEMS:
            raise ValueError("not an item")
        return cls(_uid(record["uid"]), _time(record["at"]), date.fromisoformat(record["day"]),
                   _session(record.get("session")), _name(record["line"]), record["item"],
                   _score(record.get("before")), _score(record.get("after")))

    def as_dict(self) -> dict[str, Any]:
        return {"uid": self.uid, "at": iso_time(self.at), "day": self.day.isoformat(),
                "session": self.session, "line": self.line, "item": self.item,
                "before": self.before, "after": self.after}


# Not pytest test classes, whatever their names.
TestAnswer.__test__ = TestSide.__test__ = TestRecord.__test__ = False  # type: ignore[attr-defined]


def checkin_row(at: float, moment: str, item: str, value: int,
                session: str | None = None) -> CheckinRow:
    """A check-in answer given at ``at``, counted on its local day."""
    return CheckinRow(new_uid(), at, local_day(at), session, moment, item, value)


def calm_line_row(at: float, line: str, item: str, before: int | None, after: int | None,
                  session: str | None = None) -> CalmLineRow:
    return CalmLineRow(new_uid(), at, local_day(at), session, line, item, before, after)


def from_record(record: dict[str, Any]) -> TestRecord | CheckinRow | CalmLineRow:
    """The practice record a journal line holds; ValueError (or KeyError,
    TypeError) when it is not one."""
    kind = record.get("kind")
    if kind == TEST:
        return TestRecord.from_record(record)
    if kind == CHECKIN:
        return CheckinRow.from_record(record)
    if kind == CALM_LINE:
        return CalmLineRow.from_record(record)
    raise ValueError("not a practice record")


# -- checks on the way back in -------------------------------------------------------------

def _uid(value: Any) -> str:
    if not isinstance(value, str) or not 8 <= len(value) <= 64 or not value.isalnum():
        raise ValueError("not a uid")
    return value


def _session(value: Any) -> str | None:
    return None if value is None else _uid(value)


def _name(value: Any, none: bool = False) -> Any:
    if value is None and none:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError("not a name")
    return clean(clip(value, 60))


def _score(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError("not a score")
    return value


def _time(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ValueError("not a time")
    return float(value)
