"""The .ics files of ``psoas remind --calendar FILE_OR_DIR``: found and read, bounded.

A calendar is one .ics file (an export), or a folder of them, such as the
folders khal and vdirsyncer keep (a file per event, a folder per calendar):
.ics files are found up to ``DEPTH`` folders down, at most ``MOST_FILES``
of them, each read as boundedread reads (a regular file, at most
``MOST_BYTES``).  ``stamp`` is what changes when any of them changes, so the
reminder reads them again only then.  Nothing is ever fetched from a network.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, NamedTuple

from psoas_cli.files import boundedread

DEPTH = 4  # folders below the one given
MOST_FILES = 20_000
MOST_BYTES = 16 * 1024 * 1024  # one exported calendar of many years


class Found(NamedTuple):
    texts: list[tuple[str, str]]  # (path, text) of each file read
    problems: list[str]  # one line for each file or folder that could not be read
    more: bool  # MOST_FILES were read and more were left


def paths(root: str) -> Iterator[str]:
    """The .ics files of ``root`` (a file, or a folder searched DEPTH deep), sorted."""
    if not os.path.isdir(root):
        yield root
        return
    stack = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # vdirsyncer's status, editors' temporary files
            try:
                if entry.is_dir() and depth < DEPTH:
                    stack.append((entry.path, depth + 1))
                elif entry.name.lower().endswith(".ics") and entry.is_file():
                    yield entry.path
            except OSError:
                continue


def stamp(roots: list[str]) -> tuple[Any, ...]:
    """What changes when a calendar file is added, removed or changed."""
    seen: list[tuple[Any, ...]] = []
    for root in roots:
        for count, path in enumerate(paths(root)):
            if count >= MOST_FILES:
                break
            try:
                info = os.stat(path)
            except OSError:
                seen.append((path, None))
                continue
            seen.append((path, info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(seen)


def read(roots: list[str]) -> Found:
    """The text of every .ics file of ``roots``."""
    texts, problems, more = [], [], False
    for root in roots:
        if not os.path.exists(root):
            problems.append(f"{root}: {boundedread.problem(FileNotFoundError(), root)}")
            continue
        for count, path in enumerate(paths(root)):
            if count >= MOST_FILES:
                more = True
                break
            try:
                data = boundedread.read_bytes(path, MOST_BYTES)
            except OSError as exc:
                problems.append(f"{path}: {boundedread.problem(exc, path, MOST_BYTES)}")
                continue
            texts.append((path, data.decode("utf-8", "replace")))
    return Found(texts, problems, more)
