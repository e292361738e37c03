"""Output and arguments that hostile hands can't turn against the user.

The hostile re-test's findings 4, 5, 9, 14, 16, 17, 19, 20 and 21, each with
its reproduction: an export never replaces psoas's own files, nor makes
folders; names never send control sequences to a terminal; a junk COLUMNS
is ignored; psoas's errors wrap at spaces on a terminal; a sync folder that
can't be used is never saved; environment values are clipped in messages.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from psoas_cli.cli.app import App
from psoas_cli.cli.errors import ExitStatus, UserError
from psoas_cli.ui.terminal import columns, env_size, sized_env

ESC = "\x1b]0;PWNED\x07\x1b[2J\x1b[31mred\x9b31m\r\bX"  # title, clear, red, C1 CSI
LINK = "\x1b[5mblink\x1b]8;;http://evil\x1b\\link"  # an OSC 8 link


class Terminal(io.StringIO):
    """stdout as a terminal."""

    def isatty(self) -> bool:
        return True


def export(sessions: list[dict], machines: dict | None = None) -> str:
    return json.dumps({"psoas": "export", "version": 1,
                       "machines": machines or {"m1": {"name": "laptop"}},
                       "sessions": sessions, "breaks": [], "tests": [], "checkins": [],
                       "checkin_lines": [], "program_events": []})


def session(ident: str = "s1", routine: str = "desk", stretch: str = "Lunge") -> dict:
    return {"id": ident, "machine": "m1", "day": "2026-01-05", "started_at": 1767600000,
            "ended_at": 1767600300, "routine": routine, "status": "finished",
            "planned_seconds": 300, "active_seconds": 290, "heartbeat": None,
            "stretches": [{"position": 0, "slug": "lunge", "name": stretch, "status": "done",
                           "held_seconds": 30, "planned_seconds": 30}]}


@pytest.fixture
def imported(run, tmp_path):
    """A history with one plain session and one whose names are hostile."""
    path = tmp_path / "hostile.json"
    path.write_text(export([session(), session("s2", ESC, LINK)],
                           {"m1": {"name": "\x1b]0;TITLE\x07evil\nname"}}), encoding="utf-8")
    result = run("history", "import", str(path))
    assert result.exit_code == 0, result.output
    return path


def error_of(result) -> str:
    assert result.exit_code in (ExitStatus.ERROR, ExitStatus.USAGE), result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, \
        result.output
    return result.output[len("Error: "):-1]


# -- 4: an export never replaces psoas's own files -------------------------------------

@pytest.mark.parametrize("name", ["config.toml", "history.db", "history.db-wal",
                                  "machine.json", "routines.yaml", "programs.yaml",
                                  "config.toml.bak", "history-damaged-2026.db"])
def test_an_export_onto_psoas_own_file_is_refused_and_the_file_kept(run, clean_env, name):
    assert run("config", "set", "level", "gentle").exit_code == 0
    target = clean_env / name
    if not target.exists():
        target.write_text("mine\n", encoding="utf-8")
    before = target.read_bytes()
    result = run("history", "export", "-o", str(target))
    assert error_of(result) == (f"{target} is psoas's own {name}: an export there would "
                                "replace it; choose another name")
    assert target.read_bytes() == before
    assert "gentle" in run("config", "list").output


def test_own_files_are_known_through_links_and_dots(run, clean_env, tmp_path):
    run("config", "set", "level", "gentle")
    link = tmp_path / "innocent.json"
    link.symlink_to(clean_env / "config.toml")
    dotted = f"{clean_env}/../{clean_env.name}/config.toml"
    for target in (str(link), dotted):
        assert "is psoas's own config.toml" in error_of(run("history", "export", "-o", target))
    assert "gentle" in run("config", "list").output


def test_an_export_into_the_sync_folder_as_a_sync_file_is_refused(run, tmp_path):
    folder = tmp_path / "sync"
    assert run("sync", "setup", str(folder)).exit_code == 0
    for name in ("psoas-0123abcd.jsonl", "psoas-0123abcd.sync-conflict-1.jsonl"):
        message = error_of(run("history", "export", "-o", str(folder / name)))
        assert message.endswith("is in the sync folder, where every psoas reads "
                                "psoas-*.jsonl files as its own; choose another place for "
                                "the export")
    assert run("history", "export", "-o", str(folder / "backup.json")).exit_code == 0


def test_an_export_may_still_go_into_the_psoas_folder_under_a_name_of_its_own(run, clean_env):
    run("config", "set", "level", "gentle")
    result = run("history", "export", "-o", str(clean_env / "backup.json"))
    assert result.exit_code == 0, result.output
    assert json.loads((clean_env / "backup.json").read_text())["psoas"] == "export"


# -- 16: odd -o and import targets ------------------------------------------------------

def test_a_link_to_nothing_or_a_missing_folder_is_refused_and_nothing_made(run, tmp_path):
    link = tmp_path / "l"
    link.symlink_to(tmp_path / "nowhere" / "x.json")
    assert error_of(run("history", "export", "-o", str(link))) == (
        f"no folder {tmp_path / 'nowhere'} ({link} leads there): make it first, or choose "
        "another place for the export")
    assert error_of(run("history", "export", "-o", str(tmp_path / "nope" / "x.json"))) == (
        f"no folder {tmp_path / 'nope'}: make it first, or choose another place for the "
        "export")
    assert not (tmp_path / "nowhere").exists() and not (tmp_path / "nope").exists()


def test_dash_is_the_standard_output_and_input(run, tmp_path, monkeypatch):
    (tmp_path / "in.json").write_text(export([session()]), encoding="utf-8")
    run("history", "import", str(tmp_path / "in.json"))
    monkeypatch.chdir(tmp_path)
    printed = run("history", "export", "-o", "-")
    assert printed.exit_code == 0 and json.loads(printed.output)["sessions"][0]["id"] == "s1"
    assert not (tmp_path / "-").exists()
    monkeypatch.setenv("PSOAS_HOME", str(tmp_path / "other"))
    result = run("history", "import", "-", input=printed.output)
    assert result.output == "Imported 1 session from standard input.\n"
    again = run("history", "import", "-", input=printed.output)
    assert again.output == "Nothing new in standard input: its 1 record is already here.\n"


def test_an_empty_output_name_says_so(run):
    result = run("history", "export", "-o", "")
    assert result.exit_code == ExitStatus.USAGE
    assert error_of(result) == "-o needs a file's name, or - to print the export"


# -- 5: control characters never reach a terminal ---------------------------------------

def test_csv_on_a_terminal_shows_control_characters_as_text(run, imported):
    out = Terminal()
    run("history", "export", "-f", "csv", app=App(stdout=out))
    shown = out.getvalue()
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown
    assert r"\x1b]0;PWNED\x07\x1b[2J\x1b[31mred\x9b31m\r\x08X" in shown
    assert r"\x1b]0;TITLE\x07evil\nname" in shown
    assert all(row.endswith("\r") for row in shown.split("\n")[:-1])  # one row a line


def test_csv_to_a_file_or_a_pipe_keeps_the_exact_text(run, imported, tmp_path):
    out = io.StringIO()  # a pipe (CliRunner's own output would take styles out)
    run("history", "export", "-f", "csv", app=App(stdout=out))
    piped = out.getvalue()
    assert ESC in piped and LINK in piped
    run("history", "export", "-o", str(tmp_path / "x.csv"))
    assert ESC in (tmp_path / "x.csv").read_bytes().decode("utf-8-sig")


def test_json_escapes_every_control_character_and_reads_back_exact(run, imported, tmp_path):
    text = run("history", "export").output
    assert not any(c in text for c in "\x1b\x07\x9b\r\b")  # U+009B too
    assert "\\u009b" in text
    data = json.loads(text)
    assert data["sessions"][1]["routine"] == ESC
    assert data["machines"]["m1"]["name"] == "\x1b]0;TITLE\x07evil\nname"


# -- 19: names shown as text ------------------------------------------------------------

def test_a_line_break_in_a_machine_name_stays_on_its_row(run, imported, wide_terminal):
    rows = run("history", "--machine").output.splitlines()
    dated = [r for r in rows if "2026-01-05" in r]
    assert len(dated) == 2
    assert all(r.endswith(r"  finished  \x1b]0;TITLE\x07evil\nname") for r in dated)
    assert not any(row.strip() == "name" for row in rows)
    data = json.loads(run("history", "--json", "--machine").output)
    assert {s["machine"] for s in data["sessions"]} == {"\x1b]0;TITLE\x07evil\nname"}


# -- 21: wording --------------------------------------------------------------------------

def test_one_record_already_here_is_singular(run, tmp_path, wide_terminal):
    path = tmp_path / "one.json"
    path.write_text(export([session()]), encoding="utf-8")
    run("history", "import", str(path))
    assert run("history", "import", str(path)).output == \
        f"Nothing new in {path}: its 1 record is already here.\n"
    both = tmp_path / "both.json"
    both.write_text(export([session(), session("s2")]), encoding="utf-8")
    assert run("history", "import", str(both)).output == \
        f"Imported 1 session from {both}; 1 record was already here.\n"


def test_a_program_run_without_a_name_is_named_in_words(run, clean_env):
    import sqlite3
    assert run("program", "start", "--yes").exit_code == 0
    with sqlite3.connect(clean_env / "history.db") as conn:
        conn.execute("UPDATE program_events SET program = ''")
    message = error_of(run("program", "status"))
    assert message == "a program with no name is running; 'psoas program stop' ends the run"


# -- 9: COLUMNS ---------------------------------------------------------------------------

@pytest.mark.parametrize("value, width", [("abc", None), ("0", None), ("-5", None),
                                          ("99999999999", None), ("9" * 5000, None),
                                          ("", None), ("١٢", None), ("120", 120)])
def test_columns_junk_is_ignored(value, width):
    assert env_size({"COLUMNS": value}, "COLUMNS") == width
    assert columns(io.StringIO(), {"COLUMNS": value}) == (width or 80)
    assert ("COLUMNS" in sized_env({"COLUMNS": value})) == (width is not None)


@pytest.mark.parametrize("value", ["abc", "0", "-5", "99999999999"])
@pytest.mark.parametrize("command", [["list"], [], ["show", "pigeon"], ["history"],
                                     ["where"], ["progress"], ["status"], ["sync", "status"]])
def test_junk_columns_and_lines_end_no_command(run, monkeypatch, value, command):
    monkeypatch.setenv("COLUMNS", value)
    monkeypatch.setenv("LINES", value)
    result = run(*command)
    assert result.exit_code == 0, result.output
    if command == ["show", "pigeon"]:
        assert max(len(row) for row in result.output.splitlines()) <= 80


def test_help_width_ignores_junk_columns(monkeypatch):
    from psoas_cli.cli.main import _help_width
    monkeypatch.setenv("COLUMNS", "abc")
    assert _help_width() == 78


@pytest.mark.slow
@pytest.mark.parametrize("value", ["abc", "0", "99999999999"])
def test_junk_columns_to_a_pipe_is_no_traceback(value, tmp_path):
    env = {**os.environ, "COLUMNS": value, "PSOAS_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "psoas_cli", "list"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr


# -- 14: errors wrap at spaces on a terminal, and speak in words -------------------------

def test_an_error_on_a_terminal_wraps_at_spaces(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    out = Terminal()
    UserError("/tmp/hh_f/wholebig.csv:4: session 's1', field 'stretches 1, position': "
              "must be a whole number from 0 to 1000000, not 9999999").show(out)
    rows = out.getvalue().splitlines()
    assert rows == ["Error: /tmp/hh_f/wholebig.csv:4: session",
                    "  's1', field 'stretches 1, position':",
                    "  must be a whole number from 0 to",
                    "  1000000, not 9999999"]
    piped = io.StringIO()
    UserError("a b " * 30).show(piped)
    assert piped.getvalue().count("\n") == 1  # to a pipe: one line, for scripts


def test_a_number_too_long_is_said_in_words(run, tmp_path):
    path = tmp_path / "verhuge.json"
    path.write_text('{"psoas": "export", "version": ' + "9" * 5000 + "}", encoding="utf-8")
    assert error_of(run("history", "import", str(path))) == (
        f"{path}: not JSON psoas can read: a number with too many digits; nothing was "
        "imported")


def test_sync_status_problems_wrap_at_spaces(run, tmp_path):
    folder = tmp_path / "sync"
    run("sync", "setup", str(folder))
    (folder / f"psoas-{'a' * 64}.jsonl").write_text("not a header\n")
    output = run("sync", "status").output
    problems = output.split("\nProblems\n")[1].splitlines()
    assert len(problems) > 1 and problems[1].startswith("    ")
    assert max(len(row) for row in problems) <= 80, output


# -- 17: a sync folder that can't be used is never saved ---------------------------------

def test_a_sync_folder_with_a_line_break_is_refused_before_anything_is_made(run, tmp_path):
    folder = tmp_path / "x\ny"
    message = error_of(run("sync", "setup", str(folder)))
    assert message == (f"the sync folder {tmp_path}/x\\ny must be a folder's name, without "
                       "control characters")
    assert not folder.exists()
    assert "no syncing" in run("config", "list").output


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_a_folder_psoas_cannot_write_in_is_not_saved(run):
    message = error_of(run("sync", "setup", "/proc"))
    assert message.startswith("cannot write in /proc: ")
    assert message.endswith("; it was not set as the sync folder")
    assert "no syncing" in run("config", "list").output
    assert run("status").exit_code == 0


# -- 20: environment values clipped --------------------------------------------------------

@pytest.mark.parametrize("name", ["PSOAS_SOUND", "PSOAS_LEVEL", "PSOAS_MINUTES", "PSOAS_WAIT",
                                  "PSOAS_CHECKIN"])
@pytest.mark.parametrize("command", [["routine", "warmup", "--dry-run"], ["config", "list"]])
def test_a_huge_environment_value_is_clipped(run, monkeypatch, name, command):
    monkeypatch.setenv(name, "9" * 5000)
    message = error_of(run(*command))
    assert message.startswith(f"{name}={'9' * 37}...: ")
    assert len(message) < 200, message


def test_bytes_that_are_not_utf8_are_shown_as_bytes(run, monkeypatch):
    monkeypatch.setenv("PSOAS_SOUND", "a\udcff\udcfeb")
    assert error_of(run("config", "list")) == \
        r"PSOAS_SOUND=a\xff\xfeb: must be bell, voice, both or none, not 'a\xff\xfeb'"
    assert error_of(run("routine", "warmup", "--dry-run")) == \
        r"PSOAS_SOUND=a\xff\xfeb: 'a\xff\xfeb' is not one of 'bell', 'voice', 'both', 'none'."
