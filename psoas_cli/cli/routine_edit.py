"""``psoas routine new``, ``rm`` and ``edit``: your own routines, without writing YAML.

Each changes routines.yaml in the psoas folder through files/routines_edit.py
(the text edited line by line, so comments stay) and safefile.py (a
temporary file renamed into place, the old file kept as routines.yaml.bak).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from psoas_cli import limits
from psoas_cli.cli.app import pass_app
from psoas_cli.cli.command import Command
from psoas_cli.cli.complete import own_routine_names, routine_names, stretch_names
from psoas_cli.cli.errors import UsageLine, UserError
from psoas_cli.cli.fit_options import LEVELS, fitted
from psoas_cli.cli.param_types import Bounded
from psoas_cli.ui.views.quantities import count

if TYPE_CHECKING:
    from psoas_cli.cli.app import App
    from psoas_cli.model.routines import Routine
    from psoas_cli.play.fitting import Fit


def _user_file(app: App) -> tuple[str, str]:
    """The user's routines.yaml: its path and text ("" when there is none yet)."""
    from psoas_cli.errors import RoutineError
    from psoas_cli.files.datafiles import user_routines_path
    from psoas_cli.files.yamlfile import read_text

    path = user_routines_path(app.home())
    # Anything at all there is read (and a folder, a FIFO or a link to nothing
    # named), never taken for no routines.
    return path, read_text(path, RoutineError) if os.path.lexists(path) else ""


def _routines_in(app: App, path: str, text: str) -> dict[str, Routine]:
    """The routines in the user's file, as psoas reads them now."""
    from psoas_cli.errors import RoutineError
    from psoas_cli.files import routines_schema, yamlfile

    if not text.strip():
        return {}
    return routines_schema.from_document(yamlfile.parse(text, path, RoutineError), app.catalogue)


@contextmanager
def _editing(app: App) -> Iterator[tuple[str, str, dict[str, Routine]]]:
    """The user's file (path, text, routines) to change; a file psoas can't read,
    or can't change safely, is one line naming it."""
    from psoas_cli.errors import EditError, RoutineError

    path, text = _user_file(app)
    try:
        before = _routines_in(app, path, text)
    except RoutineError as exc:
        raise UserError(f"{exc} (mend it first with 'psoas routine edit')") from None
    try:
        yield path, text, before
    except EditError as exc:
        raise UserError(f"{path}: {exc}") from None


def _save(path: str, text: str) -> str:
    """Write the user's file safely; the words saying where the old one went."""
    from psoas_cli.files.safefile import replace

    backup = replace(path, text)
    return f"the previous file is {backup}" if backup else "a new file"


# -- new ----------------------------------------------------------------------------------

@click.command(name="new", cls=Command)
@click.argument("name")
@click.argument("stretches", nargs=-1, required=True, shell_complete=stretch_names)
@click.option("--minutes", type=Bounded(limits.MINUTES), metavar="N",
              help="Fit it to N minutes each time it plays (2.5 too).")
@click.option("--level", type=click.Choice(LEVELS),
              help="Play it at this level, unless you choose another.")
@click.option("--description", metavar="TEXT",
              help="One line for 'psoas routine' (the stretches' names if not given).")
@click.option("--force", is_flag=True, help="Replace a routine of that name.")
@pass_app
def new_cmd(app: App, name: str, stretches: tuple[str, ...], minutes: float | None,
            level: str | None, description: str | None, force: bool) -> None:
    """Make a routine of the STRETCHES named, in order, in your routines.yaml.

    Names work as in 'psoas show'; 'psoas routine NAME' then plays it.

    \b
    Examples:
      psoas routine new mine pigeon cobra --minutes 6
      psoas routine new office seated standing --level gentle
    """
    from psoas_cli.files import routines_edit
    from psoas_cli.model.routines import adhoc

    _check_name(name)
    chosen = [app.catalogue.find(stretch) for stretch in stretches]
    existing = app.routines()
    if name in existing and not force:
        raise UsageLine(f"there is already a routine called '{name}'; --force replaces it, "
                        "or choose another name")
    routine = adhoc(chosen, name=name)
    played = _check_fits(routine, minutes, level)
    if description is not None:
        _check_description(description)
    description = description or ", ".join(s.name for s in chosen)
    with _editing(app) as (path, text, before):
        if name in before:
            text = routines_edit.remove(text, name)
        indent = routines_edit.layout(text).indent if text.strip() else "  "
        block = routines_edit.render(name, [s.slug for s in chosen], description=description,
                                     level=level, minutes=minutes, indent=indent)
        new_text = routines_edit.add(text, block)
        routines_edit.checked(new_text, path, app.catalogue, before, added=name, removed=name)
    kept = _save(path, new_text)
    length = f", fitted to {count(minutes, 'minute')}" if minutes else ""
    app.say(f"Added '{name}' to {path} ({kept}): {description}{length}.")
    for note in played.notes(total=False):  # a stretch asked for that will not play: say so now
        app.say(note)
    click.echo(f"'psoas routine {name}' plays it.", file=app.stdout)


DESCRIPTION_MOST = 200  # characters: one line of 'psoas routine'


def _check_description(text: str) -> None:
    """One line of plain text: it is shown on a terminal and kept in a file."""
    from psoas_cli.text import clip, line

    if not all(c.isprintable() for c in text):
        raise UsageLine(f"--description must be one line of plain text, not "
                        f"'{clip(line(text), 40)}'")
    if len(text) > DESCRIPTION_MOST:
        raise UsageLine(f"--description may be {DESCRIPTION_MOST} characters at most, "
                        f"not {len(text):,}")


def _check_name(name: str) -> None:
    from psoas_cli.files.routines_schema import NAME
    from psoas_cli.model.routines import RESERVED

    if name in RESERVED:
        raise UsageLine(f"a routine can't be called '{name}': 'psoas routine {name}' is a "
                        "command; choose another name")
    if not NAME.match(name):
        raise UsageLine(f"'{name}' can't be a routine's name: use lowercase letters, digits "
                        "and hyphens, such as 'after-work'")


def _check_fits(routine: Routine, minutes: float | None, level: str | None) -> Fit:
    """How the routine plays as asked; a one-line error if it never could."""
    return fitted(routine, _no_overrides(), minutes=minutes, level=level)


def _no_overrides():
    from psoas_cli.play.timeline import Overrides

    return Overrides()


# -- rm ------------------------------------------------------------------------------------

@click.command(name="rm", cls=Command)
@click.argument("name", shell_complete=own_routine_names)
@pass_app
def rm_cmd(app: App, name: str) -> None:
    """Remove one of your routines from your routines.yaml (a backup is kept).

    \b
    Examples:
      psoas routine rm mine
    """
    from psoas_cli.files import routines_edit

    with _editing(app) as (path, text, before):
        if name not in before:
            _not_yours(app, name, before)
        new_text = routines_edit.remove(text, name)
        routines_edit.checked(new_text, path, app.catalogue, before, removed=name)
    kept = _save(path, new_text)
    app.say(f"Removed '{name}' from {path} ({kept}).")
    if name in app.routines():
        click.echo(f"The built-in '{name}' plays again.", file=app.stdout)


def _not_yours(app: App, name: str, yours: dict[str, Routine]) -> None:
    """Say why ``name`` can't be removed."""
    from psoas_cli.files.datafiles import CATALOGUE, ROUTINES, bundled_path, load_routines_file
    from psoas_cli.text import close_matches, either

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


# -- edit -----------------------------------------------------------------------------------

@click.command(name="edit", cls=Command)
@click.argument("name", required=False, shell_complete=routine_names)
@pass_app
def edit_cmd(app: App, name: str | None) -> None:
    """Open your routines.yaml in your editor ($VISUAL or $EDITOR).

    psoas checks the file when you close the editor and saves it only if
    it reads well; if not, it says what is wrong and offers to open it
    again. With the NAME of a built-in routine, a copy of it is put in
    your file to change: yours then plays instead.

    \b
    Examples:
      psoas routine edit          your routines.yaml as it is
      psoas routine edit desk     with a copy of desk to change
    """
    from psoas_cli.files import routines_edit

    path, text = _user_file(app)
    draft = text or routines_edit.HEADER
    if name is not None:
        draft = _with_routine(app, path, draft, name)
    offered = draft
    while True:
        edited = _edit_in_editor(app, path, offered)
        if edited.strip() == text.strip() or edited == draft:  # closed without a change
            app.say(f"No changes to {path}.")
            return
        problem = _problem(app, path, edited)
        if problem is None:
            break
        click.echo(f"psoas: {problem}", file=app.stderr)
        if not click.confirm("Edit it again?", default=True, err=True):
            kept = _keep_rejected(path, edited)
            raise UserError(f"{path} is unchanged; your edit is in {kept}")
        offered = edited
    kept = _save(path, edited)
    number = len(_routines_in(app, path, edited))
    app.say(f"Saved {path} ({kept}): {count(number, 'routine')} of your own.")


def _with_routine(app: App, path: str, draft: str, name: str) -> str:
    """The draft, with a copy of the built-in routine ``name`` if it isn't there yet."""
    from psoas_cli.errors import RoutineError
    from psoas_cli.files import routines_edit
    from psoas_cli.files.datafiles import ROUTINES, bundled_path
    from psoas_cli.model.routines import find

    _check_name(name)
    try:
        yours = _routines_in(app, path, draft)
    except RoutineError:
        return draft  # a file with a mistake opens as it is, to be mended first
    if name in yours:
        return draft
    with open(bundled_path(ROUTINES), encoding="utf-8") as stream:
        builtin_text = stream.read()
    routine = find(app.routines(), name)  # a name that matches nothing says so here
    if routine.name in yours or routines_edit.layout(builtin_text).find(routine.name) is None:
        return draft
    indent = routines_edit.layout(draft).indent
    return routines_edit.add(draft, routines_edit.block(builtin_text, routine.name, indent))


def _problem(app: App, path: str, text: str) -> str | None:
    """What is wrong with the edited text, in one line; None if it reads well."""
    from psoas_cli.errors import RoutineError

    try:
        _routines_in(app, path, text)
    except RoutineError as exc:
        return str(exc)
    return None


def _edit_in_editor(app: App, path: str, text: str) -> str:
    """``text`` as the user leaves it after editing a copy of the file.

    The copy sits beside the real file, named like it, so the editor
    colours it as YAML; the real file is only ever replaced whole, once
    what was typed reads well.
    """
    import tempfile

    from psoas_cli.files import boundedread

    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, draft = tempfile.mkstemp(dir=folder, prefix="routines-edit-", suffix=".yaml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        run_editor(draft, app.env)
        # Read as psoas reads any routines file: a regular file, within the
        # limit (an editor or a script may leave anything in its place).
        return boundedread.read_bytes(draft).decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"the edited file is not UTF-8 text; {path} is unchanged") from None
    except OSError as exc:
        raise UserError(f"the edited file {boundedread.problem(exc, draft)}; {path} is "
                        "unchanged") from None
    finally:
        _remove(draft)


def _remove(path: str) -> None:
    """Take away the draft, whatever the editor left in its place."""
    import shutil

    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    except FileNotFoundError:
        pass


def _keep_rejected(path: str, text: str) -> str:
    """Keep an edit that didn't read well, for the user to pick up again."""
    rejected = path + ".rejected"
    with open(rejected, "w", encoding="utf-8") as stream:
        stream.write(text)
    return rejected


def run_editor(path: str, env) -> None:
    """Open ``path`` in the user's editor and wait for it to close.

    Like click.edit: $VISUAL, then $EDITOR, then a usual editor; but the
    command is split into words and run without a shell, which click.edit
    does only from Click 8.5 on (earlier it hands the line to the shell).
    """
    import shlex
    import subprocess

    editor = env.get("VISUAL") or env.get("EDITOR") or _usual_editor()
    try:
        words = shlex.split(editor, posix=os.name != "nt")
    except ValueError as exc:
        raise UserError(f"can't read the editor command '{editor}': {exc}") from None
    try:
        status = subprocess.run([*words, path]).returncode
    except OSError as exc:
        raise UserError(f"can't start the editor '{editor}' ({exc.strerror or exc}); "
                        "set VISUAL or EDITOR to one that works") from None
    if status:
        raise UserError(f"the editor '{editor}' failed (status {status}); nothing was saved")


def _usual_editor() -> str:
    if os.name == "nt":
        return "notepad"
    from shutil import which

    return next((e for e in ("sensible-editor", "nano", "vim") if which(e)), "vi")
