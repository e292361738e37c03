"""psoas routine and psoas play through Click: listing, plans, plain play, errors."""

from __future__ import annotations

import json
import textwrap

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
warmup             5   7:03  Before sport; floor to standing, then easy cardio.
cooldown           6   9:23  After exercise; long holds, standing to the floor.
after-run          4   5:48  For runners, after a run; hips and thighs.
morning            5   6:36  For the morning; from lying down up to standing.
desk               2   2:47  For a desk break; stand, a hand on the desk.
gentle             6   8:01  For beginners; from a chair down to the floor.
full              12  25:26  For the experienced; all 11, camel and roller too.
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
 0:00  1. Standing psoas stretch  get ready, right leg                      0:23
                                  (right leg back, left foot forward)
                                  Stand up, face your desk and rest one
                                  hand on it for balance.
 0:23                             hold, right leg                           0:30
 0:53                             switch sides: left leg                    0:05
                                  (left leg back, right foot forward)
 0:58                             hold, left leg                            0:30
 1:28  2. Standing psoas stretch  get ready, right leg                      0:14
                                  (right leg back, left foot forward)
                                  Once more each side, squeezing the glute
                                  a little harder.
 1:42                             hold, right leg                           0:30
 2:12                             switch sides: left leg                    0:05
                                  (left leg back, right foot forward)
 2:17                             hold, left leg                            0:30

       Total                                                                2:47
After it: If you can, walk for a minute before you sit down again.
"""  # desk needs nothing: no "Needs:" line


def test_the_plan_says_what_each_side_means_where_the_side_begins(run):
    lines = run("routine", "gentle", "--dry-run").output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(" 0:00"))
    assert [line[7:].rstrip() for line in lines[start:start + 11]] == [
        "1. Side-sitting hip flexor        get ready, right leg               0:30",
        "stretch                           (right leg back off the seat,",
        "                                  left foot flat in front)",
        "                                  Use a steady chair without wheels",
        "                                  or arms; keep it near you for the",
        "                                  next two stretches.",
        "                                  hold, right leg                    0:20",
        "                                  switch sides: left leg             0:10",
        "                                  (left leg back off the seat,",
        "                                  right foot flat in front)",
        "                                  hold, left leg                     0:20",
    ]


@pytest.mark.parametrize("columns", [80, 50])
def test_the_plan_with_side_meanings_fits_the_width(run, columns):
    output = run("routine", "full", "--dry-run", env={"COLUMNS": str(columns)}).output
    assert max(map(len, output.splitlines())) <= columns
    flat = " ".join(output.split())
    # side-lying, at its get-ready and its switch
    assert flat.count("(lie on your") == 2 and "(lie on your right side, left leg on top)" in flat
    assert flat.count("(right knee down, left foot forward)") == 1  # half-kneeling's get-ready
    assert flat.count("(right knee down, left foot forward, hold the right foot)") == 1


def test_dry_run_json_matches_the_plan(run):
    data = json.loads(run("routine", "warmup", "--level", "gentle", "--dry-run",
                          "--json").output)
    assert data["routine"] == "warmup"
    # at the gentle level: the low ends, half as long again to get into position (and
    # longer where the words said need it), and the easier variants of the lunges
    assert data["total_seconds"] == sum(p["seconds"] for p in data["phases"]) == 424
    assert data["stretches"] == ["supine", "bridge-set", "half-kneeling", "low-lunge",
                                 "standing"]
    assert data["equipment"] == ["mat", "chair or wall", "towel or strap"]
    assert {p["variant"] for p in data["phases"] if "variant" in p} == {"gentle"}
    assert data["purpose"].startswith("Wake the glutes") and "easy cardio" in data["closing"]
    # Time to lower the bridge slowly; no rests in a movement, a LOWER after each lift.
    assert {p["seconds"] for p in data["phases"] if p["kind"] == "lower"} == {3}
    assert [p["kind"] for p in data["phases"]].count("lift") == 8
    assert "rest" not in [p["kind"] for p in data["phases"] if p["stretch"] == "bridge-set"]
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
        ("ready", "left", 23), ("hold", "left", 7), ("move", "left", 14), ("hold", "left", 7)]
    fixed = json.loads(run("routine", "desk", "--dry-run", "--json", "--hold", "7", "--reps",
                           "1", "--side", "left", "--setup", "10").output)
    assert [p["seconds"] for p in fixed["phases"] if p["kind"] in ("ready", "move")] == [10, 10]


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
    # the get-readies as long as the words said in them need
    assert [(p["kind"], p["seconds"]) for p in data["phases"]] == [
        ("ready", 18), ("hold", 3), ("switch", 1), ("hold", 3),
        ("move", 35), ("hold", 25), ("rest", 15), ("hold", 25), ("rest", 15), ("hold", 25)]


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
        "Before you start: play camel, 1 stretch, 0:55",
        "Stretch only to mild tension, never to pain. Stop at once if you feel sharp",
        "pain, numbness, tingling or dizziness; if pain persists, see a physical",
        "therapist or a physician. Ask one before you start if you are pregnant, have had",
        "recent surgery or a hip replacement, or have a back or knee injury. This is",
        "general guidance, not medical advice.",
        "Breathe slowly and evenly, and ease into each stretch without bouncing.",
        "You need: a mat.",
        "Advanced: Camel pose: skip any you are unsure of (press n as it starts).",
        "First: Camel pose, kneeling.",
        "   0:00  1/1 Camel pose (advanced): get ready (0:30)",
        "         1. Kneel upright with your knees hip-width apart and your hips over",
        "            your knees. Rest your hands on your low back, fingers pointing down,",
        "            and draw your shoulders back.",
        "         2. Squeeze your glutes and drive your hips forward, lifting your chest",
        "            as your back arches.",
        "         3. If that feels fine, reach back one hand at a time for your heels or",
        "            ankles, still squeezing your glutes and thighs to keep the hips",
        "            moving forward. If not, keep your hands on your low back and keep",
        "            lifting your chest.",
        "         4. To come out, bring your hands to your low back, lift your chest and",
        "            come up slowly, with your head last.",
        "         Take care: An advanced backbend: leave it out if you have a back or",
        "         neck problem, or high or low blood pressure. Keep your chin slightly",
        "         tucked and your neck long, and let your head go back only if that is",
        "         comfortable. If you feel dizzy, come out of the pose and sit back on",
        "         your heels. Pad your knees with a folded mat or towel.",
        "         Easier: Tuck your toes under so your heels sit higher and closer to",
        "         your hands, or keep your hands on your low back, fingers pointing down,",
        "         and only lift your chest.",
        "         Why: Driving the hips forward over the knees while the chest lifts",
        "         stretches the hip flexors of both legs at once, with the thighs and the",
        "         front of the trunk. Squeezing the glutes keeps the bend in the hips and",
        "         upper back.",
        "         Next: hold rep 1 of 2 (5 s)",
        "   0:30  1/1 Camel pose: hold rep 1 of 2 (0:05)",
        "         Focus: Glutes tight, hips forward, chest up, hands on your low back.",
        "         Feel it along the fronts of your thighs and hips, and your chest. Low",
        "         back pinching? Press your hips forward more and bend back less.",
        "         Midway: Breathe in to lift your chest; breathe out, press your hips",
        "         forward.",
        "         Next: come out, rest, then rep 2 of 2 (15 s)",
        "   0:35  1/1 Camel pose: come out, rest, then rep 2 of 2 (0:15)",
        "         Come out slowly: hands to your low back, chest up, head last.",
        "         Next: hold rep 2 of 2 (5 s)",
        "   0:50  1/1 Camel pose: hold rep 2 of 2 (0:05)",
        "         Focus: Glutes tight, hips forward, chest up, hands on your low back.",
        "         Next: finish. Notice how your hips feel.",
        "   0:55  finished",
        "Finished play camel in 0:55.",
        "Done 1 of 1 stretch: Camel pose.",
        "Notice how your hips feel.",
    ]
    assert fake_clock.elapsed == 55
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
        "Skipped: Camel pose.",
        "Stopped during: Glute bridge.",
    ]


def test_a_two_sided_stretch_stopped_at_the_switch_was_stopped_in_not_done(run):
    from psoas_cli.cli.app import App
    from psoas_cli.play.engine import QUIT

    from .fakes import FakeClock

    clock = FakeClock([(5, QUIT)])  # the right side held 3 s; the left never
    result = run("routine", "desk", "--setup", "1", "--hold", "3",
                 app=App(monotonic=clock.now, keyboard=clock.keyboard))
    assert result.output.splitlines()[-4:] == [
        "Stopped desk after 0:05.",
        "Done 0 of 2 stretches.",
        "Stopped during: Standing psoas stretch.",
        "Not reached: Standing psoas stretch.",
    ]
    session = json.loads(run("history", "--json").output)["sessions"][0]
    assert session["status"] == "stopped"
    assert session["stretches"] == [
        {"position": 0, "slug": "standing", "name": "Standing psoas stretch",
         "status": "skipped", "held_seconds": 3.0, "planned_seconds": 6.0}]


@pytest.mark.parametrize("at", [1, 12, 17])  # camel's hold; cobra's get-ready; its rocking
def test_the_stretch_being_got_into_is_the_one_stopped_in(run, at, write_yaml):
    from psoas_cli.cli.app import App
    from psoas_cli.play.engine import QUIT

    from .fakes import FakeClock

    routines = write_yaml(textwrap.dedent("""\
        version: 1
        routines:
          rocky:
            description: Camel, then cobra rocked into.
            pauses: {ready: 5, switch: 5, rest: 3}
            items:
              - {stretch: camel, hold: 10, reps: 1, setup: 0}
              - {stretch: cobra, hold: 10, reps: 1, setup: 5, dynamic: 3}
              - {stretch: pigeon, hold: 10, reps: 1}
        """), "routines.yaml")
    clock = FakeClock([(at, QUIT)])
    result = run("routine", "rocky", env={"PSOAS_ROUTINES": routines},
                 app=App(monotonic=clock.now, keyboard=clock.keyboard))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    if at == 1:
        assert lines[-3:] == ["Done 0 of 3 stretches.", "Stopped during: Camel pose.",
                              "Not reached: Cobra pose, Pigeon pose."]
    else:
        assert lines[-3:] == ["Done 1 of 3 stretches: Camel pose.",
                              "Stopped during: Cobra pose.", "Not reached: Pigeon pose."]
    stretches = json.loads(run("history", "--json").output)["sessions"][0]["stretches"]
    assert [(s["slug"], s["status"]) for s in stretches][-1] == (
        ("camel" if at == 1 else "cobra"), "skipped")


def test_plain_play_says_what_each_side_means_and_fits_the_width(run, fake_clock):
    result = run("play", "pigeon", "--hold", "5", "--reps", "1", env={"COLUMNS": "60"})
    lines = result.output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("   0:00"))
    assert lines[first:first + 20] == [
        "   0:00  1/1 Pigeon pose (advanced): get ready, right shin",
        "         (0:20)",
        "         Right shin across, left leg long behind you.",
        "         1. Start on all fours with your wrists under your",
        "            shoulders and your knees under your hips.",
        "         2. Shift your weight forward and bring one knee up",
        "            toward the wrist on the same side.",
        "         3. Rest that foot in front of your opposite hip,",
        "            shin angled across the mat, as you lower your",
        "            hips toward the floor.",
        "         4. Slide the other leg straight back, top of the",
        "            foot on the mat, toes pointing back. Square your",
        "            hips to the front of the mat.",
        "         5. Press your fingertips into the floor under your",
        "            shoulders to keep your chest upright.",
        "         6. To come out, press into your hands, lift your",
        "            hips and move back to all fours.",
        "         Take care: This can strain the knee of the bent",
        "         leg: keep that foot flexed, toes drawn toward the",
        "         shin, and come out at once if the knee hurts. After",
    ]
    assert max(len(line) for line in lines) <= 60


def test_plain_play_of_a_routine_runs_to_its_planned_end(run, fake_clock):
    result = run("routine", "desk")
    assert result.exit_code == 0
    assert fake_clock.elapsed == 167
    assert result.output.splitlines()[-3:] == [
        "Finished desk in 2:47.",
        "Done 2 of 2 stretches: Standing psoas stretch, Standing psoas stretch.",
        "If you can, walk for a minute before you sit down again."]
    lines = result.output.splitlines()
    assert lines[:3] == ["Before you start: desk, 2 stretches, 2:47",
                         "Undo the sitting: stand up and stretch the front of each hip twice, 30 "
                         "seconds", "at a time."]
    why = [n for n, line in enumerate(lines) if line.startswith("         Why: ")]
    assert len(why) == 1  # the first time the standing stretch comes up, not the second
    assert "         Stand up, face your desk and rest one hand on it for balance." in lines


def test_plain_play_shows_the_rocking_before_the_hold(run, fake_clock):
    lines = run("routine", "warmup").output.splitlines()
    at = lines.index("   3:06  3/5 Half-kneeling hip flexor stretch: rock in and out 6 times, "
                     "right")
    assert lines[at + 1:at + 4] == [
        "         knee (0:12)",
        "         Rock gently into the stretch and out again, a second each way, 6 times;",
        "         then hold."]
    hold = next(n for n in range(at, len(lines)) if lines[n].startswith("   3:18"))
    assert lines[hold] == "   3:18  3/5 Half-kneeling hip flexor stretch: hold, right knee (0:20)"


def test_wait_without_a_keyboard_warns_and_counts_down(run, fake_clock):
    result = run("play", "standing", "--hold", "2", "--wait")
    assert result.exit_code == 0
    assert "psoas: --wait needs a keyboard; counting down instead" in result.output
    assert "switch sides: left leg (0:05)" in result.output


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
    # camel's get-ready (its 20 s set-up, as long as its words need) and a 5 s hold
    assert session.active_seconds == pytest.approx(35)
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
    # during cobra's get-ready: camel's (26 s, for its words) and its 5 s hold are over
    fake_clock.keys = [(fake_clock.start + 40, key)]
    result = run("play", "camel", "cobra", "--hold", "5", "--reps", "1")
    assert result.exit_code == code
    (session,) = _sessions(clean_env)
    assert session.status == "stopped"
    # Stopped getting into cobra: the stretch stopped in, none of it held.
    assert [(s.slug, s.status, s.held_seconds) for s in session.stretches] == [
        ("camel", "done", 5), ("cobra", "skipped", 0)]


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
    assert "Finished play camel in 0:55." in result.output


def test_hold_and_reps_stop_at_a_backbends_range_and_say_so(run):
    """'full --hold 120' once planned camel at 3 x 2:00 and each bridge held two
    minutes, without a word: now each stretch not played as asked gets a line."""
    result = run("routine", "full", "--hold", "120", "--dry-run")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for line in ["psoas: cobra: held 30 s, its longest (--hold asked 120).",
                 "psoas: camel: held 30 s, its longest (--hold asked 120).",
                 "psoas: pigeon: held 30 s, its longest (--hold asked 120).",
                 "psoas: glute-bridge: each lift held 7 s, as always (--hold is for stretches)."]:
        assert line in lines
    assert all(len(line) <= 80 for line in lines)
    data = json.loads(run("routine", "full", "--hold", "120", "--reps", "4", "--dry-run",
                          "--json").stdout)
    camel = [p["seconds"] for p in data["phases"] if p["stretch"] == "camel"
             and p["kind"] == "hold"]
    assert camel == [30, 30, 30]
    assert {p["seconds"] for p in data["phases"] if p["kind"] == "hold"
            and p["stretch"] == "standing"} == {120}
