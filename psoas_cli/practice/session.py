"""Today's program session as a routine to play: dosed, swapped, one more set
on the tighter side (docs/programs.md, R3-R5).

Pure Python.  The routine the program day names is fitted at the week's
level (play/fitting.py, with no length asked: the program sets the dose),
then each focus stretch gets the week's time a side (``dose``), the
unlocked variations take their basics' places or join after the stretch
they follow, and the first item of each focus stretch gets one more hold
on the tighter side.  A gentle session is the routine at the gentle level
and nothing else of the program's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from psoas_cli.model import levels
from psoas_cli.model.catalogue import Catalogue, Stretch
from psoas_cli.model.programs import Program
from psoas_cli.model.routines import Item, Routine
from psoas_cli.play.fitting import Fit, fit
from psoas_cli.play.timeline import length
from psoas_cli.practice.program import Today, dose

TEST_MINUTES = 4  # about how long a self-test takes, for the day's length


class Dosed(NamedTuple):
    """Today's session, ready to play."""

    routine: Routine  # every item's hold, reps and set-up stated
    fitted: Fit  # the routine at the week's level, before the program's changes
    focus: tuple[str, ...]  # the slugs whose time the program set (variations included)
    extra: tuple[str, ...]  # the slugs that got one more hold on the tighter side

    @property
    def seconds(self) -> float:
        return length(self.routine)


def focus_of(program: Program) -> frozenset[str]:
    """The program's focus stretches and the variations that replace one."""
    focus = set(program.focus)
    focus |= {v.stretch for v in program.variations if v.instead_of in program.focus}
    return frozenset(focus)


def dosed(today: Today, program: Program, routine: Routine,
          catalogue: Catalogue) -> Dosed:
    """``routine`` (the one today's program day names) as today plays it.

    Raises errors.CannotFit when the routine can't be played at the level
    asked (every stretch advanced, at the gentle level).
    """
    level = levels.LEVELS[today.level or levels.GENTLE]
    if today.gentle:
        fitted = fit(routine, level=levels.LEVELS[levels.GENTLE])
        return Dosed(fitted.routine, fitted, (), ())
    by_slug = {s.slug: s for s in catalogue}
    changed = _swapped(routine, dict(today.swaps), today.adds, by_slug)
    fitted = fit(changed, level=level)
    focus = focus_of(program)
    items = list(fitted.routine.items)
    dosed_slugs = _dose(items, focus, today.hold)
    extra: list[str] = []
    if today.tighter:
        for index, item in enumerate(items):
            slug = item.stretch.slug
            if slug in dosed_slugs and slug not in extra and item.stretch.each_side \
                    and item.sides in (None, "both"):
                items[index] = item._replace(extra_side=today.tighter)
                extra.append(slug)
    played = fitted.routine._replace(items=tuple(items))
    return Dosed(played, fitted, tuple(sorted(dosed_slugs)), tuple(extra))


def _swapped(routine: Routine, swaps: Mapping[str, str], adds: tuple[tuple[str, str], ...],
             by_slug: Mapping[str, Stretch]) -> Routine:
    """The routine with each unlocked variation in its basic's place (with its
    own set-up time and figure), and each added one after the stretch it
    follows, or at the end when the routine lacks that one."""
    added = [(by_slug[slug], after) for slug, after in adds if slug in by_slug]
    placed: set[str] = set()
    items: list[Item] = []
    for item in routine.items:
        slug = item.stretch.slug
        if slug in swaps and swaps[slug] in by_slug:
            item = item._replace(stretch=by_slug[swaps[slug]], hold=None, reps=None,
                                 setup=None, rest=None, switch=None, dynamic=0)
        items.append(item)
        if item.optional:
            continue
        for stretch, after in added:
            if after == slug and stretch.slug not in placed:
                items.append(Item(stretch=stretch))
                placed.add(stretch.slug)
    items += [Item(stretch=stretch) for stretch, _ in added if stretch.slug not in placed]
    return routine._replace(items=tuple(items))


def _dose(items: list[Item], focus: frozenset[str], target: int) -> set[str]:
    """Give each focus stretch done on each side, held still, ``target``
    seconds a side over the routine (shared between its items when the
    routine plays it more than once); the slugs dosed."""
    dosed: set[str] = set()
    if not target:
        return dosed
    by_slug: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        stretch = item.stretch
        if stretch.slug in focus and stretch.each_side and not stretch.movement \
                and not stretch.continuous and item.sides in (None, "both"):
            by_slug.setdefault(stretch.slug, []).append(index)
    for slug, places in by_slug.items():
        dosed.add(slug)
        total = sum((items[i].hold or 0) * (items[i].reps or 1) for i in places)
        if total >= target:
            continue  # the program never shortens a routine
        share = math.ceil(target / len(places))
        for i in places:
            item = items[i]
            stretch = item.stretch
            hold, reps = dose(stretch.hold.low, stretch.hold.high, item.hold or stretch.hold.low,
                              item.reps or 1, share)
            items[i] = item._replace(hold=hold, reps=reps)
    return dosed


def minutes(seconds: float, test: bool = False) -> int:
    """A day's length in whole minutes, at least 1; with the self-test when due."""
    return max(1, round(seconds / 60) + (TEST_MINUTES if test else 0))

