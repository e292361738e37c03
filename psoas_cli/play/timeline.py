"""A routine expanded into the phases the player steps through.

Pure Python.  Each phase has a kind, a duration and what the screen shows:
the stretch, the side and the rep.  Per-side stretches do every rep on one
side, then switch once, which is how a person on a mat would do them.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate
from typing import Any, NamedTuple

from psoas_cli import limits
from psoas_cli.errors import RoutineError
from psoas_cli.model.catalogue import Stretch, equipment
from psoas_cli.model.routines import Item, Routine

READY = "ready"  # get into position for the first stretch
MOVE = "move"  # move on to the next stretch and get into position
HOLD = "hold"  # hold the stretch
FLOW = "flow"  # a continuous movement, such as foam rolling
SWITCH = "switch"  # change to the other side
REST = "rest"  # rest between reps on the same side
# Rock gently in and out of the stretch, a second each way, before the first
# hold on a side (a routine item's ``dynamic``): a moving warm-up into it.
ROCK = "rock"

ROCK_SECONDS = 2  # one rock: a second in, a second out
# A program's tighter side gets one more hold (an item's ``extra_side``), after
# a rest at least this long, in which this line is shown and said.
EXTRA_REST = 5.0
TIGHTER_SAYS = "One more on your {side}, the tighter side."
WORK = (HOLD, FLOW)
FIRST_SIDE, SECOND_SIDE = "right", "left"


class Overrides(NamedTuple):
    """What the command line changes for one run."""

    hold: int | None = None
    reps: int | None = None
    rest: float | None = None
    side: str | None = None  # left, right or both
    wait: bool = False  # wait for Enter at each switch of sides
    setup: float | None = None  # seconds to get into position for every stretch


NO_OVERRIDES = Overrides()  # nothing changed: the routine as written

# One phase of an item, before it is placed: (kind, seconds, side, rep, wait).
Step = tuple[str, float, str | None, int, bool]


class Phase(NamedTuple):
    kind: str
    duration: float
    item: int  # which stretch of the routine, from 0
    stretch: Stretch
    side: str | None = None  # right, left, or None for stretches without sides
    rep: int = 1
    reps: int = 1
    wait: bool = False  # waits for the user instead of counting down
    start: float = 0.0  # planned seconds from the routine's start
    # The routine's own line for this stretch (an item's ``note``), on the
    # first phase of the stretch: where the chair goes, where a hand rests.
    note: str = ""

    @property
    def rocks(self) -> int:
        """How many times a ROCK phase rocks in and out; 0 for other phases."""
        return int(self.duration // ROCK_SECONDS) if self.kind == ROCK else 0

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
            "rocks": self.rocks or None,
            "note": self.note or None,
        }


class Timeline:
    """A routine's phases, in order, with their planned starts."""

    __slots__ = ("routine", "phases", "stretches", "_after", "purpose", "closing")

    def __init__(self, routine: str, phases: tuple[Phase, ...], stretches: tuple[Stretch, ...],
                 _after: tuple[float, ...] = (), *, purpose: str = "",
                 closing: str = "") -> None:
        self.routine = routine
        self.phases = phases
        self.stretches = stretches
        self._after = _after  # planned seconds from the start of each phase to the end
        self.purpose = purpose  # the routine's own words: why it is built so
        self.closing = closing  # ...and what to do after its last hold

    def first_time(self, index: int) -> bool:
        """Whether phase ``index`` belongs to the first stretch of the routine
        with its slug: desk plays the standing stretch twice, and what is said
        once about a stretch is said the first time."""
        slug = self.phases[index].stretch.slug
        item = self.phases[index].item
        return all(s.slug != slug for s in self.stretches[:item])

    def __repr__(self) -> str:
        return f"Timeline({self.routine!r}, {len(self.phases)} phases)"

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
            "purpose": self.purpose or None,
            "closing": self.closing or None,
            "total_seconds": self.planned,
            "stretches": [s.slug for s in self.stretches],
            "equipment": equipment(self.stretches),
            "phases": [p.as_dict() for p in self.phases],
        }


def build(routine: Routine, overrides: Overrides = NO_OVERRIDES) -> Timeline:
    """The routine's phases.  Optional items are extras that only fitting
    (fitting.py) puts in, so they are left out here.

    A routine longer than limits.ROUTINE_SECONDS is refused before any phase
    is made (a billion reps would fill the memory).
    """
    try:
        limits.check_length(length(routine, overrides))
    except limits.OutOfBounds as exc:
        raise RoutineError(str(exc), item=routine.name) from None
    items = _played(routine)
    phases: list[Phase] = []
    for index, item in enumerate(items):
        phases.extend(_item_phases(routine, index, item, overrides))
    made = _timeline(routine.name, phases, tuple(i.stretch for i in items))
    made.purpose, made.closing = routine.purpose, routine.closing
    return made


def length(routine: Routine, overrides: Overrides = NO_OVERRIDES) -> float:
    """Planned seconds of the routine, worked out without making its phases.

    Stops adding once past limits.ROUTINE_SECONDS, so it stays quick on a
    routine of absurd length.
    """
    total = 0.0
    for index, item in enumerate(_played(routine)):
        total += sum(step[1] for step in _item_steps(routine, index, item, overrides))
        if total > limits.ROUTINE_SECONDS:
            break
    return total


def assemble(name: str, phases: list[Phase], stretches: tuple[Stretch, ...]) -> Timeline:
    """A timeline of phases made elsewhere (a self-test's side), their starts
    worked out as a routine's are."""
    return _timeline(name, phases, stretches)


def _played(routine: Routine) -> list[Item]:
    return [item for item in routine.items if not item.optional]


def _timeline(name: str, phases: list[Phase], stretches: tuple[Stretch, ...]) -> Timeline:
    starts = [0.0, *accumulate(p.duration for p in phases)]
    # starts holds one more than phases: the end of the last.
    placed = tuple(_with(p, start=s) for p, s in zip(phases, starts, strict=False))
    # after[i] = planned seconds from the start of phase i to the end.
    total = starts[-1]
    after = tuple(total - s for s in starts[:-1]) + (0.0,)
    return Timeline(name, placed, stretches, after)


def _with(phase: Phase, **changes: Any) -> Phase:
    return phase._replace(**changes)


def _item_phases(routine: Routine, index: int, item: Item, overrides: Overrides) -> list[Phase]:
    reps = _reps(routine, item, overrides)
    extra = _extra_side(item, overrides)
    phases = []
    for number, (kind, duration, side, rep, wait) in enumerate(
            _item_steps(routine, index, item, overrides)):
        more = extra is not None and side == extra
        note = item.note if number == 0 else ""
        if more and kind == REST and rep == reps + 1:
            note = TIGHTER_SAYS.format(side=side)
        phases.append(Phase(kind, duration, index, item.stretch, side, rep,
                            reps + 1 if more else reps, wait=wait, note=note))
    return phases


def _extra_side(item: Item, overrides: Overrides) -> str | None:
    """The side that gets one more hold, when it is played at all."""
    side = item.extra_side
    if side is None or not item.stretch.each_side:
        return None
    return side if side in sides_of(item.stretch, item.sides, overrides.side) else None


def _reps(routine: Routine, item: Item, overrides: Overrides) -> int:
    return overrides.reps or item.reps or item.stretch.reps.pick(routine.reps)


def _item_steps(routine: Routine, index: int, item: Item, overrides: Overrides) -> Iterator[Step]:
    """(kind, seconds, side, rep, wait) of each phase of one item, in order."""
    stretch = item.stretch
    hold = float(overrides.hold or item.hold or stretch.hold.pick(routine.holds))
    reps = _reps(routine, item, overrides)
    rest = float(rest_of(routine, item, overrides))
    switch = float(switch_of(routine, item))
    sides = sides_of(stretch, item.sides, overrides.side)
    work = FLOW if stretch.continuous else HOLD
    # A pause of zero seconds is no pause at all, unless it waits for the user.
    setup = float(setup_of(routine, item, overrides))
    if setup > 0:
        yield READY if index == 0 else MOVE, setup, sides[0], 1, False
    for number, side in enumerate(sides):
        if number and (switch > 0 or overrides.wait):
            yield SWITCH, switch, side, 1, overrides.wait
        if item.dynamic:
            yield ROCK, float(item.dynamic * ROCK_SECONDS), side, 1, False
        for rep in range(1, reps + 1):
            if rep > 1 and rest > 0:
                yield REST, rest, side, rep, False
            yield work, hold, side, rep, False
        if side is not None and side == _extra_side(item, overrides):
            yield REST, max(rest, EXTRA_REST), side, reps + 1, False
            yield work, hold, side, reps + 1, False


def setup_of(routine: Routine, item: Item, overrides: Overrides = NO_OVERRIDES) -> float:
    """Seconds to get into position: the command line's, the routine item's, the
    stretch's, else the routine's."""
    return _first(overrides.setup, item.setup, item.stretch.setup, routine.pauses.ready)


def rest_of(routine: Routine, item: Item, overrides: Overrides = NO_OVERRIDES) -> float:
    """Seconds between reps on one side: the command line's, the routine item's,
    the stretch's (a pose that takes time to come out of), else the routine's."""
    return _first(overrides.rest, item.rest, item.stretch.rest, routine.pauses.rest)


def switch_of(routine: Routine, item: Item) -> float:
    """Seconds to switch sides: the routine item's, the stretch's, else the routine's."""
    return _first(item.switch, item.stretch.switch, routine.pauses.switch)


def _first(*seconds: float | None) -> float:
    return next(s for s in seconds if s is not None)


def sides_of(stretch: Stretch, item_sides: str | None,
             cli_side: str | None) -> list[str | None]:
    """The sides a stretch is done on, in order; [None] when it has none."""
    if not stretch.each_side:
        return [None]
    chosen = cli_side or item_sides or "both"
    return [FIRST_SIDE, SECOND_SIDE] if chosen == "both" else [chosen]
