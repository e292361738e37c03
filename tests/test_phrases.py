"""The words for each kind of phase, the same on screen, in the plan and in the voice."""

from __future__ import annotations


import pytest

from psoas_cli import datafiles, timeline
from psoas_cli.engine import Engine
from psoas_cli.events import Outcome, Summary
from psoas_cli.phrases import (WORDS_PER_SECOND, clock, describe, ending, label, next_text,
                               prompt, side_sentence, side_sentences, spoken, spoken_ready)
from psoas_cli.routines import Item, Pauses, Routine


@pytest.fixture(scope="module")
def plan():
    cat = datafiles.load_catalogue()
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
    return [(p.kind, spoken(state(plan, i)), label(state(plan, i)), describe(p))
            for i, p in enumerate(plan.phases)]


def test_every_kind_of_phase_is_spoken_labelled_and_described(plan):
    assert words(plan) == [
        ("ready", "Get ready: Standing psoas stretch. Right side: right leg back. Stand tall "
                  "with your feet about hip-width apart.", "GET READY",
         "get ready for Standing psoas stretch, right side"),
        ("hold", "Hold, rep 1 of 2. Chest up, tailbone tucked.", "RIGHT SIDE",
         "hold rep 1 of 2, right side"),
        ("rest", "Rest. Rep 2 of 2 comes next.", "REST", "rest, then rep 2 of 2"),
        ("hold", "Hold, rep 2 of 2. Chest up, tailbone tucked.", "RIGHT SIDE",
         "hold rep 2 of 2, right side"),
        ("switch", "Switch sides, left leg back.", "SWITCH SIDES", "switch to your left side"),
        ("hold", "Hold, rep 1 of 2. Chest up, tailbone tucked.", "LEFT SIDE",
         "hold rep 1 of 2, left side"),
        ("rest", "Rest. Rep 2 of 2 comes next.", "REST", "rest, then rep 2 of 2"),
        ("hold", "Hold, rep 2 of 2. Chest up, tailbone tucked.", "LEFT SIDE",
         "hold rep 2 of 2, left side"),
        ("move", "Next: Psoas release with foam roller. Lie face down with a foam roller "
                 "across your body under your pelvis, resting your upper body on your "
                 "forearms and elbows. Roll slowly up and back so the roller travels between "
                 "the top of your hip bone and the bottom of your ribs.", "GET READY",
         "get ready for Psoas release with foam roller"),
        ("flow", "Start moving. Slow rolls, gentle pressure, pause on tight spots.",
         "KEEP MOVING", "keep moving"),
        ("move", "Next: Camel pose. Kneel upright with your knees hip-width apart and your "
                 "hips over your knees. Put your hands on your hips and draw your shoulders "
                 "back. Squeeze your glutes and drive your hips forward, lifting your chest "
                 "as your back arches.", "GET READY", "get ready for Camel pose"),
        ("hold", "Hold. Glutes squeezed, hips forward, chest lifted.", "HOLD", "hold"),
    ]


def test_getting_ready_says_a_second_step_only_when_there_is_time_for_it(plan):
    standing = plan.phases[0]
    assert spoken_ready(standing).endswith("hip-width apart.")  # 10 s: the first step only
    longer = spoken_ready(standing._replace(duration=16))
    assert longer.endswith("with the front knee above its ankle.")
    assert len(longer.split()) <= WORDS_PER_SECOND * 16
    # The first step is said however short the time.
    assert spoken_ready(standing._replace(duration=1)).endswith("hip-width apart.")


def test_prompts_say_what_to_do_now(plan):
    assert prompt(state(plan, 0)) == "Get into position, starting on your right side."
    assert prompt(state(plan, 2)) == "Rest. Rep 2 of 2 comes next."
    assert prompt(state(plan, 4)) == "Switch to your left side."
    assert prompt(state(plan, 1)) == plan.phases[1].stretch.cue
    assert prompt(state(plan, 1, paused=True)) == "Paused. Press space to carry on."
    assert label(state(plan, 1, paused=True)) == "PAUSED"


def test_next_names_the_next_stretch_or_the_finish(plan):
    assert next_text(state(plan, 7)) == "Next: Psoas release with foam roller (2 of 3)"
    assert next_text(state(plan, 0)) == "Next: hold rep 1 of 2, right side (20 s)"
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
    assert side_sentence(standing, "left") == "Left side: left leg back."
    assert side_sentence(standing, None) == ""
    assert side_sentences(standing) == ["Right side: right leg back.",
                                        "Left side: left leg back."]
    camel = plan.phases[-1].stretch
    assert side_sentences(camel) == [] and side_sentence(camel, "right") == ""
