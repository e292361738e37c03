"""psoas status: the state a running psoas remind shares, checked; its formats;
the history when no reminder runs; and how fast it starts."""

from __future__ import annotations

import json
import os
import time

import pytest

from psoas_cli.breaks.statusline import Reading, as_data, i3blocks, line, waybar
from psoas_cli.cli.app import App
from psoas_cli.files import remindstate
from psoas_cli.history.records import BreakRow, new_session
from psoas_cli.history.store import History

NOW = 1_772_442_000.0  # Monday 2 March 2026, 09:00 UTC: 10:00 in Paris


@pytest.fixture(autouse=True)
def paris(tz):
    tz("CET-1CEST,M3.5.0,M10.5.0/3")


def state(**changes) -> dict:
    values = {"pid": os.getpid(), "host": os.uname().nodename, "written_at": NOW,
              "fresh_until": NOW + 150, "state": "waiting", "due_at": NOW + 23 * 60,
              "snoozed": False, "busy": "", "busy_until": None, "since": None,
              "opens_at": None, "every": 2700, "routine": "desk",
              "idle_source": "GNOME (Mutter's IdleMonitor, over D-Bus)", "day": "2026-03-02",
              "streak": 5, "counts": {"offered": 3, "taken": 2, "snoozed": 1, "skipped": 0,
                                      "missed": 0}}
    values.update(changes)
    return values


def reading(**changes) -> Reading:
    shared = state(**changes)
    return Reading(shared, shared["counts"], shared["streak"], NOW)


# -- the words --------------------------------------------------------------------------

@pytest.mark.parametrize("changes, said", [
    ({}, "break in 23m | 2 today | streak 5"),
    ({"due_at": NOW + 30}, "break in <1m | 2 today | streak 5"),
    ({"due_at": NOW + 65 * 60, "snoozed": True}, "snoozed, break in 1h05m | 2 today | streak 5"),
    ({"state": "due", "due_at": NOW - 120}, "break due since 09:58 | 2 today | streak 5"),
    ({"state": "held", "busy": "meeting", "busy_until": NOW + 1800, "due_at": NOW - 60},
     "break waits: meeting until 10:30 | 2 today | streak 5"),
    ({"state": "held", "busy": "dnd"}, "break waits: do not disturb | 2 today | streak 5"),
    ({"state": "away", "since": NOW - 600}, "away since 09:50 | 2 today | streak 5"),
    ({"state": "quiet", "opens_at": NOW + 3600}, "quiet until 11:00 | 2 today | streak 5"),
    ({"state": "break"}, "on a break | 2 today | streak 5"),
    ({"streak": None}, "break in 23m | 2 today"),
])
def test_one_short_line_for_tmux(changes, said):
    assert line(reading(**changes)) == said
    assert line(reading(**changes)).isascii()


def test_no_reminder_still_has_todays_breaks_and_the_streak():
    assert line(Reading(None, {"taken": 1}, 3, NOW)) == "no reminder | 1 today | streak 3"


def test_json_waybar_and_i3blocks():
    data = as_data(reading())
    assert data["running"] and data["state"] == "waiting"
    assert data["next_break_at"] == "2026-03-02T10:23:00+01:00"
    assert data["seconds_left"] == 23 * 60 and data["today"]["taken"] == 2
    assert data["streak"] == 5 and data["text"] == "break in 23m | 2 today | streak 5"
    assert as_data(Reading(None, {}, None, NOW))["running"] is False
    bar = waybar(reading(state="due", due_at=NOW))
    assert (bar["text"], bar["class"]) == ("break due since 10:00", "due")
    assert bar["tooltip"].endswith("every 45 min, the desk routine")
    assert i3blocks(reading(state="due", due_at=NOW))[2].startswith("#")
    assert i3blocks(reading()) == ["break in 23m | 2 today | streak 5", "break in 23m"]


# -- the shared state, checked ------------------------------------------------------------------

def test_the_state_is_written_in_one_step_and_read_back(tmp_path):
    remindstate.write(str(tmp_path), state())
    assert remindstate.read(str(tmp_path)) == {"version": 1, **state()}
    assert remindstate.current(str(tmp_path), NOW + 10) is not None
    assert os.listdir(tmp_path) == ["remind-state.json"]  # no temporary file left
    remindstate.remove(str(tmp_path), os.getpid() + 1)  # another's: kept
    assert os.listdir(tmp_path) == ["remind-state.json"]
    remindstate.remove(str(tmp_path), os.getpid())
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("changes", [
    {"version": 2}, {"pid": True}, {"pid": 2 ** 70}, {"pid": "1"}, {"state": "dancing"},
    {"due_at": float("inf")}, {"due_at": -5}, {"due_at": 1e300}, {"written_at": None},
    {"counts": {"taken": 2}}, {"counts": {k: -1 for k in remindstate.COUNTS}},
    {"streak": 1.5}, {"routine": "x" * 500}, {"routine": "desk\x1b[2J"}, {"day": "today"},
    {"busy": "always"}, {"every": 0},
])
def test_values_psoas_did_not_write_are_never_believed(tmp_path, changes):
    (tmp_path / "remind-state.json").write_text(json.dumps({"version": 1, **state(**changes)}))
    assert remindstate.read(str(tmp_path)) is None


@pytest.mark.parametrize("text", ["", "[" * 100_000, "{", "null", "[1, 2]", "\xff\xfe"])
def test_garbage_is_no_state(tmp_path, text):
    (tmp_path / "remind-state.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    assert remindstate.read(str(tmp_path)) is None


def test_a_fifo_a_folder_or_a_huge_file_is_no_state(tmp_path):
    path = tmp_path / "remind-state.json"
    os.mkfifo(path)
    assert remindstate.read(str(tmp_path)) is None  # never blocks
    path.unlink()
    path.mkdir()
    assert remindstate.read(str(tmp_path)) is None
    path.rmdir()
    path.write_text(" " * (remindstate.MOST_BYTES + 1))
    assert remindstate.read(str(tmp_path)) is None


def test_a_reminder_gone_stale_or_elsewhere_is_not_running(tmp_path):
    folder = str(tmp_path)
    remindstate.write(folder, state(pid=2 ** 31 - 2))  # no such process
    assert remindstate.current(folder, NOW) is None
    remindstate.write(folder, state(host="another-machine"))
    assert remindstate.current(folder, NOW) is None
    remindstate.write(folder, state())
    assert remindstate.current(folder, NOW + 151) is None  # killed without a word
    assert remindstate.current(folder, NOW - 3600) is None  # from the future


# -- psoas status --------------------------------------------------------------------------------

@pytest.fixture
def status(run, clean_env):
    def invoke(*args, now=NOW):
        return run("status", *args, app=App(now=lambda: now))
    return invoke


def test_status_reads_a_running_reminder(status, clean_env):
    clean_env.mkdir()
    remindstate.write(str(clean_env), state())
    assert status().output == "break in 23m | 2 today | streak 5\n"
    assert json.loads(status("--format", "waybar").output)["class"] == "waiting"
    assert status("--format", "i3blocks").output.splitlines()[1] == "break in 23m"
    assert json.loads(status("--format", "json").output)["routine"] == "desk"


def test_without_a_reminder_it_reads_the_history_and_keeps_what_it_read(status, clean_env):
    assert status().output == "no reminder | 0 today\n"  # no history at all
    with History(clean_env) as history:
        for day in (26, 27):  # Thursday and Friday: the weekend is forgiven
            history.save(new_session("desk", time.mktime((2026, 2, day, 12, 0, 0, 0, 0, -1)),
                                     status="finished", active_seconds=60))
        history.add_break(BreakRow(NOW - 600, "taken", "desk", NOW - 900, None))
    assert status().output == "no reminder | 1 today | streak 2\n"
    kept = clean_env / "cache" / "status-glance.json"
    assert json.loads(kept.read_text())["streak"] == 2
    assert status().output == "no reminder | 1 today | streak 2\n"  # from what was kept
    with History(clean_env) as history:
        history.add_break(BreakRow(NOW - 60, "taken", "desk", NOW - 300, None))
    assert status().output == "no reminder | 2 today | streak 2\n"  # the history changed


def test_a_reminder_of_yesterday_leaves_todays_counts_to_the_history(status, clean_env):
    clean_env.mkdir()
    remindstate.write(str(clean_env), state(day="2026-03-01"))
    assert status().output == "break in 23m | 0 today\n"


@pytest.mark.slow  # a fresh Python
def test_status_loads_neither_rich_nor_yaml_nor_sqlite_with_a_reminder_running(clean_env):
    from .fakes import fresh_run

    clean_env.mkdir()
    remindstate.write(str(clean_env), {**state(), "written_at": time.time(),
                                       "fresh_until": time.time() + 150,
                                       "day": time.strftime("%Y-%m-%d")})
    modules, output = fresh_run(["status"])
    assert output.startswith("break in ")
    assert not {"rich", "yaml", "sqlite3", "psoas_cli.history.store"} & modules
