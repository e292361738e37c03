"""The words for each kind of phase, the same on screen, in the plan and in the voice."""

from __future__ import annotations

import pytest

from psoas_cli.files import datafiles
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.play.engine import Engine
from psoas_cli.play.events import Outcome, State, Summary
from psoas_cli.play.phrases import (
    clock,
    describe,
    ending,
    label,
    needs,
    next_text,
    prompt,
    side_sentence,
    side_sentences,
    title,
)


@pytest.fixture(scope="module")
def cat():
    return datafiles.load_catalogue()


@pytest.fixture(scope="module")
def plan(cat):
    items = (Item(cat.find("standing"), hold=20, reps=2), Item(cat.find("foam-roller"), hold=60),
             Item(cat.find("camel"), hold=20, reps=1))
    return timeline.build(Routine("test", "", "low", "low", Pauses(10, 5, 5), items))


def state(plan, index: int, *, into: float = 1.0, paused: bool = False):
    t = plan.phases[index].start + into
    engine = Engine(plan, now=lambda: t)
    engine.start(0.0)
    engine.advance(t)
    if paused:
        engine.press("pause", t)
    return engine.state(t)


def words(plan):
    return [(p.kind, label(state(plan, i)), describe(p)) for i, p in enumerate(plan.phases)]


def test_every_kind_of_phase_is_labelled_and_described_by_its_limb(plan):
    assert words(plan) == [
        ("ready", "GET READY", "get ready for Standing psoas stretch, right leg"),
        ("hold", "RIGHT LEG", "hold rep 1 of 2, right leg"),
        ("rest", "REST", "come out, rest, then rep 2 of 2"),
        ("hold", "RIGHT LEG", "hold rep 2 of 2, right leg"),
        ("switch", "SWITCH SIDES", "switch sides: left leg"),
        ("hold", "LEFT LEG", "hold rep 1 of 2, left leg"),
        ("rest", "REST", "come out, rest, then rep 2 of 2"),
        ("hold", "LEFT LEG", "hold rep 2 of 2, left leg"),
        ("move", "GET READY", "get ready for Psoas release with foam roller"),
        ("flow", "KEEP MOVING", "keep moving"),
        ("move", "GET READY", "get ready for Camel pose"),
        ("hold", "HOLD", "hold"),
    ]


def test_a_movement_reads_lift_and_hold_then_lower(cat):
    plan = timeline.build(Routine("t", "", "low", "low", Pauses(10, 5, 3),
                                  (Item(cat.find("glute-bridge"), reps=2),)))
    assert [(label(state(plan, i)), describe(p)) for i, p in enumerate(plan.phases)] == [
        ("GET READY", "get ready for Glute bridge"),
        ("LIFT & HOLD", "lift & hold rep 1 of 2"), ("LOWER", "lower"),
        ("LIFT & HOLD", "lift & hold rep 2 of 2"), ("LOWER", "lower")]
    assert prompt(state(plan, 1)) == cat.find("glute-bridge").cue
    assert prompt(state(plan, 2)) == "Breathe in and lower slowly."
    assert next_text(state(plan, 1)) == "Next: lower (3 s)"


def test_prompts_say_what_to_do_now(plan):
    assert prompt(state(plan, 0)) == "Get into position: stand tall, then step your right leg back."
    assert prompt(state(plan, 2)) == "Come out slowly and rest. Rep 2 of 2 is next."
    assert prompt(state(plan, 4)) == "Step your feet together, then step your left leg back."
    assert prompt(state(plan, 1)) == plan.phases[1].stretch.cue
    assert prompt(state(plan, 1, paused=True)) == "Paused. Press space to carry on."
    assert label(state(plan, 1, paused=True)) == "PAUSED"
    assert prompt(state(plan, 10)) == "Get into position."  # camel: no side to name


def test_a_waiting_switch_says_to_press_enter(cat):
    plan = timeline.build(Routine("t", "", "low", "low", Pauses(10, 5, 3),
                                  (Item(cat.find("side-lying"), reps=1),)),
                          timeline.Overrides(wait=True))
    switch = next(i for i, p in enumerate(plan.phases) if p.kind == "switch")

    def waiting(index):
        return State(plan, index, plan.phases[index].duration, False, True, 0.0)

    assert prompt(waiting(switch)) == ("Roll over so your left leg is on top, lying on your "
                                       "right side, then press Enter.")
    assert prompt(waiting(0)) == ("Get into position: lie on your left side. Press Enter "
                                  "when you are in position.")


def test_advanced_stretches_are_marked_and_the_gear_is_listed(cat):
    assert title(cat.find("camel")) == "Camel pose (advanced)"
    assert title(cat.find("cobra")) == "Cobra pose"
    assert needs([cat.find("standing"), cat.find("seated"), cat.find("foam-roller"),
                  cat.find("camel")]) == "Needs: chair, foam roller, mat."
    assert needs([cat.find("standing")]) == ""


def test_next_names_the_next_stretch_or_the_finish(plan):
    assert next_text(state(plan, 7)) == "Next: Psoas release with foam roller (2 of 3)"
    assert next_text(state(plan, 0)) == "Next: hold rep 1 of 2, right leg (20 s)"
    assert next_text(state(plan, 9)) == "Next: Camel pose (3 of 3)"
    assert next_text(state(plan, len(plan.phases) - 1)) == "Next: finish"


@pytest.mark.parametrize("seconds, shown", [(0, "0:00"), (59.4, "0:59"), (61, "1:01"),
                                            (3600, "1:00:00"), (-3, "0:00")])
def test_clock(seconds, shown):
    assert clock(seconds) == shown


def test_the_summary_says_finished_or_stopped_and_the_pauses():
    assert ending(Summary("warmup", Outcome.FINISHED, 276, 276, 276)) == \
        "Finished warmup in 4:36."
    assert ending(Summary("warmup", Outcome.QUIT, 100, 70, 276)) == \
        "Stopped warmup after 1:40 (1:10 stretching, 0:30 paused)."


@pytest.mark.parametrize("elapsed, active, said", [
    (6.4, 3.6, "0:06 (0:04 stretching, 0:02 paused)"),  # not 0:03 paused: 4 + 3 is not 6
    (10.6, 8.4, "0:11 (0:08 stretching, 0:03 paused)"),
    (8.4, 7.6, "0:08"),  # under a second paused, once rounded: none
])
def test_the_parts_of_the_time_add_up_to_the_whole(elapsed, active, said):
    assert ending(Summary("warmup", Outcome.QUIT, elapsed, active, 276)) == \
        f"Stopped warmup after {said}."


def test_what_a_side_means_in_a_sentence(plan):
    standing = plan.phases[0].stretch
    assert side_sentence(standing, "left") == "Left leg back, right foot forward."
    assert side_sentence(standing, None) == ""
    assert side_sentences(standing) == ["Right leg back, left foot forward.",
                                        "Left leg back, right foot forward."]
    camel = plan.phases[-1].stretch
    assert side_sentences(camel) == [] and side_sentence(camel, "right") == ""
