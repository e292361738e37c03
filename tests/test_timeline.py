"""Routines expanded into phases: order, durations, overrides, built-ins."""

from __future__ import annotations

import pytest

from psoas_cli.files import datafiles
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.play.timeline import Overrides


@pytest.fixture(scope="module")
def cat():
    return datafiles.load_catalogue()


def make(cat, *items, holds="low", reps="low", pauses=Pauses(ready=10, switch=5, rest=3)):
    built = tuple(i if isinstance(i, Item) else Item(cat.find(i)) for i in items)
    return Routine("test", "", holds, reps, pauses, built)


def shape(tl):
    return [(p.kind, p.side, p.rep, p.duration) for p in tl.phases]


def test_per_side_stretch_holds_right_then_switches_to_left(cat):
    tl = timeline.build(make(cat, "standing"))
    assert shape(tl) == [("ready", "right", 1, 10), ("hold", "right", 1, 20),
                         ("switch", "left", 1, 5), ("hold", "left", 1, 20)]
    assert tl.planned == 55


def test_repeated_per_side_stretch_does_all_reps_on_one_side_first(cat):
    tl = timeline.build(make(cat, "side-lying"))
    assert shape(tl) == [
        ("ready", "right", 1, cat.find("side-lying").setup),
        ("hold", "right", 1, 20), ("rest", "right", 2, 3), ("hold", "right", 2, 20),
        ("rest", "right", 3, 3), ("hold", "right", 3, 20),
        ("switch", "left", 1, cat.find("side-lying").switch),  # its own: rolling over
        ("hold", "left", 1, 20), ("rest", "left", 2, 3), ("hold", "left", 2, 20),
        ("rest", "left", 3, 3), ("hold", "left", 3, 20),
    ]


def test_stretch_without_sides_repeats_with_rests(cat):
    tl = timeline.build(make(cat, "glute-bridge"))
    kinds = [p.kind for p in tl.phases]
    assert kinds == ["ready"] + ["hold", "rest"] * 14 + ["hold"]
    assert {p.duration for p in tl.phases if p.kind == "hold"} == {5}
    assert all(p.side is None for p in tl.phases)


def test_next_stretch_begins_with_a_move_phase_and_planned_starts_add_up(cat):
    tl = timeline.build(make(cat, "camel", "cobra"))
    moves = [p for p in tl.phases if p.kind == "move"]
    assert len(moves) == 1 and moves[0].stretch.slug == "cobra"
    for before, after in zip(tl.phases, tl.phases[1:]):
        assert after.start == before.start + before.duration
    assert tl.planned == sum(p.duration for p in tl.phases)
    assert tl.after(0) == tl.planned - tl.phases[0].duration


def test_foam_roller_is_one_continuous_flow(cat):
    tl = timeline.build(make(cat, "foam-roller"))
    setup = cat.find("foam-roller").setup
    assert shape(tl) == [("ready", None, 1, setup), ("flow", None, 1, 60)]
    assert timeline.build(make(cat, "foam-roller", holds="high")).phases[1].duration == 120


def test_hold_and_reps_ends(cat):
    assert timeline.build(make(cat, "camel", holds="high")).phases[1].duration == 30
    assert timeline.build(make(cat, "camel", holds="mid")).phases[1].duration == 25
    high = timeline.build(make(cat, "cobra", reps="high"))
    assert sum(p.kind == "hold" for p in high.phases) == 5


def test_item_overrides(cat):
    item = Item(cat.find("pigeon"), hold=40, reps=2, sides="left", rest=9)
    assert shape(timeline.build(make(cat, item))) == [
        ("ready", "left", 1, cat.find("pigeon").setup), ("hold", "left", 1, 40), ("rest", "left", 2, 9),
        ("hold", "left", 2, 40)]


def test_command_line_overrides_win(cat):
    item = Item(cat.find("pigeon"), hold=40, reps=2, sides="left", setup=12, rest=9)
    tl = timeline.build(make(cat, item), Overrides(hold=7, reps=2, side="both", rest=4))
    assert shape(tl) == [("ready", "right", 1, 12), ("hold", "right", 1, 7),
                         ("rest", "right", 2, 4), ("hold", "right", 2, 7),
                         ("switch", "left", 1, cat.find("pigeon").switch),
                         ("hold", "left", 1, 7), ("rest", "left", 2, 4), ("hold", "left", 2, 7)]


@pytest.mark.parametrize("item, rest, switch", [
    ({}, 15, 15),  # pigeon's own, longer than the routine's 3 and 5: time to come out of it
    ({"rest": 20, "switch": 25}, 20, 25),  # the routine item's
    ({"rest": 0, "switch": 0}, None, None),  # no rest, no switch phase at all
])
def test_rest_and_switch_come_from_the_item_then_the_stretch_then_the_routine(cat, item, rest,
                                                                              switch):
    pigeon = cat.find("pigeon")
    assert (pigeon.rest, pigeon.switch) == (15, 15)
    tl = timeline.build(make(cat, Item(pigeon, reps=2, **item)))
    assert {p.duration for p in tl.phases if p.kind == "rest"} == ({rest} if rest else set())
    assert {p.duration for p in tl.phases if p.kind == "switch"} == ({switch} if switch else set())
    assert timeline.length(make(cat, Item(pigeon, reps=2, **item))) == tl.planned
    # A stretch that gives none takes the routine's.
    unsaid = timeline.build(make(cat, Item(pigeon._replace(rest=None, switch=None), reps=2)))
    assert {(p.kind, p.duration) for p in unsaid.phases if p.kind in ("rest", "switch")} == {
        ("rest", 3), ("switch", 5)}


def test_zero_rest_drops_rest_phases(cat):
    tl = timeline.build(make(cat, "camel"), Overrides(rest=0))
    assert [p.kind for p in tl.phases] == ["ready", "hold", "hold", "hold"]


def test_wait_marks_switch_phases(cat):
    tl = timeline.build(make(cat, "standing", "camel"), Overrides(wait=True))
    assert [p.kind for p in tl.phases if p.wait] == ["switch"]


def test_set_up_time_is_the_items_then_the_stretchs_then_the_routines(cat):
    pigeon = cat.find("pigeon")
    assert pigeon.setup != 10  # the routine's pauses.ready in make()
    first = timeline.build(make(cat, Item(pigeon, setup=33))).phases[0]
    assert (first.kind, first.duration) == ("ready", 33)
    assert timeline.build(make(cat, Item(pigeon))).phases[0].duration == pigeon.setup
    unsaid = Item(pigeon._replace(setup=None))
    assert timeline.build(make(cat, unsaid)).phases[0].duration == 10
    moves = [p for p in timeline.build(make(cat, "camel", Item(pigeon, setup=0))).phases
             if p.kind == "move"]
    assert moves == []  # a set-up of 0 s is no get-ready phase at all


def test_side_override_ignored_for_stretches_without_sides(cat):
    tl = timeline.build(make(cat, "camel"), Overrides(side="left"))
    assert {p.side for p in tl.phases} == {None}


def test_as_dict_lists_every_phase(cat):
    data = timeline.build(make(cat, "standing")).as_dict()
    assert data["total_seconds"] == 55
    assert [p["kind"] for p in data["phases"]] == ["ready", "hold", "switch", "hold"]
    assert data["phases"][2] == {"start": 30.0, "seconds": 5.0, "kind": "switch",
                                 "stretch": "standing", "name": "Standing psoas stretch",
                                 "item": 1, "side": "left", "side_means": "left leg back",
                                 "rep": 1, "reps": 1, "wait": False, "rocks": None,
                                 "note": None}


# -- the built-in routines ----------------------------------------------------

@pytest.fixture(scope="module")
def builtin(cat):
    return datafiles.load_routines(cat)


def test_builtin_routines_exist_with_descriptions(builtin):
    assert {"warmup", "cooldown", "desk", "full", "gentle", "morning", "after-run"} <= \
        set(builtin)
    assert all(r.description for r in builtin.values())


def test_desk_routine_stays_off_the_floor(builtin):
    for item in builtin["desk"].items:
        assert item.stretch.position in ("standing", "seated"), item.stretch.slug
        assert "foam roller" not in item.stretch.equipment


def test_full_routine_has_all_eleven_once_and_childs_pose(builtin, cat):
    assert sorted(i.stretch.slug for i in builtin["full"].items) == \
        sorted([s.slug for s in cat if not s.addition] + ["childs-pose"])


def test_rocking_comes_before_the_first_hold_on_each_side(cat):
    item = Item(cat.find("half-kneeling"), dynamic=6, note="Beside the chair.")
    tl = timeline.build(make(cat, item, Item(cat.find("cobra"), dynamic=2)))
    assert [(p.kind, p.side, p.duration, p.rocks) for p in tl.phases if p.item == 0] == [
        ("ready", "right", 12, 0), ("rock", "right", 12, 6), ("hold", "right", 20, 0),
        ("switch", "left", 8, 0), ("rock", "left", 12, 6), ("hold", "left", 20, 0)]
    # once before the first of several reps, not before every rep
    assert [p.kind for p in tl.phases if p.item == 1] == [
        "move", "rock", "hold", "rest", "hold", "rest", "hold"]
    assert tl.planned == timeline.length(make(cat, item, Item(cat.find("cobra"), dynamic=2)))
    assert [(p.kind, p.note) for p in tl.phases if p.note] == [("ready", "Beside the chair.")]
    assert tl.as_dict()["phases"][1]["rocks"] == 6


def test_a_note_moves_to_the_first_hold_when_there_is_no_get_ready(cat):
    tl = timeline.build(make(cat, Item(cat.find("standing"), setup=0, note="At the desk.")))
    assert [(p.kind, p.note) for p in tl.phases] == [("hold", "At the desk."), ("switch", ""),
                                                    ("hold", "")]


def test_the_same_stretch_twice_is_new_only_the_first_time(cat):
    tl = timeline.build(make(cat, "standing", "cobra", "standing"))
    firsts = {(p.item, tl.first_time(i)) for i, p in enumerate(tl.phases)}
    assert firsts == {(0, True), (1, True), (2, False)}


def test_warmup_holds_are_shorter_than_cooldown_holds(builtin):
    def mean_hold(name):
        holds = [p.duration for p in timeline.build(builtin[name]).phases if p.kind == "hold"]
        return sum(holds) / len(holds)

    assert mean_hold("warmup") < mean_hold("cooldown")
