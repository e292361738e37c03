"""``psoas config``: show and change the user's settings (config.toml)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import click

from psoas_cli.cli.app import pass_app
from psoas_cli.cli.command import Group
from psoas_cli.cli.complete import setting_keys, setting_values
from psoas_cli.cli.errors import UsageLine

if TYPE_CHECKING:
    from psoas_cli.cli.app import App


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
      sound    bell, voice, both or none
      level    gentle, standard or deep
      wait     true: wait for Enter at each switch of sides
      minutes  fit every routine to this many minutes
      setup    seconds to get into position for every stretch

    The command line wins over a setting, and so does the environment
    (PSOAS_SOUND, PSOAS_LEVEL, PSOAS_WAIT, PSOAS_MINUTES, PSOAS_SETUP).

    \b
    Examples:
      psoas config list              every setting, and where it comes from
      psoas config set sound voice   spoken cues from now on
      psoas config unset minutes     routines at their own length again
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_cmd)


def _key(name: str) -> Any:
    from psoas_cli.files.config import KEYS
    from psoas_cli.text import close_matches

    if name in KEYS:
        return KEYS[name]
    close = close_matches(name, KEYS, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"the keys are {', '.join(KEYS)}"
    raise UsageLine(f"no setting called '{name}'; {hint}")


def _file_text(app: App) -> str:
    from psoas_cli.files.config import read_text

    try:
        return read_text(app.config_path())
    except (FileNotFoundError, NotADirectoryError):
        return ""


def _effective(app: App) -> dict[str, tuple[Any, str]]:
    """Each key's value and where it comes from: the environment, the file, or
    psoas itself (value None when nothing sets it)."""
    from psoas_cli.files.config import KEYS, from_env

    env = from_env(app.env)
    stored = app.settings()
    found = {}
    for name, key in KEYS.items():
        if name in env:
            found[name] = (env[name][1], env[name][0])
        elif name in stored:
            found[name] = (stored[name], "config file")
        else:
            builtin = {"sound": "bell", "wait": False}.get(name)
            found[name] = (builtin, "built in" if builtin is not None else key.unset)
    return found


def _shown(value: Any) -> str:
    from psoas_cli.files.config import literal

    if value is None:
        return "-"
    return value if isinstance(value, str) else literal(value)


@config_cmd.command(name="list")
@pass_app
def list_cmd(app: App) -> None:
    """Show every setting, its value and where it comes from.

    \b
    Examples:
      psoas config list
    """
    rows = [(name, _shown(value), source) for name, (value, source) in _effective(app).items()]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for name, value, source in rows:
        click.echo(f"{name:<{widths[0]}}  {value:<{widths[1]}}  {source}".rstrip(),
                   file=app.stdout)


@config_cmd.command(name="get")
@click.argument("key", shell_complete=setting_keys)
@pass_app
def get_cmd(app: App, key: str) -> None:
    """Print the value psoas uses for KEY (exit 1 if nothing sets it).

    \b
    Examples:
      psoas config get level
    """
    value, _ = _effective(app)[_key(key).name]
    if value is None:
        click.get_current_context().exit(1)
    click.echo(_shown(value), file=app.stdout)


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
    from psoas_cli.files.config import literal, with_value

    chosen = _key(key)
    try:
        parsed = chosen.parse(value)
    except ValueError as exc:
        raise UsageLine(f"{chosen.name} {exc}") from None
    old = _file_text(app)
    _write(app, with_value(old, chosen.name, parsed), old)
    app.say(f"{chosen.name} = {literal(parsed)} in {app.config_path()}")
    if app.env.get(chosen.env):
        app.warn(f"{chosen.env} is set in your environment and wins over it")


@config_cmd.command(name="unset")
@click.argument("key", shell_complete=setting_keys)
@pass_app
def unset_cmd(app: App, key: str) -> None:
    """Remove KEY from your config file, so psoas's own default applies.

    \b
    Examples:
      psoas config unset sound
    """
    from psoas_cli.files.config import key_of, without

    text = _file_text(app)
    # A key psoas doesn't know can be removed too: that is how a typo is fixed.
    present = any(key_of(line) == key for line in text.splitlines())
    name = key if present else _key(key).name
    new = without(text, name)
    if new == text:
        app.say(f"{name} is not set in {app.config_path()}")
        return
    _write(app, new, text)
    app.say(f"Removed {name} from {app.config_path()}")


@config_cmd.command(name="path")
@pass_app
def path_cmd(app: App) -> None:
    """Print where your config file is (it may not exist yet).

    \b
    Examples:
      psoas config path
    """
    click.echo(app.config_path(), file=app.stdout)


def _line_before(new: str, old: str, number: int) -> int | None:
    """The number in ``old`` of line ``number`` of ``new``: set and unset change
    one key's line, so any other line is in both, as often before it."""
    new_lines, old_lines = new.splitlines(), old.splitlines()
    wanted = new_lines[number - 1]
    nth = new_lines[:number - 1].count(wanted)
    places = [i for i, line in enumerate(old_lines, 1) if line == wanted]
    return places[nth] if nth < len(places) else None


def _write(app: App, text: str, old: str) -> None:
    """Save the new text if it reads well; a file still wrong elsewhere is
    refused, naming the line as it is in the file now (``old``)."""
    from psoas_cli.errors import ConfigError
    from psoas_cli.files.config import parse
    from psoas_cli.files.safefile import replace

    path = app.config_path()
    try:
        parse(text, path)
    except ConfigError as exc:
        if exc.line is not None:
            exc.line = _line_before(text, old, exc.line)
        raise
    os.makedirs(os.path.dirname(path), exist_ok=True)
    replace(path, text)
