"""``psoas history``: recent sessions, streaks and a calendar of the last weeks.

What it does is actions/history.py.
"""

from __future__ import annotations

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.command import Command


@click.command(name="history", cls=Command)
@click.option("--days", "-d", type=click.IntRange(min=1), metavar="N",
              help="List the sessions of the last N days (default: the 10 newest).")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts: sessions, streaks, minutes, calendar.")
@click.option("--clear", is_flag=True,
              help="Start a new, empty history; the old one is kept in a dated file.")
@click.option("--yes", "-y", is_flag=True, help="With --clear: do not ask first.")
@click.pass_obj
def history_cmd(app: App, days: int | None, as_json: bool, clear: bool, yes: bool) -> None:
    """Show your recent sessions, streaks and the last 12 weeks.

    A day counts towards your streak when you finished a routine on it; the
    streak holds until a whole day passes without one.

    \b
    Examples:
      psoas history             the 10 newest sessions and your streaks
      psoas history --days 30   every session of the last 30 days
      psoas history --json      everything, for scripts
    """
    from psoas_cli.cli.actions.history import clear_history, show_history

    if yes and not clear:
        raise click.UsageError("--yes goes with --clear")
    if clear and (days or as_json):
        raise click.UsageError("--clear cannot be combined with --days or --json")
    if clear:
        clear_history(app, yes=yes)
    else:
        show_history(app, days=days, as_json=as_json)
