"""The voice's whole script for the warm-up and the full routine, as played on a
fake clock to a fake speaker: the same words at the same seconds, every time.

The expected scripts are tests/voice/*.txt.  After a deliberate change to what
the voice says, read the new scripts through (they are what a person on the
mat will hear) and write them with

    PSOAS_UPDATE_VOICE=1 python -m pytest tests/test_voice_script.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from psoas_cli.files import datafiles
from psoas_cli.model import levels
from psoas_cli.play import speech, timeline
from psoas_cli.play.card import card
from psoas_cli.play.engine import Engine
from psoas_cli.play.fitting import fit
from psoas_cli.play.phrases import clock
from psoas_cli.ui import sound

from .fakes import FakeClock

VOICE = Path(__file__).resolve().parent / "voice"


@pytest.fixture(scope="module")
def cat():
    return datafiles.load_catalogue()


@pytest.fixture(scope="module")
def builtin(cat):
    return datafiles.load_routines(cat)


class Speaker:
    """A speech command that logs what it is asked to say, and when; it never
    finishes by itself (only a new line cuts it off), and nothing waits for it."""

    def __init__(self, args, log, fake):
        self.text = args[-1]
        log.append((fake.elapsed, self.text))
        self.cut = False

    def poll(self):
        return -15 if self.cut else None

    def terminate(self):
        self.cut = True


def plan_of(cat, routine):
    """The routine as 'psoas routine NAME' plays it: at its own level, with the
    catalogue's moves and closing."""
    level = levels.chosen(None, routine.level, routine.holds, routine.reps)
    fitted = fit(routine, level=level, moves=cat.moves)
    return timeline.build(fitted.routine, timeline.Overrides(), cat.moves, cat.closing)


def heard(cat, routine):
    """(seconds from the first get-ready, words) of everything said; the card
    first, at 'card'."""
    plan = plan_of(cat, routine)
    fake, log = FakeClock(), []
    voice = sound.Voice(["speak"], spawn=lambda args, **kw: Speaker(args, log, fake))
    voice.introduce(card(plan, caution=cat.caution, breathing=cat.breathing,
                         said_caution=cat.said_caution))
    said_card = log.pop()
    Engine(plan, voice, now=fake.now, wait=fake.wait).run()
    return said_card[1], log, plan


def script_text(said_card: str, log) -> str:
    lines = [f"   card  {said_card}"]
    lines += [f"{clock(at):>7}  {text}" for at, text in log]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", ["warmup", "full"])
def test_the_whole_script_says_the_same_words_at_the_same_seconds(cat, builtin, name):
    said_card, log, _ = heard(cat, builtin[name])
    shown = script_text(said_card, log)
    path = VOICE / f"{name}.txt"
    if os.environ.get("PSOAS_UPDATE_VOICE"):
        VOICE.mkdir(exist_ok=True)
        path.write_text(shown, encoding="utf-8")
    assert shown == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["warmup", "full", "cooldown", "after-run", "morning", "desk",
                                  "gentle"])
def test_the_action_comes_before_hold_and_no_line_is_cut_off(cat, builtin, name):
    _, log, _ = heard(cat, builtin[name])
    for _, text in log:
        assert not re.search(r"(^|\. )Hold\.", text), text  # never "Hold." before the action
        if "and hold." in text:
            assert text.endswith("... and hold."), text
        assert "bouncing" not in text  # said once, on the card's screen
    for (at, text), (after, _) in zip(log, log[1:], strict=False):
        assert at + speech.seconds(text) <= after + 1e-6, f"cut off at {clock(after)}: {text}"


def test_every_caution_of_every_stretch_is_said_in_the_full_routine(cat, builtin):
    said_card, log, plan = heard(cat, builtin["full"])
    everything = " ".join([said_card] + [text for _, text in log])
    for stretch in plan.stretches:
        assert stretch.cautions_said, stretch.slug
        for said, _ in stretch.cautions_said:
            assert said in everything, (stretch.slug, said)


def test_every_stretch_that_could_be_done_an_easier_way_offers_it(cat, builtin):
    _, log, plan = heard(cat, builtin["full"])
    everything = " ".join(text for _, text in log)
    for stretch in plan.stretches:
        assert stretch.easier_say in everything, stretch.slug


def test_the_bridge_is_counted_as_a_movement_not_held_as_a_stretch(cat, builtin):
    _, log, plan = heard(cat, builtin["warmup"])
    lifts = [p for p in plan.phases if p.kind == "lift"]
    said = dict(log)
    for lift in lifts:
        assert said[lift.start] == "Exhale, lift."
        lower = lift.start + lift.duration
        assert said[lower].startswith(("And lower", "Lower."))
    assert said[lifts[0].start + 2] == "3"  # the seconds at the top, with the digits
    assert said[lifts[-1].start + lifts[-1].duration] == "And lower. That was the last one."


def test_at_the_gentle_level_the_easier_variant_is_said_to_be_on_purpose(cat, builtin):
    _, log, _ = heard(cat, builtin["morning"])
    everything = " ".join(text for _, text in log)
    # morning's note says where the chair goes, in place of the variant's own line
    assert "Put a steady chair beside your mat now; the lunges use it." in everything
    assert "The easier way: a hand on a chair or wall." in everything  # standing's
    assert "Hand on the chair, squeeze the back glute, shift forward... and hold." in everything


def test_the_end_says_what_comes_next(cat, builtin):
    _, log, _ = heard(cat, builtin["full"])
    assert log[-1][1].startswith("Well done. ") and "notice how your hips feel" in \
        log[-1][1].lower()
