"""A glance at the history for ``psoas status``: today's break counts and the streak.

``psoas status`` runs in a status bar every few seconds; when no reminder
shares its state, this is what it reads.  It opens history.db read-only
(never creating, moving or repairing it: that is store.py's work, for the
commands a person runs), asks two questions, checks every value, and
answers None when the file is missing, locked, damaged or of another
version.  SQLite loads only here (5 ms), not with the module.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from psoas_cli.history.calendar import WEEKEND, streaks

FILE_NAME = "history.db"
KINDS = ("offered", "taken", "snoozed", "skipped", "missed")


class Glance(NamedTuple):
    counts: dict[str, int]  # today's answers to break reminders, by kind
    streak: int  # the current streak, in days


def _uri_path(path: str) -> str:
    """``path`` as the path of a file: URI (urllib.parse would cost 7 ms here)."""
    return path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def glance(folder: str, today: date, rest: Collection[int] = WEEKEND,
           timeout: float = 0.2) -> Glance | None:
    """Today's break counts and the current streak, or None when they can't be read."""
    path = os.path.join(folder, FILE_NAME)
    if not os.path.isfile(path):
        return None
    import sqlite3  # noqa: PLC0415 - 5 ms, only when no running reminder shares its state

    try:
        conn = sqlite3.connect(f"file:{_uri_path(os.path.abspath(path))}?mode=ro", uri=True,
                               timeout=timeout)
    except sqlite3.Error:
        return None
    try:
        finished = []
        for (day,) in conn.execute("SELECT DISTINCT day FROM sessions"
                                   " WHERE status = 'finished'"):
            try:
                finished.append(date.fromisoformat(day))
            except (TypeError, ValueError):
                continue  # a row psoas did not write: left out, as the history does
        counts = dict.fromkeys(KINDS, 0)
        for kind, number in conn.execute("SELECT kind, count(*) FROM breaks WHERE day = ?"
                                          " GROUP BY kind", (today.isoformat(),)):
            if kind in counts and isinstance(number, int):
                counts[kind] = number
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return Glance(counts, streaks(finished, today, rest).current)
