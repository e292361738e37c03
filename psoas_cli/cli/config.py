"""``psoas config``: show and change the user's settings (config.toml)."""

from __future__ import annotations

import click

from psoas_cli.cli.app import App, pass_app
from psoas_cli.cli.command import Group
from psoas_cli.cli.complete import setting_keys, setting_values


class _Group(Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["list", "get", "set", "unset", "path"]  # in this order, not sorted


@click.group(name="config", cls=_Group, invoke_without_command=True)
@click.pass_context
def config_cmd(ctx: click.Context) -> None:
    """Show or change your settings: sound, level, minutes and more.

    Alone, 'psoas config' lists them, as 'psoas config list' does.

    \b
    Keys:
      sound          bell, voice, both or none
      level          gentle, standard or deep
      wait           true: wait for Enter at each switch of sides
      minutes        fit every routine to this many minutes
      setup          seconds to get into position for every stretch
      idle           minutes without input that count as a break (psoas
                     remind; 0: never)
      rest_days      days that never break a streak: sat,sun unless set;
                     none for every day
      checkin        off, before, after or both: how hips and back feel
      checkin_sides  true: in check-ins, ask about each hip
      sync_dir       a folder to sync your history through ('psoas sync')

    The command line wins over a setting, and so does the environment
    (PSOAS_SOUND, PSOAS_LEVEL, PSOAS_WAIT, PSOAS_MINUTES, PSOAS_SETUP,
    PSOAS_IDLE, PSOAS_REST_DAYS, PSOAS_CHECKIN, PSOAS_CHECKIN_SIDES,
    PSOAS_SYNC_DIR).

    \b
    Examples:
      psoas config list              every setting, and where it comes from
      psoas config set sound voice   spoken cues from now on
      psoas config unset minutes     routines at their own length again
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_cmd)


@config_cmd.command(name="list")
@pass_app
def list_cmd(app: App) -> None:
    """Show every setting, its value and where it comes from.

    \b
    Examples:
      psoas config list
    """
    from psoas_cli.cli.actions.config import list_settings

    list_settings(app)


@config_cmd.command(name="get")
@click.argument("key", shell_complete=setting_keys)
@pass_app
def get_cmd(app: App, key: str) -> None:
    """Print the value psoas uses for KEY (exit 1 if nothing sets it).

    \b
    Examples:
      psoas config get level
    """
    from psoas_cli.cli.actions.config import get_setting

    get_setting(app, key)


@config_cmd.command(name="set", context_settings={"ignore_unknown_options": True})
@click.argument("key", shell_complete=setting_keys)
@click.argument("value", shell_complete=setting_values)
@pass_app
def set_cmd(app: App, key: str, value: str) -> None:
    """Set KEY to VALUE in your config file.

    The keys, and what each takes: 'psoas config --help'.

    \b
    Examples:
      psoas config set level gentle
      psoas config set minutes 10
    """
    from psoas_cli.cli.actions.config import set_setting

    set_setting(app, key, value)


@config_cmd.command(name="unset")
@click.argument("key", shell_complete=setting_keys)
@pass_app
def unset_cmd(app: App, key: str) -> None:
    """Remove KEY from your config file, so psoas's own default applies.

    \b
    Examples:
      psoas config unset sound
    """
    from psoas_cli.cli.actions.config import unset_setting

    unset_setting(app, key)


@config_cmd.command(name="path")
@pass_app
def path_cmd(app: App) -> None:
    """Print where your config file is (it may not exist yet).

    \b
    Examples:
      psoas config path
    """
    click.echo(app.config_path(), file=app.stdout)
