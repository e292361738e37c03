"""What 'psoas progress' does: read the weeks, chart them, say the readings.

Printed as plain text (with a few colour codes on a terminal), without Rich:
the charts are psoas's own, and Rich's import alone would cost a third of
the command's start.
"""

from __future__ import annotations

import os

import click

from psoas_cli.cli.actions.autosync import before_report
from psoas_cli.cli.actions.practice import checkins, read_facts, selftests
from psoas_cli.cli.app import App
from psoas_cli.history import journal
from psoas_cli.practice.progress import progress
from psoas_cli.ui.chart import render
from psoas_cli.ui.terminal import columns, env_size, is_tty, plain_wanted, unicode_ok
from psoas_cli.ui.views.progress import progress_lines


def show_progress(app: App, *, weeks: int, as_json: bool, as_csv: bool) -> None:
    before_report(app)  # with a sync folder, every machine's weeks
    if journal.pending(app.home()):  # what a run could not write yet counts too
        # The session store loads only then (its records and liveness: 2 ms).
        from psoas_cli.history.store import History  # noqa: PLC0415

        with History(app.home(), warn=app.warn, now=app.now) as history:
            history.replay()
    tests = selftests(app)
    facts, minutes = read_facts(app, weeks, minutes=True)
    shown = progress(facts, tests, minutes, checkins(app).pain_above)
    if as_json:
        app.print_json(shown.as_dict(tests))
        return
    if as_csv:
        import csv  # noqa: PLC0415 - --csv only (1 ms)

        writer = csv.writer(app.stdout, lineterminator="\n")
        writer.writerows(shown.csv_rows(tests))
        return
    width = columns(app.stdout, app.env)
    lines = progress_lines(shown, tests, width=width, height=_rows(app),
                           unicode=unicode_ok(app.stdout, app.env))
    click.echo(render(lines, colour=not plain_wanted(app.stdout)), file=app.stdout, nl=False)


def _rows(app: App) -> int:
    """The window's height, less the row the shell's prompt takes after it on a
    terminal: LINES, else the terminal's; 24 for a pipe or a file."""
    prompt = 1 if is_tty(app.stdout) else 0
    given = env_size(app.env, "LINES")
    if given is not None:
        return max(1, given - prompt)
    if prompt:
        try:
            return os.get_terminal_size(app.stdout.fileno()).lines - prompt
        except (OSError, ValueError):
            pass
    return 24
