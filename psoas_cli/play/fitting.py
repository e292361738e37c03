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
rocking before a hold (an item's ``dynamic``) are never changed to fit.
When the time can't be met, ``CannotFit`` says what can.

The work is bounded (``MOST_WORK``): each set of stretches tried is worked
out from the last, not summed again, so a routine of thousands of stretches
fits in a fraction of a second, and one that would need more is said to be
too long rather than keep psoas busy for minutes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain, combinations
from typing import Any, NamedTuple

from psoas_cli.errors import CannotFit
from psoas_cli.model.catalogue import Stretch
from psoas_cli.model.levels import Level
from psoas_cli.model.routines import Item, Routine
from psoas_cli.play.phrases import clock
from psoas_cli.play.timeline import (
    NO_OVERRIDES,
    ROCK_SECONDS,
    Overrides,
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
    """One item of the routine and the room it has; a plain class, compared by
    identity, as it is cheaper to define than a dataclass at every start."""

    __slots__ = ("position", "item", "holds", "reps", "hold0", "reps0", "sides", "setup",
                 "rest", "switch", "pair")

    def __init__(self, position: int, item: Item, holds: tuple[int, int],
                 reps: tuple[int, int], hold0: int, reps0: int, sides: int, setup: float,
                 rest: float, switch: float) -> None:
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
        # The slot of the stretch this one is the counter-pose of (set by fit()):
        # the two are played together or not at all.
        self.pair: _Slot | None = None

    def seconds(self, hold: int, reps: int) -> float:
        """What timeline.build() makes of this item with this hold and reps."""
        rocking = self.item.dynamic * ROCK_SECONDS
        return (self.setup + self.sides * (reps * hold + (reps - 1) * self.rest + rocking)
                + (self.sides - 1) * self.switch)

    @property
    def least(self) -> float:
        return self.seconds(self.holds[0], self.reps[0])

    @property
    def most(self) -> float:
        return self.seconds(self.holds[1], self.reps[1])


def _slot(routine: Routine, position: int, item: Item, level: Level,
          overrides: Overrides) -> _Slot:
    stretch = item.stretch
    fixed_hold = overrides.hold or item.hold
    fixed_reps = overrides.reps or item.reps
    holds = (fixed_hold, fixed_hold) if fixed_hold else (stretch.hold.low, stretch.hold.high)
    reps = (fixed_reps, fixed_reps) if fixed_reps else (stretch.reps.low, stretch.reps.high)
    setup = setup_of(routine, item, overrides)
    if overrides.setup is None and item.setup is None:  # the stretch's or routine's own
        setup = level.setup_seconds(setup)
    return _Slot(position, item, holds, reps,
                 fixed_hold or stretch.hold.pick(level.holds),
                 fixed_reps or stretch.reps.pick(level.reps),
                 len(sides_of(stretch, item.sides, overrides.side)), setup,
                 rest_of(routine, item, overrides), switch_of(routine, item))


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
    """Stretches to add (or leave out), with the shortest and longest times the
    routine then takes, one change more each time, in the stated order;
    numbers of changes that can't reach the time are skipped whole."""
    least, most = _span(core)
    pool = extras if grow else [core[i] for i in order]
    sign = 1 if grow else -1
    by_least = sorted(s.least for s in pool)
    by_most = sorted(s.most for s in pool)
    work.spend(len(pool))
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
            low = least + sign * sum(s.least for s in chosen)
            high = most + sign * sum(s.most for s in chosen)
            yield chosen, low, high


class _Steps:
    """The routine's stretches with one more change each time, in the stated
    order: one more optional stretch added, or one more left out.  A
    counter-pose comes and goes with the stretch it answers, never alone (as
    ``_paired`` pairs them).  Each set is a step on from the last (each takes
    in all the last one did), so the sets are kept as one list of the slots
    that change, and each set's shortest and longest times worked out from
    the last one's: the work grows with the routine, not with its square."""

    def __init__(self, core: list[_Slot], extras: list[_Slot], order: list[int],
                 grow: bool) -> None:
        self.core, self.grow = core, grow
        pool = extras if grow else core
        chosen = extras if grow else [core[i] for i in order[:len(core) - 1]]
        counters: dict[int, list[_Slot]] = {}  # a stretch's counter-poses in the pool
        for slot in pool:
            if slot.pair is not None:
                counters.setdefault(id(slot.pair), []).append(slot)
        self.changed: list[_Slot] = []  # the slots added (or left out), in turn
        self.ends: list[int] = [0]  # how many of them each set has changed
        low, high = _span(core)
        self.spans = [(low, high)]
        picked: set[int] = set()
        taken: set[int] = set()
        sign = 1 if grow else -1

        def take(slot: _Slot) -> None:  # joins the change, with its counter-poses
            for joining in (slot, *counters.get(id(slot), ())):
                if id(joining) not in taken:
                    taken.add(id(joining))
                    self.changed.append(joining)

        for slot in chosen:
            picked.add(id(slot))
            if slot.pair is None or id(slot.pair) in picked:
                take(slot)
            for counter in counters.get(id(slot), ()):  # picked before its stretch
                if id(counter) in picked:
                    take(counter)
            count = len(self.changed)
            if count == self.ends[-1] or (not grow and count >= len(core)):
                continue  # the same set as the last one, or none left at all
            for joined in self.changed[self.ends[-1]:]:
                low, high = low + sign * joined.least, high + sign * joined.most
            self.ends.append(count)
            self.spans.append((low, high))

    def __len__(self) -> int:
        return len(self.ends)

    def slots(self, step: int) -> list[_Slot]:
        """The stretches of set number ``step`` (0: the routine's own)."""
        if not step:
            return self.core
        changed = self.changed[:self.ends[step]]
        if self.grow:
            return sorted(self.core + changed, key=lambda s: s.position)
        gone = {id(s) for s in changed}
        return [s for s in self.core if id(s) not in gone]


def _ids(slots: Sequence[_Slot]) -> set[int]:
    return {id(s) for s in slots}


def _paired(chosen: Sequence[_Slot], pool: Sequence[_Slot]) -> list[_Slot]:
    """``chosen`` as a pair should be added or left out: with the counter-pose
    of each stretch in it (from ``pool``), and without any counter-pose whose
    stretch is not in it."""
    ids = _ids(chosen)
    kept = [s for s in chosen if s.pair is None or id(s.pair) in ids]
    kept_ids = _ids(kept)
    return kept + [s for s in pool if s.pair is not None and id(s.pair) in kept_ids
                   and id(s) not in kept_ids]


def _in_order(slots: Sequence[_Slot], named: Sequence[_Slot]) -> bool:
    """Whether the stretches the routine names in ``leave_out`` (``named``, in
    order) that ``slots`` leaves out are the first of them: full names camel
    before cobra, so camel never stays without cobra to prepare the back."""
    ids = _ids(slots)
    gone = [id(s) in ids for s in named]
    return gone == sorted(gone)  # kept ones (True) only after left-out ones (False)


def _consistent(slots: Sequence[_Slot], everything: Sequence[_Slot]) -> bool:
    """Whether each counter-pose in ``everything`` is in ``slots`` just when
    the stretch it answers is."""
    ids = _ids(slots)
    return all((id(s) in ids) == (id(s.pair) in ids) for s in everything if s.pair is not None)


def _span(slots: Sequence[_Slot]) -> tuple[float, float]:
    return sum(s.least for s in slots), sum(s.most for s in slots)


def _search(core: list[_Slot], extras: list[_Slot], order: list[int], target: float,
            tried: list[float], named: Sequence[_Slot], work: _Work,
            ) -> tuple[list[_Slot], list[int], list[int]] | None:
    """The stretches, holds and reps to play; ``named``: the slots of the
    stretches the routine names in ``leave_out``, in that order.  None when
    none can be found within MOST_WORK (``work.left`` is then below 0) or
    MOST_TRIES sets of stretches."""
    close: list[tuple[float, int, list[_Slot], tuple[list[int], list[int]]]] = []
    try:
        return _search_within(core, extras, order, target, tried, named, work, close)
    except _OutOfWork:  # the closest found so far, if any
        if close:
            _, _, slots, fitted = min(close)
            return (slots, *fitted)
        return None


def _search_within(core: list[_Slot], extras: list[_Slot], order: list[int], target: float,
                   tried: list[float], named: Sequence[_Slot], work: _Work,
                   close: list[tuple[float, int, list[_Slot], tuple[list[int], list[int]]]],
                   ) -> tuple[list[_Slot], list[int], list[int]] | None:
    allowed = tolerance(target)
    least, most = _span(core)
    steps = _Steps(core, extras, order, grow=target > most)
    work.spend(3 * (len(core) + len(extras)))
    # The fewest changes, in the stated order, after which the holds and reps
    # can last the time itself...
    for step, (low, high) in enumerate(steps.spans):
        tried += [low, high]  # each end can be met: everything at its least, or most
        if low <= target <= high:
            slots = steps.slots(step)
            work.spend(len(core))
            fitted = _fit_set(slots, target, tried, work)
            if fitted:
                return (slots, *fitted)
    # ...else the closest of those that come within the tolerance...
    for step, (low, high) in enumerate(steps.spans):
        if low - allowed <= target <= high + allowed:
            slots = steps.slots(step)
            work.spend(len(core))
            fitted = _fit_set(slots, target, tried, work)
            if fitted:
                close.append((abs(_total(slots, *fitted) - target), len(close), slots, fitted))
    if close:
        _, _, slots, fitted = min(close)
        return (slots, *fitted)
    # ...else other stretches in their place, as few changes as can be.
    ways = [target > most] if not least <= target <= most else [False, True]
    tries = 0
    for grow in ways:
        for chosen, low, high in _choices(core, extras, order, grow, target, allowed, work):
            tries += 1
            if tries > MOST_TRIES:
                return None
            tried += [low, high]
            if low - allowed <= target <= high + allowed:
                taken = _ids(chosen)
                slots = (sorted(core + list(chosen), key=lambda s: s.position) if grow
                         else [s for s in core if id(s) not in taken])
                work.spend(2 * (len(core) + len(extras)))
                if not _consistent(slots, core + extras) or not _in_order(slots, named):
                    continue  # a counter-pose without its stretch, or the other way
                fitted = _fit_set(slots, target, tried, work)
                if fitted:
                    return (slots, *fitted)
    return None


# -- the whole fitting ------------------------------------------------------------------

def fit(routine: Routine, *, level: Level, seconds: float | None = None,
        overrides: Overrides = NO_OVERRIDES) -> Fit:
    """The routine to play at ``level``, lasting ``seconds`` (within the
    tolerance) when given.  Raises CannotFit when that can't be done."""
    dropped = [not level.advanced and item.stretch.advanced for item in routine.items]
    advanced = tuple(item.stretch for item, out in zip(routine.items, dropped, strict=True)
                     if out and not item.optional)
    paired: tuple[Stretch, ...] = ()
    for i, item in enumerate(routine.items):  # a counter-pose goes with its stretch
        if item.counter_to and i and dropped[i - 1] and not dropped[i]:
            dropped[i] = True
            if not item.optional:
                paired += (item.stretch,)
    slots = [_slot(routine, i, item, level, overrides)
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
    if seconds is None:
        chosen, holds, reps = core, [s.hold0 for s in core], [s.reps0 for s in core]
    else:
        tried: list[float] = []
        order = leave_out_order([s.item for s in core], routine.leave_out)
        # The first stretch stays; or, when the routine would leave that out
        # first, the first it does not name.
        leave_out = set(routine.leave_out)
        stays = next((i for i, s in enumerate(core) if s.pair is None
                      and s.item.stretch.slug not in leave_out), None)
        if stays is not None:
            order.remove(stays)
        named = [core[i] for i in order if core[i].item.stretch.slug in leave_out]
        work = _Work()
        found = _search(core, extras, order, seconds, tried, named, work)
        if found is None:
            raise _cannot(routine, level, core, extras, seconds, tried,
                          options=overrides != NO_OVERRIDES,
                          stays=None if stays is None else core[stays],
                          out_of_work=work.left < 0)
        chosen, holds, reps = found
    items = tuple(s.item._replace(hold=h, reps=r, setup=s.setup, optional=False)
                  for s, h, r in zip(chosen, holds, reps, strict=True))
    played = Routine(routine.name, routine.description, level.holds, level.reps,
                     routine.pauses, items, level=level.name, minutes=routine.minutes,
                     purpose=routine.purpose, closing=routine.closing)
    kept = _ids(chosen)
    return Fit(played, level, _total(chosen, holds, reps), seconds, advanced,
               left_out=tuple(s.item.stretch for s in core if id(s) not in kept),
               added=tuple(s.item.stretch for s in chosen if s.item.optional),
               paired=paired)


def _cannot(routine: Routine, level: Level, core: list[_Slot], extras: list[_Slot],
            target: float, tried: list[float], *, options: bool = False,
            stays: _Slot | None = None, out_of_work: bool = False) -> CannotFit:
    """Why the routine can't be fitted; ``options``: the command line fixed
    some of what fitting would change (--hold, --reps...)."""
    # The shortest plan is one stretch (with its counter-pose, if it has one):
    # the one that stays, or any when every one may go.
    counters: dict[int, float] = {}  # the least of each stretch's counter-poses together
    for slot in core:
        if slot.pair is not None:
            counters[id(slot.pair)] = counters.get(id(slot.pair), 0.0) + slot.least
    least = min(slot.least + counters.get(id(slot), 0.0)
                for slot in ([stays] if stays else core) if slot.pair is None)
    most = sum(s.most for s in core + extras)
    where = f"'{routine.name}' at the {level.name} level"
    asked = f"{target / 60:g} minute{'s' if target != 60 else ''}"
    if clock(least) == clock(most):  # nothing left to change
        given = " with those options" if options else ""
        return CannotFit(f"{where} lasts exactly {clock(least)}{given}, not {asked}",
                         least, most)
    if target < least or target > most:
        return CannotFit(f"{where} can last from {clock(least)} to {clock(most)}, "
                         f"not {asked}", least, most)
    if out_of_work:
        return CannotFit(f"{where}, with {len(core) + len(extras):,} stretches, is too long "
                         f"for psoas to fit to {asked} (it stops after {MOST_WORK:,} steps); "
                         "give it fewer stretches", least, most)
    below = max((t for t in tried if t < target), default=least)
    above = min((t for t in tried if t > target), default=most)
    return CannotFit(f"{where} can't come within {clock(tolerance(target))} of {asked}; "
                     f"the nearest it can last are {clock(below)} and {clock(above)}",
                     least, most)

