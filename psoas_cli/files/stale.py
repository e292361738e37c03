"""Temporary files that writers killed outright (``kill -9``, a power cut) left.

Pure Python, and light (os and time only), so any writer can tidy up before
it writes.  psoas's writers name each temporary file after their process
(``.NAME.PID-*.tmp``, ``NAME.PID.tmp``, ``NAME.bak.PID.tmp``); one whose
process has gone is stale.
"""

from __future__ import annotations

import os
import time

OLD_TEMPORARY_SECONDS = 3600  # a temporary without its writer's number, this old, is stale


def remove_stale(target: str) -> None:
    """Remove the temporary files of ``target`` that writers killed outright
    (``kill -9``, a power cut) left beside it: each is named after its
    writer's process (``.NAME.PID-*.tmp`` here; ``NAME.PID.tmp`` and
    ``NAME.bak.PID.tmp`` by psoas's other writers), and is stale when that
    process has gone.  One named before writers were named (``.NAME.*.tmp``)
    is stale once an hour old."""
    folder, name = os.path.split(target)
    try:
        entries = os.listdir(folder or ".")
    except OSError:
        return
    for entry in entries:
        if not entry.endswith(".tmp") or not (entry.startswith(f".{name}.")
                                              or entry.startswith(f"{name}.")):
            continue
        middle = entry[len(name) + 1 + entry.startswith("."):-len(".tmp")]
        middle = middle.removeprefix("bak.")
        pid = middle.split("-", 1)[0]
        path = os.path.join(folder, entry)
        try:
            if pid.isdigit():
                if not gone(int(pid)):
                    continue
            elif not entry.startswith(".") or \
                    time.time() - os.lstat(path).st_mtime < OLD_TEMPORARY_SECONDS:
                continue
            os.remove(path)
        except OSError:
            pass


def gone(pid: int) -> bool:
    """Whether process ``pid`` has ended on this machine (False when that can't
    be told: what it may be writing is left alone)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError, ValueError):
        return False  # someone else's, or can't tell
    return False
