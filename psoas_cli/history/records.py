"""How many breaks were offered, taken, snoozed, skipped and missed.

Its own module because the history counts them too, and a routine that
records its session should not load the whole reminder schedule to do so.
"""

from __future__ import annotations

from typing import NamedTuple


class Counts(NamedTuple):
    offered: int = 0
    taken: int = 0
    snoozed: int = 0
    skipped: int = 0
    missed: int = 0
