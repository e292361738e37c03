"""The words for phases and outcomes, in one place.

The live screen, the plain log, the plan (--dry-run), the voice and the
summary all describe the same things; each takes its words from here, so a
phase reads the same everywhere.  Pure Python.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from psoas_cli.model.catalogue import Stretch, equipment
from psoas_cli.play.events import Outcome, State, Summary
from psoas_cli.play.timeline import (
    FIRST_SIDE,
    FLOW,
    HOLD,
    MOVE,
    READY,
    REST,
    ROCK,
    SECOND_SIDE,
    SWITCH,
    Phase,
)


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
    """The big word at the top of the screen."""
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
    if phase.kind == ROCK:
        return "ROCK GENTLY"
    return f"{phase.side.upper()} SIDE" if phase.side else "HOLD"


def describe(phase: Phase, *, name: bool = True) -> str:
    """One phase in a few words, for 'Next:', the plan and the plain log."""
    side = f", {phase.side} side" if phase.side else ""
    if phase.kind in (READY, MOVE):
        return f"get ready for {phase.stretch.name}{side}" if name else f"get ready{side}"
    if phase.kind == SWITCH:
        return f"switch to your {phase.side} side"
    if phase.kind == REST:
        return f"come out, rest, then rep {phase.rep} of {phase.reps}"
    if phase.kind == ROCK:
        return f"rock in and out {_times(phase.rocks)}{side}"
    verb = "keep moving" if phase.kind == FLOW else "hold"
    reps = f" rep {phase.rep} of {phase.reps}" if phase.reps > 1 else ""
    return f"{verb}{reps}{side}"


def next_text(state: State) -> str:
    """What comes after this phase."""
    upcoming = state.next_phase
    if upcoming is None:
        closing = state.timeline.closing
        return f"Next: finish. {_sentence(closing)}" if closing else "Next: finish"
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
        if state.waiting:
            return f"Switch to your {phase.side} side, then press Enter."
        return f"Switch to your {phase.side} side."
    if phase.kind in (READY, MOVE):
        side = f", starting on your {phase.side} side" if phase.side else ""
        return f"Get into position{side}."
    if phase.kind == REST:
        return f"Come out slowly and rest. {_rep_next(phase)}"
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
    """``Right side: right knee down.``; "" for no side, or a stretch that says nothing."""
    if side is None or not stretch.side_means:
        return ""
    return f"{side.capitalize()} side: {stretch.side_text(side)}."


def side_sentences(stretch: Stretch) -> list[str]:
    """What each side means, in the order they are done; [] for a stretch without sides."""
    if not stretch.each_side:
        return []
    return [text for text in (side_sentence(stretch, FIRST_SIDE),
                              side_sentence(stretch, SECOND_SIDE)) if text]


# -- the coaching voice ------------------------------------------------------------
#
# Everything the voice says.  Speech runs at about 150 words a minute
# (espeak's -s 150), and a new cue cuts off one still being spoken, so each
# cue says what fits in its phase: while getting ready, the starting position
# (the first step) and then the action, the stretch's cue, before any further
# step; at each hold, the cue first; at a rest or a switch, how to come out.

WORDS_PER_SECOND = 2.5
SPOKEN_STEPS = 2  # at most this many of the first steps while getting ready
COUNTDOWN_AT = 3  # "3, 2, 1" starts with this many seconds of a hold left
COUNTDOWN_LEAST = 8  # ...in holds at least this long, so the focus line is heard first
HALFWAY_LEAST = 20  # holds at least this long get a halfway reminder to breathe

SPOKEN_COUNTDOWN = "3, 2, 1."
SPOKEN_HALFWAY = "Halfway. Keep breathing slowly, no bouncing."
SPOKEN_EASE_IN = "Ease in slowly, no bouncing."  # as the first hold on each side begins
SPOKEN_COME_OUT = "Come out slowly and rest."
SPOKEN_FINISH = "Well done. Routine complete."


def spoken(state: State) -> str:
    """Words for the start of the phase, to be followed from a mat by ear."""
    phase = state.phase
    if phase.kind in (READY, MOVE):
        return spoken_ready(phase, after=_before(state))
    if phase.kind == SWITCH:
        # A switch is between two sides, so it has one: None only to the checker.
        meaning = (phase.stretch.side_text(phase.side)
                   if phase.side is not None and phase.stretch.side_means else "")
        switch = f"Switch sides, {meaning}." if meaning else f"Switch to your {phase.side} side."
        return _joined(_sentence(phase.stretch.come_out), switch)
    if phase.kind == REST:
        return spoken_rest(phase)
    if phase.kind == ROCK:
        return rocking(phase)
    return spoken_work(phase)


def _before(state: State) -> Stretch | None:
    """The stretch just held, when this phase moves on from it."""
    if state.index == 0:
        return None
    before = state.timeline.phases[state.index - 1]
    return before.stretch if before.item != state.phase.item else None


def _fits(words: Sequence[str], seconds: float) -> bool:
    return len(" ".join(words).split()) <= WORDS_PER_SECOND * seconds


def _said(seconds: float, *choices: Sequence[str]) -> str:
    """The first choice of sentences that can be said in ``seconds``; the last
    one whatever the time."""
    fitting = next((c for c in choices if _fits(c, seconds)), choices[-1])
    return _joined(*fitting)


def _joined(*sentences: str) -> str:
    return " ".join(text for text in sentences if text)


# A starting position in a few words, said instead of the first step when
# there is not time for both it and the action.
SPOKEN_POSITIONS = {"standing": "standing", "seated": "seated on a chair",
                    "kneeling": "kneeling", "all fours": "on all fours",
                    "face-up": "lying on your back", "face-down": "lying face down",
                    "side-lying": "lying on your side"}


def spoken_ready(phase: Phase, after: Stretch | None = None) -> str:
    """Getting ready: how to come out of the stretch ``after`` (if it says),
    the stretch's name, the side in words, and then as much as can be said
    before the phase ends: the starting position (the first step), the second
    step and the action (the cue); else the position and the action; else the
    position alone; and when even the first step is too long, the position
    in a few words and the action, else those words alone, else only the
    name, the side and the routine's note for it."""
    stretch = phase.stretch
    opening = "Get ready" if phase.kind == READY else "Next"
    advanced = ", an advanced stretch" if stretch.advanced else ""
    # The routine's own note (where the chair goes) is said whatever the time.
    head = [_sentence(after.come_out) if after else "", f"{opening}: {stretch.name}{advanced}.",
            side_sentence(stretch, phase.side), _sentence(phase.note)]
    first = [_sentence(stretch.steps[0])]
    second = [_sentence(step) for step in stretch.steps[1:SPOKEN_STEPS]]
    # With no more steps than are said, the action is in them.
    action = ([f"Then: {_sentence(stretch.cue[:1].lower() + stretch.cue[1:])}"]
              if len(stretch.steps) > SPOKEN_STEPS else [])
    brief = [f"Start {SPOKEN_POSITIONS[stretch.position]}."]
    return _said(phase.duration, head + first + second + action, head + first + action,
                 head + first + second, head + first, head + brief + action, head + brief,
                 head, head + first)


def spoken_work(phase: Phase, why: str = "") -> str:
    """A hold (or a stretch done moving) begins: the rep, the cue, and, on the
    first hold of each side, to ease in; what there is no time to say before
    the 3-2-1 goes, the rep first, then easing in.  ``why``, the stretch's
    why line, comes last, only when all of it fits before the 3-2-1 (the
    voice says it once a routine, at the first hold where it fits)."""
    verb = "Start moving" if phase.kind == FLOW else "Hold"
    reps = f", rep {phase.rep} of {phase.reps}" if phase.reps > 1 else ""
    ease = SPOKEN_EASE_IN if phase.kind == HOLD and phase.rep == 1 else ""
    cue = _sentence(phase.stretch.cue)
    seconds = phase.duration - (COUNTDOWN_AT if phase.duration >= COUNTDOWN_LEAST else 0)
    told = _sentence(why)
    with_why = [[f"{verb}{reps}.", cue, ease, told], [f"{verb}.", cue, told]] if why else []
    return _said(seconds, *with_why, [f"{verb}{reps}.", cue, ease], [f"{verb}.", cue, ease],
                 [f"{verb}.", cue])


def spoken_rest(phase: Phase) -> str:
    """A rest between reps: how to come out of the pose, and which rep is next,
    when there is time for it; before a program's extra set on the tighter
    side, that first ("One more on your left, the tighter side.")."""
    come_out = phase.stretch.come_out
    first = [_sentence(come_out), "Then rest."] if come_out else [SPOKEN_COME_OUT]
    if phase.note:  # a program's tighter side: said whatever the time
        return _said(phase.duration, [_sentence(phase.note), *first], [_sentence(phase.note)])
    return _said(phase.duration, [*first, _rep_next(phase)], first)


def spoken_closing(finish: str, closing: str) -> str:
    """The last words of a finished routine: ``finish``, then the routine's
    closing line (what to do next, how to get up), if it has one."""
    return _joined(finish, _sentence(closing))


def spoken_at(state: State) -> str:
    """Words due at this second of a hold ("" for none): the 3-2-1 before it
    (or a stretch done moving) ends, and a reminder to breathe halfway
    through a long hold."""
    phase = state.phase
    if state.paused or state.waiting or not phase.is_work:
        return ""
    if state.shown_seconds == COUNTDOWN_AT and phase.duration >= COUNTDOWN_LEAST:
        return SPOKEN_COUNTDOWN
    if (phase.kind == HOLD and phase.duration >= HALFWAY_LEAST
            and state.shown_seconds == math.ceil(phase.duration / 2)):
        return SPOKEN_HALFWAY  # not while rolling: "no bouncing" is for a held stretch
    return ""


def _sentence(text: str) -> str:
    """A cue or step as a spoken sentence: ending in a full stop."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


# -- the live screen's coaching lines, and the window title -------------------

def side_meanings(state: State) -> list[str]:
    """What the side on screen means for this stretch, longest first, for a
    screen to pick the one that fits: "left knee forward, stretching the
    right hip", then its first words, "left knee forward", which say less
    and are for a small window only.

    The meaning names the side itself, so it needs no "left side:" before
    it (which would read oddly as "left side: lying on your right side").
    Empty for a stretch without sides, or one whose catalogue does not say.
    """
    phase = state.phase
    meaning = phase.stretch.side_text(phase.side) if phase.side else ""
    if not meaning:
        return []
    return list(dict.fromkeys((meaning, meaning.split(",")[0].strip())))


def focus(cue: str) -> str:
    """A stretch's cue, as the plain log shows it as a hold begins."""
    return f"Focus: {_sentence(cue)}"


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
