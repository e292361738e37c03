"""``psoas remind``: break reminders that lead straight into a routine.

Only Click is imported at module level; the schedule, the screen and the
player load when the command runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from psoas_cli.cli.complete import files, routine_names
from psoas_cli.cli.errors import ExitStatus, UsageLine
from psoas_cli.cli.fit_options import as_set
from psoas_cli.cli.routine import Configured
from psoas_cli.ui.terminal import reads_keys

if TYPE_CHECKING:
    from psoas_cli.cli.app import App
    from psoas_cli.play.events import Summary

MOST_SNOOZE = 2 * 3600.0  # a longer snooze is a skip


def _duration(most: float | None = None) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A Click callback reading a duration as people write it (reminders.parse_duration)."""

    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
        from psoas_cli.breaks.durations import MAX_EVERY, parse_duration
        from psoas_cli.errors import ReminderError

        if value is None:
            return None
        try:
            return parse_duration(value, most=most or MAX_EVERY)
        except ReminderError as exc:
            raise click.BadParameter(str(exc)) from None

    return convert


def _hours(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from psoas_cli.breaks.hours import parse_window
    from psoas_cli.errors import ReminderError

    if value is None:
        return None
    try:
        return parse_window(value)
    except ReminderError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(name="remind", cls=Configured)
@click.option("--every", default="45m", show_default=True, metavar="DURATION",
              callback=_duration(), help="Time between breaks: 45m, 1h30m, 90s or 1.5h; "
                                         "a bare number is minutes.")
@click.option("--routine", "routine_name", default="desk", show_default=True, metavar="NAME",
              shell_complete=routine_names, help="The routine a break plays.")
@click.option("--routines", "routines_path", metavar="PATH", envvar="PSOAS_ROUTINES",
              shell_complete=files,
              help="Also read routines from this YAML file (or set PSOAS_ROUTINES).")
@click.option("--between", metavar="HOURS", callback=_hours,
              help="Remind only between these hours, such as 09:00-18:00 (or 22:00-02:00).")
@click.option("--snooze", default="5m", show_default=True, metavar="DURATION",
              callback=_duration(MOST_SNOOZE), help="How long s puts a break off (at most 2h).")
@click.option("--sound", type=click.Choice(["bell", "voice", "both", "none"]), default="bell",
              show_default=True, envvar="PSOAS_SOUND",
              help="The bell at break time, and the routine's cues as in 'psoas routine' "
                   "(bell, voice, or both); none for silence. The desktop notification "
                   "shows either way.")
@click.option("--plain", is_flag=True,
              help="Print a line per break instead of the screen (the default when output "
                   "is not a terminal): for a log or a service manager.")
@click.option("--no-history", is_flag=True,
              help="Record neither the breaks nor the routines (or set PSOAS_NO_HISTORY=1).")
@click.pass_obj
def remind_cmd(app: App, every: float, routine_name: str, routines_path: str | None,
               between: Any, snooze: float, sound: str, plain: bool, no_history: bool) -> None:
    """Remind you to take a break, and play a routine when you do.

    Every 45 minutes (or --every) the bell rings, a desktop notification
    shows and the screen asks. A break nobody answers waits: it does not
    pile up or ring every minute. A routine played anywhere else ('psoas
    routine desk' in another terminal) counts as the break too.

    \b
    Keys:
      Enter      play the routine now, and come back here after it
      s          snooze the break that is due
      x          skip it
      q          quit (Ctrl-C too)
      Ctrl-Z     suspend; 'fg' brings the reminder back

    \b
    Examples:
      psoas remind                         a desk break every 45 minutes
      psoas remind --every 1h --routine full
      psoas remind --between 09:00-18:00   only in working hours
      psoas remind --plain                 a line per break, for a service
    """
    from psoas_cli.breaks.schedule import Schedule
    from psoas_cli.errors import ReminderError
    from psoas_cli.model import routines
    from psoas_cli.play import timeline

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
    from psoas_cli.text import shown
    from psoas_cli.ui.remind.notify import ESCAPE_VARIABLE, OSC9, OSC777

    given = app.env.get(ESCAPE_VARIABLE, "")
    if given.strip().lower() not in ("", OSC9, OSC777, "none"):
        raise UsageLine(f"{ESCAPE_VARIABLE}={shown(given, 40)}: must be {OSC9}, {OSC777} "
                        "or none")


def _remind(app: App, schedule: Any, plan: Any, *, sound: str, plain: bool,
            record: bool) -> Any:
    """Put the reminder together from the App's world, and run it."""
    from psoas_cli.breaks.log import BreakLog, NoLog
    from psoas_cli.cli.routine import live_wanted
    from psoas_cli.ui.remind.loop import LiveScreen, PlainScreen, Reminder
    from psoas_cli.ui.remind.notify import Desktop, Notifier

    live = live_wanted(app, plain)
    keyboard = reads_keys(app.stdin)
    name = plan.routine
    screen = (LiveScreen(app.console, routine=name, keyboard=keyboard) if live
              else PlainScreen(app.stdout, routine=name, warn=app.warn, now=app.now,
                               keyboard=keyboard))
    notifier = Notifier(app.stdout, env=app.env, bell=sound != "none",
                        desktop=Desktop(warn=screen.tell))
    log = BreakLog(app.home(), warn=screen.tell, now=app.now) if record else NoLog()

    def play_break() -> tuple[Summary, int | None]:
        from psoas_cli.cli.routine import play_timeline
        from psoas_cli.history.recorder import Recorder

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
