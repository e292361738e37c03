"""What 'psoas history' does: the report, as a view or as JSON; clearing it;
exporting it and importing an export."""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import click

from psoas_cli import limits
from psoas_cli.cli.actions.autosync import before_report
from psoas_cli.cli.actions.sync import setting
from psoas_cli.cli.app import App
from psoas_cli.cli.errors import UsageLine, UserError
from psoas_cli.errors import PsoasError
from psoas_cli.files import boundedread, machine, safefile, syncfolder
from psoas_cli.history import exchange, journal, merge, practice, programs
from psoas_cli.history.records import Session
from psoas_cli.history.store import History
from psoas_cli.text import json_safe, line
from psoas_cli.ui.console import emit, emit_lines
from psoas_cli.ui.terminal import can_encode, is_tty
from psoas_cli.ui.views.history import history_chunks, history_view
from psoas_cli.ui.views.quantities import count


def program_days(app: App, history: History) -> tuple[date, ...]:
    """The days a running program keeps the streak without a session (its rest
    days taken and the days it was paused); its code loads only for a run."""
    if not history.exists() or programs.active(history.file) is None:
        return ()
    from psoas_cli.cli.actions.program import home  # noqa: PLC0415 - only while one runs

    found = home(app, history.file)
    return found.bridges if found is not None else ()


def show_history(app: App, *, days: int | None, as_json: bool, machines: bool = False) -> None:
    if days is not None:
        _show_days(app, days, as_json=as_json, machines=machines)
        return
    with History(app.home(), warn=app.warn, now=app.now) as history:
        before_report(app, history)  # every machine's sessions count
        report = history.report(days=days, stretches=as_json, rest=app.rest_days(),
                                bridges=program_days(app, history))
        # Self-tests and check-ins, all of them (--days is about sessions).
        found = practice.read(history.file, answers=True) if as_json else None
        events = programs.all_events(history.file) if as_json else []
        names = _machine_names(app, history) if machines else None
    _say_what_waits(app)
    if found is not None:
        data = {**report.as_dict(), **found.as_dict(),
                "program_events": [event.as_dict() for event in events]}
        if names is not None:
            for shown, session in zip(data["sessions"], report.sessions, strict=True):
                shown["machine"] = names.get(session.machine or "", names[""])
        app.print_json(data)
        return
    emit(app.console, history_view(report, width=app.console.width, machines=names))


def _show_days(app: App, days: int, *, as_json: bool, machines: bool) -> None:
    """--days N: every session of those days, printed as it is read (a million
    sessions cost the memory of one), after the totals are worked out."""
    with History(app.home(), warn=app.warn, now=app.now) as history:
        before_report(app, history)  # every machine's sessions count
        report = history.report(days=days, stretches=as_json, rest=app.rest_days(),
                                bridges=program_days(app, history), listed=False)
        names = _machine_names(app, history) if machines else None
        _say_what_waits(app)
        if as_json:
            # Self-tests and check-ins, all of them (--days is about sessions).
            data = {**report.as_dict(),
                    **practice.read(history.file, answers=True).as_dict(),
                    "program_events": [event.as_dict()
                                       for event in programs.all_events(history.file)]}
            if history.with_sessions(days, lambda sessions: _print_json(app, data, sessions,
                                                                        names),
                                     stretches=True) is None:
                _print_json(app, data, iter(()), names)
            return
        listing = history.listing(days)

        def show(sessions: Iterator[Session]) -> bool:
            for chunk in history_chunks(report, listing, sessions, width=app.console.width,
                                        machines=names):
                if isinstance(chunk, list):
                    emit_lines(app.console, chunk)
                else:
                    emit(app.console, chunk)
            return True

        if history.with_sessions(days, show) is None:
            show(iter(()))


def _print_json(app: App, data: dict[str, Any], sessions: Iterator[Session],
                names: dict[str, str] | None) -> bool:
    """``data`` as ``App.print_json`` prints it, with ``sessions`` written into
    its empty list of sessions one at a time as they are read (each with the
    name of its machine, given ``names``)."""
    text = json_safe(json.dumps(data, indent=2, ensure_ascii=False))
    if not can_encode(app.stdout, text):
        text = json.dumps(data, indent=2)
    head, tail = text.split('\n  "sessions": []', 1)
    out = app.stdout
    out.write(head + '\n  "sessions": [')
    first = True
    encode = json.JSONEncoder(indent=2, ensure_ascii=False).encode
    for session in sessions:
        shown = session.as_dict()
        if names is not None:
            shown["machine"] = names.get(session.machine or "", names[""])
        element = json_safe(encode(shown))
        if not element.isascii() and not can_encode(out, element):
            element = json.dumps(shown, indent=2)
        # Indented as an element of the list, as json.dumps indents the whole.
        out.write(("\n    " if first else ",\n    ") + element.replace("\n", "\n    "))
        first = False
    out.write(("]" if first else "\n  ]") + tail + "\n")
    out.flush()
    return True


def _machine_names(app: App, history: History) -> dict[str, str]:
    """Machine id -> name; "" (and this machine's id) -> this machine's name."""
    names = merge.machine_names(history)
    here = machine.read(app.home())
    mine = here.name if here is not None else machine.host_name()
    names[""] = mine
    if here is not None:
        names[here.id] = mine
    return names


def _say_what_waits(app: App) -> None:
    """Sessions a run could not write stay in the journal until the history can
    take them: say so, or the list would look as if they were lost."""
    if journal.pending(app.home()):
        app.warn(f"some sessions are still waiting in {journal.path_in(app.home())}, "
                 "to be added once the history file can be written")


def clear_history(app: App, *, yes: bool) -> None:
    with History(app.home(), warn=app.warn, now=app.now) as history:
        history.replay()  # what waits in the journal goes with it
        sessions = history.count()
        answers = practice.count(history.file)
        if not sessions and not answers:
            click.echo("There is no history to clear.", file=app.stdout)
            return
        what = count(sessions, "session") if sessions else "tests and check-ins"
        if sessions and answers:
            what += ", tests and check-ins"
        if not yes and not click.confirm(f"Set aside your history of {what} and start a "
                                         "new one?"):
            click.echo("Nothing was cleared.", file=app.stdout)  # a choice, not a failure
            return
        moved = history.clear()
    click.echo(f"Started a new history; the old one is kept in {line(str(moved))}",
               file=app.stdout)
    synced = setting(app)
    if synced is not None:
        app.warn(f"the sync folder {synced.folder} still holds these sessions, and the next "
                 "sync brings them back; remove its psoas-*.jsonl files (on every machine's "
                 "copy) to forget them everywhere")


# -- export and import ------------------------------------------------------------------

def export_history(app: App, *, form: str | None, since: str | None,
                   output: str | None) -> None:
    """'psoas history export': every record, as JSON or CSV, to a file or stdout."""
    if since is not None:
        try:
            date.fromisoformat(since)
        except ValueError:
            raise UsageLine(f"--since must be a day as YYYY-MM-DD, not '{line(since)}'") \
                from None
    output = _export_target(app, output)
    if form is None:
        form = "csv" if output is not None and output.lower().endswith(".csv") else "json"
    me = machine.this_machine(app.home())
    # On a terminal, a name's control characters are shown as text, never let act
    # on it (any synced machine can name a routine); in a file or a pipe, the CSV
    # keeps every cell exactly as stored.  JSON escapes them either way.
    shown = line if output is None and is_tty(app.stdout) else None

    def chunks(export: merge.Export) -> Iterator[str]:
        """The export's text, a piece at a time, as the history is read."""
        if form == "csv":
            return exchange.csv_chunks(export.machines, export.records_of, shown=shown)
        return exchange.json_chunks(export.machines, export.records_of)

    def to_stdout(export: merge.Export) -> dict[str, int]:
        # Written as it is: click.echo would take escape sequences out of a name
        # when the output is not a terminal, so a piped CSV would lose them.
        for chunk in chunks(export):
            app.stdout.write(chunk)
        app.stdout.flush()
        return export.counts

    def to_file(export: merge.Export, output: str) -> dict[str, int]:
        # A spreadsheet reads a file as UTF-8 when it begins with the byte order mark.
        first = ("\ufeff" if form == "csv" else "").encode("utf-8")
        encoded = (chunk.encode("utf-8") for chunk in chunks(export))
        safefile.replace_chunks(output, itertools.chain((first,), encoded), backup=False,
                                folders=False)
        return export.counts

    with History(app.home(), warn=app.warn, now=app.now) as history:
        counts = merge.export_to(history, me.id, me.name, to_stdout if output is None else
                                 functools.partial(to_file, output=output), since=since)
    if output is not None:
        what = exchange.counted(counts)
        app.say(f"Exported {what or 'nothing (no history yet)'} to {output}")


# Files of the psoas folder psoas writes or reads as its own: an export written
# over one would lose what it held (history-*.db are histories set aside).
_OWN_FILES = re.compile(r"(?:config\.toml|machine\.json|remind-state\.json|routines\.yaml"
                        r"|programs\.yaml|tests\.yaml|checkins\.yaml|stretches\.yaml"
                        r"|history.*|cache|\..*)(?:\.bak|\.rejected)?")


def _export_target(app: App, output: str | None) -> str | None:
    """The file to write the export to, None for stdout ('-o -'); a UserError
    for a place it must not go: a folder that is not there (never made), or a
    file psoas keeps (the history, the settings, a sync file...), which the
    export would replace.  Compared as real paths: a link or '..' is followed."""
    if output is None or output == "-":
        return None
    if not output.strip():
        raise UsageLine("-o needs a file's name, or - to print the export")
    real = os.path.realpath(output)
    folder, name = os.path.split(real)
    if not os.path.isdir(folder):
        leads = f" ({line(output)} leads there)" if os.path.islink(output) else ""
        raise UserError(f"no folder {line(folder)}{leads}: make it first, or choose "
                        "another place for the export")
    own = os.path.realpath(app.home())
    if (folder == own and _OWN_FILES.fullmatch(name)) or \
            (real + os.sep).startswith(os.path.realpath(app.cache_dir()) + os.sep):
        raise UserError(f"{line(output)} is psoas's own {line(name)}: an export there would "
                        "replace it; choose another name")
    synced = setting(app)
    if synced is not None and folder == os.path.realpath(synced.folder) and (
            name.startswith(syncfolder.PREFIX) or syncfolder.classify(name) is not None):
        raise UserError(f"{line(output)} is in the sync folder, where every psoas reads "
                        f"{syncfolder.PREFIX}*{syncfolder.SUFFIX} files as its own; choose "
                        "another place for the export")
    for used in (app.catalogue_path, app.env.get("PSOAS_ROUTINES")):
        if used and os.path.realpath(used) == real:
            raise UserError(f"{line(output)} is a file psoas reads its stretches or routines "
                            "from: an export there would replace it; choose another name")
    return output


STDIN = "-"  # 'psoas history import -' reads the export from standard input


def _read_import(path: str) -> bytes:
    """The bytes of the file to import (``-``: standard input), bounded."""
    if path == STDIN:
        stream = sys.stdin.buffer if sys.stdin is not None else None
        data = stream.read(limits.IMPORT_BYTES + 1) if stream is not None else b""
        if len(data) > limits.IMPORT_BYTES:
            raise PsoasError(f"the standard input is larger than "
                             f"{limits.IMPORT_BYTES // (1024 * 1024)} MB, more than psoas "
                             "imports at once")
        return data
    try:
        return boundedread.read_bytes(path, limits.IMPORT_BYTES)
    except OSError as exc:
        raise PsoasError(f"{path}: {boundedread.problem(exc, path, limits.IMPORT_BYTES)}") \
            from None


def import_history(app: App, path: str) -> None:
    """'psoas history import FILE': merge an export or a sync file, by id (FILE
    ``-``: standard input)."""
    data = _read_import(path)
    source = "stdin" if path == STDIN else os.path.basename(path)
    path = "standard input" if path == STDIN else path
    try:
        form, rounds = exchange.read_in_rounds(data, where=path, now=app.now())
    except exchange.Bad as exc:
        raise PsoasError(f"{exc}; nothing was imported") from None
    me = machine.this_machine(app.home())
    bad: list[str] = []  # records set aside: named, never stored; the file is left as it is
    size = 0
    done = merge.Merged.nothing()
    with History(app.home(), warn=app.warn, now=app.now) as history:
        for batch in rounds:  # a long sync file a round at a time: never all held as records
            bad += batch.problems
            size += batch.size()
            done = done.plus(merge.merge(history, batch, me=me.id, source=source,
                                         pushed=False))
            del batch
    if bad and not size:
        raise PsoasError(f"{bad[0]}" + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else "")
                         + "; nothing was imported")
    if form == exchange.SYNC and data and not data.endswith(b"\n"):
        app.warn(f"{path}: its last line is not whole (a copy still arriving?); left out")
    bad = [f"{problem}; set aside" for problem in bad] + done.refused
    for problem in bad[:10]:
        app.warn(problem)
    if len(bad) > 10:
        app.warn(f"... and {len(bad) - 10} more records set aside")
    for conflict in done.conflicts[:10]:
        app.warn(conflict)
    if len(done.conflicts) > 10:
        app.warn(f"... and {len(done.conflicts) - 10} more records that differ from the "
                 "ones here")
    added = exchange.counted(done.added)
    updated = sum(done.updated.values())
    there = size - len(done.refused)
    aside = f" {count(len(bad), 'record')} set aside (named above)." if bad else ""
    if not added and not updated:
        app.say(f"Nothing new in {path}: "
                + (f"its {count(there, 'record')} {_are(there)} already here." if there else
                   "it holds no records.") + aside)
        return
    again = there - sum(done.added.values()) - updated
    app.say(f"Imported {added or 'nothing new'}"
            + (f" and brought {exchange.counted(done.updated)} up to date" if updated else "")
            + f" from {path}"
            + (f"; {count(again, 'record')} {_were(again)} already here." if again else ".")
            + aside)


def _are(number: int) -> str:
    return "is" if number == 1 else "are"


def _were(number: int) -> str:
    return "was" if number == 1 else "were"
