"""Fitting a routine to a level and a length: every built-in routine at many
lengths and levels, hand-made random routines, and the impossible cases."""

from __future__ import annotations

import random
from itertools import combinations

import pytest

from psoas_cli.errors import CannotFit
from psoas_cli.model import levels
from psoas_cli.model.levels import LEVELS
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import fitting, timeline
from psoas_cli.play.fitting import fit, leave_out_order, tolerance
from psoas_cli.play.timeline import Overrides

MINUTES = [0.5, 1, 1.5, 2, 3, 4, 5, 6.5, 8, 10, 12, 15, 20, 30]


def make(cat, *items, level=None, pauses=Pauses(ready=10, switch=5, rest=3), leave_out=()):
    built = tuple(i if isinstance(i, Item) else Item(cat.find(i)) for i in items)
    return Routine("test", "", "mid", "mid", pauses, built, level=level, leave_out=leave_out)


# -- what every fit must be ----------------------------------------------------------------

def candidate_sets(routine, level, overrides):
    """Every set of stretches fitting may play: the routine's own less some (not
    its first, unless it names it in leave_out), or plus some of its optional
    ones; with each set's shortest and longest time."""
    slots = [fitting._slot(routine, i, item, level, overrides)
             for i, item in enumerate(routine.items)
             if level.advanced or not item.stretch.advanced]
    core = [s for s in slots if not s.item.optional]
    extras = [s for s in slots if s.item.optional]
    sets = [[s for s in core if s not in gone]
            for n in range(len(core))
            for gone in combinations(core if core[0].item.stretch.slug in routine.leave_out
                                     else core[1:], n)]
    sets += [core + list(more) for n in range(1, len(extras) + 1)
             for more in combinations(extras, n)]
    return [(sum(s.least for s in chosen), sum(s.most for s in chosen)) for chosen in sets]


def check_fit(routine, level, minutes, overrides=Overrides()):
    """Fit, then check what a user would notice: the length, the ranges, the level."""
    target = minutes * 60
    try:
        fitted = fit(routine, level=level, seconds=target, overrides=overrides)
    except CannotFit as exc:
        reachable = [(low, high) for low, high in candidate_sets(routine, level, overrides)
                     if low - tolerance(target) <= target <= high + tolerance(target)]
        assert not reachable, f"{routine.name} could last {minutes} min: {exc}"
        assert ("can last" in str(exc) or "lasts exactly" in str(exc)) and "\n" not in str(exc)
        return None
    first = next(item.stretch for item in routine.items if not item.optional
                 and (level.advanced or not item.stretch.advanced))
    if first.slug not in routine.leave_out:
        assert first in [item.stretch for item in fitted.routine.items], "the first stays"
    plan = timeline.build(fitted.routine, overrides)
    assert plan.planned == fitted.total
    assert abs(plan.planned - target) <= tolerance(target), (routine.name, minutes)
    check_ranges(fitted, overrides)
    check_level(fitted, routine, level, overrides)
    return fitted


def check_ranges(fitted, overrides):
    for item, original in zip(fitted.routine.items, fitted.routine.items):
        stretch = item.stretch
        if overrides.hold is None:
            assert stretch.hold.low <= item.hold <= stretch.hold.high, stretch.slug
        else:
            assert item.hold == overrides.hold
        if overrides.reps is None:
            assert stretch.reps.low <= item.reps <= stretch.reps.high, stretch.slug
        else:
            assert item.reps == overrides.reps


def check_level(fitted, routine, level, overrides):
    slugs = [item.stretch.slug for item in fitted.routine.items]
    order = [item.stretch.slug for item in routine.items]
    assert slugs == sorted(slugs, key=order.index), "the routine's order is kept"
    if not level.advanced:
        assert not any(item.stretch.advanced for item in fitted.routine.items)
    written = {item.stretch.slug: item for item in routine.items}
    for item in fitted.routine.items:
        own = timeline.setup_of(routine, written[item.stretch.slug], overrides)
        if overrides.setup is None and written[item.stretch.slug].setup is None:
            assert item.setup == level.setup_seconds(own), item.stretch.slug
        else:
            assert item.setup == own, item.stretch.slug


@pytest.mark.parametrize("level", levels.NAMES)
@pytest.mark.parametrize("minutes", MINUTES)
@pytest.mark.parametrize("name", ["warmup", "cooldown", "after-run", "morning", "desk",
                                  "gentle", "full"])
def test_every_builtin_routine_fits_or_says_why(builtin, name, minutes, level):
    check_fit(builtin[name], LEVELS[level], minutes)


def test_the_list_above_covers_every_builtin(builtin):
    assert set(builtin) == {"warmup", "cooldown", "after-run", "morning", "desk", "gentle",
                            "full"}


@pytest.mark.parametrize("seed", range(60))
def test_random_routines_fit_or_say_why(cat, seed):
    """Hand-rolled random cases: any stretches, pauses, level, length and
    command-line overrides."""
    rng = random.Random(seed)
    stretches = list(cat)
    items = []
    for stretch in rng.sample(stretches, rng.randint(1, 7)):
        items.append(Item(stretch, optional=rng.random() < 0.25,
                          setup=rng.choice([None, None, 5, 30]),
                          rest=rng.choice([None, None, 0, 7]),
                          switch=rng.choice([None, None, 0, 11])))
    if all(item.optional for item in items):
        items[0] = Item(items[0].stretch)
    pauses = Pauses(ready=rng.choice([5, 10, 20]), switch=rng.choice([0, 5, 8]),
                    rest=rng.choice([0, 2, 5]))
    routine = make(cat, *items, pauses=pauses,
                   leave_out=tuple(i.stretch.slug for i in items[:2] if not i.optional))
    overrides = Overrides(hold=rng.choice([None, None, None, 15, 40]),
                          reps=rng.choice([None, None, None, 1, 2, 5]),
                          rest=rng.choice([None, None, 0, 3]),
                          side=rng.choice([None, None, "left", "both"]),
                          setup=rng.choice([None, None, 0, 12]))
    level = LEVELS[rng.choice(levels.NAMES)]
    if not level.advanced and all(i.stretch.advanced for i in items if not i.optional):
        with pytest.raises(CannotFit, match="advanced"):
            fit(routine, level=level, seconds=300, overrides=overrides)
        return
    spans = candidate_sets(routine, level, overrides)
    shortest, longest = min(low for low, _ in spans), max(high for _, high in spans)
    for _ in range(4):  # mostly within reach, sometimes just beyond it
        seconds = rng.uniform(0.8 * shortest, 1.2 * longest)
        check_fit(routine, level, round(seconds / 60, 2), overrides)


# -- the order of the changes ---------------------------------------------------------------

def test_tolerance_is_five_percent_or_fifteen_seconds():
    assert tolerance(60) == 15
    assert tolerance(300) == 15
    assert tolerance(600) == 30
    assert tolerance(1200) == 60


def test_holds_move_first_within_their_ranges(cat):
    routine = make(cat, "standing", "half-kneeling")  # 1:05 and 1:07 at standard (25 s holds)
    fitted = check_fit(routine, LEVELS["standard"], 2.5)  # 1:15 and 1:17 at 30 s
    assert fitted.total == 150
    assert sorted(i.hold for i in fitted.routine.items) == [29, 30]
    assert [i.reps for i in fitted.routine.items] == [1, 1]
    assert not fitted.left_out and not fitted.added


def test_reps_move_when_holds_alone_cannot(cat):
    routine = make(cat, "cobra")  # 3-5 reps of 20-30 s
    fitted = check_fit(routine, LEVELS["gentle"], 2.5)
    (item,) = fitted.routine.items
    assert item.reps > 3
    assert fitted.total == pytest.approx(150, abs=15)


def test_stretches_are_left_out_in_the_order_the_routine_states(cat):
    routine = make(cat, "standing", "seated", "half-kneeling", "low-lunge", "supine",
                   leave_out=("seated",))
    fitted = check_fit(routine, LEVELS["standard"], 2.5)
    assert {s.slug for s in fitted.left_out} == {"seated", "low-lunge", "half-kneeling"}
    # then the second-to-last back to the second: the first and the last stay
    assert [i.stretch.slug for i in fitted.routine.items] == ["standing", "supine"]


def test_leave_out_order_keeps_the_first_and_the_last_longest(cat):
    core = make(cat, "standing", "seated", "half-kneeling", "low-lunge", "supine").items
    assert leave_out_order(core, ()) == [3, 2, 1, 4, 0]
    assert leave_out_order(core, ("supine", "seated")) == [4, 1, 3, 2, 0]
    assert leave_out_order(core[:2], ()) == [1, 0]
    assert leave_out_order(core[:1], ()) == [0]


def test_optional_stretches_are_extras_added_in_order_only_when_needed(cat):
    routine = make(cat, Item(cat.find("supine"), optional=True), "standing",
                   Item(cat.find("cobra"), optional=True))
    assert {p.stretch.slug for p in timeline.build(routine).phases} == {"standing"}
    as_written = fit(routine, level=LEVELS["standard"])
    assert [i.stretch.slug for i in as_written.routine.items] == ["standing"]
    fitted = check_fit(routine, LEVELS["standard"], 2.5)
    assert [s.slug for s in fitted.added] == ["supine"]
    longer = check_fit(routine, LEVELS["standard"], 4)
    assert [i.stretch.slug for i in longer.routine.items] == ["supine", "standing", "cobra"]


def test_the_headline_cases(builtin):
    warmup = check_fit(builtin["warmup"], LEVELS["gentle"], 10)
    assert warmup.total == pytest.approx(600, abs=30)
    full = check_fit(builtin["full"], LEVELS["gentle"], 5)
    slugs = {i.stretch.slug for i in full.routine.items}
    assert not slugs & {"camel", "foam-roller", "pigeon"}
    assert {s.slug for s in full.advanced} == {"camel", "foam-roller", "pigeon"}


def test_a_fitted_routine_keeps_each_items_own_rest_and_switch(cat):
    routine = make(cat, Item(cat.find("pigeon"), rest=20, switch=30), "camel")
    fitted = check_fit(routine, LEVELS["standard"], 7)
    assert [(i.rest, i.switch) for i in fitted.routine.items] == [(20, 30), (None, None)]
    rests = {(p.stretch.slug, p.kind, p.duration) for p in timeline.build(fitted.routine).phases
             if p.kind in ("rest", "switch")}
    assert rests == {("pigeon", "rest", 20), ("pigeon", "switch", 30), ("camel", "rest", 15)}


def test_a_plan_without_the_first_stretch_is_no_fit(builtin):
    """With every hold fixed at a minute, only the camel and the roller (the two
    'full' leaves out first) come to five minutes: that is not 'full' fitted."""
    with pytest.raises(CannotFit) as caught:
        fit(builtin["full"], level=LEVELS["standard"], seconds=300,
            overrides=Overrides(hold=60))
    assert str(caught.value).endswith("the nearest it can last are 4:38 and 5:40")


def test_full_leaves_out_the_roller_and_camel_first(builtin):
    fitted = check_fit(builtin["full"], LEVELS["standard"], 10)
    assert [s.slug for s in fitted.left_out][:2] == ["camel", "foam-roller"]  # in play order


# -- levels ---------------------------------------------------------------------------------

def test_levels_take_the_ends_of_the_ranges(cat):
    routine = make(cat, "cobra", "foam-roller")
    ends = {name: [(i.hold, i.reps) for i in fit(routine, level=LEVELS[name]).routine.items]
            for name in levels.NAMES}
    assert ends["gentle"] == [(20, 3)]  # and the roller, advanced, left out
    assert ends["standard"] == [(25, 4), (90, 1)]
    assert ends["deep"] == [(30, 5), (120, 1)]


def test_gentle_takes_half_as_long_again_to_get_into_position(cat):
    routine = make(cat, "standing", Item(cat.find("cobra"), setup=7))
    gentle = fit(routine, level=LEVELS["gentle"]).routine.items
    assert [i.setup for i in gentle] == [15, 7]  # a routine's own set-up is kept
    assert fit(routine, level=LEVELS["gentle"], overrides=Overrides(setup=4)).routine \
        .items[0].setup == 4


def test_the_users_level_wins_then_the_routines_then_its_old_words():
    assert levels.chosen("deep", "gentle").name == "deep"
    assert levels.chosen(None, "gentle").name == "gentle"
    assert levels.chosen(None, None) == LEVELS["standard"]
    old = levels.chosen(None, None, "high", "low")  # cooldown before levels
    assert (old.name, old.holds, old.reps, old.setup, old.advanced) == \
        ("standard", "high", "low", 1.0, True)


def test_user_holds_and_reps_are_kept_even_outside_the_ranges(cat):
    routine = make(cat, "standing", "pigeon")
    fitted = check_fit(routine, LEVELS["standard"], 7.5, Overrides(hold=45, reps=2))
    assert {(i.hold, i.reps) for i in fitted.routine.items} == {(45, 2)}


# -- the impossible -------------------------------------------------------------------------

def test_too_long_says_the_range_that_can_be_met(builtin):
    with pytest.raises(CannotFit) as caught:
        fit(builtin["desk"], level=LEVELS["deep"], seconds=600)
    assert str(caught.value) == "'desk' at the deep level can last from 0:55 to 2:30, " \
                                "not 10 minutes"
    assert (caught.value.least, caught.value.most) == (55, 150)


def test_too_short_for_one_stretch(cat):
    with pytest.raises(CannotFit, match=r"can last from 0:57 to 1:17, not 0.5 minutes"):
        fit(make(cat, "supine"), level=LEVELS["standard"], seconds=30)


def test_a_routine_of_one_length_says_it_lasts_exactly_that(cat):
    fixed = make(cat, Item(cat.find("seated"), hold=20, reps=1))
    with pytest.raises(CannotFit) as caught:
        fit(fixed, level=LEVELS["standard"], seconds=300)
    assert str(caught.value) == "'test' at the standard level lasts exactly 0:55, not 5 minutes"
    with pytest.raises(CannotFit) as caught:
        fit(make(cat, "seated"), level=LEVELS["standard"], seconds=300,
            overrides=Overrides(hold=20, reps=1))
    assert str(caught.value) == ("'test' at the standard level lasts exactly 0:55 with those "
                                 "options, not 5 minutes")


def test_a_gap_between_what_can_be_met_names_both_sides(builtin):
    with pytest.raises(CannotFit) as caught:
        fit(builtin["gentle"], level=LEVELS["gentle"], seconds=120)
    assert str(caught.value) == ("'gentle' at the gentle level can't come within 0:15 of "
                                 "2 minutes; the nearest it can last are 1:28 and 2:16")


def test_every_stretch_advanced_at_gentle(cat):
    with pytest.raises(CannotFit, match="every stretch of 'test' is advanced"):
        fit(make(cat, "camel"), level=LEVELS["gentle"])


# -- the work is bounded -------------------------------------------------------------------

def _many(cat, count, **fields):
    slugs = [s.slug for s in cat]
    return tuple(Item(cat.find(slugs[i % len(slugs)]), **fields) for i in range(count))


def _timed(routine, minutes):
    import time

    start = time.perf_counter()
    try:
        fitted = fit(routine, level=LEVELS["standard"], seconds=minutes * 60)
    except CannotFit as exc:
        fitted = exc
    return fitted, time.perf_counter() - start


@pytest.mark.parametrize("count", [800, 2400, 5000])
def test_thousands_of_stretches_fit_to_a_minute_at_once(cat, count):
    """Once 3.4 s for 800 stretches, 49 s for 2,400 and 9 minutes for 5,000."""
    routine = Routine("many", "", "mid", "mid", Pauses(), _many(cat, count))
    fitted, seconds = _timed(routine, 1)
    assert seconds < 1.0
    assert [i.stretch.slug for i in fitted.routine.items] == [routine.items[0].stretch.slug]


@pytest.mark.parametrize("count, minutes, fields, leave_out", [
    (5000, 240, {"hold": 1, "reps": 1, "setup": 0}, ()),  # thousands kept, nearly to the second
    (5000, 1, {}, None),  # every stretch may go: a search among them all
    (5000, 13.3, {"hold": 37, "reps": 3, "setup": 13}, ()),  # nothing left to change
], ids=["long", "leave-all-out", "fixed"])
def test_the_work_of_fitting_is_bounded_whatever_the_routine(cat, count, minutes, fields,
                                                             leave_out):
    items = _many(cat, count, **fields)
    leave_out = tuple(s.slug for s in cat) if leave_out is None else leave_out
    routine = Routine("many", "", "mid", "mid", Pauses(), items, leave_out=leave_out)
    fitted, seconds = _timed(routine, minutes)
    assert seconds < 2.0
    if isinstance(fitted, CannotFit):
        assert str(fitted) == ("'many' at the standard level, with 5,000 stretches, is too "
                               "long for psoas to fit to 1 minute (it stops after 1,000,000 "
                               "steps); give it fewer stretches")
    else:
        assert abs(fitted.total - minutes * 60) <= tolerance(minutes * 60)


@pytest.mark.slow
def test_a_big_routines_file_does_not_slow_psoas_alone(tmp_path):
    """A 172 kB routines.yaml (well inside the 2 MB limit), one routine of 3,300
    short items to be fitted to a minute: plain 'psoas' took 48 s each run."""
    import os
    import subprocess
    import sys
    import time

    home = tmp_path / "home"
    home.mkdir()
    text = "version: 1\nroutines:\n  huge:\n    minutes: 1\n    items:\n"
    text += "      - {stretch: cobra, hold: 1, reps: 1, setup: 0}\n" * 3300
    (home / "routines.yaml").write_text(text)
    assert len(text) > 170_000
    env = {**os.environ, "PSOAS_HOME": str(home)}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "psoas_cli"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "huge" in done.stdout
    assert time.monotonic() - start < 10
