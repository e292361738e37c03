"""What 'psoas history' does: the report, as a view or as JSON, and clearing it."""

from __future__ import annotations

import click

from psoas_cli.cli.app import App
from psoas_cli.history import journal
from psoas_cli.history.store import History
from psoas_cli.text import line
from psoas_cli.ui.console import emit
from psoas_cli.ui.views.history import history_view
from psoas_cli.ui.views.quantities import count


def show_history(app: App, *, days: int | None, as_json: bool) -> None:
    with History(app.home(), warn=app.warn, now=app.now) as history:
        report = history.report(days=days, stretches=as_json, rest=app.rest_days())
    _say_what_waits(app)
    if as_json:
        app.print_json(report.as_dict())
        return
    emit(app.console, history_view(report, width=app.console.width))


def _say_what_waits(app: App) -> None:
    """Sessions a run could not write stay in the journal until the history can
    take them: say so, or the list would look as if they were lost."""
    if journal.pending(app.home()):
        app.warn(f"some sessions are still waiting in {journal.path_in(app.home())}, "
                 "to be added once the history file can be written")


def clear_history(app: App, *, yes: bool) -> None:
    with History(app.home(), warn=app.warn, now=app.now) as history:
        sessions = history.count()
        if not sessions:
            click.echo("There is no history to clear.", file=app.stdout)
            return
        if not yes and not click.confirm(f"Set aside your history of "
                                         f"{count(sessions, 'session')} and start a new one?"):
            click.echo("Nothing was cleared.", file=app.stdout)  # a choice, not a failure
            return
        moved = history.clear()
    click.echo(f"Started a new history; the old one is kept in {line(str(moved))}",
               file=app.stdout)
