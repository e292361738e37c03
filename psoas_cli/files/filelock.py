"""One writer at a time for each of the user's files, and no change written over.

Pure Python.  Every read-modify-write of a user's file (routine new, rm and
edit; config set and unset) goes through ``update`` (or holds ``locked``
itself): an exclusive lock (``flock``) on a small lock file beside the file,
``.NAME.lock``, held across reading the file, checking the change and
replacing the file (safefile.replace), so two psoas changing it at once take
turns and each builds on the other's change.  The lock file is never
removed: removing it would let a third writer lock a new file while the
first still holds the old one.

A program that takes no lock (an editor saving the file by hand) may still
write between the read and the replace, so just before replacing the file
its text is read again: if it changed, the change is made again on what is
there now, and if it keeps changing psoas gives up rather than write over it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from psoas_cli.errors import WriteError
from psoas_cli.files.safefile import folder_problem, replace

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: the content check alone
    fcntl = None  # type: ignore[assignment]

ATTEMPTS = 3  # the change made again on a file another program changed meanwhile


def lock_path(path: str) -> str:
    """The lock file of the file at ``path`` (of its target, if it is a link)."""
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    return os.path.join(folder, f".{name}.lock")


@contextmanager
def locked(path: str) -> Iterator[None]:
    """Hold the lock of the file at ``path``; WriteError, in one line, if it
    can't be taken (the folder can't be made or written)."""
    lock = lock_path(path)
    try:
        os.makedirs(os.path.dirname(lock), exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0), 0o600)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {folder_problem(exc, lock)}") from None
    try:
        if fcntl is not None:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    break
                except InterruptedError:  # a signal while waiting: wait on
                    continue
        yield
    finally:
        os.close(fd)  # lets the lock go


def update(path: str, change: Callable[[str], str], *,
           read: Callable[[str], str]) -> tuple[str, str | None]:
    """Under the lock, ``change`` the text ``read`` gives of the file at
    ``path`` and replace the file with the result, provided the file still
    holds what was read; else read it again (``ATTEMPTS`` times at most).

    ``change`` raises to refuse (nothing is written).  Returns the new text
    and the backup's path (safefile.replace).
    """
    with locked(path):
        for _ in range(ATTEMPTS):
            old = read(path)
            new = change(old)
            if read(path) != old:  # written meanwhile by a program that takes no lock
                continue
            return new, replace(path, new)
    raise WriteError(f"{path} kept changing while psoas changed it (another program is "
                     "writing it); it was left as that program wrote it: try again")
