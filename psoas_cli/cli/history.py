"""``psoas history``: recent sessions, streaks and a calendar of the last weeks;
``history export`` and ``history import``.

What they do is actions/history.py.
"""

from __future__ import annotations

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.command import Group
from psoas_cli.cli.complete import files


class _Group(Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["export", "import"]


@click.group(name="history", cls=_Group, invoke_without_command=True)
@click.option("--days", "-d", type=click.IntRange(min=1), metavar="N",
              help="List the sessions of the last N days (default: the 10 newest).")
@click.option("--machine", "-m", "machines", is_flag=True,
              help="Show the machine each session was played on.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts: sessions, streaks, minutes, calendar.")
@click.option("--clear", is_flag=True,
              help="Start a new, empty history; the old one is kept in a dated file.")
@click.option("--yes", "-y", is_flag=True, help="With --clear: do not ask first.")
@click.pass_context
def history_cmd(ctx: click.Context, days: int | None, machines: bool, as_json: bool,
                clear: bool, yes: bool) -> None:
    """Show your recent sessions, streaks and the last 12 weeks.

    A day counts towards your streak when you finished a routine on it; the
    streak holds until a whole day passes without one.  With a sync folder
    ('psoas sync setup'), sessions on every machine count.

    \b
    Examples:
      psoas history             the 10 newest sessions and your streaks
      psoas history --days 30   every session of the last 30 days
      psoas history --machine   where each session was played
      psoas history --json      everything, for scripts
      psoas history export -o history.csv
    """
    from psoas_cli.cli.actions.history import clear_history, show_history

    app = ctx.ensure_object(App)
    if ctx.invoked_subcommand is not None:
        if days or machines or as_json or clear or yes:
            raise click.UsageError("--days, --machine, --json and --clear go with "
                                   "'psoas history' alone")
        return
    if yes and not clear:
        raise click.UsageError("--yes goes with --clear")
    if clear and (days or as_json or machines):
        raise click.UsageError("--clear cannot be combined with --days, --machine or --json")
    if clear:
        clear_history(app, yes=yes)
    else:
        show_history(app, days=days, as_json=as_json, machines=machines)


@history_cmd.command(name="export")
@click.option("--format", "-f", "form", type=click.Choice(["json", "csv"]),
              help="json (the default, or as -o FILE ends) or csv (one table for a "
                   "spreadsheet).")
@click.option("--since", metavar="DATE", help="Only the days from DATE (YYYY-MM-DD) on.")
@click.option("--output", "-o", metavar="FILE", shell_complete=files,
              help="Write to FILE (replaced safely; its folder must exist) instead of "
                   "printing; - prints.")
@click.pass_obj
def export_cmd(app: App, form: str | None, since: str | None, output: str | None) -> None:
    """Export your whole history: sessions, breaks, self-tests and check-ins.

    Every record keeps its id and the machine it was recorded on, so an
    export imported anywhere, once or many times, adds each record once.
    The CSV is one table, a row per record, laid out in the README.

    \b
    Examples:
      psoas history export -o history.json
      psoas history export --format csv --since 2026-01-01 > 2026.csv
    """
    from psoas_cli.cli.actions.history import export_history

    export_history(app, form=form, since=since, output=output)


@history_cmd.command(name="import")
@click.argument("file", shell_complete=files)
@click.pass_obj
def import_cmd(app: App, file: str) -> None:
    """Merge FILE into your history: an export (JSON or CSV) or a sync file.

    Records already here are left as they are; one that differs from the
    copy here is named, never written over.  Importing twice adds nothing.
    FILE - reads standard input.

    \b
    Examples:
      psoas history import history.json
      psoas history import ~/Sync/psoas/psoas-3f2a9c1e.jsonl
    """
    from psoas_cli.cli.actions.history import import_history

    import_history(app, file)
