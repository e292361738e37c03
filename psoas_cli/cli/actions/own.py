"""Your own routines: what 'psoas routine new', 'rm' and 'edit' do.

Each changes routines.yaml in the psoas folder through files/routines_edit.py
(the text edited line by line, so comments stay, and written through
safefile.py: a temporary file renamed into place, the old one kept as
routines.yaml.bak).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import click

from psoas_cli import limits
from psoas_cli.cli.actions.play import fitted
from psoas_cli.cli.app import App
from psoas_cli.cli.errors import UsageLine, UserError
from psoas_cli.errors import EditError, RoutineError
from psoas_cli.files import filelock, routines_edit
from psoas_cli.files.datafiles import (
    CATALOGUE,
    ROUTINES,
    bundled_path,
    load_routines_file,
    user_routines_path,
)
from psoas_cli.files.routines_schema import NAME
from psoas_cli.model.routines import RESERVED, Routine, adhoc, find
from psoas_cli.play.timeline import Overrides
from psoas_cli.text import clip, close_matches, either, line
from psoas_cli.ui.editor import edit_copy, untouched
from psoas_cli.ui.views.quantities import count

DESCRIPTION_MOST = 200  # characters: one line of 'psoas routine'


def _update(app: App, change: Callable[[str, str, dict[str, Routine]], str],
            ) -> tuple[str, str]:
    """Change the user's file under its lock (files/filelock.py), so that a
    psoas changing it at the same time waits its turn: ``change(path, text,
    routines)`` gives the new text.  A file psoas can't read, or can't change
    safely, is one line naming it.  Returns the path and where the old file went."""
    path = user_routines_path(app.home())

    def edit(text: str) -> str:
        try:
            before = routines_edit.routines_in(text, path, app.catalogue)
        except RoutineError as exc:
            raise UserError(f"{exc} (mend it first with 'psoas routine edit')") from None
        try:
            return change(path, text, before)
        except EditError as exc:
            raise UserError(f"{path}: {exc}") from None

    _, backup = filelock.update(path, edit, read=routines_edit.read_user)
    return path, routines_edit.kept_words(backup)


def new_routine(app: App, name: str, stretches: Sequence[str], *, minutes: float | None,
                level: str | None, description: str | None, force: bool) -> None:
    """Add a routine of the stretches named to the user's routines.yaml."""
    check_name(name)
    chosen = [app.catalogue.find(stretch) for stretch in stretches]
    if name in app.routines() and not force:
        raise _taken(name)
    # How it plays as asked; a one-line error if it never could.
    played = fitted(adhoc(chosen, name=name), Overrides(), minutes=minutes, level=level,
                    moves=app.catalogue.moves)
    if description is not None:
        _check_description(description)
    description = description or ", ".join(s.name for s in chosen)

    def change(path: str, text: str, before: dict[str, Routine]) -> str:
        if name in before:
            if not force:  # added by another psoas since the check above
                raise _taken(name)
            text = routines_edit.remove(text, name)
        indent = routines_edit.layout(text).indent if text.strip() else "  "
        block = routines_edit.render(name, [s.slug for s in chosen], description=description,
                                     level=level, minutes=minutes, indent=indent)
        new_text = routines_edit.add(text, block)
        routines_edit.checked(new_text, path, app.catalogue, before, added=name, removed=name)
        return new_text

    path, kept = _update(app, change)
    length = f", fitted to {count(minutes, 'minute')}" if minutes else ""
    app.say(f"Added '{name}' to {path} ({kept}): {description}{length}.")
    for note in played.notes(total=False):  # a stretch asked for that will not play: say so now
        app.say(note)
    click.echo(f"'psoas routine {name}' plays it.", file=app.stdout)


def _taken(name: str) -> UsageLine:
    return UsageLine(f"there is already a routine called '{name}'; --force replaces it, "
                     "or choose another name")


def _check_description(text: str) -> None:
    """One line of plain text: it is shown on a terminal and kept in a file."""
    if not all(c.isprintable() for c in text):
        raise UsageLine(f"--description must be one line of plain text, not "
                        f"'{clip(line(text), 40)}'")
    if len(text) > DESCRIPTION_MOST:
        raise UsageLine(f"--description may be {DESCRIPTION_MOST} characters at most, "
                        f"not {len(text):,}")


def check_name(name: str) -> None:
    if len(name) > limits.NAME_CHARS:
        raise UsageLine(f"a routine's name may be {limits.NAME_CHARS:,} characters at most, "
                        f"not {len(name):,}")
    if name in RESERVED:
        raise UsageLine(f"a routine can't be called '{name}': 'psoas routine {name}' is a "
                        "command; choose another name")
    if not NAME.match(name):
        raise UsageLine(f"'{name}' can't be a routine's name: use lowercase letters, digits "
                        "and hyphens, such as 'after-work'")


def remove_routine(app: App, name: str) -> None:
    """Take the routine ``name`` out of the user's routines.yaml."""

    def change(path: str, text: str, before: dict[str, Routine]) -> str:
        if name not in before:
            _not_yours(app, name, before)
        new_text = routines_edit.remove(text, name)
        routines_edit.checked(new_text, path, app.catalogue, before, removed=name)
        return new_text

    path, kept = _update(app, change)
    app.say(f"Removed '{name}' from {path} ({kept}).")
    if name in app.routines():
        click.echo(f"The built-in '{name}' plays again.", file=app.stdout)


def _not_yours(app: App, name: str, yours: dict[str, Routine]) -> None:
    """Say why ``name`` can't be removed."""
    builtin = load_routines_file(bundled_path(ROUTINES), app.catalogue,
                                 catalogue_path=app.catalogue_path or bundled_path(CATALOGUE),
                                 builtin=True)
    if name in builtin or name in builtin.unavailable:
        raise UsageLine(f"'{name}' is built in; only your own routines can be removed")
    if not yours:
        raise UsageLine(f"you have no routines of your own yet, so no '{name}' to remove")
    close = [n for n in yours if n.startswith(name)] or close_matches(name, yours)
    hint = f"; did you mean {either(close)}?" if close else ""
    raise UsageLine(f"no routine of yours is called '{name}'{hint} (yours: {', '.join(yours)})")


def edit_routines(app: App, name: str | None) -> None:
    """Open the user's routines.yaml in their editor (with a copy of the
    built-in ``name`` to change), and save what reads well."""
    path, text = routines_edit.user_file(app.home())
    draft = text or routines_edit.HEADER
    if name is not None:
        draft = _with_routine(app, path, draft, name)
    offered = draft
    while True:
        edited = edit_copy(path, offered, app.env)
        if edited.strip() == text.strip() or edited == draft:  # closed without a change
            app.say(f"No changes to {path}." if os.path.lexists(path) else
                    f"Nothing was saved: you have no routines of your own yet (they would go "
                    f"in {path}).")
            return
        problem = _problem(app, path, edited)
        if problem is None:
            if _keeps_some(app, path, text, edited):
                break
            kept = routines_edit.keep_rejected(path, edited)
            raise UserError(f"{path} is unchanged; your edit removed every routine, and is "
                            f"in {kept}")
        click.echo(f"psoas: {problem}", file=app.stderr)
        if not _ask(app, "Edit it again?", default=True):  # no, Ctrl-C, Ctrl-D, no input
            kept = routines_edit.keep_rejected(path, edited)
            raise UserError(f"{untouched(path)}; your edit is in {kept}")
        offered = edited
    saved, kept = _save_edit(app, path, text, edited)
    number = len(routines_edit.routines_in(saved, path, app.catalogue))
    app.say(f"Saved {path} ({kept}): {count(number, 'routine')} of your own.")


def _ask(app: App, question: str, *, default: bool) -> bool:
    """Ask on the terminal; no answer (Ctrl-C, Ctrl-D, input closed) is no."""
    if app.stdin is None:  # started with stdin closed ('<&-'): nobody to ask
        return False
    try:
        return click.confirm(question, default=default, err=True)
    except click.Abort:  # Ctrl-C or Ctrl-D
        click.echo(file=app.stderr)
        return False


def _keeps_some(app: App, path: str, before: str, after: str) -> bool:
    """False when the edit removes every routine of the file and the user,
    asked, doesn't confirm it (an editor that empties the file, say)."""
    try:
        had = routines_edit.routines_in(before, path, app.catalogue)
    except RoutineError:
        return True  # mending a file that didn't read: nothing to lose
    if not had or routines_edit.routines_in(after, path, app.catalogue):
        return True
    names = clip(", ".join(had), 60)
    return _ask(app, f"Your edit removes every routine of yours ({len(had)}: {names}). Save it?",
                default=False)


def _save_edit(app: App, path: str, opened: str, edited: str) -> tuple[str, str]:
    """Save ``edited``, made from the file as it was when the editor opened
    (``opened``), under the file's lock.  Routines another psoas added,
    removed or replaced while the editor was open are kept (merged into the
    edit); a change that can't be merged is never written over: the edit is
    kept in routines.yaml.rejected instead."""
    with filelock.locked(path):
        now = routines_edit.read_user(path)
        text = edited
        if now != opened:
            try:
                text = routines_edit.merge(opened, now, edited, path, app.catalogue)
                routines_edit.routines_in(text, path, app.catalogue)
            except (EditError, RoutineError) as exc:
                kept = routines_edit.keep_rejected(path, edited)
                raise UserError(f"{path} changed while the editor was open ({exc}), so your "
                                f"edit was not saved over it; your edit is in {kept}") from None
        return text, routines_edit.save(path, text)


def _with_routine(app: App, path: str, draft: str, name: str) -> str:
    """The draft, with a copy of the built-in routine ``name`` if it isn't there yet."""
    check_name(name)
    try:
        yours = routines_edit.routines_in(draft, path, app.catalogue)
    except RoutineError:
        return draft  # a file with a mistake opens as it is, to be mended first
    routine = find(app.routines(), name)  # a name that matches nothing says so here
    return routines_edit.with_builtin(draft, routine.name, yours)


def _problem(app: App, path: str, text: str) -> str | None:
    """What is wrong with the edited text, in one line; None if it reads well."""
    try:
        routines_edit.routines_in(text, path, app.catalogue)
    except RoutineError as exc:
        return str(exc)
    return None
