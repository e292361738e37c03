"""What the engine tells the outside world while a routine plays.

The engine calls a :class:`Listener` with :class:`State` snapshots; the live
player, the plain printer, the voice and the history recorder each override
the calls they care about.  Everything here is plain data, so listeners can
be tested without an engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, NamedTuple

from psoas_cli.play.timeline import Phase, Timeline


class Outcome(str, Enum):
    """How a routine ended: the one vocabulary of the engine, the summary,
    the recorder, the history and the exit status."""

    FINISHED = "finished"
    QUIT = "quit"  # q
    INTERRUPTED = "interrupted"  # Ctrl-C
    TERMINATED = "terminated"  # SIGTERM
    HUNG_UP = "hung up"  # SIGHUP, or the terminal went away

    def __str__(self) -> str:
        return self.value


class State(NamedTuple):
    """A snapshot of the player for renderers: everything needed to draw."""

    timeline: Timeline
    # A field may take the name of tuple's index() method (NamedTuple fields win);
    # mypy refuses the override, and renaming it would touch every renderer.
    index: int  # type: ignore[assignment]
    remaining: float  # seconds left in this phase
    paused: bool
    waiting: bool  # the phase waits for Enter
    elapsed: float  # seconds since the start, pauses included
    active: float = 0.0  # seconds since the start, pauses left out

    @property
    def phase(self) -> Phase:
        return self.timeline.phases[self.index]

    @property
    def next_phase(self) -> Phase | None:
        phases = self.timeline.phases
        return phases[self.index + 1] if self.index + 1 < len(phases) else None

    @property
    def shown_seconds(self) -> int:
        """Whole seconds on the countdown: 20 from the start until 19 s are left."""
        return max(0, math.ceil(self.remaining - 1e-9))

    @property
    def phase_done(self) -> float:
        duration = self.phase.duration
        return 1.0 if duration <= 0 else min(1.0, max(0.0, 1 - self.remaining / duration))

    @property
    def routine_remaining(self) -> float:
        return self.remaining + self.timeline.after(self.index)

    @property
    def routine_done(self) -> float:
        total = self.timeline.whole
        return 1.0 if total <= 0 else min(1.0, max(0.0, 1 - self.routine_remaining / total))


class StretchResult(NamedTuple):
    """How one stretch of the routine went, reported when the player leaves it."""

    index: int  # type: ignore[assignment]  # position in the routine, from 0; see State
    slug: str
    name: str
    status: str  # "done" or "skipped"
    held: float  # seconds actually spent holding (or moving, for a flow)
    planned: float  # seconds of holding the plan asked for
    active: float = 0.0  # the routine's active seconds (pauses left out) at the report


class Summary(NamedTuple):
    routine: str
    outcome: Outcome | None  # None while still playing
    elapsed: float  # seconds from start to end, pauses included
    active: float  # elapsed minus the time spent paused
    planned: float  # seconds the timeline was planned to take
    results: tuple[StretchResult, ...] = ()
    not_reached: tuple[str, ...] = ()  # names never started
    # The stretch (its index) playing when it was stopped, getting into it included.
    stopped_in: int | None = None

    @property
    def finished(self) -> bool:
        return self.outcome is Outcome.FINISHED

    @property
    def done(self) -> tuple[StretchResult, ...]:
        return tuple(r for r in self.results if r.status == "done")

    @property
    def skipped(self) -> tuple[StretchResult, ...]:
        """Stretches left with n before their holds were done; not the one
        the routine was stopped in (``stopped_during``)."""
        return tuple(r for r in self.results if r.status == "skipped"
                     and r is not self.stopped_during)

    @property
    def stopped_during(self) -> StretchResult | None:
        """The stretch the routine was stopped in (never done: see the engine)."""
        return next((r for r in self.results if r.index == self.stopped_in
                     and r.status == "skipped"), None)


class OutputGone(Exception):
    """Raised by a listener whose output went away: a hung-up terminal, a closed
    pipe (``psoas play ... | head -3``) or a closed stdout.

    The engine then stops the routine (Outcome.HUNG_UP), so the session is
    recorded as stopped; a listener raises it once and is quiet after.
    """


class Listener:
    """Receives the engine's reports; every method is optional."""

    def introduce(self, card: Any) -> None:
        """The before-you-start card (play/card.py), before the routine starts."""

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
    """Fans every call out to several listeners, in order.

    The methods are spelt out rather than generated, so each reads as the
    interface it implements.  A listener whose output went away does not
    keep the others from hearing the call (the recorder must still hear
    that the routine ended); OutputGone is raised once they all have.
    """

    def __init__(self, listeners: Sequence[Listener]) -> None:
        self.listeners = list(listeners)

    def _each(self, call: Callable[[Listener], None]) -> None:
        gone: OutputGone | None = None
        for listener in self.listeners:
            try:
                call(listener)
            except OutputGone as exc:
                gone = exc
        if gone is not None:
            raise gone

    def introduce(self, card: Any) -> None:
        self._each(lambda listener: listener.introduce(card))

    def routine_started(self, timeline: Timeline, state: State) -> None:
        self._each(lambda listener: listener.routine_started(timeline, state))

    def phase_started(self, state: State) -> None:
        self._each(lambda listener: listener.phase_started(state))

    def tick(self, state: State) -> None:
        self._each(lambda listener: listener.tick(state))

    def paused(self, state: State) -> None:
        self._each(lambda listener: listener.paused(state))

    def resumed(self, state: State) -> None:
        self._each(lambda listener: listener.resumed(state))

    def stretch_ended(self, result: StretchResult) -> None:
        self._each(lambda listener: listener.stretch_ended(result))

    def routine_ended(self, summary: Summary) -> None:
        self._each(lambda listener: listener.routine_ended(summary))
