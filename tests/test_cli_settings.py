"""Fitting on the command line, psoas config, psoas where, and which setting wins:
the command line, then the environment, then config.toml, then psoas's own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from psoas_cli.cli.errors import ExitStatus
from psoas_cli.play.events import Listener

# Messages name long temporary paths: on one line each, as a wide terminal shows them.
pytestmark = pytest.mark.usefixtures("wide_terminal")


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(fast_run):
    return fast_run


@pytest.fixture
def settings(clean_env):
    """Write config.toml in the psoas folder."""

    def write(text: str) -> Path:
        clean_env.mkdir(parents=True, exist_ok=True)
        path = clean_env / "config.toml"
        path.write_text(text)
        return path

    return write


def plan(run, *args, env=None):
    result = run(*args, "--dry-run", "--json", env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def total_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.split()[:1] == ["Total"])


def seconds(clock: str) -> int:
    minutes, secs = clock.split(":")
    return int(minutes) * 60 + int(secs)


# -- what the issue asks for ------------------------------------------------------------------

def test_warmup_in_ten_minutes(run):
    result = run("routine", "warmup", "--minutes", "10", "--dry-run")
    assert result.exit_code == 0, result.output
    assert abs(seconds(total_line(result.output).split()[-1]) - 600) <= 30
    assert result.output.splitlines()[-2:] == [
        "Fitted to 10:00 (within 0:30): 9:59 at the standard level.",
        "Added to fill the time: Cobra pose."]


def test_full_in_five_gentle_minutes_plays_without_the_advanced_stretches(run, fake_clock):
    result = run("routine", "full", "--minutes", "5", "--level", "gentle")
    assert result.exit_code == 0, result.output
    assert abs(fake_clock.elapsed - 300) <= 15
    for name in ("Camel pose", "Pigeon pose", "foam roller"):
        assert f"{name}:" not in result.output and f"{name} (advanced):" not in result.output
    assert result.output.splitlines()[:2] == [
        "psoas: Left out as advanced at the gentle level: Psoas release with foam roller, "
        "Pigeon pose, Camel pose.",
        "psoas: Left out with the stretch each answers: Child's pose."]


def test_fractions_of_a_minute_and_play(run):
    data = plan(run, "play", "pigeon", "cobra", "--minutes", "6.5")
    assert abs(data["total_seconds"] - 390) <= 19.5
    assert data["fit"] == {"level": "standard", "target_seconds": 390.0,
                           "tolerance_seconds": 19.5, "left_out_advanced": [], "left_out": [],
                           "added": [], "left_out_with_their_pair": []}


@pytest.mark.parametrize("args, message", [
    (["routine", "desk", "--minutes", "10"],
     "'desk' at the deep level can last from 1:08 to 4:32, not 10 minutes"),
    (["play", "pigeon", "--minutes", "1"],
     "'play pigeon' at the standard level can last from 3:35 to 4:35, not 1 minute"),
    (["play", "pigeon", "--minutes", "1", "--hold", "30", "--reps", "3"],
     "'play pigeon' at the standard level lasts exactly 4:35 with those options, "
     "not 1 minute"),
    (["play", "camel", "--level", "gentle"],
     "every stretch of 'play camel' is advanced, and the gentle level leaves those out; "
     "choose another level with --level"),
])
def test_what_cannot_be_met_is_one_line_and_exit_2(run, args, message):
    result = run(*args, "--dry-run")
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == f"Error: {message}\n"


def test_the_list_of_routines_shows_them_at_the_level_and_length_asked(run):
    lines = run("routine", "--level", "gentle", "--minutes", "2.2").output.splitlines()
    assert lines[2].split()[:3] == ["warmup", "2", "2:23"]  # fitted: three left out
    assert lines[7].split()[:3] == ["gentle", "6", "8:01"]  # can't last 2:12: as written
    assert lines[8].split()[:3] == ["full", "2", "2:20"]


def test_the_users_hold_and_reps_are_kept_when_fitting(run):
    data = plan(run, "play", "standing", "supine", "--minutes", "7", "--hold", "45",
                "--reps", "2")
    assert {p["seconds"] for p in data["phases"] if p["kind"] == "hold"} == {45}


def test_a_setup_time_for_every_stretch(run):
    data = plan(run, "play", "camel", "cobra", "--setup", "7")
    assert [p["seconds"] for p in data["phases"] if p["kind"] in ("ready", "move")] == [7, 7]


# -- which setting wins ----------------------------------------------------------------------

def test_the_level_the_command_line_then_environment_then_config_then_the_routine(run, settings):
    assert plan(run, "routine", "desk")["fit"]["level"] == "deep"  # desk's own
    settings('level = "gentle"\n')
    assert plan(run, "routine", "desk")["fit"]["level"] == "gentle"
    env = {"PSOAS_LEVEL": "standard"}
    assert plan(run, "routine", "desk", env=env)["fit"]["level"] == "standard"
    assert plan(run, "routine", "desk", "--level", "deep", env=env)["fit"]["level"] == "deep"


def test_minutes_wait_and_setup_from_the_config_file(run, settings):
    settings("minutes = 2\nwait = true\nsetup = 3\n")
    data = plan(run, "routine", "desk")
    assert data["fit"]["target_seconds"] == 120 and abs(data["total_seconds"] - 120) <= 15
    assert [p["wait"] for p in data["phases"] if p["kind"] == "switch"] == [True, True]
    assert {p["seconds"] for p in data["phases"] if p["kind"] in ("ready", "move")} == {3}
    data = plan(run, "routine", "desk", "--no-wait", "--minutes", "2.5")
    assert not any(p["wait"] for p in data["phases"])
    assert data["fit"]["target_seconds"] == 150


def test_minutes_from_settings_play_as_near_as_they_can(run, settings):
    settings("minutes = 20\n")
    result = run("routine", "desk", "--dry-run")
    assert result.exit_code == 0
    assert result.output.startswith("psoas: 'desk' at the deep level can last from 1:08 to 4:32, "
                                    "not 20 minutes; playing 4:32\n")


@pytest.fixture
def sounds(monkeypatch):
    chosen = []

    def make(choice, stream, **kwargs):
        chosen.append(choice)
        return Listener()

    monkeypatch.setattr("psoas_cli.ui.sound.make", make)
    return chosen


def test_config_set_sound_voice_makes_voice_the_default(run, sounds):
    assert run("play", "camel", "--hold", "1", "--reps", "1").exit_code == 0
    result = run("config", "set", "sound", "voice")
    assert result.exit_code == 0, result.output
    assert run("play", "camel", "--hold", "1", "--reps", "1").exit_code == 0
    assert run("play", "camel", "--hold", "1", "--reps", "1",
               env={"PSOAS_SOUND": "none"}).exit_code == 0
    assert run("play", "camel", "--hold", "1", "--reps", "1", "--sound", "bell",
               env={"PSOAS_SOUND": "none"}).exit_code == 0
    assert sounds == ["bell", "voice", "none", "bell"]


# -- a bad config file ----------------------------------------------------------------------

def test_a_bad_setting_is_one_line_naming_the_file_and_key(run, settings):
    path = settings('# mine\nsound = "loud"\n')
    result = run("routine", "desk")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == (f"Error: {path}:2: key 'sound': must be bell, voice, both or none, "
                             "not 'loud'\n")


def test_commands_that_need_no_settings_run_with_a_bad_file(run, settings):
    path = settings("this is not toml\n")
    for args in (["list"], ["show", "pigeon"], ["history"], ["where"], ["config", "path"],
                 ["routine", "--help"], ["routine", "new", "mine", "cobra"]):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    assert run("config", "list").output == f"Error: {path}:1: expected 'key = value'\n"


def test_config_set_mends_a_bad_value(run, settings):
    path = settings('sound = "loud"  # oops\n')
    assert run("routine", "desk", "--dry-run").exit_code == ExitStatus.ERROR
    result = run("config", "set", "sound", "none")
    assert result.exit_code == 0, result.output
    assert path.read_text() == 'sound = "none"  # oops\n'
    assert run("routine", "desk", "--dry-run").exit_code == 0


def test_config_unset_removes_a_mistyped_key(run, settings):
    path = settings('sond = "voice"\nwait = true\n')
    assert run("config", "unset", "sond").output == f"Removed sond from {path}\n"
    assert path.read_text() == "wait = true\n"


@pytest.mark.parametrize("args", [("unset", "sound"), ("set", "level", "deep")])
def test_a_mistake_elsewhere_in_the_file_is_named_at_its_line_in_the_file(run, settings, args):
    path = settings('sound = "bell"\nlevel = "gentle"\noops\nwait = true\n')
    result = run("config", *args)
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == f"Error: {path}:3: expected 'key = value'\n"
    assert path.read_text() == 'sound = "bell"\nlevel = "gentle"\noops\nwait = true\n'


# -- psoas config ------------------------------------------------------------------------------

def test_config_list_says_where_each_value_comes_from(run, settings):
    settings('sound = "voice"\nminutes = 7.5\n')
    result = run("config", "list", env={"PSOAS_LEVEL": "deep"})
    assert result.output == """\
sound          voice    config file
level          deep     PSOAS_LEVEL
wait           false    built in
start_wait     true     built in
minutes        7.5      config file
setup          -        each stretch's own
idle           5        built in
rest_days      sat,sun  built in
checkin        off      built in
checkin_sides  false    built in
sync_dir       -        no syncing
figure_style   -        braille, else what the terminal can show
"""


def test_config_get_set_unset_round_trip(run, clean_env):
    path = clean_env / "config.toml"
    assert run("config", "path").output == f"{path}\n"
    assert run("config", "get", "level").exit_code == 1
    assert run("config", "set", "level", "Gentle").output == f'level = "gentle" in {path}\n'
    assert run("config", "get", "level").output == "gentle\n"
    assert run("config", "set", "minutes", "12.5").exit_code == 0
    assert run("config", "get", "minutes").output == "12.5\n"
    assert path.read_text().endswith('level = "gentle"\nminutes = 12.5\n')
    assert run("config", "unset", "level").output == f"Removed level from {path}\n"
    assert run("config", "unset", "level").output == f"level is not set in {path}\n"
    assert run("config", "get", "sound").output == "bell\n"


@pytest.mark.parametrize("args, message", [
    (["set", "sond", "bell"], "no setting called 'sond'; did you mean 'sound'?"),
    (["set", "sound", "loud"], "sound must be bell, voice, both or none, not 'loud'"),
    (["set", "minutes", "-1"], "minutes must be more than 0 and at most 240, not -1"),
    (["get", "colour"], "no setting called 'colour'; the keys are sound, level, wait, "
                        "start_wait, minutes, setup, idle, rest_days, checkin, "
                        "checkin_sides, sync_dir, figure_style"),
])
def test_config_mistakes_are_one_line_and_exit_2(run, clean_env, args, message):
    result = run("config", *args)
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == f"Error: {message}\n"
    assert not (clean_env / "config.toml").exists()


@pytest.mark.parametrize("typed, stored", [("10m", "10"), ("1h30m", "90"), ("90s", "1.5"),
                                           ("10", "10"), ("off", "0"), ("0", "0")])
def test_idle_takes_a_duration_as_psoas_remind_idle_does(run, clean_env, typed, stored):
    path = clean_env / "config.toml"
    assert run("config", "set", "idle", typed).output == f"idle = {stored} in {path}\n"
    assert run("config", "get", "idle").output == f"{stored}\n"


def test_idle_as_a_duration_in_the_file_and_the_environment(run, settings):
    settings('idle = "10m"\n')
    assert run("config", "get", "idle").output == "10\n"
    listed = run("config", "list", env={"PSOAS_IDLE": "1h"}).output
    assert "idle           60       PSOAS_IDLE\n" in listed
    explained = run("remind", "--explain", env={"PSOAS_IDLE": "10m"})
    assert explained.exit_code == 0, explained.output


@pytest.mark.parametrize("typed, message", [
    ("10x", "idle must be a duration such as 10m, or 0 for never: '10x' is not a duration; "
            "write it like 45m, 1h30m, 90s or 1.5h"),
    ("30s", "idle must be a duration such as 10m, or 0 for never: '30s' is too short; "
            "at least 1m"),
    ("2d", "idle must be a duration such as 10m, or 0 for never: '2d' is not a duration; "
           "write it like 45m, 1h30m, 90s or 1.5h"),
])
def test_idle_refuses_what_psoas_remind_idle_refuses(run, clean_env, wide_terminal, typed,
                                                     message):
    result = run("config", "set", "idle", typed)
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == f"Error: {message}\n"


def test_setting_what_the_environment_overrides_says_so(run):
    result = run("config", "set", "sound", "voice", env={"PSOAS_SOUND": "none"})
    assert "PSOAS_SOUND is set in your environment and wins over it" in result.output


# -- psoas where and the environment in --help ------------------------------------------------

def test_where_names_the_folder_and_its_files(run, clean_env):
    run("routine", "new", "mine", "cobra")
    lines = run("where").output.splitlines()
    assert lines[:5] == [f"psoas folder  {clean_env} (PSOAS_HOME)",
                         "              routines.yaml  your routines",
                         "              programs.yaml  your programs (none yet)",
                         "              config.toml    your settings (none yet)",
                         "              history.db     your sessions (none yet)"]
    assert lines[5].startswith("catalogue     ") and lines[5].endswith(" (built in)")
    assert lines[7].startswith("programs      ") and lines[7].endswith(" (built in)")
    assert [line.split()[0] for line in lines[-3:]] == ["idle", "quiet", "reminder"]
    assert lines[-1] == (f"reminder      {clean_env / 'remind-state.json'} (while psoas remind "
                         "runs)")


def test_where_wraps_a_long_line_under_its_words(run, monkeypatch):
    from psoas_cli.cli.actions import where

    logind = "systemd-logind (the session's IdleHint and LockedHint, through loginctl)"
    monkeypatch.setattr(where, "explain", lambda env: (logind, "dunst (dunstctl is-paused)",
                                                       None))
    lines = run("where", env={"COLUMNS": "80"}).output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("idle time"))
    assert lines[at:at + 2] == [
        "idle time     systemd-logind (the session's IdleHint and LockedHint, through",
        "              loginctl) (psoas remind)"]
    assert all(len(line) <= 80 or "/" in line for line in lines)


def test_every_environment_variable_psoas_reads_is_in_help_and_the_readme(run):
    from psoas_cli.files.config import KEYS

    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "psoas_cli").rglob("*.py"))
    from psoas_cli.ui.remind.hooks import VARIABLES as SET_FOR_HOOKS

    names = set(re.findall(r"\bPSOAS_[A-Z_]+[A-Z]\b", source)) | {k.env for k in KEYS.values()}
    names -= set(SET_FOR_HOOKS)  # set for --on-break and --on-done, never read: README only
    readme_text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme_text for name in SET_FOR_HOOKS)
    assert {"PSOAS_HOME", "PSOAS_CATALOGUE", "PSOAS_ROUTINES", "PSOAS_SOUND",
            "PSOAS_NO_HISTORY", "PSOAS_LEVEL", "PSOAS_MINUTES"} <= names
    help_text = run("--help").output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in sorted(names | {"VISUAL", "EDITOR", "NO_COLOR", "XDG_CACHE_HOME"}):
        assert re.search(rf"^\s+(\w+, )?{name}\b", help_text, re.M), name
        assert f"`{name}`" in readme, name
    assert max(len(line) for line in help_text.splitlines()) <= 80


def test_remind_plays_its_routine_at_your_level_and_sound(settings, fake_clock, run):
    from psoas_cli.cli.app import App

    def first_line(env=None):
        fake_clock.keys = [(fake_clock.t + 60, "quit")]
        app = App(now=fake_clock.now, monotonic=fake_clock.now, keyboard=fake_clock.keyboard)
        result = run("remind", "--routine", "warmup", app=app, env=env)
        assert result.exit_code == 0, result.output
        return result.output.splitlines()[0]

    # its own: the real stretches at the short end of each range
    assert first_line().endswith("the warmup routine (7:03).")
    settings('level = "deep"\n')
    assert first_line().endswith("the warmup routine (9:29).")
    assert first_line({"PSOAS_LEVEL": "standard"}).endswith("the warmup routine (8:09).")
