"""The words for phases and outcomes, in one place.

The live screen, the plain log, the plan (--dry-run) and the summary all
describe the same things; each takes its words from here, so a phase reads
the same everywhere.  What the voice says is script.py, from the same
sources.  A side is always named by its limb, from the stretch's own
``side_*`` words in the catalogue; nothing here builds "{side} side".
Pure Python.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from psoas_cli.model.catalogue import Stretch, equipment
from psoas_cli.play.coaching import capital, sentence
from psoas_cli.play.events import Outcome, State, Summary
from psoas_cli.play.timeline import (
    FIRST_SIDE,
    FLOW,
    LIFT,
    LOWER,
    MOVE,
    READY,
    REST,
    ROCK,
    SECOND_SIDE,
    SWITCH,
    Phase,
)

LIFT_LABEL = "{lift} & hold"  # a movement's phases, by its own verbs
LOWER_PROMPT = "Breathe in and {lower} slowly."
# The voice's pace and its countdown (script.py), which other scripts share.
WORDS_PER_SECOND = 2.5  # espeak-ng -s 150, on long lines (speech.py times each line)
COUNTDOWN_AT = 3  # "3, 2, 1." starts with this many seconds of a hold left


def clock(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` past an hour."""
    whole = max(0, int(round(seconds)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def countdown(seconds: int) -> str:
    """The big number: plain seconds under a minute, ``m:ss`` above."""
    return clock(seconds) if seconds >= 60 else str(seconds)


def duration(seconds: float) -> str:
    """``20 s`` under a minute, ``m:ss`` above."""
    whole = int(seconds)
    return f"{whole} s" if whole < 60 else clock(whole)


def label(state: State) -> str:
    """The big word at the top of the screen: for a hold of one side, that
    side's limb ("RIGHT KNEE")."""
    phase = state.phase
    if state.paused:
        return "PAUSED"
    if phase.kind in (READY, MOVE):
        return "GET READY"
    if phase.kind == SWITCH:
        return "SWITCH SIDES"
    if phase.kind == REST:
        return "REST"
    if phase.kind == FLOW:
        return "KEEP MOVING"
    if phase.kind == LIFT:
        return LIFT_LABEL.format(lift=phase.stretch.lifts).upper()
    if phase.kind == LOWER:
        return phase.stretch.lowers.upper()
    if phase.kind == ROCK:
        return "ROCK GENTLY"
    return side_word(phase).upper() or "HOLD"


def side_word(phase: Phase) -> str:
    """The side of ``phase`` by its limb ("right knee"); "" without a side."""
    stretch = phase.stretch
    if not phase.side:
        return ""
    return stretch.side_word_of(phase.side) if stretch.side_word else phase.side


def describe(phase: Phase, *, name: bool = True) -> str:
    """One phase in a few words, for 'Next:', the plan and the plain log."""
    word = side_word(phase)
    side = f", {word}" if word else ""
    reps = f" rep {phase.rep} of {phase.reps}" if phase.reps > 1 else ""
    if phase.kind in (READY, MOVE):
        return f"get ready for {phase.stretch.name}{side}" if name else f"get ready{side}"
    if phase.kind == SWITCH:
        return f"switch sides: {word}"
    if phase.kind == REST:
        return f"come out, rest, then rep {phase.rep} of {phase.reps}"
    if phase.kind == LIFT:
        return f"{LIFT_LABEL.format(lift=phase.stretch.lifts)}{reps}{side}"
    if phase.kind == LOWER:
        return f"{phase.stretch.lowers}{side}"
    if phase.kind == ROCK:
        return f"rock in and out {_times(phase.rocks)}{side}"
    verb = "keep moving" if phase.kind == FLOW else "hold"
    return f"{verb}{reps}{side}"


def next_text(state: State) -> str:
    """What comes after this phase."""
    upcoming = state.next_phase
    part = state.timeline.part
    if upcoming is None and part is not None and part.then:
        return f"Next: {part.then}"
    if upcoming is None:
        closing = state.timeline.closing
        return f"Next: finish. {sentence(closing)}" if closing else "Next: finish"
    if upcoming.kind == MOVE:
        number = upcoming.item + 1
        return f"Next: {upcoming.stretch.name} ({number} of {len(state.timeline.stretches)})"
    return f"Next: {describe(upcoming)} ({duration(upcoming.duration)})"


def prompt(state: State) -> str:
    """The sentence under the countdown: what to do right now."""
    phase = state.phase
    if state.paused:
        return "Paused. Press space to carry on."
    if phase.kind == SWITCH:
        switch = phase.stretch.switch_text(phase.side or FIRST_SIDE)
        return f"{switch.rstrip('.')}, then press Enter." if state.waiting else switch
    if phase.kind in (READY, MOVE):
        first = f": {phase.stretch.ready_text(phase.side)}" if phase.side else ""
        enter = " Press Enter when you are in position." if state.waiting else ""
        return f"Get into position{first}.{enter}"
    if phase.kind == REST:
        return f"Come out slowly and rest. {_rep_next(phase)}"
    if phase.kind == LOWER:
        return LOWER_PROMPT.format(lower=phase.stretch.lowers)
    if phase.kind == ROCK:
        return rocking(phase)
    return phase.stretch.cue


def rocking(phase: Phase) -> str:
    """What to do while rocking, on screen and by voice."""
    return (f"Rock gently into the stretch and out again, a second each way, "
            f"{_times(phase.rocks)}; then hold.")


def _times(count: int) -> str:
    return "once" if count == 1 else "twice" if count == 2 else f"{count} times"


def why_line(why: str) -> str:
    """A stretch's why, as the player shows it while getting ready."""
    return f"Why: {why}"


def why_due(state: State) -> bool:
    """Whether the stretch's why belongs to this phase: getting ready for the
    stretch's first time in the routine (not its second round in desk)."""
    phase = state.phase
    return (bool(phase.stretch.why) and phase.kind in (READY, MOVE)
            and state.timeline.first_time(state.index))


def _rep_next(phase: Phase) -> str:
    return f"Rep {phase.rep} of {phase.reps} is next."


def title(stretch: Stretch) -> str:
    """A stretch's name, marked when it is advanced, for the plan and the plain log."""
    return f"{stretch.name} (advanced)" if stretch.advanced else stretch.name


def needs(stretches: Sequence[Stretch]) -> str:
    """What a routine needs, in one sentence: ``Needs: mat, chair, foam roller.``;
    "" when it needs nothing."""
    gear = equipment(stretches)
    return f"Needs: {', '.join(gear)}." if gear else ""


def ending(summary: Summary) -> str:
    """The summary's first line: ``Finished warmup in 4:36.``  Whole seconds,
    the paused ones what is left of the whole, so the parts add up."""
    elapsed = round(summary.elapsed)
    active = min(round(summary.active), elapsed)
    paused = elapsed - active
    timing = clock(elapsed)
    if paused >= 1:
        timing += f" ({clock(active)} stretching, {clock(paused)} paused)"
    if summary.finished:
        return f"Finished {summary.routine} in {timing}."
    return f"Stopped {summary.routine} after {timing}."


def outcome_word(outcome: Outcome | None) -> str:
    """The last line of the plain log."""
    return str(outcome) if outcome is not None else "running"


# -- what each side means, and cautions ------------------------------------------

TAKE_CARE = "Take care"


def side_sentence(stretch: Stretch, side: str | None) -> str:
    """``Right knee down, left foot forward.``: where each limb goes, the
    named one first; "" for no side, or a stretch that says nothing."""
    if side is None or not stretch.side_means:
        return ""
    return sentence(capital(stretch.side_text(side)))


def side_sentences(stretch: Stretch) -> list[str]:
    """What each side means, in the order they are done; [] for a stretch without sides."""
    if not stretch.each_side:
        return []
    return [text for text in (side_sentence(stretch, FIRST_SIDE),
                              side_sentence(stretch, SECOND_SIDE)) if text]


def feel_line(phase: Phase) -> str:
    """Where the stretch should be felt, for this side."""
    feel = phase.stretch.feel
    return phase.stretch.sided(feel, phase.side) if feel and phase.side else feel


def deepen_line(phase: Phase) -> str:
    """The mid-hold cue, for this side."""
    deepen = phase.stretch.deepen
    return phase.stretch.sided(deepen, phase.side) if deepen and phase.side else deepen


def move_line(state: State) -> str:
    """How to move from the last stretch's position to this one's, while
    getting ready; "" when there is nothing to move, or no table of moves."""
    before = before_stretch(state)
    if before is None:
        return ""
    return state.timeline.moves.onto(before, state.phase.stretch)


def before_stretch(state: State) -> Stretch | None:
    """The stretch just held, when this phase moves on from it."""
    if state.index == 0:
        return None
    before = state.timeline.phases[state.index - 1]
    return before.stretch if before.item != state.phase.item else None


def variant_line(stretch: Stretch) -> str:
    """Said and shown first while the gentle level's easier way plays."""
    return stretch.gentle.say if stretch.plays and stretch.gentle is not None else ""


# -- the live screen's coaching lines, and the window title -------------------

def side_meanings(state: State) -> list[str]:
    """What the side on screen means for this stretch, longest first, for a
    screen to pick the one that fits: "right knee forward, left leg long
    behind you", then its first words, "right knee forward", which say less
    and are for a small window only.

    The meaning names the side itself, by its limb, so it needs no "left
    side:" before it.  Empty for a stretch without sides.
    """
    phase = state.phase
    meaning = phase.stretch.side_text(phase.side) if phase.side else ""
    if not meaning:
        return []
    return list(dict.fromkeys((meaning, meaning.split(",")[0].strip())))


# A self-test's hold: the heading of its questions, to notice now and answer
# once out of the position; said before the first of them.
NOTICE = "Notice, to answer after"


def notices_said(notice: Sequence[str]) -> list[str]:
    """A self-test's notice lines as the voice says them, one after another:
    the first after the heading ("Notice, to answer after: does the back...")."""
    said = list(notice)
    if said:
        first = said[0]
        said[0] = f"{NOTICE}: {first[:1].lower()}{first[1:]}"
    return said


def notice_times(settle: float, notice: Sequence[str]) -> list[tuple[float, str]]:
    """(seconds into the hold, words) of each notice line as said: the first at
    ``settle``, each next one at the first whole second after the one before
    it has been said (the voice speaks on the engine's whole seconds, and a
    line cut short is worse than a second's pause)."""
    at = float(settle)
    timed = []
    for said in notices_said(notice):
        timed.append((at, said))
        at = float(math.ceil(at + len(said.split()) / WORDS_PER_SECOND - 1e-9))
    return timed


def focus(cue: str) -> str:
    """A stretch's cue, as the plain log shows it as a hold begins."""
    return f"Focus: {sentence(cue)}"


def take_care(caution: str) -> str:
    """One of a stretch's own cautions, as the player shows it while you get ready."""
    return f"{TAKE_CARE}: {caution}"


def easier_way(easier: str) -> str:
    """A stretch's easier variation, as the player shows it while you get ready."""
    return f"Easier: {easier}"


def window_title(state: State) -> str:
    """The terminal window's title while playing: the time left in the phase
    first (it is what a glance at a task bar wants), then what it is."""
    time_left = "Enter" if state.waiting else clock(state.shown_seconds)
    return f"{time_left} {label(state).lower()} · {state.phase.stretch.name} · psoas"
