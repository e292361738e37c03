"""What 'psoas config' does: the settings as they apply, and changing
config.toml (comments kept, written atomically)."""

from __future__ import annotations

import os
from typing import Any

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.errors import UsageLine
from psoas_cli.errors import ConfigError
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
from psoas_cli.files.safefile import replace
from psoas_cli.text import close_matches


def _key(name: str) -> Key:
    if name in KEYS:
        return KEYS[name]
    close = close_matches(name, KEYS, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"the keys are {', '.join(KEYS)}"
    raise UsageLine(f"no setting called '{name}'; {hint}")


def _file_text(app: App) -> str:
    try:
        return read_text(app.config_path())
    except (FileNotFoundError, NotADirectoryError):
        return ""


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
            builtin = {"sound": "bell", "wait": False, "idle": 5, "rest_days": "sat,sun",
                       "checkin": "off", "checkin_sides": False}.get(name)
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
    """Write ``key = value`` to the config file, keeping the rest as it is."""
    old = _file_text(app)
    _write(app, with_value(old, key.name, value), old)


def unset_setting(app: App, key: str) -> None:
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
    path = app.config_path()
    try:
        parse(text, path)
    except ConfigError as exc:
        if exc.line is not None:
            exc.line = _line_before(text, old, exc.line)
        raise
    os.makedirs(os.path.dirname(path), exist_ok=True)
    replace(path, text)
