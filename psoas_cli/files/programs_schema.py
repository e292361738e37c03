"""Reading programs from YAML: safe parsing and strict validation.

Only needed when the programs are not in the cache (datafiles.py).  A
program names routines and stretches, so it is checked against the
catalogue and the routines in use: every error is one line naming the
file, the line, the program and the field, as the routines file's are.
"""

from __future__ import annotations

import re
from typing import Any

from psoas_cli import limits
from psoas_cli.errors import LookupFailed, ProgramError
from psoas_cli.files import yamlfile
from psoas_cli.files.yamlfile import REQUIRED, Invalid
from psoas_cli.model import levels
from psoas_cli.model.catalogue import Catalogue, Stretch
from psoas_cli.model.programs import (
    DAYS,
    RESERVED,
    REST,
    Deload,
    Program,
    SessionKind,
    Variation,
    Week,
)
from psoas_cli.model.routines import Routine
from psoas_cli.text import close_matches, either, kind, shown

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EARLIEST_UNLOCK = 3  # variations unlock after two full weeks at the earliest


def parse(path: str, catalogue: Catalogue, routines: dict[str, Routine], *,
          unavailable: dict[str, str] | None = None, own: bool = False) -> dict[str, Program]:
    """Read and validate the programs in the YAML file at ``path``.

    With ``unavailable`` (psoas's own file), a program the catalogue or the
    routines in use can't play is left out, and why is put in
    ``unavailable`` under its name: the user never wrote that file.
    """
    return from_document(yamlfile.load(path, ProgramError), catalogue, routines,
                         unavailable=unavailable, own=own)


def from_document(doc: yamlfile.Document, catalogue: Catalogue,
                  routines: dict[str, Routine], *, unavailable: dict[str, str] | None = None,
                  own: bool = False) -> dict[str, Program]:
    if doc.data is None:
        raise ProgramError("the file is empty; it needs a 'programs:' mapping", path=doc.path)
    top = yamlfile.check_fields(doc, doc.data, _TOP_FIELDS, ProgramError, what="programs file")
    found: dict[str, Program] = {}
    for key, body in top["programs"].items():
        name = _name(doc, top["programs"], key)
        checker = _Checker(doc, top["programs"], name, catalogue, routines)
        if unavailable is None:
            found[name] = checker.program(body, own)
            continue
        missing = _missing(body, catalogue, routines)
        if missing:
            unavailable[name] = missing
            continue
        try:
            found[name] = checker.program(body, own)
        except ProgramError as exc:
            unavailable[name] = f"doesn't fit the stretches and routines in use: {exc.message}"
    return found


def _missing(body: Any, catalogue: Catalogue, routines: dict[str, Routine]) -> str:
    """Why a built-in program can't be offered: the stretches or routines it
    names by their exact names that are not there; "" when all are."""
    if not isinstance(body, dict):
        return ""
    stretches = [name for name in body.get("focus") or () if isinstance(name, str)]
    for entry in body.get("variations") or ():
        if isinstance(entry, dict):
            stretches += [entry[k] for k in ("stretch", "instead_of", "after")
                          if isinstance(entry.get(k), str)]
    gone = list(dict.fromkeys(n for n in stretches if catalogue.named(n) is None))
    if gone:
        return "needs stretches this catalogue doesn't have: " + ", ".join(gone)
    sessions = body.get("sessions")
    names = [s.get("routine") for s in sessions.values() if isinstance(s, dict)] \
        if isinstance(sessions, dict) else []
    absent = list(dict.fromkeys(n for n in names if isinstance(n, str) and n not in routines))
    if absent:
        return "needs routines that can't be played here: " + ", ".join(absent)
    return ""


def _name(doc: yamlfile.Document, parent: dict[Any, Any], key: Any) -> str:
    if isinstance(key, str):
        return key
    name = shown(key)
    if isinstance(key, bool) or not isinstance(key, int):
        raise ProgramError(f"a program name is lowercase letters, digits and hyphens, not "
                           f"{kind(key)}; put it in quotes", path=doc.path,
                           line=doc.where(parent).of(name), item=name)
    return name


def _program_map(value: Any) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid("must map program names to programs")
    return value


_TOP_FIELDS = {
    "version": (yamlfile.version_one("programs"), 1),
    "programs": (_program_map, REQUIRED),
}


def _short(most: int) -> yamlfile.Converter:
    def convert(value: Any) -> str:
        text = yamlfile.text(value)
        if len(text) > most:
            raise Invalid(f"must be at most {most} characters, not {len(text)}")
        return text

    return convert


def _mapping(what: str) -> yamlfile.Converter:
    def convert(value: Any) -> dict[Any, Any]:
        if not isinstance(value, dict) or not value:
            raise Invalid(f"must be a mapping of {what}, not {kind(value)}")
        return value

    return convert


def _list(what: str, *, empty: bool = False) -> yamlfile.Converter:
    def convert(value: Any) -> list[Any]:
        if value is None and empty:
            return []
        if not isinstance(value, list) or (not value and not empty):
            raise Invalid(f"must be a {'' if empty else 'non-empty '}list of {what}, "
                          f"not {kind(value)}")
        return value

    return convert


def _hold(value: Any) -> int:
    return int(yamlfile.bounded(value, limits.PROGRAM_HOLD))


def _week_number(value: Any) -> int:
    return int(yamlfile.bounded(value, limits.Bound(1, limits.PROGRAM_WEEKS, whole=True)))


_PROGRAM_FIELDS = {
    "title": (_short(limits.PROGRAM_TITLE), REQUIRED),
    "description": (yamlfile.text, ""),
    "sessions": (_mapping("session keys to a routine and a label"), REQUIRED),
    "remind": (yamlfile.text, ""),
    "focus": (yamlfile.text_list, ()),
    "weeks": (_list("weeks"), REQUIRED),
    "final_test": (yamlfile.flag, False),
    "deload": (_mapping("days, level and hold"), None),
    "variations": (_list("variations", empty=True), []),
}
_SESSION_FIELDS = {
    "routine": (yamlfile.text, REQUIRED),
    "label": (_short(limits.PROGRAM_LABEL), REQUIRED),
}
_WEEK_FIELDS: dict[str, tuple[yamlfile.Converter, Any]] = {
    "days": (lambda value: value, REQUIRED),  # checked in _days, which knows the sessions
    "hold": (_hold, REQUIRED),
    "level": (yamlfile.choice(levels.NAMES), levels.STANDARD),
    "test": (yamlfile.flag, False),
}
_DELOAD_FIELDS: dict[str, tuple[yamlfile.Converter, Any]] = {
    "days": (lambda value: value, REQUIRED),
    "level": (yamlfile.choice(levels.NAMES), levels.GENTLE),
    "hold": (_hold, None),
}
_VARIATION_FIELDS: dict[str, tuple[yamlfile.Converter, Any]] = {
    "stretch": (yamlfile.text, REQUIRED),
    "instead_of": (yamlfile.text, ""),
    "add_to": (yamlfile.text_list, ()),
    "after": (yamlfile.text, ""),
    "from_week": (_week_number, REQUIRED),
}


class _Checker:
    """Validates one program, pointing each error at its line."""

    def __init__(self, doc: yamlfile.Document, parent: dict[Any, Any], name: str,
                 catalogue: Catalogue, routines: dict[str, Routine]) -> None:
        self.doc = doc
        self.name = name
        self.line = doc.where(parent).of(name)
        self.catalogue = catalogue
        self.routines = routines

    def error(self, message: str, line: int | None = None, field: str | None = None
              ) -> ProgramError:
        return ProgramError(message, path=self.doc.path, line=line or self.line,
                            item=self.name, field=field)

    def program(self, body: Any, own: bool) -> Program:
        if not NAME.match(self.name):
            raise self.error("a program name is lowercase letters, digits and hyphens")
        if self.name in RESERVED:
            raise self.error(f"'{self.name}' is taken by 'psoas program {self.name}'; call "
                             "the program something else")
        fields = yamlfile.check_fields(self.doc, body, _PROGRAM_FIELDS, ProgramError,
                                       item=self.name, what="program", line=self.line)
        where = self.doc.where(body)
        sessions = self._sessions(fields["sessions"])
        keys = [s.key for s in sessions]
        remind = fields["remind"]
        if remind and remind not in keys:
            raise self.error(f"'{shown(remind)}' is not one of this program's sessions "
                             f"({either(keys)})", where.of("remind"), "remind")
        focus = tuple(self._focus(name, where.of("focus")) for name in fields["focus"])
        weeks = self._weeks(fields["weeks"], keys)
        deload = self._deload(fields["deload"], keys) if fields["deload"] is not None else None
        variations = self._variations(fields["variations"], sessions, len(weeks))
        return Program(self.name, fields["title"], fields["description"], sessions, weeks,
                       remind, tuple(dict.fromkeys(focus)), fields["final_test"], deload,
                       variations, own)

    # -- sessions --------------------------------------------------------------------

    def _sessions(self, value: dict[Any, Any]) -> tuple[SessionKind, ...]:
        where = self.doc.where(value)
        sessions = []
        for key, body in value.items():
            line = where.of(str(key))
            if not isinstance(key, str) or not NAME.match(key):
                raise self.error(f"a session key is lowercase letters, digits and hyphens, "
                                 f"not '{shown(key)}'", line, "sessions")
            if key == REST:
                raise self.error("'rest' is the day without a session; call this session "
                                 "something else", line, "sessions")
            fields = yamlfile.check_fields(self.doc, body, _SESSION_FIELDS, ProgramError,
                                           item=self.name, what="session", line=line)
            routine = fields["routine"]
            if routine not in self.routines:
                close = close_matches(routine, self.routines) if len(routine) <= 80 else []
                hint = f"; did you mean {either(close)}?" if close else \
                    "; 'psoas routine' lists them"
                raise self.error(f"session '{key}': no routine called '{shown(routine)}'"
                                 f"{hint}", self.doc.where(body).of("routine"), "sessions")
            sessions.append(SessionKind(key, routine, fields["label"]))
        return tuple(sessions)

    # -- focus -----------------------------------------------------------------------

    def _stretch(self, name: str, line: int, field: str) -> Stretch:
        try:
            return self.catalogue.find(name)
        except LookupFailed as exc:
            raise self.error(str(exc), line, field) from None

    def _focus(self, name: str, line: int) -> str:
        stretch = self._stretch(name, line, "focus")
        problem = ""
        if not stretch.each_side:
            problem = "is not done on each side, so it has no tighter side"
        elif stretch.movement:
            problem = "is a movement: a program never lengthens its holds"
        elif stretch.continuous:
            problem = "moves the whole time: a program never lengthens it"
        elif _named_limb_in_front(stretch):
            problem = ("its side word names the front shin, not the hip it stretches"
                       if stretch.slug == "pigeon" else
                       "its side word names the leg in front, not the hip it stretches")
        if problem:
            raise self.error(f"'{stretch.slug}' can't be in focus: {problem}", line, "focus")
        return stretch.slug

    # -- weeks -----------------------------------------------------------------------

    def _days(self, value: Any, keys: list[str], line: int, what: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.error(f"{what}: days must be a list of 7 session keys or rest, not "
                             f"{kind(value)}", line, "weeks" if what.startswith("week")
                             else "deload")
        field = "weeks" if what.startswith("week") else "deload"
        if len(value) != DAYS:
            raise self.error(f"{what} has {len(value)} days, not {DAYS}", line, field)
        for day in value:
            if day != REST and day not in keys:
                close = close_matches(str(day), [*keys, REST], n=1) if isinstance(day, str) \
                    else []
                hint = f"; did you mean '{close[0]}'?" if close else \
                    f" (sessions: {either([*keys, REST])})"
                raise self.error(f"{what}: '{shown(day)}' is not a session of this program"
                                 f"{hint}", line, field)
        if all(day == REST for day in value):
            raise self.error(f"{what} is all rest: at least one day has a session", line,
                             field)
        return tuple(value)

    def _weeks(self, value: list[Any], keys: list[str]) -> tuple[Week, ...]:
        where = self.doc.where(value)
        if len(value) > limits.PROGRAM_WEEKS:
            raise self.error(f"{len(value)} weeks; a program has at most "
                             f"{limits.PROGRAM_WEEKS}", where.line, "weeks")
        weeks = []
        for number, entry in enumerate(value, 1):
            line = where.of(str(number - 1))
            fields = self._fields(entry, _WEEK_FIELDS, f"week {number}", line, "weeks")
            days_line = self.doc.where(entry).of("days")
            fields["days"] = self._days(fields["days"], keys, days_line, f"week {number}")
            weeks.append(Week(**fields))
        return tuple(weeks)

    def _fields(self, entry: Any, spec: dict[str, tuple[yamlfile.Converter, Any]], what: str,
                line: int, field: str) -> dict[str, Any]:
        """``entry`` checked by ``spec``, its errors naming ``what`` in the message
        and ``field`` (weeks, deload, variations) as the field at fault."""
        if not isinstance(entry, dict):
            raise self.error(f"{what} must be a mapping of fields, not {kind(entry)}", line,
                             field)
        where = self.doc.where(entry)
        try:
            return yamlfile.check_fields(self.doc, entry, spec, ProgramError, item=self.name,
                                         what=what, line=line)
        except ProgramError as exc:
            inner = exc.field or ""
            message = f"{what}, {inner}: {exc.message}" if inner else f"{what}: {exc.message}"
            raise self.error(message, exc.line or where.line, field) from None

    def _deload(self, value: dict[Any, Any], keys: list[str]) -> Deload:
        line = self.doc.where(value).line
        fields = self._fields(value, _DELOAD_FIELDS, "deload", line, "deload")
        fields["days"] = self._days(fields["days"], keys, self.doc.where(value).of("days"),
                                    "the easier week")
        return Deload(**fields)

    # -- variations ------------------------------------------------------------------

    def _variations(self, value: list[Any], sessions: tuple[SessionKind, ...],
                    weeks: int) -> tuple[Variation, ...]:
        where = self.doc.where(value)
        keys = [s.key for s in sessions]
        found: list[Variation] = []
        replaced: dict[str, str] = {}
        for number, entry in enumerate(value, 1):
            line = where.of(str(number - 1))
            what = f"variation {number}"
            fields = self._fields(entry, _VARIATION_FIELDS, what, line, "variations")
            at = self.doc.where(entry)

            def fail(message: str, key: str = "", what: str = what, at: Any = at,
                     line: int = line) -> ProgramError:
                return self.error(f"{what}: {message}", at.of(key) if key else line,
                                  "variations")

            stretch = self._stretch(fields["stretch"], at.of("stretch"), "variations")
            fields["stretch"] = stretch.slug
            if any(v.stretch == stretch.slug for v in found):
                raise fail(f"'{stretch.slug}' is listed twice", "stretch")
            if bool(fields["instead_of"]) == bool(fields["add_to"]):
                raise fail("give either instead_of (the stretch it replaces) or add_to (the "
                           "sessions it is added to)")
            if fields["after"] and not fields["add_to"]:
                raise fail("after goes with add_to: a variation with instead_of takes the "
                           "place of the stretch it replaces", "after")
            if fields["from_week"] < EARLIEST_UNLOCK:
                raise fail(f"from_week {fields['from_week']}: variations unlock after two "
                           f"full weeks at the earliest (week {EARLIEST_UNLOCK})", "from_week")
            if fields["from_week"] > weeks:
                raise fail(f"from_week {fields['from_week']} is past the program's last "
                           f"week ({weeks})", "from_week")
            if fields["instead_of"]:
                basic = self._stretch(fields["instead_of"], at.of("instead_of"), "variations")
                fields["instead_of"] = basic.slug
                self._check_replaces(stretch, basic, sessions, replaced, fail)
                replaced[basic.slug] = stretch.slug
            for key in fields["add_to"]:
                if key not in keys:
                    raise fail(f"add_to: '{shown(key)}' is not one of this program's sessions "
                               f"({either(keys)})", "add_to")
            if fields["after"]:
                fields["after"] = self._stretch(fields["after"], at.of("after"),
                                                "variations").slug
            found.append(Variation(**fields))
        return tuple(found)

    def _check_replaces(self, stretch: Stretch, basic: Stretch,
                        sessions: tuple[SessionKind, ...], replaced: dict[str, str],
                        fail: Any) -> None:
        if basic.slug == stretch.slug:
            raise fail("a stretch can't replace itself", "instead_of")
        if basic.slug in replaced:
            raise fail(f"'{replaced[basic.slug]}' already replaces '{basic.slug}'",
                       "instead_of")
        if not stretch.movement and stretch.each_side != basic.each_side:
            raise fail(f"'{stretch.slug}' is done on "
                       f"{'each side' if stretch.each_side else 'both sides at once'}, "
                       f"'{basic.slug}' "
                       f"{'on each side' if basic.each_side else 'on both at once'}: a "
                       "stretch can only replace one done on the same sides", "instead_of")
        played = {item.stretch.slug for s in sessions for item in
                  self.routines[s.routine].items if not item.optional}
        if basic.slug not in played:
            names = either(sorted({s.routine for s in sessions}))
            raise fail(f"no routine of this program ({names}) plays '{basic.slug}', so "
                       f"'{stretch.slug}' would never be played", "instead_of")


def _named_limb_in_front(stretch: Stretch) -> bool:
    """Whether the limb a side is named by is the one in front (pigeon's "right
    shin across"): its hip is bent, so the hip stretched at the front is the
    other one.  The first part of what the side means says where that limb goes."""
    first = stretch.side_means.split(",")[0]
    return any(word in first for word in ("forward", "in front", "across"))
