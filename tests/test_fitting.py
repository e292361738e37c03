"""Fitting a routine to a level and a length: every built-in routine at many
lengths and levels, hand-made random routines, and the impossible cases."""

from __future__ import annotations

import random
from itertools import combinations, product

import pytest

from psoas_cli.errors import CannotFit
from psoas_cli.files import datafiles
from psoas_cli.model import levels
from psoas_cli.model.levels import LEVELS
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import fitting, timeline
from psoas_cli.play.fitting import fit, leave_out_order, tolerance
from psoas_cli.play.timeline import NO_OVERRIDES, Overrides

MINUTES = [0.5, 1, 1.5, 2, 3, 4, 5, 6.5, 8, 10, 12, 15, 20, 30]
# The catalogue's moves between positions: what is said while getting ready,
# and so how long each get-ready is, depends on the stretch before it.
cat_moves = datafiles.load_catalogue().moves


PAUSES = Pauses(ready=10, switch=5, rest=3)


def make(cat, *items, level=None, pauses=PAUSES, leave_out=()):
    built = tuple(i if isinstance(i, Item) else Item(cat.find(i)) for i in items)
    return Routine("test", "", "mid", "mid", pauses, built, level=level, leave_out=leave_out)


# -- what every fit must be ----------------------------------------------------------------

def playable(routine, level):
    """The routine's items the level plays: not the advanced ones at gentle, nor
    the counter-pose of one left out."""
    kept = []
    for i, item in enumerate(routine.items):
        out = not level.advanced and item.stretch.advanced
        if item.counter_to and (not kept or kept[-1][0] != i - 1):
            out = True
        if not out:
            kept.append((i, item))
    return kept


def together(chosen, routine):
    """Whether every counter-pose in the routine is played just when its stretch is."""
    positions = {s.position for s in chosen}
    return all((i in positions) == (i - 1 in positions)
               for i, item in enumerate(routine.items) if item.counter_to)


def candidate_sets(routine, level, overrides):
    """Every set of stretches fitting may play: the routine's own less some (not
    its first, unless it names it in leave_out, and then not the first it does
    not name; those it names only in the order named), or plus some of its
    optional ones, a counter-pose always with its stretch; with each set's
    shortest and longest time."""
    slots = [fitting._slot(routine, i, item, level, overrides)
             for i, item in playable(routine, level)]
    core = [s for s in slots if not s.item.optional]
    extras = [s for s in slots if s.item.optional]
    stays = next((s for s in core if s.item.stretch.slug not in routine.leave_out
                  and not s.item.counter_to), None)
    sets = [[s for s in core if s not in gone]
            for n in range(len(core))
            for gone in combinations([s for s in core if s is not stays], n)]
    sets += [sorted(core + list(more), key=lambda s: s.position)
             for n in range(1, len(extras) + 1) for more in combinations(extras, n)]
    # Reps come in whole numbers: each choice of them spans the holds' range.
    named = [s for slug in routine.leave_out for s in core if s.item.stretch.slug == slug]

    def in_order(chosen):  # those named go only in the order named
        kept = [s in chosen for s in named]
        return kept == sorted(kept)

    place = fitting._placer(routine, overrides, cat_moves)  # each get-ready as its words need
    return [(sum(s.seconds(s.holds[0], r) for s, r in zip(placed, reps, strict=True)),
             sum(s.seconds(s.holds[1], r) for s, r in zip(placed, reps, strict=True)))
            for chosen in sets if together(chosen, routine) and in_order(chosen)
            for placed in [place(chosen)]
            for reps in product(*(range(s.reps[0], s.reps[1] + 1) for s in chosen))]


def check_fit(routine, level, minutes, overrides=NO_OVERRIDES):
    """Fit, then check what a user would notice: the length, the ranges, the level."""
    target = minutes * 60
    try:
        fitted = fit(routine, level=level, seconds=target, overrides=overrides,
                     moves=cat_moves)
    except CannotFit as exc:
        reachable = [(low, high) for low, high in candidate_sets(routine, level, overrides)
                     if low - tolerance(target) <= target <= high + tolerance(target)]
        assert not reachable, f"{routine.name} could last {minutes} min: {exc}"
        assert ("can last" in str(exc) or "lasts exactly" in str(exc)) and "\n" not in str(exc)
        return None
    first = next((item.stretch for item in routine.items if not item.optional
                  and (level.advanced or not item.stretch.advanced)
                  and item.stretch.slug not in routine.leave_out and not item.counter_to), None)
    if first is not None:  # (at the gentle level, maybe as its easier variant)
        assert first.slug in [i.stretch.slug for i in fitted.routine.items], "the first stays"
    plan = timeline.build(fitted.routine, overrides, cat_moves)
    assert plan.planned == fitted.total
    assert abs(plan.planned - target) <= tolerance(target), (routine.name, minutes)
    check_ranges(fitted, overrides)
    check_level(fitted, routine, level, overrides)
    return fitted


def check_ranges(fitted, overrides):
    for item in fitted.routine.items:
        stretch = item.stretch
        # --hold never sets a movement's top hold, and stops at the range of an
        # advanced stretch or a backbend; --reps too.
        hold, reps = timeline.asked_hold(item, overrides), timeline.asked_reps(item, overrides)
        if hold is None:
            assert stretch.hold.low <= item.hold <= stretch.hold.high, stretch.slug
        else:
            assert item.hold == hold
            assert hold <= stretch.hold.high or not stretch.dose_capped, stretch.slug
        if reps is None:
            assert stretch.reps.low <= item.reps <= stretch.reps.high, stretch.slug
        else:
            assert item.reps == reps
            assert reps <= stretch.reps.high or not stretch.dose_capped, stretch.slug


def as_written(fitted, routine):
    """Each fitted item with the routine's item it was made from, in order (desk
    plays the standing stretch twice, with set-ups of its own)."""
    written = iter(routine.items)
    pairs = []
    for item in fitted.routine.items:
        own = next(w for w in written if w.stretch.slug == item.stretch.slug)
        pairs.append((item, own))
    return pairs


def check_level(fitted, routine, level, overrides):
    pairs = as_written(fitted, routine)  # in the routine's order, or next() runs out
    if not level.advanced:
        assert not any(item.stretch.advanced for item in fitted.routine.items)
    for item, own_item in pairs:
        own = timeline.setup_of(routine, own_item, overrides)
        if overrides.setup is not None:
            assert item.setup == own, item.stretch.slug  # the command line's, as it is
            continue
        if own_item.setup is None:
            own = level.setup_seconds(own)
        # At least the routine's or the stretch's, and longer only for its words:
        # up to the top of its set-up range (as long as they need without one).
        assert own <= item.setup, item.stretch.slug
        if item.stretch.setup_most is not None:
            assert item.setup <= max(own, item.stretch.setup_most), item.stretch.slug
    slugs = [item.stretch.slug for item in fitted.routine.items]
    for at, (_, own_item) in enumerate(pairs):  # a counter-pose only with its stretch
        if own_item.counter_to:
            assert at and slugs[at - 1] == own_item.counter_to, slugs
    for index, item in enumerate(routine.items[:-1]):
        after = routine.items[index + 1]
        if after.counter_to and item.stretch.slug in slugs:
            assert after.stretch.slug in slugs, slugs


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
    routine = make(cat, "standing", "half-kneeling")  # 2:32 at standard (25 s holds)
    fitted = check_fit(routine, LEVELS["standard"], 2.75)  # 2:44 at 28 s
    assert fitted.total == 164  # each second more of hold is two: one a side
    assert sorted(i.hold for i in fitted.routine.items) == [28, 28]
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


def test_a_plan_without_the_first_stretch_is_no_fit(builtin, cat):
    """With every hold fixed at a minute (the roller's, camel's, cobra's and
    pigeon's stopping at the catalogue's longest), no set that keeps the first
    stretch 'full' does not name (supine) comes to six and a half minutes: a
    set without it is not 'full' fitted."""
    with pytest.raises(CannotFit) as caught:
        fit(builtin["full"], level=LEVELS["standard"], seconds=390,
            overrides=Overrides(hold=60), moves=cat.moves)
    assert str(caught.value).endswith("the nearest it can last are 6:04 and 7:14")


def test_full_leaves_out_the_roller_and_camel_with_its_counter_pose_first(builtin):
    fitted = check_fit(builtin["full"], LEVELS["standard"], 17)
    assert [s.slug for s in fitted.left_out] == ["foam-roller", "camel", "childs-pose"]
    assert [i.stretch.slug for i in fitted.routine.items][:2] == ["cobra", "side-lying"]


# -- levels ---------------------------------------------------------------------------------

def test_levels_take_the_ends_of_the_ranges(cat):
    routine = make(cat, "cobra", "foam-roller")
    ends = {name: [(i.hold, i.reps) for i in fit(routine, level=LEVELS[name]).routine.items]
            for name in levels.NAMES}
    assert ends["gentle"] == [(20, 3)]  # and the roller, advanced, left out
    assert ends["standard"] == [(25, 4), (90, 1)]
    assert ends["deep"] == [(30, 5), (120, 1)]


def test_gentle_takes_half_as_long_again_to_get_into_position(cat):
    # Stretches with little to say while getting ready: nothing lengthens the set-up.
    quiet = {"say_setup": "Go.", "cautions_said": (), "easier_say": "", "easier": "",
             "gentle": None}
    routine = make(cat, Item(cat.find("standing")._replace(**quiet)),
                   Item(cat.find("cobra")._replace(**quiet), setup=7))
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
    routine = make(cat, "standing", "supine")
    fitted = check_fit(routine, LEVELS["standard"], 7, Overrides(hold=45, reps=2))
    assert {(i.hold, i.reps) for i in fitted.routine.items} == {(45, 2)}


def test_backbends_advanced_stretches_and_movements_keep_their_dose(cat):
    """--hold 120 --reps 9 would hold camel nine times two minutes: the advanced
    stretches and the backbends stop at the catalogue's range, a movement keeps
    its seconds at the top, and each is told in one line."""
    routine = make(cat, "standing", "cobra", "camel", "pigeon", "glute-bridge")
    overrides = Overrides(hold=120, reps=9)
    fitted = fit(routine, level=LEVELS["standard"], overrides=overrides)
    assert [(i.stretch.slug, i.hold, i.reps) for i in fitted.routine.items] == [
        ("standing", 120, 9), ("cobra", 30, 5), ("camel", 30, 3), ("pigeon", 30, 3),
        ("glute-bridge", 7, 9)]
    assert timeline.capped(fitted.routine, overrides) == [
        "cobra: 5 x 30 s, its most (--hold asked 120, --reps asked 9).",
        "camel: 3 x 30 s, its most (--hold asked 120, --reps asked 9).",
        "pigeon: 3 x 30 s, its most (--hold asked 120, --reps asked 9).",
        "glute-bridge: each lift held 7 s, as always (--hold is for stretches)."]
    plan = timeline.build(fitted.routine, overrides)
    assert max(p.duration for p in plan.phases
               if p.stretch.slug == "camel" and p.kind == "hold") == 30
    assert timeline.capped(fit(routine, level=LEVELS["standard"]).routine, Overrides()) == []


# -- the impossible -------------------------------------------------------------------------

def test_too_long_says_the_range_that_can_be_met(builtin, cat):
    with pytest.raises(CannotFit) as caught:
        fit(builtin["desk"], level=LEVELS["deep"], seconds=600, moves=cat.moves)
    assert str(caught.value) == "'desk' at the deep level can last from 1:08 to 4:32, " \
                                "not 10 minutes"  # the side-sitting extra and two rounds
    assert (caught.value.least, caught.value.most) == (68, 272)
    # the longest is what it plays when asked for that: each get-ready as the
    # words said in it, after the stretch before it, need it
    longest = fit(builtin["desk"], level=LEVELS["deep"], seconds=266, moves=cat.moves)
    assert longest.total == 266
    assert timeline.build(longest.routine, moves=cat.moves).planned == 266


def test_too_short_for_one_stretch(cat):
    with pytest.raises(CannotFit, match=r"can last from 1:06 to 1:26, not 0.5 minutes"):
        fit(make(cat, "supine"), level=LEVELS["standard"], seconds=30)


def test_a_routine_of_one_length_says_it_lasts_exactly_that(cat):
    fixed = make(cat, Item(cat.find("seated"), hold=20, reps=1))
    with pytest.raises(CannotFit) as caught:
        fit(fixed, level=LEVELS["standard"], seconds=300)
    assert str(caught.value) == "'test' at the standard level lasts exactly 1:06, not 5 minutes"
    with pytest.raises(CannotFit) as caught:
        fit(make(cat, "seated"), level=LEVELS["standard"], seconds=300,
            overrides=Overrides(hold=20, reps=1))
    assert str(caught.value) == ("'test' at the standard level lasts exactly 1:06 with those "
                                 "options, not 5 minutes")


def test_a_gap_between_what_can_be_met_names_both_sides(builtin, cat):
    with pytest.raises(CannotFit) as caught:
        fit(builtin["gentle"], level=LEVELS["gentle"], seconds=120, moves=cat.moves)
    assert str(caught.value) == ("'gentle' at the gentle level can't come within 0:15 of "
                                 "2 minutes; the nearest it can last are 1:40 and 2:44")


def test_every_stretch_advanced_at_gentle(cat):
    with pytest.raises(CannotFit, match="every stretch of 'test' is advanced"):
        fit(make(cat, "camel"), level=LEVELS["gentle"])


# -- counter-poses: child's pose after camel ------------------------------------------------

def with_a_counter_pose(cat, **options):
    return make(cat, "standing", "camel", Item(cat.find("childs-pose"), counter_to="camel"),
                "supine", **options)


@pytest.mark.parametrize("minutes", [1.5, 2, 3, 4, 5, 6, 7, 8])
@pytest.mark.parametrize("hold", [None, 20, 60])
@pytest.mark.parametrize("leave_out", [(), ("camel",)])
def test_a_counter_pose_is_played_just_when_the_stretch_it_answers_is(cat, minutes, hold,
                                                                       leave_out):
    """Whether it would go first (leave_out), or second to last (without)."""
    fitted = check_fit(with_a_counter_pose(cat, leave_out=leave_out), LEVELS["standard"],
                       minutes, Overrides(hold=hold))
    if fitted is not None:
        slugs = [i.stretch.slug for i in fitted.routine.items]
        assert ("camel" in slugs) == ("childs-pose" in slugs), slugs


def test_camel_leaves_first_and_takes_its_counter_pose_with_it(cat):
    fitted = check_fit(with_a_counter_pose(cat, leave_out=("camel",)), LEVELS["standard"], 2.5)
    assert [s.slug for s in fitted.left_out] == ["camel", "childs-pose"]
    assert [i.stretch.slug for i in fitted.routine.items] == ["standing", "supine"]


def test_the_gentle_level_leaves_the_counter_pose_out_with_camel_and_says_so(builtin):
    fitted = fit(builtin["full"], level=LEVELS["gentle"])
    slugs = [i.stretch.slug for i in fitted.routine.items]
    assert "camel" not in slugs and "childs-pose" not in slugs
    assert [s.slug for s in fitted.paired] == ["childs-pose"]
    assert "Left out with the stretch each answers: Child's pose." in fitted.notes()
    assert fitted.as_dict()["left_out_with_their_pair"] == ["childs-pose"]


@pytest.mark.parametrize("hold", [None, 20, 45, 60])
@pytest.mark.parametrize("level", levels.NAMES)
def test_full_never_plays_camel_without_cobra_before_it_and_childs_pose_after(builtin, level,
                                                                              hold):
    """At any length fitting reaches, even with every hold fixed."""
    reached = 0
    for minutes in range(3, 26):
        try:
            fitted = fit(builtin["full"], level=LEVELS[level], seconds=minutes * 60,
                         overrides=Overrides(hold=hold))
        except CannotFit:
            continue
        reached += 1
        slugs = [i.stretch.slug for i in fitted.routine.items]
        if "camel" in slugs:
            at = slugs.index("camel")
            assert "cobra" in slugs[:at] and slugs[at + 1] == "childs-pose", (minutes, slugs)
        assert ("childs-pose" in slugs) == ("camel" in slugs), (minutes, slugs)
    assert reached >= 5


def test_rocking_is_timed_as_fitting_counts_it(builtin):
    """warmup rocks six times before each side's hold of half-kneeling and standing."""
    fitted = fit(builtin["warmup"], level=LEVELS["gentle"], moves=cat_moves)
    plan = timeline.build(fitted.routine, Overrides(), cat_moves)
    rocks = [(p.stretch.slug, p.side, p.duration) for p in plan.phases if p.kind == "rock"]
    assert rocks == [("half-kneeling", "right", 12), ("half-kneeling", "left", 12),
                     ("standing", "right", 12), ("standing", "left", 12)]
    assert plan.planned == fitted.total == 424
    assert check_fit(builtin["warmup"], LEVELS["gentle"], 8).total == pytest.approx(480, abs=24)


# -- the get-readies' words, and the gentle variants ----------------------------------------

def test_the_plan_and_the_fit_agree_on_every_get_ready(builtin, cat):
    """The get-readies are as long as their words need where each stretch
    stands, so what fitting counts is what the plan plays."""
    for routine in builtin.values():
        for level in LEVELS.values():
            try:
                fitted = fit(routine, level=level, moves=cat.moves)
            except CannotFit:
                continue
            plan = timeline.build(fitted.routine, Overrides(), cat.moves)
            assert plan.planned == fitted.total, (routine.name, level.name)


def test_at_the_gentle_level_the_easier_variant_plays(builtin, cat):
    warmup = fit(builtin["warmup"], level=LEVELS["gentle"], moves=cat.moves).routine
    played = {i.stretch.slug: i.stretch for i in warmup.items}
    assert played["half-kneeling"].name == "Half-kneeling hip flexor stretch, hand on a chair"
    assert played["half-kneeling"].plays == "gentle"
    assert played["bridge-set"].plays == ""  # no variant: itself
    standard = fit(builtin["warmup"], level=LEVELS["standard"], moves=cat.moves).routine
    assert all(not i.stretch.plays for i in standard.items)
    gentle_cobra = fit(make(cat, "cobra"), level=LEVELS["gentle"]).routine.items[0].stretch
    assert gentle_cobra.name.startswith("Sphinx") and "forearms" in gentle_cobra.cue.lower()


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
                               f"long for psoas to fit to {minutes:g} minute"
                               f"{'s' if minutes != 1 else ''} (it stops after 1,000,000 "
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
