"""Reading routines from YAML: safe parsing and strict validation.

Only needed when the routines are not in the cache (datafiles.py).
"""

from __future__ import annotations

import re
from typing import Any

from . import limits, timeline, yamlfile
from .catalogue import Catalogue
from .errors import LookupFailed, RoutineError
from .routines import ENDS, SIDE_CHOICES, Item, Pauses, Routine
from .yamlfile import REQUIRED, Invalid

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def parse(path: str, catalogue: Catalogue) -> dict[str, Routine]:
    """Read and validate the routines in the YAML file at ``path``."""
    return from_document(yamlfile.load(path, RoutineError), catalogue)


def from_document(doc: yamlfile.Document, catalogue: Catalogue) -> dict[str, Routine]:
    if doc.data is None:
        raise RoutineError("the file is empty; it needs a 'routines:' mapping", path=doc.path)
    top = yamlfile.check_fields(doc, doc.data, _TOP_FIELDS, RoutineError, what="routines file")
    found: dict[str, Routine] = {}
    for key, body in top["routines"].items():
        routine = _routine(doc, top["routines"], _name(doc, top["routines"], key), body,
                           catalogue)
        found[routine.name] = routine
    return found


def _name(doc: yamlfile.Document, parent: dict, key: Any) -> str:
    """A routine's name as text: ``123:`` reads as the int 123, and is named '123'."""
    if isinstance(key, str):
        return key
    name = yamlfile.shown(key)
    if isinstance(key, bool) or not isinstance(key, int):
        raise RoutineError(f"a routine name is lowercase letters, digits and hyphens, not "
                           f"{yamlfile.kind(key)}; put it in quotes", path=doc.path,
                           line=doc.where(parent).of(name), item=name)
    return name


def _routine_map(value: Any) -> dict:
    if not isinstance(value, dict) or not value:
        raise Invalid("must map routine names to routines")
    return value


_TOP_FIELDS = {
    "version": (yamlfile.version_one("routines"), 1),
    "routines": (_routine_map, REQUIRED),
}


def _seconds(value: Any) -> float:
    return yamlfile.bounded(value, limits.PAUSE)


def _hold(value: Any) -> int:
    return int(yamlfile.bounded(value, limits.HOLD))


def _reps(value: Any) -> int:
    return int(yamlfile.bounded(value, limits.REPS))


def _pauses(value: Any) -> Pauses:
    if not isinstance(value, dict):
        raise Invalid("must be a mapping like {ready: 10, switch: 5, rest: 5}")
    unknown = [key for key in value if key not in ("ready", "switch", "rest")]
    if unknown:
        raise Invalid(f"unknown pause '{yamlfile.shown(unknown[0])}' "
                      f"(pauses are ready, switch, rest)")
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
    "hold": (_hold, None),
    "reps": (_reps, None),
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
    fields["items"] = tuple(
        _item(doc, entry, name, catalogue, lines.of(str(i)))
        for i, entry in enumerate(fields["items"])
    )
    routine = Routine(name=name, **fields)
    try:
        limits.check_length(timeline.length(routine))
    except limits.OutOfBounds as exc:
        raise RoutineError(str(exc), path=doc.path, line=line, item=name) from None
    return routine


def _item(doc: yamlfile.Document, entry: Any, routine: str, catalogue: Catalogue,
          line: int) -> Item:
    sides_line = line
    if isinstance(entry, str):
        fields = {**dict.fromkeys(_ITEM_FIELDS), "stretch": entry}
    else:
        fields = yamlfile.check_fields(doc, entry, _ITEM_FIELDS, RoutineError, item=routine,
                                       what="item", line=line)
        line, sides_line = doc.where(entry).of("stretch"), doc.where(entry).of("sides")
    try:
        fields["stretch"] = stretch = catalogue.find(fields["stretch"])
    except LookupFailed as exc:
        raise RoutineError(str(exc), path=doc.path, line=line, item=routine,
                           field="items") from None
    if fields["sides"] in ("left", "right") and not stretch.each_side:
        raise RoutineError(f"'{stretch.slug}' has no sides to choose", path=doc.path,
                           line=sides_line, item=routine, field="sides")
    return Item(**fields)
