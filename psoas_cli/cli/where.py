"""``psoas where``: the psoas folder and the files psoas reads."""

from __future__ import annotations

import click

from psoas_cli.cli.app import App, pass_app
from psoas_cli.cli.command import Command


@click.command(name="where", cls=Command)
@pass_app
def where_cmd(app: App) -> None:
    """Show the psoas folder and the files psoas reads.

    Also where 'psoas remind' takes the idle time and do-not-disturb from
    here, and the file it shares its schedule in for 'psoas status'.

    PSOAS_HOME moves the psoas folder; --catalogue (or PSOAS_CATALOGUE)
    reads another catalogue, and --routines (or PSOAS_ROUTINES) more
    routines.

    \b
    Examples:
      psoas where
    """
    from psoas_cli.cli.actions.where import show_where

    show_where(app)
