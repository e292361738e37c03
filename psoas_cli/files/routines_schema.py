"""Reading routines from YAML: safe parsing and strict validation.

Only needed when the routines are not in the cache (datafiles.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from psoas_cli import limits
from psoas_cli.errors import LookupFailed, RoutineError
from psoas_cli.files import yamlfile
from psoas_cli.files.yamlfile import REQUIRED, Invalid
from psoas_cli.model import levels
from psoas_cli.model.catalogue import Catalogue
from psoas_cli.model.routines import ENDS, RESERVED, SIDE_CHOICES, Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.text import kind, shown

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def parse(path: str, catalogue: Catalogue, *,
          unavailable: dict[str, str] | None = None) -> dict[str, Routine]:
    """Read and validate the routines in the YAML file at ``path``.

    With ``unavailable`` (psoas's own file, read with whatever catalogue is
    in use), a routine naming a stretch the catalogue hasn't got by that
    exact name, or not fitting it otherwise, is left out, and why is put in
    ``unavailable`` under its name: the user never wrote that file.
    """
    return from_document(yamlfile.load(path, RoutineError), catalogue, unavailable=unavailable)


def from_document(doc: yamlfile.Document, catalogue: Catalogue, *,
                  unavailable: dict[str, str] | None = None) -> dict[str, Routine]:
    if doc.data is None:
        raise RoutineError("the file is empty; it needs a 'routines:' mapping", path=doc.path)
    top = yamlfile.check_fields(doc, doc.data, _TOP_FIELDS, RoutineError, what="routines file")
    found: dict[str, Routine] = {}
    for key, body in top["routines"].items():
        name = _name(doc, top["routines"], key)
        if unavailable is None:
            found[name] = _routine(doc, top["routines"], name, body, catalogue)
            continue
        missing = _missing(body, catalogue)
        if missing:
            unavailable[name] = ("needs stretches this catalogue doesn't have: "
                                 + ", ".join(missing))
            continue
        try:
            found[name] = _routine(doc, top["routines"], name, body, catalogue)
        except RoutineError as exc:
            unavailable[name] = f"doesn't fit this catalogue: {exc.message}"
    return found


def _missing(body: Any, catalogue: Catalogue) -> list[str]:
    """The stretches a routine names that the catalogue hasn't got by that name."""
    items = body.get("items") if isinstance(body, dict) else None
    names = [entry.get("stretch") if isinstance(entry, dict) else entry
             for entry in (items if isinstance(items, list) else [])]
    missing = [name for name in names if isinstance(name, str) and catalogue.named(name) is None]
    return list(dict.fromkeys(missing))


def _name(doc: yamlfile.Document, parent: dict[Any, Any], key: Any) -> str:
    """A routine's name as text: ``123:`` reads as the int 123, and is named '123'."""
    if isinstance(key, str):
        return key
    name = shown(key)
    if isinstance(key, bool) or not isinstance(key, int):
        raise RoutineError(f"a routine name is lowercase letters, digits and hyphens, not "
                           f"{kind(key)}; put it in quotes", path=doc.path,
                           line=doc.where(parent).of(name), item=name)
    return name


def _routine_map(value: Any) -> dict[Any, Any]:
    if value is None:  # every routine removed: a file with none is fine
        return {}
    if not isinstance(value, dict):
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
        raise Invalid(f"unknown pause '{shown(unknown[0])}' "
                      f"(pauses are ready, switch, rest)")
    try:
        return Pauses(**{k: _seconds(v) for k, v in value.items()})
    except Invalid as exc:
        raise Invalid(f"each pause {exc}") from None


def _items(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise Invalid("must be a non-empty list of stretches")
    return value


def _minutes(value: Any) -> float:
    return float(yamlfile.bounded(value, limits.MINUTES))


_ROUTINE_FIELDS = {
    "description": (yamlfile.text, ""),
    "level": (yamlfile.choice(levels.NAMES), None),
    "minutes": (_minutes, None),
    # The words of files written before levels: which end of each range.
    "holds": (yamlfile.choice(ENDS), None),
    "reps": (yamlfile.choice(ENDS), None),
    "pauses": (_pauses, Pauses()),
    "items": (_items, REQUIRED),
    "leave_out": (yamlfile.text_list, ()),
    "purpose": (yamlfile.text, ""),
    "closing": (yamlfile.text, ""),
}

_ITEM_FIELDS = {
    "stretch": (yamlfile.text, REQUIRED),
    "hold": (_hold, None),
    "reps": (_reps, None),
    "sides": (yamlfile.choice(SIDE_CHOICES), None),
    "setup": (_seconds, None),
    "rest": (_seconds, None),
    "switch": (_seconds, None),
    "optional": (yamlfile.flag, False),
    "dynamic": (_reps, 0),
    "note": (yamlfile.text, ""),
    "counter_to": (yamlfile.text, ""),
}


def _routine(doc: yamlfile.Document, parent: dict[Any, Any], name: str, body: Any,
             catalogue: Catalogue) -> Routine:
    line = doc.where(parent).of(name)
    if len(name) > limits.NAME_CHARS:
        raise RoutineError(f"a routine's name may be {limits.NAME_CHARS:,} characters at most",
                           path=doc.path, line=line, item=name)
    if not NAME.match(name):
        raise RoutineError("a routine name is lowercase letters, digits and hyphens",
                           path=doc.path, line=line, item=name)
    if name in RESERVED:
        raise RoutineError(f"'{name}' is taken by 'psoas routine {name}'; call the routine "
                           "something else", path=doc.path, line=line, item=name)
    fields = yamlfile.check_fields(doc, body, _ROUTINE_FIELDS, RoutineError, item=name,
                                   what="routine", line=line)
    lines = doc.where(fields["items"])
    fields["items"] = tuple(
        _item(doc, entry, name, catalogue, lines.of(str(i)))
        for i, entry in enumerate(fields["items"])
    )
    _check_counter_poses(doc, fields["items"], body, name)
    where = doc.where(body)
    if all(item.optional for item in fields["items"]):
        raise RoutineError("every stretch is optional; at least one must always be played",
                           path=doc.path, line=where.of("items"), item=name, field="items")
    _ends(fields, lambda field: RoutineError(
        "say either level or the older holds/reps, not both", path=doc.path,
        line=where.of(field), item=name, field=field))
    fields["leave_out"] = _leave_out(fields, lambda message: RoutineError(
        message, path=doc.path, line=where.of("leave_out"), item=name, field="leave_out"),
        catalogue)
    routine = Routine(name=name, **fields)
    try:
        limits.check_length(timeline.length(routine))
    except limits.OutOfBounds as exc:
        raise RoutineError(str(exc), path=doc.path, line=line, item=name) from None
    return routine


def _check_counter_poses(doc: yamlfile.Document, items: tuple[Item, ...],
                         body: dict[str, Any], routine: str) -> None:
    """A counter-pose comes straight after the stretch it answers, and is an
    extra only when that stretch is one: it is played only with it."""
    entries = body["items"]
    for index, item in enumerate(items):
        pair = item.counter_to
        if not pair:
            continue
        before = items[index - 1] if index else None
        if before is None or before.stretch.slug != pair:
            problem = (f"'{item.stretch.slug}' counters '{pair}', so it comes straight "
                       "after it")
        elif item.optional != before.optional:
            problem = (f"'{item.stretch.slug}' is played only with '{pair}': make both "
                       "optional or neither")
        else:
            continue
        raise RoutineError(problem, path=doc.path, line=doc.where(entries[index]).of(
            "counter_to"), item=routine, field="counter_to")


def _ends(fields: dict[str, Any], error: Callable[[str], RoutineError]) -> None:
    """Fill holds and reps from the level, or keep an older file's words.

    In files written before levels, a missing word meant low, and still does.
    """
    words = [field for field in ("holds", "reps") if fields[field] is not None]
    if fields["level"] is not None and words:
        raise error(words[0])
    if fields["level"] is not None or not words:
        level = levels.LEVELS[fields["level"] or levels.STANDARD]
        fields["holds"], fields["reps"] = level.holds, level.reps
    else:
        fields["holds"] = fields["holds"] or "low"
        fields["reps"] = fields["reps"] or "low"


def _leave_out(fields: dict[str, Any], error: Callable[[str], RoutineError],
               catalogue: Catalogue) -> tuple[str, ...]:
    """The stretches named in leave_out, as slugs; each must be one of the routine's."""
    core = {item.stretch.slug for item in fields["items"] if not item.optional}
    slugs = []
    for name in fields["leave_out"]:
        try:
            slug = catalogue.find(name).slug
        except LookupFailed as exc:
            raise error(str(exc)) from None
        if slug not in core:
            raise error(f"'{slug}' is not one of this routine's stretches (optional ones "
                        "are only ever added)")
        slugs.append(slug)
    return tuple(dict.fromkeys(slugs))


def _item(doc: yamlfile.Document, entry: Any, routine: str, catalogue: Catalogue,
          line: int) -> Item:
    sides_line = line
    fields: dict[str, Any]
    if isinstance(entry, str):
        fields = {**{name: default for name, (_, default) in _ITEM_FIELDS.items()},
                  "stretch": entry}
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
    if fields["dynamic"] and stretch.continuous:
        raise RoutineError(f"'{stretch.slug}' moves the whole time; rocking is for a held "
                           "stretch", path=doc.path, line=doc.where(entry).of("dynamic"),
                           item=routine, field="dynamic")
    if fields["counter_to"]:  # as a slug; _check_counter_poses checks it names the stretch before
        try:
            fields["counter_to"] = catalogue.find(fields["counter_to"]).slug
        except LookupFailed as exc:
            raise RoutineError(str(exc), path=doc.path, line=doc.where(entry).of("counter_to"),
                               item=routine, field="counter_to") from None
    return Item(**fields)
