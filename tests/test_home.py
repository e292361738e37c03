"""``psoas`` alone: a home page on stdout, exit 0, instead of a usage error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from psoas_cli.cli.app import App
from psoas_cli.history.records import new_session
from psoas_cli.history.store import History

ANSI = re.compile(r"\x1b\[")

ROUTINES_80 = """\
Routine     Time  What it is for
────────────────────────────────────────────────────────────────────
warmup      7:03  Before sport; floor to standing, then easy cardio.
cooldown    9:23  After exercise; long holds, standing to the floor.
after-run   5:48  For runners, after a run; hips and thighs.
morning     6:36  For the morning; from lying down up to standing.
desk        2:47  For a desk break; stand, a hand on the desk.
gentle      8:01  For beginners; from a chair down to the floor.
full       25:26  For the experienced; all 11, camel and roller too.
"""

FIRST_TIME_80 = f"""\
psoas: guided stretches for the psoas and hip flexors.

{ROUTINES_80}
Try
  psoas routine warmup  play warmup (space pauses, q stops)
  psoas show pigeon     how to do one stretch
  psoas --help          every command and option
"""


@pytest.fixture
def now(monkeypatch):
    """Wednesday 4 June 2025, 19:00 UTC."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield time.mktime((2025, 6, 4, 19, 0, 0, 0, 0, -1))
    monkeypatch.undo()
    time.tzset()


def played(home, *sessions: tuple[tuple[int, ...], str, str, float]) -> None:
    with History(home) as store:
        for day, routine, status, minutes in sessions:
            started = time.mktime((*day, 8, 0, 0, 0, 0, -1))
            store.save(new_session(routine, started, status=status, planned_seconds=minutes * 60,
                               active_seconds=minutes * 60, ended_at=started + minutes * 60))


def test_first_time_shows_the_routines_and_what_to_try(run):
    result = run()
    assert result.exit_code == 0
    assert result.output == FIRST_TIME_80


def test_a_streak_and_the_last_session_and_the_last_routine_to_play_again(run, clean_env, now):
    played(clean_env, ((2025, 6, 2), "warmup", "finished", 6),
           ((2025, 6, 3), "desk", "finished", 3), ((2025, 6, 3), "cooldown", "stopped", 4.4))
    result = run(app=App(now=lambda: now))
    assert result.exit_code == 0
    assert result.output == f"""\
psoas: guided stretches for the psoas and hip flexors.

Streak  2 days; stretch today to keep it
Last    yesterday: cooldown, 4 min, stopped

{ROUTINES_80}
Try
  psoas routine cooldown  play cooldown again (space pauses, q stops)
  psoas program start     six weeks for tight hips, planned for you
  psoas --help            every command and option
"""


def test_a_routine_that_is_gone_is_not_suggested(run, clean_env, now):
    played(clean_env, ((2025, 6, 4), "play pigeon", "finished", 2))
    out = run(app=App(now=lambda: now)).output
    assert "Streak  1 day\nLast    today: play pigeon, 2 min, finished\n" in out
    assert "  psoas routine warmup  play warmup (space pauses, q stops)\n" in out


def test_no_streak_yet_and_a_session_cut_short_read_as_words_not_zeros(run, clean_env, now):
    with History(clean_env) as store:  # killed before its first stretch was reported
        store.save(new_session("desk", time.mktime((2025, 6, 4, 8, 0, 0, 0, 0, -1)),
                               planned_seconds=148, pid=2 ** 31 - 2, host="elsewhere"))
    out = run(app=App(now=lambda: now)).output
    assert "Streak  none yet\nLast    today: desk, <1 min, interrupted\n" in out


def test_fits_a_narrow_terminal(run):
    out = run(env={"COLUMNS": "40"}).output
    assert max(len(line) for line in out.splitlines()) <= 40
    assert "warmup" in out and "psoas --help" in out


@pytest.mark.slow  # a fresh Python each
@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_in_a_pipe_plain_text_on_stdout_and_exit_0(tmp_path, encoding):
    env = {**os.environ, "PSOAS_HOME": str(tmp_path), "TERM": "xterm-256color",
           "PYTHONIOENCODING": encoding}
    env.pop("NO_COLOR", None)
    done = subprocess.run([sys.executable, "-m", "psoas_cli"], capture_output=True, env=env)
    assert done.returncode == 0 and done.stderr == b""
    out = done.stdout.decode(encoding)
    assert not ANSI.search(out)
    assert out.splitlines()[0] == "psoas: guided stretches for the psoas and hip flexors."
    rule = out.splitlines()[3]
    assert rule == ("─" if encoding == "utf-8" else "-") * 68


@pytest.mark.parametrize("setting, said", [
    ({"config": 'level = "hard"\n'},
     "config.toml:1: key 'level': must be gentle, standard or deep, not 'hard'; "
     "routine lengths shown without your settings"),
    ({"env": {"PSOAS_LEVEL": "hard"}},
     "PSOAS_LEVEL=hard: must be gentle, standard or deep, not 'hard'; "
     "routine lengths shown without your settings"),
])
def test_a_mistake_in_the_settings_costs_a_warning_not_the_page(run, clean_env, setting, said,
                                                                wide_terminal):
    if "config" in setting:
        clean_env.mkdir(parents=True, exist_ok=True)
        (clean_env / "config.toml").write_text(setting["config"])
    result = run(env=setting.get("env"))
    assert result.exit_code == 0
    assert result.stdout == FIRST_TIME_80
    assert result.stderr.strip().startswith("psoas: ") and result.stderr.strip().endswith(said)
