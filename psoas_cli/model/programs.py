"""Programs: a practice over weeks, as data (data/programs.yaml, and the user's).

Pure Python: the model and finding a program by name.  Reading one from
YAML, and checking it against the catalogue and the routines in use, is
files/programs_schema.py; loading through the cache is files/datafiles.py;
what a program asks of today is practice/program.py.

A program is a list of weeks of seven *program days* each.  A program day
is not a date: it waits for you (a missed day shifts the program, it
never breaks it).  Each day names a kind of session (a routine and a
label: "desk break") or is a rest day.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from psoas_cli.errors import UnknownName
from psoas_cli.text import close_matches, either, shown

REST = "rest"  # a program day without a session
DAYS = 7  # program days in a week
GENTLE, STANDARD = "gentle", "standard"  # the levels a week may ask (model/levels.py)
# 'psoas program NAME...' words that no program may be called.
RESERVED = ("list", "show", "start", "status", "next", "stop", "resume", "hurt")
DEFAULT = "hips"  # what 'psoas program start' begins


class SessionKind(NamedTuple):
    """A kind of program day: which routine it plays and what it is called."""

    key: str  # as the weeks name it: "desk"
    routine: str  # a routine's name, built in or the user's
    label: str  # on screen: "desk break", "longer session"


class Week(NamedTuple):
    days: tuple[str, ...]  # seven session keys or REST
    hold: int  # seconds each focus stretch gets a side this week, over its holds
    level: str = STANDARD  # the level the routines play at, for all that hold does not set
    test: bool = False  # the self-test is due from the week's first program day


class Deload(NamedTuple):
    """The easier week put in when check-ins ask for one."""

    days: tuple[str, ...]
    level: str = GENTLE
    hold: int | None = None  # None: a step down from the week just done


class Variation(NamedTuple):
    """A deeper stretch or a strength move a program may unlock."""

    stretch: str  # its slug
    instead_of: str = ""  # the basic it replaces wherever a routine has it; or else
    add_to: tuple[str, ...] = ()  # the session keys it is added to,
    after: str = ""  # right after this stretch (at the end when the routine lacks it)
    from_week: int = 3  # the earliest (planned) week it may unlock

    def as_dict(self) -> dict[str, Any]:
        return {"stretch": self.stretch, "instead_of": self.instead_of or None,
                "add_to": list(self.add_to) or None, "after": self.after or None,
                "from_week": self.from_week}


class Program(NamedTuple):
    name: str
    title: str
    description: str
    sessions: tuple[SessionKind, ...]  # in the order listed
    weeks: tuple[Week, ...]
    remind: str = ""  # the session key 'psoas remind' plays while the program runs
    focus: tuple[str, ...] = ()  # slugs of the stretches whose time grows
    final_test: bool = False  # the self-test is due once the last week is done
    deload: Deload | None = None
    variations: tuple[Variation, ...] = ()
    own: bool = False  # from the user's programs.yaml, not psoas's

    def session(self, key: str) -> SessionKind:
        return next(s for s in self.sessions if s.key == key)

    def variation(self, slug: str) -> Variation:
        return next(v for v in self.variations if v.stretch == slug)

    def step_down(self, hold: int) -> int:
        """The largest hold of the program's weeks below ``hold`` (``hold``
        itself when there is none): 60 to 45, 45 to 30, 30 stays 30."""
        return max((w.hold for w in self.weeks if w.hold < hold), default=hold)

    def letters(self) -> dict[str, str]:
        """One letter a session key, for the plan: each key's first letter not
        yet taken, in the order listed, upper case (desk D, easy E...)."""
        taken: dict[str, str] = {}
        for kind in self.sessions:
            letter = next((c.upper() for c in kind.key if c.isalnum()
                           and c.upper() not in taken.values()),
                          str(len(taken) + 1))
            taken[kind.key] = letter
        return taken

    def as_dict(self) -> dict[str, Any]:
        deload = self.deload
        return {
            "name": self.name, "title": self.title, "description": self.description,
            "yours": self.own,
            "sessions": {s.key: {"routine": s.routine, "label": s.label}
                         for s in self.sessions},
            "remind": self.remind or None, "focus": list(self.focus),
            "weeks": [{"days": list(w.days), "hold": w.hold, "level": w.level,
                       "test": w.test} for w in self.weeks],
            "final_test": self.final_test,
            "deload": None if deload is None else {
                "days": list(deload.days), "level": deload.level, "hold": deload.hold},
            "variations": [v.as_dict() for v in self.variations],
        }


class Programs(dict[str, Program]):
    """Programs by name, in the order listed, and the built-in ones the
    catalogue or routines in use can't play: ``unavailable`` maps each of
    their names to why."""

    def __init__(self, found: Iterable[tuple[str, Program]] = (),
                 unavailable: dict[str, str] | None = None) -> None:
        super().__init__(found)
        self.unavailable: dict[str, str] = dict(unavailable or {})


def find(programs: Programs, query: str) -> Program:
    """Exact name, else an unambiguous prefix; otherwise suggest."""
    wanted = query.strip().lower()
    if wanted in programs:
        return programs[wanted]
    matches = [name for name in programs if name.startswith(wanted)]
    if len(matches) == 1:
        return programs[matches[0]]
    named = [name for name in programs.unavailable if name == wanted]
    if named:
        raise UnknownName(f"the built-in program '{named[0]}' "
                          f"{programs.unavailable[named[0]]}")
    close = matches[:5] or (close_matches(wanted, programs) if len(wanted) <= 80 else [])
    hint = f"; did you mean {either(close)}?" if close else "; 'psoas program list' lists them"
    raise UnknownName(f"no program called '{shown(query)}'{hint}", tuple(close))
