"""What 'psoas config' does: the settings as they apply, and changing
config.toml (comments kept, written atomically)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.errors import UsageLine
from psoas_cli.errors import ConfigError
from psoas_cli.files import filelock
from psoas_cli.files.config import (
    KEYS,
    Key,
    from_env,
    key_of,
    literal,
    parse,
    read_text,
    with_value,
    without,
)
from psoas_cli.text import close_matches


def _key(name: str) -> Key:
    if name in KEYS:
        return KEYS[name]
    close = close_matches(name, KEYS, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"the keys are {', '.join(KEYS)}"
    raise UsageLine(f"no setting called '{name}'; {hint}")


def _effective(app: App) -> dict[str, tuple[Any, str]]:
    """Each key's value and where it comes from: the environment, the file, or
    psoas itself (value None when nothing sets it)."""
    env = from_env(app.env)
    stored = app.settings()
    found = {}
    for name, key in KEYS.items():
        if name in env:
            found[name] = (env[name][1], env[name][0])
        elif name in stored:
            found[name] = (stored[name], "config file")
        else:
            builtin = {"sound": "bell", "wait": False, "start_wait": True, "idle": 5,
                       "rest_days": "sat,sun", "checkin": "off",
                       "checkin_sides": False}.get(name)
            found[name] = (builtin, "built in" if builtin is not None else key.unset)
    return found


def _as_written(value: Any) -> str:
    """A setting's value as 'psoas config' shows it: '-' for none."""
    if value is None:
        return "-"
    return value if isinstance(value, str) else literal(value)


def list_settings(app: App) -> None:
    rows = [(name, _as_written(value), source)
            for name, (value, source) in _effective(app).items()]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for name, value, source in rows:
        click.echo(f"{name:<{widths[0]}}  {value:<{widths[1]}}  {source}".rstrip(),
                   file=app.stdout)


def get_setting(app: App, key: str) -> None:
    value, _ = _effective(app)[_key(key).name]
    if value is None:
        click.get_current_context().exit(1)
    click.echo(_as_written(value), file=app.stdout)


def set_setting(app: App, key: str, value: str) -> None:
    chosen = _key(key)
    try:
        parsed = chosen.parse(value)
    except ValueError as exc:
        raise UsageLine(f"{chosen.name} {exc}") from None
    set_value(app, chosen, parsed)
    app.say(f"{chosen.name} = {literal(parsed)} in {app.config_path()}")
    if app.env.get(chosen.env):
        app.warn(f"{chosen.env} is set in your environment and wins over it")


def set_value(app: App, key: Key, value: Any) -> None:
    """Write ``key = value`` to the config file, keeping the rest as it is
    (under the file's lock: see _update)."""
    _update(app, lambda old: with_value(old, key.name, value))


def unset_setting(app: App, key: str) -> None:
    said: list[str] = []

    def change(text: str) -> str:
        # A key psoas doesn't know can be removed too: that is how a typo is fixed.
        present = any(key_of(line) == key for line in text.splitlines())
        name = key if present else _key(key).name
        said[:] = [name]
        return without(text, name)

    old, new = _update(app, change)
    if new == old:
        app.say(f"{said[0]} is not set in {app.config_path()}")
        return
    app.say(f"Removed {said[0]} from {app.config_path()}")


def _line_before(new: str, old: str, number: int) -> int | None:
    """The number in ``old`` of line ``number`` of ``new``: set and unset change
    one key's line, so any other line is in both, as often before it."""
    new_lines, old_lines = new.splitlines(), old.splitlines()
    wanted = new_lines[number - 1]
    nth = new_lines[:number - 1].count(wanted)
    places = [i for i, line in enumerate(old_lines, 1) if line == wanted]
    return places[nth] if nth < len(places) else None


def _update(app: App, change: Callable[[str], str]) -> tuple[str, str]:
    """Change config.toml under its lock (files/filelock.py), so that two
    'config set' at once each keep the other's setting; the new text is saved
    only if it reads well, and a file still wrong elsewhere is refused, naming
    the line as it is in the file now.  Nothing is written when nothing
    changes.  Returns the text before and after."""
    path = app.config_path()
    before: list[str] = []

    def checked(old: str) -> str:
        text = change(old)
        before[:] = [old]
        if text == old:
            raise _Unchanged()
        try:
            parse(text, path)
        except ConfigError as exc:
            if exc.line is not None:
                exc.line = _line_before(text, old, exc.line)
            raise
        return text

    try:
        new, _ = filelock.update(path, checked, read=_read)
    except _Unchanged:
        return before[0], before[0]
    return before[0], new


class _Unchanged(Exception):
    """Nothing to write."""


def _read(path: str) -> str:
    try:
        return read_text(path)
    except (FileNotFoundError, NotADirectoryError):
        return ""
