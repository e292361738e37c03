"""``psoas history``: recent sessions, streaks and a calendar of the last weeks.

Only Click is imported at module level; the history store and Rich load
inside the command, so ``psoas --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from psoas_cli.cli.command import Command

if TYPE_CHECKING:
    from psoas_cli.cli.app import App
    from psoas_cli.history.store import History


def _say_what_waits(app: App) -> None:
    """Sessions a run could not write stay in the journal until the history can
    take them: say so, or the list would look as if they were lost."""
    from psoas_cli.history import journal

    if journal.pending(app.home()):
        app.warn(f"some sessions are still waiting in {journal.path_in(app.home())}, "
                 "to be added once the history file can be written")


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
    from psoas_cli.history.store import History

    if yes and not clear:
        raise click.UsageError("--yes goes with --clear")
    if clear and (days or as_json):
        raise click.UsageError("--clear cannot be combined with --days or --json")
    with History(app.home(), warn=app.warn, now=app.now) as history:
        if clear:
            _clear(app, history, yes=yes)
            return
        report = history.report(days=days, stretches=as_json)
    _say_what_waits(app)
    if as_json:
        app.print_json(report.as_dict())
        return
    from psoas_cli.ui.console import emit
    from psoas_cli.ui.views.history import history_view

    emit(app.console, history_view(report, width=app.console.width))


def _clear(app: App, history: History, *, yes: bool) -> None:
    from psoas_cli.text import line
    from psoas_cli.ui.views.quantities import count

    sessions = history.count()
    if not sessions:
        click.echo("There is no history to clear.", file=app.stdout)
        return
    if not yes and not click.confirm(f"Set aside your history of {count(sessions, 'session')} "
                                     "and start a new one?"):
        click.echo("Nothing was cleared.", file=app.stdout)  # a choice, not a failure: exit 0
        return
    moved = history.clear()
    click.echo(f"Started a new history; the old one is kept in {line(str(moved))}",
               file=app.stdout)
