"""The user's text editor ($VISUAL, then $EDITOR), run on a copy of a file.

Like click.edit, but the command is split into words and run without a
shell, which click.edit does only from Click 8.5 on (earlier it hands the
line to the shell).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping

from psoas_cli.errors import PsoasError
from psoas_cli.files import boundedread


def edit_copy(path: str, text: str, env: Mapping[str, str]) -> str:
    """``text`` as the user leaves it after editing a copy of the file at ``path``.

    The copy sits beside the real file, named like it, so the editor
    colours it as YAML; the real file is never touched here.
    """
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, draft = tempfile.mkstemp(dir=folder, prefix="routines-edit-", suffix=".yaml")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        run_editor(draft, env)
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
    try:
        status = subprocess.run([*words, path]).returncode
    except OSError as exc:
        raise PsoasError(f"can't start the editor '{editor}' ({exc.strerror or exc}); "
                         "set VISUAL or EDITOR to one that works") from None
    if status:
        raise PsoasError(f"the editor '{editor}' failed (status {status}); nothing was saved")


def _usual_editor() -> str:
    if os.name == "nt":
        return "notepad"
    return next((e for e in ("sensible-editor", "nano", "vim") if shutil.which(e)), "vi")
