"""The plain player: one line per phase change, for pipes, logs and dumb terminals."""

from __future__ import annotations

from typing import IO

from ..events import Listener, OutputGone, State, Summary
from ..phrases import clock, describe, outcome_word
from ..timeline import Timeline
from .lines import wrap
from .terminal import to_ascii, unicode_ok


class PlainPlayer(Listener):
    """One line per phase change, no escape codes: for pipes and dumb terminals.

    When the reader goes away (``psoas play ... | head -3``, or stdout
    closed) it tells the engine once (events.OutputGone) and writes nothing
    more, so the routine stops and is recorded as stopped.
    """

    def __init__(self, stream: IO[str], *, caution: str = "", width: int = 80) -> None:
        self.stream = stream
        self.caution = caution
        self.width = width
        self.gone = False
        self.ascii = not unicode_ok(stream)

    def __enter__(self) -> PlainPlayer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def suspend(self) -> None:
        """Nothing to hand back: the plain log leaves the terminal as it is."""

    def resume(self) -> None:
        pass

    def _write(self, text: str) -> None:
        if self.gone:
            return
        try:
            self.stream.write(to_ascii(text) if self.ascii else text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed pipe or file, a hung-up terminal
            self.gone = True
            raise OutputGone() from None

    def _say(self, state: State, text: str) -> None:
        self._write(f"{clock(state.elapsed):>7}  {text}\n")

    def routine_started(self, timeline: Timeline, state: State) -> None:
        count = len(timeline.stretches)
        caution = "".join(line + "\n" for line in wrap(self.caution, self.width)) \
            if self.caution else ""
        self._write(f"psoas: {timeline.routine}, {count} stretch"
                    f"{'es' if count != 1 else ''}, {clock(timeline.planned)}\n{caution}")

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
        self._write(f"{clock(summary.elapsed):>7}  {outcome_word(summary.outcome)}\n")
