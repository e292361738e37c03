"""Whether a session's player is still alive: its process, its machine, its heartbeat.

A session still "in progress" is judged when it is read: if its player is
gone (its process has ended, or it has given no sign of life for a while) it
reads "interrupted", so a killed player's session does not stay in progress
for ever.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from psoas_cli.history.records import IN_PROGRESS, INTERRUPTED

HEARTBEAT_SECONDS = 30.0  # how often a player marks its session as alive
STALE_SECONDS = 3 * HEARTBEAT_SECONDS  # silent this long, with no process to ask: gone
STOPPED_FOR_LONG = 86400.0  # a live process silent this long (Ctrl-Z, or a reused pid)


def this_host() -> str:
    """This machine's name, to tell its players from those of another sharing the folder."""
    try:
        return os.uname().nodename
    except AttributeError:  # pragma: no cover - Windows
        return os.environ.get("COMPUTERNAME", "")


def process_alive(pid: int) -> bool | None:
    """Whether process ``pid`` is running here; None where that cannot be asked."""
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, but alive
    except (OSError, OverflowError, ValueError):
        return None
    return True


def judge(status: str, seen: float, pid: int | None, host: str | None, now: float, *,
          here: str, alive: Callable[[int], bool | None] = process_alive) -> str:
    """What an in-progress session is now: still in progress, or interrupted.

    ``seen`` is its last sign of life (a heartbeat, else its start).  A player
    on this machine is asked directly; one elsewhere (or from an older psoas,
    with no process to ask) is judged by how long it has been silent.
    """
    if status != IN_PROGRESS:
        return status
    running = alive(pid) if pid and host == here else None
    if running is False:
        return INTERRUPTED
    silent_for = now - seen
    limit = STOPPED_FOR_LONG if running else STALE_SECONDS
    return IN_PROGRESS if silent_for < limit else INTERRUPTED
