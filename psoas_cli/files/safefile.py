"""Replacing a user's file so that it is never lost or left half written.

Pure Python.  The new text goes to a temporary file in the same folder,
is flushed to the disk, and then renamed over the old one in one step, so a
reader, a crash or Ctrl-C at any moment finds either the old file or the new
one, whole.  The old file is kept beside it as ``NAME.bak`` first (by a
hard link where the file system allows, else a copy), and the target of a
symbolic link is written rather than the link replaced, so a dotfiles
manager's links keep working.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable

from psoas_cli.errors import WriteError
from psoas_cli.files.stale import remove_stale


def backup_path(path: str) -> str:
    return os.path.realpath(path) + ".bak"


def replace(path: str, text: str, *, backup: bool = True, folders: bool = True) -> str | None:
    """Write ``text`` to ``path`` safely (see ``replace_chunks``)."""
    return replace_chunks(path, (text.encode("utf-8"),), backup=backup, folders=folders)


def replace_chunks(path: str, chunks: Iterable[bytes], *, backup: bool = True,
                   folders: bool = True) -> str | None:
    """Write the bytes of ``chunks`` to ``path`` safely, each as it comes (a long
    export is never held whole); returns the backup's path, if there
    was an old file to keep (``backup=False``: none is kept).  The folder is
    made when missing, unless ``folders=False`` (a path the user typed: a
    missing folder is their mistake, refused with the error 'no folder').

    A path that is not a regular file (a pipe, /dev/stdout, a terminal, a
    device) is written into, as ``cp`` would: renaming a file over it would
    put a regular file in the place of the device (as root, even /dev/full's);
    a folder is refused.  Whatever ``chunks`` raises (an error while it is
    worked out) leaves a regular file as it was, and no temporary file."""
    descriptor = _descriptor(path)
    if descriptor is not None:
        _write_descriptor(path, descriptor, chunks)
        return None
    special = _special(path)
    if special is not None:
        _write_into(path, special, chunks)
        return None
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    try:
        if folders:
            os.makedirs(folder, exist_ok=True)
        elif not os.path.isdir(folder):
            raise WriteError(f"cannot write {path}: no folder {folder}")
        old = os.stat(target) if os.path.exists(target) else None
        temporary = _write_temporary(folder, target, chunks,
                                     old.st_mode & 0o7777 if old else 0o644)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        kept = _keep(target) if old and backup else None
        os.replace(temporary, target)
        _sync_folder(folder)
        return kept
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}; it is unchanged") \
            from None
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


# /dev/stdout and the like: written through the descriptor psoas already has,
# at its offset, never by opening the path (a new opening of a redirected
# file starts at its top) nor by renaming over what it resolves to (the
# file the shell redirected to, replaced)
_DESCRIPTORS = re.compile(r"/dev/(?:std(out|err)|fd/(\d{1,4}))|/proc/self/fd/(\d{1,4})")


def _descriptor(path: str) -> int | None:
    found = _DESCRIPTORS.fullmatch(os.path.normpath(path))
    if found is None:
        return None
    if found.group(1):
        return 1 if found.group(1) == "out" else 2
    return int(found.group(2) or found.group(3))


def _write_descriptor(path: str, descriptor: int, chunks: Iterable[bytes]) -> None:
    try:
        handle = os.dup(descriptor)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    _write_all(path, handle, chunks)


def _special(path: str) -> int | None:
    """The mode of what ``path`` names, if it exists and is not a regular file."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return None if stat.S_ISREG(mode) else mode


def _write_into(path: str, mode: int, chunks: Iterable[bytes]) -> None:
    if stat.S_ISDIR(mode):
        raise WriteError(f"cannot write {path}: it is a folder")
    try:
        # O_NONBLOCK: a pipe nobody reads is refused at once rather than waited on
        handle = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise WriteError(f"cannot write {path}: nothing is reading that pipe") from None
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    _write_all(path, handle, chunks, blocking=True)


def _write_all(path: str, handle: int, chunks: Iterable[bytes], *,
               blocking: bool = False) -> None:
    """Every byte of ``chunks`` to the open ``handle``, which is closed after
    (``blocking``: made to wait for a slow reader first)."""
    try:
        if blocking:
            os.set_blocking(handle, True)
        for data in chunks:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        os.close(handle)


def folder_problem(exc: OSError, beside: str) -> str:
    """Why a file could not be made beside ``beside``, in words for one line."""
    folder = os.path.dirname(beside)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"its folder {folder} can't be written to ({exc.strerror})"
    if exc.errno == errno.ENOTDIR:
        return f"a file is in the place of a folder on the way to {folder}"
    return exc.strerror or str(exc)


def _write_temporary(folder: str, target: str, chunks: Iterable[bytes], mode: int) -> str:
    remove_stale(target)
    # Named by its writer's process, so one a writer killed outright left is
    # known to be stale (remove_stale).
    handle, temporary = tempfile.mkstemp(
        dir=folder, prefix=f".{os.path.basename(target)}.{os.getpid()}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            for data in chunks:
                stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except BaseException:  # Ctrl-C too: never leave a temporary file behind
        os.remove(temporary)
        raise
    return temporary


def _keep(target: str) -> str:
    """The current file, kept as NAME.bak (replacing an older backup)."""
    backup = target + ".bak"
    staging = f"{backup}.{os.getpid()}.tmp"
    try:
        try:
            os.link(target, staging)  # the same bytes under a second name, nothing copied
        except OSError:
            shutil.copy2(target, staging)
        os.replace(staging, backup)
    finally:
        if os.path.exists(staging):
            os.remove(staging)
    return backup


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable, where the system allows it."""
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: a folder can't be opened to flush it
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems refuse; the data itself is already on disk
    finally:
        os.close(handle)
