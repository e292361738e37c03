"""A small on-disk cache of validated data, keyed by the source file's state.

Entries are written with marshal, Python's own format for compiled code:
the fastest to read and the same trust as the __pycache__ folders Python
already loads from.  A missing, stale or unreadable entry is just a miss,
and a failure to write one is ignored: the cache can only make psoas faster.
"""

from __future__ import annotations

import marshal
import os
import zlib

from . import __version__

FORMAT = 2  # 2: stretches carry a figure


def key_for(path: str, *, kind: str) -> tuple | None:
    """What must match for a cached copy of ``path`` to be used; None if unreadable."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    full = os.path.abspath(path)
    return (FORMAT, __version__, kind, full, info.st_mtime_ns, info.st_size, info.st_ino)


def _file(folder: str, key: tuple) -> str:
    kind, full = key[2], key[3]
    return os.path.join(folder, f"{kind}-{zlib.crc32(full.encode()):08x}.marshal")


def read(folder: str, key: tuple):
    try:
        with open(_file(folder, key), "rb") as handle:
            # loads() on the whole file: load() on a file reads object by object,
            # ten times slower for a large catalogue.
            stored_key, value = marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if stored_key == key else None


def write(folder: str, key: tuple, value) -> None:
    target = _file(folder, key)
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
