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
   first tried first.  The first stretch always stays, unless the routine
   names it in ``leave_out``: a plan of two stretches the routine would
   leave out first, without the one it opens with, is not that routine
   fitted; better to say which lengths can be met.

Nothing goes outside a stretch's range in the catalogue unless the user's
own ``--hold``/``--reps`` (or a hold or reps the routine sets for one item)
say so: those are kept as they are.  Rests, switches and set-up times are
never changed to fit.  When the time can't be met, ``CannotFit`` says what
can.

The work is bounded (``MOST_WORK``): each set of stretches tried is worked
out from the last, not summed again, so a routine of thousands of stretches
fits in a fraction of a second, and one that would need more is said to be
too long rather than keep psoas busy for minutes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain, combinations
from typing import NamedTuple

from psoas_cli.errors import CannotFit
from psoas_cli.model.catalogue import Stretch
from psoas_cli.model.levels import Level
from psoas_cli.model.routines import Item, Routine
from psoas_cli.play.phrases import clock
from psoas_cli.play.timeline import Overrides, rest_of, setup_of, sides_of, switch_of

# At most this many sets of stretches are tried before giving up; only a
# routine of well over a dozen stretches gets near it.
MOST_TRIES = 20_000
# The work one fitting may do, counted in stretches looked at (a few million a
# second): enough for any routine of a few dozen stretches to be fitted
# exactly; a routine of thousands is fitted as well as this allows (or said
# not to fit), in well under a second, rather than in minutes.
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

    def as_dict(self) -> dict:
        return {"level": self.level.name, "target_seconds": self.target,
                "tolerance_seconds": tolerance(self.target) if self.target else None,
                "left_out_advanced": [s.slug for s in self.advanced],
                "left_out": [s.slug for s in self.left_out],
                "added": [s.slug for s in self.added]}

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
                 "rest", "switch")

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

    def seconds(self, hold: int, reps: int) -> float:
        """What timeline.build() makes of this item with this hold and reps."""
        return (self.setup + self.sides * (reps * hold + (reps - 1) * self.rest)
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
    holds = (fixed_hold, fixed_hold) if fixed_hold else tuple(stretch.hold)
    reps = (fixed_reps, fixed_reps) if fixed_reps else tuple(stretch.reps)
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
    for index, (start, (low, high)) in enumerate(zip(starts, ranges)):
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
    would be), and the holds rebuilt only for the best step."""
    weights = [s.sides * r for s, r in zip(slots, reps)]
    base = sum(s.seconds(0, r) for s, r in zip(slots, reps))
    start = [s.hold0 for s in slots]
    held = sum(w * h for w, h in zip(weights, start))
    work.spend(6 * len(slots))  # the sums above, the stops and the holds rebuilt below
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
    return sum(s.seconds(h, r) for s, h, r in zip(slots, holds, reps))


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
    return list(dict.fromkeys([*order, *range(n - 2, 0, -1), n - 1, 0]))[:n] if n else []


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


def _prefix_spans(core: list[_Slot], extras: list[_Slot], order: list[int],
                  grow: bool) -> list[tuple[float, float]]:
    """The shortest and longest times of each of ``_prefix``'s sets, worked out
    one change from the last (not summed again each time)."""
    low, high = _span(core)
    spans = [(low, high)]
    changes = extras if grow else [core[i] for i in order[:len(core) - 1]]
    sign = 1 if grow else -1
    for slot in changes:
        low, high = low + sign * slot.least, high + sign * slot.most
        spans.append((low, high))
    return spans


def _prefix(core: list[_Slot], extras: list[_Slot], order: list[int], grow: bool,
            count: int) -> list[_Slot]:
    """The routine's stretches after ``count`` changes in the stated order:
    that many optional stretches added, or that many left out."""
    if grow:
        return sorted(core + extras[:count], key=lambda s: s.position) if count else core
    gone = set(order[:count])
    return [s for i, s in enumerate(core) if i not in gone] if count else core


def _span(slots: Sequence[_Slot]) -> tuple[float, float]:
    return sum(s.least for s in slots), sum(s.most for s in slots)


def _search(core: list[_Slot], extras: list[_Slot], order: list[int], target: float,
            tried: list[float], work: _Work) -> tuple[list[_Slot], list[int], list[int]] | None:
    """The stretches, holds and reps to play; None when none can be found within
    MOST_WORK (``work.left`` is then below 0) or MOST_TRIES sets of stretches."""
    close: list = []
    try:
        return _search_within(core, extras, order, target, tried, work, close)
    except _OutOfWork:  # the closest found so far, if any
        if close:
            _, _, slots, fitted = min(close)
            return (slots, *fitted)
        return None


def _search_within(core: list[_Slot], extras: list[_Slot], order: list[int], target: float,
                   tried: list[float], work: _Work,
                   close: list) -> tuple[list[_Slot], list[int], list[int]] | None:
    allowed = tolerance(target)
    least, most = _span(core)
    grow = target > most
    spans = _prefix_spans(core, extras, order, grow)
    work.spend(len(core) + len(spans))
    # The fewest changes, in the stated order, after which the holds and reps
    # can last the time itself...
    for count, (low, high) in enumerate(spans):
        tried += [low, high]  # each end can be met: everything at its least, or most
        if low <= target <= high:
            slots = _prefix(core, extras, order, grow, count)
            work.spend(len(core))
            fitted = _fit_set(slots, target, tried, work)
            if fitted:
                return (slots, *fitted)
    # ...else the closest of those that come within the tolerance...
    for count, (low, high) in enumerate(spans):
        if low - allowed <= target <= high + allowed:
            slots = _prefix(core, extras, order, grow, count)
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
                taken = {id(c) for c in chosen}
                slots = (sorted(core + list(chosen), key=lambda s: s.position) if grow
                         else [s for s in core if id(s) not in taken])
                work.spend(len(core))
                fitted = _fit_set(slots, target, tried, work)
                if fitted:
                    return (slots, *fitted)
    return None


# -- the whole fitting ------------------------------------------------------------------

def fit(routine: Routine, *, level: Level, seconds: float | None = None,
        overrides: Overrides = Overrides()) -> Fit:
    """The routine to play at ``level``, lasting ``seconds`` (within the
    tolerance) when given.  Raises CannotFit when that can't be done."""
    dropped = [not level.advanced and item.stretch.advanced for item in routine.items]
    advanced = tuple(item.stretch for item, out in zip(routine.items, dropped)
                     if out and not item.optional)
    slots = [_slot(routine, i, item, level, overrides)
             for i, item in enumerate(routine.items) if not dropped[i]]
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
        if core[0].item.stretch.slug not in routine.leave_out:
            order.remove(0)  # the first stretch stays
        work = _Work()
        found = _search(core, extras, order, seconds, tried, work)
        if found is None:
            raise _cannot(routine, level, core, extras, seconds, tried,
                          options=overrides != Overrides(), first_stays=0 not in order,
                          out_of_work=work.left < 0)
        chosen, holds, reps = found
    items = tuple(s.item._replace(hold=h, reps=r, setup=s.setup, optional=False)
                  for s, h, r in zip(chosen, holds, reps))
    played = Routine(routine.name, routine.description, level.holds, level.reps,
                     routine.pauses, items, level=level.name, minutes=routine.minutes)
    kept = {id(s) for s in chosen}
    return Fit(played, level, _total(chosen, holds, reps), seconds, advanced,
               left_out=tuple(s.item.stretch for s in core if id(s) not in kept),
               added=tuple(s.item.stretch for s in chosen if s.item.optional))


def _cannot(routine: Routine, level: Level, core: list[_Slot], extras: list[_Slot],
            target: float, tried: list[float], *, options: bool = False,
            first_stays: bool = False, out_of_work: bool = False) -> CannotFit:
    """Why the routine can't be fitted; ``options``: the command line fixed
    some of what fitting would change (--hold, --reps...)."""
    # The shortest plan is one stretch: the first, or any when it may go too.
    least = core[0].least if first_stays else min(s.least for s in core)
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

