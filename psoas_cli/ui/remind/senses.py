"""What ``psoas remind`` senses of the desk: idle time, do-not-disturb, meetings.

``Senses`` holds the idle source and the do-not-disturb sources, each polled
on a thread of its own (idle.watch, quiet.watch), so the reminder's loop
only reads their last answers and never waits for a command.  Tests give
the reminder their own (``App(senses=...)``).

``Meetings`` is the local calendar of ``--calendar``: its files are looked
at (a stat of each) at most once a minute and read again only when one
changed; its busy spans are worked out for a few days around now and
kept, so each tick costs a look-up.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from psoas_cli import limits
from psoas_cli.breaks import ical
from psoas_cli.breaks.schedule import DND, MEETING, Busy
from psoas_cli.files import calendars
from psoas_cli.ui.remind import idle, quiet
from psoas_cli.ui.remind.children import Watcher

DAY = 86400.0
LOOK_EVERY = 60.0  # seconds between looks at the calendar files


class Sensing(Protocol):
    idle_name: str  # the idle source, for --explain and psoas status ("none" without one)
    dnd_name: str

    def idle(self) -> list[tuple[float, float]]:
        """The idle times read since the last call: (when, seconds without input)."""

    def dnd(self) -> bool | None: ...

    def stop(self) -> None: ...


class Senses:
    """The real ones, polled on threads."""

    def __init__(self, env: Mapping[str, str], *, threshold: float | None,
                 which: Callable[[str], str | None] = shutil.which,
                 platform: str = sys.platform) -> None:
        self.idle_watch: Watcher[float] | None = None
        self.idle_name = "off (--idle 0)" if threshold is None else "looking"
        if threshold is not None:
            def pick() -> idle.IdleSource | None:
                source = idle.find(env, which=which, platform=platform)
                self.idle_name = source.name if source else "none found"
                return source

            self.idle_watch = idle.watch(pick, threshold).start()
        self.dnd_sources = quiet.Dnd(quiet.candidates(env, which=which, platform=platform))
        self.dnd_name = self.dnd_sources.name
        self.dnd_watch = quiet.watch(self.dnd_sources).start() if self.dnd_sources.sources \
            else None

    def idle(self) -> list[tuple[float, float]]:
        return self.idle_watch.drain() if self.idle_watch else []

    def dnd(self) -> bool | None:
        return self.dnd_watch.latest() if self.dnd_watch else None

    def stop(self) -> None:
        for watch in (self.idle_watch, self.dnd_watch):
            if watch is not None:
                watch.stop()


def explain(env: Mapping[str, str], *, which: Callable[[str], str | None] = shutil.which,
            platform: str = sys.platform) -> tuple[str, str, float | None]:
    """(the idle source, the do-not-disturb sources, the idle time now), found now."""
    source = idle.find(env, which=which, platform=platform)
    dnd = quiet.candidates(env, which=which, platform=platform)
    return (source.name if source else "none found", dnd_text(dnd),
            source.idle_seconds() if source else None)


def dnd_text(sources: list[quiet.DndSource]) -> str:
    """The do-not-disturb sources that answer now, and what they say; one that
    exists here but does not answer (dunst installed, not running) is named
    as such, never as the source."""
    answers = [(source, source.active()) for source in sources]
    answering = [(source, answer) for source, answer in answers if answer is not None]
    if answering:
        on = any(answer for _, answer in answering)
        return (", ".join(source.name for source, _ in answering)
                + ("; on now" if on else "; off now"))
    if sources:
        asked = " or ".join(source.name.split(" (")[0] for source in sources)
        return f"none answers here ({asked} did not answer)"
    return "none here"


class Meetings:
    """The busy spans of the calendars at ``roots``."""

    def __init__(self, roots: list[str], *, tell: Callable[[str], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.roots = roots
        self.tell = tell
        self.clock = clock
        self.stamp: tuple[Any, ...] | None = None
        self.looked: float | None = None
        self.calendar = ical.Calendar()
        self.spans: list[ical.Span] = []
        self.window: tuple[float, float] | None = None
        self.told: set[str] = set()

    def load(self) -> None:
        """Read the files again if any changed (at most once a minute)."""
        if self.looked is not None and self.clock() - self.looked < LOOK_EVERY:
            return
        self.looked = self.clock()
        stamp = calendars.stamp(self.roots)
        if stamp == self.stamp:
            return
        self.stamp = stamp
        found = calendars.read(self.roots)
        calendar = ical.Calendar()
        for path, text in found.texts:
            deep = calendar.deep
            calendar.add(text)
            if calendar.deep > deep:
                self._tell(f"calendar: {path}: parts nested over {limits.CALENDAR_DEPTH} "
                           "deep; read no further")
        self.calendar, self.window = calendar, None
        for problem in found.problems[:1]:
            self._tell(f"calendar: {problem}" + (f" (and {len(found.problems) - 1} more)"
                                                  if len(found.problems) > 1 else ""))
        if found.more:
            self._tell(f"calendar: only the first {calendars.MOST_FILES} .ics files are read")
        if calendar.unread:
            self._tell(f"calendar: {calendar.unread} repeating event(s) use a rule psoas "
                       "does not read; only their first time counts")
        if calendar.more:
            self._tell(f"calendar: only the first {limits.CALENDAR_EVENTS:,} events are read")
        self._told_broken()

    def _told_broken(self) -> None:
        if self.calendar.broken:
            self._tell(f"calendar: {self.calendar.broken} event(s) with a date or length "
                       "psoas could not read are left out")
        if self.calendar.cut:
            self._tell(f"calendar: more repeats than psoas follows "
                       f"({limits.CALENDAR_PERIODS:,}); some are left out")

    def until(self, now: float) -> float | None:
        """The end of the meeting ``now`` is in, or None."""
        self.load()
        if self.window is None or not self.window[0] <= now <= self.window[1] - DAY:
            self.window = (now - DAY, now + 3 * DAY)
            self.spans = self.calendar.spans(*self.window)
            self._told_broken()
        return ical.busy_until(self.spans, now)

    def _tell(self, message: str) -> None:
        if message not in self.told:
            self.told.add(message)
            self.tell(message)


def busy_of(now: float, meetings: Meetings | None, senses: Sensing) -> Busy | None:
    """A meeting first (it has an end to wait for), else do-not-disturb."""
    until = meetings.until(now) if meetings is not None else None
    if until is not None:
        return Busy(MEETING, until)
    return Busy(DND) if senses.dnd() else None
