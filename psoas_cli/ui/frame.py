"""The live player's screen: one frame for a state and a window size.

A pure function of the engine's State: the live player (live.py) draws
what it returns; tests compare it line by line.  Richer layouts are tried
first; when the window is short the big words shrink, then the least needed
lines go, the countdown last.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from ..events import State
from ..phrases import clock, countdown, label, next_text, prompt
from ..timeline import FLOW, HOLD, MOVE, READY, REST, SWITCH, Phase
from . import bigtext
from .lines import wrap

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
