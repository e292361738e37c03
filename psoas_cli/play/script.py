"""The coaching voice's script: every line, and the second of its phase it is said at.

Pure Python.  A voice a person can follow with eyes closed: while getting
ready, how to come out of the last stretch and move to this one, its name,
the set-up always (the side said as what the limbs do), and the first time
in the routine its cautions and easier option (the easier option at its
first hold when the get-ready has no room for it); at each hold the rep
(of several), the first time a reminder to ease in (not into a resting pose),
the action, then "and hold", then where to feel it and what to do if it is felt
elsewhere, and a mid-hold cue tying the breath to one action; a movement
counted rep by rep; a flow with its own timed cues; the last three seconds of
a hold counted down, a number a second; and at the end, what comes next.

A new line cuts off one still being spoken, so each line is placed where
the one before has ended (speech.py's estimate), and what has no room is
left out, the least needed first.  The screen still shows it all.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from psoas_cli.model.catalogue import Stretch
from psoas_cli.play import speech
from psoas_cli.play.coaching import easier_said, ready_words, sentence
from psoas_cli.play.phrases import COUNTDOWN_AT, deepen_line, feel_line
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
    Phase,
    Timeline,
)

# The last COUNTDOWN_AT seconds of a hold (or a flow) counted down, a number a
# second, with the digits on the screen...
COUNTDOWN = tuple(str(n) for n in range(COUNTDOWN_AT, 0, -1))
ROCK_IN, ROCK_OUT = "Forward.", "And back."  # each second of a rock into the stretch
COUNTDOWN_LEAST = 8  # ...of at least this long, so the action is heard first
EASE_IN = "Ease in slowly, no bouncing."  # at a stretch's first hold, not a resting pose's
MORE_LEAST = 15  # a hold at least this long has room for more than its action
GAP = 0.5  # seconds of quiet between two lines of a hold
FLOW_GAP = 1.0  # ...between a flow's timed cues
FINISH = "Well done."
COME_OUT = "Come out slowly and rest."
HALFWAY = "Halfway. Keep breathing slowly."  # for a stretch without a deepen cue of its own
LIFT_WORDS = "Exhale, {lift}."
COUNT_FROM = 2  # a lift's count starts this many seconds in, after LIFT_WORDS
FLOW_START = "Start moving: {cue}."  # a flow without timed cues of its own
FLOW_MIDDLE = "Keep it slow, and keep breathing."
PRESS_ENTER = "Press Enter when you are ready."
REMIND_AT = 3  # a movement's reminder, at this rep's lower (cramps start a few lifts in)
REMIND_LEAST = 4  # ...when that lower is at least this long


class Cue(NamedTuple):
    at: float  # seconds into the phase
    text: str


class Script(NamedTuple):
    """The lines of each phase of a timeline, in order, and the last words."""

    phases: tuple[tuple[Cue, ...], ...]
    ending: str  # said when the routine is finished

    def lines(self, timeline: Timeline) -> list[tuple[float, str]]:
        """(seconds from the start, words) of every line, the ending last."""
        found = [(phase.start + cue.at, cue.text)
                 for phase, cues in zip(timeline.phases, self.phases, strict=True) for cue in cues]
        return found + [(timeline.planned, self.ending)]


def script(timeline: Timeline) -> Script:
    """What the voice says through ``timeline``, and when."""
    seen: set[str] = set()  # stretches held already: their cautions have been said
    felt: set[str] = set()  # ...and where to feel them
    told: set[str] = set()  # ...and why they help (once a routine, where it fits)
    owed: set[str] = set()  # easier options that had no room in their get-ready
    phases = []
    for index, phase in enumerate(timeline.phases):
        before = _before(timeline, index)
        slug = phase.stretch.slug
        if phase.kind in (READY, MOVE):
            after = timeline.phases[index + 1] if index + 1 < len(timeline.phases) else None
            rocks = after.rocks if after is not None and after.item == phase.item else 0
            cues = _ready(phase, before, first_time=slug not in seen, timeline=timeline,
                          rocks=rocks)
            easier = easier_said(phase.stretch)
            if slug not in seen and easier and easier not in cues[0].text:
                owed.add(slug)
            seen.add(slug)
        elif phase.kind == HOLD:
            why = phase.stretch.why if slug not in told and timeline.first_time(index) else ""
            easier = easier_said(phase.stretch) if slug in owed else ""
            cues = _hold(phase, first=slug not in felt, why=why, easier=easier)
            felt.add(slug)
            if why and any(cue.text == why for cue in cues):
                told.add(slug)
            if easier and any(cue.text == easier for cue in cues):
                owed.discard(slug)
        else:
            cues = _CUES[phase.kind](phase)
        phases.append(tuple(cues))
    closing = timeline.closing
    return Script(tuple(phases), f"{FINISH} {sentence(closing)}" if closing else
                  f"{FINISH} Routine complete.")


def _before(timeline: Timeline, index: int) -> Stretch | None:
    if index == 0:
        return None
    phase, before = timeline.phases[index], timeline.phases[index - 1]
    return before.stretch if before.item != phase.item else None


def _ready(phase: Phase, before: Stretch | None, *, first_time: bool,
           timeline: Timeline, rocks: int = 0) -> list[Cue]:
    within = None if phase.wait else phase.duration
    words = ready_words(phase.stretch, phase.side, before=before, first_time=first_time,
                        moves=timeline.moves, note=phase.note, rocks=rocks, within=within)
    return [Cue(0, _joined(words, PRESS_ENTER if phase.wait else ""))]


def _hold(phase: Phase, *, first: bool, why: str = "", easier: str = "") -> list[Cue]:
    """The action, then "and hold"; then, as room allows before the 3-2-1:
    the first time, where to feel it and what to do if it is felt elsewhere,
    then the mid-hold cue; on the other side, the mid-hold cue (at the middle)
    then where to feel it; on later reps, the mid-hold cue alone.  ``why``,
    said once a routine, comes after where to feel it and before the mid-hold
    cue, where it fits (else at a later hold of the stretch); so does ``easier``,
    the easier option when the get-ready had no room for it."""
    d = phase.duration
    reps = f"Rep {phase.rep} of {phase.reps}." if phase.reps > 1 else ""
    ease = EASE_IN if first and not phase.stretch.resting else ""
    start = _joined(reps, ease, f"{phase.stretch.cue.rstrip('.!?, ')}... and hold.")
    cues = [Cue(0, start)]
    countdown = d >= COUNTDOWN_LEAST
    if d >= MORE_LEAST:
        feel, fix = feel_line(phase), phase.stretch.fix
        deepen = deepen_line(phase) or HALFWAY
        if first:
            wanted = [(_joined(feel, fix), feel, False), (easier, "", False), (why, "", False),
                      (deepen, "", True)]
        elif phase.rep == 1:
            wanted = [(easier, "", False), (why, "", False), (deepen, "", True),
                      (feel, "", False)]
        else:
            wanted = [(easier, "", False), (why, "", False), (deepen, "", True)]
        end_by = d - COUNTDOWN_AT - GAP if countdown else d - GAP
        cues += _placed(wanted, busy=math.ceil(speech.seconds(start) + GAP), length=d,
                        end_by=end_by)
    if countdown:
        cues += _countdown(d)
    return sorted(cues)


def _placed(wanted: list[tuple[str, str, bool]], *, busy: int, length: float,
            end_by: float) -> list[Cue]:
    """Lines at the first whole second each fits (a mid-hold one not before
    the middle), in priority order; a line that does not fit is left out, or
    said in its shorter form when it has one."""
    placed: list[tuple[float, float, str]] = []

    def fits(at: int, text: str) -> bool:
        end = at + speech.seconds(text)
        return end <= end_by and all(end + GAP <= start or at >= stop + GAP
                                     for start, stop, _ in placed)

    for text, shorter, middle in wanted:
        first = max(busy, math.ceil(length / 2)) if middle else busy
        for words in (text, shorter):
            if not words:
                continue
            when = next((at for at in range(first, int(length)) if fits(at, words)), None)
            if when is not None:
                placed.append((when, when + speech.seconds(words), words))
                break
    return [Cue(at, text) for at, _, text in placed]


def _rest(phase: Phase) -> list[Cue]:
    """How to come out of the pose, then rest, and which rep is next: as much
    of that as fits the rest, else the shortest way to say come out and rest.
    A rest with a note (a program's one more on the tighter side) says that
    first, whatever the time."""
    come_out = sentence(phase.stretch.come_out)
    rested = _joined(come_out, "Rest.") if come_out else COME_OUT
    note = sentence(phase.note)
    choices = [_joined(note, rested, "" if note else f"Rep {phase.rep} of {phase.reps} next."),
               _joined(note, rested), _joined(note, COME_OUT)]
    fitting = next((text for text in choices
                    if speech.seconds(text) <= phase.duration - GAP), note or COME_OUT)
    return [Cue(0, fitting)]


def _switch(phase: Phase) -> list[Cue]:
    stretch = phase.stretch
    come_out = "" if stretch.movement else sentence(stretch.come_out)
    return [Cue(0, _joined(come_out, stretch.switch_text(phase.side or FIRST_SIDE),
                           PRESS_ENTER if phase.wait else ""))]


def _flow(phase: Phase) -> list[Cue]:
    """A flow's own timed cues, each only if it ends a second before the next
    and before the 3-2-1; else a start and a reminder halfway."""
    d = phase.duration
    stretch = phase.stretch
    timed = [(at, said) for at, said, _ in stretch.flow_cues] or [
        (0, FLOW_START.format(cue=stretch.cue.rstrip(".").lower())),
        (math.ceil(d / 2), FLOW_MIDDLE)]
    countdown = d >= COUNTDOWN_LEAST
    last = d - COUNTDOWN_AT if countdown else d
    cues, busy = [], 0.0
    for number, (at, said) in enumerate(timed):
        after = timed[number + 1][0] if number + 1 < len(timed) else last
        end = at + speech.seconds(said)
        if at >= busy and end <= min(after, last) - FLOW_GAP + 1e-9:
            cues.append(Cue(at, said))
            busy = end + FLOW_GAP
    if countdown:
        cues += _countdown(d)
    return cues


def _countdown(length: float) -> list[Cue]:
    """3, 2 and 1, each at its own second: the last three of the phase."""
    return [Cue(length - COUNTDOWN_AT + n, said) for n, said in enumerate(COUNTDOWN)]


def _lift(phase: Phase) -> list[Cue]:
    """Breathe out and lift, then the seconds left at the top, counted down
    with the digits on the screen."""
    top = int(phase.duration)
    said = LIFT_WORDS.format(lift=phase.stretch.lifts)
    return [Cue(0, said)] + [Cue(at, str(top - at)) for at in range(COUNT_FROM, top)]


def _lower(phase: Phase) -> list[Cue]:
    rep, reps = phase.rep, phase.reps
    lower = f"And {phase.stretch.lowers}"  # "And lower"
    if phase.note:  # a program's one more lift on the tighter side
        text = f"{lower}. {sentence(phase.note)}"
    elif rep == reps:
        text = f"{lower}. That was the last one."
    elif rep == reps - 1:
        text = f"{lower}. One more."
    elif rep == REMIND_AT and phase.stretch.remind and phase.duration >= REMIND_LEAST:
        text = phase.stretch.remind
    elif rep % 5 == 0:
        text = f"{lower}. {rep} done."
    else:
        text = f"{lower}, breathe in."
    return [Cue(0, text)]


def _rock(phase: Phase) -> list[Cue]:
    """Into the stretch and out again, a second each way."""
    cues = []
    for rock in range(phase.rocks):
        cues += [Cue(2 * rock, ROCK_IN), Cue(2 * rock + 1, ROCK_OUT)]
    return cues


_CUES = {REST: _rest, SWITCH: _switch, FLOW: _flow, LIFT: _lift, LOWER: _lower, ROCK: _rock}


def _joined(*sentences: str) -> str:
    return " ".join(text for text in sentences if text)

