"""The words for each kind of phase, the same on screen, in the plan and in the voice."""

from __future__ import annotations

import pytest

from psoas_cli.files import datafiles
from psoas_cli.model.catalogue import POSITIONS
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.play.engine import Engine
from psoas_cli.play.events import Outcome, Summary
from psoas_cli.play.phrases import (
    SPOKEN_POSITIONS,
    WORDS_PER_SECOND,
    clock,
    describe,
    ending,
    label,
    needs,
    next_text,
    prompt,
    side_sentence,
    side_sentences,
    spoken,
    spoken_ready,
    spoken_rest,
    spoken_work,
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
    return [(p.kind, spoken(state(plan, i)), label(state(plan, i)), describe(p))
            for i, p in enumerate(plan.phases)]


def test_every_kind_of_phase_is_spoken_labelled_and_described(plan):
    assert words(plan) == [
        ("ready", "Get ready: Standing psoas stretch. Right side: right leg back. Stand tall "
                  "with your feet about hip-width apart. Then: lunge back, chest up, tailbone "
                  "tucked.", "GET READY", "get ready for Standing psoas stretch, right side"),
        ("hold", "Hold, rep 1 of 2. Lunge back, chest up, tailbone tucked. Ease in slowly, no "
                 "bouncing.", "RIGHT SIDE", "hold rep 1 of 2, right side"),
        ("rest", "Come out slowly and rest. Rep 2 of 2 is next.", "REST",
         "come out, rest, then rep 2 of 2"),
        ("hold", "Hold, rep 2 of 2. Lunge back, chest up, tailbone tucked.", "RIGHT SIDE",
         "hold rep 2 of 2, right side"),
        ("switch", "Switch sides, left leg back.", "SWITCH SIDES", "switch to your left side"),
        ("hold", "Hold, rep 1 of 2. Lunge back, chest up, tailbone tucked. Ease in slowly, no "
                 "bouncing.", "LEFT SIDE", "hold rep 1 of 2, left side"),
        ("rest", "Come out slowly and rest. Rep 2 of 2 is next.", "REST",
         "come out, rest, then rep 2 of 2"),
        ("hold", "Hold, rep 2 of 2. Lunge back, chest up, tailbone tucked.", "LEFT SIDE",
         "hold rep 2 of 2, left side"),
        ("move", "Next: Psoas release with foam roller, an advanced stretch. Lie face down with "
                 "a foam roller across your body under your pelvis, resting your upper body on "
                 "your forearms and elbows. Then: slow rolls, ribs to hip bones, gentle "
                 "pressure.", "GET READY", "get ready for Psoas release with foam roller"),
        # Rolling: no "no bouncing", which is for a held stretch.
        ("flow", "Start moving. Slow rolls, ribs to hip bones, gentle pressure.",
         "KEEP MOVING", "keep moving"),
        ("move", "Next: Camel pose, an advanced stretch. Kneel upright with your knees "
                 "hip-width apart and your hips over your knees. Put your hands on your hips "
                 "and draw your shoulders back. Then: glutes tight, hips forward, chest up, "
                 "reach back if easy.", "GET READY", "get ready for Camel pose"),
        ("hold", "Hold. Glutes tight, hips forward, chest up, reach back if easy. Ease in "
                 "slowly, no bouncing.", "HOLD", "hold"),
    ]


def _ready(stretch, seconds: float, kind: str = "ready"):
    return timeline.Phase(kind, seconds, 0, stretch, "right" if stretch.each_side else None)


def test_getting_ready_says_the_start_then_the_action_as_time_allows(plan, cat):
    standing = plan.phases[0]
    # 10 s: the first step and the action, the cue
    assert spoken_ready(standing).endswith(
        "hip-width apart. Then: lunge back, chest up, tailbone tucked.")
    longer = spoken_ready(standing._replace(duration=30))  # the second step as well
    assert longer.endswith("with the front knee above its ankle. Then: lunge back, chest up, "
                           "tailbone tucked.")
    assert len(longer.split()) <= WORDS_PER_SECOND * 30
    # When the action does not fit beside the first step, the first step alone...
    assert spoken_ready(_ready(cat.find("glute-bridge"), 10)).endswith("about hip-width apart.")
    # ...and when even that is too long, the position in a few words, then the action.
    assert spoken_ready(_ready(cat.find("half-kneeling"), 12)) == (
        "Get ready: Half-kneeling hip flexor stretch. Right side: right knee down. Start "
        "kneeling. Then: sit tall, glute squeezed, shift forward slowly.")
    # However short the time, the start position is said.
    assert spoken_ready(standing._replace(duration=1)).endswith("about hip-width apart.")


def test_every_position_can_be_said_in_a_few_words():
    assert set(SPOKEN_POSITIONS) == set(POSITIONS)


def test_the_next_stretch_starts_with_how_to_come_out_of_the_last(cat):
    plan = timeline.build(Routine("t", "", "low", "low", Pauses(10, 5, 5),
                                  (Item(cat.find("camel"), reps=1), Item(cat.find("cobra")))))
    move = next(i for i, p in enumerate(plan.phases) if p.kind == "move")
    assert spoken(state(plan, move)).startswith(
        "Come out slowly: hands to your low back, chest up, head last. Next: Cobra pose.")


def test_a_rest_says_how_to_come_out_and_a_short_one_leaves_out_the_rep(cat):
    camel = timeline.Phase("rest", 15, 0, cat.find("camel"), None, 2, 3)
    assert spoken_rest(camel) == ("Come out slowly: hands to your low back, chest up, head "
                                  "last. Then rest. Rep 2 of 3 is next.")
    bridge = timeline.Phase("rest", 3, 0, cat.find("glute-bridge"), None, 2, 15)
    assert spoken_rest(bridge) == "Lower your hips slowly. Then rest."
    standing = timeline.Phase("rest", 5, 0, cat.find("standing"), "right", 2, 2)
    assert spoken_rest(standing) == "Come out slowly and rest. Rep 2 of 2 is next."


def test_a_switch_says_how_to_come_out_first(cat):
    plan = timeline.build(Routine("t", "", "low", "low", Pauses(10, 5, 5),
                                  (Item(cat.find("pigeon"), reps=1),)))
    switch = next(i for i, p in enumerate(plan.phases) if p.kind == "switch")
    assert spoken(state(plan, switch)) == (
        "Come out: press into your hands and lift your hips back to all fours. Switch sides, "
        "left knee forward, stretching the right hip.")


def test_a_short_hold_keeps_the_action_and_easing_in_over_the_rep(cat):
    bridge = cat.find("glute-bridge")
    first = timeline.Phase("hold", 5, 0, bridge, None, 1, 15)
    assert spoken_work(first) == "Hold. Breathe out, hips up, glutes squeezed. Ease in slowly, " \
                                 "no bouncing."
    second = first._replace(rep=2)
    assert spoken_work(second) == "Hold, rep 2 of 15. Breathe out, hips up, glutes squeezed."
    for phase in (first, second):
        assert len(spoken_work(phase).split()) <= WORDS_PER_SECOND * phase.duration


def test_prompts_say_what_to_do_now(plan):
    assert prompt(state(plan, 0)) == "Get into position, starting on your right side."
    assert prompt(state(plan, 2)) == "Come out slowly and rest. Rep 2 of 2 is next."
    assert prompt(state(plan, 4)) == "Switch to your left side."
    assert prompt(state(plan, 1)) == plan.phases[1].stretch.cue
    assert prompt(state(plan, 1, paused=True)) == "Paused. Press space to carry on."
    assert label(state(plan, 1, paused=True)) == "PAUSED"


def test_advanced_stretches_are_marked_and_the_gear_is_listed(cat):
    assert title(cat.find("camel")) == "Camel pose (advanced)"
    assert title(cat.find("cobra")) == "Cobra pose"
    assert needs([cat.find("standing"), cat.find("seated"), cat.find("foam-roller"),
                  cat.find("camel")]) == "Needs: chair, foam roller, mat."
    assert needs([cat.find("standing")]) == ""


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
