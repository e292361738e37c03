"""``psoas routine new``, ``rm`` and ``edit``: your own routines, without writing YAML.

What each does is actions/own.py.
"""

from __future__ import annotations

import click

from psoas_cli import limits
from psoas_cli.cli.app import App, pass_app
from psoas_cli.cli.command import Command
from psoas_cli.cli.complete import own_routine_names, routine_names, stretch_names
from psoas_cli.cli.options import LEVELS, Bounded


@click.command(name="new", cls=Command)
@click.argument("name")
@click.argument("stretches", nargs=-1, required=True, shell_complete=stretch_names)
@click.option("--minutes", type=Bounded(limits.MINUTES), metavar="N",
              help="Fit it to N minutes each time it plays (2.5 too).")
@click.option("--level", type=click.Choice(LEVELS),
              help="Play it at this level, unless you choose another.")
@click.option("--description", metavar="TEXT",
              help="One line for 'psoas routine' (the stretches' names if not given).")
@click.option("--force", is_flag=True, help="Replace a routine of that name.")
@pass_app
def new_cmd(app: App, name: str, stretches: tuple[str, ...], minutes: float | None,
            level: str | None, description: str | None, force: bool) -> None:
    """Make a routine of the STRETCHES named, in order, in your routines.yaml.

    Names work as in 'psoas show'; 'psoas routine NAME' then plays it.

    \b
    Examples:
      psoas routine new mine pigeon cobra --minutes 6
      psoas routine new office seated standing --level gentle
    """
    from psoas_cli.cli.actions.own import new_routine

    new_routine(app, name, stretches, minutes=minutes, level=level, description=description,
                force=force)


@click.command(name="rm", cls=Command)
@click.argument("name", shell_complete=own_routine_names)
@pass_app
def rm_cmd(app: App, name: str) -> None:
    """Remove one of your routines from your routines.yaml (a backup is kept).

    \b
    Examples:
      psoas routine rm mine
    """
    from psoas_cli.cli.actions.own import remove_routine

    remove_routine(app, name)


@click.command(name="edit", cls=Command)
@click.argument("name", required=False, shell_complete=routine_names)
@pass_app
def edit_cmd(app: App, name: str | None) -> None:
    """Open your routines.yaml in your editor ($VISUAL or $EDITOR).

    psoas checks the file when you close the editor and saves it only if
    it reads well; if not, it says what is wrong and offers to open it
    again. With the NAME of a built-in routine, a copy of it is put in
    your file to change: yours then plays instead.

    \b
    Examples:
      psoas routine edit          your routines.yaml as it is
      psoas routine edit desk     with a copy of desk to change
    """
    from psoas_cli.cli.actions.own import edit_routines

    edit_routines(app, name)
