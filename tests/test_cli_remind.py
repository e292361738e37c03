"""``psoas remind`` through Click, on a fake clock and keyboard: breaks come due,
Enter plays the routine and comes back, s snoozes, x skips, q and signals end it;
the history rows; notifications through a fake notify-send on PATH."""

from __future__ import annotations

import json
import sqlite3
import sys
import textwrap
import time
from contextlib import nullcontext

import pytest

from psoas_cli.cli.app import App
from psoas_cli.cli.errors import ExitStatus
from psoas_cli.history.records import StretchRecord, new_session
from psoas_cli.history.store import History

from .fakes import FakeClock
from .test_pty import QUICK

MINUTE = 60


@pytest.fixture
def clock(tz):
    """Monday 2 March 2026, 10:00 in Paris."""
    tz("CET-1CEST,M3.5.0,M10.5.0/3")
    return FakeClock(start=time.mktime((2026, 3, 2, 10, 0, 0, 0, 0, -1)))


@pytest.fixture
def bin_dir(tmp_path):
    """An empty folder to be the whole PATH: no notify-send unless a test puts one."""
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


@pytest.fixture
def remind(run, clock, bin_dir, write_yaml):
    """psoas remind --routine quick, in-process, with ``keys`` as (seconds, key) pairs;
    every get-ready is the routine's 1 s (PSOAS_SETUP), not as long as its words."""
    routines = write_yaml(QUICK, "quick.yaml")

    def invoke(*args, keys=(), app=None, env=None):
        clock.keys = sorted((clock.start + at, key) for at, key in keys)
        app = app or App(now=clock.now, monotonic=clock.now, keyboard=clock.keyboard)
        return run("remind", "--routine", "quick", "--routines", routines, *args,
                   env={"PATH": str(bin_dir), "PSOAS_SETUP": "1", **(env or {})}, app=app)

    return invoke


def rows(home) -> list[tuple]:
    conn = sqlite3.connect(home / "history.db")
    try:
        return conn.execute("SELECT kind, routine, time(at, 'unixepoch', 'localtime'),"
                            " time(due_at, 'unixepoch', 'localtime'), session_id"
                            " FROM breaks ORDER BY id").fetchall()
    finally:
        conn.close()


def test_a_break_comes_due_enter_plays_it_and_the_reminder_resumes(remind, clock, clean_env):
    result = remind("--every", "45m", keys=[(45 * MINUTE + 10, "enter"),
                                             (50 * MINUTE, "quit")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "10:00  Reminders every 45 min: the quick routine (0:02).",
        "10:00  Next break at 10:45, in 45 min.",
        "10:45  Time for a break: the quick routine.",
        "10:45  Break started: the quick routine.",
    ]
    assert lines[4] == "psoas: quick, 1 stretch, 0:02"  # the routine, as psoas routine plays it
    end = lines.index("   0:02  finished")
    assert lines[end + 1:] == [
        "10:45  Break taken: the quick routine, 0:02; next at 11:30.",
        "10:50  Reminders stopped. Today: 1 taken, 0 snoozed, 0 skipped.",
    ]
    (offered, taken) = rows(clean_env)
    assert offered == ("offered", "quick", "10:45:00", "10:45:00", None)
    (session,) = History(clean_env).sessions()
    assert taken == ("taken", "quick", "10:45:12", "10:45:00", session.id)
    assert (session.routine, session.status) == ("quick", "finished")


def test_snooze_asks_again_and_skip_lets_the_break_go(remind, clock, clean_env):
    result = remind("--every", "30m", "--snooze", "10m",
                    keys=[(31 * MINUTE, "snooze"), (42 * MINUTE, "skip"), (43 * MINUTE, "quit")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == [
        "10:30  Time for a break: the quick routine.",
        "10:31  Break snoozed for 10 min, until 10:41.",
        "10:41  Time for a break (after a snooze): the quick routine.",
        "10:42  Break skipped; next at 11:12.",
        "10:43  Reminders stopped. Today: 0 taken, 1 snoozed, 1 skipped.",
    ]
    assert [(kind, at, due) for kind, _, at, due, _ in rows(clean_env)] == [
        ("offered", "10:30:00", "10:30:00"), ("snoozed", "10:31:00", "10:30:00"),
        ("skipped", "10:42:00", "10:30:00")]


def test_snooze_and_skip_do_nothing_before_a_break_is_due(remind, clock, clean_env):
    result = remind("--every", "30m", keys=[(60, "snooze"), (120, "skip"), (180, "quit")])
    assert result.stdout.splitlines()[2:] == [
        "10:03  Reminders stopped. Today: 0 taken, 0 snoozed, 0 skipped."]


def test_enter_before_a_break_is_due_takes_one_early(remind, clock, clean_env):
    result = remind("--every", "45m", keys=[(10 * MINUTE, "enter"), (11 * MINUTE, "quit")])
    assert "10:10  Break taken: the quick routine, 0:02; next at 10:55." in result.stdout
    assert [(kind, due) for kind, _, _, due, _ in rows(clean_env)] == [("taken", None)]


def test_an_unanswered_break_waits_and_nudges_once(remind, clock, clean_env):
    result = remind("--every", "45m", keys=[(3 * 60 * MINUTE, "quit")])
    assert result.stdout.splitlines()[2:] == [
        "10:45  Time for a break: the quick routine.",
        "11:00  Still time for a break (due since 10:45).",
        "13:00  Reminders stopped. Today: 0 taken, 0 snoozed, 0 skipped.",
    ]
    assert max(clock.waits) <= 60  # it looks at the clock at least once a minute


@pytest.mark.parametrize("key, code", [("quit", ExitStatus.OK),
                                       ("interrupt", ExitStatus.INTERRUPTED),
                                       ("terminate", ExitStatus.TERMINATED),
                                       ("hangup", ExitStatus.HANGUP)])
def test_keys_and_signals_end_it_with_the_players_exit_codes(remind, key, code):
    result = remind(keys=[(60, key)])
    assert result.exit_code == code
    if key == "hangup":  # no one is left to read a goodbye
        assert "Reminders stopped" not in result.stdout
    else:
        assert result.stdout.splitlines()[-1].endswith("Reminders stopped. Today: 0 taken, "
                                                       "0 snoozed, 0 skipped.")


def test_q_in_the_routine_ends_the_routine_and_the_reminder_goes_on(remind, clock, clean_env):
    result = remind("--every", "45m", keys=[(45 * MINUTE + 5, "enter"),
                                             (45 * MINUTE + 5.5, "quit"), (46 * MINUTE, "quit")])
    assert result.exit_code == 0
    assert "Break taken" not in result.stdout
    # Stopped while getting ready: nothing was done, so the break counts as skipped.
    assert "10:45  Break skipped; next at 11:30." in result.stdout
    assert result.stdout.splitlines()[-1] == ("10:46  Reminders stopped. Today: 0 taken, "
                                             "0 snoozed, 1 skipped.")


def test_ctrl_c_in_the_routine_ends_psoas_remind_with_130(remind, clock, clean_env):
    result = remind("--every", "45m", keys=[(45 * MINUTE + 5, "enter"),
                                             (45 * MINUTE + 6.5, "interrupt")])
    assert result.exit_code == ExitStatus.INTERRUPTED
    # Stopped in the routine's one stretch, half of its hold held: no stretch was
    # done, so the break was not taken.
    assert [kind for kind, *_ in rows(clean_env)] == ["offered", "skipped"]


def test_todays_counts_start_from_the_history(remind, clock, clean_env):
    remind("--every", "45m", keys=[(45 * MINUTE + 5, "enter"), (46 * MINUTE, "quit")])
    clock.t += 60 * MINUTE
    result = remind("--every", "45m", keys=[(107 * MINUTE, "quit")])
    assert result.stdout.splitlines()[-1] == ("11:47  Reminders stopped. Today: 1 taken, "
                                             "0 snoozed, 0 skipped.")


def test_a_routine_played_before_the_reminder_started_counts_today(remind, run, clock,
                                                                  clean_env):
    with History(clean_env) as history:
        history.save(new_session("desk", clock.start - 30 * MINUTE, status="finished",
                                 ended_at=clock.start - 27 * MINUTE, active_seconds=150))
    result = remind("--every", "45m", keys=[(MINUTE, "quit")])
    assert result.stdout.splitlines()[-1] == ("10:01  Reminders stopped. Today: 1 taken, "
                                             "0 snoozed, 0 skipped.")
    status = run("status", app=App(now=clock.now))  # and as psoas status counts it
    assert status.output == "no reminder | 1 today | streak 1\n"


def test_a_routine_played_elsewhere_counts_as_the_break(remind, clock, clean_env):
    """No keyboard (a service): the user plays the routine in another terminal."""
    played = new_session("desk", clock.start + 46 * MINUTE, status="finished",
                     ended_at=clock.start + 49 * MINUTE, active_seconds=150,
                     stretches=(StretchRecord(0, "seated", "Seated psoas stretch", "done",
                                              30, 30),))

    class Elsewhere(FakeClock):
        def wait(self, timeout):
            key = clock.wait(timeout)
            if clock.t >= played.ended_at and not History(clean_env).sessions():
                History(clean_env).save(played)
            return key

    keyboard = Elsewhere()
    app = App(now=clock.now, monotonic=clock.now, keyboard=lambda **hooks: nullcontext(keyboard))
    result = remind("--every", "45m", keys=[(52 * MINUTE, "quit")], app=app)
    assert result.stdout.splitlines()[2:] == [
        "10:45  Time for a break: the quick routine.",
        "10:49  Break taken: the desk routine, 3:00; next at 11:34.",
        "10:52  Reminders stopped. Today: 1 taken, 0 snoozed, 0 skipped.",
    ]
    (session,) = History(clean_env).sessions()
    assert [row[:2] + row[4:] for row in rows(clean_env)] == [
        ("offered", "quick", None), ("taken", "desk", session.id)]


def test_two_reminders_on_one_folder_count_a_session_played_elsewhere_once(remind, clock,
                                                                            clean_env):
    played = new_session("desk", clock.start + 46 * MINUTE, status="finished",
                         ended_at=clock.start + 49 * MINUTE, active_seconds=150,
                         stretches=(StretchRecord(0, "seated", "Seated psoas stretch", "done",
                                                  30, 30),))
    History(clean_env).save(played)
    for _ in range(2):  # a second reminder watching the same folder over the same time
        clock.t = clock.start
        app = App(now=clock.now, monotonic=clock.now, keyboard=clock.keyboard)
        result = remind("--every", "45m", keys=[(52 * MINUTE, "quit")], app=app)
        assert "Break taken: the desk routine" in result.stdout
    (session,) = History(clean_env).sessions()
    taken = [row for row in rows(clean_env) if row[0] == "taken"]
    assert taken == [("taken", "desk", "10:49:00", None, session.id)]
    assert History(clean_env).break_counts(session.day, session.day).taken == 1


def test_nothing_is_recorded_with_no_history(remind, clock, clean_env):
    result = remind("--no-history", keys=[(45 * MINUTE + 5, "enter"), (46 * MINUTE, "quit")])
    assert "Break taken" in result.stdout
    assert not (clean_env / "history.db").exists()


def test_history_counts_the_breaks_today_and_this_week(remind, run, clock, clean_env):
    remind("--every", "45m", keys=[(45 * MINUTE + 5, "enter"), (46 * MINUTE, "quit")])
    clock.t += 24 * 60 * MINUTE  # Tuesday
    start = clock.t - clock.start
    remind("--every", "30m", keys=[(start + 31 * MINUTE, "snooze"), (start + 37 * MINUTE, "skip"),
                                   (start + 38 * MINUTE, "enter"), (start + 40 * MINUTE, "quit")])
    app = App(now=clock.now)
    output = run("history", app=app).output
    assert "Breaks     1 taken today, 2 this week (2 reminders, 1 snoozed, 1 skipped)" in output
    data = json.loads(run("history", "--json", app=app).output)
    assert data["breaks"] == {
        "today": {"offered": 1, "taken": 1, "snoozed": 1, "skipped": 1, "missed": 0},
        "week": {"offered": 2, "taken": 2, "snoozed": 1, "skipped": 1, "missed": 0}}


# -- notifications ---------------------------------------------------------------------

def fake_notify_send(folder):
    log = folder / "notify-send.log"
    script = folder / "notify-send"
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import json, sys
        with open({str(log)!r}, "a") as out:
            out.write(json.dumps(sys.argv[1:]) + "\\n")
        """))
    script.chmod(0o755)
    return log


def test_each_break_shows_a_desktop_notification(remind, bin_dir):
    log = fake_notify_send(bin_dir)
    result = remind("--every", "45m", keys=[(61 * MINUTE, "quit")])
    assert result.exit_code == 0
    body = "Time for a break: the quick routine (0:02). Start it with 'psoas routine quick'."
    nudge = "Still time for a break (due since 10:45). Start it with 'psoas routine quick'."
    # Both notifications run as background processes within the same instant of
    # the fake clock, so they may finish (and log) in either order.
    assert sorted(json.loads(line) for line in log.read_text().splitlines()) == sorted([
        ["--app-name=psoas", "--", "psoas", body],
        ["--app-name=psoas", "--", "psoas", nudge]])
    assert "\a" not in result.output and "\x1b" not in result.output  # not a terminal
    assert "no desktop notifications" not in result.output


def test_without_a_notification_command_a_note_is_given_once(remind):
    result = remind("--every", "30m", keys=[(2 * 60 * MINUTE, "quit")])
    assert result.stderr.count("psoas: no desktop notifications: neither notify-send nor "
                               "osascript is installed") == 1
    assert result.stdout.count("Time for a break") == 1


# -- options ---------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--every", "soon"], "Invalid value for '--every': 'soon' is not a duration"),
    (["--every", "25h"], "Invalid value for '--every': '25h' is too long; at most 24h"),
    (["--snooze", "3h"], "Invalid value for '--snooze': '3h' is too long; at most 2h"),
    (["--between", "9-25"], "Invalid value for '--between': '9-25': 25:00 is not a time of day"),
    (["--every", "2h", "--between", "9-10"],
     "Invalid value for '--between': the hours 09:00-10:00 are no longer than the interval 2h"),
])
def test_bad_options_are_usage_errors(remind, args, message):
    result = remind(*args)
    assert result.exit_code == ExitStatus.USAGE
    assert message in result.output


def test_a_mistyped_routine_is_caught_at_the_start(run):
    result = run("remind", "--routine", "dsek")
    assert result.exit_code == ExitStatus.USAGE
    assert result.output.startswith("Error: no routine called 'dsek'; did you mean desk?")


def test_a_bare_number_is_minutes(remind):
    result = remind("--every", "25", keys=[(60, "quit")])
    assert "Reminders every 25 min" in result.stdout


def test_outside_the_hours_it_stays_quiet_until_their_start(remind, clock):
    clock.t = clock.start = clock.start + 10 * 60 * MINUTE  # 20:00
    result = remind("--every", "45m", "--between", "09:00-18:00",
                    keys=[(13 * 60 * MINUTE + 50 * MINUTE, "quit")])  # 09:50 the next day
    assert result.stdout.splitlines() == [
        "20:00  Reminders every 45 min, 09:00-18:00: the quick routine (0:02).",
        "20:00  Quiet until 09:00, first break at 09:45 tomorrow.",
        "09:45  Time for a break: the quick routine.",
        "09:50  Reminders stopped. Today: 0 taken, 0 snoozed, 0 skipped.",
    ]


def test_after_a_laptop_sleep_as_long_as_the_interval_it_does_not_ring(remind, clock):
    class Sleepy(FakeClock):
        """The lid closes at 10:30 and opens at 12:30."""

        def wait(self, timeout):
            key = clock.wait(timeout)
            if clock.t >= clock.start + 30 * MINUTE and not self.keys:
                self.keys = ["slept"]
                clock.t += 2 * 60 * MINUTE
            return key

    app = App(now=clock.now, monotonic=clock.now,
              keyboard=lambda **hooks: nullcontext(Sleepy()))
    result = remind("--every", "45m", keys=[(3 * 60 * MINUTE, "quit")], app=app)
    assert result.stdout.splitlines()[2:] == [
        "12:30  Back after 2:01:00 away; next break at 13:15.",  # since it last looked
        "13:00  Reminders stopped. Today: 0 taken, 0 snoozed, 0 skipped.",
    ]


def test_history_with_reminders_but_no_sessions_yet(remind, run, clock):
    remind("--every", "45m", keys=[(50 * MINUTE, "quit")])
    output = run("history", app=App(now=clock.now)).output
    assert output == ("No sessions yet. Start one with 'psoas routine warmup'.\n"
                      "Breaks: 0 taken today, 0 this week (1 reminder)\n")
