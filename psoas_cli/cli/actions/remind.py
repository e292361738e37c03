"""What 'psoas remind' does: the schedule, the screen, notifications, the
break log, and a routine played at each break taken."""

from __future__ import annotations

import click

from psoas_cli.breaks.hours import Window
from psoas_cli.breaks.log import BreakLog, NoLog
from psoas_cli.breaks.schedule import Schedule
from psoas_cli.cli.actions.play import as_set, live_wanted, play_timeline
from psoas_cli.cli.app import App
from psoas_cli.cli.errors import ExitStatus, UsageLine
from psoas_cli.errors import ReminderError
from psoas_cli.history.recorder import Recorder
from psoas_cli.model import routines
from psoas_cli.play import timeline
from psoas_cli.play.events import Outcome, Summary
from psoas_cli.play.timeline import Timeline
from psoas_cli.text import shown
from psoas_cli.ui.remind.loop import LiveScreen, PlainScreen, Reminder
from psoas_cli.ui.remind.notify import ESCAPE_VARIABLE, OSC9, OSC777, Desktop, Notifier
from psoas_cli.ui.terminal import reads_keys


def remind(app: App, *, every: float, routine_name: str, routines_path: str | None,
           between: Window | None, snooze: float, sound: str, plain: bool,
           no_history: bool) -> None:
    _check_escape(app)
    try:
        schedule = Schedule(every, snooze=snooze, window=between)
    except ReminderError as exc:
        raise click.BadParameter(str(exc), param_hint="'--between'") from None
    routine = routines.find(app.routines(extra=routines_path), routine_name)
    plan = timeline.build(as_set(app, routine).routine)
    outcome = _remind(app, schedule, plan, sound=sound, plain=plain,
                      record=not no_history and app.recording())
    code = ExitStatus.for_outcome(outcome)
    if code:
        click.get_current_context().exit(code)


def _check_escape(app: App) -> None:
    """PSOAS_NOTIFY_ESCAPE, when set, is one psoas knows: a typo would
    silently leave the terminal's notification to a guess."""
    given = app.env.get(ESCAPE_VARIABLE, "")
    if given.strip().lower() not in ("", OSC9, OSC777, "none"):
        raise UsageLine(f"{ESCAPE_VARIABLE}={shown(given, 40)}: must be {OSC9}, {OSC777} "
                        "or none")


def _remind(app: App, schedule: Schedule, plan: Timeline, *, sound: str, plain: bool,
            record: bool) -> Outcome | None:
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

    def play_break() -> tuple[Summary, int | None]:

        recorder = Recorder(app.home(), name, plan.planned, warn=screen.tell,
                            clock=app.now) if record else None
        summary = play_timeline(app, plan, live=live, keyboard=keyboard, sound=sound,
                                record=False, listeners=[recorder] if recorder else [])
        if recorder is None:
            return summary, None
        recorder.finish()  # written (or kept in the journal, with no row to point at)
        return summary, recorder.session_id

    reminder = Reminder(schedule, routine=name, length=plan.planned, now=app.now,
                        keyboard=app.keyboard, screen=screen, log=log, notifier=notifier,
                        play_break=play_break, interactive=keyboard)
    try:
        return reminder.run()
    finally:
        log.close()
        notifier.desktop.wait(1.0)  # a notification still being shown is left to finish
