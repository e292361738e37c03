"""The built-in routines as a physical therapist would check them: one way up or
down (never down to the floor and back up), the time where it helps (the hip
flexors, not the bridges), counter-poses beside what they answer, and rests long
enough to come out of a pose.  Times are read from the plans psoas prints
(`--dry-run --json`), as the user would see them."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest

from psoas_cli.model import routines
from psoas_cli.model.catalogue import POSITIONS

# How high a position is: a routine may only go down this scale, or only up it.
# A counter-pose sits at the height of the pose it answers (child's pose after
# camel: both kneeling), so it never needs an exception.
RANK = {"standing": 4, "seated": 4, "kneeling": 3, "all fours": 2,
        "face-up": 1, "face-down": 1, "side-lying": 1}
UP, DOWN = "up", "down"
NAMES = ["warmup", "cooldown", "after-run", "morning", "desk", "gentle", "full"]
BRIDGES = ("glute-bridge", "bridge-set")


def ranks(routine) -> list[int]:
    return [RANK[item.stretch.position] for item in routine.items]


def directions(routine) -> set[str]:
    steps = list(zip(ranks(routine), ranks(routine)[1:], strict=False))
    return {UP if after > before else DOWN for before, after in steps if after != before}


def slugs(routine) -> list[str]:
    return [item.stretch.slug for item in routine.items]


@pytest.fixture(scope="module")
def plans():
    """Each built-in routine's plan, as `psoas routine NAME --dry-run --json` prints it."""
    from click.testing import CliRunner

    from psoas_cli.cli.main import cli

    runner = CliRunner()
    env = {"PSOAS_LEVEL": None, "PSOAS_MINUTES": None, "PSOAS_SETUP": None,
           "PSOAS_ROUTINES": None, "PSOAS_CATALOGUE": None}
    return {name: json.loads(runner.invoke(cli, ["routine", name, "--dry-run", "--json"],
                                           env=env, catch_exceptions=False).output)
            for name in NAMES}


def seconds_by_stretch(plan: dict) -> dict[int, tuple[str, float]]:
    """Each stretch of the plan (by its place) with every second it takes:
    getting ready, rocking, holds, rests and switches."""
    spent: dict[int, float] = defaultdict(float)
    slug = {}
    for phase in plan["phases"]:
        spent[phase["item"]] += phase["seconds"]
        slug[phase["item"]] = phase["stretch"]
    return {item: (slug[item], seconds) for item, seconds in spent.items()}


def held_a_side(plan: dict, stretch: str) -> dict[str, float]:
    held: dict[str, float] = defaultdict(float)
    for phase in plan["phases"]:
        if phase["stretch"] == stretch and phase["kind"] == "hold":
            held[phase["side"]] += phase["seconds"]
    return dict(held)


# -- one way -------------------------------------------------------------------------

def test_every_position_has_a_rank():
    assert set(RANK) == set(POSITIONS)


def test_the_check_catches_a_routine_that_goes_down_and_back_up(cat):
    there_and_back = routines.adhoc([cat.find("standing"), cat.find("supine"),
                                     cat.find("seated")])
    assert directions(there_and_back) == {UP, DOWN}


@pytest.mark.parametrize("name", NAMES)
def test_each_builtin_routine_flows_one_way(builtin, name):
    routine = builtin[name]
    path = " > ".join(f"{i.stretch.slug} ({i.stretch.position})" for i in routine.items)
    assert len(directions(routine)) <= 1, f"{name} goes both down and up: {path}"


def test_all_builtins_are_checked(builtin):
    assert set(builtin) == set(NAMES)


@pytest.mark.parametrize("name, way", [("warmup", UP), ("morning", UP), ("full", UP),
                                       ("cooldown", DOWN), ("after-run", DOWN),
                                       ("gentle", DOWN)])
def test_before_exercise_comes_up_and_after_it_goes_down(builtin, name, way):
    """full comes up too: the roller, done face down, comes before any stretch."""
    assert directions(builtin[name]) == {way}


@pytest.mark.parametrize("name", ["warmup", "morning", "desk", "full"])
def test_ends_on_your_feet(builtin, name):
    assert builtin[name].items[-1].stretch.position == "standing"


def test_a_counter_pose_sits_straight_after_the_pose_it_answers_at_its_height(builtin):
    pairs = []
    for name, routine in builtin.items():
        for before, item in zip(routine.items, routine.items[1:], strict=False):
            if item.counter_to:
                assert before.stretch.slug == item.counter_to, name
                assert RANK[before.stretch.position] == RANK[item.stretch.position], name
                pairs.append((name, before.stretch.slug, item.stretch.slug))
        assert not routine.items[0].counter_to, name
    assert pairs == [("full", "camel", "childs-pose")]


# -- where the time goes ---------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_no_routine_spends_more_than_a_quarter_of_its_time_on_bridges(plans, name):
    plan = plans[name]
    bridges = sum(seconds for slug, seconds in seconds_by_stretch(plan).values()
                  if slug in BRIDGES)
    assert sum(p["seconds"] for p in plan["phases"]) == plan["total_seconds"]
    assert bridges <= 0.25 * plan["total_seconds"], (name, bridges, plan["total_seconds"])


def test_the_bridge_shares_as_planned(plans):
    """Warmup, morning and gentle wake the glutes with eight bridges, not fifteen."""
    shares = {}
    for name, plan in plans.items():
        bridges = sum(s for slug, s in seconds_by_stretch(plan).values() if slug in BRIDGES)
        shares[name] = (bridges, plan["total_seconds"])
    # (each get-ready as long as its words need: the bridges' tempo is explained)
    assert shares == {"warmup": (89, 423), "cooldown": (0, 563), "after-run": (0, 348),
                      "morning": (89, 396), "desk": (0, 167), "gentle": (102, 481),
                      "full": (195, 1526)}


def test_desk_holds_the_standing_stretch_a_minute_a_side_within_three_minutes(plans):
    plan = plans["desk"]
    assert plan["total_seconds"] <= 180
    assert held_a_side(plan, "standing") == {"right": 60, "left": 60}
    assert plan["stretches"] == ["standing", "standing"]  # two rounds, each hip rests between
    assert [p["side"] for p in plan["phases"] if p["kind"] == "hold"] == [
        "right", "left", "right", "left"]


def test_desk_stays_on_your_feet_or_a_chair_and_no_longer_starts_seated(builtin):
    desk = builtin["desk"]
    assert {i.stretch.position for i in desk.items} <= {"standing", "seated"}
    assert "seated" not in slugs(desk)  # mostly the hamstrings: not a desk break's stretch
    assert [(i.stretch.slug, i.optional) for i in desk.items][0] == ("side-sitting", True)
    assert "desk" in desk.items[1].note


@pytest.mark.parametrize("name, per_side", [("warmup", 80), ("cooldown", 120),
                                            ("after-run", 75), ("morning", 60),
                                            ("gentle", 80), ("full", 175)])
def test_every_routine_holds_the_hip_flexors_a_minute_a_side_or_more(plans, name, per_side):
    """The stretches that put the hip behind the body; cobra, pigeon, the
    figure-four and the roller do not count."""
    hip_behind = {"standing", "half-kneeling", "low-lunge", "supine", "side-lying",
                  "side-sitting"}
    held: dict[str, float] = defaultdict(float)
    for phase in plans[name]["phases"]:
        if phase["kind"] == "hold" and phase["stretch"] in hip_behind:
            held[phase["side"]] += phase["seconds"]
    assert dict(held) == {"right": per_side, "left": per_side}


@pytest.mark.parametrize("name", NAMES)
def test_backbends_rest_and_kneeling_stretches_switch_for_at_least_8_seconds(plans, cat, name):
    for phase in plans[name]["phases"]:
        stretch = cat.find(phase["stretch"])
        if phase["kind"] == "rest" and stretch.slug in ("cobra", "camel"):
            assert phase["seconds"] >= 8, (name, phase)
        if phase["kind"] == "switch" and stretch.position == "kneeling":
            assert phase["seconds"] >= 8, (name, phase)


# -- each routine's own shape ---------------------------------------------------------------

def test_warmup_wakes_the_glutes_rocks_into_the_lunges_and_sends_you_to_easy_cardio(
        builtin, plans):
    warmup = builtin["warmup"]
    bridge = next(i for i in warmup.items if i.stretch.slug in BRIDGES)
    assert (bridge.stretch.slug, bridge.stretch.reps.low, bridge.stretch.reps.high) == \
        ("bridge-set", 8, 10)
    assert [(p["stretch"], p["side"], p["rocks"]) for p in plans["warmup"]["phases"]
            if p["kind"] == "rock"] == [("half-kneeling", "right", 6),
                                        ("half-kneeling", "left", 6),
                                        ("standing", "right", 6), ("standing", "left", 6)]
    assert "easy cardio" in warmup.description and "easy cardio" in warmup.closing
    assert plans["warmup"]["closing"] == warmup.closing
    # The real stretches at the standard level (no chair, no towel), held 20 s
    # as before sport, after a few minutes of marching if you can.
    # (the older holds/reps words: a level would be gentle's easier versions)
    assert (warmup.level, warmup.holds, warmup.reps) == (None, "low", "low")
    assert {p["seconds"] for p in plans["warmup"]["phases"] if p["kind"] == "hold"} == {20}
    assert not any(s.gentle and s.plays for s in (i.stretch for i in warmup.items))
    assert "march on the spot" in warmup.items[0].note


def test_full_releases_first_then_cobra_before_camel_and_childs_pose_after(plans):
    played = plans["full"]["stretches"]
    assert played[0] == "foam-roller"
    assert played.index("cobra") < played.index("camel")
    assert played[played.index("camel") + 1] == "childs-pose"
    # the two lunges prepare the hip flexors before camel takes both to end range
    assert played.index("half-kneeling") < played.index("low-lunge") < played.index("camel")
    childs = [p for p in plans["full"]["phases"] if p["stretch"] == "childs-pose"
              and p["kind"] == "hold"]
    assert [p["seconds"] for p in childs] == [25]  # 20-30 s of sitting back on the heels


def test_full_has_each_of_the_eleven_once_and_childs_pose(builtin, cat):
    played = slugs(builtin["full"])
    article = [s.slug for s in cat if not s.addition]
    assert sorted(played) == sorted(article + ["childs-pose"])


def test_gentle_goes_from_the_chair_to_standing_by_it_to_kneeling_beside_it(builtin):
    gentle = builtin["gentle"].items
    assert [i.stretch.slug for i in gentle][:3] == ["side-sitting", "standing", "half-kneeling"]
    assert [i.stretch.position for i in gentle][:3] == ["seated", "standing", "kneeling"]
    for item in gentle[:3]:
        assert "chair" in item.note, item.stretch.slug
    assert "hand on its back" in gentle[1].note and "hand on its seat" in gentle[2].note
    assert not [i.stretch.slug for i in gentle if i.stretch.advanced]


@pytest.mark.parametrize("name", ["cooldown", "gentle"])
def test_cooldown_and_gentle_end_with_a_minute_of_easy_breathing_on_the_back(builtin, plans,
                                                                            name):
    last = builtin[name].items[-1]
    assert (last.stretch.slug, last.stretch.position) == ("constructive-rest", "face-up")
    holds = [p["seconds"] for p in plans[name]["phases"]
             if p["stretch"] == "constructive-rest" and p["kind"] == "hold"]
    assert holds == [60]
    assert "roll onto your side" in builtin[name].closing.lower()


@pytest.mark.parametrize("name", ["cooldown", "after-run"])
def test_after_exercise_the_glutes_get_a_stretch_that_always_plays(builtin, name):
    items = {i.stretch.slug: i for i in builtin[name].items}
    assert not items["figure-four"].optional and not items["figure-four"].stretch.advanced
    assert items["pigeon"].optional  # the advanced one stays an extra
    # side-lying's three reps a side only repeated the low lunge's quad stretch
    assert "side-lying" not in items


def test_only_full_plays_advanced_stretches_unless_asked_for_more_minutes(builtin):
    """Everywhere else they are extras: a longer --minutes adds them."""
    for name, routine in builtin.items():
        played = [i.stretch.slug for i in routine.items if i.stretch.advanced and not i.optional]
        assert played == [] or name == "full", (name, played)
    assert "camel" in builtin["full"].description and "roller" in builtin["full"].description


def test_gentle_gives_more_time_to_get_into_position(builtin):
    for item in builtin["gentle"].items:
        assert item.setup is not None and item.setup > item.stretch.setup, item.stretch.slug


def test_overrides_stay_within_the_catalogues_ranges(builtin):
    for name, routine in builtin.items():
        for item in routine.items:
            where = f"{name}: {item.stretch.slug}"
            if item.hold is not None:
                assert item.stretch.hold.low <= item.hold <= item.stretch.hold.high, where
            if item.reps is not None:
                assert item.stretch.reps.low <= item.reps <= item.stretch.reps.high, where


@pytest.mark.parametrize("name", NAMES)
def test_each_routine_has_a_purpose_in_one_sentence_shown_atop_its_plan(builtin, run, name):
    purpose = builtin[name].purpose
    assert purpose.endswith(".") and purpose.count(". ") == 0 and len(purpose) <= 120, purpose
    plan = run("routine", name, "--dry-run").output
    assert " ".join(plan.split("\n\n", 1)[0].split()) == purpose


# Words in a description that name where a routine starts or ends.
PLACES = {"lying down": 1, "floor": 1, "chair": 4, "standing": 4, "stand": 4}


@pytest.mark.parametrize("name", NAMES)
def test_a_description_names_where_the_routine_starts_and_ends(builtin, name):
    routine = builtin[name]
    said = re.findall(r"lying down|floor|chair|standing|stand", routine.description)
    if said:  # "standing to the floor": the first stretch is standing, the last on the floor
        assert ranks(routine)[0] == PLACES[said[0]], routine.description
        assert ranks(routine)[-1] == PLACES[said[-1]], routine.description


def test_descriptions_fit_the_routine_table_on_one_line(run, builtin):
    output = run("routine").output
    lines = output.splitlines()
    assert max(map(len, lines)) <= 80
    for name, routine in builtin.items():
        row = next(line for line in lines if line.startswith(name + " "))
        assert row.endswith(routine.description), row
        assert re.match(r"(For|Before|After) ", routine.description), routine.description


def test_morning_offers_childs_pose_after_cobra_and_says_where_the_chair_goes(builtin):
    items = builtin["morning"].items
    slugs = [i.stretch.slug for i in items]
    after = items[slugs.index("cobra") + 1]
    assert (after.stretch.slug, after.optional) == ("childs-pose", True)  # on the way up
    chair = items[slugs.index("half-kneeling")]  # the first lunge, with a chair when gentle
    assert "chair beside your mat" in chair.note
