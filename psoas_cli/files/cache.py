"""A small on-disk cache of validated data, keyed by the source file's state.

Entries are written with marshal, Python's own format for compiled code:
the fastest to read and the same trust as the __pycache__ folders Python
already loads from.  A missing, stale or unreadable entry is just a miss,
and a failure to write one is ignored: the cache can only make psoas faster.

The key holds the source file's path, size, modification time and inode,
and a stamp of psoas's own code, so an entry written by other code (another
version, or the same version being edited) is never used.
"""

from __future__ import annotations

import marshal
import os
import stat
from typing import Any

from psoas_cli.files.stale import remove_stale

FORMAT = 2
# Plain tuples, not NamedTuples: marshal refuses tuple subclasses.
Stamp = tuple[int, int]  # the newest modification time (ns) of psoas's modules, how many
# FORMAT, the code's stamp, the kind of data, and (path, mtime, size, inode) of each source.
Key = tuple[int, Stamp, str, tuple[tuple[str, int, int, int], ...]]
_stamp: Stamp | None = None


def code_stamp() -> Stamp:
    """The newest modification time and the number of psoas's modules, in
    every package of it: the code that validated a cached entry."""
    global _stamp
    if _stamp is None:
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        times = _module_times(package)
        _stamp = (max(times, default=0), len(times))
    return _stamp


def _module_times(folder: str) -> list[int]:
    times = []
    for entry in os.scandir(folder):
        if entry.name.endswith(".py"):
            times.append(entry.stat().st_mtime_ns)
        elif entry.is_dir() and entry.name.isidentifier() and entry.name != "data":
            times.extend(_module_times(entry.path))
    return times


def key_for(*paths: str, kind: str) -> Key | None:
    """What must match for a cached copy made from ``paths`` to be used; None if
    one of them is unreadable."""
    states = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            return None
        states.append((os.path.abspath(path), info.st_mtime_ns, info.st_size, info.st_ino))
    return (FORMAT, code_stamp(), kind, tuple(states))


def _file(folder: str, key: Key) -> str:
    kind, states = key[2], key[3]
    return os.path.join(folder, f"{kind}-{_fnv(repr(states[0][0]).encode()):08x}.marshal")


def _fnv(data: bytes) -> int:
    """A 32-bit FNV-1a hash, for a short file name per source path.  Written
    out rather than zlib.crc32: loading zlib costs a start more than this does."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def read(folder: str, key: Key) -> Any:
    """The value stored under ``key``, or None.  Of any shape: whoever reads it
    checks it as they use it (marshal holds what any code wrote there)."""
    try:
        # Without blocking, and only a regular file: a FIFO there must not hang psoas.
        fd = os.open(_file(folder, key), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            # loads() on the whole file: load() on a file reads object by object,
            # ten times slower for a large catalogue.
            stored_key, value = marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if stored_key == key else None


def write(folder: str, key: Key, value: dict[str, Any]) -> None:
    target = _file(folder, key)
    remove_stale(target)  # what a psoas killed while writing it left
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(temporary, "wb") as handle:
            marshal.dump((key, value), handle)
        os.replace(temporary, target)  # readers see the old entry or the new, never half
    except (OSError, ValueError):
        try:
            os.remove(temporary)
        except OSError:
            pass
