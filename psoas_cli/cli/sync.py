"""``psoas sync``: your history on every machine, through a folder you already sync.

What it does is actions/sync.py.
"""

from __future__ import annotations

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.command import Group
from psoas_cli.cli.complete import files


class _Group(Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["setup", "status"]


@click.group(name="sync", cls=_Group, invoke_without_command=True)
@click.pass_context
def sync_cmd(ctx: click.Context) -> None:
    """Sync your history through a folder shared between your machines.

    Alone, 'psoas sync' writes this machine's new sessions to its own file
    in the folder and merges every other machine's, so streaks and progress
    count them all.  psoas also does it before 'psoas' and 'psoas history',
    and after each routine.  The folder is shared by a tool you already use
    (Syncthing, Dropbox, iCloud Drive, a git repository); the history's
    database itself never goes there.

    \b
    Examples:
      psoas sync setup ~/Sync/psoas   choose the folder, and sync
      psoas sync                      sync now
      psoas sync status               the machines, and any problem
    """
    from psoas_cli.cli.actions.sync import sync_now

    if ctx.invoked_subcommand is None:
        sync_now(ctx.ensure_object(App))


@sync_cmd.command(name="setup")
@click.argument("folder", shell_complete=files)
@click.pass_obj
def setup_cmd(app: App, folder: str) -> None:
    """Sync through FOLDER from now on (the sync_dir setting), and sync now.

    FOLDER is made if it is missing.  It must not hold the psoas folder:
    its history.db would be synced, and a database copied between machines
    while it is written is damaged.

    \b
    Examples:
      psoas sync setup ~/Sync/psoas
      psoas sync setup ~/Dropbox/psoas
    """
    from psoas_cli.cli.actions.sync import setup

    setup(app, folder)


@sync_cmd.command(name="status")
@click.pass_obj
def status_cmd(app: App) -> None:
    """Show the sync folder, the machines seen and when each last wrote,
    what waits to be written, and any problem found.

    \b
    Examples:
      psoas sync status
    """
    from psoas_cli.cli.actions.sync import status

    status(app)
