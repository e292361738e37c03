"""Did-you-mean: the closest known names to something mistyped."""

from __future__ import annotations

from typing import Iterable


def close_matches(word: str, known: Iterable[str], *, n: int = 3,
                  cutoff: float = 0.6) -> list[str]:
    """Up to ``n`` of ``known`` that look like ``word``, the closest first."""
    import difflib  # only when something was mistyped

    return difflib.get_close_matches(word, list(known), n=n, cutoff=cutoff)


def either(names: Iterable[str], *, quote: bool = False) -> str:
    """``a or b``; with ``quote``, ``'a' or 'b'``."""
    return " or ".join(f"'{name}'" if quote else name for name in names)
