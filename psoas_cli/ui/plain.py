"""The plain player: one line per phase change, for pipes, logs and dumb terminals."""

from __future__ import annotations

from typing import IO

from ..events import Listener, OutputGone, State, Summary
from ..phrases import TAKE_CARE, clock, describe, outcome_word, side_sentence
from ..timeline import MOVE, READY, SWITCH, Phase, Timeline
from . import amounts
from .lines import wrap
from .terminal import to_ascii, unicode_ok

INDENT = " " * 9  # under the text, past the time


def _notes(phase: Phase) -> list[str]:
    """What to know as a stretch or a side begins: what the side means, and
    the stretch's own cautions before it is held."""
    notes = []
    if phase.kind in (READY, MOVE, SWITCH):
        notes.append(side_sentence(phase.stretch, phase.side))
    if phase.kind in (READY, MOVE) and phase.stretch.cautions:
        notes.append(f"{TAKE_CARE}: " + " ".join(phase.stretch.cautions))
    return [note for note in notes if note]


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

    def _say(self, state: State, text: str, notes: list[str] = ()) -> None:
        """A line at the time it happened; notes under it, all wrapped to the width."""
        room = self.width - len(INDENT)
        lines = [line for part in (text, *notes) for line in wrap(part, room)]
        prefixes = [f"{clock(state.elapsed):>7}  "] + [INDENT] * (len(lines) - 1)
        self._write("".join(p + line + "\n" for p, line in zip(prefixes, lines)))

    def routine_started(self, timeline: Timeline, state: State) -> None:
        count = len(timeline.stretches)
        caution = "".join(line + "\n" for line in wrap(self.caution, self.width)) \
            if self.caution else ""
        self._write(f"psoas: {timeline.routine}, {amounts.count(count, 'stretch', 'stretches')}, "
                    f"{clock(timeline.planned)}\n{caution}")

    def phase_started(self, state: State) -> None:
        phase = state.phase
        where = f"{phase.item + 1}/{len(state.timeline.stretches)} {phase.stretch.name}"
        wait = "until Enter" if state.waiting else f"{clock(phase.duration)}"
        self._say(state, f"{where}: {describe(phase, name=False)} ({wait})", _notes(phase))

    def paused(self, state: State) -> None:
        self._say(state, f"paused with {clock(state.remaining)} left in this phase")

    def resumed(self, state: State) -> None:
        self._say(state, "resumed")

    def routine_ended(self, summary: Summary) -> None:
        self._write(f"{clock(summary.elapsed):>7}  {outcome_word(summary.outcome)}\n")
