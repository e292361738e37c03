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


PAUSES = Pauses(ready=10, switch=5, rest=5)


def routine(cat, *items, pauses=PAUSES):
    return timeline.build(Routine("test", "", "low", "low", pauses, tuple(items)))


def coach(plan, keys=()):
    """Play ``plan`` instantly with a voice whose speaker is fake; what it said, when."""
    clock = FakeClock(keys)
    spoken = []
    voice = sound.Voice(["speak"], spawn=lambda args, **kw: FakeProcess(args, spoken, clock, **kw))
    Engine(plan, voice, now=clock.now, wait=clock.wait).run()
    return spoken


STANDING_READY = ("First: Standing psoas stretch. Stand tall, then step back: right leg back, "
                  "left foot forward. Back heel up. Hold a wall or chair if your balance is "
                  "unsteady. Easier: a shorter step back, and bend your knees less.")
STANDING_HOLD = "Lunge back, back heel up, tailbone tucked, chest up... and hold."
CAMEL_READY = ("First: Camel pose, an advanced stretch. Pad your knees. Kneel tall, knees "
               "hip-width, fingers down on your low back. Only if easy: each hand in turn to "
               "its heel. Skip this with a back or neck problem, or high or low blood "
               "pressure. Chin slightly tucked, neck long. Dizzy? Come out and sit on your "
               "heels. Easier: tuck your toes under, or keep your hands on your low back.")
CAMEL_HOLD = "Glutes tight, hips forward, chest up, hands on your low back... and hold."


@pytest.mark.parametrize("slug, hold, reps, expected", [
    # The get-ready is as long as its words need (18 s, in the standing stretch's
    # 10-27 s); the action before "hold"; where to feel it on the first side, the
    # mid-hold cue on the other.
    ("standing", 20, 1, [
        (0, STANDING_READY),
        (18, "Ease in slowly, no bouncing. " + STANDING_HOLD),  # the first hold
        (26, "Feel it across the front of the right hip."),  # no room for the fix too
        (35, "3"), (36, "2"), (37, "1"),  # the last three seconds, one a second
        (38, "Step your feet together, then step your left leg back."),
        (43, STANDING_HOLD),
        (49, "Feel it across the front of the left hip."),
        (53, "Breathe out, squeeze the back glute, and tuck your tailbone a little more."),
        (60, "3"), (61, "2"), (62, "1"),
        (63, "Well done. Routine complete."),
    ]),
    # A movement: the tempo explained while getting ready, then "Exhale, lift",
    # the seconds at the top counted down with the digits, and each lower.
    ("glute-bridge", 7, 2, [
        (0, "First: Glute bridge. Lie on your back, knees bent, feet flat and hip-width "
            "apart. Breathe out as you lift, hold while I count, and lower when I say. "
            "Weight on your shoulders and feet, not your neck; head still. If a thigh "
            "cramps, walk your feet nearer your seat. Easier: lift your hips only a little "
            "way."),
        (25, "Exhale, lift."), (27, "5"), (28, "4"), (29, "3"), (30, "2"), (31, "1"),
        (32, "And lower. One more."),
        (37, "Exhale, lift."), (39, "5"), (40, "4"), (41, "3"), (42, "2"), (43, "1"),
        (44, "And lower. That was the last one."),
        (49, "Well done. Routine complete."),
    ]),
    # A backbend: time to come out of it, head last, between reps; a hold this
    # short has room for its action alone.
    ("camel", 10, 2, [
        (0, CAMEL_READY),
        (30, "Rep 1 of 2. Ease in slowly, no bouncing. " + CAMEL_HOLD),
        (37, "3"), (38, "2"), (39, "1"),
        (40, "Come out slowly: hands to your low back, chest up, head last. Rest. Rep 2 of 2 "
             "next."),
        (55, "Rep 2 of 2. " + CAMEL_HOLD),
        (62, "3"), (63, "2"), (64, "1"),
        (65, "Well done. Routine complete."),
    ]),
], ids=["long holds", "a movement", "a backbend"])
def test_the_voice_coaches_each_phase_on_time(cat, slug, hold, reps, expected):
    plan = routine(cat, Item(cat.find(slug), hold=hold, reps=reps, setup=10))
    assert [(at, text) for at, text, _ in coach(plan)] == expected


def test_the_mid_hold_cue_comes_at_or_after_the_middle(cat):
    plan = routine(cat, Item(cat.find("camel"), hold=30, reps=1, setup=10))
    hold = plan.phases[1]
    said = [(at - hold.start, text) for at, text, _ in coach(plan)]
    deepen = [at for at, text in said
              if text == "Breathe in to lift your chest; breathe out, press your hips forward."]
    assert len(deepen) == 1 and 15 <= deepen[0] <= 27 - 4
    assert (27, "3") in said
    assert not any("Halfway" in text for _, text in said)


def test_rolling_gets_its_own_timed_cues(cat):
    plan = routine(cat, Item(cat.find("foam-roller"), hold=60, reps=1, setup=10))
    start = plan.phases[1].start
    said = [(at - start, text) for at, text, _ in coach(plan)][1:]
    assert said == [
        (0, "Start rolling: slowly, from your hip bones up to just below your ribs."),
        (12, "Breathe into your belly, and let it soften over the roller."),
        (25, "Found a tight spot? Pause there for two slow breaths."),
        (40, "Keep the pressure gentle. Move off any spot that pulses or feels sharp."),
        (57, "3"), (58, "2"), (59, "1"), (60, "Well done. Routine complete.")]


def builtin_plan(cat, name):
    from psoas_cli.model import levels
    from psoas_cli.play.fitting import fit

    routine = datafiles.load_routines(cat)[name]
    fitted = fit(routine, level=levels.chosen(None, routine.level, routine.holds, routine.reps),
                 moves=cat.moves)
    return timeline.build(fitted.routine, timeline.Overrides(), cat.moves, cat.closing)


def test_desk_says_the_standing_stretchs_why_once_its_note_and_its_closing(cat):
    """Desk plays the standing stretch twice, 30 s a side: the why comes once, in
    the first hold with room for it after where to feel it (the left side's);
    the routine's note while getting ready; its closing at the end."""
    standing = cat.find("standing")
    said = [(at, text) for at, text, _ in coach(builtin_plan(cat, "desk"))]
    assert [at for at, text in said if text == standing.why] == [64]
    assert said[0][1].startswith("First: Standing psoas stretch. Stand up, face your desk "
                                 "and rest one hand on it for balance. Stand tall, then step "
                                 "back: right leg back, left foot forward.")
    again = next(text for at, text in said if text.startswith("Next: Standing"))
    assert "Once more each side" in again and "Hold a wall" not in again  # said once
    assert said[-1] == (167, "Well done. If you can, walk for a minute before you sit down "
                             "again.")


def test_the_why_is_not_said_at_all_when_no_hold_leaves_time_for_it(cat):
    plan = routine(cat, Item(cat.find("half-kneeling"), hold=20, setup=10))
    said = " ".join(text for _, text, _ in coach(plan))
    assert cat.find("half-kneeling").why not in said
    assert "Halfway" not in said  # the mid-hold cue instead, where it fits
    assert cat.find("half-kneeling").deepen in said


def test_the_warmup_rocks_into_the_lunges_before_each_hold(cat):
    plan = builtin_plan(cat, "warmup")
    said = [(at, text) for at, text, _ in coach(plan)]
    rocks = [p for p in plan.phases if p.kind == "rock"]
    assert [(p.stretch.slug, p.side, p.rocks) for p in rocks] == [
        ("half-kneeling", "right", 6), ("half-kneeling", "left", 6),
        ("standing", "right", 6), ("standing", "left", 6)]
    for rock in rocks:  # a second in, a second out: the voice keeps the rhythm
        lines = [(at - rock.start, text) for at, text in said
                 if rock.start <= at < rock.start + rock.duration]
        assert lines == [(t, "Forward." if t % 2 == 0 else "And back.") for t in range(12)]
    # ...said while getting ready, so the rocking is no surprise.
    ready = [text for at, text in said if "Next: Half-kneeling" in text]
    assert ("Then rock into it and out, 6 times: squeeze the back glute, tuck your tailbone, "
            "shift forward.") in ready[0]
    assert said[-1][1].endswith("Now five minutes of easy cardio, such as brisk walking or an "
                                "easy jog, before your sport.")


@pytest.mark.parametrize("keys", [
    [(7.5, "redraw")],  # the window resized during the countdown: the same second again
    [(7.5, "pause"), (37.5, "pause")],  # paused on it for 30 s, then resumed
])
def test_the_countdown_is_said_once(cat, keys):
    plan = routine(cat, Item(cat.find("camel"), hold=10, reps=1, setup=10))
    start = plan.phases[1].start
    said = [text for _, text, _ in coach(plan, keys=[(start + at, key) for at, key in keys])]
    assert [said.count(n) for n in ("3", "2", "1")] == [1, 1, 1]
    assert said[-1] == "Well done. Routine complete."


def test_going_back_into_a_hold_counts_down_again(cat):
    plan = routine(cat, Item(cat.find("camel"), hold=10, reps=1, setup=10))
    start = plan.phases[1].start
    # "back" 9 s into the hold, after the 3-2-1: the hold starts over.
    said = [(at - start, text) for at, text, _ in coach(plan, keys=[(start + 9, "back")])]
    assert [s for s in said if s[1] in ("3", "2", "1")] == [
        (7, "3"), (8, "2"), (16, "3"), (17, "2"), (18, "1")]


def test_a_new_cue_cuts_off_the_one_still_speaking(cat):
    plan = routine(cat, Item(cat.find("standing"), hold=20, reps=1, setup=10))
    processes = [process for _, _, process in coach(plan)]
    assert all(p.cut_off for p in processes[:-1])
    assert not processes[-1].cut_off  # "Well done" is left to finish
    assert all(p.kwargs["start_new_session"] for p in processes)


def test_stopping_cuts_the_voice_off(cat):
    plan = routine(cat, Item(cat.find("camel"), hold=20, reps=1, setup=10))
    hold = plan.phases[1].start
    spoken = coach(plan, keys=[(hold + 2, "quit")])
    assert [text for _, text, _ in spoken][-1] == "Ease in slowly, no bouncing. " + CAMEL_HOLD
    assert spoken[-1][2].cut_off


def test_pausing_stops_the_voice_and_resuming_says_nothing_twice(cat):
    plan = routine(cat, Item(cat.find("camel"), hold=20, reps=1, setup=10))
    hold = plan.phases[1].start
    spoken = coach(plan, keys=[(hold + 2, "pause"), (hold + 60, "pause")])
    starting = next(n for n, (at, _, _) in enumerate(spoken) if at == hold)
    assert spoken[starting][2].cut_off  # the hold's first line, cut as it was paused
    texts = [text for _, text, _ in spoken]
    assert texts.count(texts[starting]) == 1 and texts[-1] == "Well done. Routine complete."
    paused_at = [at for at, _, _ in spoken if hold + 2 < at < hold + 60]
    assert paused_at == []  # nothing said while paused


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


def test_a_second_voice_cuts_the_first_never_two_lines_at_once():
    """The player's voice and the check-ins' are two: the question after a routine
    cuts off 'Well done...' rather than being said over it."""
    clock = FakeClock(())
    spoken = []

    def spawn(args, **kw):
        return FakeProcess(args, spoken, clock, **kw)

    player, checkin = sound.Voice(["speak"], spawn=spawn), sound.Voice(["speak"], spawn=spawn)
    player.say("Well done. Notice how your hips feel.")
    checkin.say("How tight do your hips feel now, after stretching?")
    (_, _, ending), (_, _, question) = spoken
    assert ending.cut_off and not question.cut_off
    player.say("Next line.")
    assert question.cut_off
