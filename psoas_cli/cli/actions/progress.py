"""What 'psoas progress' does: read the weeks, chart them, say the readings."""

from __future__ import annotations

import csv
import os

from psoas_cli.cli.actions.practice import checkins, read_facts, selftests
from psoas_cli.cli.app import App
from psoas_cli.history.store import History
from psoas_cli.practice.progress import progress
from psoas_cli.ui.console import emit
from psoas_cli.ui.table import as_text
from psoas_cli.ui.terminal import columns, is_tty, unicode_ok
from psoas_cli.ui.views.progress import progress_lines


def show_progress(app: App, *, weeks: int, as_json: bool, as_csv: bool) -> None:
    with History(app.home(), warn=app.warn, now=app.now) as history:
        history.replay()  # what a run could not write yet counts too
    tests = selftests(app)
    facts, minutes = read_facts(app, weeks, minutes=True)
    shown = progress(facts, tests, minutes, checkins(app).pain_above)
    if as_json:
        app.print_json(shown.as_dict(tests))
        return
    if as_csv:
        writer = csv.writer(app.stdout, lineterminator="\n")
        writer.writerows(shown.csv_rows(tests))
        return
    width = columns(app.stdout, app.env)
    lines = progress_lines(shown, tests, width=width, height=_rows(app),
                           unicode=unicode_ok(app.stdout, app.env))
    emit(app.console, as_text(lines))


def _rows(app: App) -> int:
    """The window's height: LINES, else the terminal's; 24 for a pipe or a file,
    where nothing scrolls away and the charts take their usual room."""
    value = app.env.get("LINES", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    if is_tty(app.stdout):
        try:
            return os.get_terminal_size(app.stdout.fileno()).lines
        except (OSError, ValueError):
            pass
    return 24



