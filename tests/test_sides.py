"""Sides that can't be misread: one rule, one source, every output agreeing.

Every stretch done on each side, both sides, walked through every output a
person reads or hears: the big word of the hold, the line under it, the
get-ready's prompt, the switch (shown and said), the voice's set-up, the
plan and its JSON, the plain log, 'psoas show' and its JSON, and the figure.
Each is compared with the stretch's own side words in the catalogue, and
none may say "left side" or "right side" except where you lie.
"""

from __future__ import annotations

import json
import re

import pytest

from psoas_cli.model.catalogue import OTHER_SIDE
from psoas_cli.model.figures import PARTS
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.play.coaching import capital, said_setup
from psoas_cli.play.engine import Engine
from psoas_cli.play.phrases import label, prompt, side_meanings
from psoas_cli.play.script import script
from psoas_cli.ui import bigtext
from psoas_cli.ui.player.frame import layout

# "left side"/"right side" only as where you lie: "lie on your left side",
# "onto your right side".
FIGURE_DOTS = re.compile("[\u2800-\u28ff]+")
BARE_SIDE = re.compile(r"(?<!on your )(?<!onto your )\b(left|right) side\b", re.I)


def each_side(cat):
    return [s for s in cat if s.each_side]


@pytest.fixture(scope="module")
def plans(cat):
    """One plan per each-side stretch: get ready, hold, switch, hold."""
    return {s.slug: timeline.build(Routine("sides", "", "low", "low", Pauses(10, 8, 5),
                                           (Item(s, reps=1),)), moves=cat.moves)
            for s in each_side(cat)}


def state_at(plan, index, into=1.0):
    t = plan.phases[index].start + into
    engine = Engine(plan, now=lambda: t)
    engine.start(0.0)
    engine.advance(t)
    return engine.state(t)


def words(stretch, side):
    """What the catalogue says for ``side``: the one source."""
    return {"word": stretch.side_word_of(side), "means": stretch.side_text(side),
            "ready": stretch.ready_text(side), "switch": stretch.switch_text(side)}


def test_the_each_side_stretches_are_the_articles_seven_and_the_additions(cat):
    assert {s.slug for s in each_side(cat)} == {
        "half-kneeling", "standing", "low-lunge", "supine", "seated", "side-lying", "pigeon",
        "figure-four", "side-sitting",
        # issue 24's deeper variations and strength moves
        "half-kneeling-reach", "standing-reach", "thomas-stretch", "couch-stretch",
        "single-leg-bridge", "dead-bug"}


@pytest.mark.parametrize("side", ["right", "left"])
def test_the_side_words_follow_the_one_rule(cat, side):
    """Named by a limb of that side, short enough to stand big beside the figure,
    and the same words in the line under it and at the switch."""
    for stretch in each_side(cat):
        said = words(stretch, side)
        word = said["word"]
        assert side in word and OTHER_SIDE[side] not in word, stretch.slug
        assert len(word) <= 11 and bigtext.text_width(word.upper(), 1) <= 43, stretch.slug
        assert word in said["means"] and word in said["switch"], stretch.slug
        assert len(said["means"]) <= 60, stretch.slug
        assert len(f"Get into position: {said['ready']}.") <= 80, stretch.slug
        assert said["means"].startswith(word) or "lie on your" in said["means"], stretch.slug
        for text in said.values():
            assert not BARE_SIDE.search(text), (stretch.slug, text)


SIDE_NAMED = re.compile(r"\b(left|right)\b")


@pytest.mark.parametrize("side", ["right", "left"])
def test_every_switch_names_a_limb_of_the_side_switched_to_first(cat, side):
    """Someone listening catches the first side word: "Swap legs: left knee down,
    right foot forward", never "right foot forward, left knee down" while the
    screen shows LEFT KNEE."""
    for stretch in each_side(cat):
        switch = stretch.switch_text(side)
        first = SIDE_NAMED.search(switch)
        assert first is not None and first.group(1) == side, (stretch.slug, switch)
        assert stretch.side_word_of(side) in switch, stretch.slug


def test_stretches_without_sides_have_no_side_words(cat):
    for stretch in cat:
        if not stretch.each_side:
            assert not (stretch.side_word or stretch.side_means or stretch.side_ready
                        or stretch.side_switch), stretch.slug


def test_the_figure_highlights_the_limb_the_side_word_names(cat):
    """Drawn for the right (near limbs), mirrored for the left; the limb highlighted
    is a leg, as every side word names a leg, a knee, an ankle or a foot (and the
    dead bug's other arm, which its side says reaches with it)."""
    for stretch in each_side(cat):
        worked = stretch.figure.worked
        assert worked, stretch.slug
        bones = {bone for name in worked for bone in PARTS[name]}
        allowed = set(PARTS["near leg"])
        if "{other} arm" in stretch.side_means:
            allowed |= set(PARTS["far arm"])
        assert bones <= allowed, (stretch.slug, worked)
        assert stretch.side_word.split()[-1] in ("leg", "knee", "ankle", "foot", "shin"), \
            stretch.slug
    assert cat.find("pigeon").figure.worked == ("near leg",)  # the front leg: its shin


@pytest.mark.parametrize("width, height", [(80, 24), (40, 12)])
def test_the_screen_says_the_same_side_in_every_phase(cat, plans, width, height):
    for slug, plan in plans.items():
        stretch = cat.find(slug)
        for index, phase in enumerate(plan.phases):
            if not phase.side:
                continue
            state = state_at(plan, index)
            said = words(stretch, phase.side)
            assert side_meanings(state)[0] == said["means"]
            shown = layout(state, width, height)
            text = "\n".join(line.plain for line in shown.draw(state))
            if phase.kind == "hold":
                assert label(state) == said["word"].upper()
            elif phase.kind == "ready":
                assert prompt(state) == f"Get into position: {said['ready']}."
            elif phase.kind == "switch":
                assert prompt(state) == said["switch"]
            # The line under the big word, whole or (in a small window) its first words;
            # the figure's dots left out, as the line may wrap beside it.
            words_shown = " ".join(FIGURE_DOTS.sub(" ", text).split())
            assert said["means"].split(",")[0] in words_shown, (slug, phase.kind)
            if shown.figure:
                assert shown.figure_side == phase.side, (slug, phase.kind)
            assert not BARE_SIDE.search(text), (slug, phase.kind, text)


def test_the_voice_says_the_same_side(cat, plans):
    for slug, plan in plans.items():
        stretch = cat.find(slug)
        lines = script(plan)
        for phase, cues in zip(plan.phases, lines.phases, strict=True):
            said_here = " ".join(cue.text for cue in cues)
            assert not BARE_SIDE.search(said_here), (slug, said_here)
            if phase.kind == "ready":
                setup = said_setup(stretch, phase.side)
                assert setup in said_here
                assert capital(stretch.side_text(phase.side)) in setup or \
                    stretch.side_text(phase.side) in setup
            if phase.kind == "switch":
                assert said_here.endswith(words(stretch, phase.side)["switch"]), slug


def test_side_lying_rolls_you_onto_the_right_side_for_the_left_leg_leg_first(cat, plans):
    plan = plans["side-lying"]
    switch = next(i for i, p in enumerate(plan.phases) if p.kind == "switch")
    assert prompt(state_at(plan, switch)) == ("Roll over so your left leg is on top, lying on "
                                              "your right side.")
    said = " ".join(cue.text for cue in script(plan).phases[switch])
    assert said.endswith("Roll over so your left leg is on top, lying on your right side.")
    assert label(state_at(plan, switch + 1)) == "LEFT LEG"
    assert prompt(state_at(plan, 0)) == "Get into position: lie on your left side."


@pytest.mark.parametrize("slug", ["half-kneeling", "standing", "low-lunge", "supine", "seated",
                                  "side-lying", "pigeon"])
def test_the_plan_plain_log_show_and_json_say_the_same_side(run, fast_run, cat, slug):
    stretch = cat.find(slug)
    right, left = words(stretch, "right"), words(stretch, "left")
    # The plan, and its JSON.
    plan = run("play", slug, "--reps", "1", "--dry-run").output
    flat = " ".join(plan.split())
    for said, name in ((right, "get ready"), (right, "hold"), (left, "switch sides:"),
                       (left, "hold")):
        sep = " " if name.endswith(":") else ", "
        assert f"{name}{sep}{said['word']}" in flat, (slug, name)
    assert f"({right['means']})" in flat and f"({left['means']})" in flat
    phases = json.loads(run("play", slug, "--reps", "1", "--dry-run", "--json").output)["phases"]
    for phase in phases:
        said = words(stretch, phase["side"])
        assert (phase["side_word"], phase["side_means"]) == (said["word"], said["means"])
        if phase["kind"] == "switch":
            assert phase["switch"] == said["switch"]
    # The plain log.
    log = " ".join(fast_run("play", slug, "--reps", "1", "--plain", "--no-history",
                            "--hold", "2").output.split())
    assert f"get ready, {right['word']}" in log and f"hold, {right['word']}" in log
    assert f"switch sides: {left['word']}" in log and f"hold, {left['word']}" in log
    assert capital(right["means"]) + "." in log  # under the get-ready
    assert left["means"] in log.lower()  # at the switch: its sentence, or in the switch's

    assert left["switch"] in log
    assert not BARE_SIDE.search(log)
    # 'psoas show' and its JSON.
    shown = " ".join(run("show", slug).output.split())
    assert f"Sides {capital(right['means'])}. {capital(left['means'])}." in shown
    shown_left = " ".join(run("show", slug, "--figure", "--side", "left").output.split())
    assert f"Shown: {capital(left['means'])}." in shown_left
    data = json.loads(run("show", slug, "--json").output)
    for key, field in (("side_word", "word"), ("side_means", "means"), ("side_ready", "ready"),
                       ("side_switch", "switch")):
        assert data[key] == {"right": right[field], "left": left[field]}, key
