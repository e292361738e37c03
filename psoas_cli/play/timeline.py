"""A routine expanded into the phases the player steps through.

Pure Python.  Each phase has a kind, a duration and what the screen shows:
the stretch, the side and the rep.  Per-side stretches do every rep on one
side, then switch once, which is how a person on a mat would do them.  A
movement (the glute bridge) is a LIFT (and hold at the top) then a LOWER
for every rep, the last one too.

Each get-ready lasts long enough for what is said in it (coaching.py): the
way out of the stretch before and the move to this one's position, the
set-up, and the first time in the routine its cautions and easier option;
within the stretch's set-up range, unless the command line sets the set-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate
from typing import Any, NamedTuple

from psoas_cli import limits
from psoas_cli.errors import RoutineError
from psoas_cli.model.catalogue import NO_MOVES, Moves, Stretch, equipment
from psoas_cli.model.routines import Item, Routine
from psoas_cli.play import coaching

READY = "ready"  # get into position for the first stretch
MOVE = "move"  # move on to the next stretch and get into position
HOLD = "hold"  # hold the stretch
FLOW = "flow"  # a continuous movement, such as foam rolling
SWITCH = "switch"  # change to the other side
REST = "rest"  # rest between reps on the same side
LIFT = "lift"  # a movement's rep: lift, and hold at the top
LOWER = "lower"  # ...then lower, before the next lift (or the next stretch)
# Rock gently in and out of the stretch, a second each way, before the first
# hold on a side (a routine item's ``dynamic``): a moving warm-up into it.
ROCK = "rock"

ROCK_SECONDS = 2  # one rock: a second in, a second out
# A program's tighter side gets one more hold (an item's ``extra_side``), after
# a rest at least this long, in which this line is shown and said (a movement:
# one more lift, this line at the lower before it); {means}: what the side
# means for the stretch, its limb first.
EXTRA_REST = 5.0
TIGHTER_SAYS = "One more on the tighter side: {means}."
WORK = (HOLD, FLOW, LIFT)
GETTING_READY = (READY, MOVE)
FIRST_SIDE, SECOND_SIDE = "right", "left"
LOWER_LEAST = 2.0  # seconds to lower from a lift, however short the routine's rests


class Overrides(NamedTuple):
    """What the command line changes for one run."""

    hold: int | None = None
    reps: int | None = None
    rest: float | None = None
    side: str | None = None  # left, right or both
    wait: bool = False  # wait for Enter before each stretch and at each switch of sides
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

    @property
    def getting_ready(self) -> bool:
        return self.kind in GETTING_READY

    def as_dict(self) -> dict[str, Any]:
        stretch, side = self.stretch, self.side
        found = {
            "start": self.start,
            "seconds": self.duration,
            "kind": self.kind,
            "stretch": stretch.slug,
            "name": stretch.name,
            "item": self.item + 1,
            "side": side,
            "side_word": stretch.side_word_of(side) if side and stretch.side_word else None,
            "side_means": stretch.side_text(side) if side else None,
            "rep": self.rep,
            "reps": self.reps,
            "wait": self.wait,
            "rocks": self.rocks or None,
            "note": self.note or None,
        }
        if self.kind == SWITCH and side:
            found["switch"] = stretch.switch_text(side)
        if stretch.plays:
            found["variant"] = stretch.plays
        return found


class Part(NamedTuple):
    """A timeline played as one part of something longer (a self-test's side,
    its questions between the parts): what the screen says around it."""

    header: str  # the header's right instead of "stretch 1 of 1": "side 1 of 2"
    before: float = 0.0  # planned seconds of the parts played before this one
    later: float = 0.0  # ... and of those still to come after it
    then: str = ""  # what comes after its last phase, for "Next:"


class Timeline:
    """A routine's phases, in order, with their planned starts; the moves
    between positions said while getting ready, and the closing line."""

    __slots__ = ("routine", "phases", "stretches", "_after", "purpose", "closing", "moves",
                 "part")

    def __init__(self, routine: str, phases: tuple[Phase, ...], stretches: tuple[Stretch, ...],
                 _after: tuple[float, ...] = (), *, purpose: str = "", moves: Moves = NO_MOVES,
                 closing: str = "", part: Part | None = None) -> None:
        self.routine = routine
        self.phases = phases
        self.stretches = stretches
        self._after = _after  # planned seconds from the start of each phase to the end
        self.purpose = purpose  # the routine's own words: why it is built so
        self.closing = closing  # ...and what to do after its last hold
        self.moves = moves  # how to move between positions, said while getting ready
        self.part = part  # None: a whole routine; else one part of a self-test

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

    @property
    def whole(self) -> float:
        """Planned seconds of the whole it is a part of (itself, when it is no part)."""
        part = self.part
        return self.planned + (part.before + part.later if part else 0.0)

    def after(self, index: int) -> float:
        """Planned seconds of the phases that come after ``index``, in the
        parts still to come too."""
        later = self.part.later if self.part else 0.0
        return (self._after[index + 1] if index + 1 < len(self._after) else 0.0) + later

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


def build(routine: Routine, overrides: Overrides = NO_OVERRIDES,
          moves: Moves = NO_MOVES, closing: str = "") -> Timeline:
    """The routine's phases.  Optional items are extras that only fitting
    (fitting.py) puts in, so they are left out here.  ``moves`` are the
    catalogue's moves between positions, said while getting ready;
    ``closing``, what is said at the end.

    A routine longer than limits.ROUTINE_SECONDS is refused before any phase
    is made (a billion reps would fill the memory).
    """
    try:
        limits.check_length(length(routine, overrides, moves))
    except limits.OutOfBounds as exc:
        raise RoutineError(str(exc), item=routine.name) from None
    items = _played(routine)
    setups = ready_seconds(routine, items, overrides, moves)
    phases: list[Phase] = []
    for index, item in enumerate(items):
        phases.extend(_item_phases(routine, index, item, overrides, setups[index]))
    made = _timeline(routine.name, phases, tuple(i.stretch for i in items), moves)
    made.purpose, made.closing = routine.purpose, routine.closing or closing
    return made


def ready_seconds(routine: Routine, items: list[Item], overrides: Overrides,
                  moves: Moves = NO_MOVES, setups: list[float] | None = None) -> list[float]:
    """Each item's time to get into position, in this order: its own set-up
    (``setups``, else setup_of), lengthened for what is said while getting
    ready, unless the command line set it (the words then make do)."""
    bases = setups if setups is not None else [setup_of(routine, i, overrides) for i in items]
    if overrides.setup is not None:
        return list(bases)
    seconds = []
    seen: set[str] = set()
    for index, (item, base) in enumerate(zip(items, bases, strict=True)):
        stretch = item.stretch
        side = sides_of(stretch, item.sides, overrides.side)[0]
        before = items[index - 1].stretch if index else None
        seconds.append(coaching.ready_seconds(stretch, side, base, before=before,
                                              first_time=stretch.slug not in seen,
                                              moves=moves, note=item.note,
                                              rocks=item.dynamic))
        seen.add(stretch.slug)
    return seconds


def length(routine: Routine, overrides: Overrides = NO_OVERRIDES,
           moves: Moves = NO_MOVES) -> float:
    """Planned seconds of the routine, worked out without making its phases,
    each get-ready as long as build makes it.

    Stops adding once past limits.ROUTINE_SECONDS, so it stays quick on a
    routine of absurd length.
    """
    total = 0.0
    items = _played(routine)
    setups = ready_seconds(routine, items, overrides, moves)
    for index, item in enumerate(items):
        total += sum(step[1] for step in _item_steps(routine, index, item, overrides,
                                                     setups[index]))
        if total > limits.ROUTINE_SECONDS:
            break
    return total


def assemble(name: str, phases: list[Phase], stretches: tuple[Stretch, ...],
             part: Part | None = None) -> Timeline:
    """A timeline of phases made elsewhere (a self-test's side), their starts
    worked out as a routine's are; ``part``: what it is a part of."""
    made = _timeline(name, phases, stretches)
    made.part = part
    return made


def _played(routine: Routine) -> list[Item]:
    return [item for item in routine.items if not item.optional]


def _timeline(name: str, phases: list[Phase], stretches: tuple[Stretch, ...],
              moves: Moves = NO_MOVES) -> Timeline:
    starts = [0.0, *accumulate(p.duration for p in phases)]
    # starts holds one more than phases: the end of the last.
    placed = tuple(_with(p, start=s) for p, s in zip(phases, starts, strict=False))
    # after[i] = planned seconds from the start of phase i to the end.
    total = starts[-1]
    after = tuple(total - s for s in starts[:-1]) + (0.0,)
    return Timeline(name, placed, stretches, after, moves=moves)


def _with(phase: Phase, **changes: Any) -> Phase:
    return phase._replace(**changes)


def _item_phases(routine: Routine, index: int, item: Item, overrides: Overrides,
                 setup: float) -> list[Phase]:
    reps = _reps(routine, item, overrides)
    extra = _extra_side(item, overrides)
    phases = []
    for number, (kind, duration, side, rep, wait) in enumerate(
            _item_steps(routine, index, item, overrides, setup)):
        more = extra is not None and side == extra
        note = item.note if number == 0 else ""
        if more and side and ((kind == REST and rep == reps + 1)
                              or (kind == LOWER and rep == reps)):
            note = TIGHTER_SAYS.format(means=item.stretch.side_text(side) or f"your {side}")
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
    return asked_reps(item, overrides) or item.reps or item.stretch.reps.pick(routine.reps)


def asked_hold(item: Item, overrides: Overrides) -> int | None:
    """The hold the command line's --hold sets for ``item``, or None: never a
    movement's (the seconds at the top of a lift stay the catalogue's), and for
    an advanced stretch or a backbend at most the catalogue's longest."""
    hold, stretch = overrides.hold, item.stretch
    if not hold or stretch.movement:
        return None
    return min(hold, stretch.hold.high) if stretch.dose_capped else hold


def asked_reps(item: Item, overrides: Overrides) -> int | None:
    """The reps the command line's --reps sets for ``item``, or None: for an
    advanced stretch or a backbend at most the catalogue's most."""
    reps, stretch = overrides.reps, item.stretch
    if not reps:
        return None
    return min(reps, stretch.reps.high) if stretch.dose_capped else reps


def capped(routine: Routine, overrides: Overrides) -> list[str]:
    """One line for each stretch of ``routine`` (as fitted: its holds and reps
    stated) whose --hold or --reps was not played as asked, saying what is."""
    lines: list[str] = []
    seen: set[str] = set()
    for item in routine.items:
        stretch = item.stretch
        if stretch.slug in seen:
            continue
        seen.add(stretch.slug)
        hold = int(item.hold or stretch.hold.pick(routine.holds))
        reps = _reps(routine, item, overrides)
        hold_cut = bool(overrides.hold) and not stretch.movement \
            and asked_hold(item, overrides) != overrides.hold
        reps_cut = bool(overrides.reps) and asked_reps(item, overrides) != overrides.reps
        asked = ", ".join(f"--{name} asked {value}" for name, value, cut in (
            ("hold", overrides.hold, hold_cut), ("reps", overrides.reps, reps_cut)) if cut)
        if hold_cut and reps_cut:
            lines.append(f"{stretch.slug}: {reps} x {hold} s, its most ({asked}).")
        elif hold_cut:
            lines.append(f"{stretch.slug}: held {hold} s, its longest ({asked}).")
        elif reps_cut:
            lines.append(f"{stretch.slug}: {reps} {'rep' if reps == 1 else 'reps'}, its most "
                         f"({asked}).")
        elif overrides.hold and stretch.movement:
            lines.append(f"{stretch.slug}: each {stretch.lifts} held {hold} s, as always "
                         "(--hold is for stretches).")
    return lines


def _item_steps(routine: Routine, index: int, item: Item, overrides: Overrides,
                setup: float | None = None) -> Iterator[Step]:
    """(kind, seconds, side, rep, wait) of each phase of one item, in order."""
    stretch = item.stretch
    hold = float(asked_hold(item, overrides) or item.hold or stretch.hold.pick(routine.holds))
    reps = _reps(routine, item, overrides)
    rest = float(rest_of(routine, item, overrides))
    switch = float(switch_of(routine, item))
    sides = sides_of(stretch, item.sides, overrides.side)
    work = FLOW if stretch.continuous else HOLD
    wait = overrides.wait
    # A pause of zero seconds is no pause at all, unless it waits for the user.
    setup = float(setup_of(routine, item, overrides) if setup is None else setup)
    if setup > 0 or wait:
        yield READY if index == 0 else MOVE, setup, sides[0], 1, wait
    for number, side in enumerate(sides):
        if number and (switch > 0 or wait):
            yield SWITCH, switch, side, 1, wait
        if item.dynamic and not stretch.movement:
            yield ROCK, float(item.dynamic * ROCK_SECONDS), side, 1, False
        for rep in range(1, reps + 1):
            if stretch.movement:
                yield LIFT, hold, side, rep, False
                yield LOWER, lower_of(routine, item, overrides), side, rep, False
                continue
            if rep > 1 and rest > 0:
                yield REST, rest, side, rep, False
            yield work, hold, side, rep, False
        if side is not None and side == _extra_side(item, overrides):
            if stretch.movement:
                yield LIFT, hold, side, reps + 1, False
                yield LOWER, lower_of(routine, item, overrides), side, reps + 1, False
                continue
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


def lower_of(routine: Routine, item: Item, overrides: Overrides) -> float:
    """Seconds to lower after each lift of a movement: its rest, and never too
    short to come down slowly."""
    return max(float(rest_of(routine, item, overrides)), LOWER_LEAST)


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
