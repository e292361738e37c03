"""A routine expanded into the phases the player steps through.

Pure Python.  Each phase has a kind, a duration and what the screen shows:
the stretch, the side and the rep.  Per-side stretches do every rep on one
side, then switch once, which is how a person on a mat would do them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from .catalogue import Stretch
from .routines import Item, Routine

READY = "ready"  # get into position for the first stretch
MOVE = "move"  # move on to the next stretch and get into position
HOLD = "hold"  # hold the stretch
FLOW = "flow"  # a continuous movement, such as foam rolling
SWITCH = "switch"  # change to the other side
REST = "rest"  # rest between reps on the same side

WORK = (HOLD, FLOW)
FIRST_SIDE, SECOND_SIDE = "right", "left"


@dataclass(frozen=True)
class Overrides:
    """What the command line changes for one run."""

    hold: int | None = None
    reps: int | None = None
    rest: float | None = None
    side: str | None = None  # left, right or both
    wait: bool = False  # wait for Enter at each switch of sides
    setup: float | None = None  # seconds to get into position for every stretch


@dataclass(frozen=True)
class Phase:
    kind: str
    duration: float
    item: int  # which stretch of the routine, from 0
    stretch: Stretch
    side: str | None = None  # right, left, or None for stretches without sides
    rep: int = 1
    reps: int = 1
    wait: bool = False  # waits for the user instead of counting down
    start: float = 0.0  # planned seconds from the routine's start

    @property
    def is_work(self) -> bool:
        return self.kind in WORK

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "seconds": self.duration,
            "kind": self.kind,
            "stretch": self.stretch.slug,
            "name": self.stretch.name,
            "item": self.item + 1,
            "side": self.side,
            "side_means": self.stretch.side_text(self.side) if self.side else None,
            "rep": self.rep,
            "reps": self.reps,
            "wait": self.wait,
        }


@dataclass(frozen=True)
class Timeline:
    routine: str
    phases: tuple[Phase, ...]
    stretches: tuple[Stretch, ...]
    _after: tuple[float, ...] = field(default=(), repr=False)

    @property
    def planned(self) -> float:
        """Seconds the whole routine takes when nothing is skipped or paused."""
        return self._after[0] if self._after else 0.0

    def after(self, index: int) -> float:
        """Planned seconds of the phases that come after ``index``."""
        return self._after[index + 1] if index + 1 < len(self._after) else 0.0

    def work_seconds(self, item: int) -> float:
        return sum(p.duration for p in self.phases if p.item == item and p.is_work)

    def as_dict(self) -> dict[str, Any]:
        return {
            "routine": self.routine,
            "total_seconds": self.planned,
            "stretches": [s.slug for s in self.stretches],
            "phases": [p.as_dict() for p in self.phases],
        }


def build(routine: Routine, overrides: Overrides = Overrides()) -> Timeline:
    """The routine's phases.  Optional items are extras that only fitting
    (fitting.py) puts in, so they are left out here."""
    items = [item for item in routine.items if not item.optional]
    phases: list[Phase] = []
    for index, item in enumerate(items):
        phases.extend(_item_phases(routine, index, item, overrides))
    return _timeline(routine.name, phases, tuple(i.stretch for i in items))


def _timeline(name: str, phases: list[Phase], stretches: tuple[Stretch, ...]) -> Timeline:
    starts = [0.0, *accumulate(p.duration for p in phases)]
    placed = tuple(_with(p, start=s) for p, s in zip(phases, starts))
    # after[i] = planned seconds from the start of phase i to the end.
    total = starts[-1]
    after = tuple(total - s for s in starts[:-1]) + (0.0,)
    return Timeline(name, placed, stretches, after)


def _with(phase: Phase, **changes: Any) -> Phase:
    from dataclasses import replace

    return replace(phase, **changes)


def _item_phases(routine: Routine, index: int, item: Item, overrides: Overrides) -> list[Phase]:
    stretch = item.stretch
    hold = overrides.hold or item.hold or stretch.hold.pick(routine.holds)
    reps = overrides.reps or item.reps or stretch.reps.pick(routine.reps)
    rest = overrides.rest if overrides.rest is not None else routine.pauses.rest
    sides = sides_of(stretch, item.sides, overrides.side)
    work = FLOW if stretch.continuous else HOLD

    def phase(kind: str, duration: float, side: str | None, rep: int, **extra: Any) -> Phase:
        return Phase(kind, float(duration), index, stretch, side, rep, reps, **extra)

    first = READY if index == 0 else MOVE
    phases = [phase(first, setup_of(routine, item, overrides), sides[0], 1)]
    for number, side in enumerate(sides):
        if number:
            phases.append(phase(SWITCH, routine.pauses.switch, side, 1, wait=overrides.wait))
        for rep in range(1, reps + 1):
            if rep > 1:
                phases.append(phase(REST, rest, side, rep))
            phases.append(phase(work, hold, side, rep))
    # A pause of zero seconds is no pause at all, unless it waits for the user.
    return [p for p in phases if p.duration > 0 or p.wait or p.is_work]


def setup_of(routine: Routine, item: Item, overrides: Overrides = Overrides()) -> float:
    """Seconds to get into position: the command line's, the routine item's, the
    stretch's, else the routine's."""
    for seconds in (overrides.setup, item.setup, item.stretch.setup):
        if seconds is not None:
            return seconds
    return routine.pauses.ready


def sides_of(stretch: Stretch, item_sides: str | None,
             cli_side: str | None) -> list[str | None]:
    """The sides a stretch is done on, in order; [None] when it has none."""
    if not stretch.each_side:
        return [None]
    chosen = cli_side or item_sides or "both"
    return [FIRST_SIDE, SECOND_SIDE] if chosen == "both" else [chosen]
