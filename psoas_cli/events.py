"""What the engine tells the outside world while a routine plays.

The engine calls a :class:`Listener`; the live player, the plain printer and
the history recorder each override the calls they care about.  Everything
here is plain data so listeners can be tested without an engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from .engine import State
    from .timeline import Timeline


@dataclass(frozen=True)
class StretchResult:
    """How one stretch of the routine went, reported when the player leaves it."""

    index: int  # position in the routine, from 0
    slug: str
    name: str
    status: str  # "done" or "skipped"
    held: float  # seconds actually spent holding (or moving, for a flow)
    planned: float  # seconds of holding the plan asked for


@dataclass(frozen=True)
class Summary:
    routine: str
    reason: str  # "finished", "quit", "interrupted" (Ctrl-C), "terminated" (a signal)
    elapsed: float  # seconds from start to end, pauses included
    active: float  # elapsed minus the time spent paused
    planned: float  # seconds the timeline was planned to take
    results: tuple[StretchResult, ...] = field(default_factory=tuple)
    not_reached: tuple[str, ...] = field(default_factory=tuple)  # names never started

    @property
    def finished(self) -> bool:
        return self.reason == "finished"

    @property
    def done(self) -> tuple[StretchResult, ...]:
        return tuple(r for r in self.results if r.status == "done")

    @property
    def skipped(self) -> tuple[StretchResult, ...]:
        return tuple(r for r in self.results if r.status == "skipped")


class Listener:
    """Receives the engine's reports; every method is optional."""

    def routine_started(self, timeline: Timeline, state: State) -> None:
        """Before the first phase; ``timeline.planned`` is the total in seconds."""

    def phase_started(self, state: State) -> None:
        """A new phase began (naturally, or by next/back)."""

    def tick(self, state: State) -> None:
        """What is shown changed: the whole seconds left, or the pause state."""

    def paused(self, state: State) -> None:
        pass

    def resumed(self, state: State) -> None:
        pass

    def stretch_ended(self, result: StretchResult) -> None:
        """The player left a stretch: its holds ran out, or were skipped."""

    def routine_ended(self, summary: Summary) -> None:
        pass


class Listeners(Listener):
    """Fans every call out to several listeners, in order."""

    def __init__(self, listeners: Sequence[Listener]) -> None:
        self.listeners = list(listeners)

    def _each(self, method: str, *args) -> None:
        for listener in self.listeners:
            getattr(listener, method)(*args)

    def routine_started(self, timeline: Timeline, state: State) -> None:
        self._each("routine_started", timeline, state)

    def phase_started(self, state: State) -> None:
        self._each("phase_started", state)

    def tick(self, state: State) -> None:
        self._each("tick", state)

    def paused(self, state: State) -> None:
        self._each("paused", state)

    def resumed(self, state: State) -> None:
        self._each("resumed", state)

    def stretch_ended(self, result: StretchResult) -> None:
        self._each("stretch_ended", result)

    def routine_ended(self, summary: Summary) -> None:
        self._each("routine_ended", summary)
