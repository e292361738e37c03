"""Routines: named lists of stretches with their pauses, built in or the user's.

Pure Python: the model and finding a routine by name.  Reading them from
YAML is files/routines_schema.py; loading them through the cache is files/datafiles.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from psoas_cli.errors import UnknownName
from psoas_cli.model.catalogue import Stretch
from psoas_cli.text import close_matches, either, shown

ENDS = ("low", "mid", "high")
SIDE_CHOICES = ("left", "right", "both")
# 'psoas routine new', 'rm' and 'edit' are commands, so no routine can be
# called that: 'psoas routine edit' could never play it.
RESERVED = ("new", "rm", "edit")


class Pauses(NamedTuple):
    """Seconds of the breaks a routine puts between holds."""

    ready: float = 10  # get into position, when neither the item nor the stretch says
    switch: float = 5  # change sides
    rest: float = 5  # between reps on the same side


class Item(NamedTuple):
    """One stretch in a routine, with the routine's own overrides."""

    stretch: Stretch
    hold: int | None = None
    reps: int | None = None
    sides: str | None = None  # left, right or both; None means the stretch's own
    setup: float | None = None  # seconds to get into position; None: the stretch's own
    rest: float | None = None  # seconds between reps; None: the stretch's, else the routine's
    switch: float | None = None  # seconds to switch sides; likewise
    optional: bool = False  # an extra: played only when --minutes leaves time for it
    # Rocks in and out of the stretch before the first hold on each side, a
    # second each way (timeline.ROCK); 0: straight into the hold.
    dynamic: int = 0
    note: str = ""  # one line for this routine only, shown and said while getting ready
    # The slug of the stretch just before this one that it is the counter-pose
    # of (child's pose after camel): played only with it, never left out while
    # it stays (fitting.py); "" for none.
    counter_to: str = ""
    # A program's tighter side (left or right): one more hold on it, right after
    # that side's own, never from a routines file; None for none.
    extra_side: str | None = None


class Routine(NamedTuple):
    name: str
    description: str
    holds: str  # which end of each hold range: low, mid or high (from the level)
    reps: str  # which end of each reps range
    pauses: Pauses
    items: tuple[Item, ...]
    level: str | None = None  # gentle, standard or deep; None: standard
    minutes: float | None = None  # the length to fit it to, unless the user says
    # Slugs of the stretches to leave out first when time is short (fitting.py).
    leave_out: tuple[str, ...] = ()
    purpose: str = ""  # one line a coach would say on why it is built so: atop its plan
    closing: str = ""  # one line for after the last hold: what to do next, how to get up


class Routines(dict[str, Routine]):
    """Routines by name, in the order listed, and the built-in ones this
    catalogue can't play: ``unavailable`` maps each of their names to why
    (another catalogue, without their stretches).  Those are not offered,
    but asking for one by name says why."""

    def __init__(self, found: Iterable[tuple[str, Routine]] = (),
                 unavailable: dict[str, str] | None = None) -> None:
        super().__init__(found)
        self.unavailable: dict[str, str] = dict(unavailable or {})


def find(routines: dict[str, Routine], query: str) -> Routine:
    """Exact name, else an unambiguous prefix; otherwise suggest."""
    wanted = query.strip().lower()
    if wanted in routines:
        return routines[wanted]
    matches = [name for name in routines if name.startswith(wanted)]
    if len(matches) == 1:
        return routines[matches[0]]
    if not matches:
        _not_offered(getattr(routines, "unavailable", {}), wanted)
    close = matches[:5] or (close_matches(wanted, routines) if len(wanted) <= 80 else [])
    hint = f"; did you mean {either(close)}?" if close else ""
    names = list(routines)
    if not names:
        raise UnknownName(f"no routine called '{shown(query)}', and none to play with this "
                          "catalogue yet: 'psoas routine new NAME STRETCH...' makes one")
    listed = hint or "; 'psoas routine' lists them"
    raise UnknownName(f"no routine called '{shown(query)}'{listed}", tuple(close))


def _not_offered(unavailable: dict[str, str], wanted: str) -> None:
    """Say why, when ``wanted`` names a built-in routine this catalogue can't play."""
    named = [name for name in unavailable if name == wanted] or \
        [name for name in unavailable if name.startswith(wanted)]
    if len(named) == 1:
        raise UnknownName(f"the built-in routine '{named[0]}' {unavailable[named[0]]}")


def adhoc(stretches: Iterable[Stretch], name: str = "play") -> Routine:
    """A routine made on the spot from stretches named on the command line."""
    items = tuple(Item(stretch=s) for s in stretches)
    if not items:
        raise UnknownName("name at least one stretch to play")
    return Routine(name=name, description="Stretches chosen on the command line",
                   holds="mid", reps="mid", pauses=Pauses(), items=items)
