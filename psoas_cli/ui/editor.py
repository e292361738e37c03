"""The user's text editor ($VISUAL, then $EDITOR), run on a copy of a file.

Like click.edit, but the command is split into words and run without a
shell, which click.edit does only from Click 8.5 on (earlier it hands the
line to the shell).
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from psoas_cli.errors import PsoasError
from psoas_cli.files import boundedread
from psoas_cli.files.routines_edit import keep_rejected
from psoas_cli.files.safefile import folder_problem
from psoas_cli.text import clip


class EditorEnded(PsoasError):
    """The editor was ended by a signal (Ctrl-C, say), not closed."""


def edit_copy(path: str, text: str, env: Mapping[str, str]) -> str:
    """``text`` as the user leaves it after editing a copy of the file at ``path``.

    The copy sits beside the real file, named like it, so the editor
    colours it as YAML; the real file is never touched here.
    """
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        handle, draft = tempfile.mkstemp(dir=folder, prefix="routines-edit-", suffix=".yaml")
    except OSError as exc:  # a file on the way to the folder, a read-only folder
        raise PsoasError(f"cannot edit {path}: {folder_problem(exc, path)}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        try:
            run_editor(draft, env)
        except EditorEnded as exc:  # by a signal: what it had written is kept
            raise PsoasError(f"{exc}{_kept(path, draft, text)}") from None
        # Read as psoas reads any routines file: a regular file, within the
        # limit (an editor or a script may leave anything in its place).
        return boundedread.read_bytes(draft).decode("utf-8")
    except UnicodeDecodeError:
        raise PsoasError(f"the edited file is not UTF-8 text; {untouched(path)}") from None
    except OSError as exc:
        raise PsoasError(f"the edited file {boundedread.problem(exc, draft)}; "
                         f"{untouched(path)}") from None
    finally:
        _remove(draft)


def untouched(path: str) -> str:
    """What an edit that was not saved left: the file as it was, or still none."""
    if os.path.lexists(path):
        return f"{path} is unchanged"
    return f"nothing was saved, and you have no {path} yet"


def _kept(path: str, draft: str, text: str) -> str:
    """'; your draft is in ...' when the editor, ended by a signal (Ctrl-C),
    left a changed draft, kept beside the file; else ''."""
    try:
        left = boundedread.read_bytes(draft).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    if left == text:
        return ""
    try:
        return f"; your draft is in {keep_rejected(path, left)}"
    except OSError:
        return ""


def _remove(path: str) -> None:
    """Take away the draft, whatever the editor left in its place."""
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    except FileNotFoundError:
        pass


def run_editor(path: str, env: Mapping[str, str]) -> None:
    """Open ``path`` in the user's editor and wait for it to close."""
    editor = env.get("VISUAL") or env.get("EDITOR") or _usual_editor()
    try:
        words = shlex.split(editor, posix=os.name != "nt")
    except ValueError as exc:
        raise PsoasError(f"can't read the editor command '{editor}': {exc}") from None
    editor = clip(editor, 80)  # for the messages below: the draft's place must show whole
    with _signals_to_the_editor():
        try:
            status = subprocess.Popen([*words, path]).wait()
        except OSError as exc:
            raise PsoasError(f"can't start the editor '{editor}' ({exc.strerror or exc}); "
                             "set VISUAL or EDITOR to one that works") from None
    if status < 0:
        how = "Ctrl-C" if status == -signal.SIGINT else f"signal {-status}"
        raise EditorEnded(f"the editor '{editor}' was ended by {how}; nothing was saved")
    if status:
        raise PsoasError(f"the editor '{editor}' failed (status {status}); nothing was saved")


@contextmanager
def _signals_to_the_editor() -> Iterator[None]:
    """While the editor runs, Ctrl-C and Ctrl-\\ are the editor's: psoas takes
    no notice of them, as a shell does while a command runs, so an editor
    that lets the terminal send them on can't end psoas and lose the draft.
    A handler, not SIG_IGN: the editor starts with the default again."""
    names = ("SIGINT", "SIGQUIT")
    wanted = [getattr(signal, name) for name in names if hasattr(signal, name)]
    try:
        old = {number: signal.signal(number, _noticed) for number in wanted}
    except ValueError:  # not the main thread: leave them be
        old = {}
    try:
        yield
    finally:
        for number, handler in old.items():
            signal.signal(number, handler)


def _noticed(signum: int, frame: object) -> None:
    """Nothing: the editor has the signal."""


def _usual_editor() -> str:
    if os.name == "nt":
        return "notepad"
    return next((e for e in ("sensible-editor", "nano", "vim") if shutil.which(e)), "vi")
