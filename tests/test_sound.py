"""The coaching voice and the bell: what is said when, on a fake clock, and that
speech never leaves zombie processes behind."""

from __future__ import annotations

import io
import os
import sys
import time

import pytest

from psoas_cli.files import datafiles
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.play.engine import Engine
from psoas_cli.play.events import Listener, Listeners
from psoas_cli.ui import sound

from .fakes import FakeClock


class FakeProcess:
    """A speech command that keeps talking until it is cut off.  It has no
    wait() or communicate(): the voice must never wait for speech."""

    def __init__(self, args, log, clock, **kwargs):
        self.text = args[-1]
        self.kwargs = kwargs
        self.cut_off = False
        log.append((clock.elapsed, self.text, self))

    def poll(self):
        return -15 if self.cut_off else None

    def terminate(self):
        self.cut_off = True

    kill = terminate


@pytest.fixture(scope="module")
def cat():
    return datafiles.load_catalogue()


def routine(cat, *items, pauses=Pauses(ready=10, switch=5, rest=5)):
    return timeline.build(Routine("test", "", "low", "low", pauses, tuple(items)))


def coach(plan, keys=()):
    """Play ``plan`` instantly with a voice whose speaker is fake; what it said, when."""
    clock = FakeClock(keys)
    spoken = []
    voice = sound.Voice(["speak"], spawn=lambda args, **kw: FakeProcess(args, spoken, clock, **kw))
    Engine(plan, voice, now=clock.now, wait=clock.wait).run()
    return spoken


@pytest.mark.parametrize("slug, hold, reps, expected", [
    ("standing", 20, 1, [
        (0, "Get ready: Standing psoas stretch. Right side: right leg back. "
            "Stand tall with your feet about hip-width apart. Then: lunge back, chest up, "
            "tailbone tucked."),
        (10, "Hold. Lunge back, chest up, tailbone tucked. Ease in slowly, no bouncing."),
        (20, "Halfway. Keep breathing slowly, no bouncing."),
        (27, "3, 2, 1."),  # three seconds before the hold ends
        (30, "Switch sides, left leg back."),
        (35, "Hold. Lunge back, chest up, tailbone tucked. Ease in slowly, no bouncing."),
        (45, "Halfway. Keep breathing slowly, no bouncing."),
        (52, "3, 2, 1."),
        (55, "Well done. Routine complete."),
    ]),
    # Holds too short for a countdown after the focus line, or a halfway breath.
    ("glute-bridge", 7, 2, [
        (0, "Get ready: Glute bridge. Lie face up with your knees bent and the soles of your "
            "feet on the floor, about hip-width apart."),
        (10, "Hold, rep 1 of 2. Breathe out, hips up, glutes squeezed. Ease in slowly, no "
             "bouncing."),
        (17, "Lower your hips slowly. Then rest. Rep 2 of 2 is next."),
        (22, "Hold, rep 2 of 2. Breathe out, hips up, glutes squeezed."),
        (29, "Well done. Routine complete."),
    ]),
    # A backbend: time to come out of it, head last, between reps.
    ("camel", 10, 2, [
        (0, "Get ready: Camel pose, an advanced stretch. Start kneeling. Then: glutes tight, "
            "hips forward, chest up, reach back if easy."),
        # All said before the 3-2-1: no time for the rep as well.
        (10, "Hold. Glutes tight, hips forward, chest up, reach back if easy. Ease in slowly, "
             "no bouncing."),
        (17, "3, 2, 1."),
        (20, "Come out slowly: hands to your low back, chest up, head last. Then rest. "
             "Rep 2 of 2 is next."),
        (35, "Hold, rep 2 of 2. Glutes tight, hips forward, chest up, reach back if easy."),
        (42, "3, 2, 1."),
        (45, "Well done. Routine complete."),
    ]),
], ids=["long holds", "short holds", "a backbend"])
def test_the_voice_coaches_each_phase_on_time(cat, slug, hold, reps, expected):
    plan = routine(cat, Item(cat.find(slug), hold=hold, reps=reps, setup=10))
    assert [(at, text) for at, text, _ in coach(plan)] == expected


def test_an_odd_length_hold_breathes_at_its_middle_second(cat):
    """The first rep has the camel's why instead: a halfway line would cut it off."""
    plan = routine(cat, Item(cat.find("camel"), hold=25, reps=2, setup=10))
    said = [(at, text) for at, text, _ in coach(plan) if "Halfway" in text or "3, 2" in text]
    assert said == [(10 + 22, "3, 2, 1."),
                    (50 + 12, "Halfway. Keep breathing slowly, no bouncing."),
                    (50 + 22, "3, 2, 1.")]


def test_rolling_gets_its_countdown_but_no_halfway_reminder(cat):
    plan = routine(cat, Item(cat.find("foam-roller"), hold=60, reps=1, setup=10))
    said = [(at, text) for at, text, _ in coach(plan)]
    roller = cat.find("foam-roller")
    assert said[1:] == [(10, "Start moving. Slow rolls, ribs to hip bones, gentle pressure. "
                             + roller.why),
                        (67, "3, 2, 1."), (70, "Well done. Routine complete.")]


def builtin_plan(cat, name):
    from psoas_cli.model import levels
    from psoas_cli.play.fitting import fit

    routine = datafiles.load_routines(cat)[name]
    return timeline.build(fit(routine, level=levels.chosen(None, routine.level)).routine)


def test_desk_says_the_standing_stretchs_why_once_its_note_and_its_closing(cat):
    """Desk plays the standing stretch twice, 30 s a side: the why comes after the
    first hold's cue, once, and that hold has no halfway line to cut it off."""
    standing = cat.find("standing")
    said = [(at, text) for at, text, _ in coach(builtin_plan(cat, "desk"))]
    assert [at for at, text in said if standing.why in text] == [10]
    assert said[1] == (10, "Hold. Lunge back, chest up, tailbone tucked. Ease in slowly, no "
                           "bouncing. " + standing.why)
    halfway = [at for at, text in said if text.startswith("Halfway")]
    assert halfway == [60, 98, 133]  # the left side, then the second round: not at 25
    assert said[0] == (0, "Get ready: Standing psoas stretch. Right side: right leg back. "
                          "Stand up, face your desk and rest one hand on it for balance. "
                          "Start standing.")
    assert said[-1] == (148, "Well done. Routine complete. If you can, walk for a minute "
                             "before you sit down again.")


def test_the_why_is_not_said_at_all_when_no_hold_leaves_time_for_it(cat):
    plan = routine(cat, Item(cat.find("half-kneeling"), hold=20, setup=10))
    said = " ".join(text for _, text, _ in coach(plan))
    assert cat.find("half-kneeling").why not in said
    assert said.count("Halfway.") == 2


def test_the_warmup_rocks_into_the_lunges_before_each_hold(cat):
    said = [(at, text) for at, text, _ in coach(builtin_plan(cat, "warmup"))]
    rocks = [at for at, text in said if text == (
        "Rock gently into the stretch and out again, a second each way, 6 times; then hold.")]
    assert rocks == [157, 197, 310, 347]  # half-kneeling and standing, each side
    assert said[-1][1].endswith("Now five minutes of easy cardio, such as brisk walking or an "
                                "easy jog, before your sport.")


@pytest.mark.parametrize("keys", [
    [(17.5, "redraw")],  # the window resized during the countdown: the same second again
    [(17.5, "pause"), (47.5, "pause")],  # paused on it for 30 s, then resumed
])
def test_the_countdown_is_said_once(cat, keys):
    plan = routine(cat, Item(cat.find("camel"), hold=10, reps=1, setup=10))
    said = [text for _, text, _ in coach(plan, keys=keys)]
    assert said.count("3, 2, 1.") == 1
    assert said[-1] == "Well done. Routine complete."


def test_going_back_into_a_hold_counts_down_again(cat):
    plan = routine(cat, Item(cat.find("camel"), hold=10, reps=1, setup=10))
    # "back" 9 s into the hold, after the 3-2-1: the hold starts over.
    said = [(at, text) for at, text, _ in coach(plan, keys=[(19, "back")])]
    assert [s for s in said if s[1] == "3, 2, 1."] == [(17, "3, 2, 1."), (26, "3, 2, 1.")]


def test_a_new_cue_cuts_off_the_one_still_speaking(cat):
    plan = routine(cat, Item(cat.find("standing"), hold=20, reps=1, setup=10))
    processes = [process for _, _, process in coach(plan)]
    assert all(p.cut_off for p in processes[:-1])
    assert not processes[-1].cut_off  # "Well done" is left to finish
    assert all(p.kwargs["start_new_session"] for p in processes)


def test_stopping_cuts_the_voice_off(cat):
    plan = routine(cat, Item(cat.find("camel"), hold=20, reps=1, setup=10))
    spoken = coach(plan, keys=[(12, "quit")])
    assert [text for _, text, _ in spoken][-1] == ("Hold. Glutes tight, hips forward, chest up, "
                                                   "reach back if easy. Ease in slowly, no "
                                                   "bouncing.")
    assert spoken[-1][2].cut_off


def test_a_missing_speaker_is_skipped_quietly():
    def broken(args, **kwargs):
        raise FileNotFoundError(args[0])

    voice = sound.Voice(["gone"], spawn=broken)
    voice.say("Hold.")
    assert voice.current is None and voice.children == []


def test_a_cue_that_speaks_past_the_limit_is_stopped(cat):
    """A speech command that hangs is stopped at the next tick after CHILD_SECONDS,
    even when no new cue comes to cut it off."""
    clock = FakeClock()
    spoken = []
    voice = sound.Voice(["speak"], spawn=lambda args, **kw: FakeProcess(args, spoken, clock, **kw),
                        clock=clock.now)
    voice.say("Hold.")
    clock.t += 29
    voice.reap()
    assert not spoken[0][2].cut_off
    clock.t += 2
    voice.reap()
    assert spoken[0][2].cut_off and voice.children == []


def test_the_speech_command_runs_under_timeout_where_there_is_one(tmp_path, monkeypatch):
    """So even the last cue, left to finish after psoas has gone, ends in time."""
    path = _speaker_path(tmp_path)
    (tmp_path / "timeout").write_text("#!/bin/sh\n")
    (tmp_path / "timeout").chmod(0o755)
    monkeypatch.setenv("PATH", path)
    made = sound.make("voice", Terminal(), terminal=True, warn=pytest.fail)
    assert made.command == [str(tmp_path / "timeout"), "30", str(tmp_path / "espeak-ng"),
                            "-s", "150"]


# -- no zombies --------------------------------------------------------------------

def _proc_state(pid: int) -> str | None:
    """The kernel's one-letter state of ``pid`` (Z for a zombie), None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def _wait_until_finished(pid: int) -> None:
    deadline = time.monotonic() + 5
    while _proc_state(pid) not in ("Z", None):
        assert time.monotonic() < deadline, f"{pid} did not finish"
        time.sleep(0.005)


@pytest.mark.skipif(not sys.platform.startswith("linux") or not os.path.exists("/bin/true"),
                    reason="reads process states from /proc")
def test_finished_speech_is_reaped_so_no_zombies_remain_between_cues(cat):
    plan = routine(cat, Item(cat.find("camel"), hold=10, reps=1, setup=10))
    hold = Engine(plan, now=lambda: 15.0)
    hold.start(0.0)
    hold.advance(15.0)
    voice = sound.Voice(["/bin/true"])
    pids = []
    for text in ("Get ready.", "Hold.", "3, 2, 1."):
        voice.say(text)
        pids.append(voice.current.pid)
        _wait_until_finished(pids[-1])
        assert _proc_state(pids[-1]) == "Z"  # finished but not yet collected...
        if len(pids) > 1:
            assert _proc_state(pids[-2]) is None  # ...until the next cue collects it
    voice.tick(hold.state(15.0))  # the next second's tick collects the last one
    assert [_proc_state(pid) for pid in pids] == [None, None, None]
    assert voice.children == []


# -- choosing the sound --------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self):
        return True


def _speaker_path(tmp_path):
    speaker = tmp_path / "espeak-ng"
    speaker.write_text("#!/bin/sh\n")
    speaker.chmod(0o755)
    return str(tmp_path)


@pytest.mark.parametrize("choice, kinds", [
    ("bell", [sound.Bell]),
    ("voice", [sound.Voice]),
    ("both", [sound.Voice, sound.Bell]),
    ("none", []),
])
def test_sound_choices(choice, kinds, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", _speaker_path(tmp_path))
    made = sound.make(choice, Terminal(), terminal=True, warn=pytest.fail)
    parts = made.listeners if isinstance(made, Listeners) else [made]
    assert [type(p) for p in parts if type(p) is not Listener] == kinds


@pytest.mark.parametrize("choice", ["voice", "both"])
def test_without_a_speaker_the_voice_falls_back_to_the_bell(choice, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    warnings = []
    made = sound.make(choice, Terminal(), terminal=True, warn=warnings.append)
    assert isinstance(made, sound.Bell)
    assert len(warnings) == 1 and "no text-to-speech command" in warnings[0]
