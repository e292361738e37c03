"""The schedule a running ``psoas remind`` shares: ``remind-state.json`` in the psoas folder.

The reminder writes it whenever what it shows changes, and at least once a
minute, atomically (a temporary file renamed over the old one), so a reader
finds the old state or the new one, whole.  ``psoas status`` reads it: a
file psoas didn't write, or wrote long ago, is never believed.  ``read``
checks every value's type and range and returns None for anything else;
``current`` adds that the reminder is still there (its process on this
machine, and the file still fresh).

Pure Python (os and json): ``psoas status`` runs every few seconds in a
status bar, so this loads nothing else.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

from psoas_cli.files.stale import remove_stale

FILE_NAME = "remind-state.json"
VERSION = 1
MOST_BYTES = 16 * 1024
STATES = ("waiting", "due", "break", "away", "quiet", "held")
BUSY = ("", "meeting", "dnd")
COUNTS = ("offered", "taken", "snoozed", "skipped", "missed")
_TIMES = ("written_at", "fresh_until")  # unix times, required
_MAYBE_TIMES = ("due_at", "busy_until", "since", "opens_at")  # unix times or null
_LATEST = 253402300799.0  # 9999-12-31: later is no time psoas wrote


def path_in(folder: str) -> str:
    return os.path.join(folder, FILE_NAME)


def write(folder: str, state: dict[str, Any]) -> None:
    """Replace the file with ``state`` in one step; OSError if it can't be written."""
    write_json(path_in(folder), {"version": VERSION, **state})


def write_json(target: str, value: Any) -> None:
    """Replace the file ``target`` with ``value`` as JSON, in one step (no backup,
    no flush to the disk: what it holds is worked out again when lost)."""
    remove_stale(target)  # what a psoas killed while writing it left
    temporary = f"{target}.{os.getpid()}.tmp"
    data = json.dumps(value, separators=(",", ":")).encode()
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    finally:
        if os.path.lexists(temporary):
            os.remove(temporary)


def remove(folder: str, pid: int) -> None:
    """Take the file away, if it is still this process's (the reminder is stopping)."""
    state = read(folder)
    if state is not None and state["pid"] == pid:
        try:
            os.remove(path_in(folder))
        except OSError:
            pass


def read(folder: str) -> dict[str, Any] | None:
    """The state in the file, every value checked; None when there is none, or
    anything about it is not what psoas writes."""
    state = read_json(path_in(folder))
    return state if _valid(state) else None


def read_json(path: str) -> Any:
    """The JSON value in the small regular file ``path``; None for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) |
                     getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not (info.st_mode & 0o170000 == 0o100000) or info.st_size > MOST_BYTES:
            return None  # not a regular file, or too big to be ours
        data = os.read(fd, MOST_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


# -- what psoas status read from the history last time ----------------------------------------

GLANCE = "status-glance.json"  # in the cache folder


def history_stamp(folder: str, day: str, rest: str) -> list[Any]:
    """What changes when the history may answer differently: its files, the day,
    the rest days."""
    stamp: list[Any] = [day, rest]
    # The history's files (history/dbfile.py, journal.py) and the settings (rest_days).
    for name in ("history.db", "history.db-wal", "history-pending.jsonl", "config.toml"):
        try:
            info = os.stat(os.path.join(folder, name))
            stamp.append([name, info.st_mtime_ns, info.st_size, info.st_ino])
        except OSError:
            stamp.append([name, None])
    return stamp


def cached_glance(cache: str, stamp: list[Any]) -> tuple[dict[str, int], int] | None:
    """Today's counts and the streak, kept when the history was last read, if it
    has not changed since."""
    kept = read_json(os.path.join(cache, GLANCE))
    if not isinstance(kept, dict) or kept.get("stamp") != stamp:
        return None
    counts, streak = kept.get("counts"), kept.get("streak")
    if not (isinstance(counts, dict) and all(
            isinstance(counts.get(k), int) and _number(counts[k], 0, 10 ** 6) for k in COUNTS)
            and isinstance(streak, int) and _number(streak, 0, 10 ** 6)):
        return None
    return {k: counts[k] for k in COUNTS}, streak


def keep_glance(cache: str, stamp: list[Any], counts: dict[str, int], streak: int) -> None:
    try:
        os.makedirs(cache, exist_ok=True)
        write_json(os.path.join(cache, GLANCE), {"stamp": stamp, "counts": counts,
                                                 "streak": streak})
    except OSError:
        pass  # no cache: the next run reads the history again


def _number(value: Any, low: float, high: float) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and low <= value <= high)


def _text(value: Any, most: int) -> bool:
    return isinstance(value, str) and len(value) <= most and value.isprintable()


def _valid(state: Any) -> bool:
    if not isinstance(state, dict) or state.get("version") != VERSION:
        return False
    checks = [
        isinstance(state.get("pid"), int) and not isinstance(state.get("pid"), bool)
        and 0 < state["pid"] < 2 ** 31,
        _text(state.get("host"), 255),
        state.get("state") in STATES,
        state.get("busy") in BUSY,
        isinstance(state.get("snoozed"), bool),
        _number(state.get("every"), 1, 86400),
        _text(state.get("routine"), 200),
        _text(state.get("idle_source"), 200),
        _text(state.get("day"), 10) and len(state["day"]) == 10,
        state.get("streak") is None or (isinstance(state.get("streak"), int)
                                        and _number(state["streak"], 0, 10 ** 6)),
        isinstance(state.get("counts"), dict)
        and all(isinstance(state["counts"].get(k), int) and _number(state["counts"][k], 0, 10 ** 6)
                for k in COUNTS),
    ]
    checks += [_number(state.get(name), 0, _LATEST) for name in _TIMES]
    checks += [state.get(name) is None or _number(state.get(name), 0, _LATEST)
               for name in _MAYBE_TIMES]
    return all(checks)


def alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # there, but another user's: not ours, yet the pid is taken
    except OSError:
        return False
    return True


def current(folder: str, now: float) -> dict[str, Any] | None:
    """The state of a reminder that runs now on this machine, else None."""
    state = read(folder)
    if state is None or state["host"] != os.uname().nodename:
        return None
    if not state["written_at"] - 60 <= now <= state["fresh_until"]:
        return None  # written long ago (the reminder was killed), or in the future
    return state if alive(state["pid"]) else None
