"""psoas remind and what it senses, through Click on a fake clock: time away
restarts the interval, a meeting or do-not-disturb holds the break, hooks
hear each break, the state is shared for psoas status, and a notifier that
fails is told at the first break."""
# ruff: noqa: F811 - the fixtures of test_cli_remind are imported, and named as arguments

from __future__ import annotations

import json
import sys
import textwrap
import time

import pytest

from psoas_cli.breaks.counts import DUE_EVENT, Event
from psoas_cli.breaks.schedule import Schedule
from psoas_cli.cli.app import App
from psoas_cli.files import remindstate
from psoas_cli.history.records import Counts
from psoas_cli.play.events import Outcome, Summary
from psoas_cli.ui.remind import hooks as hook_module
from psoas_cli.ui.remind.children import Done
from psoas_cli.ui.remind.hooks import Hooks
from psoas_cli.ui.remind.loop import SOON, PlainScreen, Reminder
from psoas_cli.ui.remind.notify import Notifier

from .fakes import FakeClock, FakeSenses, deadline
from .test_cli_remind import MINUTE, bin_dir, clock, fake_notify_send, remind  # noqa: F401


def at(clock, minutes: float) -> float:
    return clock.start + minutes * MINUTE


def sensing(clock, **functions) -> tuple[App, FakeSenses]:
    senses = FakeSenses(clock, **functions)
    return App(now=clock.now, monotonic=clock.now, keyboard=clock.keyboard,
               senses=senses.make), senses


def test_an_idle_span_of_five_minutes_or_more_restarts_the_interval(remind, clock):
    def idle(t):  # no input from 10:30 to 10:50
        return t - at(clock, 30) if at(clock, 30) <= t < at(clock, 50) else 0.0

    app, senses = sensing(clock, idle=idle)
    result = remind("--every", "45m", keys=[(100 * MINUTE, "quit")], app=app)
    assert result.stdout.splitlines()[2:] == [
        "10:35  Away: no input for 5 min; the count starts again when you are back.",
        "10:50  Back after 20 min away; next break at 11:35.",
        "11:35  Time for a break: the quick routine.",
        "11:40  Reminders stopped. Today: 0 taken, 0 snoozed, 0 skipped.",
    ]
    assert senses.thresholds == [300.0] and senses.stopped


def test_a_shorter_idle_span_or_idle_off_changes_nothing(remind, clock):
    def idle(t):
        return min(t - at(clock, 30), 4 * MINUTE + 59) if t >= at(clock, 30) else 0.0

    app, _ = sensing(clock, idle=idle)
    result = remind("--every", "45m", keys=[(46 * MINUTE, "quit")], app=app)
    assert "10:45  Time for a break: the quick routine." in result.stdout
    clock.t = clock.start
    app, senses = sensing(clock, idle=lambda t: 3600.0)
    result = remind("--every", "45m", "--idle", "0", keys=[(46 * MINUTE, "quit")], app=app)
    assert "10:45  Time for a break" in result.stdout and senses.thresholds == [None]


def test_the_idle_time_can_come_from_the_settings(remind, clock, clean_env):
    clean_env.mkdir()
    (clean_env / "config.toml").write_text("idle = 10\n")
    app, senses = sensing(clock)
    remind(keys=[(60, "quit")], app=app)
    assert senses.thresholds == [600.0]


CALENDAR = textwrap.dedent("""\
    BEGIN:VCALENDAR
    VERSION:2.0
    BEGIN:VEVENT
    UID:standup
    DTSTART;TZID=Europe/Paris:20260223T103000
    DTEND;TZID=Europe/Paris:20260223T111500
    RRULE:FREQ=WEEKLY;BYDAY=MO
    END:VEVENT
    END:VCALENDAR
    """)


def test_a_break_inside_a_calendar_event_waits_until_it_ends(remind, clock, tmp_path, bin_dir):
    log = fake_notify_send(bin_dir)
    (tmp_path / "cal").mkdir()
    (tmp_path / "cal" / "work.ics").write_text(CALENDAR)
    app, _ = sensing(clock)
    result = remind("--every", "45m", "--calendar", str(tmp_path / "cal"),
                    keys=[(80 * MINUTE, "quit")], app=app)
    assert result.stdout.splitlines()[2:] == [
        "10:45  Break waiting: in a meeting until 11:15; offered when it ends.",
        "11:15  Time for a break: the quick routine.",
        "11:20  Reminders stopped. Today: 0 taken, 0 snoozed, 0 skipped.",
    ]
    assert len(log.read_text().splitlines()) == 1


def test_with_do_not_disturb_on_no_notification_is_sent(remind, clock, bin_dir):
    log = fake_notify_send(bin_dir)
    app, _ = sensing(clock, dnd=lambda t: t < at(clock, 60))
    result = remind("--every", "45m", keys=[(62 * MINUTE, "quit")], app=app)
    assert result.stdout.splitlines()[2:] == [
        "10:45  Break waiting: do not disturb is on; offered when it ends.",
        "11:00  Time for a break: the quick routine.",
        "11:02  Reminders stopped. Today: 0 taken, 0 snoozed, 0 skipped.",
    ]
    assert len(log.read_text().splitlines()) == 1  # at 11:00 only
    app, _ = sensing(clock, dnd=lambda t: True)
    log.write_text("")
    result = remind("--every", "45m", keys=[(62 * MINUTE, "quit")], app=app)
    assert log.read_text() == "" and "Time for a break" not in result.stdout


def test_a_missing_calendar_is_a_usage_error(remind, tmp_path):
    result = remind("--calendar", str(tmp_path / "nothing.ics"))
    assert result.exit_code == 2
    assert "Invalid value for '--calendar':" in result.output and "no such file" in result.output


# -- the notifier's failure, at once -----------------------------------------------------------

class SlowFailingDesktop:
    """A notification command that runs for a while (in the reminder's own
    time), then fails."""

    command = ("notify-send", "/usr/bin/notify-send")

    def __init__(self, clock, tell, seconds: float) -> None:
        self.clock, self.tell, self.seconds = clock, tell, seconds
        self.started: float | None = None
        self.told: list[tuple[float, str]] = []

    def show(self, title, body):
        self.started = self.clock.t
        return True

    def running(self) -> bool:
        return self.started is not None and self.clock.t < self.started + self.seconds

    def check(self) -> bool:
        if self.started is not None and not self.running() and not self.told:
            self.told.append((self.clock.t, "desktop notifications failed"))
            self.tell("desktop notifications failed: notify-send: no bus")
        return True

    def wait(self, timeout=None):
        if self.running():
            self.clock.t = self.started + self.seconds


def reminder(clock, desktop_seconds: float, told: list[str]) -> tuple[Reminder, object]:
    screen = PlainScreen(open("/dev/null", "w"), routine="desk", warn=told.append)
    notifier = Notifier(screen.stream, env={}, bell=False)
    desktop = SlowFailingDesktop(clock, screen.tell, desktop_seconds)
    notifier.desktop = desktop  # type: ignore[assignment]

    class Log:
        def __getattr__(self, name):
            return {"today": lambda now: Counts(), "streak": lambda: None,
                    "played_since": lambda after: []}.get(name, lambda *a, **k: None)

    return Reminder(Schedule(45 * MINUTE), routine="desk", length=60, now=clock.now,
                    keyboard=clock.keyboard, screen=screen, log=Log(), notifier=notifier,
                    play_break=lambda: (Summary(Outcome.FINISHED, 1, 1, 60, 60), None),
                    interactive=True), desktop


def test_a_failing_notifier_is_told_at_the_first_break_not_a_minute_later():
    clock = FakeClock([(50 * MINUTE, "quit")])
    told: list[str] = []
    run, desktop = reminder(clock, 0.5, told)
    run.run()
    assert told == ["desktop notifications failed: notify-send: no bus"]
    when, _ = desktop.told[0]
    assert when - (clock.start + 45 * MINUTE) <= 1.0  # within a second of the break
    assert SOON in clock.waits


def test_a_failing_notifier_is_told_when_the_user_quits_before_it_is_known():
    clock = FakeClock([(45 * MINUTE + 0.1, "quit")])
    told: list[str] = []
    run, _ = reminder(clock, 30.0, told)
    run.run()
    assert told == ["desktop notifications failed: notify-send: no bus"]


@pytest.mark.slow
def test_a_real_notify_send_that_fails_is_reported_at_the_first_break(remind, bin_dir,
                                                                      wide_terminal):
    script = bin_dir / "notify-send"
    script.write_text("#!/bin/sh\necho 'Cannot autolaunch D-Bus without X11 $DISPLAY' >&2\n"
                      "exit 1\n")
    script.chmod(0o755)
    with deadline(30):
        result = remind("--every", "45m", keys=[(45 * MINUTE + 20, "quit")])
    assert result.stderr == ("psoas: desktop notifications failed: notify-send: Cannot autolaunch "
                             "D-Bus without X11 $DISPLAY\n")


# -- hooks -----------------------------------------------------------------------------------

def test_hooks_hear_each_break_and_its_answer_in_their_environment(remind, clock, tmp_path):
    log = tmp_path / "hooks.jsonl"
    hook = tmp_path / "hook.py"
    hook.write_text("import json, os, sys\n"
                    f"open({str(log)!r}, 'a').write(json.dumps([sys.argv[1:], "
                    "{k: v for k, v in os.environ.items() if k.startswith('PSOAS_B') or "
                    "k in ('PSOAS_HOOK', 'PSOAS_OUTCOME')}]) + '\\n')\n")
    command = f"{sys.executable} {hook} 'one arg'"
    app, _ = sensing(clock)
    result = remind("--every", "45m", "--on-break", command, "--on-done", command + " done",
                    keys=[(46 * MINUTE, "snooze"), (52 * MINUTE, "enter"), (53 * MINUTE, "quit")],
                    app=app)
    assert result.exit_code == 0, result.output
    with deadline(20):
        while len(log.read_text().splitlines() if log.exists() else []) < 4:
            time.sleep(0.05)
    heard = [json.loads(line) for line in log.read_text().splitlines()]  # in any order
    assert sorted((argv, env["PSOAS_HOOK"], env["PSOAS_OUTCOME"]) for argv, env in heard) == [
        (["one arg"], "break", "again"), (["one arg"], "break", "due"),
        (["one arg", "done"], "done", "snoozed"), (["one arg", "done"], "done", "taken")]
    taken = [env for _, env in heard if env["PSOAS_OUTCOME"] == "taken"][0]
    assert taken["PSOAS_BREAK_ROUTINE"] == "quick"
    assert taken["PSOAS_BREAK_DUE"] == "2026-03-02T10:45:00+01:00"
    assert taken["PSOAS_BREAK_SECONDS"] == "2"


@pytest.mark.slow
def test_a_hook_with_hostile_output_is_bounded():
    event = Event(DUE_EVENT, 1000.0, 1000.0, None)
    hooks = Hooks(["sh", "-c", "yes xxxxxxxxxxxxxxxx; sleep 60"], None, env={}, timeout=1.0)
    started = time.monotonic()
    with deadline(30):
        hooks.heard(event, "desk")
        hooks.wait(20)
    assert time.monotonic() - started < 10
    told: list[str] = []
    hooks.check(told.append)
    assert told == ["--on-break sh: took over 1 s and was stopped"]
    hooks.check(told.append)
    assert len(told) == 1  # once


def test_a_failing_hook_is_told_with_what_it_said():
    def fails(argv, **options):
        return Done(2, "", "no such light: hue\nmore\n")

    hooks = Hooks(None, ["lights", "off"], env={"PSOAS_HOOK": "stale", "HOME": "/h"}, run=fails)
    hooks.heard(Event("taken", 1000.0, None, 3700.0, 65.0), "desk")
    hooks.wait(5)
    told: list[str] = []
    hooks.check(told.append)
    assert told == ["--on-done lights: exited with status 2: no such light: hue"]
    env = hook_module.environment({"PSOAS_HOOK": "stale", "HOME": "/h"}, "done", "taken",
                                  Event("taken", 1000.0, None, 3700.0, 65.0), "desk",
                                  when=lambda t: f"t{t:g}")
    assert env == {"HOME": "/h", "PSOAS_HOOK": "done", "PSOAS_OUTCOME": "taken",
                   "PSOAS_BREAK_ROUTINE": "desk", "PSOAS_BREAK_DUE": "",
                   "PSOAS_BREAK_NEXT": "t3700", "PSOAS_BREAK_SECONDS": "65"}


@pytest.mark.parametrize("command, said", [
    ("'open quote", "can't split it into words: No closing quotation"),
    ("   ", "is empty; give a command"),
])
def test_a_hook_that_cannot_be_split_is_a_usage_error(remind, command, said):
    result = remind("--on-break", command)
    assert result.exit_code == 2 and said in result.output


# -- shared for psoas status, and --explain -------------------------------------------------

def test_the_state_is_shared_while_it_runs_and_removed_after(remind, clock, clean_env):
    seen: list = []

    class Watching(FakeSenses):
        def idle(self):
            seen.append(remindstate.read(str(clean_env)))
            return [(clock.t, 0.0)]

    senses = Watching(clock)
    app = App(now=clock.now, monotonic=clock.now, keyboard=clock.keyboard, senses=senses.make)
    remind("--every", "45m", keys=[(50 * MINUTE, "quit")], app=app)
    shared = [state for state in seen if state]
    assert shared[0]["state"] == "waiting" and shared[0]["due_at"] == at(clock, 45)
    assert shared[0]["idle_source"] == "a fake idle source" and shared[0]["routine"] == "quick"
    assert any(state["state"] == "due" for state in shared)
    assert remindstate.read(str(clean_env)) is None  # gone once it stopped


def test_explain_says_what_it_senses_and_exits(remind, clock, tmp_path):
    (tmp_path / "work.ics").write_text(CALENDAR)
    app, _ = sensing(clock, idle=lambda t: 42.0)
    result = remind("--explain", "--calendar", str(tmp_path / "work.ics"), "--on-done",
                    "logger 'a b'", app=app)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == ["breaks       every 45m: the quick routine",
                         "idle time    a fake idle source; 42s without input now",
                         "             5m without input counts as a break",
                         "quiet when   do-not-disturb is on: a fake do-not-disturb; off now"]
    # Within 80 columns: a long path keeps whole, on a line of its own.
    path = f"             an event goes on in {tmp_path / 'work.ics'}"
    if len(path) > 80:
        assert lines[4:6] == ["             an event goes on in",
                              f"             {tmp_path / 'work.ics'}"]
        del lines[5]
    else:
        assert lines[4] == path
    assert lines[5] == "             now: no event"
    assert "on done      logger 'a b'" in lines
    assert all(len(line) <= 80 or " " not in line.strip() for line in lines)


@pytest.mark.parametrize("line, said", [
    ("RRULE:FREQ=DAILY;INTERVAL=99999999999999999999",
     "calendar: 1 repeating event(s) use a rule psoas does not read; only their first "
     "time counts"),
    ("DURATION:P99999999W",
     "calendar: 1 event(s) with a date or length psoas could not read are left out"),
    ("BEGIN:VEVENT\n" * 20 + "END:VEVENT\n" * 20,
     "calendar: FILE: parts nested over 8 deep; read no further"),
], ids=["interval", "duration", "nested"])
def test_a_hostile_calendar_is_said_in_a_line_not_a_traceback(remind, clock, tmp_path,
                                                               line, said):
    """Hostile findings 7 and 8, with `remind --explain --calendar FILE`."""
    path = tmp_path / "bad.ics"
    length = "" if line.startswith("DURATION") else "DURATION:PT1H\n"
    path.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20261207T045139Z\n"
                    f"{length}{line}\nEND:VEVENT\nEND:VCALENDAR\n")
    app, _ = sensing(clock)
    result = remind("--explain", "--calendar", str(path), app=app,
                    env={"COLUMNS": "1000"})
    assert result.exit_code == 0, result.output
    assert f"             {said}".replace("FILE", str(path)) in result.stdout.splitlines()


def test_explain_keeps_the_idle_time_with_its_unit_at_any_width(remind, clock):
    """The idle time now is one word ("1m5s"): a narrow window never splits a
    number from its unit, as "...; 65" / "s now" did."""
    app, _ = sensing(clock, idle=lambda t: 65.0)
    for width in (40, 60, 80, 97, 98):
        result = remind("--explain", app=app, env={"COLUMNS": str(width)})
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert "1m5s" in " ".join(lines)
        assert not any(line.rstrip().endswith(("65", "1m5s;")) for line in lines)
        assert all(len(line) <= width or " " not in line.strip() for line in lines)


def test_a_clock_set_back_while_the_loop_sleeps_delays_no_break():
    """The loop sleeps in real time; the wall clock is set back 20 minutes at
    10:30 while it sleeps: the break still comes 45 real minutes after the
    start, within a second, not a wake-up later."""
    clock = FakeClock([(46 * MINUTE, "quit")])
    jumped = [False]

    def wall() -> float:
        if clock.elapsed >= 30 * MINUTE + 20 and not jumped[0]:
            jumped[0] = True
        return clock.t - (20 * MINUTE if jumped[0] else 0.0)

    events: list[Event] = []
    schedule = Schedule(45 * MINUTE)
    told: list[str] = []
    screen = PlainScreen(open("/dev/null", "w"), routine="desk", warn=told.append)
    screen.event = lambda event, routine: events.append(event)  # type: ignore[method-assign]

    class Log:
        def __getattr__(self, name):
            return {"today": lambda now: Counts(), "streak": lambda: None,
                    "played_since": lambda after: []}.get(name, lambda *a, **k: None)

    Reminder(schedule, routine="desk", length=60, now=wall, monotonic=clock.now,
             keyboard=clock.keyboard, screen=screen, log=Log(),
             notifier=Notifier(screen.stream, env={}, bell=False),
             play_break=lambda: (Summary(Outcome.FINISHED, 1, 1, 60, 60), None),
             interactive=True).run()
    due = [e for e in events if e.kind == DUE_EVENT]
    assert len(due) == 1
    real = due[0].at + 20 * MINUTE - clock.start  # its wall time, back in real time
    assert abs(real - 45 * MINUTE) <= 1.0, real
