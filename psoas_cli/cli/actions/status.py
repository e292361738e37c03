"""What 'psoas status' does: read the running reminder's state, or the history,
and say it in the format asked for.

Run by status bars every few seconds, so it loads as little as it can:
the shared state file (os, json) and the words (breaks/statusline.py);
the history's SQLite only when no reminder runs, or its state is from
another day.
"""

from __future__ import annotations

import json
import time

import click

from psoas_cli.breaks.statusline import Reading, as_data, i3blocks, line, waybar
from psoas_cli.cli.app import App
from psoas_cli.files import remindstate


def show_status(app: App, form: str) -> None:
    now = app.now()
    home = app.home()
    state = remindstate.current(home, now)
    if state is not None and state["day"] == time.strftime("%Y-%m-%d", time.localtime(now)):
        counts, streak = state["counts"], state["streak"]
    else:
        counts, streak = _from_history(app, home, now)
    reading = Reading(state, counts, streak, now)
    if form == "json":
        app.print_json(as_data(reading))
    elif form == "waybar":
        click.echo(json.dumps(waybar(reading)), file=app.stdout)
    elif form == "i3blocks":
        click.echo("\n".join(i3blocks(reading)), file=app.stdout)
    else:
        click.echo(line(reading), file=app.stdout)


def _from_history(app: App, home: str, now: float) -> tuple[dict[str, int], int | None]:
    """Today's break counts and the streak from the history, as kept by the last
    run when the history has not changed since (a bar asks every few seconds)."""
    day = time.strftime("%Y-%m-%d", time.localtime(now))
    stamp = remindstate.history_stamp(home, day, app.env.get("PSOAS_REST_DAYS", ""))
    cache = app.cache_dir()
    kept = remindstate.cached_glance(cache, stamp)
    if kept is not None:
        return kept
    # The history (with datetime and SQLite: 10 ms), when it changed since the last look.
    from datetime import date  # noqa: PLC0415

    from psoas_cli.history.glance import glance  # noqa: PLC0415

    found = glance(home, date.fromtimestamp(now), app.rest_days())
    if found is None:
        return {}, None
    remindstate.keep_glance(cache, stamp, found.counts, found.streak)
    return found.counts, found.streak
