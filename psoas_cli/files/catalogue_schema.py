"""Reading a catalogue from YAML: safe parsing and strict validation.

Only needed when the catalogue is not in the cache, so that a warm start of
psoas never imports YAML at all.
"""

from __future__ import annotations

import re
from typing import Any

from psoas_cli import limits
from psoas_cli.errors import CatalogueError
from psoas_cli.files import coaching_schema as coaching
from psoas_cli.files import yamlfile
from psoas_cli.files.yamlfile import REQUIRED, Invalid
from psoas_cli.model import figures
from psoas_cli.model.catalogue import (
    FLOW_KIND,
    HOLD_KIND,
    KINDS,
    MOVEMENT_KIND,
    NO_MOVES,
    POSITIONS,
    SIDES,
    Catalogue,
    Range,
    Stretch,
)
from psoas_cli.model.names import normalise
from psoas_cli.text import close_matches, kind, shown

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def parse(path: str) -> Catalogue:
    """Read and validate the catalogue in the YAML file at ``path``."""
    return from_document(yamlfile.load(path, CatalogueError))


def from_document(doc: yamlfile.Document) -> Catalogue:
    top = doc.data
    if top is None:
        raise CatalogueError("the file is empty; it needs a 'stretches:' list", path=doc.path)
    if isinstance(top, list):  # a bare list of stretches is accepted too
        top = {"stretches": top}
    fields = yamlfile.check_fields(doc, top, _TOP_FIELDS, CatalogueError, what="catalogue")
    entries = fields["stretches"]
    lines = doc.where(entries)
    stretches: list[Stretch] = []
    seen: dict[str, Stretch] = {}
    for number, entry in enumerate(entries, 1):
        stretch = _stretch(doc, entry, number, lines.of(str(number - 1)))
        _check_unique(doc, entry, stretch, seen)
        stretches.append(stretch)
    _check_unlocks(doc, entries, stretches)
    moves = NO_MOVES
    if fields["transitions"] or fields["positions"]:
        if not (fields["transitions"] and fields["positions"]):
            missing = "positions" if fields["transitions"] else "transitions"
            raise CatalogueError("missing; moves between positions need the positions' "
                                 "words and the transitions both", path=doc.path,
                                 line=doc.where(top).line, field=missing)
        moves = coaching.moves(fields["positions"], fields["transitions"])
    return Catalogue(fields["caution"], tuple(stretches), fields["breathing"],
                     fields["closing"], moves, fields["say_caution"])


def _stretch_list(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise Invalid(f"must be a non-empty list of stretches, not {kind(value)}")
    return value


_TOP_FIELDS = {
    "version": (yamlfile.version_one("catalogue"), 1),
    "caution": (yamlfile.text, ""),
    "breathing": (yamlfile.text, ""),
    "say_caution": (yamlfile.text, ""),
    "closing": (yamlfile.text, ""),
    "positions": (coaching.positions, {}),
    "transitions": (coaching.transitions, {}),
    "stretches": (_stretch_list, REQUIRED),
}


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        given = f"'{shown(value)}'" if isinstance(value, str) else kind(value)
        raise Invalid(f"must be lowercase letters, digits and hyphens (like 'low-lunge'), "
                      f"not {given}")
    return value


RANGE = re.compile(r"\s*\+?([0-9]{1,12})\s*(?:[-–]\s*\+?([0-9]{1,12})\s*)?")


def parse_range(bound: limits.Bound) -> yamlfile.Converter:
    """A converter accepting ``25``, ``"20-30"`` or ``[20, 30]`` within ``bound``."""

    def convert(value: Any) -> Range:
        if isinstance(value, str):
            match = RANGE.fullmatch(value)  # ASCII digits only: int('²') fails
            if not match:
                raise Invalid(f"must be a number or a range like 20-30, "
                              f"not '{shown(value)}'")
            low_text, high_text = match.groups()
            value = [int(low_text), int(high_text)] if high_text else int(low_text)
        if isinstance(value, list):
            if len(value) != 2:
                raise Invalid(f"a range needs two numbers, low and high, not {len(value)}")
            low, high = (yamlfile.bounded(v, bound) for v in value)
        else:
            low = high = yamlfile.bounded(value, bound)
        if high < low:
            raise Invalid(f"range is reversed ({low}-{high}); write it low-high, "
                          f"e.g. {high}-{low}")
        return Range(int(low), int(high))

    return convert


def _side_means(value: Any) -> str:
    """Text such as '{side} knee down': only {side} and {other} in braces, and
    one of them at least (the self-tests' side words read it too)."""
    return coaching.placeholders(value, coaching.SIDE_WORDS, needed=True)


SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")


def _why(value: Any) -> str:
    """One or two plain sentences, short enough to be said while getting ready."""
    text = yamlfile.text(value)
    sentences = len(SENTENCE_END.findall(text)) or 1
    if sentences > limits.WHY_SENTENCES:
        raise Invalid(f"must be one or two sentences, not {sentences}")
    words = len(text.split())
    if words > limits.WHY_WORDS:
        raise Invalid(f"must be at most {limits.WHY_WORDS} words (said in about 20 s), "
                      f"not {words}")
    return text


def _pause(value: Any) -> float:
    return yamlfile.bounded(value, limits.PAUSE)


_STRETCH_FIELDS = {
    "slug": (_slug, REQUIRED),
    "name": (yamlfile.text, REQUIRED),
    "aliases": (yamlfile.text_list, ()),
    "summary": (yamlfile.text, ""),
    "position": (yamlfile.choice(POSITIONS), REQUIRED),
    "equipment": (yamlfile.text_list, ()),
    "targets": (yamlfile.text_list, ()),
    "hold": (parse_range(limits.HOLD), REQUIRED),
    "reps": (parse_range(limits.REPS), Range(1, 1)),
    "sides": (yamlfile.choice(SIDES), "none"),
    "kind": (yamlfile.choice(KINDS), None),
    "continuous": (yamlfile.flag, None),  # older catalogues: true is kind: flow
    "cue": (yamlfile.text, ""),
    "steps": (yamlfile.text_list, REQUIRED),
    "side_means": (coaching.side_template, ""),
    "side_word": (coaching.side_template, ""),
    "side_ready": (coaching.side_template, ""),
    "side_switch": (coaching.side_template, ""),
    "cautions": (coaching.cautions, ((), ())),
    "easier": (yamlfile.text, ""),
    "setup": (coaching.setup_range, (None, None)),
    "say_setup": (coaching.said_setup, ""),
    "say_tempo": (coaching.neutral_text, ""),
    "feel": (coaching.sided_text, ""),
    "fix": (coaching.neutral_text, ""),
    "deepen": (coaching.sided_text, ""),
    "easier_say": (coaching.neutral_text, ""),
    "remind": (coaching.neutral_text, ""),
    "lift_word": (coaching.verb, ""),
    "lower_word": (coaching.verb, ""),
    "flow_cues": (coaching.flow_cues, ()),
    "gentle": (coaching.variant, None),
    "rest": (_pause, None),
    "switch": (_pause, None),
    "come_out": (yamlfile.text, ""),
    "move_in": (yamlfile.text, ""),
    "ends_in": (yamlfile.choice(POSITIONS), ""),
    "advanced": (yamlfile.flag, False),
    "resting": (yamlfile.flag, False),
    "why": (_why, ""),
    "addition": (yamlfile.flag, False),
    "unlocks_after": (_slug, ""),
    "backbend": (yamlfile.flag, False),
    "figure": (lambda value: value, None),  # checked in _figure, which knows the lines
}


def _stretch(doc: yamlfile.Document, entry: Any, number: int, line: int) -> Stretch:
    label = _label(entry, number)
    fields = yamlfile.check_fields(doc, entry, _STRETCH_FIELDS, CatalogueError, item=label,
                                   what="stretch", line=line)
    if not fields["steps"]:
        raise CatalogueError("needs at least one step", path=doc.path,
                             line=doc.where(entry).of("steps"), item=label, field="steps")
    fields["equipment"] = tuple(e.lower() for e in fields["equipment"])
    fields["targets"] = tuple(t.lower() for t in fields["targets"])
    fields["cue"] = fields["cue"] or fields["summary"] or fields["steps"][-1]
    _kind(doc, entry, label, fields)
    fields["cautions"], fields["cautions_said"] = fields["cautions"]
    fields["setup"], fields["setup_most"] = fields["setup"]
    problem = coaching.check_stretch(fields)
    if problem is not None:
        field, message = problem
        where = doc.where(entry)
        line = where.of(field) if field in entry else where.of("sides")
        raise CatalogueError(message, path=doc.path, line=line, item=label, field=field)
    fields["figure"] = _figure(doc, entry, label)
    return Stretch(number=number, **fields)


def _kind(doc: yamlfile.Document, entry: dict[str, Any], label: str,
          fields: dict[str, Any]) -> None:
    """``kind``, or from an older catalogue ``continuous: true`` (a flow); a
    movement counts its repetitions, so it says how many."""
    continuous = fields.pop("continuous")
    where = doc.where(entry)
    if fields["kind"] is None:
        fields["kind"] = FLOW_KIND if continuous else HOLD_KIND
    elif continuous and fields["kind"] != FLOW_KIND:
        raise CatalogueError(f"continuous: true is kind: flow, not {fields['kind']}",
                             path=doc.path, line=where.of("continuous"), item=label,
                             field="continuous")
    if fields["kind"] == MOVEMENT_KIND and "reps" not in entry:
        raise CatalogueError("missing; a movement says how many repetitions, e.g. 8-10",
                             path=doc.path, line=where.of("kind"), item=label, field="reps")


def _check_unlocks(doc: yamlfile.Document, entries: list[Any],
                   stretches: list[Stretch]) -> None:
    """``unlocks_after`` names another stretch of this catalogue that deepens
    nothing itself (no chains); a held stretch deepens one done on the same
    sides, so a program can put it in that one's place, side for side."""
    by_slug = {s.slug: s for s in stretches}
    for entry, stretch in zip(entries, stretches, strict=True):
        basic_slug = stretch.unlocks_after
        if not basic_slug:
            continue
        basic = by_slug.get(basic_slug)
        if basic is None:
            close = close_matches(basic_slug, by_slug, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problem = f"no stretch '{shown(basic_slug)}' in this catalogue{hint}"
        elif basic is stretch:
            problem = "a stretch can't deepen itself"
        elif basic.unlocks_after:
            problem = (f"'{basic.slug}' deepens '{basic.unlocks_after}' itself; name the "
                       "basic stretch instead")
        elif stretch.kind != MOVEMENT_KIND and basic.sides != stretch.sides:
            problem = (f"'{stretch.slug}' is done on {_sides_words(stretch)}, "
                       f"'{basic.slug}' on {_sides_words(basic)}: a stretch can only "
                       "deepen one done on the same sides")
        else:
            continue
        raise CatalogueError(problem, path=doc.path, line=doc.where(entry).of("unlocks_after"),
                             item=stretch.slug, field="unlocks_after")


def _sides_words(stretch: Stretch) -> str:
    return "each side" if stretch.each_side else "both sides at once"


def _figure(doc: yamlfile.Document, entry: dict[str, Any], label: str) -> figures.Figure | None:
    """Check the stretch's figure, pointing any error at the line at fault."""
    data = entry.get("figure")
    if data is None:
        return None
    try:
        return figures.check(data)
    except figures.FigureInvalid as exc:
        line, node = doc.where(entry).of("figure"), data
        for key in exc.path:  # follow the path down as far as the YAML goes
            if isinstance(node, dict) and key in node:
                line, node = doc.where(node).of(key), node[key]
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                line, node = doc.where(node).of(str(key)), node[key]
        raise CatalogueError(exc.message, path=doc.path, line=line, item=label,
                             field="figure") from None


def _label(entry: Any, number: int) -> str:
    if isinstance(entry, dict):
        for key in ("slug", "name"):
            value = entry.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return f"#{number}"


def _check_unique(doc: yamlfile.Document, entry: Any, stretch: Stretch,
                  seen: dict[str, Stretch]) -> None:
    """Every slug, name and alias must point at one stretch only."""
    where = doc.where(entry)
    for field, names in (("slug", [stretch.slug]), ("name", [stretch.name]),
                         ("aliases", stretch.aliases)):
        for name in names:
            key = normalise(name)
            owner = seen.get(key)
            if owner is not None and owner.number != stretch.number:
                raise CatalogueError(f"'{name}' is already used by stretch #{owner.number} "
                                     f"'{owner.slug}'", path=doc.path, line=where.of(field),
                                     item=stretch.slug, field=field)
            seen[key] = stretch
