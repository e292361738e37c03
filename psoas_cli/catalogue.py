"""The stretch catalogue: its model, loading (through a cache), and name lookup.

Pure Python: no Click, no Rich.  The YAML is validated once, at load, into
immutable objects (catalogue_yaml.py); everything downstream trusts them.
A validated catalogue is cached, so later starts skip YAML entirely.
"""

from __future__ import annotations

import os
from typing import Any, Iterable, NamedTuple

from .errors import AmbiguousName, UnknownName

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


# NamedTuples rather than dataclasses: they are as immutable and cost a
# sixth of the time to define, which every start of psoas pays.
class Range(NamedTuple):
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


class Stretch(NamedTuple):
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
    figure: Any = None  # a figures.Figure, or None when the catalogue gives none

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


class Catalogue:
    __slots__ = ("path", "caution", "stretches")

    def __init__(self, path: str, caution: str, stretches: tuple[Stretch, ...]) -> None:
        self.path = path
        self.caution = caution
        self.stretches = stretches

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


def load(path: str | None = None, *, cache_dir: str | None = None) -> Catalogue:
    """Read and validate a catalogue; the bundled one when ``path`` is None.

    With ``cache_dir``, a catalogue validated before is read from the cache
    while its file is unchanged (same path, size, modification time and inode).
    """
    path = path or bundled_path()
    from . import cache

    key = cache.key_for(path, kind="catalogue") if cache_dir else None
    if key is not None:
        stored = cache.read(cache_dir, key)
        if stored is not None:
            try:
                return _from_plain(path, stored)
            except (TypeError, ValueError, IndexError):
                pass  # a cache from another shape of data: parse afresh
    from .catalogue_yaml import parse

    catalogue = parse(path)
    if key is not None:
        cache.write(cache_dir, key, _to_plain(catalogue))
    return catalogue


def _to_plain(catalogue: Catalogue) -> tuple:
    """Plain tuples only: marshal refuses tuple subclasses."""
    return (catalogue.caution, tuple(
        (*s[:8], tuple(s.hold), tuple(s.reps), *s[10:-1],
         s.figure.to_plain() if s.figure is not None else None)
        for s in catalogue.stretches))


def _from_plain(path: str, plain: tuple) -> Catalogue:
    caution, rows = plain
    if any(row[-1] is not None for row in rows):
        from .figures import Figure
    stretches = tuple(Stretch(*row[:8], Range(*row[8]), Range(*row[9]), *row[10:-1],
                              Figure.from_plain(row[-1]) if row[-1] is not None else None)
                      for row in rows)
    return Catalogue(path, caution, stretches)


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
