"""The words a shell may complete for stretches and routines.

A shell inserts a completion as it is, so every word offered is one a shell
reads back unchanged: no spaces, no quotes.  Bash in particular would split
``Pigeon pose`` into two arguments.  Names and aliases with spaces are
offered with hyphens instead (``pigeon-pose``, ``hip-bridge``), which
``catalogue.find`` reads as the same name.  Pure Python: it runs on every
TAB.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Names = tuple[str, str, tuple[str, ...]]  # a stretch's slug, name and aliases


def normalise(name: str) -> str:
    """How a typed name compares: lower case, hyphens and underscores as spaces."""
    return " ".join(name.lower().replace("-", " ").replace("_", " ").split())


def shell_word(name: str) -> str | None:
    """``name`` as one word a shell keeps whole, or None if it has no such form."""
    word = normalise(name).replace(" ", "-")
    if word and all(c.isalnum() or c in "-._+" for c in word):
        return word
    return None


def stretch_words(stretches: Iterable[Names], typed: str) -> list[tuple[str, str]]:
    """(word, stretch name) for what ``typed`` may become, best first.

    Digits complete to numbers.  Nothing typed offers each slug; a start of
    a word offers the slugs, then the names and aliases, that begin with it.
    """
    stretches = list(stretches)
    if typed.isdigit():
        return [(str(n), name) for n, (_, name, _) in enumerate(stretches, 1)
                if str(n).startswith(typed)]
    if not typed:
        return [(slug, name) for slug, name, _ in stretches]
    start = normalise(typed).replace(" ", "-")
    found: dict[str, str] = {}
    for slug, name, _ in stretches:
        if slug.startswith(start):
            found.setdefault(slug, name)
    for _, name, aliases in stretches:
        for other in (name, *aliases):
            word = shell_word(other)
            if word and word.startswith(start):
                found.setdefault(word, name)
    return list(found.items())


def routine_words(routines: Mapping[str, str], typed: str) -> list[tuple[str, str]]:
    """(name, description) of the routines whose names begin with ``typed``."""
    start = typed.strip().lower()
    return [(name, description) for name, description in routines.items()
            if name.startswith(start) and shell_word(name) == name]
