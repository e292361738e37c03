"""Reading a stretch's coaching from YAML: the words for each side, the spoken
set-up, cautions and easier option, the gentle variant, a flow's timed cues,
and the catalogue's moves between positions.

The rules checked here are the ones every output relies on, so they hold for
a user's own catalogue as for psoas's: a side is always named by a limb of
that side (``side_word``), the lines that explain a side contain that word,
and "left side"/"right side" only ever mean the side you lie on.
"""

from __future__ import annotations

import re
from typing import Any

from psoas_cli import limits
from psoas_cli.files import yamlfile
from psoas_cli.files.yamlfile import Invalid
from psoas_cli.model.catalogue import (
    FLOW_KIND,
    MOVEMENT_KIND,
    OTHER_SIDE,
    POSITIONS,
    SAID_FIRST,
    SAID_GETTING_READY,
    SAID_ON_CARD,
    Moves,
    Variant,
)
from psoas_cli.text import kind as kind_of
from psoas_cli.text import shown

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SIDE_WORDS = ("side", "other")
MEANS_WORDS = ("means", "Means")
# "left side" or "right side" may only be where you lie: "lie on your left side".
LIMB = re.compile(r"\{side\} [a-z]+")  # "{side} knee": the limb a side is named by
SIDE_OF_BODY = re.compile(r"\{(side|other)\} side\b")
LIE_ON = re.compile(r"\b(on|onto) your $")


def placeholders(value: Any, allowed: tuple[str, ...], *, needed: bool = False) -> str:
    """Text with only the ``allowed`` names in braces; with ``needed``, at least one."""
    text = yamlfile.text(value)
    for name in PLACEHOLDER.findall(text):
        if name not in allowed:
            use = " and ".join(f"{{{a}}}" for a in allowed)
            raise Invalid(f"unknown placeholder '{{{name}}}'; use {use}")
    if "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text):
        raise Invalid("braces are only for " + " and ".join(f"{{{a}}}" for a in allowed))
    if needed and not PLACEHOLDER.search(text):
        raise Invalid("must say which side with {side} or {other}, e.g. '{side} knee down'")
    return text


def side_template(value: Any) -> str:
    """A side's words: {side} and {other} only, and at least one of them."""
    text = placeholders(value, SIDE_WORDS, needed=True)
    for match in SIDE_OF_BODY.finditer(text):
        if not LIE_ON.search(text[:match.start()]):
            raise Invalid(f"name the side by a limb ('{{side}} knee'), not "
                          f"'{match.group()}'; only 'lie on your {{other}} side' may say "
                          "'side'")
    return text


def sided_text(value: Any) -> str:
    """Coaching that may name a side: {side} and {other} only, never a bare left or right."""
    text = placeholders(value, SIDE_WORDS)
    if re.search(r"\b(left|right)\b", text, re.I):
        raise Invalid("must not say left or right itself; write {side} or {other}")
    return text


def neutral_text(value: Any) -> str:
    """Coaching said for either side: no side named at all."""
    text = yamlfile.text(value)
    if re.search(r"\b(left|right)\b", text, re.I) or PLACEHOLDER.search(text):
        raise Invalid("is said for either side, so it names neither")
    return text


def said_setup(value: Any) -> str:
    return placeholders(value, MEANS_WORDS)


def setup_range(value: Any) -> tuple[float | None, float | None]:
    """``12`` (that long) or ``12-26``: at least 12 s, and up to 26 s when the
    words said while getting ready need it."""
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,4}\s*-\s*[0-9]{1,4}\s*", value):
        low, high = (yamlfile.bounded(int(part), limits.SETUP) for part in value.split("-"))
        if high < low:
            raise Invalid(f"range is reversed ({low}-{high}); write it low-high")
        return low, high
    return yamlfile.bounded(value, limits.SETUP), None


def cautions(value: Any) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Each caution as text, or as ``{text, say, when}``: the words shown, the
    words said (shorter, for the ear) and when they are said (``get-ready``,
    the default, or ``card``).  (texts, ((said, when), ...))."""
    if not isinstance(value, list):
        raise Invalid(f"must be a list, not {kind_of(value)}")
    texts, said = [], []
    for number, entry in enumerate(value, 1):
        if isinstance(entry, dict):
            unknown = set(entry) - {"text", "say", "when"}
            if unknown or "text" not in entry:
                wrong = f"unknown key '{sorted(map(str, unknown))[0]}'" if unknown \
                    else "needs its 'text'"
                raise Invalid(f"item {number} {wrong}; a caution is text, or text, say "
                              "and when")
            try:
                text = neutral_text(entry["text"])
                say = neutral_text(entry.get("say", text))
                when = yamlfile.choice((SAID_GETTING_READY, SAID_FIRST, SAID_ON_CARD))(
                    entry.get("when", SAID_GETTING_READY))
            except Invalid as exc:
                raise Invalid(f"item {number}: {exc}") from None
        else:
            try:
                text = yamlfile.text(entry)
            except Invalid:
                raise Invalid(f"item {number} must be non-empty text") from None
            say, when = text, SAID_GETTING_READY
        texts.append(text)
        said.append((say, when))
    return tuple(texts), tuple(said)


def flow_cues(value: Any) -> tuple[tuple[float, str, str], ...]:
    """A flow's timed cues: ``{at: seconds, say: words, show: line}``, in time order."""
    if not isinstance(value, list) or not value:
        raise Invalid("must be a non-empty list of {at, say, show}")
    cues: list[tuple[float, str, str]] = []
    for number, entry in enumerate(value, 1):
        if not isinstance(entry, dict) or set(entry) != {"at", "say", "show"}:
            raise Invalid(f"item {number} must be a mapping of at, say and show")
        try:
            at = float(yamlfile.bounded(entry["at"], limits.PAUSE))
            say, show = neutral_text(entry["say"]), neutral_text(entry["show"])
        except Invalid as exc:
            raise Invalid(f"item {number}: {exc}") from None
        if cues and at <= cues[-1][0]:
            raise Invalid(f"item {number} must come later than the one before it")
        cues.append((at, say, show))
    return tuple(cues)


_VARIANT_FIELDS = {"name": True, "say": True, "cue": True, "steps": True, "equipment": False,
                   "come_out": False, "feel": False, "fix": False, "deepen": False}


def variant(value: Any) -> Variant:
    """The gentle level's easier way of doing the stretch."""
    if not isinstance(value, dict):
        raise Invalid(f"must be a mapping of fields, not {kind_of(value)}")
    for key in value:
        if key not in _VARIANT_FIELDS:
            raise Invalid(f"unknown key '{shown(str(key))}'; a variant has "
                          + ", ".join(_VARIANT_FIELDS))
    missing = [k for k, needed in _VARIANT_FIELDS.items() if needed and k not in value]
    if missing:
        raise Invalid(f"needs its '{missing[0]}'")
    fields: dict[str, Any] = {}
    for key, raw in value.items():
        try:
            if key in ("steps", "equipment"):
                fields[key] = yamlfile.text_list(raw)
                if key == "steps" and not fields[key]:
                    raise Invalid("needs at least one step")
            else:
                fields[key] = sided_text(raw) if key in ("feel", "deepen") else neutral_text(raw)
        except Invalid as exc:
            raise Invalid(f"{key}: {exc}") from None
    fields["equipment"] = tuple(e.lower() for e in fields.get("equipment", ()))
    return Variant(**fields)


VERB = re.compile(r"[a-z]+")


def verb(value: Any) -> str:
    """A movement's verb for one of its phases: one lowercase word ("reach")."""
    text = neutral_text(value)
    if not VERB.fullmatch(text) or len(text) > limits.MOVE_VERB:
        raise Invalid(f"must be one lowercase word of at most {limits.MOVE_VERB} letters, "
                      f"not '{shown(text)}'")
    return text


def check_stretch(fields: dict[str, Any]) -> tuple[str, str] | None:
    """The rules between a stretch's fields; (field, problem) for the first broken."""
    each_side = fields["sides"] == "both"
    sided = ("side_means", "side_word", "side_ready", "side_switch")
    if not each_side:
        for name in sided:
            if fields[name]:
                return name, "only for a stretch done on each side (sides: both)"
        if any(f"{{{m}}}" in fields["say_setup"] for m in MEANS_WORDS):
            return "say_setup", "{means} is only for a stretch done on each side"
    else:
        if not fields["side_means"]:
            return "side_means", "missing; a stretch done on each side says what the side " \
                                 "word means, e.g. '{side} knee down'"
        given = bool(fields["side_word"])
        if not given:  # an older catalogue: the limb after {side} in what a side means
            found = LIMB.search(fields["side_means"])
            fields["side_word"] = found.group() if found else "{side}"
        word = fields["side_word"]
        if "{side}" not in word or "{other}" in word:
            return "side_word", "must name the side done, with {side} and not {other}"
        for side in ("right", "left"):
            shown = word.replace("{side}", side)
            if given and len(shown) > limits.SIDE_WORD:
                return "side_word", f"'{shown}' is longer than {limits.SIDE_WORD} characters"
            for name in ("side_means", "side_switch"):
                text = fields[name].replace("{side}", side).replace("{other}", OTHER_SIDE[side])
                if given and fields[name] and shown not in text:
                    return name, f"must contain the side word ('{shown}') word for word"
        setup = fields["say_setup"]
        if setup and sum(setup.count(f"{{{m}}}") for m in MEANS_WORDS) != 1:
            return "say_setup", "must say the side once, with {means} or {Means}"
    if fields["kind"] != MOVEMENT_KIND:
        for name in ("say_tempo", "remind", "lift_word", "lower_word"):
            if fields[name]:
                return name, "only for a movement (kind: movement)"
    if fields["kind"] != FLOW_KIND and fields["flow_cues"]:
        return "flow_cues", "only for a flow (kind: flow)"
    return None


# -- the catalogue's moves between positions -------------------------------------------

def positions(value: Any) -> dict[str, str]:
    """Each starting position in a few words, for the card and the plan."""
    if not isinstance(value, dict):
        raise Invalid(f"must be a mapping of position to words, not {kind_of(value)}")
    found = {}
    for position, words in value.items():
        if position not in POSITIONS:
            raise Invalid(f"'{shown(str(position))}' is not a position; "
                          f"positions: {', '.join(POSITIONS)}")
        found[position] = neutral_text(words)
    return found


def transitions(value: Any) -> dict[tuple[str, str], str]:
    """The one table of moves: ``from: {to: words or null}`` for every pair of
    positions (null for the same position), each said in a few seconds."""
    if not isinstance(value, dict):
        raise Invalid(f"must be a mapping from each position, not {kind_of(value)}")
    table: dict[tuple[str, str], str] = {}
    for start in POSITIONS:
        row = value.get(start)
        if not isinstance(row, dict):
            raise Invalid(f"needs a mapping for '{start}': where to go from there")
        for end in POSITIONS:
            if end not in row:
                raise Invalid(f"'{start}' needs its move to '{end}' (null for none)")
            words = row[end]
            if start == end:
                if words is not None:
                    raise Invalid(f"'{start}' to itself is no move: null")
                continue
            try:
                text = neutral_text(words)
            except Invalid as exc:
                raise Invalid(f"'{start}' to '{end}': {exc}") from None
            if len(text.split()) > limits.MOVE_WORDS or len(text) > 80:
                raise Invalid(f"'{start}' to '{end}': at most {limits.MOVE_WORDS} words "
                              "on one line of 80 columns")
            table[(start, end)] = text
        extra = set(row) - set(POSITIONS)
        if extra:
            raise Invalid(f"'{start}': '{shown(str(sorted(map(str, extra))[0]))}' "
                          "is not a position")
    extra = set(value) - set(POSITIONS)
    if extra:
        raise Invalid(f"'{shown(str(sorted(map(str, extra))[0]))}' is not a position")
    return table


def moves(positions_found: dict[str, str], table: dict[tuple[str, str], str]) -> Moves:
    return Moves(table, positions_found)
