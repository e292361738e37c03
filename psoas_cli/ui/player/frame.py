"""The live player's screen: one frame for a state and a window size.

A pure function of the engine's State: the live player (live.py) draws
what it returns; tests compare it line by line.  (The before-you-start card,
shown before the first phase, is card.py.)

The screen is a column of blocks, each with a priority.  In the middle is
the "hero": the big word (the side, GET READY, SWITCH SIDES...), what the
side means for this stretch, and the countdown in big digits, with the pose
figure beside them when the window is wide enough.  Around it: the name,
the bars, what to do now, the cautions and steps, what comes next, the keys.

The layout is worked out once per phase and window size (``layout``); each
second only the digits and the bars are drawn again (``Layout.draw``).
Richer layouts are tried first: digits as tall as a third of the window,
the figure beside them.  When the window is short the big words shrink,
then the least needed blocks shorten or go (the steps first, the countdown
last); a narrow window sheds the figure before the big side word.
"""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple

from rich.text import Text

from psoas_cli.play.events import State
from psoas_cli.play.phrases import (
    NOTICE,
    clock,
    countdown,
    deepen_line,
    easier_way,
    feel_line,
    label,
    move_line,
    next_text,
    prompt,
    side_meanings,
    take_care,
    title,
    variant_line,
    why_due,
    why_line,
)
from psoas_cli.play.timeline import (
    FLOW,
    HOLD,
    LIFT,
    LOWER,
    MOVE,
    READY,
    REST,
    ROCK,
    SWITCH,
    Phase,
)
from psoas_cli.ui import bigtext
from psoas_cli.ui.figures.view import DEFAULT_MODE, NO_FIGURE, figure_texts
from psoas_cli.ui.palette import AMBER, BLUE, GREEN, MAGENTA, RED, TEAL
from psoas_cli.ui.table import cell_width, wrap

STYLE = {READY: AMBER, MOVE: AMBER, HOLD: GREEN, FLOW: GREEN, ROCK: GREEN,
         SWITCH: MAGENTA, REST: TEAL, LIFT: GREEN, LOWER: TEAL}  # ui/palette: light or dark
PAUSED_STYLE = RED
CARE_STYLE = AMBER
BAR_NAMES = {READY: "Ready ", MOVE: "Ready ", HOLD: "Hold  ", FLOW: "Move  ", ROCK: "Rock  ",
             SWITCH: "Switch", REST: "Rest  ", LIFT: "Lift  ", LOWER: "Lower "}
# Said when a small window cannot show all of a get-ready's texts in their
# turns: where to read them whole (by number when the slug does not fit).
MORE = ("more: psoas show {slug}", "more: psoas show {number}")
KEYS = ("space pause · n/→ next · b/← back · q quit", "spc pause n next b back q quit",
        "spc pause n next q quit", "spc pause q quit", "q quit")

# What each block is worth keeping, most needed first: the order is the
# priority, and the last goes (or shortens) first when the window is short,
# so a new block is placed by inserting its name.  A block that can shorten
# has two places: its own, for its shortest form, and one for what its
# longer forms add ("whole meaning", "more care", "steps to get ready"...).
# The side's meaning outlasts everything but the big word, the name and the
# countdown (in its shortest form: on a small window "right knee forward" is
# enough); on the tiniest window the name goes before the big word.  At the
# gentle level, the line saying the easier variant plays is kept with the
# prompt.  The routine's note for a stretch (where the chair goes) outlasts
# its cautions; a stretch's own cautions, the move from the last position
# and its easier option outlast the bars and the size of the digits.  While
# getting ready the first step is worth more than the blank lines, and the
# steps outlast the header and the routine's bar (and are paged when they do
# not all fit); the stretch's why, shown once a session while getting ready,
# comes after the first step.  During a hold, where to feel it and what to
# do if it is felt elsewhere outlast what comes next, and the steps only
# fill what is left.  A blank line each side of the big words keeps them
# apart from the rest.  On a window too small for the get-ready's texts to
# stand still, they take turns (see _take_turns); a line saying where to read
# what the turns cannot show ("more") outlasts all but the side and the
# countdown.  (The general caution and what the routine needs are
# on the before-you-start card, card.py, so the first get-ready has the room
# for its steps.)
NEEDED = (
    "digits", "label", "name", "meaning", "more", "prompt", "notice", "variant", "turns",
    "whole meaning", "keys", "more notice", "note", "care", "move", "easier", "more care",
    "phase bar", "coach", "more coach", "next", "first step to get ready",
    "gap around the hero", "gap before the prompt", "why",
    "steps to get ready", "header", "next while getting ready", "routine bar", "rule", "gap",
    "steps",
)
# Each block's worth: higher is kept longer.
KEEP = {name: len(NEEDED) - 1 - place for place, name in enumerate(NEEDED)}
# A layout is used only if the blocks as needed as these, or more, fit (in
# their shortest forms).  Small digits need less: they are worth keeping over
# the bars and the keys, a plain line of digits is not.
MUST = KEEP["phase bar"]
MUST_SMALL = KEEP["whole meaning"]

# The figure takes what the big word and digits leave of the width, up to
# a share of it, after a gap; and is drawn no smaller than this.
FIGURE_SHARE = 0.4
FIGURE_GAP = 2
HERO_MARGIN = 2  # columns each side of the widest big text, beside a figure
FIGURE_MIN_COLS = 16
FIGURE_FROM_WIDTH = 60  # a narrower window has no room for a figure worth looking at
FIGURE_MIN_ROWS = 5
FIGURE_PHASES = (READY, MOVE, HOLD, FLOW, ROCK, SWITCH, LIFT, LOWER)
FOOTER = ("next", "keys")  # kept at the bottom of the window
# Digits grow up to a third of the window's height; the big word grows with them.
DIGITS_SHARE = 3
BIG_LABEL_FROM = 4  # digit scale from which the big word is drawn at twice its size


class Block(NamedTuple):
    name: str
    lines: list[Text]
    keep: int  # its worth (KEEP): higher is dropped later when the window is short
    shorter: tuple = ()  # shorter forms (lists of lines), tried in turn before dropping it
    hero: bool = False  # beside the figure: the big word, its meaning, the digits
    extra: int | None = None  # worth of what a shorter form leaves out; None: keep
    parts: tuple = ()  # the steps or cautions, one list of lines each, when they may be paged
    pages: tuple = ()  # pages of steps shown in turn, when they do not all fit
    timed: tuple = ()  # (seconds into the phase, lines) shown from then on, in order

    @property
    def worth(self) -> int:
        """What shortening or dropping this block next would lose."""
        return self.keep if not self.shorter or self.extra is None else self.extra

    @property
    def least(self) -> int:
        return min([len(self.lines)] + [len(form) for form in self.shorter])


def _gap(keep: int, hero: bool = False) -> Block:
    return Block("gap", [Text()], keep, hero=hero)


# -- pieces ---------------------------------------------------------------------

def _shorten(text: str, room: int) -> str:
    """``text`` cut to ``room`` columns at a word boundary, with an ellipsis."""
    if len(text) <= room:
        return text
    if room <= 1:
        return text[:room]
    cut = text[:room - 1]
    space = cut.rfind(" ")
    if space > room // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:·") + "…"


def _split(left: str, right: str, width: int, style: str = "") -> Text:
    """``left``, and ``right`` flush with the right edge when both fit; else
    ``left`` alone, cut at a word if it must be."""
    if len(left) + 1 + len(right) > width:
        return Text(_shorten(left, width), style=style, no_wrap=True)
    line = Text(left, style=style, no_wrap=True)
    line.append(" " * (width - len(left) - len(right)))
    line.append(right, style="dim")
    return line


def _bar_name(phase: Phase) -> str:
    """The phase bar's name: a movement's by its own verbs ("Reach ", "Return")."""
    if phase.kind == LIFT:
        return f"{phase.stretch.lifts.capitalize():<6}"
    if phase.kind == LOWER:
        return f"{phase.stretch.lowers.capitalize():<6}"
    return BAR_NAMES[phase.kind]


def _bar(name: str, done: float, right: str, width: int, style: str) -> Text:
    size = max(1, width - len(name) - len(right) - 2)
    filled = int(round(done * size))
    line = Text(name, style="bold", no_wrap=True)
    line.append(" ")
    line.append("━" * filled, style=style)
    line.append("─" * (size - filled), style="dim")
    line.append(" " + right)
    return line


def _centre(line: str, width: int, style: str) -> Text:
    # The margin is unstyled, so nothing coloured runs into the blank before a line.
    text = Text(" " * max(0, (width - len(line)) // 2), no_wrap=True)
    text.append(line.rstrip(), style=style)
    return text


def _big(text: str, scale: int, width: int, style: str,
         halves: bool = True) -> list[Text] | None:
    """``text`` in big letters at ``scale`` centred in ``width`` (``halves``
    False: of full blocks alone); a plain line at scale 0; None when it does
    not fit."""
    if scale == 0:
        return [_centre(_shorten(text, width), width, style)]
    if bigtext.text_width(text, scale) > width:
        return None
    blocks = unbold(style)  # xterm fakes bold by drawing a glyph again 1 px right
    return [_centre(row, width, blocks) for row in bigtext.render(text, scale, halves)]


def unbold(style: str) -> str:
    """``style`` without bold, for rows of block characters: where the font has
    no bold, xterm fakes it by drawing each glyph again a pixel to the right,
    and a block drawn so leaves a stray line when a changed digit is redrawn."""
    return " ".join(word for word in style.split() if word != "bold")


def _wrapped(text: str, width: int, style: str = "", indent: str = "") -> list[Text]:
    return [Text(line, style=style, no_wrap=True) for line in wrap(text, width, indent)]


def _balanced(text: str, width: int) -> list[str]:
    """``text`` wrapped into as few lines as at ``width``, but as even as can
    be, so centred lines have no orphan word."""
    count = len(wrap(text, width))
    # No narrower than an even share of the text, or its longest word.
    narrowest = max([len(text) // count] + [len(word) for word in text.split()])
    for tried in range(min(narrowest, width), width):
        lines = wrap(text, tried)
        if len(lines) <= count:
            return lines
    return wrap(text, width)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _keys(width: int, paused: bool) -> Text:
    """The keys that fit, longest first: words are never cut."""
    shown: tuple[str, ...] = KEYS
    if paused:
        shown = tuple(k.replace("space pause", "space resume").replace("spc pause", "spc resume")
                      for k in KEYS)
    return Text(next((k for k in shown if len(k) <= width), ""), style="dim", no_wrap=True)


def _in_parts(parts: list[list[Text]], name: str, keep: int,
              extra: int | None = None) -> Block:
    """A block of several parts (steps, cautions) that shortens a whole part
    at a time; ``extra`` is the worth of the parts after the first."""
    lines = [line for part in parts for line in part]
    shorter = tuple([line for part in parts[:n] for line in part]
                    for n in range(len(parts) - 1, 0, -1))
    return Block(name, lines, keep, shorter, extra=extra)


# -- the blocks -------------------------------------------------------------------

class Words(NamedTuple):
    """What the catalogue gives the screen besides the stretches (the general
    caution and breathing cue are the before-you-start card's, card.py)."""

    caution: str = ""
    breathing: str = ""


NO_WORDS = Words()


def _style(state: State) -> str:
    return PAUSED_STYLE if state.paused else STYLE[state.phase.kind]


def _top(state: State, width: int) -> list[Block]:
    phase = state.phase
    count = len(state.timeline.stretches)
    reps = f"rep {phase.rep} of {phase.reps}" if phase.reps > 1 else ""
    part = state.timeline.part
    header = _split(f"psoas · {state.timeline.routine}",
                    part.header if part else f"stretch {phase.item + 1} of {count}", width)
    # While getting ready, the name says whether the stretch is advanced.
    name = title(phase.stretch) if phase.kind in (READY, MOVE) else phase.stretch.name
    return [Block("header", [header], KEEP["header"]),
            Block("rule", [Text("─" * width, style="dim")], KEEP["rule"]),
            Block("name", [_split(name, reps, width, "bold")], KEEP["name"]),
            _gap(KEEP["gap around the hero"])]


def _hero(state: State, width: int, scale: int, label_scale: int,
          halves: bool = True) -> list[Block] | None:
    """The big word, what the side means, and the digits, centred in ``width``;
    None when the big text does not fit at these scales."""
    style = _style(state)
    title = _big(label(state), label_scale, width, f"bold {style}", halves)
    digits = _big(_widest_time(state), scale, width, "bold", halves)
    if title is None or digits is None:
        return None
    blocks = [Block("label", title, KEEP["label"], hero=True)]
    meanings = side_meanings(state)
    if meanings:
        # The longest that fits on one line, else the whole meaning wrapped;
        # the shortest (its first words) only for a short window.
        whole = meanings[:-1] or meanings
        first = next((n for n, m in enumerate(whole) if len(m) <= width), len(whole) - 1)
        forms = [[_centre(line, width, style) for line in _balanced(m, width)]
                 for m in meanings[first:]]
        blocks.append(Block("meaning", forms[0], KEEP["meaning"], tuple(forms[1:]), hero=True,
                            extra=KEEP["whole meaning"]))
    return blocks + [_gap(KEEP["gap"], hero=True),
                     Block("digits", digits, KEEP["digits"], hero=True),
                     _gap(KEEP["gap around the hero"])]


def _widest_big(state: State, scale: int, label_scale: int) -> int:
    return max(bigtext.text_width(label(state), label_scale),
               bigtext.text_width(_widest_time(state), scale))


def _widest_time(state: State) -> str:
    """The widest the countdown gets in this phase: its size is chosen for
    it, so the digits never change size as they count down."""
    if state.waiting:
        return "ENTER"
    return countdown(int(-(-state.phase.duration // 1)))


def _bottom(state: State, width: int, words: Words, keyboard: bool) -> list[Block]:
    phase = state.phase
    stretch = phase.stretch
    getting_ready = phase.kind in (READY, MOVE)
    blocks = [Block("phase bar", [Text()], KEEP["phase bar"]),
              Block("routine bar", [Text()], KEEP["routine bar"]),
              _gap(KEEP["gap before the prompt"])]
    moving = move_line(state) if getting_ready else ""
    if moving:
        blocks.append(Block("move", _wrapped(f"Move: {moving}", width), KEEP["move"]))
    blocks.append(Block("prompt", _wrapped(prompt(state), width, "bold"), KEEP["prompt"]))
    if phase.note:
        blocks.append(Block("note", _wrapped(phase.note, width, "bold"), KEEP["note"]))
    elif getting_ready and variant_line(stretch):
        blocks.append(Block("variant", _wrapped(variant_line(stretch), width, CARE_STYLE),
                            KEEP["variant"]))
    coach = _coach(state, width)
    if coach is not None:
        blocks.append(coach)
    if getting_ready and stretch.cautions:
        parts = [_wrapped(take_care(c), width, CARE_STYLE, indent="  ") for c in stretch.cautions]
        blocks.append(_in_parts(parts, "care", KEEP["care"], KEEP["more care"])
                      ._replace(parts=tuple(parts)))
    steps = [_wrapped(f"{number}. {step}", width, "" if getting_ready else "dim", indent="   ")
             for number, step in enumerate(stretch.steps, 1)]
    if phase.kind == HOLD and stretch.notice:
        # A self-test's hold: what to notice, to answer after, not how to get there.
        parts = [_wrapped(f"- {line}", width, indent="  ") for line in stretch.notice]
        parts[0] = [Text(f"{NOTICE}:", style="bold", no_wrap=True), *parts[0]]
        blocks.append(_in_parts(parts, "notice", KEEP["notice"], KEEP["more notice"])
                      ._replace(parts=tuple(parts)))
    elif getting_ready:
        block = _in_parts(steps, "steps", KEEP["first step to get ready"],
                          KEEP["steps to get ready"])
        blocks.append(block._replace(parts=tuple(steps)))
    else:
        block = _in_parts(steps, "steps", KEEP["steps"])
        blocks.append(block._replace(parts=tuple(steps)))
    if getting_ready and stretch.easier:
        blocks.append(Block("easier", _wrapped(easier_way(stretch.easier), width, indent="  "),
                            KEEP["easier"]))
    if why_due(state):
        blocks.append(Block("why", _wrapped(why_line(stretch.why), width, "italic", indent="  "),
                            KEEP["why"]))
    upcoming = next_text(state)
    blocks += [_gap(KEEP["gap"]),
               Block("next", _wrapped(upcoming, width),
                     KEEP["next while getting ready" if getting_ready else "next"],
                     shorter=([Text(_shorten(upcoming, width), no_wrap=True)],))]
    if keyboard:
        blocks.append(Block("keys", [_keys(width, state.paused)], KEEP["keys"]))
    return blocks


def _coach(state: State, width: int) -> Block | None:
    """While holding: where to feel it and what to do if it is felt elsewhere,
    and from the middle on, the cue to deepen it; while rolling, the roll's
    own lines as their time comes; while lifting, where to feel it."""
    phase = state.phase
    stretch = phase.stretch
    if state.paused or phase.kind not in (HOLD, FLOW, LIFT):
        return None
    feel, fix, deepen = feel_line(phase), stretch.fix, deepen_line(phase)
    if phase.kind == FLOW and stretch.flow_cues:
        forms = [(at, [show]) for at, _, show in stretch.flow_cues]
    elif phase.kind == HOLD and deepen:
        forms = [(0.0, [feel, fix]), (phase.duration / 2, [deepen, fix])]
    else:
        forms = [(0.0, [feel, fix])]
    timed = [(at, [line for text in texts if text
                   for line in _wrapped(text, width, "italic")]) for at, texts in forms]
    if not any(lines for _, lines in timed):
        return None
    rows = max(len(lines) for _, lines in timed)
    timed = [(at, lines + [Text()] * (rows - len(lines))) for at, lines in timed]
    first = timed[0][1]
    # A short window keeps the first line of each (where to feel it, or the deepen cue).
    shorter = ([line for line in first[:1]],) if rows > 1 else ()
    return Block("coach", first, KEEP["coach"], shorter=shorter, timed=tuple(timed),
                 extra=KEEP["more coach"])


# -- fitting --------------------------------------------------------------------

def _fit(blocks: list[Block], height: int) -> list[Block]:
    """Shorten or drop the least needed blocks until the rest fit; then put
    back what was dropped and fits again (a big block's going may leave
    room for a small one dropped before it)."""
    kept = dict(enumerate(blocks))  # by place on the screen
    dropped = []

    def used() -> int:
        return sum(len(b.lines) for b in kept.values())

    while kept and used() > height:
        at = min(kept, key=lambda n: kept[n].worth)
        victim = kept[at]
        if victim.shorter:
            kept[at] = victim._replace(lines=victim.shorter[0], shorter=victim.shorter[1:])
        else:
            dropped.append(at)
            del kept[at]
    for at in sorted(dropped, key=lambda n: -blocks[n].keep):
        if used() + len(blocks[at].lines) <= height:
            kept[at] = blocks[at]
    return _tidy([kept[n] for n in sorted(kept)])


def _tidy(blocks: list[Block]) -> list[Block]:
    """No blank line at the top or bottom, and never two in a row."""
    tidy: list[Block] = []
    for block in blocks:
        if block.name == "gap" and (not tidy or tidy[-1].name == "gap"):
            continue
        tidy.append(block)
    while tidy and tidy[-1].name == "gap":
        tidy.pop()
    return tidy


# Steps that do not all fit are shown a page at a time, each for a share of
# the phase but never so briefly that it cannot be read, nor so long that
# the last ones never come.
PAGE_SECONDS = (4.0, 8.0)
# What may follow the steps on the screen, to put them back before.
AFTER_STEPS = ("easier", "why", "next", "keys")


def _page_steps(blocks: list[Block], kept: list[Block], height: int,
                plainest: bool = False) -> list[Block]:
    """Give the steps every row left over, and when they still do not all fit,
    pages of them to show in turn: a beginner needs every step, not the first.
    ``plainest``: the last layout tried, where more may go for a step's room."""
    # The steps, or what to notice (the cautions' parts are for taking turns).
    steps = next((b for b in blocks if b.parts and b.name in ("steps", "notice")), None)
    if steps is None:
        return kept
    kept = _room_for_a_step(steps, kept, height, plainest)
    spare = height - sum(len(b.lines) for b in kept)
    at = next((n for n, b in enumerate(kept) if b.name == steps.name), None)
    rows = spare + (len(kept[at].lines) if at is not None else 0)
    every = [line for part in steps.parts for line in part]
    if rows < 1 or (at is not None and len(kept[at].lines) == len(every)):
        return kept
    if rows < 2 and len(every) > rows:  # a line a page, each cut short: no help
        return kept
    if at is None:  # dropped: put it back where it belongs
        at = next((n for n, b in enumerate(kept) if b.name in AFTER_STEPS), len(kept))
        if at and kept[at - 1].name == "gap":
            at -= 1
        kept = kept[:at] + [steps] + kept[at:]
    if len(every) <= rows:
        kept[at] = steps._replace(lines=every, shorter=())
        return kept
    pages = _pages(steps.parts, rows)
    kept[at] = steps._replace(lines=pages[0], shorter=(), pages=tuple(pages))
    return kept


def _room_for_a_step(steps: Block, kept: list[Block], height: int,
                     plainest: bool) -> list[Block]:
    """Without blank lines, as far as that makes room for the longest step
    whole: a step cut short is worse than a blank line lost.  In the plainest
    layout, when that is not enough, without the other blocks worth less than
    the steps too (why it helps); in the others, smaller big text comes first."""
    longest = max(len(part) for part in steps.parts)
    shown = next((b for b in kept if b.name == steps.name), None)

    def rows() -> int:
        return height - sum(len(b.lines) for b in kept) + (len(shown.lines) if shown else 0)

    cheaper = sorted((b for b in kept if b.keep < steps.keep and b.name != steps.name
                      and (plainest or b.name == "gap")),
                     key=lambda b: (b.name != "gap", b.keep))
    if rows() >= longest or rows() + sum(len(b.lines) for b in cheaper) < longest:
        return kept
    for block in cheaper:
        if rows() >= longest:
            break
        kept = [b for b in kept if b is not block]
    return _tidy(kept)


def _pages(parts: tuple, rows: int) -> list[list[Text]]:
    """Whole steps packed into pages of ``rows`` lines (a step longer than a
    page is cut, with an ellipsis); every page padded to the same height."""
    pages: list[list[Text]] = []
    page: list[Text] = []
    for part in parts:
        if len(part) > rows:
            last = part[rows - 1]
            part = part[:rows - 1] + [Text(_shorten(last.plain + " …", len(last.plain)),
                                           style=last.style, no_wrap=True)]
        if page and len(page) + len(part) > rows:
            pages.append(page)
            page = []
        page = page + list(part)
    pages.append(page)
    return [p + [Text()] * (rows - len(p)) for p in pages]


def _page(state: State, count: int) -> int:
    """Which page of steps to show, by the time into the phase."""
    low, high = PAGE_SECONDS
    seconds = min(high, max(low, state.phase.duration / count))
    into = max(0.0, state.phase.duration - state.remaining)
    return int(into // seconds) % count


def _timed(block: Block, state: State) -> list[Text]:
    """The lines of a timed block whose time has come, cut to the rows it kept."""
    into = max(0.0, state.phase.duration - state.remaining)
    lines = block.timed[0][1]
    for at, shown in block.timed:
        if at <= into + 1e-9:
            lines = shown
    return lines[:len(block.lines)]


def _variants(height: int, with_figure: bool, halves: bool = True):
    """(digit scale, big word scale, figure, what must fit), richest first.

    A grown layout (digits or word bigger than usual) must leave room for
    everything but the steps of a hold (must is then KEEP["steps"]); the
    figure needs the big word, and is worth more than drawing that word
    twice as big.
    """
    figure = (True, False) if with_figure else (False,)
    biggest = 2
    while bigtext.rows(biggest + 1, halves) <= height // DIGITS_SHARE:
        biggest += 1
    for scale in range(biggest, 2, -1):
        for fig in figure:  # the figure before a bigger word
            for label_scale in ((2, 1) if scale >= BIG_LABEL_FROM else (1,)):
                yield scale, label_scale, fig, KEEP["steps"]
    for fig in figure:
        yield 2, 1, fig, MUST
    for fig in figure:
        yield 1, 1, fig, MUST
    yield 1, 0, False, MUST_SMALL
    yield 0, 0, False, None


def _fits(blocks: list[Block], height: int, must: int) -> bool:
    """Whether the blocks worth ``must`` or more fit, in their shortest forms;
    for the steps' worth, whether everything but the steps of a hold fits whole."""
    if must == KEEP["steps"]:
        return sum(len(b.lines) for b in blocks if b.keep > must) <= height
    return sum(b.least for b in blocks if b.keep >= must) <= height


# -- the layout of one phase -----------------------------------------------------

class Layout(NamedTuple):
    """Which blocks a phase shows in a window, and how big; ``draw`` fills in
    the parts that change every second (the digits and the bars)."""

    blocks: list[Block]
    width: int
    height: int
    scale: int  # of the digits; 0 for a plain line
    hero_width: int
    figure: tuple = ()  # rows of Text beside the hero, bottom-aligned
    figure_at: int = 0  # the column its box starts at
    figure_side: str = ""  # the side it is drawn for: right as written, left mirrored
    figure_box: tuple = (0, 0)  # the columns and rows it was drawn to fit
    # Hero lines with the figure beside them, by the line they were made from:
    # the lines that do not change from one second to the next are made once,
    # and come back as the same objects, which the screen skips at once.
    beside: dict = {}  # always given a dict of its own (layout() does)
    halves: bool = True  # big digits of half blocks (else full blocks alone)

    def draw(self, state: State) -> list[Text]:
        lines: list[Text] = []
        hero: list[int] = []
        # Rows to spare: a third above the big words, the rest above the
        # footer, which sits at the bottom of the window.
        spare = self.height - sum(len(b.lines) for b in self.blocks)
        above = spare // 3
        for block in self.blocks:
            if block.hero and above > 0:
                lines += [Text()] * above
                spare -= above
                above = 0
            if block.name in FOOTER and spare > 0:
                lines += [Text()] * spare
                spare = 0
            shown = self._lines(block, state)
            if block.hero:
                hero += range(len(lines), len(lines) + len(shown))
            lines += shown
        if self.figure and hero:
            self._beside(lines, hero)
        return lines[:self.height]

    def _lines(self, block: Block, state: State) -> list[Text]:
        if block.pages:
            return block.pages[_page(state, len(block.pages))]
        if block.timed:
            return _timed(block, state)
        if block.name == "digits":
            shown = "ENTER" if state.waiting else countdown(state.shown_seconds)
            return _big(shown, self.scale, self.hero_width, "bold", self.halves) or block.lines
        if block.name == "phase bar":
            right = ("wait" if state.waiting else countdown(state.shown_seconds)).rjust(5)
            return [_bar(_bar_name(state.phase), state.phase_done, right, self.width,
                         _style(state))]
        if block.name == "routine bar":
            return [_bar("All   ", state.routine_done, clock(state.routine_remaining).rjust(5),
                         self.width, BLUE)]
        return block.lines

    def _beside(self, lines: list[Text], hero: list[int]) -> None:
        """Lay the figure's rows to the right of the hero's lines, floor at the bottom."""
        if "left" not in self.beside:
            figure_width = max(cell_width(row.plain) for row in self.figure)
            self.beside["left"] = self.figure_at + (self.width - self.figure_at
                                                    - figure_width) // 2
        left = self.beside["left"]
        offset = len(hero) - len(self.figure)
        for number, row in enumerate(self.figure):
            at = hero[offset + number]
            made = self.beside.get((number, id(lines[at])))
            if made is None or made[0] is not lines[at]:
                line = Text(no_wrap=True)
                line.append_text(lines[at])
                line.append(" " * (left - cell_width(lines[at].plain)))
                line.append_text(row)
                made = (lines[at], line)
                if len(self.beside) > 64:  # a new row of digits each second: keep few
                    self.beside.clear()
                    self.beside["left"] = left
                self.beside[(number, id(lines[at]))] = made
            lines[at] = made[1]


def layout(state: State, width: int, height: int, *, words: Words = NO_WORDS,
           keyboard: bool = True, figure_mode: str = DEFAULT_MODE,
           halves: bool = True) -> Layout:
    """The layout of ``state``'s phase in a ``width`` x ``height`` window;
    ``halves`` False: big letters of full blocks alone (terminal.half_blocks)."""
    width = max(10, width)
    top = _top(state, width)
    bottom = _bottom(state, width, words, keyboard)
    figure = state.phase.stretch.figure if state.phase.kind in FIGURE_PHASES else None
    if width < FIGURE_FROM_WIDTH or figure_mode == NO_FIGURE:
        figure = None
    getting_ready = state.phase.kind in (READY, MOVE)
    # While getting ready every step must be read whole, a page at a time:
    # smaller big text is better than a step cut short; then the figure (it
    # shows how to get there), then why the stretch helps.  The richest
    # layout of the best rank wins.
    best: tuple[tuple[bool, bool, int, bool, bool, bool], Layout] | None = None
    for scale, label_scale, with_figure, must in _variants(height, figure is not None, halves):
        hero_width = width
        if with_figure:
            hero_width = max(_widest_big(state, scale, label_scale) + 2 * HERO_MARGIN,
                             width - int(width * FIGURE_SHARE) - FIGURE_GAP)
            if width - hero_width - FIGURE_GAP < FIGURE_MIN_COLS:
                continue
        hero = _hero(state, hero_width, scale, label_scale, halves)
        if hero is None:
            continue
        blocks = top + hero + bottom
        if must is not None and not _fits(blocks, height, must):
            continue
        kept = _page_steps(blocks, _fit(blocks, height), height, plainest=must is None)
        turns: tuple[bool, bool, int] = (True, True, 0)
        honest = not getting_ready or _honest(kept, blocks)
        if not honest:
            kept, turns = _take_turns(blocks, state, width, height)
        if not with_figure:
            shown = Layout(kept, width, height, scale, hero_width, beside={}, halves=halves)
        else:
            placed = _place_figure(figure, state, kept, width, hero_width, scale, figure_mode)
            if not placed:
                continue
            shown = Layout(kept, width, height, scale, hero_width, *placed, beside={},
                           halves=halves)
        if not getting_ready:
            return shown
        # Texts standing still first, then turns that all come in time, then
        # the fewest turns that do not, then no caution wrapped across turns.
        rank = (honest, turns[0], turns[2], turns[1], bool(shown.figure) or figure is None,
                _has_all(kept, blocks, "why"))
        if best is None or rank > best[0]:
            best = (rank, shown)
        if honest and all(rank[-2:]):
            break
    if best is not None:
        return best[1]
    raise AssertionError("the plainest layout always fits")  # pragma: no cover


# -- a get-ready's texts taking turns on a small window ----------------------------

# The get-ready's texts, in the order they take turns when the window is too
# small for them to stand still: how to move there, the routine's note, each
# caution, each step, the easier way.  The cautions come before the steps, so
# when there is not the time for every turn, a step is left out, not a caution.
TURNS = ("move", "note", "care", "steps", "easier")
STEADY = ("move", "note", "care", "easier")  # not wrapped across turns, when there is room


def _honest(kept: list[Block], blocks: list[Block]) -> bool:
    """Whether every get-ready text is shown whole: each of TURNS kept in its
    longest form, the steps whole on their pages."""
    for block in blocks:
        if block.name == "steps":
            if block.parts and not _steps_whole(kept):
                return False
        elif block.name in TURNS:
            shown = next((b for b in kept if b.name == block.name), None)
            if shown is None or len(shown.lines) < len(block.lines):
                return False
    return True


def _take_turns(blocks: list[Block], state: State, width: int,
                height: int) -> tuple[list[Block], tuple[bool, bool, int]]:
    """The blocks with the get-ready's texts (TURNS) taking turns in the rows
    the rest leaves them, each whole in its turn, or wrapped across the pages
    of its turn when it is longer than the rows; and, when the turns do not
    all come in the phase's time (or no row is left), a line saying where to
    read them.  Also: whether every turn comes, whether no caution is
    wrapped, and how many pages do not come in time (negative)."""
    parts = [list(part) for b in blocks if b.name in TURNS
             for part in (b.parts or (b.lines,)) if part]
    steady = max((len(part) for b in blocks if b.name in STEADY
                  for part in (b.parts or (b.lines,))), default=1)
    turns = Block("turns", [Text()] * steady, KEEP["turns"],
                  tuple([Text()] * n for n in range(steady - 1, 0, -1)), extra=KEEP["turns"])
    rest = [b for b in blocks if b.name not in TURNS]
    at = next((n for n, b in enumerate(blocks) if b.name in TURNS[1:]), len(blocks))
    at -= sum(1 for b in blocks[:at] if b.name in TURNS)
    stretch = state.phase.stretch
    more = _more(stretch.slug, stretch.number, width)
    seconds = state.phase.duration + 1e-9

    def turned(kept: list[Block]) -> tuple[list[Block], tuple[bool, bool, int]]:
        kept = _tidy(kept)
        rows = height - sum(len(b.lines) for b in kept if b.name != "turns")
        # A line a page, each text a line at a time, is no help.
        useful = rows > 1 or (rows == 1 and all(len(part) == 1 for part in parts))
        pages, last = _turn_pages(parts, rows) if useful else ([], [])
        kept = [b for b in kept if b.name != "turns"]
        if pages:
            place = next((n for n, b in enumerate(kept) if b.name in AFTER_STEPS + ("more",)),
                         len(kept))
            if place and kept[place - 1].name == "gap":
                place -= 1
            kept.insert(place, turns._replace(lines=pages[0], shorter=(),
                                              pages=tuple(pages) if len(pages) > 1 else ()))
        coming = int(seconds // PAGE_SECONDS[0]) if len(pages) > 1 else len(pages)
        missing = sum(1 for page in last if page >= coming) if pages else len(parts)
        if missing and all(b.name != "more" for b in kept):
            missing = len(parts) + 1  # not even said: the worst
        return kept, (not missing, rows >= steady, -missing)

    for with_more in (False, True):
        listing = rest[:at] + [turns] + ([more] if with_more else []) + rest[at:]
        kept, rank = turned(_fit(listing, height))
        # Less needed blocks give their rows (or shorten), when that brings
        # more turns in time or a caution whole: the keys last.
        cheap = sorted((b for b in kept if b.worth < KEEP["turns"] and b.name != "turns"),
                       key=lambda b: (b.name != "gap", b.worth))
        fewer = kept
        for block in cheap:
            if rank[0] and rank[1]:
                break
            less = [block._replace(lines=block.shorter[-1], shorter=())] \
                if block.keep > KEEP["turns"] else []
            fewer, better = turned([c for b in fewer for c in (less if b is block else [b])])
            if better > rank:
                kept, rank = fewer, better
        if rank[0] or with_more:
            return kept, rank
    raise AssertionError("unreachable")  # pragma: no cover


def _more(slug: str, number: int, width: int) -> Block:
    """The line saying where to read what the turns cannot show: by slug on
    one line when it fits, else by number, else the slug wrapped."""
    full, short = (form.format(slug=slug, number=number) for form in MORE)
    if len(full) <= width:
        return Block("more", [Text(full, style=CARE_STYLE, no_wrap=True)], KEEP["more"])
    lines = _wrapped(full, width, CARE_STYLE)
    if len(short) <= width:
        return Block("more", lines, KEEP["more"],
                     ([Text(short, style=CARE_STYLE, no_wrap=True)],), extra=KEEP["more"])
    return Block("more", lines, KEEP["more"])


CONTINUED = "…"  # in the indent of the first line of a text wrapped onto a new page


def _turn_pages(parts: list[list[Text]], rows: int) -> tuple[list[list[Text]], list[int]]:
    """The parts packed whole into pages of ``rows`` lines, a part longer
    than a page wrapped onto the next ones (its first line there marked
    with an ellipsis in its indent); every page padded to the same height.
    Also the page each part ends on."""
    chunks: list[list[Text]] = []
    ends: list[int] = []  # the number of chunks when each part is done
    for part in parts:
        count = -(-len(part) // rows)  # pages it needs, shared out evenly
        cuts = [-(-len(part) * n // count) for n in range(count + 1)]
        for start, end in itertools.pairwise(cuts):
            chunk = part[start:end]
            first = chunk[0]
            if start and first.plain.startswith(" "):
                marked = Text(CONTINUED + first.plain[1:], style=first.style, no_wrap=True)
                chunk = [marked] + chunk[1:]
            chunks.append(chunk)
        ends.append(len(chunks))
    pages: list[list[Text]] = []
    page: list[Text] = []
    on: list[int] = []  # the page each chunk is on
    for chunk in chunks:
        if page and len(page) + len(chunk) > rows:
            pages.append(page)
            page = []
        page = page + chunk
        on.append(len(pages))
    if page:
        pages.append(page)
    return [p + [Text()] * (rows - len(p)) for p in pages], [on[end - 1] for end in ends]


def _has_all(kept: list[Block], blocks: list[Block], name: str) -> bool:
    """Whether the block called ``name`` is kept, when there is one."""
    return any(b.name == name for b in kept) or all(b.name != name for b in blocks)


def _steps_whole(kept: list[Block]) -> bool:
    """Whether every step is shown whole (on its page, when they are paged)."""
    steps = next((b for b in kept if b.name == "steps"), None)
    if steps is None:
        return False
    rows = len(steps.pages[0]) if steps.pages else len(steps.lines)
    return all(len(part) <= rows for part in steps.parts) and (
        bool(steps.pages) or len(steps.lines) == sum(len(part) for part in steps.parts))


def _place_figure(figure, state: State, kept: list[Block], width: int, hero_width: int,
                  scale: int, mode: str) -> tuple[tuple, int, str, tuple] | None:
    """The figure's rows, the column its box starts at, its side and its
    box, or None if it would be too small.

    Two boxes are tried: beside the whole hero, right of its widest line
    (suits a standing pose), and beside the digits alone, which are
    narrower than the big word (suits a pose lying down); the one that
    draws the figure bigger wins.
    """
    side = state.phase.side or "right"
    hero = [b for b in kept if b.hero]
    tall_rows = sum(len(b.lines) for b in hero)
    words = max((n for n, b in enumerate(hero) if b.name in ("label", "meaning")), default=-1)
    wide_rows = sum(len(b.lines) for b in hero[words + 1:])
    digits = bigtext.text_width(_widest_time(state), scale)
    boxes = ((hero_width + FIGURE_GAP, tall_rows),
             ((hero_width + digits) // 2 + FIGURE_GAP + HERO_MARGIN, wide_rows))
    best: tuple[tuple, int, tuple] | None = None
    for left, rows in boxes:
        if width - left < FIGURE_MIN_COLS or rows < FIGURE_MIN_ROWS - 1:
            continue
        drawn = figure_texts(figure, width - left, rows, mode=mode, side=side)
        size = max((row.cell_len for row in drawn), default=0)
        if drawn and (best is None or size > max(r.cell_len for r in best[0])):
            best = (drawn, left, (width - left, rows))
    if best is None or len(best[0]) < 2:
        return None
    drawn, left, box = best
    return drawn, left, side, box


def frame(state: State, width: int, height: int, *, caution: str = "", breathing: str = "",
          keyboard: bool = True, figure_mode: str = DEFAULT_MODE,
          halves: bool = True) -> list[Text]:
    """The screen for ``state`` in a ``width`` x ``height`` window."""
    shown = layout(state, width, height, words=Words(caution, breathing), keyboard=keyboard,
                   figure_mode=figure_mode, halves=halves)
    return shown.draw(state)
