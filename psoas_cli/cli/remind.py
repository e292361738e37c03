"""``psoas remind``: break reminders that lead straight into a routine.

What it does is actions/remind.py.
"""

from __future__ import annotations

from typing import Any

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.complete import files, routine_names
from psoas_cli.cli.options import Configured, command_line, duration, hours, idle_time

MOST_SNOOZE = 2 * 3600.0  # a longer snooze is a skip


@click.command(name="remind", cls=Configured)
@click.option("--every", default="45m", show_default=True, metavar="DURATION",
              callback=duration(), help="Time between breaks: 45m, 1h30m, 90s or 1.5h; "
                                         "a bare number is minutes.")
@click.option("--routine", "routine_name", default="desk", show_default=True, metavar="NAME",
              shell_complete=routine_names, help="The routine a break plays.")
@click.option("--routines", "routines_path", metavar="PATH", envvar="PSOAS_ROUTINES",
              shell_complete=files,
              help="Also read routines from this YAML file (or set PSOAS_ROUTINES).")
@click.option("--between", metavar="HOURS", callback=hours,
              help="Remind only between these hours, such as 09:00-18:00 (or 22:00-02:00).")
@click.option("--snooze", default="5m", show_default=True, metavar="DURATION",
              callback=duration(MOST_SNOOZE), help="How long s puts a break off (at most 2h).")
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
@click.option("--idle", default="5m", show_default=True, metavar="DURATION", envvar="PSOAS_IDLE",
              callback=idle_time,
              help="No keyboard or mouse this long (or the screen locked) counts as a "
                   "break: the interval starts again when you are back; 0 for never.")
@click.option("--calendar", "calendars", multiple=True, metavar="FILE_OR_DIR",
              shell_complete=files,
              help="Wait while an event of this local calendar goes on: an .ics file, or a "
                   "folder of them (khal, vdirsyncer, an export); may be given again.")
@click.option("--on-break", metavar="CMD", callback=command_line,
              help="Run CMD when a break comes due (an argument list, no shell; what "
                   "happened is in PSOAS_HOOK, PSOAS_OUTCOME and PSOAS_BREAK_*).")
@click.option("--on-done", metavar="CMD", callback=command_line,
              help="Run CMD when a break is answered: taken, skipped, snoozed, missed or "
                   "away.")
@click.option("--explain", is_flag=True,
              help="Say what psoas remind would sense here (idle time, do-not-disturb, "
                   "the calendar) and how it would remind, and exit.")
@click.option("--install", is_flag=True,
              help="Start psoas remind at login with these options, as a service: a systemd "
                   "user unit (Linux) or a launchd agent (macOS).")
@click.option("--uninstall", is_flag=True, help="Stop that service and remove its file.")
@click.pass_obj
def remind_cmd(app: App, every: float, routine_name: str, routines_path: str | None,
               between: Any, snooze: float, sound: str, plain: bool, no_history: bool,
               idle: float | None, calendars: tuple[str, ...], on_break: list[str] | None,
               on_done: list[str] | None, explain: bool, install: bool,
               uninstall: bool) -> None:
    """Remind you to take a break, and play a routine when you do.

    Every 45 minutes (or --every) the bell rings, a desktop notification
    shows and the screen asks. A break nobody answers waits: it does not
    pile up or ring every minute. A routine played anywhere else ('psoas
    routine desk' in another terminal) counts as the break too.

    Time away counts as a break: five minutes without keyboard or mouse
    (--idle), or the screen locked, and the count starts again when you are
    back. The idle time comes from GNOME or KDE over D-Bus, X11's
    screensaver, macOS, systemd-logind, or your terminals' last key (for a
    terminal or SSH login): --explain says which is used here.

    Quiet while you are busy: while do-not-disturb is on (GNOME, KDE,
    dunst, macOS Focus) or an event of your --calendar goes on, a break
    waits, with no bell and no notification, and is offered when it ends.
    'psoas status' shows the next break, for a status bar.

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
      psoas remind --calendar ~/calendars  quiet in your meetings
      psoas remind --install               start it at every login
    """
    from psoas_cli.cli.actions.remind import remind

    remind(app, every=every, routine_name=routine_name, routines_path=routines_path,
           between=between, snooze=snooze, sound=sound, plain=plain, no_history=no_history,
           idle=idle, calendars=list(calendars), on_break=on_break, on_done=on_done,
           explain=explain, install=install, uninstall=uninstall)
