"""The browse commands through Click: list, show, errors, plain output, help."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import click
import pytest

from psoas_cli.cli.errors import ExitStatus
from psoas_cli.cli.main import cli

from .fakes import fresh_run

ANSI = re.compile(r"\x1b\[")

LIST_80 = """\
 #  Stretch                           Position    Hold     Reps         Needs
────────────────────────────────────────────────────────────────────────────────
 1  Half-kneeling hip flexor stretch  kneeling    20-30 s  1 a side     mat
 2  Standing psoas stretch            standing    20-30 s  1 a side     -
 3  Low lunge with quad stretch       kneeling    20-30 s  1 a side     mat
 4  Supine psoas stretch              face-up     20-30 s  1 a side     mat
 5  Seated psoas stretch              seated      20-30 s  1 a side     chair
 6  Side-lying psoas stretch          side-lying  20-30 s  3 a side     mat
 7  Psoas release with foam roller    face-down   1-2 min  1            foam
                                                                        roller
                                                                        mat
 8  Glute bridge                      face-up     5-10 s   15-20        mat
 9  Camel pose                        kneeling    20-30 s  3            mat
10  Cobra pose                        face-down   20-30 s  3-5          mat
11  Pigeon pose                       all fours   20-30 s  3 a side     mat

Added by psoas, not among the article's stretches:
12  Child's pose                      kneeling    20-30 s  1            mat
13  Constructive rest                 face-up     60-90 s  1            mat
14  Figure-four stretch               face-up     30-45 s  1 a side     mat
15  Side-sitting hip flexor stretch   seated      20-30 s  1 a side     chair
16  Short bridge set                  face-up     5-10 s   8-10         mat
17  Kneeling reach and side bend      kneeling    30-45 s  1 a side     mat
18  Standing reach and side bend      standing    30-45 s  1 a side     -
19  Thomas stretch on a bed           face-up     30-60 s  1 a side     bed
20  Couch stretch                     kneeling    30-60 s  1 a side     mat
                                                                        couch
21  Single-leg bridge                 face-up     3-5 s    6-10 a side  mat
22  Dead bug                          face-up     4-6 s    6-10 a side  mat
22 stretches, 11 of them added by psoas. 'psoas show NAME' for the steps.
"""


def test_list_shows_the_eleven_stretches_then_the_additions_in_80_columns(run):
    result = run("list")
    assert result.exit_code == ExitStatus.OK, result.output
    assert result.output == LIST_80
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_list_narrow_terminal_keeps_name_hold_and_reps(run):
    result = run("list", env={"COLUMNS": "40"})
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert lines[0].split() == ["#", "Stretch", "Hold", "Reps"]
    assert "Pigeon pose" in result.output
    assert "Added by psoas, not among the" in result.output


def test_a_filter_that_finds_only_additions_still_says_they_are(run):
    assert run("list", "--target", "breathing").output == """\
 #  Stretch            Position  Hold     Reps  Needs
─────────────────────────────────────────────────────
Added by psoas, not among the article's stretches:
13  Constructive rest  face-up   60-90 s  1     mat
1 of 22 stretches, 1 of them added by psoas. 'psoas show NAME' for the steps.
"""
    assert "Added by psoas" not in run("list", "--target", "chest").output


@pytest.mark.parametrize("args, slugs", [
    (["--position", "standing"], ["standing", "standing-reach"]),
    (["--no-equipment"], ["standing", "standing-reach"]),
    (["-p", "back"], ["supine", "glute-bridge", "constructive-rest", "figure-four",
                      "bridge-set", "thomas-stretch", "single-leg-bridge", "dead-bug"]),
    (["--equipment", "chair"], ["seated", "side-sitting"]),
])
def test_list_filters(run, args, slugs):
    result = run("list", "--json", *args)
    assert [s["slug"] for s in json.loads(result.output)] == slugs


def test_list_filter_that_matches_nothing_says_so(run):
    result = run("list", "--position", "handstand")
    assert result.exit_code == 0
    assert "No stretch matches those filters." in result.output


def test_list_json_is_the_whole_catalogue(run):
    data = json.loads(run("list", "--json").output)
    assert len(data) == 22
    assert [d["addition"] for d in data] == [False] * 11 + [True] * 11
    assert all(d["why"] for d in data)
    bridge = data[7]
    assert bridge["slug"] == "glute-bridge"
    assert bridge["hold_seconds"] == {"min": 5, "max": 10}
    assert bridge["reps"] == {"min": 15, "max": 20}
    assert bridge["each_side"] is False
    assert data[10]["each_side"] is True


@pytest.mark.parametrize("query, title", [
    ("pigeon", "11. Pigeon pose"),
    ("8", "8. Glute bridge"),
    ("glute", "8. Glute bridge"),
    ("11", "11. Pigeon pose"),
    ("Camel", "9. Camel pose"),
])
def test_show_prints_the_stretch_with_steps(run, query, title):
    result = run("show", query)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(title)
    assert "Steps\n 1. " in result.output or "Steps\n1. " in result.output
    if query in ("8", "glute"):  # a movement: lifts, and seconds at the top
        assert "Kind      movement: 15-20 lifts, 5-10 s at the top" in result.output
    else:
        assert "Hold" in result.output and "Reps" in result.output
    assert not ANSI.search(result.output)


def test_show_pigeon_in_full(run):
    output = run("show", "pigeon").output
    assert "Also called: eka pada rajakapotasana" in output
    assert "Reps      3 each side" in output
    assert "Hold      20-30 s" in output
    assert "Needs     mat" in output
    assert "5. Press your fingertips" in output
    assert "not medical advice" in output  # the caution, where the steps are
    assert max(len(line) for line in output.splitlines()) <= 80


def test_show_foam_roller_is_timed_as_a_movement(run):
    output = run("show", "foam").output
    assert "Time      1-2 min, moving the whole time" in output


def test_show_json(run):
    data = json.loads(run("show", "cobra", "--json").output)
    assert data["name"] == "Cobra pose"
    assert data["reps"] == {"min": 3, "max": 5}
    assert len(data["steps"]) >= 2


@pytest.mark.parametrize("query, message", [
    ("pidgeon", "Error: no stretch called 'pidgeon'; did you mean pigeon?\n"),
    ("s", "Error: 's' matches "),
    ("99", "Error: there is no stretch number 99; the catalogue has 1 to 22\n"),
])
def test_show_unknown_or_ambiguous_is_one_line_and_exit_2(run, query, message):
    result = run("show", query)
    assert result.exit_code == ExitStatus.USAGE
    assert result.output.startswith(message)
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output


BAD_CATALOGUES = {
    "malformed": "stretches: [\n",
    "unknown field": "stretches:\n  - slug: a\n    name: A\n    position: standing\n"
                     "    hold: 5\n    steps: [x]\n    colour: red\n",
    "reversed": "stretches:\n  - slug: a\n    name: A\n    position: standing\n"
                "    hold: 30-20\n    steps: [x]\n",
    "unsafe tag": "stretches: !!python/object/apply:os.system ['echo pwned']\n",
}


@pytest.mark.parametrize("kind", list(BAD_CATALOGUES))
def test_bad_catalogue_gives_one_line_and_exit_1(run, write_yaml, kind):
    path = write_yaml(BAD_CATALOGUES[kind])
    result = run("--catalogue", path, "list")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output.startswith(f"Error: {path}:")
    assert result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output and "pwned" not in result.output


def test_catalogue_from_environment(run, write_yaml):
    path = write_yaml("stretches:\n  - slug: only\n    name: Only one\n    position: seated\n"
                      "    hold: 10\n    steps: [Sit]\n")
    result = run("list", "--json", env={"PSOAS_CATALOGUE": path})
    assert [s["slug"] for s in json.loads(result.output)] == ["only"]


def test_missing_catalogue(run, tmp_path):
    result = run("--catalogue", str(tmp_path / "gone.yaml"), "show", "x")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == f"Error: {tmp_path / 'gone.yaml'}: no such file\n"


def test_version(run):
    from psoas_cli import __version__

    assert run("--version").output == f"psoas, version {__version__}\n"


def test_every_command_has_help(run):
    from psoas_cli.cli.main import COMMANDS

    ctx = click.Context(cli)
    assert cli.list_commands(ctx) == ["list", "show", "routine", "play", "history", "test",
                                      "progress", "program", "sync", "remind", "status",
                                      "config",
                                      "where", "completion"]
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        # The root help shows a copy of each short help, kept without loading commands.
        assert COMMANDS[name][2] == command.get_short_help_str(limit=80), name
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert max(len(line) for line in result.output.splitlines()) <= 80, name


def test_a_mistyped_command_gets_a_suggestion(run):
    result = run("lst")
    assert result.exit_code == ExitStatus.USAGE
    assert "Error: No such command 'lst'. Did you mean 'list'?" in result.output


# -- colour and escape codes --------------------------------------------------

class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("env, styled", [
    ({"TERM": "xterm-256color"}, True),
    ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False),
    ({"TERM": "dumb"}, False),
])
def test_escape_codes_only_on_a_capable_terminal(monkeypatch, env, styled):
    from psoas_cli.files import datafiles
    from psoas_cli.ui.console import emit, make_console
    from psoas_cli.ui.views.catalogue import stretch_details

    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stream = FakeTerminal()
    emit(make_console(stream), stretch_details(datafiles.load_catalogue().find("pigeon")))
    assert bool(ANSI.search(stream.getvalue())) is styled
    assert "Pigeon pose" in stream.getvalue()


@pytest.mark.slow  # a fresh Python
def test_not_a_terminal_means_no_escape_codes(tmp_path):
    env = {"PATH": "", "TERM": "xterm-256color", "PSOAS_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "psoas_cli", "show", "pigeon"],
                         capture_output=True, text=True, env=env, check=True).stdout
    assert "Pigeon pose" in out and not ANSI.search(out)


@pytest.mark.slow  # a fresh Python
def test_help_imports_neither_rich_nor_yaml():
    loaded, _ = fresh_run(["--help"])
    assert not {m.split(".")[0] for m in loaded} & {"rich", "yaml"}


@pytest.mark.slow  # two fresh Pythons
def test_psoas_alone_loads_neither_rich_nor_the_player(tmp_path):
    """'psoas' alone prints plain text: it once loaded the whole player (Rich, the
    screens, the voice) to learn each routine's length, 1.3x the time of the
    import floor against 0.8x before."""
    env = {"PSOAS_HOME": str(tmp_path)}
    fresh_run([], env=env)  # cold: fills the cache
    loaded, shown = fresh_run([], env=env)
    assert "warmup" in shown
    assert not {m.split(".")[0] for m in loaded} & {"rich", "yaml"}
    assert not any(m.startswith("psoas_cli.ui.player") for m in loaded)


@pytest.mark.slow  # a fresh Python each
@pytest.mark.parametrize("args", [["play", "pigeon", "--dry-run"],
                                  ["routine", "warmup", "--dry-run"],
                                  ["show", "pigeon"], ["history"]])
def test_commands_never_look_up_clicks_words_in_translations(tmp_path, args):
    """Each command's -h/--help option is psoas's own (cli/command.py): made by
    Click, it looks its words up with gettext, which loads the locale module and
    searches for catalogues on every run (0.4 MiB of the player's memory)."""
    loaded, _ = fresh_run(args, env={"PSOAS_HOME": str(tmp_path)})
    assert "locale" not in loaded


@pytest.mark.parametrize("env, said", [
    ({"PSOAS_LEVEL": "hard"},
     "Error: PSOAS_LEVEL=hard: 'hard' is not one of 'gentle', 'standard', 'deep'.\n"),
    ({"PSOAS_MINUTES": "abc"},
     "Error: PSOAS_MINUTES=abc: must be a number of minutes, not 'abc'\n"),
])
def test_a_bad_value_from_the_environment_names_the_variable_not_the_option(run, env, said):
    result = run("routine", "desk", "--dry-run", env=env)
    assert result.exit_code == 2
    assert result.output == said


@pytest.mark.parametrize("args, env", [
    (["routine", "desk", "--dry-run"], {"PSOAS_LEVEL": "hard"}),
    (["config", "list"], {"PSOAS_LEVEL": "hard"}),
    (["config", "list"], {"PSOAS_WAIT": "maybe"}),
    (["sync"], {"PSOAS_SYNC_DIR": "relative/folder"}),
    (["play", "camel", "--hold", "1"], {"PSOAS_NO_HISTORY": "maybe"}),
    (["history"], {"PSOAS_HOME": "A-FILE"}),
    (["routine", "desk", "--dry-run"], {"PSOAS_HOME": "A-FILE"}),
    (["remind", "--explain"], {"PSOAS_NOTIFY_ESCAPE": "evil"}),
])
def test_every_bad_setting_in_the_environment_exits_2_as_a_bad_option_does(run, tmp_path,
                                                                           args, env):
    (tmp_path / "a-file").write_text("mine\n")
    env = {name: str(tmp_path / "a-file") if value == "A-FILE" else value
           for name, value in env.items()}
    result = run(*args, env=env)
    (name, value), = env.items()
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {name}={value}") and result.output.count("\n") == 1
