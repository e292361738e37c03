"""Values read back from the history file, checked before use.

psoas writes every row itself, but the file is the user's: a row edited by
hand (a day of 30 February, a reading of "abc", a name stored as bytes) must
not end a command in a traceback.  Each reader turns a row with the helpers
here, and a row that fails is left out and counted; ``LeftOut.tell`` then
says so in one line, once a command (as the sessions' reader does).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from psoas_cli import limits
from psoas_cli.history.records import recorded_day

if TYPE_CHECKING:
    from psoas_cli.history.dbfile import HistoryFile

def day(value: Any) -> date:
    """A day written YYYY-MM-DD; ValueError if it is not one."""
    return recorded_day(value, "day")


def moment(value: Any) -> float:
    """A unix time; ValueError if it is not a finite number in range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value) or not limits.RECORDED_TIME.low <= value \
            <= limits.RECORDED_TIME.high:
        raise ValueError("not a time")
    return float(value)


def whole(value: Any, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"not a whole number from {low} to {high}")
    return value


def rating(value: Any) -> int:
    """A check-in's reading, 0 to 10."""
    return whole(value, 0, 10)


def maybe(check: Callable[[Any], Any], value: Any) -> Any:
    """``value`` checked, or None."""
    return None if value is None else check(value)


def text(value: Any) -> str:
    """Text; ValueError for bytes, a number or anything else."""
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def seconds(value: Any) -> float:
    """Seconds held or played (NULL counts as none)."""
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value) or value < 0:
        raise ValueError("not a number of seconds")
    return float(value)


class LeftOut:
    """Rows a read could not use, by what they are ("check-in answer")."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, what: str, count: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + count

    def tell(self, file: HistoryFile) -> None:
        """One line naming what was left out, once for each file opened."""
        if not self.counts:
            return
        parts = [f"{n:,} {what}{'' if n == 1 else 's'}" for what, n in self.counts.items()]
        verb = "is" if sum(self.counts.values()) == 1 else "are"
        message = (f"{' and '.join(parts)} in {file.path} could not be read (a value out of "
                   f"range or of the wrong type), and {verb} left out")
        if message not in file.told:
            file.told.add(message)
            file.warn(message)
