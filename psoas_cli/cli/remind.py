"""``psoas remind``: break reminders that lead straight into a routine.

What it does is actions/remind.py.
"""

from __future__ import annotations

from typing import Any

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.complete import files, routine_names
from psoas_cli.cli.options import Configured, duration, hours

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
    from psoas_cli.cli.actions.remind import remind

    remind(app, every=every, routine_name=routine_name, routines_path=routines_path,
           between=between, snooze=snooze, sound=sound, plain=plain, no_history=no_history)
