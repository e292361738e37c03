"""``psoas status``: the reminder's state in one short line, or as data for a bar.

Pure Python.  ``snapshot`` is what a running ``psoas remind`` shares
(files/remindstate.py writes it); ``Reading`` is what ``psoas status``
knows at one moment, from that or from the history alone; ``line`` and
``as_data``, ``waybar`` and ``i3blocks`` put it into words.  Every word is
ASCII, so a status bar in any font shows it.

This module is on the path of every ``psoas status``, run by a bar every
few seconds: it imports nothing but the standard library's time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any, NamedTuple

DUE_COLOUR = "#e5c07b"  # i3blocks: the colour of a break that is due


class Reading(NamedTuple):
    """What psoas status says: a running reminder's state (None when none
    runs), today's counts and the streak."""

    state: Mapping[str, Any] | None
    counts: Mapping[str, int]
    streak: int | None
    now: float


def snapshot(status: Any, *, now: float, pid: int, host: str, every: float, routine: str,
             idle_source: str, streak: int | None, day: str, fresh_for: float,
             due_at: float | None, since: float | None, busy_until: float | None,
             opens_at: float | None) -> dict[str, Any]:
    """The state a reminder shares, from its ``schedule.Status`` and the times
    behind it; ``fresh_for``: how long it stays true if nothing is written."""
    counts = status.counts
    return {
        "pid": pid, "host": host, "written_at": now, "fresh_until": now + fresh_for,
        "state": status.state, "due_at": due_at if due_at is not None and math.isfinite(due_at)
        else None, "snoozed": bool(status.snoozed), "busy": status.busy,
        "busy_until": busy_until, "since": since, "opens_at": opens_at,
        "every": every, "routine": routine, "idle_source": idle_source, "day": day,
        "streak": streak,
        "counts": {name: getattr(counts, name) for name in
                   ("offered", "taken", "snoozed", "skipped", "missed")},
    }


def _clock(t: float) -> str:
    return time.strftime("%H:%M", time.localtime(t))


def _left(seconds: float) -> str:
    """'23m', '1h05m', '<1m'."""
    minutes = math.ceil(max(0.0, seconds) / 60)
    if minutes <= 1:
        return "<1m" if seconds < 60 else "1m"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


def headline(reading: Reading) -> str:
    """The first part of the line: what the reminder is doing."""
    state, now = reading.state, reading.now
    if state is None:
        return "no reminder"
    kind = state["state"]
    if kind == "due":
        return f"break due since {_clock(state['due_at'])}" if state["due_at"] else "break due"
    if kind == "break":
        return "on a break"
    if kind == "away":
        return f"away since {_clock(state['since'])}" if state["since"] else "away"
    if kind == "held":
        if state["busy"] == "meeting":
            until = f" until {_clock(state['busy_until'])}" if state["busy_until"] else ""
            return f"break waits: meeting{until}"
        return "break waits: do not disturb"
    due = state["due_at"]
    if due is None:
        return "no break placed"
    if kind == "quiet":
        return f"quiet until {_clock(state['opens_at'])}" if state["opens_at"] else "quiet"
    word = "snoozed, break" if state["snoozed"] else "break"
    return f"{word} in {_left(due - now)}"


def line(reading: Reading) -> str:
    """One short line for tmux's status-right: 'break in 23m | 2 today | streak 5'."""
    parts = [headline(reading), f"{reading.counts.get('taken', 0)} today"]
    if reading.streak:
        parts.append(f"streak {reading.streak}")
    return " | ".join(parts)


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    offset = time.strftime("%z", time.localtime(t))
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(t)) + \
        (f"{offset[:3]}:{offset[3:]}" if len(offset) == 5 else "")


def as_data(reading: Reading) -> dict[str, Any]:
    """Everything, for scripts (--format json)."""
    state = reading.state
    due = state["due_at"] if state else None
    waiting = state is not None and state["state"] in ("waiting", "quiet")
    return {
        "running": state is not None,
        "state": state["state"] if state else None,
        "next_break_at": _iso(due) if waiting else None,
        "seconds_left": max(0, round(due - reading.now)) if waiting and due else None,
        "due_since": _iso(due) if state and state["state"] in ("due", "held") else None,
        "snoozed": bool(state and state["snoozed"]),
        "busy": (state["busy"] or None) if state else None,
        "busy_until": _iso(state["busy_until"]) if state else None,
        "away_since": _iso(state["since"]) if state and state["state"] == "away" else None,
        "routine": state["routine"] if state else None,
        "idle_source": state["idle_source"] if state else None,
        "today": {name: int(reading.counts.get(name, 0)) for name in
                  ("offered", "taken", "snoozed", "skipped", "missed")},
        "streak": reading.streak or 0,
        "text": line(reading),
    }


def waybar(reading: Reading) -> dict[str, Any]:
    """A waybar custom module's JSON: text, tooltip, and the state as its class."""
    state = reading.state
    kind = state["state"] if state else "off"
    tooltip = [line(reading)]
    if state:
        tooltip.append(f"every {round(state['every'] / 60)} min, the {state['routine']} routine")
    return {"text": headline(reading), "alt": kind, "class": kind,
            "tooltip": "\n".join(tooltip)}


def i3blocks(reading: Reading) -> list[str]:
    """i3blocks' lines: the full text, the short text, and a colour when a break is due."""
    lines = [line(reading), headline(reading)]
    if reading.state and reading.state["state"] == "due":
        lines.append(DUE_COLOUR)
    return lines
