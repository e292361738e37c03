"""Levels: how hard a routine is, from gentle to deep.

Pure Python.  A level says which end of each stretch's hold and reps range
to use, how much longer to take getting into position, and whether the
stretches the catalogue marks as advanced stay in.  The command line, the
environment or the config file choose a level; failing those, a routine's
own ``level:``; failing that, standard.
"""

from __future__ import annotations

from typing import NamedTuple

GENTLE, STANDARD, DEEP = "gentle", "standard", "deep"


# A NamedTuple rather than a dataclass, as in catalogue.py: as immutable, and
# cheaper to define, which every 'psoas routine' pays.
class Level(NamedTuple):
    name: str
    holds: str  # which end of each hold range: low, mid or high
    reps: str  # which end of each reps range
    setup: float = 1.0  # set-up times are multiplied by this
    advanced: bool = True  # whether stretches marked advanced stay in

    def setup_seconds(self, seconds: float) -> float:
        """A stretch's time to get into position at this level, in whole seconds
        once lengthened (a routine's own fractions stay as they are)."""
        return seconds if self.setup == 1 else float(int(seconds * self.setup + 0.5))


LEVELS = {
    GENTLE: Level(GENTLE, "low", "low", setup=1.5, advanced=False),
    STANDARD: Level(STANDARD, "mid", "mid"),
    DEEP: Level(DEEP, "high", "high"),
}
NAMES = tuple(LEVELS)


def chosen(name: str | None, routine_level: str | None, holds: str = "mid",
           reps: str = "mid") -> Level:
    """The level a routine plays at.

    ``name`` is the user's (command line, environment or config file) and
    wins; then the routine's own level.  A routine that names no level plays
    at standard, at the ends its old ``holds:``/``reps:`` words give, so
    files written before levels existed play as they always did.
    """
    if name:
        return LEVELS[name]
    if routine_level:
        return LEVELS[routine_level]
    standard = LEVELS[STANDARD]
    if (holds, reps) == (standard.holds, standard.reps):
        return standard
    return Level(STANDARD, holds, reps)
