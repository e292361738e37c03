"""The stretch catalogue: its model, loading and validation, and name lookup.

Pure Python: no Click, no Rich.  The YAML is validated once, at load, into
frozen dataclasses; everything downstream trusts those objects.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Iterable

from . import yamlfile
from .errors import AmbiguousName, CatalogueError, UnknownName
from .yamlfile import REQUIRED, Invalid

POSITIONS = ("standing", "seated", "kneeling", "all fours", "face-up", "face-down",
             "side-lying")
SIDES = ("both", "none")
# Words people use for a position, mapped to the catalogue's own terms.
POSITION_WORDS = {
    "back": ("face-up",), "supine": ("face-up",), "lying": ("face-up", "face-down", "side-lying"),
    "front": ("face-down",), "prone": ("face-down",), "belly": ("face-down",),
    "stomach": ("face-down",), "side": ("side-lying",), "chair": ("seated",),
    "sitting": ("seated",), "desk": ("standing", "seated"), "tabletop": ("all fours",),
    "floor": ("kneeling", "all fours", "face-up", "face-down", "side-lying"),
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Range:
    """An inclusive range of whole numbers, such as a 20-30 s hold."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    def pick(self, end: str) -> int:
        """The value a routine asks for: the ``low`` or ``high`` end, or ``mid``."""
        if end == "low":
            return self.low
        if end == "high":
            return self.high
        return (self.low + self.high) // 2

    def as_dict(self) -> dict[str, int]:
        return {"min": self.low, "max": self.high}


@dataclass(frozen=True)
class Stretch:
    number: int
    slug: str
    name: str
    aliases: tuple[str, ...]
    summary: str
    position: str
    equipment: tuple[str, ...]
    targets: tuple[str, ...]
    hold: Range
    reps: Range
    sides: str
    continuous: bool
    cue: str
    steps: tuple[str, ...]

    @property
    def each_side(self) -> bool:
        return self.sides == "both"

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "slug": self.slug,
            "name": self.name,
            "aliases": list(self.aliases),
            "summary": self.summary,
            "position": self.position,
            "equipment": list(self.equipment),
            "targets": list(self.targets),
            "hold_seconds": self.hold.as_dict(),
            "reps": self.reps.as_dict(),
            "each_side": self.each_side,
            "continuous": self.continuous,
            "cue": self.cue,
            "steps": list(self.steps),
        }


@dataclass(frozen=True)
class Catalogue:
    path: str
    caution: str
    stretches: tuple[Stretch, ...]

    def __len__(self) -> int:
        return len(self.stretches)

    def __iter__(self):
        return iter(self.stretches)

    def find(self, query: str) -> Stretch:
        return find(self.stretches, query)

    def filter(self, **criteria: Any) -> list[Stretch]:
        return filter_stretches(self.stretches, **criteria)


# -- loading ---------------------------------------------------------------

def bundled_path(name: str = "stretches.yaml") -> str:
    """Where a data file shipped with the package lives.

    A wheel carries ``psoas_cli/data``; an editable install or a checkout
    reads ``data/`` at the top of the repository.  Plain paths are tried
    first because importing importlib.resources costs more start-up time
    than the whole catalogue takes to load.
    """
    package = os.path.dirname(os.path.abspath(__file__))
    for folder in (os.path.join(package, "data"), os.path.join(os.path.dirname(package), "data")):
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    from importlib.resources import as_file, files  # zipped installs only

    with as_file(files("psoas_cli") / "data" / name) as found:
        return str(found)


def load(path: str | None = None) -> Catalogue:
    """Read and validate a catalogue; the bundled one when ``path`` is None."""
    path = path or bundled_path()
    doc = yamlfile.load(path, CatalogueError)
    return from_document(doc)


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
    return Catalogue(doc.path, fields["caution"], tuple(stretches))


def _stretch_list(value: Any) -> list:
    if not isinstance(value, list) or not value:
        raise Invalid(f"must be a non-empty list of stretches, not {yamlfile.type_name(value)}")
    return value


def _version(value: Any) -> int:
    if value != 1:
        raise Invalid(f"this psoas reads catalogue version 1, not {value!r}")
    return 1


_TOP_FIELDS = {
    "version": (_version, 1),
    "caution": (yamlfile.text, ""),
    "stretches": (_stretch_list, REQUIRED),
}


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.match(value):
        raise Invalid(f"must be lowercase letters, digits and hyphens (like 'low-lunge'), "
                      f"not {value!r}")
    return value


def parse_range(value: Any, *, least: int = 1) -> Range:
    """Accept ``25``, ``"20-30"`` or ``[20, 30]``."""
    if isinstance(value, str):
        pieces = [p.strip() for p in value.replace("–", "-").split("-")]
        if len(pieces) == 2 and all(p.lstrip("+").isdigit() for p in pieces):
            value = [int(pieces[0]), int(pieces[1])]
        elif value.strip().lstrip("+").isdigit():
            value = int(value)
        else:
            raise Invalid(f"must be a number or a range like 20-30, not '{value}'")
    if isinstance(value, list):
        if len(value) != 2:
            raise Invalid(f"a range needs two numbers, low and high, not {len(value)}")
        low, high = (yamlfile.number(v, least=-1e9, whole=True) for v in value)
    else:
        low = high = yamlfile.number(value, least=-1e9, whole=True)
    if low < least:
        raise Invalid(f"must be at least {least}, not {low}")
    if high < low:
        raise Invalid(f"range is reversed ({low}-{high}); write it low-high, e.g. {high}-{low}")
    return Range(int(low), int(high))


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {value!r}")
    return value


_STRETCH_FIELDS = {
    "slug": (_slug, REQUIRED),
    "name": (yamlfile.text, REQUIRED),
    "aliases": (yamlfile.text_list, ()),
    "summary": (yamlfile.text, ""),
    "position": (yamlfile.choice(POSITIONS), REQUIRED),
    "equipment": (yamlfile.text_list, ()),
    "targets": (yamlfile.text_list, ()),
    "hold": (parse_range, REQUIRED),
    "reps": (parse_range, Range(1, 1)),
    "sides": (yamlfile.choice(SIDES), "none"),
    "continuous": (_flag, False),
    "cue": (yamlfile.text, ""),
    "steps": (yamlfile.text_list, REQUIRED),
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
    return Stretch(number=number, **fields)


def _label(entry: Any, number: int) -> str:
    if isinstance(entry, dict):
        for key in ("slug", "name"):
            if isinstance(entry.get(key), str) and entry[key].strip():
                return entry[key].strip()
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


# -- finding stretches by what a user types --------------------------------

def normalise(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").replace("_", " ").split())


def _names(stretch: Stretch) -> list[str]:
    return [normalise(n) for n in (stretch.slug, stretch.name, *stretch.aliases)]


def find(stretches: Iterable[Stretch], query: str) -> Stretch:
    """Resolve a number, slug, name, alias, prefix or word to one stretch.

    Tried from the most to the least exact, so that an exact name never
    loses to a prefix of another one.
    """
    stretches = list(stretches)
    wanted = normalise(query)
    if wanted.isdigit():
        index = int(wanted)
        if 1 <= index <= len(stretches):
            return stretches[index - 1]
        raise UnknownName(f"there is no stretch number {index}; the catalogue has "
                          f"1 to {len(stretches)}", query=query)
    # A prefix of a name is a prefix of its first word, so words cover both.
    for matches in (
        [s for s in stretches if wanted in _names(s)],
        [s for s in stretches if any(_has_words(n, wanted) for n in _names(s))],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            slugs = tuple(s.slug for s in matches)
            raise AmbiguousName(f"'{query}' matches {len(matches)} stretches: "
                                f"{', '.join(slugs)}; be more specific", query=query,
                                candidates=slugs)
    raise _unknown(stretches, query, wanted)


def _has_words(name: str, wanted: str) -> bool:
    """True when each word typed starts a word of the name, in order."""
    words = name.split()
    typed = wanted.split()
    for start in range(len(words) - len(typed) + 1):
        if all(words[start + i].startswith(t) for i, t in enumerate(typed)):
            return True
    return False


def _unknown(stretches: list[Stretch], query: str, wanted: str) -> UnknownName:
    import difflib

    by_name: dict[str, str] = {}
    for stretch in stretches:
        for name in _names(stretch):
            by_name.setdefault(name, stretch.slug)
            for word in name.split():
                if len(word) > 3:
                    by_name.setdefault(word, stretch.slug)
    close = difflib.get_close_matches(wanted, list(by_name), n=6, cutoff=0.72)
    slugs = tuple(dict.fromkeys(by_name[c] for c in close))[:3]
    hint = f"; did you mean {' or '.join(slugs)}?" if slugs else "; 'psoas list' shows them all"
    return UnknownName(f"no stretch called '{query}'{hint}", query=query, candidates=slugs)


def _position_matches(actual: str, wanted: str) -> bool:
    wanted = normalise(wanted)
    return actual in POSITION_WORDS.get(wanted, ()) or _has_words(normalise(actual), wanted)


def filter_stretches(
    stretches: Iterable[Stretch],
    *,
    position: str | None = None,
    equipment: str | None = None,
    no_equipment: bool = False,
    target: str | None = None,
    each_side: bool | None = None,
) -> list[Stretch]:
    """Stretches meeting every criterion given; text criteria match words loosely."""
    chosen = []
    for stretch in stretches:
        if position and not _position_matches(stretch.position, position):
            continue
        if no_equipment and stretch.equipment:
            continue
        if equipment and not any(_has_words(normalise(e), normalise(equipment))
                                 for e in stretch.equipment):
            continue
        if target and not any(_has_words(normalise(t), normalise(target))
                              for t in stretch.targets):
            continue
        if each_side is not None and stretch.each_side != each_side:
            continue
        chosen.append(stretch)
    return chosen
