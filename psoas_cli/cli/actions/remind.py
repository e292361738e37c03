"""What 'psoas remind' does: the schedule, the screen, notifications, the
break log, what it senses of the desk, the state it shares for 'psoas
status', and a routine played at each break taken; --explain, --install."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import click

from psoas_cli.breaks.hours import Window, Zone
from psoas_cli.breaks.log import BreakLog, NoLog
from psoas_cli.breaks.schedule import AWAY_STATE, ON_BREAK, QUIET, Schedule
from psoas_cli.breaks.statusline import snapshot
from psoas_cli.cli.actions.play import as_set, live_wanted, play_timeline
from psoas_cli.cli.app import App
from psoas_cli.cli.errors import ExitStatus, UsageLine
from psoas_cli.errors import ReminderError
from psoas_cli.files import remindstate
from psoas_cli.history import programs
from psoas_cli.history.recorder import Recorder
from psoas_cli.history.store import History
from psoas_cli.model import routines
from psoas_cli.model.durations import format_duration
from psoas_cli.play.events import Outcome, Summary
from psoas_cli.play.timeline import Timeline
from psoas_cli.text import shown
from psoas_cli.ui.remind import install as service
from psoas_cli.ui.remind.children import run as run_child
from psoas_cli.ui.remind.hooks import VARIABLES as HOOK_VARIABLES
from psoas_cli.ui.remind.hooks import Hooks
from psoas_cli.ui.remind.loop import LiveScreen, PlainScreen, Reminder
from psoas_cli.ui.remind.notify import (
    ESCAPE_VARIABLE,
    OSC9,
    OSC777,
    Desktop,
    Notifier,
    find_command,
)
from psoas_cli.ui.remind.senses import Meetings, Senses, busy_of, explain
from psoas_cli.ui.terminal import columns, reads_keys

FRESH_WAITING = 150.0  # the state file stays true this long after a write while waiting
FRESH_BREAK = 300.0  # and this much longer than the routine while it plays


def remind(app: App, *, every: float, routine_name: str, routines_path: str | None,
           between: Window | None, snooze: float, sound: str, plain: bool,
           no_history: bool, idle: float | None = None, calendars: list[str] | None = None,
           on_break: list[str] | None = None, on_done: list[str] | None = None,
           explain: bool = False, install: bool = False, uninstall: bool = False) -> None:
    calendars = calendars or []
    _check_escape(app)
    if install and uninstall:
        raise UsageLine("give --install or --uninstall, not both")
    if uninstall:
        _uninstall(app)
        return
    for path in calendars:
        if not os.path.exists(path):
            raise click.BadParameter(f"{shown(path)}: no such file or folder",
                                     param_hint="'--calendar'")
    try:
        schedule = Schedule(every, snooze=snooze, window=between, idle=idle)
    except ReminderError as exc:
        raise click.BadParameter(str(exc), param_hint="'--between'") from None
    routine = routines.find(app.routines(extra=routines_path), routine_name)
    plan = as_set(app, routine)
    program = _program_breaks(app) if not (install or uninstall) else None
    if install:
        _install(app, routines_path=routines_path, calendars=calendars)
        return
    if explain:
        _explain(app, schedule, plan, calendars=calendars, on_break=on_break, on_done=on_done,
                 program=program is not None)
        return
    outcome = _remind(app, schedule, plan, sound=sound, plain=plain,
                      record=not no_history and app.recording(), calendars=calendars,
                      hooks=Hooks(on_break, on_done, env=app.env), program=program)
    code = ExitStatus.for_outcome(outcome)
    if code:
        click.get_current_context().exit(code)


def _program_breaks(app: App) -> Callable[[], Any] | None:
    """While a program runs, and --routine was not given: a function giving each
    break's session, the program's own (actions/program.py), dosed for the day."""
    source = click.get_current_context().get_parameter_source("routine_name")
    if source == click.core.ParameterSource.COMMANDLINE:
        return None
    with History(app.home(), warn=app.warn, now=app.now) as history:
        if not history.exists() or programs.active(history.file) is None:
            return None
    from psoas_cli.cli.actions.program import remind_break  # noqa: PLC0415 - one runs

    return remind_break(app)


def _check_escape(app: App) -> None:
    """PSOAS_NOTIFY_ESCAPE, when set, is one psoas knows: a typo would
    silently leave the terminal's notification to a guess."""
    given = app.env.get(ESCAPE_VARIABLE, "")
    if given.strip().lower() not in ("", OSC9, OSC777, "none"):
        raise UsageLine(f"{ESCAPE_VARIABLE}={shown(given, 40)}: must be {OSC9}, {OSC777} "
                        "or none")


def _senses(app: App, threshold: float | None):  # -> Sensing
    if app.senses is not None:
        return app.senses(threshold=threshold)
    return Senses(app.env, threshold=threshold)


def _remind(app: App, schedule: Schedule, plan: Timeline, *, sound: str, plain: bool,
            record: bool, calendars: list[str], hooks: Hooks,
            program: Callable[[], Any] | None = None) -> Outcome | None:
    """Put the reminder together from the App's world, and run it."""

    live = live_wanted(app, plain)
    keyboard = reads_keys(app.stdin)
    name = plan.routine
    screen = (LiveScreen(app.console, routine=name, keyboard=keyboard) if live
              else PlainScreen(app.stdout, routine=name, warn=app.warn, now=app.now,
                               keyboard=keyboard))
    notifier = Notifier(app.stdout, env=app.env, bell=sound != "none",
                        desktop=Desktop(warn=screen.tell))
    log = BreakLog(app.home(), warn=screen.tell, now=app.now, rest=app.rest_days()) \
        if record else NoLog()
    senses = _senses(app, schedule.idle)
    meetings = Meetings(calendars, tell=screen.tell) if calendars else None
    shared: list[bool] = []

    def play_break() -> tuple[Summary, int | None]:
        # While a program runs, its own desk session, dosed for the day it is
        # played; while it is paused or over, the reminder's routine.
        found = program() if program is not None else None
        played = found.plan if found is not None else plan
        recorder = Recorder(app.home(), played.routine, played.planned, warn=screen.tell,
                            clock=app.now) if record else None
        if found is not None and recorder is not None:
            found.link(recorder.token)
        summary = play_timeline(app, played, live=live, keyboard=keyboard, sound=sound,
                                record=False, listeners=[recorder] if recorder else [])
        if recorder is None:
            return summary, None
        recorder.finish()  # written (or kept in the journal, with no row to point at)
        return summary, recorder.session_id

    def share(reminder: Reminder, now: float) -> None:
        try:
            remindstate.write(app.home(), _state(reminder, now, plan.planned,
                                                 senses.idle_name))
            shared[:] = [True]
        except OSError:
            pass  # a folder that can't be written: the history says so; status falls back

    reminder = Reminder(schedule, routine=name, length=plan.planned, now=app.now,
                        keyboard=app.keyboard, screen=screen, log=log, notifier=notifier,
                        play_break=play_break, interactive=keyboard, idle=senses.idle,
                        busy=lambda now: busy_of(now, meetings, senses), hooks=hooks,
                        share=share, monotonic=app.monotonic)
    try:
        return reminder.run()
    finally:
        senses.stop()
        log.close()
        notifier.desktop.wait(1.0)  # a notification still being shown is left to finish
        hooks.wait(1.0)
        if shared:
            remindstate.remove(app.home(), os.getpid())


def _state(reminder: Reminder, now: float, length: float, idle_source: str) -> dict:
    """What psoas status is told, from the schedule at ``now``."""
    schedule = reminder.schedule
    status = schedule.status(now)
    busy = schedule.busy
    year, month, date = schedule.zone.day(now)
    day = f"{year:04d}-{month:02d}-{date:02d}"
    playing = status.state == ON_BREAK
    opens = schedule.hours.next_start(now) if status.state == QUIET and schedule.hours \
        else None
    return snapshot(status, now=now, pid=os.getpid(), host=os.uname().nodename,
                    every=schedule.every, routine=reminder.routine, idle_source=idle_source,
                    streak=reminder.streak, day=day,
                    fresh_for=length + FRESH_BREAK if playing else FRESH_WAITING,
                    due_at=status.due_at, since=schedule.away_since
                    if status.state == AWAY_STATE else None,
                    busy_until=busy.until if busy is not None and status.busy else None,
                    opens_at=opens)


# -- --explain ---------------------------------------------------------------------------------

def _explain(app: App, schedule: Schedule, plan: Timeline, *, calendars: list[str],
             on_break: list[str] | None, on_done: list[str] | None,
             program: bool = False) -> None:
    if app.senses is not None:
        given = app.senses(threshold=schedule.idle)
        readings = given.idle()
        source, dnd, answer = given.idle_name, given.dnd_name, given.dnd()
        if answer is not None:
            dnd += "; on now" if answer else "; off now"
        idle_now = readings[-1][1] if readings else None
    else:
        source, dnd, idle_now = explain(app.env)
    notify = find_command()
    hours = f", between {schedule.window}" if schedule.window else ""
    what = "your program's desk session, dosed for the day" if program \
        else f"the {plan.routine} routine"
    lines = [f"breaks       every {format_duration(schedule.every)}{hours}: {what}"]
    if schedule.idle is None:
        lines.append("idle time    not watched (--idle 0)")
    elif idle_now is None:
        lines.append(f"idle time    {source}: time away is not noticed here")
    else:
        lines += [f"idle time    {source}; {format_duration(idle_now)} without input now",
                  f"             {format_duration(schedule.idle)} without input counts as a "
                  "break"]
    lines.append(f"quiet when   do-not-disturb is on: {dnd}")
    lines += [f"             an event goes on in {path}" for path in calendars]
    if calendars:
        meetings = Meetings(calendars, tell=lambda message: lines.append(f"             {message}"))
        until = meetings.until(app.now())
        clock = Zone().clock
        lines.append("             " + (f"now: in a meeting until {clock(until)}" if until
                                       else "now: no event"))
    lines += [f"notifies     {notify[0] if notify else 'no desktop command found'}"
              f"{'' if notify else ' (the bell and the screen still remind you)'}",
              f"on break     {shlex.join(on_break) if on_break else '-'}",
              f"on done      {shlex.join(on_done) if on_done else '-'}",
              f"shares       {remindstate.path_in(app.home())} (psoas status reads it)"]
    width = columns(app.stdout, app.env)
    for line in lines:  # within the window, a path or a command kept whole on its line
        for part in textwrap.wrap(line.rstrip(), width, subsequent_indent=" " * 13,
                                  break_long_words=False, break_on_hyphens=False):
            click.echo(part, file=app.stdout)


# -- --install, --uninstall ------------------------------------------------------------------

def _where(app: App) -> service.Where:
    return service.Where(sys.platform, os.path.expanduser("~"), app.env, shutil.which,
                         uid=os.getuid() if hasattr(os, "getuid") else 0)


def _service_argv(app: App, *, routines_path: str | None, calendars: list[str]) -> list[str]:
    """psoas remind --plain and the options given on this command line, written out."""
    context = click.get_current_context()
    script = sys.argv[0] if os.path.basename(sys.argv[0]) == "psoas" else ""
    argv = [os.path.abspath(script), "remind", "--plain"] if script and os.path.isfile(script) \
        else [sys.executable, "-m", "psoas_cli", "remind", "--plain"]
    from_line = {name for name in context.params
                 if context.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE}
    params = context.params
    given: list[tuple[str, Callable[[Any], str]]] = [
             ("every", format_duration), ("routine_name", str),
             ("between", str), ("snooze", format_duration), ("sound", str),
             ("idle", lambda v: format_duration(v) if v else "0"),
             ("on_break", shlex.join), ("on_done", shlex.join)]
    for name, text in given:
        if name in from_line and params.get(name) is not None:
            option = "--routine" if name == "routine_name" else "--" + name.replace("_", "-")
            argv += [option, text(params[name])]
    if routines_path and "routines_path" in from_line:
        argv += ["--routines", os.path.abspath(routines_path)]
    for path in calendars:
        argv += ["--calendar", os.path.abspath(path)]
    if params.get("no_history"):
        argv.append("--no-history")
    return argv


def _service_env(app: App) -> dict[str, str]:
    """The psoas variables of this run (PSOAS_HOME, PSOAS_SOUND...), so the service
    does the same; the paths among them made absolute."""
    paths = ("PSOAS_HOME", "PSOAS_CATALOGUE", "PSOAS_ROUTINES")
    return {name: os.path.abspath(value) if name in paths else value
            for name, value in sorted(app.env.items())
            if name.startswith("PSOAS_") and value and name not in HOOK_VARIABLES}


def _install(app: App, *, routines_path: str | None, calendars: list[str]) -> None:
    where = _where(app)
    why = service.refused(where)
    if why:
        raise UsageLine(f"psoas remind --install: {why}; start 'psoas remind --plain' from "
                        "your session's autostart instead")
    plan = service.plan_install(where, _service_argv(app, routines_path=routines_path,
                                                     calendars=calendars), _service_env(app))
    ok = service.install(plan, run_child, lambda text: click.echo(text, file=app.stdout))
    if not ok:
        app.warn("the file is written; run the command that failed by hand, or "
                 "'psoas remind --uninstall' to remove it")
        click.get_current_context().exit(ExitStatus.ERROR)


def _uninstall(app: App) -> None:
    where = _where(app)
    why = service.refused(where)
    plan = service.plan_uninstall(where)
    if why and not os.path.lexists(plan.path):
        raise UsageLine(f"psoas remind --uninstall: {why}, and nothing was installed")
    if not service.uninstall(plan, run_child, lambda text: click.echo(text, file=app.stdout)):
        click.get_current_context().exit(ExitStatus.ERROR)
