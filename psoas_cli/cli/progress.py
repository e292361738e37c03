"""``psoas progress``: how the hips and the back have felt over the weeks.

What it does is actions/progress.py.
"""

from __future__ import annotations

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.command import Command

MOST_WEEKS = 520  # ten years: more is more than a terminal's width can show


@click.command(name="progress", cls=Command)
@click.option("--weeks", "-w", type=click.IntRange(1, MOST_WEEKS), default=12, metavar="N",
              show_default=True, help="Show the last N weeks.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts: each week, the tests and the readings.")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print a CSV table, a row a week, for a spreadsheet.")
@click.pass_obj
def progress_cmd(app: App, weeks: int, as_json: bool, as_csv: bool) -> None:
    """Chart how your hips and back felt, your tests and minutes, by week.

    Tightness of each hip and low-back pain come from check-ins after
    routines ('psoas config set checkin after'), results from 'psoas
    test'. Under the charts, a line for each reading: which side is
    tighter and for how long, how back pain has moved, when to test again.

    \b
    Examples:
      psoas progress             the last 12 weeks
      psoas progress --weeks 26  half a year
      psoas progress --csv       a table for a spreadsheet
    """
    from psoas_cli.cli.actions.progress import show_progress

    if as_json and as_csv:
        raise click.UsageError("--json and --csv are two different outputs: choose one")
    show_progress(app, weeks=weeks, as_json=as_json, as_csv=as_csv)
