"""Hostile input, through the command line in-process: files, catalogues, arguments.

Each case is something a careless or hostile user could hand psoas; each must
end in one clear line naming the file, line, routine or stretch and field (or
simply work), never a traceback, a hang or runaway memory.  The cases that
once ate gigabytes run again in a subprocess with its memory capped.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from psoas_cli import limits
from psoas_cli.cli.app import App
from psoas_cli.cli.errors import ExitStatus
from psoas_cli.history.records import new_session
from psoas_cli.history.store import History

from .fakes import FakeClock, deadline

ROOT = Path(__file__).resolve().parent.parent


def routines(item: str = "- stretch: camel", routine: str = "", top: str = "") -> str:
    """A routines file with one routine 'r'; ``item`` and ``routine`` add fields."""
    return f"{top}routines:\n  r:\n{routine}    items:\n      {item}\n"


def one_line_error(result, path: str = "") -> str:
    """The error, with the file's path as FILE; fails unless it is one line."""
    assert result.exit_code in (ExitStatus.ERROR, ExitStatus.USAGE), result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, \
        result.output
    assert "Traceback" not in result.output
    return result.output[len("Error: "):-1].replace(path, "FILE") if path else \
        result.output[len("Error: "):-1]


# -- routines files: numbers ---------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    (routines("- {stretch: camel, hold: .inf}"),
     "FILE:4: routine 'r', field 'hold': must be a finite number of seconds, not inf"),
    (routines("- {stretch: camel, reps: .nan}"),
     "FILE:4: routine 'r', field 'reps': must be a finite number, not nan"),
    (routines(routine="    pauses: {rest: .inf}\n"),
     "FILE:3: routine 'r', field 'pauses': each pause must be a finite number of seconds, "
     "not inf"),
    (routines(routine="    pauses: {ready: .nan}\n"),
     "FILE:3: routine 'r', field 'pauses': each pause must be a finite number of seconds, "
     "not nan"),
    (routines("- {stretch: camel, reps: 1000000000}"),
     "FILE:4: routine 'r', field 'reps': must be at most 100, not 1000000000"),
    (routines("- {stretch: camel, hold: 1.0e+300}"),
     "FILE:4: routine 'r', field 'hold': must be at most 600, not 1e+300"),
    (routines("- {stretch: camel, hold: true}"),
     "FILE:4: routine 'r', field 'hold': must be a number of seconds, not true/false"),
    (routines("- {stretch: camel, setup: -.inf}"),
     "FILE:4: routine 'r', field 'setup': must be a finite number of seconds, not -inf"),
    (routines("- {stretch: camel, hold: 601}"),
     "FILE:4: routine 'r', field 'hold': must be at most 600, not 601"),
    (routines("- {stretch: pigeon, hold: 600, reps: 100}"),  # 33 hours of pigeon
     "FILE:2: routine 'r': would last over 4 hours, longer than a routine may last"),
    (routines("- {stretch: camel, hold: " + "9" * 5000 + "}"),
     "FILE:4: a number with too many digits"),
    (routines(top="version: true\n"),
     "FILE:1: field 'version': this psoas reads routines version 1, not true"),
    (routines(top="version: 1.0\n"),
     "FILE:1: field 'version': this psoas reads routines version 1, not 1.0"),
])
def test_numbers_in_a_routines_file(run, write_yaml, text, message):
    path = write_yaml(text, "mine.yaml")
    assert one_line_error(run("routine", "--routines", path), path) == message


def test_the_limits_themselves_are_accepted(run, write_yaml):
    path = write_yaml(routines(f"- {{stretch: camel, hold: {limits.HOLD.high:g}, reps: 10,"
                               " setup: 600, rest: 600, switch: 600}",
                               "    pauses: {rest: 600, switch: 600, ready: 600}\n"))
    result = run("routine", "r", "--routines", path, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert {p["seconds"] for p in plan["phases"] if p["kind"] == "hold"} == {600}
    assert plan["total_seconds"] == 20 * 600 < limits.ROUTINE_SECONDS  # ready, holds, rests


# -- routines files: names, text, aliases ------------------------------------------------

def test_a_numeric_routine_name_is_a_name_like_any_other(run, write_yaml):
    path = write_yaml("routines:\n  123:\n    items: [camel]\n", "mine.yaml")
    assert run("routine", "war", "--routines", path, "--dry-run").exit_code == 0  # prefix
    result = run("routine", "12", "--routines", path, "--dry-run", "--json")
    assert json.loads(result.output)["routine"] == "123"
    assert "123 " in run("routine", "--routines", path).output


@pytest.mark.parametrize("key, message", [
    ("yes", "FILE:2: routine 'true': a routine name is lowercase letters, digits and hyphens, "
            "not true/false; put it in quotes"),
    ("1.5", "FILE:2: routine '1.5': a routine name is lowercase letters, digits and hyphens, "
            "not a number; put it in quotes"),
])
def test_a_routine_name_that_yaml_reads_as_another_type(run, write_yaml, key, message):
    path = write_yaml(f"routines:\n  {key}:\n    items: [camel]\n", "mine.yaml")
    assert one_line_error(run("routine", "--routines", path), path) == message


ESCAPES = "\x1b]0;PWNED\x07\x1b[2Jcleared"


def test_escape_sequences_in_a_routine_are_shown_as_text(run, write_yaml):
    description = json.dumps(ESCAPES)  # YAML reads JSON's escapes
    path = write_yaml(routines(routine=f"    description: {description}\n"), "mine.yaml")
    listing = run("routine", "--routines", path).output
    assert "\x1b" not in listing and "\x07" not in listing
    (row,) = [line for line in listing.splitlines() if line.startswith("r ")]
    assert row.endswith(r"  \x1b]0;PWNED\x07\x1b[2Jcleared")


def test_a_name_with_line_breaks_gives_a_one_line_error(run, write_yaml):
    path = write_yaml('routines:\n  "bad\\nname\\n\\e[2J":\n    items: [camel]\n', "mine.yaml")
    message = one_line_error(run("routine", "--routines", path), path)
    assert message == (r"FILE:2: routine 'bad\nname\n\x1b[2J': a routine name is lowercase "
                       "letters, digits and hyphens")


def test_an_alias_bomb_is_refused_at_its_first_alias(run, write_yaml):
    path = write_yaml(alias_bomb(), "bomb.yaml")
    message = one_line_error(run("routine", "--routines", path), path)
    assert message == ("FILE:1: anchors and aliases (&name, *name) are not read in psoas's "
                       "files; write the value out in full")


def alias_bomb(levels: int = 9) -> str:
    """Nine aliases deep, nine wide: 387 million strings once expanded."""
    parts = ['&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for this, previous in zip("bcdefghi"[:levels - 1], "abcdefgh", strict=False):
        parts.append(f"&{this} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "version: [" + ", ".join(parts) + "]\nroutines: {r: {items: [camel]}}\n"


# -- files that are not files ------------------------------------------------------------

def special(kind: str, where: Path) -> Path:
    """Something other than a regular file at ``where``."""
    if kind == "directory":
        where.mkdir()
    elif kind == "fifo":
        os.mkfifo(where)
    elif kind == "device":
        where.symlink_to(os.devnull)
    elif kind == "dangling":
        where.symlink_to(where.parent / "nowhere.yaml")
    elif kind == "loop":
        where.symlink_to(where.name)
    return where


KINDS = {
    "directory": "is a directory, not a YAML file",
    "fifo": "is a named pipe (FIFO), not a regular file",
    "device": "is a device, not a regular file",
    "dangling": "is a link to nothing (dangling symbolic link)",
    "loop": "is a loop of symbolic links",
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_routines_file_that_is_not_a_file(run, tmp_path, kind):
    path = str(special(kind, tmp_path / "mine.yaml"))
    assert one_line_error(run("routine", "--routines", path), path) == f"FILE: {KINDS[kind]}"


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_in_the_psoas_folder_says_the_same(run, clean_env, kind):
    clean_env.mkdir()
    path = str(special(kind, clean_env / "routines.yaml"))
    assert one_line_error(run("routine"), path) == f"FILE: {KINDS[kind]}"


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_a_config_file_that_is_not_a_file(run, clean_env, kind):
    clean_env.mkdir()
    path = str(special(kind, clean_env / "config.toml"))
    with deadline(10):
        result = run("routine", "desk", "--dry-run")
    message = KINDS[kind].replace("is a directory, not a YAML file", "is a directory")
    assert one_line_error(result, path) == f"FILE: {message}"


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_a_catalogue_that_is_not_a_file(run, tmp_path, kind):
    path = str(special(kind, tmp_path / "cat.yaml"))
    assert one_line_error(run("--catalogue", path, "list"), path) == f"FILE: {KINDS[kind]}"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(run, tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:  # sparse: no time spent writing it
        handle.truncate(50 * 1024 * 1024)
    message = one_line_error(run("routine", "--routines", str(path)), str(path))
    assert message == "FILE: is larger than 2 MB, more than psoas reads"


@pytest.mark.slow  # 20,000 look-ups: half a second
def test_a_big_routines_file_naming_stretches_by_prefix_loads_quickly(run, write_yaml):
    # 2,000 routines of ten items each, named by prefix and by number: each
    # look-up once cost half a millisecond, and nothing was remembered.
    body = "".join(f"  r{n}:\n    items: [glute, pig, stand, cob, '9', low, supine, seated,"
                   f" side-lying, foam]\n" for n in range(2000))
    path = write_yaml("routines:\n" + body, "many.yaml")
    started = time.perf_counter()
    result = run("routine", "r1999", "--routines", path, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 5  # was 15 s
    assert json.loads(result.output)["stretches"][:2] == ["glute-bridge", "pigeon"]


# -- catalogues ----------------------------------------------------------------------------

STRETCH = """\
stretches:
  - slug: odd
    name: {name}
    position: standing
    hold: {hold}
    steps: [Stand.]
"""


@pytest.mark.parametrize("hold, message", [
    (".inf", "FILE:5: stretch 'odd', field 'hold': must be a finite number of seconds, "
             "not inf"),
    ("[10, .nan]", "FILE:5: stretch 'odd', field 'hold': must be a finite number of seconds, "
                   "not nan"),
    ("'²-³'", "FILE:5: stretch 'odd', field 'hold': must be a number or a range like 20-30, "
              "not '²-³'"),
    ("20-9000", "FILE:5: stretch 'odd', field 'hold': must be at most 600, not 9000"),
    ("false", "FILE:5: stretch 'odd', field 'hold': must be a number of seconds, "
              "not true/false"),
])
def test_numbers_in_a_catalogue(run, write_yaml, hold, message):
    path = write_yaml(STRETCH.format(name="Odd", hold=hold))
    assert one_line_error(run("--catalogue", path, "list"), path) == message


def test_escape_sequences_in_a_catalogue_are_shown_as_text(run, write_yaml):
    path = write_yaml(STRETCH.format(name=json.dumps("Odd \x1b[2J\x9b31m"), hold=20))
    shown = run("--catalogue", path, "show", "odd").output
    assert shown.startswith(r"1. Odd \x1b[2J\x9b31m  (odd)")
    assert not any(ord(c) < 32 and c != "\n" or 0x7f <= ord(c) < 0xa0 for c in shown)


# -- arguments -----------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--rest", "nan"], "Invalid value for '--rest': must be a number of seconds, not 'nan'"),
    (["--rest", "inf"], "Invalid value for '--rest': must be a number of seconds, not 'inf'"),
    (["--hold", "١٢"], "Invalid value for '--hold': must be a whole number of seconds, "
                       "not '١٢'"),
    (["--hold", "601"], "Invalid value for '--hold': must be at most 600, not 601"),
    (["--reps", "2.5"], "Invalid value for '--reps': must be a whole number, not 2.5"),
    (["--reps", "9" * 5000], "Invalid value for '--reps': must be at most 100, not '"
                             + "9" * 17 + "...'"),
    (["--hold", "-" + "9" * 30], "Invalid value for '--hold': must be at least 1, not '-"
                                 + "9" * 16 + "...'"),
])
def test_numbers_on_the_command_line(run, args, message):
    result = run("play", "camel", *args, "--dry-run")
    assert result.exit_code == ExitStatus.USAGE
    assert result.output.splitlines()[-1] == "Error: " + message


def test_overrides_that_make_a_routine_too_long(run):
    message = one_line_error(run("play", "standing", "--hold", "600", "--reps", "100",
                                 "--dry-run"))
    assert message == ("routine 'play standing': would last over 4 hours, longer than a routine "
                       "may last")


@pytest.mark.parametrize("query, message", [
    ("²", "no stretch called '²'; 'psoas list' shows them all"),
    ("①", "no stretch called '①'; 'psoas list' shows them all"),
    ("9" * 5000, "there is no stretch number 99999999999999999...; the catalogue has 1 to 22"),
    ("x" * 10_000, "no stretch called '" + "x" * 57 + "...'; 'psoas list' shows them all"),
    ("\udcff\x1b[2J", r"no stretch called '\xff\x1b[2J'; 'psoas list' shows them all"),
])
def test_odd_stretch_names(run, query, message):
    for command in (["show", query], ["play", query, "--dry-run"]):
        assert one_line_error(run(*command)) == message


def test_an_extra_argument_is_echoed_as_text(run):
    result = run("list", "\x1b[2J")
    assert result.exit_code == ExitStatus.USAGE and "\x1b" not in result.output
    assert result.output.splitlines()[-1] == r"Error: Got unexpected extra argument (\x1b[2J)"


def test_history_days_beyond_the_calendar(run, clean_env):
    with History(clean_env) as store:
        store.save(new_session("desk", time.time() - 3600, status="finished", active_seconds=60))
    result = run("history", "--days", "800000")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Sessions, last 800000 days\n")
    assert " desk " in result.output


@pytest.mark.parametrize("value, recorded", [
    ("", True), ("0", True), ("false", True), ("No", True), ("OFF", True),
    ("1", False), ("true", False), ("yes", False),
])
def test_psoas_no_history_values(run, clean_env, value, recorded):
    clock = FakeClock()
    app = App(monotonic=clock.now, keyboard=clock.keyboard)
    result = run("play", "camel", "--hold", "1", "--reps", "1", "--sound", "none",
                 env={"PSOAS_NO_HISTORY": value}, app=app)
    assert result.exit_code == 0, result.output
    assert History(clean_env).count() == (1 if recorded else 0)


# -- with the memory capped ------------------------------------------------------------------

CAPPED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (MEGABYTES << 20, MEGABYTES << 20))
from click.testing import CliRunner
from psoas_cli.cli.main import cli
for args in ARGS:
    result = CliRunner().invoke(cli, args)
    print(int(result.exit_code), result.output.strip().replace(args[-2], "FILE"))
"""


@pytest.mark.slow  # a fresh Python
def test_memory_bombs_end_in_one_line_with_memory_capped(tmp_path):
    """Each of these once took gigabytes (or for ever); capped at 300 MB, each now
    says no in a line, and all in a few seconds."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb())
    billion = tmp_path / "billion.yaml"
    billion.write_text(routines("- {stretch: camel, reps: 1000000000}"))
    cases = [["routine", "--routines", str(bomb), "x"],
             ["routine", "--routines", "/dev/zero", "x"],
             ["--catalogue", "/dev/zero", "list"],
             ["routine", "--routines", str(billion), "x"]]
    code = CAPPED.replace("MEGABYTES", "300").replace("ARGS", repr(cases))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PSOAS_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "1 Error: FILE:1: anchors and aliases (&name, *name) are not read in psoas's files; "
        "write the value out in full",
        "1 Error: FILE: is a device, not a regular file",
        "1 Error: FILE: is a device, not a regular file",
        "1 Error: FILE:4: routine 'r', field 'reps': must be at most 100, not 1000000000",
    ]


# -- output that can't be written ---------------------------------------------------------

@pytest.mark.slow  # a shell and a fresh Python each
@pytest.mark.parametrize("args", [["list"], ["history", "--json"], ["where"], []],
                         ids=lambda a: " ".join(a) or "psoas")
@pytest.mark.parametrize("how, said", [
    ('exec "$@" >&-', "psoas: standard output is closed\n"),
    ('exec "$@" >/dev/full', "psoas: can't write the output: No space left on device\n"),
], ids=["closed", "full"])
def test_output_that_cannot_be_written_is_one_line_not_a_traceback(tmp_path, args, how, said):
    if "/dev/full" in how and not stat.S_ISCHR(os.stat("/dev/full").st_mode):
        pytest.skip("/dev/full is not the full device here")
    env = {**os.environ, "PSOAS_HOME": str(tmp_path)}
    done = subprocess.run(["sh", "-c", how, "sh", sys.executable, "-m", "psoas_cli", *args],
                          env=env, capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stderr) == (1, said)



@pytest.mark.parametrize("args", [["routine", "full", "--dry-run"], ["list", "--json"],
                                  ["show", "pigeon"], ["history"], []],
                         ids=lambda a: " ".join(a) or "psoas")
def test_a_reader_that_went_away_is_no_error(tmp_path, args):
    """'psoas routine full --dry-run | head -1': head may leave before psoas has
    written it all, or after; either way psoas exits 0, saying nothing (a
    routine played is stopped instead, 129: tests/test_pty.py)."""
    read, write = os.pipe()
    os.close(read)  # gone before the first line: every write meets EPIPE
    env = {**os.environ, "PSOAS_HOME": str(tmp_path)}
    try:
        done = subprocess.run([sys.executable, "-m", "psoas_cli", *args], env=env,
                              stdout=write, stderr=subprocess.PIPE, text=True, timeout=30)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("args", [["config", "set", "level", "deep"], ["history"], ["where"],
                                  [], ["play", "pigeon", "--hold", "1", "--reps", "1"]],
                         ids=lambda a: " ".join(a) or "psoas")
def test_a_psoas_home_that_is_not_a_folder_is_one_line(fast_run, tmp_path, args):
    home = tmp_path / "a-file"
    home.write_text("mine\n")
    result = fast_run(*args, env={"PSOAS_HOME": str(home)})
    assert result.exit_code == 2  # a bad setting, as a bad option
    assert result.output == (f"Error: PSOAS_HOME={home} is not a folder; move it aside, or "
                             "set PSOAS_HOME to a folder\n")
    assert home.read_text() == "mine\n"


@pytest.mark.parametrize("args, env, said", [
    (["play", "camel", "--hold", "1", "--reps", "1"], {"PSOAS_NO_HISTORY": "maybe"},
     "Error: PSOAS_NO_HISTORY=maybe: set it to 1 not to record sessions, or 0 (or leave it "
     "unset) to record them\n"),
    (["remind", "--plain"], {"PSOAS_NOTIFY_ESCAPE": "evil"},
     "Error: PSOAS_NOTIFY_ESCAPE=evil: must be osc9, osc777 or none\n"),
])
def test_a_value_psoas_does_not_know_in_the_environment_is_named(fast_run, args, env, said):
    result = fast_run(*args, env=env)
    assert result.exit_code == 2
    assert result.output == said


def test_a_history_file_that_is_a_link_to_nothing_is_named_not_read_as_empty(fast_run,
                                                                              clean_env):
    clean_env.mkdir(parents=True)
    (clean_env / "history.db").symlink_to(clean_env / "gone.db")
    played = fast_run("play", "camel", "--hold", "1", "--reps", "1")
    assert played.exit_code == 0
    assert "it is a link to nothing" in played.output
    shown = fast_run("history")
    assert shown.exit_code == 1
    assert shown.output == (f"Error: cannot use {clean_env / 'history.db'}: it is a link to "
                            "nothing; move it out of the way\n")
    (clean_env / "history.db").unlink()
    mended = fast_run("history")
    assert "play camel" in mended.output  # kept in the journal, and written now


def test_history_says_when_sessions_still_wait_to_be_written(fast_run, clean_env, wide_terminal):
    clean_env.mkdir(parents=True)
    os.mkfifo(clean_env / "history.db-wal")  # a history that can't be written
    fast_run("play", "camel", "--hold", "1", "--reps", "1")
    shown = fast_run("history")
    assert shown.exit_code == 0
    assert ("some sessions are still waiting in "
            f"{clean_env / 'history-pending.jsonl'}") in shown.stderr


@pytest.mark.parametrize("hold", ["017", "1:30", "0x1e", "-017"])
def test_numbers_yaml_would_read_as_octal_or_minutes_are_refused(run, write_yaml, hold):
    """YAML 1.1 reads 017 as 15 and 1:30 as 90: nobody writing a hold means that."""
    path = write_yaml(routines(f"- {{stretch: camel, hold: {hold}}}"), "r.yaml")
    message = one_line_error(run("routine", "r", "--routines", path, "--dry-run"))
    assert message == f"{path}:4: '{hold}': write numbers as plain digits, such as 90"


@pytest.mark.parametrize("version, said", [("1.0", "1.0"), ("'1'", "'1'"), ("2", "2")])
def test_a_version_that_is_not_the_number_1_says_what_it_is(run, write_yaml, version, said):
    path = write_yaml(f"version: {version}\nroutines: {{}}\n", "r.yaml")
    message = one_line_error(run("routine", "--routines", path))
    assert message == (f"{path}:1: field 'version': this psoas reads routines version 1, "
                       f"not {said}")


def test_a_control_character_in_a_yaml_file_names_its_line(run, write_yaml):
    path = write_yaml("version: 1\nroutines:\n  r:\n    description: \"a\x1bb\"\n", "r.yaml")
    message = one_line_error(run("routine", "--routines", path))
    assert message == f"{path}:4: a control character (0x1b) that YAML files may not hold"


@pytest.mark.parametrize("make, said", [
    (lambda p: p.symlink_to(p.parent / "gone"), "is a link to nothing (dangling symbolic link)"),
    (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a regular file"),
], ids=["dangling", "fifo"])
@pytest.mark.parametrize("name, args", [("config.toml", ["routine", "desk", "--dry-run"]),
                                        ("config.toml", ["config", "set", "level", "deep"]),
                                        ("routines.yaml", ["routine", "rm", "mine"])])
def test_a_settings_or_routines_file_that_is_no_file_is_named_not_taken_for_none(
        run, clean_env, make, said, name, args):
    clean_env.mkdir(parents=True)
    make(clean_env / name)
    message = one_line_error(run(*args))
    assert message.endswith(f"{name}: {said}")


@pytest.mark.parametrize("args", [["config", "set", "level", "deep"], ["routine", "edit"],
                                  ["config", "unset", "level"], ["routine", "new", "x", "pigeon"]],
                         ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("where", ["PSOAS_HOME=FILE/sub", "HOME=FILE", "XDG_CONFIG_HOME=FILE"])
def test_a_file_where_a_folder_on_the_way_should_be_is_one_line(fast_run, tmp_path,
                                                                monkeypatch, args, where):
    blocker = tmp_path / "a-file"
    blocker.write_text("mine\n")
    name, value = where.split("=")
    monkeypatch.delenv("PSOAS_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv(name, value.replace("FILE", str(blocker)))
    result = fast_run(*args, env={"EDITOR": "true"})
    assert result.exit_code == 1, result.output
    (said,) = result.output.splitlines()
    assert said.startswith("Error: cannot ") and "a file is in the place of a folder" in said
    assert blocker.read_text() == "mine\n"


@pytest.mark.parametrize("args", [["config", "set", "level", "deep"], ["routine", "edit"]],
                         ids=lambda a: " ".join(a[:2]))
def test_a_read_only_folder_is_one_line(fast_run, clean_env, monkeypatch, args):
    """As root (these tests' usual user) no folder is read-only: the refusal is faked."""
    import errno
    import tempfile

    clean_env.mkdir()
    real_open, real_mkstemp = os.open, tempfile.mkstemp

    def read_only(path, *rest, **options):
        if str(path).startswith(str(clean_env)) and (not rest or rest[0] & os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, *rest, **options)

    def no_temporary(*rest, dir=None, **options):
        if dir is not None and str(dir).startswith(str(clean_env)):
            raise OSError(errno.EROFS, "Read-only file system", str(dir))
        return real_mkstemp(*rest, dir=dir, **options)

    monkeypatch.setattr(os, "open", read_only)
    monkeypatch.setattr(tempfile, "mkstemp", no_temporary)
    result = fast_run(*args, env={"EDITOR": "true"})
    assert result.exit_code == 1, result.output
    verb, name = ("write", "config.toml") if args[0] == "config" else ("edit", "routines.yaml")
    assert result.output == (f"Error: cannot {verb} {clean_env / name}: its folder {clean_env} "
                             "can't be written to (Read-only file system)\n")


@pytest.mark.parametrize("given, said", [
    ("240.0000001", "must be more than 0 and at most 240, not 240.0000001"),
    ("240.000000001", "must be more than 0 and at most 240, not 240.000000001"),
])
def test_a_number_just_past_a_bound_is_shown_as_given(run, given, said):
    """It once said 'at most 240, not 240'."""
    result = run("play", "pigeon", "--minutes", given, "--dry-run")
    assert result.exit_code == 2
    assert said in result.output
    result = run("config", "set", "minutes", given)
    assert result.output == f"Error: minutes {said}\n"


def test_a_float_from_a_file_just_past_a_bound_is_told_apart_from_it(run, write_yaml):
    path = write_yaml("version: 1\nroutines:\n  r:\n    minutes: 240.00000000000003\n"
                      "    items: [pigeon]\n", "r.yaml")
    result = run("routine", "--routines", path, "r", "--dry-run")
    assert "not 240.00000000000003" in result.output
