"""What a routine looks like while it plays: the live screen and the plain log.

Both are engine listeners.  The live player draws a full-screen frame when
what is shown changes (a phase, a whole second, a pause), never on a fixed
refresh; the plain player prints one line per phase change for pipes, logs
and dumb terminals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from rich.console import Console
from rich.live import Live
from rich.text import Text

from . import bigtext
from ..events import Listener, State, Summary
from .lines import wrap
from ..phrases import clock, countdown, describe, label, next_text, outcome_word, prompt
from ..timeline import FLOW, HOLD, MOVE, READY, REST, SWITCH, Phase, Timeline

STYLE = {READY: "yellow", MOVE: "yellow", HOLD: "green", FLOW: "green", SWITCH: "magenta",
         REST: "cyan"}
PAUSED_STYLE = "red"
BAR_NAMES = {READY: "Ready ", MOVE: "Ready ", HOLD: "Hold  ", FLOW: "Move  ", SWITCH: "Switch",
             REST: "Rest  "}
KEYS_HELP = "space pause · n/→ next · b/← back · q quit"
KEYS_SHORT = "spc pause n next b back q quit"


# -- the frame ----------------------------------------------------------------

@dataclass
class Block:
    lines: list[Text]
    keep: int  # higher is dropped later when the window is short


def _split(left: str, right: str, width: int, style: str = "") -> Text:
    room = width - len(right) - 1
    if room < 8:
        return Text(left[:width], style=style, no_wrap=True, overflow="crop")
    shown = left if len(left) <= room else left[:max(0, room - 1)] + "…"
    line = Text(shown, style=style, no_wrap=True)
    line.append(" " * (width - len(shown) - len(right)))
    line.append(right, style="dim")
    return line


def _bar(name: str, done: float, right: str, width: int, style: str) -> Text:
    size = max(1, width - len(name) - len(right) - 2)
    filled = int(round(done * size))
    line = Text(name, style="bold", no_wrap=True)
    line.append(" ")
    line.append("━" * filled, style=style)
    line.append("─" * (size - filled), style="dim")
    line.append(" " + right)
    return line


def _big(text: str, width: int, style: str, tall: bool) -> list[Text] | None:
    if bigtext.width(text, tall=tall) > width:
        return None
    rows = bigtext.tall(text) if tall else bigtext.short(text)
    return [Text(row.center(width).rstrip(), style=style, no_wrap=True) for row in rows]


def _wrapped(text: str, width: int, style: str = "", indent: str = "") -> list[Text]:
    return [Text(line, style=style, no_wrap=True) for line in wrap(text, width, indent)]


def _steps(phase: Phase, width: int) -> list[Text]:
    lines: list[Text] = []
    style = "" if phase.kind in (READY, MOVE) else "dim"
    for number, step in enumerate(phase.stretch.steps, 1):
        lines += _wrapped(f"{number}. {step}", width, style, indent="   ")
    return lines


def frame(state: State, width: int, height: int, *, caution: str = "",
          keyboard: bool = True) -> list[Text]:
    """The screen for ``state`` in a ``width`` x ``height`` window.

    Richer layouts are tried first; when the window is short the big words
    shrink, then the least needed lines go, the countdown last.
    """
    width = max(10, width)
    for big_label, digits, gaps in (("short", "tall", True), ("short", "short", True),
                                    (None, "short", False), (None, None, False)):
        blocks = _blocks(state, width, big_label, digits, gaps, caution, keyboard)
        if sum(len(b.lines) for b in blocks if b.keep >= 6) <= height:
            break
    return _fit(blocks, height)


def _blocks(state: State, width: int, big_label: str | None, digits: str | None, gaps: bool,
            caution: str, keyboard: bool) -> list[Block]:
    phase = state.phase
    style = PAUSED_STYLE if state.paused else STYLE[phase.kind]
    timeline = state.timeline
    count = len(timeline.stretches)
    gap = [Block([Text()], 1)] if gaps else []
    reps = f"rep {phase.rep} of {phase.reps}" if phase.reps > 1 else ""

    header = _split(f"psoas · {timeline.routine}", f"stretch {phase.item + 1} of {count}", width)
    name = _split(phase.stretch.name, reps, width, "bold")
    word = label(state)
    big = _big(word, width, f"bold {style}", tall=False) if big_label else None
    title = big or [Text(word.center(width).rstrip(), style=f"bold {style}", no_wrap=True)]
    time_left = "" if state.waiting else countdown(state.shown_seconds)
    big_time = "ENTER" if state.waiting else time_left
    shown = (_big(big_time, width, "bold", tall=digits == "tall" and not state.waiting)
             if digits else None) \
        or [Text(big_time.center(width).rstrip(), style="bold", no_wrap=True)]
    phase_bar = _bar(BAR_NAMES[phase.kind], state.phase_done, f"{time_left or 'wait'}".rjust(5), width, style)
    routine_bar = _bar("All   ", state.routine_done, clock(state.routine_remaining).rjust(5),
                       width, "blue")
    keys = KEYS_HELP if len(KEYS_HELP) <= width else KEYS_SHORT
    if state.paused:
        keys = keys.replace("space pause", "space resume").replace("spc pause", "spc resume")

    blocks = [Block([header], 5), Block([Text("─" * width, style="dim")], 2), Block([name], 9),
              *gap, Block(title, 9), *gap, Block(shown, 10), *gap,
              Block([phase_bar], 6), Block([routine_bar], 5), *gap,
              Block(_wrapped(prompt(state), width, "bold"), 8),
              Block(_steps(phase, width), 0),
              *gap, Block([Text(next_text(state)[:width], no_wrap=True)], 7)]
    if caution and state.index == 0:
        blocks.append(Block(_wrapped(caution, width, "dim italic"), 3))
    if keyboard:
        blocks.append(Block([Text(keys[:width], style="dim", no_wrap=True)], 8))
    return blocks


def _fit(blocks: list[Block], height: int) -> list[Text]:
    """Drop the least needed blocks until the rest fit; steps get what is left."""
    kept = list(blocks)
    while sum(len(b.lines) for b in kept if b.keep > 0) > height:
        victim = min((b for b in kept if b.keep > 0), key=lambda b: b.keep)
        kept.remove(victim)
    spare = height - sum(len(b.lines) for b in kept if b.keep > 0)
    lines: list[Text] = []
    for block in kept:
        if block.keep > 0:
            lines += block.lines
        elif spare > 0:
            lines += block.lines[:spare]
            spare -= min(spare, len(block.lines))
    return lines[:height]


# -- the players ----------------------------------------------------------------

class LivePlayer(Listener):
    """Full-screen display of the running routine (alternate screen, no cursor)."""

    def __init__(self, console: Console, *, caution: str = "", keyboard: bool = True) -> None:
        self.console = console
        self.caution = caution
        self.keyboard = keyboard
        self.live = Live(console=console, screen=True, auto_refresh=False, transient=True,
                         redirect_stdout=False, redirect_stderr=False)
        self.last: State | None = None

    def __enter__(self) -> LivePlayer:
        self.live.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.live.stop()

    def suspend(self) -> None:
        self.live.stop()

    def resume(self) -> None:
        self.live.start()
        if self.last is not None:
            self.draw(self.last)

    def draw(self, state: State) -> None:
        self.last = state
        width, height = self.console.size
        lines = frame(state, width, height, caution=self.caution, keyboard=self.keyboard)
        self.live.update(Text("\n").join(lines), refresh=True)

    def phase_started(self, state: State) -> None:
        self.draw(state)

    tick = paused = resumed = phase_started


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
