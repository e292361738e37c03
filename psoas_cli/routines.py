"""Routines: named lists of stretches with their pauses, built in or the user's.

Pure Python.  Routine files are YAML validated like the catalogue; a user's
routine with the same name as a built-in one replaces it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Iterable

from . import yamlfile
from .catalogue import Catalogue, Stretch, bundled_path
from .errors import LookupFailed, RoutineError, UnknownName
from .yamlfile import REQUIRED, Invalid

ENDS = ("low", "mid", "high")
SIDE_CHOICES = ("left", "right", "both")
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Pauses:
    """Seconds of the breaks a routine puts between holds."""

    ready: float = 10  # get into position, when neither the item nor the stretch says
    switch: float = 5  # change sides
    rest: float = 5  # between reps on the same side


@dataclass(frozen=True)
class Item:
    """One stretch in a routine, with the routine's own overrides."""

    stretch: Stretch
    hold: int | None = None
    reps: int | None = None
    sides: str | None = None  # left, right or both; None means the stretch's own
    setup: float | None = None  # seconds to get into position; None: the stretch's own


@dataclass(frozen=True)
class Routine:
    name: str
    description: str
    holds: str  # which end of each hold range: low, mid or high
    reps: str  # which end of each reps range
    pauses: Pauses
    items: tuple[Item, ...]
    source: str = ""


def bundled_routines_path() -> str:
    return bundled_path("routines.yaml")


def user_routines_path(home: str) -> str:
    return os.path.join(home, "routines.yaml")


def load_all(catalogue: Catalogue, *, home: str | None = None,
             extra: str | None = None) -> dict[str, Routine]:
    """Built-in routines, then the user's file in ``home``, then ``extra``.

    Later files win on a name clash, so a user can redefine ``warmup``.
    """
    routines = load_file(bundled_routines_path(), catalogue)
    if home:
        path = user_routines_path(home)
        if os.path.isfile(path):
            routines.update(load_file(path, catalogue))
    if extra:
        routines.update(load_file(extra, catalogue))
    return routines


def load_file(path: str, catalogue: Catalogue) -> dict[str, Routine]:
    doc = yamlfile.load(path, RoutineError)
    return from_document(doc, catalogue)


def from_document(doc: yamlfile.Document, catalogue: Catalogue) -> dict[str, Routine]:
    if doc.data is None:
        raise RoutineError("the file is empty; it needs a 'routines:' mapping", path=doc.path)
    top = yamlfile.check_fields(doc, doc.data, _TOP_FIELDS, RoutineError, what="routines file")
    found: dict[str, Routine] = {}
    for name, body in top["routines"].items():
        found[name] = _routine(doc, top["routines"], str(name), body, catalogue)
    return found


def find(routines: dict[str, Routine], query: str) -> Routine:
    """Exact name, else an unambiguous prefix; otherwise suggest."""
    wanted = query.strip().lower()
    if wanted in routines:
        return routines[wanted]
    matches = [name for name in routines if name.startswith(wanted)]
    if len(matches) == 1:
        return routines[matches[0]]
    import difflib

    close = matches or difflib.get_close_matches(wanted, list(routines), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    known = ", ".join(routines)
    raise UnknownName(f"no routine called '{query}'{hint} (routines: {known})", query=query,
                      candidates=tuple(close))


def _routine_map(value: Any) -> dict:
    if not isinstance(value, dict) or not value:
        raise Invalid("must map routine names to routines")
    return value


_TOP_FIELDS = {
    "version": (yamlfile.version_one("routines"), 1),
    "routines": (_routine_map, REQUIRED),
}


def _seconds(value: Any) -> float:
    return yamlfile.number(value, least=0)


def _positive_whole(value: Any) -> int:
    return int(yamlfile.number(value, least=1, whole=True))


def _pauses(value: Any) -> Pauses:
    if not isinstance(value, dict):
        raise Invalid("must be a mapping like {ready: 10, switch: 5, rest: 5}")
    unknown = set(value) - {"ready", "switch", "rest"}
    if unknown:
        raise Invalid(f"unknown pause '{sorted(unknown)[0]}' (pauses are ready, switch, rest)")
    try:
        return Pauses(**{k: _seconds(v) for k, v in value.items()})
    except Invalid as exc:
        raise Invalid(f"each pause {exc}") from None


def _items(value: Any) -> list:
    if not isinstance(value, list) or not value:
        raise Invalid("must be a non-empty list of stretches")
    return value


_ROUTINE_FIELDS = {
    "description": (yamlfile.text, ""),
    "holds": (yamlfile.choice(ENDS), "low"),
    "reps": (yamlfile.choice(ENDS), "low"),
    "pauses": (_pauses, Pauses()),
    "items": (_items, REQUIRED),
}

_ITEM_FIELDS = {
    "stretch": (yamlfile.text, REQUIRED),
    "hold": (_positive_whole, None),
    "reps": (_positive_whole, None),
    "sides": (yamlfile.choice(SIDE_CHOICES), None),
    "setup": (_seconds, None),
}


def _routine(doc: yamlfile.Document, parent: dict, name: str, body: Any,
             catalogue: Catalogue) -> Routine:
    line = doc.where(parent).of(name)
    if not NAME.match(name):
        raise RoutineError("a routine name is lowercase letters, digits and hyphens",
                           path=doc.path, line=line, item=name)
    fields = yamlfile.check_fields(doc, body, _ROUTINE_FIELDS, RoutineError, item=name,
                                   what="routine", line=line)
    lines = doc.where(fields["items"])
    items = tuple(
        _item(doc, entry, name, catalogue, lines.of(str(i)))
        for i, entry in enumerate(fields["items"])
    )
    return Routine(name=name, items=items, source=doc.path, **fields_without(fields, "items"))


def fields_without(fields: dict, *names: str) -> dict:
    return {k: v for k, v in fields.items() if k not in names}


def _item(doc: yamlfile.Document, entry: Any, routine: str, catalogue: Catalogue,
          line: int) -> Item:
    sides_line = line
    if isinstance(entry, str):
        entry_fields = {**dict.fromkeys(_ITEM_FIELDS), "stretch": entry}
    else:
        entry_fields = yamlfile.check_fields(doc, entry, _ITEM_FIELDS, RoutineError,
                                             item=routine, what="item", line=line)
        line, sides_line = doc.where(entry).of("stretch"), doc.where(entry).of("sides")
    try:
        stretch = catalogue.find(entry_fields["stretch"])
    except LookupFailed as exc:
        raise RoutineError(str(exc), path=doc.path, line=line, item=routine,
                           field="items") from None
    if entry_fields["sides"] in ("left", "right") and not stretch.each_side:
        raise RoutineError(f"'{stretch.slug}' has no sides to choose", path=doc.path,
                           line=sides_line, item=routine, field="sides")
    return Item(stretch=stretch, **fields_without(entry_fields, "stretch"))


def adhoc(stretches: Iterable[Stretch], name: str = "play") -> Routine:
    """A routine made on the spot from stretches named on the command line."""
    items = tuple(Item(stretch=s) for s in stretches)
    if not items:
        raise UnknownName("name at least one stretch to play", query="")
    return Routine(name=name, description="Stretches chosen on the command line",
                   holds="low", reps="low", pauses=Pauses(), items=items)
