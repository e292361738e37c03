"""``psoas history``: placeholder until the history store lands."""

from __future__ import annotations

import click


@click.command(name="history")
def history_cmd() -> None:
    """Show your recent sessions and streaks."""
    raise click.ClickException("history is not built yet")
