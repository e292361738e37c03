"""The built-in routines flow one way: never down to the floor and back up again."""

from __future__ import annotations

import re

import pytest

from psoas_cli.model import routines
from psoas_cli.model.catalogue import POSITIONS

# How high a position is: a routine may only go down this scale, or only up it.
RANK = {"standing": 4, "seated": 4, "kneeling": 3, "all fours": 2,
        "face-up": 1, "face-down": 1, "side-lying": 1}
UP, DOWN = "up", "down"


def ranks(routine) -> list[int]:
    return [RANK[item.stretch.position] for item in routine.items]


def directions(routine) -> set[str]:
    steps = list(zip(ranks(routine), ranks(routine)[1:]))
    return {UP if after > before else DOWN for before, after in steps if after != before}


def test_every_position_has_a_rank():
    assert set(RANK) == set(POSITIONS)


def test_the_check_catches_a_routine_that_goes_down_and_back_up(cat):
    there_and_back = routines.adhoc([cat.find("standing"), cat.find("supine"),
                                     cat.find("seated")])
    assert directions(there_and_back) == {UP, DOWN}


@pytest.mark.parametrize("name", ["warmup", "cooldown", "after-run", "morning", "desk",
                                  "gentle", "full"])
def test_each_builtin_routine_flows_one_way(builtin, name):
    routine = builtin[name]
    path = " > ".join(f"{i.stretch.slug} ({i.stretch.position})" for i in routine.items)
    assert len(directions(routine)) <= 1, f"{name} goes both down and up: {path}"


def test_all_builtins_are_checked(builtin):
    assert set(builtin) == {"warmup", "cooldown", "after-run", "morning", "desk", "gentle",
                            "full"}


@pytest.mark.parametrize("name, way", [("warmup", UP), ("morning", UP), ("cooldown", DOWN),
                                       ("after-run", DOWN), ("full", DOWN)])
def test_before_exercise_comes_up_and_after_it_goes_down(builtin, name, way):
    assert directions(builtin[name]) == {way}


@pytest.mark.parametrize("name", ["warmup", "morning", "desk"])
def test_ends_on_your_feet(builtin, name):
    assert builtin[name].items[-1].stretch.position == "standing"


def test_desk_uses_only_a_chair_and_your_feet(builtin):
    assert {i.stretch.position for i in builtin["desk"].items} <= {"standing", "seated"}
    assert "without wheels" in builtin["desk"].description


def test_warmup_moves_and_sends_you_on_to_easy_cardio(builtin):
    warmup = builtin["warmup"]
    assert "easy cardio" in warmup.description
    assert any(i.stretch.reps.low >= 15 for i in warmup.items)  # the bridge: many short lifts
    assert warmup.holds == "low"


def test_full_has_all_eleven_once(builtin, cat):
    slugs = [i.stretch.slug for i in builtin["full"].items]
    assert sorted(slugs) == sorted(s.slug for s in cat) and len(slugs) == 11


def test_gentle_leaves_out_the_advanced_stretches_and_pigeon(builtin):
    gentle = builtin["gentle"].items
    assert not [i.stretch.slug for i in gentle if i.stretch.advanced]
    assert not {"pigeon", "camel", "foam-roller"} & {i.stretch.slug for i in gentle}


def test_gentle_goes_down_from_standing_to_the_chair_as_full_does(builtin):
    assert [i.stretch.slug for i in builtin["gentle"].items][:2] == ["standing", "seated"]
    assert [i.stretch.slug for i in builtin["full"].items][:2] == ["standing", "seated"]


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


# Words in a description that name where a routine starts or ends.
PLACES = {"lying down": 1, "floor": 1, "chair": 4, "standing": 4, "stand": 4}


@pytest.mark.parametrize("name", ["warmup", "cooldown", "after-run", "morning", "desk",
                                  "gentle", "full"])
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
