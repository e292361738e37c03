"""Records as they leave one history and enter another: exports, imports, sync files.

Pure Python: text and bytes in, records out, and back; the SQL is merge.py.

Every kind of record that travels is one entry of ``KINDS``: its table, the
column holding its random id, its fields in order (each with its check), and
the rows of other tables that travel inside it (a session's stretches).
Everything else (the JSON and CSV exports, the sync files' lines, the checks
on the way in, the SQL that reads and writes them) is worked out from there,
so a new kind is one entry.

A record is a tuple: its id, its machine, its fields in order, then one
tuple of rows for each of its parts.  Two copies of a record are the same
when their tuples are equal; floats are written with ``repr`` (JSON and CSV
alike), so they read back equal, and a round trip changes nothing.

A sync file (``psoas-<machine>.jsonl``) is a header line, a JSON object,
then one JSON array a line: ``[kind, id, machine or null, fields...,
parts...]`` (null: the header's machine).  A line is only ever appended
whole; a last line without its newline is a copy caught half-way, left for
next time; any other line that cannot be read is named by file and line,
and skipped.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

from psoas_cli.history.practice_records import ITEMS
from psoas_cli.text import clip, json_safe, quoted

VERSION = 1  # of the exports and the sync files; a newer one is left alone
EXPORT, SYNC = "export", "sync"  # what the "psoas" key of a header says

Record = tuple[Any, ...]  # (id, machine, *fields, *parts); a part is a tuple of rows
Row = tuple[Any, ...]  # a part's row: its fields in order


class Bad(ValueError):
    """A record, or a value in one, that cannot be used; says which and why."""

    def __init__(self, reason: str, *, kind: str = "", item: str = "", field: str = "",
                 where: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.item = item
        self.field = field
        self.where = where  # FILE:LINE, or FILE

    def __str__(self) -> str:
        parts = [f"{self.kind} {quoted(clip(self.item, 40))}" if self.item else self.kind,
                 f"field '{self.field}'" if self.field else ""]
        said = ", ".join(p for p in parts if p)
        return ": ".join(p for p in (self.where, said, clip(self.reason, 200)) if p)


# -- the checks of a value -------------------------------------------------------

_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
LONGEST_TEXT = 1000
LATEST = 1e11  # unix time, the year 5138: anything later is not a time psoas wrote
LONGEST = 1e7  # seconds in one record: months


def _ident(value: Any) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValueError(f"must be an id of letters, digits, - and _, not {quoted(value)}")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {quoted(value)}")
    if len(value) > LONGEST_TEXT:
        raise ValueError(f"must be at most {LONGEST_TEXT} characters")
    if not storable(value):
        raise ValueError(UNSTORABLE)
    return value


UNSTORABLE = "holds a character that is not text (a lone surrogate such as \\ud800)"


def storable(text: str) -> bool:
    """Whether SQLite (and UTF-8) can keep ``text``: no lone surrogates."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _day(value: Any) -> str:
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise ValueError(f"must be a day as YYYY-MM-DD, not {quoted(value)}")


def _number(value: Any, most: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number, not {quoted(value)}")
    if not (0 <= value <= most):  # NaN fails too
        raise ValueError(f"must be from 0 to {most:g}, not {value!r}")
    return value


def _time(value: Any) -> float:
    return _number(value, LATEST)


def _seconds(value: Any) -> float:
    return _number(value, LONGEST)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**6:
        raise ValueError(f"must be a whole number from 0 to 1000000, not {quoted(value)}")
    return value


class _OneOf:
    """A check that a value is one of some words."""

    def __init__(self, *words: str) -> None:
        self.words = words

    def __call__(self, value: Any) -> str:
        if not isinstance(value, str) or value not in self.words:
            raise ValueError(f"must be one of {', '.join(self.words)}, not {quoted(value)}")
        return value


_one_of = _OneOf


def _rating(value: Any) -> int:
    """A check-in's 0 to 10."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"must be a whole number from 0 to 10, not {quoted(value)}")
    return value


def _flag(value: Any) -> int:
    """A yes or no, as SQLite keeps it: 1 or 0."""
    if isinstance(value, bool) or value not in (0, 1):
        raise ValueError(f"must be 0 or 1, not {quoted(value)}")
    return int(value)


# What each check accepts, as Python's types, for the quick pass over a record:
# when tuple(map(type, values)) is one of the expected combinations, text needs
# only its length checked; anything else (a wrong type, a day, a number) is
# checked in full.
_TYPES: dict[Callable[[Any], Any], tuple[type, ...]] = {
    _ident: (str,), _text: (str,), _day: (str,), _time: (int, float),
    _seconds: (int, float), _whole: (int,), _rating: (int,), _flag: (int,),
}


_IDS = re.compile(r"(?:[0-9A-Za-z_-]{1,64}\n)*")


def _column_good(check: Callable[[Any], Any], values: Sequence[Any], optional: bool) -> bool:
    """Whether every value of a column passes ``check``, found with a few passes
    at C speed (set, min, max, one regular expression) rather than a call a
    value.  False says only that some value is bad: the caller then checks
    value by value, to name it."""
    types = set(map(type, values))
    if optional and type(None) in types:
        types.discard(type(None))
        values = [v for v in values if v is not None]
    if not values:
        return True
    try:
        if check in (_time, _seconds):
            most = LATEST if check is _time else LONGEST
            return types <= {int, float} and 0 <= min(values) and max(values) <= most
        if check is _whole:
            return types == {int} and 0 <= min(values) and max(values) <= 10**6
        if types != {str}:
            return False
        if check is _text:
            return max(map(len, values)) <= LONGEST_TEXT and storable("".join(values))
        if check is _ident:
            return _IDS.fullmatch("\n".join(values) + "\n") is not None
        if check is _day:
            for day in set(values):  # a few hundred days among thousands of records
                _day(day)
            return True
        if isinstance(check, _OneOf):
            return set(values) <= set(check.words)
    except (ValueError, TypeError):
        return False
    return all(_passes(check, v) for v in values)


def _passes(check: Callable[[Any], Any], value: Any) -> bool:
    try:
        check(value)
    except ValueError:
        return False
    return True


class Field(NamedTuple):
    name: str  # in exports: the JSON key, the CSV column
    check: Callable[[Any], Any]  # the value, or ValueError saying why not
    column: str = ""  # in SQLite, if not the same
    optional: bool = False  # may be null (empty in CSV)

    @property
    def sql(self) -> str:
        return self.column or self.name


class Part(NamedTuple):
    """Rows of another table that travel inside a record (a session's stretches)."""

    name: str  # "stretches": the JSON key
    one: str  # "stretch": a CSV row's kind
    table: str
    parent: str  # the column holding the record's local row id
    fields: tuple[Field, ...]
    order: str  # ORDER BY within one record
    # Fields whose values no two rows of one record share (SQLite's keys): a
    # record that breaks one is bad, never an error of the history it goes to.
    unique: tuple[tuple[str, ...], ...] = ()

    def places(self, key: Sequence[str]) -> tuple[int, ...]:
        names = [f.name for f in self.fields]
        return tuple(names.index(name) for name in key)


class Kind(NamedTuple):
    """A kind of record that travels, and where it lives in SQLite."""

    name: str  # "session": a sync line's first value, a CSV row's kind
    plural: str  # "sessions": the JSON export's key
    table: str
    id_column: str  # holds the random id
    fields: tuple[Field, ...]  # after the id and the machine, in this order
    parts: tuple[Part, ...] = ()
    order: str = "id"  # ORDER BY of an export
    final: str = "1"  # SQL: a row that may go to the sync folder as it is
    # SQL columns set from a field on the way in: (column, expression with one ?, field)
    derived: tuple[tuple[str, str, str], ...] = ()
    # How far along a record is (a session in progress, then ended): a copy
    # further along replaces one behind it; one behind is an older copy.
    progress: Callable[[Record], int] | None = None
    words: tuple[str, str] = ("", "")  # one, many: "session", "sessions"

    def amount(self, n: int) -> str:
        """``n`` of them in words: '1 session', '3 calm lines'."""
        one, many = self.words if self.words[0] else (self.name, self.plural)
        return f"{n} {one if n == 1 else many}"

    def place(self, field: str) -> int:
        """The place of ``field`` in a record."""
        return 2 + [f.name for f in self.fields].index(field)

    @property
    def width(self) -> int:
        return 2 + len(self.fields) + len(self.parts)


# -- the registry ---------------------------------------------------------------

SESSION_STATUSES = ("in progress", "finished", "stopped", "skipped")


def _session_progress(record: Record) -> int:
    return 0 if record[SESSION.place("status")] == "in progress" else 1


SESSION = Kind(
    "session", "sessions", "sessions", "token",
    fields=(Field("day", _day), Field("started_at", _time),
            Field("ended_at", _time, optional=True), Field("routine", _text),
            Field("status", _one_of(*SESSION_STATUSES)), Field("planned_seconds", _seconds),
            Field("active_seconds", _seconds), Field("heartbeat", _time, optional=True)),
    parts=(Part("stretches", "stretch", "stretches", "session_id",
                (Field("position", _whole), Field("slug", _text), Field("name", _text),
                 Field("status", _one_of("done", "skipped")), Field("held_seconds", _seconds),
                 Field("planned_seconds", _seconds)), "position", (("position",),)),),
    order="started_at, token",
    final="status != 'in progress'",
    progress=_session_progress,
    words=("session", "sessions"),
)

BREAK = Kind(
    "break", "breaks", "breaks", "uid",
    fields=(Field("day", _day), Field("at", _time),
            Field("event", _one_of("offered", "taken", "snoozed", "skipped", "missed"),
                  column="kind"),
            Field("due_at", _time, optional=True), Field("routine", _text),
            Field("session", _ident, optional=True)),
    order="at, uid",
    derived=(("session_id", "(SELECT id FROM sessions WHERE token = ?)", "session"),),
)

def _test_progress(record: Record) -> int:
    """A test is saved as it goes (each side as it is done) and finished at the end."""
    n = len(TEST.fields)
    finished = record[TEST.place("status")] == "finished"
    return int(finished) * 10_000 + len(record[2 + n]) * 1000 + len(record[3 + n])


TEST = Kind(
    "test", "tests", "tests", "uid",
    fields=(Field("day", _day), Field("started_at", _time), Field("slug", _text),
            Field("status", _one_of("finished", "stopped")), Field("version", _whole)),
    parts=(Part("sides", "test-side", "test_sides", "test_id",
                (Field("id", _ident, column="uid"), Field("side", _one_of("right", "left")),
                 Field("score", _whole, optional=True), Field("hurt", _flag)), "side",
                (("id",), ("side",))),
           Part("answers", "test-answer", "test_answers", "test_id",
                (Field("id", _ident, column="uid"), Field("side", _one_of("right", "left")),
                 Field("question", _text), Field("position", _whole),
                 Field("answer", _text, optional=True), Field("score", _whole, optional=True)),
                "side, position", (("id",), ("side", "question")))),
    order="started_at, uid",
    progress=_test_progress,
    words=("self-test", "self-tests"),
)

CHECKIN = Kind(
    "checkin", "checkins", "checkins", "uid",
    fields=(Field("day", _day), Field("at", _time), Field("session", _ident, optional=True),
            Field("moment", _one_of("before", "after")), Field("item", _one_of(*ITEMS)),
            Field("value", _rating)),
    order="at, uid",
    words=("check-in answer", "check-in answers"),
)

CHECKIN_LINE = Kind(
    "checkin-line", "checkin_lines", "checkin_lines", "uid",
    fields=(Field("day", _day), Field("at", _time), Field("session", _ident, optional=True),
            Field("line", _text), Field("item", _one_of(*ITEMS)),
            Field("value_before", _rating, optional=True),
            Field("value_after", _rating, optional=True)),
    order="at, uid",
    words=("calm line", "calm lines"),
)

PROGRAM_EVENT = Kind(  # psoas program (history/programs.py)
    "program-event", "program_events", "program_events", "uid",
    fields=(Field("day", _day), Field("at", _time), Field("run", _ident),
            Field("event", _one_of("start", "session", "hurt", "resume", "stop"),
                  column="kind"),
            Field("program", _text, optional=True), Field("stamp", _text, optional=True),
            Field("session", _ident, optional=True), Field("remind", _flag),
            Field("sharp", _flag)),
    order="at, uid",
    words=("program event", "program events"),
)

# In the order they are written and merged: a break names its session, so
# sessions come first.
KINDS: tuple[Kind, ...] = (SESSION, BREAK, TEST, CHECKIN, CHECKIN_LINE, PROGRAM_EVENT)
BY_NAME = {kind.name: kind for kind in KINDS}
BY_PLURAL = {kind.plural: kind for kind in KINDS}
PARTS = {part.one: (kind, part) for kind in KINDS for part in kind.parts}


def counted(found: Mapping[str, int]) -> str:
    """'3 sessions, 1 break' for the kinds with any; "" for none."""
    return ", ".join(BY_NAME[kind].amount(n) for kind, n in found.items() if n)


# -- checking a record on its way in -----------------------------------------------

class _Shape(NamedTuple):
    """What a kind's records, and its parts' rows, look like to the quick pass."""

    fields: tuple[Field, ...]
    good_types: frozenset[tuple[type, ...]]  # combinations of types to expect
    still: tuple[int, ...]  # values checked in full even then: all but text
    texts: tuple[int, ...]  # ... text, whose length is checked


def _shape(fields: Sequence[Field]) -> _Shape:
    combos: list[tuple[type, ...]] = [()]
    for field in fields:
        options = list(_TYPES.get(field.check, (str,)))
        options += [type(None)] if field.optional else []
        combos = [c + (t,) for c in combos for t in options]
    texts = tuple(n for n, f in enumerate(fields) if f.check is _text)
    return _Shape(tuple(fields), frozenset(combos),
                  tuple(n for n in range(len(fields)) if n not in texts), texts)


_SHAPES = {kind.name: _shape(kind.fields) for kind in KINDS}
_PART_SHAPES = {part.one: _shape(part.fields) for kind in KINDS for part in kind.parts}


def _check_values(shape: _Shape, values: Sequence[Any]) -> None:
    """Raises Bad (with ``field`` set) for the first value that is not good."""
    fields = shape.fields
    if tuple(map(type, values)) in shape.good_types:
        for n in shape.texts:
            if values[n] is not None and len(values[n]) > LONGEST_TEXT:
                raise Bad(f"must be at most {LONGEST_TEXT} characters", field=fields[n].name)
            if values[n] is not None and not storable(values[n]):
                raise Bad(UNSTORABLE, field=fields[n].name)
        places: Iterable[int] = shape.still
    else:
        places = range(len(fields))
    for n in places:
        field, value = fields[n], values[n]
        if value is None:
            if field.optional:
                continue
            raise Bad("is missing", field=field.name)
        try:
            field.check(value)
        except ValueError as exc:
            raise Bad(str(exc), field=field.name) from None


def check_record(kind: Kind, values: Sequence[Any]) -> Record:
    """``values`` (id, machine, fields..., parts...) as a record; Bad says what is wrong.

    ``machine`` may be None here (the sync file's own); the parts are lists of
    lists, as JSON has them."""
    if len(values) != kind.width:
        raise Bad(f"has {len(values)} values, not {kind.width}", kind=kind.name)
    ident = values[0]
    try:
        _ident(ident)
    except ValueError as exc:
        raise Bad(str(exc), kind=kind.name, field="id") from None
    machine = values[1]
    if machine is not None:
        try:
            _ident(machine)
        except ValueError as exc:
            raise Bad(str(exc), kind=kind.name, item=ident, field="machine") from None
    n = len(kind.fields)
    head = values[2:2 + n]
    try:
        _check_values(_SHAPES[kind.name], head)
        parts = tuple(_check_part(part, rows)
                      for part, rows in zip(kind.parts, values[2 + n:], strict=True))
    except Bad as exc:
        exc.kind, exc.item = kind.name, str(ident)
        raise
    return (ident, machine, *head, *parts)


def _check_part(part: Part, rows: Any) -> tuple[Row, ...]:
    if not isinstance(rows, (list, tuple)):
        raise Bad(f"must be a list, not {quoted(rows)}", field=part.name)
    shape = _PART_SHAPES[part.one]
    width = len(part.fields)
    checked = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, (list, tuple)) or len(row) != width:
            raise Bad(f"must be a list of {width} values", field=f"{part.name} {n}")
        try:
            _check_values(shape, row)
        except Bad as exc:
            raise Bad(exc.reason, field=f"{part.name} {n}, {exc.field}") from None
        checked.append(tuple(row))
    for key in part.unique:
        places = part.places(key)
        seen: set[tuple[Any, ...]] = set()
        for n, row in enumerate(checked, 1):
            values = tuple(row[p] for p in places)
            if values in seen:
                said = " and ".join(f"{name} {quoted(v)}" for name, v in zip(key, values,
                                                                            strict=True))
                raise Bad(f"{said} is listed twice in one record", field=f"{part.name} {n}")
            seen.add(values)
    return tuple(checked)


def _keys_good(part: Part, lists: Sequence[Any]) -> bool:
    """Whether no record's rows of ``part`` share a key (see Part.unique)."""
    for key in part.unique:
        values_of = itemgetter(*part.places(key))  # at C speed, a record at a time
        for rows in lists:
            if len(rows) > 1 and len(set(map(values_of, rows))) != len(rows):
                return False
    return True


def check_records(kind: Kind, rows: Sequence[list[Any]]) -> tuple[list[Record],
                                                                  list[tuple[int, Bad]]]:
    """Many records at once (each as ``check_record`` takes it): the good ones, and
    (place in ``rows``, what is wrong) for each bad one.  Checked a column at a
    time while all is well, which is what makes a first merge of a long
    history quick; one record at a time once something is not."""
    width, n = kind.width, len(kind.fields)
    if rows and set(map(len, rows)) == {width} and all(
            _column_good(check, column, optional) for check, column, optional in zip(
                [_ident, _ident] + [f.check for f in kind.fields],
                list(zip(*rows, strict=True))[:2 + n],
                [False, True] + [f.optional for f in kind.fields], strict=True)):
        parted = [_parts_good(part, lists) and _keys_good(part, lists)
                  for p, part in enumerate(kind.parts)
                  for lists in [[row[2 + n + p] for row in rows]]]
        if all(parted):  # as they are: their parts' rows stay lists (see frozen)
            return [tuple(row) for row in rows], []
    good: list[Record] = []
    bad: list[tuple[int, Bad]] = []
    for place, row in enumerate(rows):
        try:
            good.append(check_record(kind, row))
        except Bad as exc:
            bad.append((place, exc))
    return good, bad


AHEAD = 86400.0  # seconds a machine's clock may be ahead of this one's


def ahead(kind: Kind, records: Sequence[Record], now: float) -> list[tuple[int, Bad]]:
    """(place, why) for each of ``records`` dated more than a day after ``now``:
    no machine recorded it yet (its clock is wrong, or the file was made up),
    and taken in it would stand as the latest of all, in streaks too."""
    day_at, time_at = kind.place("day"), kind.place(kind.fields[1].name)  # started_at, at
    latest = now + AHEAD
    latest_day = date.fromtimestamp(min(latest, LATEST)).isoformat()
    return [(place, Bad(f"is dated {record[day_at]}, more than a day ahead of this "
                        "machine's clock", kind=kind.name, item=record[0]))
            for place, record in enumerate(records)
            if record[day_at] > latest_day or record[time_at] > latest]


def _set_aside_ahead(kind: Kind, good: list[Record], places: list[Any],
                     now: float | None) -> list[tuple[Any, Bad]]:
    """Takes the records ``ahead`` out of ``good`` (and their ``places``); returns
    them as (place, why)."""
    if now is None or not good:
        return []
    late = ahead(kind, good, now)
    if late:
        out = {n for n, _ in late}
        found = [(places[n], exc) for n, exc in late]
        good[:] = [r for n, r in enumerate(good) if n not in out]
        places[:] = [p for n, p in enumerate(places) if n not in out]
        return found
    return []


def frozen(kind: Kind, record: Record) -> Record:
    """``record`` with its parts' rows as tuples, as read from SQLite, to compare."""
    n = 2 + len(kind.fields)
    return (*record[:n], *(tuple(map(tuple, rows)) for rows in record[n:]))


def _parts_good(part: Part, lists: Sequence[Any]) -> bool:
    """Whether every row of ``part`` in every record is good, by column."""
    if set(map(type, lists)) - {list, tuple}:
        return False
    rows = [row for rows in lists for row in rows]
    if not rows:
        return True
    if set(map(type, rows)) - {list, tuple} or set(map(len, rows)) != {len(part.fields)}:
        return False
    return all(_column_good(f.check, column, f.optional)
               for f, column in zip(part.fields, zip(*rows, strict=True), strict=True))


# -- a batch of records --------------------------------------------------------------

class Batch(NamedTuple):
    """Records read from one file, by kind, with what the file said of its machines."""

    records: dict[str, list[Record]]  # kind name -> records, in the file's order
    machines: dict[str, str]  # machine id -> its name
    problems: list[str]  # lines skipped, each "FILE:LINE: why"

    @classmethod
    def empty(cls) -> Batch:
        return cls({kind.name: [] for kind in KINDS}, {}, [])

    def size(self) -> int:
        return sum(len(found) for found in self.records.values())


# -- sync files --------------------------------------------------------------------

SYNC_PREFIX, SYNC_SUFFIX = "psoas-", ".jsonl"


def sync_name(machine: str) -> str:
    return f"{SYNC_PREFIX}{machine}{SYNC_SUFFIX}"


def sync_header(machine: str, name: str) -> bytes:
    return _line({"psoas": SYNC, "version": VERSION, "machine": machine, "name": name})


def sync_lines(records: Mapping[str, Sequence[Record]], machine: str,
               names: Mapping[str, str], wrote: float) -> bytes:
    """The lines that add ``records`` to the sync file of ``machine``: the names of
    the other machines among them, the records (their own machine's id left out),
    and when they were written."""
    others = {r[1] for found in records.values() for r in found if r[1] != machine}
    out = []
    if others:
        out.append(_line({"machines": {m: names.get(m, "") for m in sorted(others)}}))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for kind in KINDS:
        for record in records.get(kind.name, ()):
            values = [kind.name, record[0], None if record[1] == machine else record[1],
                      *record[2:2 + len(kind.fields)],
                      *([list(row) for row in rows] for rows in record[2 + len(kind.fields):])]
            out.append((dumps(values) + "\n").encode("utf-8"))
    out.append(_line({"wrote": wrote}))
    return b"".join(out)


def _line(data: Mapping[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class Header(NamedTuple):
    machine: str
    name: str
    version: int


def read_header(line: bytes) -> Header | None:
    """The header of a sync file, from its first line; None if it is not one.
    A newer version is returned as it is: the caller leaves the file alone."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("psoas") != SYNC:
        return None
    version, machine, name = data.get("version"), data.get("machine"), data.get("name", "")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return None
    if version > VERSION:
        return Header(str(machine), str(name), version)
    try:
        return Header(_ident(machine), _text(name), version)
    except ValueError:
        return None


class Chunk(NamedTuple):
    """What a read of part of a sync file found."""

    batch: Batch
    used: int  # bytes read as whole lines (a last line cut short is left)
    lines: int  # ... and how many lines
    wrote: float | None  # the last "wrote" mark seen


def _no_constant(word: str) -> float:
    raise ValueError(f"{word} is not a number psoas writes")


_loads = json.JSONDecoder(parse_constant=_no_constant).decode


@contextmanager
def no_collection() -> Iterator[None]:
    """The garbage collector paused: reading a long history makes millions of
    objects, none of them garbage, and each of its passes would look at all of
    them (tuples from 10,000 records took 140 ms with it, 5 ms without)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_sync(data: bytes, machine: str, *, where: str, first_line: int = 1,
              now: float | None = None) -> Chunk:
    """The records in ``data``: lines of a sync file from line ``first_line``,
    the header already read (``machine`` is its machine).  ``where`` names the
    file in problems; a record dated more than a day after ``now`` is one."""
    with no_collection():
        return _read_sync(data, machine, where=where, first_line=first_line, now=now)


def _read_sync(data: bytes, machine: str, *, where: str, first_line: int,
               now: float | None) -> Chunk:
    batch = Batch.empty()
    wrote = None
    end = data.rfind(b"\n") + 1  # a last line without its newline is not read yet
    lines = data[:end].split(b"\n")
    lines.pop()  # the empty text after the last newline
    raw_rows: dict[str, list[list[Any]]] = {kind.name: [] for kind in KINDS}
    numbers: dict[str, list[int]] = {kind.name: [] for kind in KINDS}
    try:  # all the lines as one JSON document: one call at C speed
        values: list[Any] = _loads("[" + b",".join(lines).decode("utf-8") + "]")
        if len(values) != len(lines):
            raise ValueError("a line with more than one value")  # '1,2' is two
    except (UnicodeDecodeError, ValueError, RecursionError):
        values = [_one_line(raw) for raw in lines]  # ...else line by line, to name them
    for number, (raw, value) in enumerate(zip(lines, values, strict=True), first_line):
        if value is _BROKEN:
            if raw.strip():
                batch.problems.append(f"{where}:{number}: not a line psoas wrote"
                                      f" ({_sample(raw)})")
            continue
        if isinstance(value, list):
            kind = BY_NAME.get(value[0]) if value and isinstance(value[0], str) else None
            if kind is None:
                batch.problems.append(f"{where}:{number}: not a kind of record psoas knows"
                                      f" ({_sample(raw)})")
                continue
            if len(value) > 2 and value[2] is None:
                value[2] = machine  # the file's own
            raw_rows[kind.name].append(value[1:])
            numbers[kind.name].append(number)
        elif isinstance(value, dict):
            if isinstance(value.get("wrote"), (int, float)) and not isinstance(
                    value["wrote"], bool):
                wrote = float(value["wrote"])
            names = value.get("machines")
            if isinstance(names, dict):
                batch.machines.update({k: v for k, v in names.items()
                                       if isinstance(k, str) and _ID.fullmatch(k)
                                       and v and _passes(_text, v)})
            # A header again (a file appended to another), or a mark a newer psoas
            # adds: nothing to merge.
        else:
            batch.problems.append(f"{where}:{number}: not a line psoas wrote ({_sample(raw)})")
    for kind in KINDS:
        good, bad = check_records(kind, raw_rows[kind.name])
        lines_of = numbers[kind.name]
        if bad:
            out = {place for place, _ in bad}
            lines_of = [n for place, n in enumerate(lines_of) if place not in out]
        bad = [(numbers[kind.name][place], exc) for place, exc in bad]
        bad += _set_aside_ahead(kind, good, lines_of, now)
        batch.records[kind.name] = good
        for number, exc in bad:
            exc.where = f"{where}:{number}"
            batch.problems.append(str(exc))
    batch.problems.sort(key=_line_number)
    return Chunk(batch, end, len(lines), wrote)


_BROKEN = object()  # a line that is not JSON


def _one_line(raw: bytes) -> Any:
    try:
        return _loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _BROKEN


def _line_number(problem: str) -> int:
    found = re.match(r"[^:]*:(\d+):", problem)
    return int(found.group(1)) if found else 0


def _sample(raw: bytes) -> str:
    return quoted(clip(raw.decode("utf-8", "replace"), 40))


# -- JSON exports ----------------------------------------------------------------------

def dump_json(records: Mapping[str, Sequence[Record]], machines: Mapping[str, str]) -> str:
    """An export as one JSON document; the same history always gives the same text."""
    return "".join(json_chunks(machines, lambda kind: records.get(kind.name, ())))


CHUNK_RECORDS = 1000  # records written out at a time: a long export is never held whole


def json_chunks(machines: Mapping[str, str],
                records_of: Callable[[Kind], Iterable[Record]]) -> Iterator[str]:
    """``dump_json``'s text, a piece at a time, the records of each kind taken from
    ``records_of`` as they are written: the text ``json.dumps(document,
    ensure_ascii=False, indent=1)`` gives of the whole, to the byte."""
    head: dict[str, Any] = {"psoas": EXPORT, "version": VERSION,
                            "machines": {m: {"name": machines[m]} for m in sorted(machines)}}
    text = json.dumps(head, ensure_ascii=False, indent=1)
    yield json_safe(text[:-2])  # all but the closing "\n}"
    encode = json.JSONEncoder(ensure_ascii=False, indent=1).encode
    for kind in KINDS:
        out = [f',\n "{kind.plural}": [']
        first = True
        for record in records_of(kind):
            # Indented as an element of a list in the document, as json.dumps does.
            out.append(("\n  " if first else ",\n  ")
                       + encode(_as_object(kind, record)).replace("\n", "\n  "))
            first = False
            if len(out) >= CHUNK_RECORDS:
                yield json_safe("".join(out))
                out = []
        out.append("]" if first else "\n ]")
        yield json_safe("".join(out))
    yield "\n}\n"


def _as_object(kind: Kind, record: Record) -> dict[str, Any]:
    n = len(kind.fields)
    data: dict[str, Any] = {"id": record[0], "machine": record[1]}
    data.update(zip((f.name for f in kind.fields), record[2:2 + n], strict=True))
    for part, rows in zip(kind.parts, record[2 + n:], strict=True):
        names = [f.name for f in part.fields]
        data[part.name] = [dict(zip(names, row, strict=True)) for row in rows]
    return data


def _not_json(exc: ValueError) -> str:
    """Why the JSON decoder refused a text, in words: for a number of more
    than 4,300 digits, Python's own message names its internals."""
    if "integer string conversion" in str(exc):
        return "not JSON psoas can read: a number with too many digits"
    return f"not JSON: {exc}"


def read_json(text: str, *, where: str, now: float | None = None) -> Batch:
    """An export written by ``dump_json``: its good records, and a problem for
    each bad one (set aside: a record dated more than a day after ``now`` is
    one); Bad when the file itself is not one."""
    try:
        document = _loads(text.lstrip("\ufeff"))
    except ValueError as exc:
        raise Bad(_not_json(exc), where=where) from None
    except RecursionError:
        raise Bad("not JSON psoas wrote: nested too deeply", where=where) from None
    if not isinstance(document, dict) or document.get("psoas") != EXPORT:
        raise Bad('not a psoas export (no "psoas": "export")', where=where)
    _check_version(document.get("version"), where)
    batch = Batch.empty()
    machines = document.get("machines", {})
    if not isinstance(machines, dict):
        raise Bad("'machines' must be an object", where=where)
    for ident, about in machines.items():
        name = about.get("name") if isinstance(about, dict) else None
        if not _ID.fullmatch(ident) or not isinstance(name, str) or not _passes(_text, name):
            raise Bad("must be an id with a name", kind="machine", item=ident, where=where)
        batch.machines[ident] = name
    for key, items in document.items():
        if key in ("psoas", "version", "machines"):
            continue
        kind = BY_PLURAL.get(key)
        if kind is None:
            raise Bad(f"'{clip(key, 40)}' is not a kind of record psoas knows", where=where)
        if not isinstance(items, list):
            raise Bad(f"'{key}' must be a list", where=where)
        good: list[Record] = []
        places: list[int] = []
        bad: list[tuple[int, Bad]] = []
        for n, item in enumerate(items, 1):
            try:
                good.append(_from_object(kind, item))
                places.append(n)
            except Bad as exc:
                bad.append((n, exc))
        bad += _set_aside_ahead(kind, good, places, now)
        batch.records[kind.name].extend(good)
        for n, why in sorted(bad, key=lambda b: b[0]):
            why.where = f"{where}: {kind.plural} {n}"
            batch.problems.append(str(why))
    return batch


def _from_object(kind: Kind, item: Any) -> Record:
    if not isinstance(item, dict):
        raise Bad("must be an object", kind=kind.name)
    names = ["id", "machine", *(f.name for f in kind.fields), *(p.name for p in kind.parts)]
    unknown = set(item) - set(names)
    if unknown:
        raise Bad(f"has an unknown field '{clip(sorted(unknown)[0], 40)}'", kind=kind.name,
                  item=str(item.get("id", "")))
    values: list[Any] = [item.get(name) for name in names[:2 + len(kind.fields)]]
    for part in kind.parts:
        rows = item.get(part.name, [])
        if not isinstance(rows, list):
            raise Bad("must be a list", kind=kind.name, item=str(item.get("id", "")),
                      field=part.name)
        keys = [f.name for f in part.fields]
        listed = []
        for row in rows:
            if not isinstance(row, dict) or set(row) - set(keys):
                raise Bad(f"each must be an object of {', '.join(keys)}", kind=kind.name,
                          item=str(item.get("id", "")), field=part.name)
            listed.append([row.get(k) for k in keys])
        values.append(listed)
    record = check_record(kind, values)
    if record[1] is None:
        raise Bad("is missing", kind=kind.name, item=record[0], field="machine")
    return record


def _check_version(version: Any, where: str) -> None:
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise Bad(f"has no version psoas knows ({quoted(version)})", where=where)
    if version > VERSION:
        raise Bad(f"was written by a newer psoas (version {version}; this one reads up to "
                  f"{VERSION}): upgrade psoas to import it", where=where)


# -- CSV exports -------------------------------------------------------------------------

def csv_columns() -> list[str]:
    """The columns of the CSV export: kind, id, machine, then every field of every
    kind and part, each name once (a stretch's ``session`` is its session's id)."""
    columns = ["kind", "id", "machine"]
    for kind in KINDS:
        for name in [f.name for f in kind.fields] + [
                name for part in kind.parts for name in
                [kind.name, *(f.name for f in part.fields)]]:
            if name not in columns:
                columns.append(name)
    columns += [c for c in ("name", "version") if c not in columns]
    return columns


# A cell a spreadsheet would read as a formula gets a ' in front (and so does
# one that starts with ', so that the mark can always be taken off again).
_FORMULA = ("=", "+", "-", "@", "\t", "\r", "'")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def dump_csv(records: Mapping[str, Sequence[Record]], machines: Mapping[str, str], *,
             shown: Callable[[str], str] | None = None) -> str:
    """An export as one CSV table: a row per record and per part's row, with the
    kind first; the first row says what it is, then the machines' names.  Each
    cell exactly as stored, or as ``shown`` makes it (for a terminal: control
    characters as text)."""
    return "".join(csv_chunks(machines, lambda kind: records.get(kind.name, ()), shown=shown))


def csv_chunks(machines: Mapping[str, str], records_of: Callable[[Kind], Iterable[Record]], *,
               shown: Callable[[str], str] | None = None) -> Iterator[str]:
    """``dump_csv``'s text, a piece at a time, the records of each kind taken from
    ``records_of`` as they are written."""
    columns = csv_columns()
    place = {name: n for n, name in enumerate(columns)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)

    def row(**cells: Any) -> None:
        line = [""] * len(columns)
        for name, value in cells.items():
            line[place[name]] = _cell(value) if shown is None else shown(_cell(value))
        writer.writerow(line)

    row(kind="psoas", id=EXPORT, version=VERSION)
    for ident in sorted(machines):
        row(kind="machine", id=ident, name=machines[ident])
    for kind in KINDS:
        n = len(kind.fields)
        for number, record in enumerate(records_of(kind), 1):
            row(kind=kind.name, id=record[0], machine=record[1],
                **dict(zip((f.name for f in kind.fields), record[2:2 + n], strict=True)))
            for part, rows in zip(kind.parts, record[2 + n:], strict=True):
                for values in rows:
                    row(kind=part.one, **{kind.name: record[0]},
                        **dict(zip((f.name for f in part.fields), values, strict=True)))
            if number % CHUNK_RECORDS == 0:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
    yield out.getvalue()


def _from_cell(field: Field, text: str) -> Any:
    if text == "":
        return None
    check = field.check
    if check in (_time, _seconds):
        if not re.fullmatch(r"[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?", text):
            raise Bad(f"must be a number, not {quoted(text)}", field=field.name)
        return float(text)
    if check in (_whole, _rating, _flag):
        if not re.fullmatch(r"[0-9]{1,7}", text):
            raise Bad(f"must be a whole number, not {quoted(text)}", field=field.name)
        return int(text)
    if text.startswith("'") and text[1:].startswith(_FORMULA):
        return text[1:]
    return text


def read_csv(text: str, *, where: str, now: float | None = None) -> Batch:
    """An export written by ``dump_csv`` (as a spreadsheet may save it again: its
    columns in any order, rows of other kinds after the ones they belong to are
    fine): its good records, and a problem for each bad one (set aside, with
    its rows; see read_json); Bad when the file itself is not one."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise Bad(f"not CSV: {exc or 'empty'}", where=where) from None
    place = {name: n for n, name in enumerate(header)}
    missing = [c for c in ("kind", "id") if c not in place]
    if missing:
        raise Bad(f"has no '{missing[0]}' column: not a psoas export", where=where)
    batch = Batch.empty()
    records: dict[str, dict[str, tuple[list[Any], str]]] = {kind.name: {} for kind in KINDS}
    aside: dict[str, set[str]] = {kind.name: set() for kind in KINDS}  # bad records' ids
    problems: list[tuple[int, Bad]] = []
    version_seen = False
    number = 1
    try:
        for number, cells in enumerate(reader, 2):
            if not any(cells):
                continue
            here = f"{where}:{number}"

            def get(name: str, cells: list[str] = cells) -> str:
                n = place.get(name)
                return cells[n] if n is not None and n < len(cells) else ""

            kind_name = get("kind")
            if kind_name == "psoas":
                if get("id") != EXPORT:
                    raise Bad("not a psoas export", where=here)
                version = get("version")
                _check_version(int(version) if version.isdigit() else version, here)
                version_seen = True
            elif kind_name == "machine":
                ident, name = get("id"), _from_cell(Field("name", _text), get("name")) or ""
                if not _ID.fullmatch(ident) or not _passes(_text, name):
                    raise Bad("must have an id", kind="machine", item=ident, where=here)
                batch.machines[ident] = name
            elif kind_name in BY_NAME:
                kind = BY_NAME[kind_name]
                ident = get("id")
                if ident in records[kind.name] or ident in aside[kind.name]:
                    raise Bad("is listed twice", kind=kind.name, item=ident, where=here)
                try:
                    values = [ident, get("machine") or None,
                              *(_from_cell(f, get(f.name)) for f in kind.fields)]
                except Bad as exc:
                    exc.kind, exc.item, exc.where = kind.name, ident, here
                    problems.append((number, exc))
                    aside[kind.name].add(ident)
                    continue
                records[kind.name][ident] = (values + [[] for _ in kind.parts], here)
            elif kind_name in PARTS:
                kind, part = PARTS[kind_name]
                parent = get(kind.name)
                if parent in aside[kind.name]:
                    continue  # a row of a record set aside
                found = records[kind.name].get(parent)
                if found is None:
                    raise Bad(f"names no {kind.name} listed above it ({kind.name} "
                              f"{quoted(parent)})", kind=part.one, where=here)
                try:
                    row = [_from_cell(f, get(f.name)) for f in part.fields]
                except Bad as exc:
                    exc.kind, exc.item, exc.where = kind.name, parent, here
                    exc.field = f"{part.one} {exc.field}".strip()
                    problems.append((number, exc))
                    aside[kind.name].add(parent)
                    del records[kind.name][parent]
                    continue
                found[0][2 + len(kind.fields) + kind.parts.index(part)].append(row)
            else:
                raise Bad(f"is not a kind of row psoas knows ({quoted(clip(kind_name, 40))})",
                          where=here)
    except csv.Error as exc:
        raise Bad(f"not CSV: {exc}", where=f"{where}:{number}") from None
    if not version_seen:
        raise Bad("has no 'psoas,export' row: not a psoas export", where=where)
    for kind in KINDS:
        good: list[Record] = []
        places: list[str] = []
        for values, here in records[kind.name].values():
            try:
                record = check_record(kind, values)
                if record[1] is None:
                    raise Bad("is missing", kind=kind.name, item=record[0], field="machine")
            except Bad as exc:
                exc.where = here
                problems.append((int(here.rsplit(":", 1)[1]), exc))
                continue
            good.append(record)
            places.append(here)
        for here, why in _set_aside_ahead(kind, good, places, now):
            why.where = here
            problems.append((int(here.rsplit(":", 1)[1]), why))
        batch.records[kind.name].extend(good)
    batch.problems.extend(str(why) for _, why in sorted(problems, key=lambda p: p[0]))
    return batch


# -- reading any of them -------------------------------------------------------------

def read_any(data: bytes, *, where: str, now: float | None = None) -> tuple[str, Batch]:
    """An export (JSON or CSV) or a sync file, told apart by how it begins:
    ("json" | "csv" | "sync", its records; the bad ones, set aside, are its
    problems).  Bad for anything else."""
    form, rounds = read_in_rounds(data, where=where, now=now)
    whole = Batch.empty()
    for batch in rounds:
        for kind in KINDS:
            whole.records[kind.name].extend(batch.records[kind.name])
        for ident, name in batch.machines.items():
            whole.machines.setdefault(ident, name)
        whole.problems.extend(batch.problems)
    return form, whole


ROUND_BYTES = 8 * 1024 * 1024  # of a sync file's lines, read into records at a time


def read_in_rounds(data: bytes, *, where: str, now: float | None = None,
                   ) -> tuple[str, Iterator[Batch]]:
    """``read_any``'s form, and its records as batches: a sync file's a round of
    ROUND_BYTES of lines at a time, as they are taken (a long file is never
    held whole as records); an export's in one.  Bad (at once) for a file
    that is none of them."""
    _check_utf8(data, where)  # as a whole, yet never all of it held as text
    begins = data[:1 << 16].lstrip(b" \t\r\n").removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if begins.startswith(b"{"):
        header = read_header(begins.split(b"\n", 1)[0])
        if header is not None:
            if header.version > VERSION:
                raise Bad(f"was written by a newer psoas (version {header.version}; this one "
                          f"reads up to {VERSION}): upgrade psoas to import it", where=where)
            del begins
            body = data.index(b"\n") + 1 if b"\n" in data else len(data)
            return SYNC, _sync_rounds(data, body, header, where, now)
    text = data.decode("utf-8")
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("{"):
        return "json", iter((read_json(text, where=where, now=now),))
    if start.startswith("kind,") or start.startswith('"kind",'):
        return "csv", iter((read_csv(text, where=where, now=now),))
    raise Bad("not a psoas export or sync file (JSON, CSV or psoas-*.jsonl)", where=where)


def _check_utf8(data: bytes, where: str) -> None:
    """Bad unless ``data`` is UTF-8, checked a few MB at a time (cut at a newline,
    which is never inside a character)."""
    offset = 0
    while offset < len(data):
        end = data.find(b"\n", offset + ROUND_BYTES)
        end = len(data) if end < 0 else end + 1
        try:
            data[offset:end].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Bad(f"not UTF-8 text (byte {offset + exc.start + 1})", where=where) from None
        offset = end


def _sync_rounds(data: bytes, offset: int, header: Header, where: str,
                 now: float | None) -> Iterator[Batch]:
    line = 2
    while offset < len(data):
        end = data.find(b"\n", offset + ROUND_BYTES)
        end = len(data) if end < 0 else end + 1
        chunk = read_sync(data[offset:end], header.machine, where=where, first_line=line,
                          now=now)
        chunk.batch.machines.setdefault(header.machine, header.name)
        for kind in KINDS:
            found = chunk.batch.records[kind.name]
            found[:] = [frozen(kind, r) for r in found]
        used, lines = chunk.used, chunk.lines
        yield chunk.batch
        del chunk  # not held while the next round is read
        if not used:
            return  # a last line not whole: left out
        offset += used
        line += lines


def records_of(batch: Batch) -> Iterator[tuple[Kind, Record]]:
    for kind in KINDS:
        for record in batch.records.get(kind.name, ()):
            yield kind, record
