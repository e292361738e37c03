"""How amounts read: counts, whole minutes, the streak.

Plain strings without Rich, so the home page (``psoas`` alone) can use
them and stay quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from psoas_cli.history.records import Report


def count(n: float | None, unit: str, plural: str = "") -> str:
    """``1 stretch``, ``2 stretches``, ``2.5 minutes``: ``plural`` when the
    unit takes more than an s."""
    number = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{number} {unit}" if n == 1 else f"{number} {plural or unit + 's'}"


def minutes_text(seconds: float) -> str:
    """Whole minutes; '<1' for a few seconds, so a short session does not read as none."""
    minutes = round(seconds / 60)
    if minutes == 0 and seconds > 0:
        return "<1"
    return str(minutes)


def streak_text(report: Report) -> str:
    """The current streak, and a nudge when today would keep it going."""
    streaks = report.streaks
    current = count(streaks.current, "day")
    if streaks.current and streaks.last_day is not None and streaks.last_day < report.today:
        current += "; stretch today to keep it"
    return current
