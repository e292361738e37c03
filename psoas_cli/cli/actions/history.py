"""What 'psoas history' does: the report, as a view or as JSON, and clearing it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import click

from psoas_cli.cli.app import App
from psoas_cli.history import journal
from psoas_cli.history.records import Report, Session
from psoas_cli.history.store import History
from psoas_cli.text import line
from psoas_cli.ui.console import emit, emit_lines
from psoas_cli.ui.terminal import can_encode
from psoas_cli.ui.views.history import history_chunks, history_view
from psoas_cli.ui.views.quantities import count


def show_history(app: App, *, days: int | None, as_json: bool) -> None:
    if days is not None:
        _show_days(app, days, as_json=as_json)
        return
    with History(app.home(), warn=app.warn, now=app.now) as history:
        report = history.report(days=days, stretches=as_json, rest=app.rest_days())
    _say_what_waits(app)
    if as_json:
        app.print_json(report.as_dict())
        return
    emit(app.console, history_view(report, width=app.console.width))


def _show_days(app: App, days: int, *, as_json: bool) -> None:
    """--days N: every session of those days, printed as it is read (a million
    sessions cost the memory of one), after the totals are worked out."""
    with History(app.home(), warn=app.warn, now=app.now) as history:
        report = history.report(days=days, stretches=as_json, rest=app.rest_days(),
                                listed=False)
        _say_what_waits(app)
        if as_json:
            if history.with_sessions(days, lambda sessions: _print_json(app, report, sessions),
                                     stretches=True) is None:
                _print_json(app, report, iter(()))
            return
        listing = history.listing(days)

        def show(sessions: Iterator[Session]) -> bool:
            for chunk in history_chunks(report, listing, sessions, width=app.console.width):
                if isinstance(chunk, list):
                    emit_lines(app.console, chunk)
                else:
                    emit(app.console, chunk)
            return True

        if history.with_sessions(days, show) is None:
            show(iter(()))


def _print_json(app: App, report: Report, sessions: Iterator[Session]) -> bool:
    """The report as ``App.print_json`` prints it, with ``sessions`` written
    into it one at a time as they are read."""
    text = json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
    if not can_encode(app.stdout, text):
        text = json.dumps(report.as_dict(), indent=2)
    head, tail = text.split('\n  "sessions": []', 1)
    out = app.stdout
    out.write(head + '\n  "sessions": [')
    first = True
    encode = json.JSONEncoder(indent=2, ensure_ascii=False).encode
    for session in sessions:
        element = encode(session.as_dict())
        if not element.isascii() and not can_encode(out, element):
            element = json.dumps(session.as_dict(), indent=2)
        # Indented as an element of the list, as json.dumps indents the whole.
        out.write(("\n    " if first else ",\n    ") + element.replace("\n", "\n    "))
        first = False
    out.write(("]" if first else "\n  ]") + tail + "\n")
    out.flush()
    return True


def _say_what_waits(app: App) -> None:
    """Sessions a run could not write stay in the journal until the history can
    take them: say so, or the list would look as if they were lost."""
    if journal.pending(app.home()):
        app.warn(f"some sessions are still waiting in {journal.path_in(app.home())}, "
                 "to be added once the history file can be written")


def clear_history(app: App, *, yes: bool) -> None:
    with History(app.home(), warn=app.warn, now=app.now) as history:
        sessions = history.count()
        if not sessions:
            click.echo("There is no history to clear.", file=app.stdout)
            return
        if not yes and not click.confirm(f"Set aside your history of "
                                         f"{count(sessions, 'session')} and start a new one?"):
            click.echo("Nothing was cleared.", file=app.stdout)  # a choice, not a failure
            return
        moved = history.clear()
    click.echo(f"Started a new history; the old one is kept in {line(str(moved))}",
               file=app.stdout)
