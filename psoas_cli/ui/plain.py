"""The plain player: one line per phase change, for pipes, logs and dumb terminals."""

from __future__ import annotations

from typing import IO

from ..events import Listener, State, Summary
from ..phrases import clock, describe, outcome_word
from ..timeline import Timeline
from .lines import wrap


class PlainPlayer(Listener):
    """One line per phase change, no escape codes: for pipes and dumb terminals."""

    def __init__(self, stream: IO[str], *, caution: str = "", width: int = 80) -> None:
        self.stream = stream
        self.caution = caution
        self.width = width

    def __enter__(self) -> PlainPlayer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def suspend(self) -> None:
        """Nothing to hand back: the plain log leaves the terminal as it is."""

    def resume(self) -> None:
        pass

    def _say(self, state: State, text: str) -> None:
        self.stream.write(f"{clock(state.elapsed):>7}  {text}\n")
        self.stream.flush()

    def routine_started(self, timeline: Timeline, state: State) -> None:
        count = len(timeline.stretches)
        self.stream.write(f"psoas: {timeline.routine}, {count} stretch"
                          f"{'es' if count != 1 else ''}, {clock(timeline.planned)}\n")
        if self.caution:
            self.stream.write("".join(line + "\n" for line in wrap(self.caution, self.width)))

    def phase_started(self, state: State) -> None:
        phase = state.phase
        where = f"{phase.item + 1}/{len(state.timeline.stretches)} {phase.stretch.name}"
        wait = "until Enter" if state.waiting else f"{clock(phase.duration)}"
        self._say(state, f"{where}: {describe(phase, name=False)} ({wait})")

    def paused(self, state: State) -> None:
        self._say(state, f"paused with {clock(state.remaining)} left in this phase")

    def resumed(self, state: State) -> None:
        self._say(state, "resumed")

    def routine_ended(self, summary: Summary) -> None:
        self.stream.write(f"{clock(summary.elapsed):>7}  {outcome_word(summary.outcome)}\n")
        self.stream.flush()
