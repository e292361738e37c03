"""Fitting a routine to a level and to a length of time.

Pure Python.  ``fit()`` turns a routine as written into the routine to play:
every item with its hold, reps and time to get into position worked out, so
that ``timeline.build()`` of the result lasts what was asked.

The level comes first: it picks each stretch's hold and reps (the low, middle
or high end of the catalogue's range), lengthens the set-up times, and at
gentle leaves out the stretches the catalogue marks as advanced.

Then, when a length is asked for, with ``tolerance()`` to spare (5 %, or 15 s
if that is more), psoas changes as little as it can, in this order:

1. Holds, within each stretch's range: every hold moves the same share of
   the way from where the level put it towards its end of the range, then a
   second at a time where that comes closer.
2. Reps, within each range, a rep at a time, the smallest change first;
   the holds are fitted again after each.
3. The stretches, one at a time, in an order the routine states.  When
   even the shortest holds and fewest reps take too long, stretches are
   left out: first those the routine names in ``leave_out``, in that
   order; then from the second-to-last stretch back to the second; then
   the last.  The first stretch stays longest, so the routine still starts,
   and as long as it can ends, where it says.  When even the longest holds
   and most reps are too short, the routine's ``optional`` stretches are
   added, in the routine's order.  psoas stops at the first change after
   which holds and reps can last the time itself (else takes the one that
   comes closest within the tolerance); only if none can does it try other
   stretches in their place, as few changes as can be, those to leave out
   first tried first, and those named in ``leave_out`` only ever left out
   in the order named (``full`` names camel before cobra: camel never stays
   without cobra before it to prepare the back).  The first stretch always stays, unless the routine
   names it in ``leave_out``, and then the first it does not name stays
   (in ``full``, which opens on the foam roller, the supine stretch): a
   plan of two stretches the routine would leave out first, such as camel
   and its counter-pose alone, is not that routine fitted; better to say
   which lengths can be met.

A counter-pose (an item's ``counter_to``: child's pose after camel) comes
and goes with the stretch it answers, in every one of these steps and at
the gentle level: never left out while that stretch stays, never played
without it.

Nothing goes outside a stretch's range in the catalogue unless the user's
own ``--hold``/``--reps`` (or a hold or reps the routine sets for one item)
say so: those are kept as they are.  Rests, switches, set-up times and the
rocking before a hold (an item's ``dynamic``) are never changed to fit; but
a get-ready is as long as its words need (timeline.ready_seconds), which
depends on the stretch before it, so the set-up times are worked out again
for each set of stretches tried.  When the time can't be met, ``CannotFit``
says what can.

At the gentle level a stretch with an easier variant (catalogue ``gentle``)
plays that variant instead.

The work is bounded (``MOST_WORK``): each set of stretches tried is first
bounded from the last one, not summed again: its shortest and longest times,
each get-ready taken at its shortest (the set-up as given) and at the longest
its words could make it (said after whichever stretch makes them longest).
Only a set whose bounds can reach the time is placed (every get-ready worked
out where it stands, as the plan will have it) before its holds are fitted.
So a routine of thousands of stretches fits in a fraction of a second, and
one that would need more is said to be too long rather than keep psoas busy
for minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import chain, combinations
from typing import Any, NamedTuple

from psoas_cli.errors import CannotFit
from psoas_cli.model.catalogue import NO_MOVES, Moves, Stretch
from psoas_cli.model.levels import GENTLE, Level
from psoas_cli.model.routines import Item, Routine
from psoas_cli.play.coaching import ready_seconds as ready_setup
from psoas_cli.play.phrases import clock
from psoas_cli.play.timeline import (
    NO_OVERRIDES,
    ROCK_SECONDS,
    Overrides,
    asked_hold,
    asked_reps,
    lower_of,
    ready_seconds,
    rest_of,
    setup_of,
    sides_of,
    switch_of,
)

# At most this many sets of stretches are tried before giving up; only a
# routine of well over a dozen stretches gets near it.
MOST_TRIES = 20_000  # TODO limits
# The work one fitting may do, counted in stretches looked at (a few million a
# second): enough for any routine of a few dozen stretches to be fitted
# exactly; a routine of thousands is fitted as well as this allows (or said
# to be too long), in well under a second, rather than in minutes.
MOST_WORK = 1_000_000
# Placing a stretch (working out its get-ready where it stands, and copying its
# slot) costs about as much as this many stretches looked at elsewhere.
PLACING = 3
# At most this many get-readies are worked out to find how long each stretch's
# could be (each kind of stretch after each other kind: a few hundred for a
# built-in routine; coaching keeps 4,096 answers, 60 ms' worth); a routine of
# more kinds takes the top of each set-up range instead (see _bound).
MOST_CEILINGS = 4_000
# Bounds are sums taken in another order than the placed set's: this much
# slack (seconds) keeps them on the safe side of any rounding.
_SLACK = 0.01


class _OutOfWork(Exception):
    """The fitting has done MOST_WORK."""


class _Work:
    """What one fitting has spent so far."""

    __slots__ = ("left",)

    def __init__(self, most: int = MOST_WORK) -> None:
        self.left = most

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise _OutOfWork()


def tolerance(seconds: float) -> float:
    """How far from the time asked a fitted routine may end: 5 %, or 15 s if more."""
    return max(0.05 * seconds, 15.0)


class Fit(NamedTuple):
    routine: Routine  # what to play: every item's hold, reps and set-up stated
    level: Level
    total: float  # planned seconds
    target: float | None = None  # seconds asked for, if any
    advanced: tuple[Stretch, ...] = ()  # left out by the gentle level
    left_out: tuple[Stretch, ...] = ()  # left out to fit the time
    added: tuple[Stretch, ...] = ()  # optional stretches added to fill it
    paired: tuple[Stretch, ...] = ()  # counter-poses left out with the advanced they answer

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level.name, "target_seconds": self.target,
                "tolerance_seconds": tolerance(self.target) if self.target else None,
                "left_out_advanced": [s.slug for s in self.advanced],
                "left_out": [s.slug for s in self.left_out],
                "added": [s.slug for s in self.added],
                "left_out_with_their_pair": [s.slug for s in self.paired]}

    def notes(self, *, total: bool = True) -> list[str]:
        """Sentences on what the fitting and the level changed; ``total``: the
        length reached too."""
        notes = []
        if self.target is not None and total:
            notes.append(f"Fitted to {clock(self.target)} (within "
                         f"{clock(tolerance(self.target))}): {clock(self.total)} at the "
                         f"{self.level.name} level.")
        if self.advanced:
            notes.append(f"Left out as advanced at the gentle level: {_names(self.advanced)}.")
        if self.paired:
            notes.append(f"Left out with the stretch each answers: {_names(self.paired)}.")
        if self.left_out:
            notes.append(f"Left out to fit the time: {_names(self.left_out)}.")
        if self.added:
            notes.append(f"Added to fill the time: {_names(self.added)}.")
        return notes


def _names(stretches: Sequence[Stretch]) -> str:
    return ", ".join(s.name for s in stretches)


# -- one stretch of the routine, and what it may take ------------------------------

class _Slot:
    """One item of the routine and the room it has; a plain class, as it is
    cheaper to define than a dataclass at every start.  Two slots are the
    same item when they have the same ``position``: a slot is copied with the
    set-up it takes where it stands (``placed``)."""

    __slots__ = ("position", "item", "holds", "reps", "hold0", "reps0", "sides", "setup",
                 "rest", "switch", "pair", "base", "ceiling", "floor", "top", "lifts",
                 "rocking")

    def __init__(self, position: int, item: Item, holds: tuple[int, int],
                 reps: tuple[int, int], hold0: int, reps0: int, sides: int, setup: float,
                 rest: float, switch: float, base: float | None = None,
                 ceiling: float | None = None) -> None:
        self.position = position  # in routine.items
        self.item = item
        self.holds = holds  # the range a hold may take
        self.reps = reps
        self.hold0 = hold0  # where the level puts it
        self.reps0 = reps0
        self.sides = sides
        self.setup = setup
        self.rest = rest
        self.switch = switch
        # Asked for at every total: kept rather than asked of the stretch each time.
        self.lifts = item.stretch.movement  # done as lifts, each with a LOWER after it
        self.rocking = 0 if self.lifts else item.dynamic * ROCK_SECONDS
        # The slot of the stretch this one is the counter-pose of (set by fit()):
        # the two are played together or not at all.
        self.pair: _Slot | None = None
        self.base = setup if base is None else base  # the set-up before the words count
        # The longest its words could make the set-up, wherever it stands.
        self.ceiling = self.base if ceiling is None else ceiling
        # The least and the most it takes wherever it stands (set by _bound,
        # only on the slots the search starts from, not on placed copies).
        self.floor: float
        self.top: float

    def placed(self, setup: float) -> _Slot:
        """This slot with the set-up it takes where it stands in a routine."""
        copy = _Slot(self.position, self.item, self.holds, self.reps, self.hold0, self.reps0,
                     self.sides, setup, self.rest, self.switch, self.base, self.ceiling)
        copy.pair = self.pair
        return copy

    def seconds(self, hold: int, reps: int) -> float:
        """What timeline.build() makes of this item with this hold and reps."""
        return self._seconds(self.setup, hold, reps)

    def _seconds(self, setup: float, hold: int, reps: int) -> float:
        pauses = reps if self.lifts else reps - 1  # a LOWER after every lift
        return (setup + self.sides * (reps * hold + pauses * self.rest + self.rocking)
                + (self.sides - 1) * self.switch)

    @property
    def least(self) -> float:
        return self.seconds(self.holds[0], self.reps[0])

    @property
    def most(self) -> float:
        return self.seconds(self.holds[1], self.reps[1])

    def bound(self, ceiling: float) -> None:
        """Takes ``ceiling`` as the longest its set-up could be, and the least
        and most it takes wherever it stands: ``floor``, its set-up as given;
        ``top``, its set-up at that ceiling."""
        self.ceiling = ceiling
        self.floor = self._seconds(self.base, self.holds[0], self.reps[0])
        self.top = self._seconds(ceiling, self.holds[1], self.reps[1])


def _slot(routine: Routine, position: int, item: Item, level: Level,
          overrides: Overrides, variants: dict[int, Stretch] | None = None) -> _Slot:
    """``variants``: the gentle variants made so far, by the id of the stretch
    they are made from, so that the slots of one stretch share its variant."""
    if level.name == GENTLE:
        variant = None if variants is None else variants.get(id(item.stretch))
        if variant is None:
            variant = item.stretch.in_variant()
            if variants is not None:
                variants[id(item.stretch)] = variant
        item = item._replace(stretch=variant)
    stretch = item.stretch
    fixed_hold = asked_hold(item, overrides) or item.hold
    fixed_reps = asked_reps(item, overrides) or item.reps
    holds = (fixed_hold, fixed_hold) if fixed_hold else (stretch.hold.low, stretch.hold.high)
    reps = (fixed_reps, fixed_reps) if fixed_reps else (stretch.reps.low, stretch.reps.high)
    setup = setup_of(routine, item, overrides)
    if overrides.setup is None and item.setup is None:  # the stretch's or routine's own
        setup = level.setup_seconds(setup)
    pause = lower_of(routine, item, overrides) if stretch.movement \
        else rest_of(routine, item, overrides)
    return _Slot(position, item, holds, reps,
                 fixed_hold or stretch.hold.pick(level.holds),
                 fixed_reps or stretch.reps.pick(level.reps),
                 len(sides_of(stretch, item.sides, overrides.side)), setup,
                 pause, switch_of(routine, item))


Place = Callable[[Sequence[_Slot]], list[_Slot]]


def _placer(routine: Routine, overrides: Overrides, moves: Moves) -> Place:
    """Slots in the order played, each with the set-up its words need there."""

    def place(slots: Sequence[_Slot]) -> list[_Slot]:
        setups = ready_seconds(routine, [s.item for s in slots], overrides, moves,
                               setups=[s.base for s in slots])
        return [s.placed(setup) for s, setup in zip(slots, setups, strict=True)]

    return place


def _bound(slots: list[_Slot], overrides: Overrides, moves: Moves, reach: float) -> None:
    """Each slot told the longest its words could make its set-up (``bound``):
    said the first time, after whichever of the others makes it longest.

    Slots of one stretch, side, set-up, note and rocking share theirs, and
    each other stretch is asked about once, so this is the kinds of slot
    times the stretches, not the slots squared.  When even that is more than
    MOST_CEILINGS, a slot takes the top of its stretch's set-up range (the
    words never make it longer), or ``reach`` when the catalogue gives none:
    a set with such a slot then always counts as long enough, the safe side,
    as ``reach`` is past the longest the fitting may end (its target and
    tolerance)."""
    if overrides.setup is not None:  # the command line's, whatever is said
        for slot in slots:
            slot.bound(slot.base)
        return
    befores: dict[int, Stretch] = {}  # the stretches that may come before another
    plays: dict[int, int] = {}  # how many slots play each
    kinds = []
    for slot in slots:
        item, stretch = slot.item, slot.item.stretch
        befores[id(stretch)] = stretch
        plays[id(stretch)] = plays.get(id(stretch), 0) + 1
        side = sides_of(stretch, item.sides, overrides.side)[0]
        kinds.append((id(stretch), side, slot.base, item.note, item.dynamic))
    exact = len(set(kinds)) * (len(befores) + 1) <= MOST_CEILINGS
    ceilings: dict[tuple[int, str | None, float, str, int], float] = {}
    for slot, kind in zip(slots, kinds, strict=True):
        ceiling = ceilings.get(kind)
        if ceiling is None:
            item, stretch = slot.item, slot.item.stretch
            if exact:  # after any other slot's stretch: its own only when it plays twice
                others = [s for key, s in befores.items() if key != id(stretch)
                          or plays[key] > 1]
                ceiling = max(ready_setup(stretch, kind[1], slot.base, before=other,
                                          first_time=True, moves=moves, note=item.note,
                                          rocks=item.dynamic)
                              for other in [None, *others])
            elif slot.base <= 0:
                ceiling = slot.base  # no get-ready, whatever is said
            elif stretch.setup_most is not None:
                ceiling = max(slot.base, stretch.setup_most)
            else:
                ceiling = max(slot.base, reach)
            ceilings[kind] = ceiling
        slot.bound(ceiling)


# -- fitting holds and reps for one set of stretches -----------------------------------

def _stops(starts: Sequence[int], ranges: Sequence[tuple[int, int]],
           up: bool) -> list[tuple[float, int]]:
    """(share of its way, index) of each single move of a value from ``starts``
    to one end of its range, in the order ``_steps`` makes them."""
    stops = []
    for index, (start, (low, high)) in enumerate(zip(starts, ranges, strict=True)):
        room = (high if up else low) - start
        stops += [((j - 0.5) / abs(room), index) for j in range(1, abs(room) + 1)]
    stops.sort()
    return stops


def _steps(starts: Sequence[int], ranges: Sequence[tuple[int, int]],
           up: bool) -> Iterator[list[int]]:
    """Values moving together from ``starts`` to one end of their ranges.

    Each value moves the same share of its way at once (rounded), so every
    configuration yielded is one step on from the last, smallest change first.
    """
    values = list(starts)
    stops = _stops(starts, ranges, up)
    for number, (share, index) in enumerate(stops):
        values[index] += 1 if up else -1
        if number + 1 == len(stops) or stops[number + 1][0] != share:
            yield list(values)


def _fit_holds(slots: Sequence[_Slot], reps: Sequence[int], target: float,
               work: _Work) -> list[int]:
    """Holds for these reps whose total comes closest to ``target``.

    The holds move as ``_steps`` moves them, a value at a time; the total is
    kept as it goes (base + a whole number of seconds, so exactly the sum it
    would be), and the holds are built only for the best step."""
    weights = [s.sides * r for s, r in zip(slots, reps, strict=True)]
    base = sum(s.seconds(0, r) for s, r in zip(slots, reps, strict=True))
    start = [s.hold0 for s in slots]
    held = sum(w * h for w, h in zip(weights, start, strict=True))
    work.spend(6 * len(slots))  # the sums above, the stops and the holds built below
    up = base + held < target
    step = 1 if up else -1
    stops = _stops(start, [s.holds for s in slots], up)
    work.spend(2 * len(stops))
    best, best_held = -1, held  # the last stop of the best step (-1: none taken)
    for number, (share, index) in enumerate(stops):
        held += step * weights[index]
        if number + 1 == len(stops) or stops[number + 1][0] != share:
            if abs(base + held - target) < abs(base + best_held - target):
                best, best_held = number, held
            if (base + held >= target) == up:
                break
    holds = list(start)
    for _, index in stops[:best + 1]:
        holds[index] += step
    return _polish(holds, slots, weights, target - (base + best_held), work)


def _polish(holds: list[int], slots: Sequence[_Slot], weights: Sequence[int],
            off: float, work: _Work) -> list[int]:
    """Move single holds a second at a time while that brings the total closer."""
    order = sorted(range(len(slots)), key=lambda i: weights[i])
    work.spend(2 * len(order))
    improved = True
    while improved and off:
        improved = False
        work.spend(len(order))
        for i in order:
            step = 1 if off > 0 else -1
            low, high = slots[i].holds
            if low <= holds[i] + step <= high and abs(off - step * weights[i]) < abs(off):
                holds[i] += step
                off -= step * weights[i]
                improved = True
                break
    return holds


def _total(slots: Sequence[_Slot], holds: Sequence[int], reps: Sequence[int]) -> float:
    return sum(s.seconds(h, r) for s, h, r in zip(slots, holds, reps, strict=True))


def _fit_set(slots: Sequence[_Slot], target: float, tried: list[float],
             work: _Work) -> tuple[list[int], list[int]] | None:
    """Holds, then reps, for these stretches to last ``target``; None if they can't
    come within the tolerance.  Every total reached lands in ``tried``.

    The first reps (the level's, then a rep at a time) whose holds can reach
    the time itself win; failing that, the closest within the tolerance.
    """
    allowed = tolerance(target)
    first = [s.reps0 for s in slots]
    up = _total(slots, _fit_holds(slots, first, target, work), first) < target
    fallback = None
    for reps in chain([first], _steps(first, [s.reps for s in slots], up)):
        holds = _fit_holds(slots, reps, target, work)
        total = _total(slots, holds, reps)
        work.spend(4 * len(slots))  # the reps, their total, and whether they reach it
        tried.append(total)
        if _reaches(slots, reps, target):
            return holds, reps
        if abs(total - target) <= allowed and (fallback is None or
                                               abs(total - target) < fallback[0]):
            fallback = abs(total - target), holds, reps
    return fallback[1:] if fallback else None


def _reaches(slots: Sequence[_Slot], reps: Sequence[int], target: float) -> bool:
    """Whether holds alone, with these reps, can make the total ``target``."""
    return (_total(slots, [s.holds[0] for s in slots], reps) <= target
            <= _total(slots, [s.holds[1] for s in slots], reps))


# -- choosing the stretches ---------------------------------------------------------------

def leave_out_order(core: Sequence[Item], named: Sequence[str]) -> list[int]:
    """Positions in ``core`` in the order they are left out when time is short:
    those ``named`` (slugs), then the second-to-last back to the second, the
    last, and the first."""
    where: dict[str, list[int]] = {}
    for i, item in enumerate(core):
        where.setdefault(item.stretch.slug, []).append(i)
    n = len(core)
    order = [i for slug in named for i in where.get(slug, ())]
    return list(dict.fromkeys([*order, *range(n - 2, 0, -1), n - 1, 0])) if n else []


def _choices(core: list[_Slot], extras: list[_Slot], order: list[int], grow: bool,
             target: float, allowed: float,
             work: _Work) -> Iterator[tuple[tuple[_Slot, ...], float, float]]:
    """Stretches to add (or leave out), with bounds on the shortest and longest
    times the routine then takes, one change more each time, in the stated
    order; numbers of changes that can't reach the time are skipped whole.
    Where a stretch stands changes how long its get-ready is, so the bounds
    take each set-up at its shortest (as given) and its longest (its words
    said after whichever stretch makes them longest)."""
    least = sum(s.floor for s in core)
    most = sum(s.top for s in core)
    pool = extras if grow else [core[i] for i in order]
    sign = 1 if grow else -1
    by_least = sorted(s.floor for s in pool)
    by_most = sorted(s.top for s in pool)
    work.spend(len(core) + len(pool))
    for count in range(1, len(pool) + 1 if grow else min(len(pool) + 1, len(core))):
        # The most and the least this many changes can move the two ends.
        work.spend(count)
        if grow:
            shortest, longest = least + sum(by_least[:count]), most + sum(by_most[-count:])
        else:
            shortest, longest = least - sum(by_least[-count:]), most - sum(by_most[:count])
        if (shortest > target + allowed) if grow else (longest < target - allowed):
            return  # more changes only move further away
        if not shortest - allowed <= target <= longest + allowed:
            continue
        for chosen in combinations(pool, count):
            work.spend(count)
            low = least + sign * sum(s.floor for s in chosen)
            high = most + sign * sum(s.top for s in chosen)
            yield chosen, low, high


class _Steps:
    """The routine's stretches with one more change each time, in the stated
    order: one more optional stretch added, or one more left out.  A
    counter-pose comes and goes with the stretch it answers, never alone (as
    ``_paired`` pairs them).  Each set is a step on from the last (each takes
    in all the last one did), so the sets are kept as one list of the slots
    that change, and bounds on each set's shortest and longest times (each
    get-ready at its shortest and longest, as ``_choices`` takes them) worked
    out from the last one's: the work grows with the routine, not with its
    square."""

    def __init__(self, core: list[_Slot], extras: list[_Slot], order: list[int],
                 grow: bool) -> None:
        self.core, self.grow = core, grow
        pool = extras if grow else core
        chosen = extras if grow else [core[i] for i in order[:len(core) - 1]]
        counters: dict[int, list[_Slot]] = {}  # a stretch's counter-poses in the pool
        for slot in pool:
            if slot.pair is not None:
                counters.setdefault(slot.pair.position, []).append(slot)
        self.changed: list[_Slot] = []  # the slots added (or left out), in turn
        self.ends: list[int] = [0]  # how many of them each set has changed
        low, high = sum(s.floor for s in core), sum(s.top for s in core)
        self.spans = [(low, high)]
        picked: set[int] = set()
        taken: set[int] = set()
        sign = 1 if grow else -1

        def take(slot: _Slot) -> None:  # joins the change, with its counter-poses
            for joining in (slot, *counters.get(slot.position, ())):
                if joining.position not in taken:
                    taken.add(joining.position)
                    self.changed.append(joining)

        for slot in chosen:
            picked.add(slot.position)
            if slot.pair is None or slot.pair.position in picked:
                take(slot)
            for counter in counters.get(slot.position, ()):  # picked before its stretch
                if counter.position in picked:
                    take(counter)
            count = len(self.changed)
            if count == self.ends[-1] or (not grow and count >= len(core)):
                continue  # the same set as the last one, or none left at all
            for joined in self.changed[self.ends[-1]:]:
                low, high = low + sign * joined.floor, high + sign * joined.top
            self.ends.append(count)
            self.spans.append((low, high))

    def __len__(self) -> int:
        return len(self.ends)

    def slots(self, step: int) -> list[_Slot]:
        """The stretches of set number ``step`` (0: the routine's own), not
        yet placed."""
        if not step:
            return self.core
        changed = self.changed[:self.ends[step]]
        if self.grow:
            return sorted(self.core + changed, key=lambda s: s.position)
        gone = _ids(changed)
        return [s for s in self.core if s.position not in gone]


def _ids(slots: Sequence[_Slot]) -> set[int]:
    """The items ``slots`` stand for (a slot and its placed copies are one)."""
    return {s.position for s in slots}


def _paired(chosen: Sequence[_Slot], pool: Sequence[_Slot]) -> list[_Slot]:
    """``chosen`` as a pair should be added or left out: with the counter-pose
    of each stretch in it (from ``pool``), and without any counter-pose whose
    stretch is not in it."""
    ids = _ids(chosen)
    kept = [s for s in chosen if s.pair is None or s.pair.position in ids]
    kept_ids = _ids(kept)
    return kept + [s for s in pool if s.pair is not None and s.pair.position in kept_ids
                   and s.position not in kept_ids]


def _in_order(slots: Sequence[_Slot], named: Sequence[_Slot]) -> bool:
    """Whether the stretches the routine names in ``leave_out`` (``named``, in
    order) that ``slots`` leaves out are the first of them: full names camel
    before cobra, so camel never stays without cobra to prepare the back."""
    ids = _ids(slots)
    gone = [s.position in ids for s in named]
    return gone == sorted(gone)  # kept ones (True) only after left-out ones (False)


def _consistent(slots: Sequence[_Slot], everything: Sequence[_Slot]) -> bool:
    """Whether each counter-pose in ``everything`` is in ``slots`` just when
    the stretch it answers is."""
    ids = _ids(slots)
    return all((s.position in ids) == (s.pair.position in ids)
               for s in everything if s.pair is not None)


def _span(slots: Sequence[_Slot]) -> tuple[float, float]:
    return sum(s.least for s in slots), sum(s.most for s in slots)


_Fitted = tuple[list[int], list[int]]
_Found = tuple[list[_Slot], list[int], list[int]]


class _Search:
    """The stretches, holds and reps to play: ``run()``.  ``named``: the slots
    of the stretches the routine names in ``leave_out``, in that order;
    ``place``: each set as it would play, every get-ready where it stands.

    A set is placed only when its bounds can reach the time; the others are
    kept with their bounds (``bounded``), in case psoas must say which
    lengths it could come nearest (``reached()``)."""

    def __init__(self, core: list[_Slot], extras: list[_Slot], order: list[int],
                 target: float, named: Sequence[_Slot], place: Place, work: _Work) -> None:
        self.core, self.extras, self.order, self.named = core, extras, order, named
        self.target, self.allowed = target, tolerance(target)
        self.place, self.work = place, work
        # Every length a placed set can last that was looked at: the two ends
        # of each set placed (everything at its least, or most), each fit's total.
        self.tried: list[float] = []
        # The sets that come within the tolerance, fitted: (how far, number, set, fit).
        self.close: list[tuple[float, int, list[_Slot], _Fitted]] = []
        # Sets of other stretches, only bounded: (low, high, which, grow).
        self.bounded: list[tuple[float, float, tuple[_Slot, ...], bool]] = []
        self.steps: _Steps | None = None
        self.spans: dict[int, tuple[float, float]] = {}  # steps placed, and their ends

    def run(self) -> _Found | None:
        """None when none can be found within MOST_WORK (``work.left`` is then
        below 0) or MOST_TRIES sets of stretches."""
        try:
            return self._within()
        except _OutOfWork:  # the closest found so far, if any
            if self.close:
                _, _, slots, fitted = min(self.close)
                return (slots, *fitted)
            return None

    def _placed(self, slots: Sequence[_Slot]) -> list[_Slot]:
        self.work.spend(PLACING * len(slots))
        return self.place(slots)

    def _step(self, step: int) -> list[_Slot]:
        """Set number ``step`` of the steps, placed; its ends are tried."""
        assert self.steps is not None
        slots = self._placed(self.steps.slots(step))
        if step not in self.spans:
            self.spans[step] = span = _span(slots)
            self.tried += span
        return slots

    def _other(self, chosen: tuple[_Slot, ...], grow: bool) -> list[_Slot] | None:
        """The routine with ``chosen`` added (or left out), placed; its ends are
        tried.  None when a counter-pose would go without its stretch, or the
        other way, or those named in leave_out out of order."""
        gone = _ids(chosen)
        slots = (sorted(self.core + list(chosen), key=lambda s: s.position) if grow
                 else [s for s in self.core if s.position not in gone])
        self.work.spend(2 * (len(self.core) + len(self.extras)))
        if not _consistent(slots, self.core + self.extras) or not _in_order(slots, self.named):
            return None
        slots = self._placed(slots)
        self.tried += _span(slots)
        return slots

    def _within(self) -> _Found | None:
        core, extras, order, target, allowed = (self.core, self.extras, self.order,
                                                self.target, self.allowed)
        tried, work = self.tried, self.work
        work.spend(3 * (len(core) + len(extras)))
        # Whether to leave stretches out or add them: the routine's own bounds
        # say as its lengths would, unless the time is between them; then it
        # is placed to see.
        least, most = sum(s.floor for s in core), sum(s.top for s in core)
        if least - _SLACK <= target <= most + _SLACK:
            least, most = self.spans[0] = _span(self._placed(core))
            tried += [least, most]
        self.steps = steps = _Steps(core, extras, order, grow=target > most)
        # The fewest changes, in the stated order, after which the holds and reps
        # can last the time itself...
        for step, bounds in enumerate(steps.spans):
            low, high = self.spans.get(step, bounds)  # its ends, once placed
            if not low - _SLACK <= target <= high + _SLACK:
                continue  # no more can the set placed
            slots = self._step(step)
            low, high = self.spans[step]
            if low <= target <= high:
                fitted = _fit_set(slots, target, tried, work)
                if fitted:
                    return (slots, *fitted)
        # ...else the closest of those that come within the tolerance...
        for step, bounds in enumerate(steps.spans):
            low, high = self.spans.get(step, bounds)
            if low - allowed - _SLACK <= target <= high + allowed + _SLACK:
                slots = self._step(step)
                low, high = self.spans[step]
                if low - allowed <= target <= high + allowed:
                    fitted = _fit_set(slots, target, tried, work)
                    if fitted:
                        self.close.append((abs(_total(slots, *fitted) - target),
                                           len(self.close), slots, fitted))
        if self.close:
            _, _, slots, fitted = min(self.close)
            return (slots, *fitted)
        # ...else other stretches in their place, as few changes as can be.
        # (``least`` and ``most`` are the routine's bounds when the time is
        # outside them, and then on the same side of its ends.)
        ways = [target > most] if not least <= target <= most else [False, True]
        tries = 0
        for grow in ways:
            for chosen, low, high in _choices(core, extras, order, grow, target, allowed, work):
                tries += 1
                if tries > MOST_TRIES:
                    return None
                if not low - allowed - _SLACK <= target <= high + allowed + _SLACK:
                    self.bounded.append((low, high, chosen, grow))
                    continue  # no more can the set placed
                other = self._other(chosen, grow)
                if other is None:
                    continue  # a counter-pose without its stretch, or the other way
                low, high = _span(other)
                if low - allowed <= target <= high + allowed:
                    fitted = _fit_set(other, target, tried, work)
                    if fitted:
                        return (other, *fitted)
        return None

    def reached(self) -> list[float]:
        """Every length tried, as if each set looked at had been placed: the
        sets only bounded so far are placed now, those whose bounds come
        nearest the target first, as long as one could come nearer than any
        length tried (a set's lengths lie within its bounds).  May raise
        _OutOfWork."""
        target = self.target
        sets: list[tuple[float, float, Callable[[], list[_Slot] | None]]] = []
        if self.steps is not None:
            for step, (low, high) in enumerate(self.steps.spans):
                if step not in self.spans:
                    sets.append((low, high, partial(self._step, step)))
        for low, high, chosen, grow in self.bounded:
            sets.append((low, high, partial(self._other, chosen, grow)))
        # Each of these sets lies wholly on one side of the target.
        below = sorted((s for s in sets if s[1] + _SLACK < target), key=lambda s: -s[1])
        above = sorted((s for s in sets if s[0] - _SLACK > target), key=lambda s: s[0])
        nearest = max((t for t in self.tried if t < target), default=None)
        for _, high, make in below:
            if nearest is not None and high + _SLACK <= nearest:
                break  # none left could come nearer
            made = make()
            if made is not None:
                nearest = max(t for t in (nearest, *_span(made)) if t is not None)
        nearest = min((t for t in self.tried if t > target), default=None)
        for low, _, make in above:
            if nearest is not None and low - _SLACK >= nearest:
                break
            made = make()
            if made is not None:
                nearest = min(t for t in (nearest, *_span(made)) if t is not None)
        return self.tried


# -- the whole fitting ------------------------------------------------------------------

def fit(routine: Routine, *, level: Level, seconds: float | None = None,
        overrides: Overrides = NO_OVERRIDES, moves: Moves = NO_MOVES) -> Fit:
    """The routine to play at ``level``, lasting ``seconds`` (within the
    tolerance) when given.  Raises CannotFit when that can't be done.
    ``moves``: the catalogue's moves between positions, as timeline.build
    is given them."""
    dropped = [not level.advanced and item.stretch.advanced for item in routine.items]
    advanced = tuple(item.stretch for item, out in zip(routine.items, dropped, strict=True)
                     if out and not item.optional)
    paired: tuple[Stretch, ...] = ()
    for i, item in enumerate(routine.items):  # a counter-pose goes with its stretch
        if item.counter_to and i and dropped[i - 1] and not dropped[i]:
            dropped[i] = True
            if not item.optional:
                paired += (item.stretch,)
    variants: dict[int, Stretch] = {}
    slots = [_slot(routine, i, item, level, overrides, variants)
             for i, item in enumerate(routine.items) if not dropped[i]]
    by_position = {s.position: s for s in slots}
    for slot in slots:
        if slot.item.counter_to:
            slot.pair = by_position.get(slot.position - 1)
    core = [s for s in slots if not s.item.optional]
    extras = [s for s in slots if s.item.optional]
    if not core:
        raise CannotFit(f"every stretch of '{routine.name}' is advanced, and the gentle "
                        "level leaves those out; choose another level with --level")
    place = _placer(routine, overrides, moves)
    if seconds is None:
        chosen, holds, reps = place(core), [s.hold0 for s in core], [s.reps0 for s in core]
    else:
        _bound(slots, overrides, moves, seconds + tolerance(seconds) + 1)
        order = leave_out_order([s.item for s in core], routine.leave_out)
        # The first stretch stays; or, when the routine would leave that out
        # first, the first it does not name.
        leave_out = set(routine.leave_out)
        stays = next((i for i, s in enumerate(core) if s.pair is None
                      and s.item.stretch.slug not in leave_out), None)
        if stays is not None:
            order.remove(stays)
        named = [core[i] for i in order if core[i].item.stretch.slug in leave_out]
        search = _Search(core, extras, order, seconds, named, place, _Work())
        found = search.run()
        if found is None:
            placed = place(core)
            whole = place(sorted(core + extras, key=lambda s: s.position))
            raise _cannot(routine, level, placed, whole, seconds, search.reached,
                          options=overrides != NO_OVERRIDES,
                          stays=None if stays is None else placed[stays],
                          out_of_work=search.work.left < 0)
        chosen, holds, reps = found
    items = tuple(s.item._replace(hold=h, reps=r, setup=s.setup, optional=False)
                  for s, h, r in zip(chosen, holds, reps, strict=True))
    played = Routine(routine.name, routine.description, level.holds, level.reps,
                     routine.pauses, items, level=level.name, minutes=routine.minutes,
                     purpose=routine.purpose, closing=routine.closing)
    kept = _ids(chosen)
    return Fit(played, level, _total(chosen, holds, reps), seconds, advanced,
               left_out=tuple(s.item.stretch for s in core if s.position not in kept),
               added=tuple(s.item.stretch for s in chosen if s.item.optional),
               paired=paired)


def _cannot(routine: Routine, level: Level, core: list[_Slot], whole: list[_Slot],
            target: float, reached: Callable[[], Sequence[float]], *,
            options: bool = False, stays: _Slot | None = None,
            out_of_work: bool = False) -> CannotFit:
    """Why the routine can't be fitted; ``whole``: every stretch it may play,
    placed as they would play; ``reached``: the lengths the search reached
    (may raise _OutOfWork); ``options``: the command line fixed some of what
    fitting would change (--hold, --reps...)."""
    # The shortest plan is one stretch (with its counter-pose, if it has one):
    # the one that stays, or any when every one may go.
    counters: dict[int, float] = {}  # the least of each stretch's counter-poses together
    for slot in core:
        if slot.pair is not None:
            counters[slot.pair.position] = counters.get(slot.pair.position, 0.0) + slot.least
    least = min(slot.least + counters.get(slot.position, 0.0)
                for slot in ([stays] if stays else core) if slot.pair is None)
    most = sum(s.most for s in whole)
    where = f"'{routine.name}' at the {level.name} level"
    asked = f"{target / 60:g} minute{'s' if target != 60 else ''}"
    if clock(least) == clock(most):  # nothing left to change
        given = " with those options" if options else ""
        return CannotFit(f"{where} lasts exactly {clock(least)}{given}, not {asked}",
                         least, most)
    if target < least or target > most:
        return CannotFit(f"{where} can last from {clock(least)} to {clock(most)}, "
                         f"not {asked}", least, most)
    tried: Sequence[float] = ()
    if not out_of_work:
        try:
            tried = reached()
        except _OutOfWork:
            out_of_work = True
    if out_of_work:
        return CannotFit(f"{where}, with {len(whole):,} stretches, is too long "
                         f"for psoas to fit to {asked} (it stops after {MOST_WORK:,} steps); "
                         "give it fewer stretches", least, most)
    below = max((t for t in tried if t < target), default=least)
    above = min((t for t in tried if t > target), default=most)
    return CannotFit(f"{where} can't come within {clock(tolerance(target))} of {asked}; "
                     f"the nearest it can last are {clock(below)} and {clock(above)}",
                     least, most)
