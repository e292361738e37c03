"""The plain player: one line per phase change, for pipes, logs and dumb terminals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from psoas_cli.play.events import Listener, OutputGone, State, Summary
from psoas_cli.play.phrases import (
    TAKE_CARE,
    clock,
    describe,
    focus,
    needs,
    outcome_word,
    side_sentence,
    title,
    why_due,
    why_line,
)
from psoas_cli.play.timeline import HOLD, MOVE, READY, REST, SWITCH, Timeline
from psoas_cli.ui.table import wrap
from psoas_cli.ui.terminal import to_ascii, unicode_ok
from psoas_cli.ui.views import quantities

INDENT = " " * 9  # under the text, past the time


def _notes(state: State, breathing: str) -> list[str]:
    """What to know as a phase begins: what the side means, the routine's note
    and the stretch's own cautions before it is held, and its why the first
    time it comes up; the action (its cue) as each side's first
    hold begins, and how to breathe at the stretch's first; how to come out
    of the pose at a rest or a switch."""
    phase = state.phase
    stretch = phase.stretch
    notes = []
    if phase.kind in (REST, SWITCH):
        notes.append(stretch.come_out)
    if phase.kind in (READY, MOVE, SWITCH):
        notes.append(side_sentence(stretch, phase.side))
    notes.append(phase.note)
    if phase.kind in (READY, MOVE) and stretch.cautions:
        notes.append(f"{TAKE_CARE}: " + " ".join(stretch.cautions))
    if why_due(state):
        notes.append(why_line(stretch.why))
    if phase.is_work and phase.rep == 1:
        notes.append(focus(stretch.cue))
        before = state.timeline.phases[state.index - 1] if state.index else None
        if phase.kind == HOLD and (before is None or before.kind in (READY, MOVE)
                                   or before.item != phase.item):
            notes.append(breathing)
    return [note for note in notes if note]


class PlainPlayer(Listener):
    """One line per phase change, no escape codes: for pipes and dumb terminals.

    When the reader goes away (``psoas play ... | head -3``, or stdout
    closed) it tells the engine once (events.OutputGone) and writes nothing
    more, so the routine stops and is recorded as stopped.
    """

    def __init__(self, stream: IO[str], *, caution: str = "", breathing: str = "",
                 width: int = 80) -> None:
        self.stream = stream
        self.caution = caution
        self.breathing = breathing
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

    def _say(self, state: State, text: str, notes: Sequence[str] = ()) -> None:
        """A line at the time it happened; notes under it, all wrapped to the width."""
        room = self.width - len(INDENT)
        lines = [line for part in (text, *notes) for line in wrap(part, room)]
        prefixes = [f"{clock(state.elapsed):>7}  "] + [INDENT] * (len(lines) - 1)
        # No line, no prefix: the first prefix goes with the first line, if any.
        self._write("".join(p + line + "\n"
                            for p, line in zip(prefixes, lines, strict=False)))

    def routine_started(self, timeline: Timeline, state: State) -> None:
        count = len(timeline.stretches)
        told = "".join(line + "\n" for text in (needs(timeline.stretches), self.caution)
                       for line in wrap(text, self.width) if text)
        stretches = quantities.count(count, "stretch", "stretches")
        purpose = "".join(line + "\n" for line in wrap(timeline.purpose, self.width)) \
            if timeline.purpose else ""
        self._write(f"psoas: {timeline.routine}, {stretches}, {clock(timeline.planned)}\n"
                    f"{purpose}{told}")

    def phase_started(self, state: State) -> None:
        phase = state.phase
        name = title(phase.stretch) if phase.kind in (READY, MOVE) else phase.stretch.name
        where = f"{phase.item + 1}/{len(state.timeline.stretches)} {name}"
        wait = "until Enter" if state.waiting else f"{clock(phase.duration)}"
        self._say(state, f"{where}: {describe(phase, name=False)} ({wait})",
                  _notes(state, self.breathing))

    def paused(self, state: State) -> None:
        self._say(state, f"paused with {clock(state.remaining)} left in this phase")

    def resumed(self, state: State) -> None:
        self._say(state, "resumed")

    def routine_ended(self, summary: Summary) -> None:
        self._write(f"{clock(summary.elapsed):>7}  {outcome_word(summary.outcome)}\n")
