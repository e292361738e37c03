"""What 'psoas sync' does: this machine's records out to its file in the sync
folder, every machine's file merged in, and the state of it all.

The folder is the ``sync_dir`` setting (or PSOAS_SYNC_DIR).  Pushing appends
the records not yet written there (sessions that have ended, breaks) to
this machine's ``psoas-<id>.jsonl``; pulling reads what is new in every file
there, conflict copies too, and merges it by id (history/merge.py).  Each
file's progress is kept in the history, so a file that has not changed is
not read, and one that has grown is read from where it was left.

Before a report that counts days (``psoas``, ``psoas history``), the folder is
synced with a bound on what is read, so that a first sync of a long history
never holds a report up for long; after a routine, this machine's file is
written on a thread of its own, waited for briefly, never during the routine.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

import click

from psoas_cli import limits
from psoas_cli.cli.actions.config import set_value
from psoas_cli.cli.app import App
from psoas_cli.errors import PsoasError
from psoas_cli.files import boundedread, machine, syncfolder
from psoas_cli.files.config import KEYS, from_env
from psoas_cli.files.machine import Machine
from psoas_cli.history import exchange, merge
from psoas_cli.history.merge import FileState, Merged
from psoas_cli.history.store import History
from psoas_cli.text import clip, fold, line
from psoas_cli.ui.terminal import columns
from psoas_cli.ui.views.quantities import count

KEY = KEYS["sync_dir"]
MARK_BYTES = 64  # kept of the bytes before where a file was left: a replaced file differs
REPORT_BYTES = 1024 * 1024  # read before a report: about 2,500 sessions, a second at most
ROUND_BYTES = 8 * 1024 * 1024  # read, then merged in one transaction: about 20,000
PUSH_SECONDS = 2.0  # the wait for this machine's file after a routine


class Setting(NamedTuple):
    folder: str
    source: str  # PSOAS_SYNC_DIR, or the config file


def setting(app: App) -> Setting | None:
    """The sync folder the environment or the settings name, if any (not checked)."""
    env = from_env(app.env) if app.env.get(KEY.env) else {}
    if KEY.name in env:
        return Setting(os.path.expanduser(env[KEY.name][1]), KEY.env)
    chosen = app.settings().get(KEY.name)
    return Setting(os.path.expanduser(chosen), "config file") if chosen else None


class Pulled(NamedTuple):
    merged: Merged
    files: int  # read this time
    problems: list[str]  # found this time: lines skipped, conflicts, files left alone
    copies: list[str]  # conflict copies merged this time
    left: bool  # more to read than the bound allowed


class Sync:
    """The sync folder ``folder`` seen from the history in ``home``."""

    def __init__(self, app: App, folder: str, *, history: History | None = None,
                 now: Callable[[], float] | None = None) -> None:
        self.app = app
        self.home = app.home()
        self.folder = syncfolder.check_folder(folder, self.home)
        self.machine: Machine = machine.this_machine(self.home)
        self.history = history or History(self.home, warn=app.warn, now=app.now)
        self.now = now or app.now
        self.path = os.path.join(self.folder, exchange.sync_name(self.machine.id))
        self._names: dict[str, str] = {}  # machine id -> name, from the headers read
        self.rewrote = False  # this machine's file had lost records: all went there again

    def close(self) -> None:
        self.history.close()

    def __enter__(self) -> Sync:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- out ---------------------------------------------------------------------------

    def push(self) -> dict[str, int]:
        """Append what is not yet in this machine's file; how many of each kind.

        The history keeps how far it knows this machine's file (its state, as
        for every file; moved on by each append): a file that no longer holds
        that much (deleted, emptied, an older copy put back) has lost records,
        and gets all of this machine's again (``rewrote``)."""
        if not os.path.isdir(self.folder):
            raise PsoasError(f"the sync folder {self.folder} is not there (is it mounted?); "
                             f"'psoas sync setup' chooses another")
        header = exchange.sync_header(self.machine.id, self.machine.name)
        states = merge.sync_states(self.history, self.folder)
        known = states.get(exchange.sync_name(self.machine.id))
        with syncfolder.appending(self.path, header) as append:
            if known is not None and known.offset > 0 and self._lost(append.found, known):
                self.rewrote = True
                merge.repush(self.history, self.machine.id,
                             {s.machine for s in states.values() if s.machine})
            found, names = merge.unpushed(self.history, self.machine.id, self.now())
            lines = b""
            wrote = known.wrote if known is not None else None
            if any(found.values()):
                names[self.machine.id] = self.machine.name
                records = {kind: [r for _, r in rows] for kind, rows in found.items()}
                wrote = self.now()
                lines = exchange.sync_lines(records, self.machine.id, names, wrote)
                append(lines)
                merge.mark_pushed(self.history, {kind: [i for i, _ in rows]
                                                 for kind, rows in found.items()})
            if known is not None and known.offset > 0 and (
                    self.rewrote or (lines and append.found == known.offset)):
                self._moved_on(append, known, lines, wrote)
        return {kind: len(rows) for kind, rows in found.items()}

    def _lost(self, size: int, known: FileState) -> bool:
        """Whether this machine's file (``size`` bytes when opened) no longer holds
        what the history knows was there."""
        if size < known.offset:
            return True
        return syncfolder.before(self.path, known.offset, MARK_BYTES).hex() != known.mark

    def _moved_on(self, append: syncfolder.Appender, known: FileState, lines: bytes,
                  wrote: float | None) -> None:
        """This machine's file as the history knows it, after ``lines`` were appended:
        what is there came from this history, so there is nothing to merge back."""
        info = append.stat()
        if self.rewrote:  # the lines of what was put back, if anything, and the new ones
            with open(self.path, "rb") as handle:
                number = sum(block.count(b"\n") for block in iter(
                    lambda: handle.read(1 << 20), b""))
            problems: tuple[str, ...] = ()
        else:
            number = known.line + lines.count(b"\n")
            problems = known.problems
        merge.save_states(self.history, self.folder, [FileState(
            known.name, self.machine.id, info.st_size, info.st_mtime_ns, info.st_size, number,
            syncfolder.before(self.path, info.st_size, MARK_BYTES).hex(), wrote, problems)])

    # -- in ----------------------------------------------------------------------------

    def pull(self, *, most: int | None = None) -> Pulled:
        """Merge what is new in the folder's files (at most ``most`` bytes of it), in
        rounds of at most ROUND_BYTES read, each merged in one transaction."""
        if not os.path.isdir(self.folder):
            raise PsoasError(f"the sync folder {self.folder} is not there (is it mounted?); "
                             f"'psoas sync setup' chooses another")
        states = merge.sync_states(self.history, self.folder)
        try:
            found = syncfolder.entries(self.folder)
        except OSError as exc:
            raise PsoasError(f"cannot read {self.folder}: {exc.strerror or exc}") from None
        budget = most if most is not None else limits.SYNC_FILE_BYTES * max(1, len(found))
        own = exchange.sync_name(self.machine.id)
        done = Merged.nothing()
        batches: list[tuple[str, exchange.Batch]] = []
        saved: list[FileState] = []
        problems: list[str] = []
        copies: list[str] = []
        read_files = 0
        lost_own = own in states and own not in {e.name for e in found}
        left = False
        held = 0  # bytes read and not yet merged
        for entry in found:
            before = states.get(entry.name)
            if before is not None and (before.size, before.mtime_ns) == (entry.size,
                                                                         entry.mtime_ns):
                continue
            read_files += 1
            state = before
            more = True
            while more:
                if budget <= 0:
                    left = True
                    break
                read = self._read(entry, state, min(budget, limits.SYNC_READ_BYTES))
                if read is None:  # a copy still arriving
                    break
                new, batch, used, more = read
                budget -= used
                held += used
                problems += [p for p in new.problems if not merge.is_count(p)
                             and (state is None or p not in state.problems)]
                if batch is not None and batch.size():
                    batches.append((entry.name, batch))
                    if entry.copy:
                        copies.append(entry.name)
                if (entry.name == own and before is not None and state is before
                        and new.offset < before.offset):
                    lost_own = True  # this machine's file was replaced by a shorter one
                saved.append(new)
                state = new
                if held >= ROUND_BYTES:  # merge what is read so far: memory stays bounded
                    done = done.plus(self._merge(batches, saved))
                    batches, saved, held = [], [], 0
        done = done.plus(self._merge(batches, saved))
        problems += done.conflicts + done.refused
        merge.forget_states(self.history, self.folder, set(states) - {e.name for e in found})
        if lost_own:  # write this machine's records there again
            self.rewrote = True
            merge.repush(self.history, self.machine.id,
                         {s.machine for s in saved + list(states.values()) if s.machine})
        return Pulled(done, read_files, problems, list(dict.fromkeys(copies)), left)

    def _merge(self, batches: list[tuple[str, exchange.Batch]],
               states: list[FileState]) -> Merged:
        return merge.merge_all(self.history, batches, me=self.machine.id, pushed=True,
                               states=states, folder=self.folder)

    def _read(self, entry: syncfolder.Entry, before: FileState | None, most: int,
              ) -> tuple[FileState, exchange.Batch | None, int, bool] | None:
        """(the file's new state, its records, bytes read, whether there is more to
        read now) for a file that has changed; None for one with no whole first
        line yet (a copy still arriving)."""
        try:
            if entry.size > limits.SYNC_FILE_BYTES:
                note = (f"{entry.name}: larger than {limits.SYNC_FILE_BYTES >> 20} MB; "
                        "left alone")
                return self._state(entry, before, (note,)), None, 0, False
            offset, line_no, machine_id = self._resume(entry, before)
            if offset is None:
                return None
            if isinstance(line_no, str):  # not a sync file, or a newer psoas's: looked
                # at again each time (size -1), so an upgraded psoas reads it at once
                return self._state(entry, before, (line_no,))._replace(size=-1), None, 0, False
            data, info = boundedread.read_from(entry.path, offset, most)
            chunk = exchange.read_sync(data, machine_id, where=entry.name,
                                       first_line=line_no + 1, now=self.now())
            if machine_id in self._names:
                chunk.batch.machines.setdefault(machine_id, self._names[machine_id])
            if machine_id == self.machine.id and entry.machine != machine_id and line_no == 1:
                chunk.batch.problems.insert(0, (
                    f"{entry.name}: says it is this machine's file ({machine_id[:8]}); "
                    "its records are merged, the name it gives is not taken"))
            if not chunk.used and len(data) >= limits.SYNC_READ_BYTES:
                note = (f"{entry.name}:{line_no + 1}: a line longer than psoas writes; "
                        "left there")
                return self._state(entry, before, (note,)), None, 0, False
            end = offset + chunk.used
            mark = syncfolder.before(entry.path, end, MARK_BYTES)
        except OSError as exc:
            note = f"{entry.name}: {boundedread.problem(exc, entry.path)}"
            return self._state(entry, before, (note,))._replace(size=-1), None, 0, False
        kept = before.problems if before is not None and offset == before.offset else ()
        wrote = chunk.wrote if chunk.wrote is not None else (before.wrote if before else None)
        whole = end >= info.st_size
        bad = sum(1 for p in chunk.batch.problems if p.startswith(f"{entry.name}:")
                  and p[len(entry.name) + 1:].split(":", 1)[0].isdigit())  # FILE:LINE: ...
        state = FileState(entry.name, machine_id, info.st_size if whole else -1,
                          info.st_mtime_ns, end, line_no + chunk.lines, mark.hex(), wrote,
                          merge.noted(entry.name, kept, chunk.batch.problems, bad))
        # More now if a whole read's worth came and lines followed; a last line not
        # whole yet is read again next time (size -1 never matches the file's).
        more = not whole and chunk.used > 0 and len(data) >= most
        return state, chunk.batch, len(data), more

    def _resume(self, entry: syncfolder.Entry, before: FileState | None,
                ) -> tuple[int | None, int | str, str]:
        """Where to read ``entry`` from: (offset, lines before it, its machine), going
        on from ``before`` when the file is the one left there; (None, ...) when it
        has no whole first line yet; (0, a problem, ...) when it is not to be read."""
        if (before is not None and before.machine and 0 < before.offset <= entry.size
                and syncfolder.before(entry.path, before.offset, MARK_BYTES).hex()
                == before.mark):
            return before.offset, before.line, before.machine
        first = syncfolder.head(entry.path, 4096)
        end = first.find(b"\n")
        if end < 0:
            if len(first) >= 4096:
                return 0, f"{entry.name}: not a psoas sync file (no header)", ""
            return None, 0, ""
        header = exchange.read_header(first[:end])
        if header is None:
            return 0, f"{entry.name}: not a psoas sync file (its first line is no header)", ""
        if header.version > exchange.VERSION:
            return 0, (f"{entry.name}: written by a newer psoas (sync version "
                       f"{header.version}); left alone until psoas is upgraded here"), ""
        if header.machine != self.machine.id:  # this machine's name is machine.json's
            self._names[header.machine] = header.name
        return end + 1, 1, header.machine

    def _state(self, entry: syncfolder.Entry, before: FileState | None,
               problems: tuple[str, ...]) -> FileState:
        """The state of a file not read this time: as it was, with ``problems``."""
        if before is not None:
            return before._replace(size=entry.size, mtime_ns=entry.mtime_ns,
                                   problems=problems)
        return FileState(entry.name, None, entry.size, entry.mtime_ns, 0, 0, "", None,
                         problems)

    # -- what is there -----------------------------------------------------------------

    def states(self) -> dict[str, FileState]:
        return merge.sync_states(self.history, self.folder)


# -- the commands ----------------------------------------------------------------------

def sync_now(app: App) -> None:
    """'psoas sync': push, then pull everything, and say what happened."""
    chosen = _chosen(app)
    with Sync(app, chosen.folder) as sync:
        pushed = sync.push()
        pulled = sync.pull()
        pushed_more = sync.push()  # what a replaced file of this machine's lost
    for kind in pushed:
        pushed[kind] += pushed_more.get(kind, 0)
    _say_pushed(app, sync, pushed)
    _say_pulled(app, pulled)


def setup(app: App, folder: str) -> None:
    """'psoas sync setup DIR': check the folder, save it in the settings, sync now."""
    home = app.home()
    absolute = syncfolder.check_folder(folder, home)
    try:  # what the settings would refuse, before anything is made
        KEY.check(absolute)
    except ValueError as exc:
        raise PsoasError(f"the sync folder {line(absolute)} {exc}") from None
    made = not os.path.exists(absolute)
    try:
        os.makedirs(absolute, exist_ok=True)
    except OSError as exc:
        raise PsoasError(f"cannot make {absolute}: {exc.strerror or exc}") from None
    _check_writable(absolute, made)
    set_value(app, KEY, absolute)
    app.say(f"{'Made' if made else 'Using'} {absolute} as the sync folder "
            f"(sync_dir in {app.config_path()}).")
    if app.env.get(KEY.env):
        app.warn(f"{KEY.env} is set in your environment and wins over it")
        return
    with Sync(app, absolute) as sync:
        pushed = sync.push()
        pulled = sync.pull()
    _say_pushed(app, sync, pushed)
    _say_pulled(app, pulled)
    app.say("Share that folder between your machines (Syncthing, Dropbox, a git "
            "repository...), run 'psoas sync setup' with it on each, and each sees every "
            "session; 'psoas sync status' shows what is there.")


def _check_writable(folder: str, made: bool) -> None:
    """PsoasError unless a file can be made in ``folder`` (/proc, a read-only
    disk): said before the setting is saved, so a folder that can't be used is
    never kept."""
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".psoas-probe-")
    except OSError as exc:
        if made:  # the folder psoas just made, for nothing
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        raise PsoasError(f"cannot write in {folder}: {exc.strerror or exc}; it was not set "
                         "as the sync folder") from None
    os.close(handle)
    os.remove(probe)


def status(app: App) -> None:
    """'psoas sync status': the folder, the machines seen, what waits, problems."""
    chosen = setting(app)
    if chosen is None:
        app.say("No sync folder is set. 'psoas sync setup DIR' syncs your history through a "
                "folder that Syncthing, Dropbox or git shares between your machines.")
        return
    with Sync(app, chosen.folder) as sync:
        try:
            pulled = sync.pull()
        except PsoasError as exc:  # the folder is not there: say so among the problems
            pulled = Pulled(Merged.nothing(), 0, [str(exc)], [], False)
        states = sync.states()
        names = merge.machine_names(sync.history)
        counts = merge.counts_by_machine(sync.history)
        waiting = merge.waiting(sync.history, sync.now())
        me = sync.machine
    out = app.stdout
    click.echo(f"Sync folder   {line(sync.folder)} ({chosen.source})", file=out)
    click.echo(f"This machine  {line(me.name)} ({me.id[:8]})", file=out)
    click.echo(f"Its file      {exchange.sync_name(me.id)}", file=out)
    machines: dict[str, list[FileState]] = {}
    for state in states.values():
        if state.machine:
            machines.setdefault(state.machine, []).append(state)
    click.echo("Machines" if machines else "Machines      none yet", file=out)
    rows = []
    for ident, files in sorted(machines.items(), key=lambda m: names.get(m[0], m[0])):
        wrote = max((s.wrote for s in files if s.wrote is not None), default=None)
        name = me.name if ident == me.id else names.get(ident, "?")
        sessions = counts.get(ident, 0) + (counts.get(None, 0) if ident == me.id else 0)
        rows.append((clip(line(name), 16) + (" (here)" if ident == me.id else ""), ident[:8],
                     _when(wrote), count(sessions, "session")))
    widths = [max((len(r[i]) for r in rows), default=0) for i in range(4)]
    for row in rows:
        click.echo("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
                   .rstrip(), file=out)
    waits = exchange.counted(waiting)
    click.echo(f"Waiting       {waits + ' to write' if waits else 'nothing'}", file=out)
    problems = [p for s in states.values() for p in s.problems] + [
        p for p in pulled.problems if not any(p in s.problems for s in states.values())]
    copies = sorted(s.name for s in states.values() if _is_copy(s.name))
    if me.name != machine.host_name():
        problems.append(f"this machine's id was made on '{line(me.name)}', not here "
                        f"('{line(machine.host_name())}'): if the psoas folder was copied "
                        f"from there, remove {machine.path_in(sync.home)} here, so that each "
                        "machine has its own file")
    if copies:
        problems.append(f"{count(len(copies), 'conflict copy', 'conflict copies')} merged "
                        f"(you may delete {'it' if len(copies) == 1 else 'them'}): "
                        + ", ".join(copies))
    if not problems:
        click.echo("Problems      none", file=out)
        return
    click.echo("Problems", file=out)
    width = columns(out, app.env)
    for problem in dict.fromkeys(problems):  # wrapped at spaces, as psoas's messages are
        click.echo("\n".join(fold(f"  {line(problem)}", width, indent="    ")), file=out)


def _is_copy(name: str) -> bool:
    known = syncfolder.classify(name)
    return known is not None and known[1]


def _when(wrote: float | None) -> str:
    if wrote is None:
        return "never wrote"
    return "wrote " + time.strftime("%Y-%m-%d %H:%M", time.localtime(wrote))


def _chosen(app: App) -> Setting:
    chosen = setting(app)
    if chosen is None:
        raise PsoasError("no sync folder is set: 'psoas sync setup DIR' chooses one")
    return chosen


def _say_pushed(app: App, sync: Sync, pushed: dict[str, int]) -> None:
    if sync.rewrote:
        app.say("This machine's file in the sync folder had lost records (deleted, emptied "
                "or put back older): every record of this machine goes there again.")
    parts = exchange.counted(pushed)
    if parts:
        app.say(f"Wrote {parts} to {sync.path}")


def _say_pulled(app: App, pulled: Pulled) -> None:
    added = pulled.merged.added
    parts = exchange.counted(added)
    updated = exchange.counted(pulled.merged.updated)
    if parts or updated:
        app.say(f"Merged {parts or 'nothing new'}"
                + (f" ({updated} further along)" if updated else "")
                + f" from {count(pulled.files, 'file')} of the sync folder.")
    else:
        app.say("Up to date: nothing new in the sync folder.")
    for problem in pulled.problems:
        app.warn(problem)
    if pulled.copies:
        app.warn(f"merged {', '.join(pulled.copies)}: conflict copies the sync tool made; "
                 "every record in them is here now, so you may delete them")
    if pulled.left:
        app.warn("there is more to merge: run 'psoas sync' again")


# -- around reports and routines -----------------------------------------------------------

def before_report(app: App, history: History | None = None) -> None:
    """Sync, bounded, before a report that counts days; problems in one warning line
    (autosync.py calls it when a sync folder is set)."""
    try:
        chosen = setting(app)
        if chosen is None:
            return
        with Sync(app, chosen.folder, history=history) as sync:
            sync.push()
            pulled = sync.pull(most=REPORT_BYTES)
            if sync.rewrote:
                sync.push()
    except PsoasError as exc:
        app.warn(f"not synced: {exc}")
        return
    if sync.rewrote:
        app.warn("sync: this machine's file in the sync folder had lost records; every "
                 "record of this machine went there again")
    found = pulled.problems + ([f"{count(len(pulled.copies), 'conflict copy', 'conflict copies')}"
                                " merged"] if pulled.copies else [])
    if found:
        app.warn(f"sync: {line(found[0])}" + (f" (and {len(found) - 1} more: 'psoas sync status')"
                                              if len(found) > 1 else ""))
    if pulled.left:
        app.warn("sync: more to merge than fits before a report; 'psoas sync' merges it all")


def after_routine(app: App) -> None:
    """Write this machine's file after a routine, on a thread of its own, waiting at
    most PUSH_SECONDS; what is not written then goes at the next sync."""
    failures: list[str] = []

    def work() -> None:
        try:
            chosen = setting(app)
            if chosen is not None:
                with Sync(app, chosen.folder) as sync:
                    sync.push()
        except Exception as exc:  # noqa: BLE001 - the routine is over; say it, and go on
            failures.append(" ".join(str(exc).split()) or type(exc).__name__)

    thread = threading.Thread(target=work, name="psoas-sync", daemon=True)
    thread.start()
    thread.join(PUSH_SECONDS)
    if thread.is_alive():
        app.warn("the sync folder is slow: this session goes there at the next sync")
    elif failures:
        app.warn(f"not synced: {failures[0]}")
