"""``psoas status``: the next break, today's breaks and the streak, for a status bar.

What it does is actions/status.py.
"""

from __future__ import annotations

import click

from psoas_cli.cli.app import App, pass_app
from psoas_cli.cli.command import Command

FORMATS = ("text", "json", "waybar", "i3blocks")


@click.command(name="status", cls=Command)
@click.option("--format", "form", type=click.Choice(FORMATS), default="text",
              show_default=True,
              help="text: one short line (tmux's status-right); json for scripts; waybar "
                   "or i3blocks for those bars.")
@pass_app
def status_cmd(app: App, form: str) -> None:
    """Show the time to the next break, today's breaks and your streak.

    It reads the schedule a running 'psoas remind' shares (in the psoas
    folder); with none running it says so, with today's breaks and the
    streak from your history. Fast enough to run every few seconds.

    \b
    Examples:
      psoas status                  break in 23m | 2 today | streak 5
      psoas status --format json    everything, for a script
      psoas status --format waybar  a waybar custom module (return-type json)

    \b
    In ~/.tmux.conf:
      set -g status-right '#(psoas status)'
      set -g status-interval 15
    """
    from psoas_cli.cli.actions.status import show_status

    show_status(app, form)
