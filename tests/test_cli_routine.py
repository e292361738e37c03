"""psoas routine and psoas play through Click: listing, plans, plain play, errors."""

from __future__ import annotations

import json

import pytest

from psoas_cli.cli.errors import ExitStatus
from psoas_cli.ui import sound

QUICK = """\
routines:
  quick:
    description: Two short holds for tests.
    pauses: {ready: 2, switch: 1, rest: 0}
    items:
      - stretch: standing
        hold: 3
        setup: 2
      - camel
"""


@pytest.fixture
def run(fast_run):
    return fast_run


def test_routine_without_a_name_lists_the_routines(run):
    result = run("routine")
    assert result.exit_code == 0, result.output
    assert result.output == """\
Routine    Stretches   Time  What it is for
───────────────────────────────────────────────────────────────────────────────
warmup             5   6:19  Before sport; floor to standing, then easy cardio.
cooldown           6   8:18  After exercise; long holds, standing to the floor.
after-run          4   5:02  For runners, after a run; hips and thighs.
morning            5   6:05  For the morning; from lying down up to standing.
desk               2   2:28  For a desk break; stand, a hand on the desk.
gentle             6   7:24  For beginners; from a chair down to the floor.
full              12  22:55  For the experienced; all 11, camel and roller too.
'psoas routine NAME' plays one; add --dry-run to see its plan.
"""


def test_dry_run_prints_every_phase_and_the_total(run):
    result = run("routine", "desk", "--dry-run")
    assert result.exit_code == 0
    assert result.output == """\
Undo the sitting: stand up and stretch the front of each hip twice, 30 seconds
at a time.

Start  Stretch                    Phase                                     Time
────────────────────────────────────────────────────────────────────────────────
 0:00  1. Standing psoas stretch  get ready, right side                     0:10
                                  (right leg back)
                                  Stand up, face your desk and rest one
                                  hand on it for balance.
 0:10                             hold, right side                          0:30
 0:40                             switch to your left side                  0:05
                                  (left leg back)
 0:45                             hold, left side                           0:30
 1:15  2. Standing psoas stretch  get ready, right side                     0:08
                                  (right leg back)
                                  Once more each side, squeezing the glute
                                  a little harder.
 1:23                             hold, right side                          0:30
 1:53                             switch to your left side                  0:05
                                  (left leg back)
 1:58                             hold, left side                           0:30

       Total                                                                2:28
After it: If you can, walk for a minute before you sit down again.
"""  # desk needs nothing: no "Needs:" line


def test_the_plan_says_what_each_side_means_where_the_side_begins(run):
    lines = run("routine", "gentle", "--dry-run").output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(" 0:00"))
    assert [line[7:].rstrip() for line in lines[start:start + 9]] == [
        "1. Side-sitting hip flexor        get ready, right side              0:20",
        "stretch                           (right leg back off the seat)",
        "                                  Use a steady chair without wheels",
        "                                  or arms; keep it near you for the",
        "                                  next two stretches.",
        "                                  hold, right side                   0:20",
        "                                  switch to your left side           0:10",
        "                                  (left leg back off the seat)",
        "                                  hold, left side                    0:20",
    ]


@pytest.mark.parametrize("columns", [80, 50])
def test_the_plan_with_side_meanings_fits_the_width(run, columns):
    output = run("routine", "full", "--dry-run", env={"COLUMNS": str(columns)}).output
    assert max(map(len, output.splitlines())) <= columns
    assert output.count("(lying on your") == 2  # side-lying, at its get-ready and its switch
    assert output.count("(right knee down)") == 1  # half-kneeling, at its get-ready only


def test_dry_run_json_matches_the_plan(run):
    data = json.loads(run("routine", "warmup", "--dry-run", "--json").output)
    assert data["routine"] == "warmup"
    # warmup is gentle: the low ends, and half as long again to get into position
    assert data["total_seconds"] == sum(p["seconds"] for p in data["phases"]) == 379
    assert data["stretches"] == ["supine", "bridge-set", "half-kneeling", "low-lunge",
                                 "standing"]
    assert data["equipment"] == ["mat"]
    assert data["purpose"].startswith("Wake the glutes") and "easy cardio" in data["closing"]
    # Time to lower the bridge slowly; the kneeling stretches' own, longer switch.
    assert {p["seconds"] for p in data["phases"] if p["kind"] == "rest"} == {3}
    assert [(p["stretch"], p["seconds"]) for p in data["phases"] if p["kind"] == "switch"] == [
        ("supine", 5), ("half-kneeling", 8), ("low-lunge", 8), ("standing", 5)]
    holds = [p for p in data["phases"] if p["kind"] == "hold"]
    assert {p["seconds"] for p in holds if p["stretch"] == "standing"} == {20}
    assert [(p["stretch"], p["seconds"], p["rocks"]) for p in data["phases"]
            if p["kind"] == "rock"] == [("half-kneeling", 12, 6)] * 2 + [("standing", 12, 6)] * 2


def test_overrides_reach_the_plan(run):
    data = json.loads(run("routine", "desk", "--dry-run", "--json", "--hold", "7",
                          "--reps", "1", "--side", "left").output)
    assert [(p["kind"], p["side"], p["seconds"]) for p in data["phases"]] == [
        ("ready", "left", 10), ("hold", "left", 7), ("move", "left", 8), ("hold", "left", 7)]


def test_json_without_dry_run_is_a_usage_error(run):
    result = run("routine", "desk", "--json")
    assert result.exit_code == ExitStatus.USAGE
    assert "--json prints the plan, so it goes with --dry-run" in result.output


def test_unknown_routine_suggests(run):
    result = run("routine", "warmpu")
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == "Error: no routine called 'warmpu'; did you mean warmup?\n"
    nothing_like = run("routine", "nosuch")
    assert nothing_like.output == "Error: no routine called 'nosuch'; 'psoas routine' lists them\n"


def test_routine_prefix_is_enough(run):
    assert json.loads(run("routine", "cool", "--dry-run", "--json").output)["routine"] == \
        "cooldown"


def test_help_and_readme_say_a_start_of_a_name_is_enough_and_their_examples_play(run):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "'psoas routine c' plays cooldown." in run("routine", "--help").output
    assert "`psoas routine c` plays `cooldown`, and `psoas routine af` plays\n`after-run`" \
        in readme
    for start, name in (("c", "cooldown"), ("af", "after-run")):
        plan = json.loads(run("routine", start, "--dry-run", "--json").output)
        assert plan["routine"] == name


def test_user_routine_in_the_psoas_folder_wins_over_a_builtin(run, clean_env):
    clean_env.mkdir()
    (clean_env / "routines.yaml").write_text(QUICK.replace("quick", "warmup"))
    data = json.loads(run("routine", "warmup", "--dry-run", "--json").output)
    assert data["stretches"] == ["standing", "camel"]
    listing = run("routine").output
    assert "Two short holds for tests." in listing and "cooldown" in listing


def test_routines_option_adds_a_file(run, write_yaml):
    path = write_yaml(QUICK, "mine.yaml")
    data = json.loads(run("routine", "quick", "--routines", path, "--dry-run", "--json").output)
    # standard: mid-range; camel rests its own 15 s, as the routine gives no item rest
    assert [(p["kind"], p["seconds"]) for p in data["phases"]] == [
        ("ready", 2), ("hold", 3), ("switch", 1), ("hold", 3),
        ("move", 20), ("hold", 25), ("rest", 15), ("hold", 25), ("rest", 15), ("hold", 25)]


@pytest.mark.parametrize("text, message", [
    (QUICK.replace("- camel", "- camle"),
     "FILE:9: routine 'quick', field 'items': no stretch called 'camle'; did you mean camel?"),
    (QUICK.replace("hold: 3", "hold: -3"), "FILE:7: routine 'quick', field 'hold': must be at "
                                           "least 1"),
    (QUICK.replace("pauses: {ready: 2, switch: 1, rest: 0}", "pauses: {ready: 2, nap: 1}"),
     "FILE:4: routine 'quick', field 'pauses': unknown pause 'nap'"),
    (QUICK.replace("    items:", "    itmes:"),
     "FILE:5: routine 'quick', field 'itmes': unknown field (did you mean 'items'?)"),
    (QUICK + "      - stretch: camel\n        sides: left\n",
     "FILE:11: routine 'quick', field 'sides': 'camel' has no sides to choose"),
    ("routines:\n  Quick Stretch:\n    items: [camel]\n",
     "FILE:2: routine 'Quick Stretch': a routine name is lowercase"),
])
def test_bad_routine_files_give_one_line(run, write_yaml, text, message):
    path = write_yaml(text, "mine.yaml")
    result = run("routine", "--routines", path)
    assert result.exit_code == ExitStatus.ERROR
    assert result.output.replace(path, "FILE").startswith("Error: " + message)
    assert result.output.count("\n") == 1


def test_play_builds_a_routine_from_names(run):
    data = json.loads(run("play", "pigeon", "cobra", "--hold", "5", "--dry-run", "--json").output)
    assert data["stretches"] == ["pigeon", "cobra"]
    assert {p["seconds"] for p in data["phases"] if p["kind"] == "hold"} == {5}


def test_play_unknown_stretch(run):
    result = run("play", "pigeon", "cobar")
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == "Error: no stretch called 'cobar'; did you mean cobra?\n"


def test_plain_play_prints_a_line_per_phase_and_a_summary(run, fake_clock):
    result = run("play", "camel", "--hold", "5", "--reps", "2")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "psoas: play camel, 1 stretch, 0:45",
        "Needs: mat.",
        "Stretch only to mild tension, never to pain. Stop at once if you feel sharp",
        "pain, numbness, tingling or dizziness; if pain persists, see a physical",
        "therapist or a physician. Ask one before you start if you are pregnant, have had",
        "recent surgery or a hip replacement, or have a back or knee injury. This is",
        "general guidance, not medical advice.",
        "   0:00  1/1 Camel pose (advanced): get ready (0:20)",
        "         Take care: An advanced backbend: leave it out if you have a back or",
        "         neck problem, or high or low blood pressure. Keep your neck long and",
        "         let your head go back only if that is comfortable. If you feel dizzy,",
        "         come out of the pose and sit back on your heels. Pad your knees with a",
        "         folded mat or towel.",
        "         Why: Driving the hips forward over the knees while the chest lifts",
        "         stretches the hip flexors of both legs at once, with the thighs and the",
        "         front of the trunk. Squeezing the glutes keeps the bend in the hips and",
        "         upper back.",
        "   0:20  1/1 Camel pose: hold rep 1 of 2 (0:05)",
        "         Focus: Glutes tight, hips forward, chest up, reach back if easy.",
        "         Breathe slowly and evenly, and ease into each stretch without bouncing.",
        "   0:25  1/1 Camel pose: come out, rest, then rep 2 of 2 (0:15)",
        "         Come out slowly: hands to your low back, chest up, head last.",
        "   0:40  1/1 Camel pose: hold rep 2 of 2 (0:05)",
        "   0:45  finished",
        "Finished play camel in 0:45.",
        "Done 1 of 1 stretch: Camel pose.",
    ]
    assert fake_clock.elapsed == 45
    assert "\x1b" not in result.output and "\a" not in result.output


def test_the_summary_says_which_stretch_was_stopped_and_which_skipped(run):
    from psoas_cli.cli.app import App
    from psoas_cli.play.engine import NEXT, QUIT

    from .fakes import FakeClock

    clock = FakeClock([(2, NEXT), (6, QUIT)])
    result = run("play", "camel", "glute-bridge", "--hold", "10", "--reps", "1", "--setup", "0",
                 app=App(monotonic=clock.now, keyboard=clock.keyboard))
    assert result.output.splitlines()[-4:] == [
        "Stopped play camel glute-bridge after 0:06.",
        "Done 0 of 2 stretches.",
        "Skipped 1: Camel pose.",
        "Stopped during: Glute bridge.",
    ]


def test_plain_play_says_what_each_side_means_and_fits_the_width(run, fake_clock):
    result = run("play", "pigeon", "--hold", "5", "--reps", "1", env={"COLUMNS": "60"})
    lines = result.output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("   0:00"))
    assert lines[first:first + 20] == [
        "   0:00  1/1 Pigeon pose (advanced): get ready, right side",
        "         (0:20)",
        "         Right side: right knee forward, stretching the left",
        "         hip.",
        "         Take care: This can strain the knee of the bent",
        "         leg: keep that foot flexed, toes drawn toward the",
        "         shin, and come out at once if the knee hurts.",
        "         Why: The folded front leg stretches the deep",
        "         buttock muscles that turn the hip out, and the long",
        "         back leg gently opens the front of the other hip.",
        "         Runners tighten in both places.",
        "   0:20  1/1 Pigeon pose: hold, right side (0:05)",
        "         Focus: Knee forward, shin across, back leg long,",
        "         hips square.",
        "         Breathe slowly and evenly, and ease into each",
        "         stretch without bouncing.",
        "   0:25  1/1 Pigeon pose: switch to your left side (0:15)",
        "         Come out: press into your hands and lift your hips",
        "         back to all fours.",
        "         Left side: left knee forward, stretching the right",
    ]
    assert max(len(line) for line in lines) <= 60


def test_plain_play_of_a_routine_runs_to_its_planned_end(run, fake_clock):
    result = run("routine", "desk")
    assert result.exit_code == 0
    assert fake_clock.elapsed == 148
    assert result.output.splitlines()[-3:] == [
        "Finished desk in 2:28.",
        "Done 2 of 2 stretches: Standing psoas stretch, Standing psoas stretch.",
        "If you can, walk for a minute before you sit down again."]
    lines = result.output.splitlines()
    assert lines[:3] == ["psoas: desk, 2 stretches, 2:28",
                         "Undo the sitting: stand up and stretch the front of each hip twice, 30 "
                         "seconds", "at a time."]
    why = [n for n, line in enumerate(lines) if line.startswith("         Why: ")]
    assert len(why) == 1  # the first time the standing stretch comes up, not the second
    assert "         Stand up, face your desk and rest one hand on it for balance." in lines


def test_plain_play_shows_the_rocking_before_the_hold(run, fake_clock):
    lines = run("routine", "warmup").output.splitlines()
    at = lines.index("   2:37  3/5 Half-kneeling hip flexor stretch: rock in and out 6 times, "
                     "right")
    assert lines[at + 1:at + 3] == [
        "         side (0:12)",
        "   2:49  3/5 Half-kneeling hip flexor stretch: hold, right side (0:20)"]


def test_wait_without_a_keyboard_warns_and_counts_down(run, fake_clock):
    result = run("play", "standing", "--hold", "2", "--wait")
    assert result.exit_code == 0
    assert "psoas: --wait needs a keyboard; counting down at each switch instead" in result.output
    assert "switch to your left side (0:05)" in result.output


def test_voice_without_a_speaker_warns_once(run, fake_clock, tmp_path):
    result = run("play", "camel", "--hold", "1", "--reps", "1", "--sound", "voice",
                 env={"PATH": str(tmp_path)})  # a PATH with no speech command on it
    assert result.output.count("no text-to-speech command found") == 1
    assert result.exit_code == 0


def test_voice_speaks_through_an_argument_list(tmp_path):
    calls = []
    speaker = tmp_path / "espeak-ng"
    speaker.write_text("#!/bin/sh\n")
    speaker.chmod(0o755)

    class FakeProcess:
        def __init__(self, args, **kwargs):
            calls.append((args, kwargs))

        def poll(self):
            return 0

    voice = sound.Voice(sound.find_speaker(str(tmp_path)), spawn=FakeProcess)
    voice.say("Switch to your left side.")
    (args, kwargs), = calls
    assert args == [str(speaker), "-s", "150", "Switch to your left side."]
    assert "shell" not in kwargs and kwargs["start_new_session"] is True


# -- recording sessions -----------------------------------------------------------

def _sessions(home):
    from psoas_cli.history.store import History

    with History(str(home)) as history:
        return history.sessions() if history.exists() else []


def test_a_played_routine_is_recorded_as_finished(run, fake_clock, clean_env):
    assert run("play", "camel", "--hold", "5", "--reps", "1").exit_code == 0
    (session,) = _sessions(clean_env)
    assert (session.routine, session.status) == ("play camel", "finished")
    assert session.active_seconds == pytest.approx(25)  # camel's 20 s set-up and a 5 s hold
    assert [(s.slug, s.status, s.held_seconds) for s in session.stretches] == [
        ("camel", "done", 5)]
    assert "play camel" in run("history").output


def test_a_routine_with_every_stretch_skipped_is_no_session_done(run, fake_clock, clean_env):
    """n pressed through the get-ready and the hold: the routine reaches its end,
    but nothing was stretched, so it is 'skipped' and starts no streak."""
    fake_clock.keys = [(fake_clock.start + 1, "next"), (fake_clock.start + 2, "next")]
    result = run("play", "camel", "--hold", "5", "--reps", "1")
    assert result.exit_code == 0
    assert "Done 0 of 1 stretch." in result.output
    (session,) = _sessions(clean_env)
    assert session.status == "skipped"
    shown = run("history").output
    assert "skipped" in shown and "Streak" in shown
    assert run("history", "--json").output.count('"current": 0') == 1


@pytest.mark.parametrize("key, code", [("quit", ExitStatus.OK),
                                       ("interrupt", ExitStatus.INTERRUPTED),
                                       ("terminate", ExitStatus.TERMINATED)])
def test_a_stopped_routine_is_recorded_with_what_was_done(run, fake_clock, clean_env, key,
                                                          code):
    fake_clock.keys = [(fake_clock.start + 30, key)]  # during cobra's get-ready
    result = run("play", "camel", "cobra", "--hold", "5", "--reps", "1")
    assert result.exit_code == code
    (session,) = _sessions(clean_env)
    assert session.status == "stopped"
    assert [(s.slug, s.status) for s in session.stretches] == [("camel", "done")]


@pytest.mark.parametrize("how", [["--no-history"], ["--dry-run"], "env"])
def test_nothing_is_recorded_when_asked_not_to(run, fake_clock, clean_env, how):
    args = ["play", "camel", "--hold", "1"]
    env = {"PSOAS_NO_HISTORY": "1"} if how == "env" else None
    result = run(*args, *(how if how != "env" else []), env=env)
    assert result.exit_code == 0
    assert _sessions(clean_env) == []


def test_a_history_that_cannot_be_written_warns_and_the_routine_plays_on(run, fake_clock,
                                                                         clean_env):
    (clean_env / "history.db").mkdir(parents=True)  # a folder where the file should be
    result = run("play", "camel", "--hold", "5", "--reps", "2")
    assert result.exit_code == 0
    assert result.output.count("history is off for this run") == 1
    assert "Finished play camel in 0:45." in result.output
