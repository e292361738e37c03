"""Routines expanded into phases: order, durations, overrides, built-ins."""

from __future__ import annotations

import pytest

from psoas_cli.files import datafiles
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import coaching, timeline
from psoas_cli.play.timeline import Overrides

# The get-ready as the routine gives it, not lengthened for its words (as --setup 10).
AS_GIVEN = Overrides(setup=10)


@pytest.fixture(scope="module")
def cat():
    return datafiles.load_catalogue()


PAUSES = Pauses(ready=10, switch=5, rest=3)


def make(cat, *items, holds="low", reps="low", pauses=PAUSES):
    built = tuple(i if isinstance(i, Item) else Item(cat.find(i)) for i in items)
    return Routine("test", "", holds, reps, pauses, built)


def shape(tl):
    return [(p.kind, p.side, p.rep, p.duration) for p in tl.phases]


def test_per_side_stretch_holds_right_then_switches_to_left(cat):
    tl = timeline.build(make(cat, "standing"), AS_GIVEN)
    assert shape(tl) == [("ready", "right", 1, 10), ("hold", "right", 1, 20),
                         ("switch", "left", 1, 5), ("hold", "left", 1, 20)]
    assert tl.planned == 55


def test_repeated_per_side_stretch_does_all_reps_on_one_side_first(cat):
    tl = timeline.build(make(cat, "side-lying"), Overrides(setup=15))
    assert shape(tl) == [
        ("ready", "right", 1, 15),
        # its own rest: time to let go, straighten, and take the ankle again
        ("hold", "right", 1, 20), ("rest", "right", 2, 10), ("hold", "right", 2, 20),
        ("rest", "right", 3, 10), ("hold", "right", 3, 20),
        ("switch", "left", 1, cat.find("side-lying").switch),  # its own: rolling over
        ("hold", "left", 1, 20), ("rest", "left", 2, 10), ("hold", "left", 2, 20),
        ("rest", "left", 3, 10), ("hold", "left", 3, 20),
    ]


def test_stretch_without_sides_repeats_with_rests(cat):
    tl = timeline.build(make(cat, "cobra"))
    kinds = [p.kind for p in tl.phases]
    assert kinds == ["ready"] + ["hold", "rest"] * 2 + ["hold"]
    assert {p.duration for p in tl.phases if p.kind == "hold"} == {20}
    assert all(p.side is None for p in tl.phases)


def test_a_movement_lifts_and_lowers_every_rep_the_last_too(cat):
    tl = timeline.build(make(cat, "glute-bridge"))
    kinds = [p.kind for p in tl.phases]
    assert kinds == ["ready"] + ["lift", "lower"] * 15  # no rest, no come-out: it lowers
    assert {p.duration for p in tl.phases if p.kind == "lift"} == {5}
    assert {p.duration for p in tl.phases if p.kind == "lower"} == {3}  # the routine's rest
    assert [p.rep for p in tl.phases if p.kind == "lower"] == list(range(1, 16))
    assert tl.work_seconds(0) == 15 * 5  # the lifts are the work the history records
    assert timeline.length(make(cat, "glute-bridge")) <= tl.planned
    # However short the rests, there is time to lower.
    quick = timeline.build(make(cat, "glute-bridge"), Overrides(rest=0))
    assert {p.duration for p in quick.phases if p.kind == "lower"} == {timeline.LOWER_LEAST}


def test_next_stretch_begins_with_a_move_phase_and_planned_starts_add_up(cat):
    tl = timeline.build(make(cat, "camel", "cobra"))
    moves = [p for p in tl.phases if p.kind == "move"]
    assert len(moves) == 1 and moves[0].stretch.slug == "cobra"
    for before, after in zip(tl.phases, tl.phases[1:], strict=False):
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
    ready, *rest = shape(timeline.build(make(cat, item)))
    # the get-ready: the stretch's own, or longer if its words need it
    assert ready[:3] == ("ready", "left", 1) and ready[3] >= cat.find("pigeon").setup
    assert rest == [("hold", "left", 1, 40), ("rest", "left", 2, 9), ("hold", "left", 2, 40)]


def test_command_line_overrides_win(cat):
    item = Item(cat.find("pigeon"), hold=40, reps=2, sides="left", setup=12, rest=9)
    tl = timeline.build(make(cat, item), Overrides(hold=7, reps=2, side="both", rest=4,
                                                   setup=12))
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


def test_wait_marks_each_get_ready_and_switch(cat):
    tl = timeline.build(make(cat, "standing", "camel"), Overrides(wait=True))
    assert [p.kind for p in tl.phases if p.wait] == ["ready", "switch", "move"]


def test_set_up_time_is_the_items_then_the_stretchs_then_the_routines(cat):
    pigeon = cat.find("pigeon")._replace(setup_most=None)  # not lengthened beyond its own
    quiet = pigeon._replace(say_setup="Go.", cautions_said=(), easier_say="", easier="", name="P")
    assert pigeon.setup != 10  # the routine's pauses.ready in make()
    first = timeline.build(make(cat, Item(quiet, setup=33))).phases[0]
    assert (first.kind, first.duration) == ("ready", 33)
    assert timeline.build(make(cat, Item(quiet))).phases[0].duration == pigeon.setup
    unsaid = Item(quiet._replace(setup=None))
    assert timeline.build(make(cat, unsaid)).phases[0].duration == 10
    moves = [p for p in timeline.build(make(cat, "camel", Item(pigeon, setup=0))).phases
             if p.kind == "move"]
    assert moves == []  # a set-up of 0 s is no get-ready phase at all


@pytest.mark.parametrize("slug", ["half-kneeling", "standing", "low-lunge", "supine", "seated",
                                  "side-lying", "foam-roller", "glute-bridge", "camel",
                                  "cobra", "pigeon"])
def test_a_get_ready_lasts_as_long_as_its_words_need_within_its_range(cat, slug):
    stretch = cat.find(slug)
    ready = timeline.build(make(cat, Item(stretch))).phases[0]
    words = coaching.ready_words(stretch, ready.side, before=None, first_time=True)
    assert stretch.setup <= ready.duration <= stretch.setup_most
    assert ready.duration == max(stretch.setup, min(coaching.need(words), stretch.setup_most))
    assert coaching.need(words) <= stretch.setup_most  # the range has room for every word


def test_a_get_ready_after_another_stretch_has_time_for_the_move_too(cat):
    alone = timeline.build(make(cat, "supine")).phases[0].duration
    plan = timeline.build(make(cat, "standing", "supine"), moves=cat.moves)
    after = next(p for p in plan.phases if p.kind == "move").duration
    assert after > alone  # "Kneel down, sit to one side, then lie back on the mat." too


def test_the_setup_on_the_command_line_wins_and_the_words_make_do(cat):
    tl = timeline.build(make(cat, "camel", "pigeon"), Overrides(setup=6))
    assert [p.duration for p in tl.phases if p.kind in ("ready", "move")] == [6, 6]
    assert timeline.length(make(cat, "camel", "pigeon"), Overrides(setup=6)) == tl.planned


def test_side_override_ignored_for_stretches_without_sides(cat):
    tl = timeline.build(make(cat, "camel"), Overrides(side="left"))
    assert {p.side for p in tl.phases} == {None}


def test_as_dict_lists_every_phase(cat):
    data = timeline.build(make(cat, "standing"), AS_GIVEN).as_dict()
    assert data["total_seconds"] == 55
    assert [p["kind"] for p in data["phases"]] == ["ready", "hold", "switch", "hold"]
    assert data["phases"][2] == {"start": 30.0, "seconds": 5.0, "kind": "switch",
                                 "stretch": "standing", "name": "Standing psoas stretch",
                                 "item": 1, "side": "left", "side_word": "left leg",
                                 "side_means": "left leg back, right foot forward",
                                 "switch": "Step your feet together, then step your left leg "
                                           "back.",
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
        ("ready", "right", 25, 0), ("rock", "right", 12, 6), ("hold", "right", 20, 0),
        ("switch", "left", 8, 0), ("rock", "left", 12, 6), ("hold", "left", 20, 0)]
    # once before the first of several reps, not before every rep
    assert [p.kind for p in tl.phases if p.item == 1] == [
        "move", "rock", "hold", "rest", "hold", "rest", "hold"]
    assert tl.planned == timeline.length(make(cat, item, Item(cat.find("cobra"), dynamic=2)))
    assert [(p.kind, p.note) for p in tl.phases if p.note] == [("ready", "Beside the chair.")]
    assert tl.as_dict()["phases"][1]["rocks"] == 6
    # the get-ready lengthened for its words (the note, the steps, the rocking to come),
    # within the stretch's set-up range
    assert 12 < tl.phases[0].duration <= cat.find("half-kneeling").setup_most


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
