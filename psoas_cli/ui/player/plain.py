"""The plain player: a line per phase change, for pipes, logs, screen readers
and dumb terminals.

Everything the live screen shows reaches the log too: the before-you-start
card first; under each get-ready the move from the last position, the side
in words, every step, the stretch's cautions and its easier option; under
each hold the action, where to feel it and what to do if it is felt
elsewhere, and the mid-hold cue; and under every phase what comes next.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO

from psoas_cli.play.card import Card
from psoas_cli.play.events import Listener, OutputGone, State, Summary
from psoas_cli.play.phrases import (
    NOTICE,
    TAKE_CARE,
    clock,
    deepen_line,
    describe,
    easier_way,
    feel_line,
    focus,
    move_line,
    needs,
    next_text,
    outcome_word,
    rocking,
    side_sentence,
    title,
    variant_line,
    why_due,
    why_line,
)
from psoas_cli.play.timeline import (
    FIRST_SIDE,
    FLOW,
    HOLD,
    LIFT,
    LOWER,
    MOVE,
    READY,
    REST,
    ROCK,
    SWITCH,
    Timeline,
)
from psoas_cli.ui.player.card import card_text
from psoas_cli.ui.table import wrap
from psoas_cli.ui.terminal import to_ascii, unicode_ok
from psoas_cli.ui.views import quantities

INDENT = " " * 9  # under the text, past the time
STEP = re.compile(r"\d+\. ")  # a numbered step: its lines after the first go under its words


def _notes(state: State, breathing: str = "") -> list[str]:
    """What to know as a phase begins, then what comes next."""
    phase = state.phase
    stretch = phase.stretch
    notes: list[str] = []
    if phase.kind in (READY, MOVE):
        moving = move_line(state)
        notes += [f"Move: {moving}" if moving else "", phase.note or variant_line(stretch),
                  side_sentence(stretch, phase.side)]
        notes += [f"{number}. {step}" for number, step in enumerate(stretch.steps, 1)]
        if stretch.cautions:
            notes.append(f"{TAKE_CARE}: " + " ".join(stretch.cautions))
        if stretch.easier:
            notes.append(easier_way(stretch.easier))
        if why_due(state):
            notes.append(why_line(stretch.why))
    elif phase.kind == SWITCH:
        side = phase.side or FIRST_SIDE  # a switch is to a side: None only to the checker
        switch, means = stretch.switch_text(side), side_sentence(stretch, side)
        notes += [stretch.come_out, switch,
                  "" if means.rstrip(".").lower() in switch.lower() else means]
    elif phase.kind == REST:
        notes += [phase.note, stretch.come_out]
    elif phase.kind == LOWER:
        notes.append(phase.note)
    elif phase.kind in (HOLD, FLOW, LIFT):
        first = phase.rep == 1
        if phase.kind == HOLD or first:
            notes.append(focus(stretch.cue))
        if phase.kind == HOLD and stretch.notice:  # a self-test's: what to notice
            notes += [f"{NOTICE}:", *(f"- {line}" for line in stretch.notice)]
        if first:
            notes.append(" ".join(filter(None, [feel_line(phase), stretch.fix])))
            if phase.kind == HOLD:
                deepen = deepen_line(phase)
                notes.append(f"Midway: {deepen}" if deepen else breathing)
            notes += [f"At {clock(at)}: {show}" for at, _, show in stretch.flow_cues
                      if phase.kind == FLOW and at < phase.duration]
    elif phase.kind == ROCK:
        notes.append(rocking(phase))
    notes.append(next_text(state))
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
        self.introduced = False

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
        lines = [line for part in (text, *notes)
                 for line in wrap(part, room, "   " if STEP.match(part)
                                  else "  " if part.startswith("- ") else "")]
        prefixes = [f"{clock(state.elapsed):>7}  "] + [INDENT] * (len(lines) - 1)
        # No line, no prefix: the first prefix goes with the first line, if any.
        self._write("".join(p + line + "\n"
                            for p, line in zip(prefixes, lines, strict=False)))

    def introduce(self, card: Card) -> None:
        """The before-you-start card, printed whole: nothing waits in a log."""
        self.introduced = True
        self._write("".join(line + "\n" for line in card_text(card, self.width)))

    def routine_started(self, timeline: Timeline, state: State) -> None:
        if self.introduced:
            return  # the card said it all
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
        part = state.timeline.part
        # One part of a self-test: the side its phases name is count enough.
        where = name if part else f"{phase.item + 1}/{len(state.timeline.stretches)} {name}"
        wait = "until Enter" if state.waiting else f"{clock(phase.duration)}"
        self._say(state, f"{where}: {describe(phase, name=False)} ({wait})",
                  _notes(state, self.breathing))

    def paused(self, state: State) -> None:
        self._say(state, f"paused with {clock(state.remaining)} left in this phase")

    def resumed(self, state: State) -> None:
        self._say(state, "resumed")

    def routine_ended(self, summary: Summary) -> None:
        self._write(f"{clock(summary.elapsed):>7}  {outcome_word(summary.outcome)}\n")
