"""What is said while getting ready for a stretch, and how long that needs.

Pure Python.  The words depend on where the stretch sits in the routine: how
to come out of the stretch before and move to this one's position, whether
it is the first stretch, and whether the routine has had it before (its
cautions are said once a routine).  The timeline works the get-ready's
length out from them when it is built (timeline.py), so the plan, the
fitting to --minutes and the voice all agree.
"""

from __future__ import annotations

import math

from psoas_cli.model.catalogue import NO_MOVES, SAID_FIRST, Moves, Stretch
from psoas_cli.play import speech

SETTLE = 2  # seconds of quiet after the get-ready's words, to settle before the hold


def sentence(text: str) -> str:
    """A cue or step as a spoken sentence: ending in a full stop."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def said_setup(stretch: Stretch, side: str | None) -> str:
    """The set-up as spoken, the side in it as what the limbs do: "Right knee
    down, left foot forward. Sit up tall."; never "right side"."""
    means = stretch.side_text(side) if side and stretch.side_means else ""
    if stretch.say_setup:
        text = stretch.say_setup.replace("{Means}", capital(means)).replace("{means}", means)
        return sentence(text)
    # A catalogue without the spoken set-up: the side, then the first step.
    return " ".join(part for part in (sentence(capital(means)) if means else "",
                                      sentence(stretch.steps[0])) if part)


def easier_said(stretch: Stretch) -> str:
    """The easier option as the voice offers it; "" while the gentle variant plays
    (it is the easier way) or when there is none to offer."""
    if stretch.plays:
        return ""
    if stretch.easier_say:
        return stretch.easier_say
    wanted = stretch.advanced or stretch.cautions
    return f"Easier: {sentence(stretch.easier)}" if stretch.easier and wanted else ""


# Rocking before the first hold, and what "into the stretch" is: the hold's own action.
ROCKS = "Then rock into it and out, {n} times: {into}."


def ready_parts(stretch: Stretch, side: str | None, *, before: Stretch | None,
                first_time: bool, moves: Moves = NO_MOVES, note: str = "",
                rocks: int = 0) -> list[tuple[str, bool]]:
    """The get-ready's sentences in the order said, each with whether it may
    be left out when there is no time for it (only the easier option: never
    the set-up, the side, or a caution not yet said in this routine).

    ``note`` is the routine's own line for this stretch (where the chair
    goes): said after the name, in place of the gentle variant's line, which
    says the same less exactly.  ``rocks``: the rocking in and out of the
    stretch before its first hold (a routine item's ``dynamic``)."""
    parts: list[tuple[str, bool]] = []
    moved = ""
    if before is not None:
        if not before.movement:  # a movement's last LOWER has brought it down already
            parts.append((sentence(before.come_out), False))
        moved = moves.onto(before, stretch)
        parts.append((moved, False))
    opener = "Next" if before is not None else "First"
    advanced = ", an advanced stretch" if stretch.advanced else ""
    parts.append((f"{opener}: {stretch.said_name}{advanced}.", False))
    if note:
        parts.append((sentence(note), False))
    elif stretch.plays and stretch.gentle is not None:
        parts.append((stretch.gentle.say, False))
    if first_time:  # what to do before getting into it (pad the knee), said first
        parts += [(said, False) for said in stretch.said_cautions(SAID_FIRST)]
    parts.append((_not_again(said_setup(stretch, side), moved), False))
    parts.append((stretch.say_tempo, False))
    if rocks and not stretch.movement:
        into = stretch.cue.rstrip(".!?, ")
        parts.append((ROCKS.format(n=rocks, into=into[:1].lower() + into[1:]), False))
    if first_time:
        parts += [(said, False) for said in stretch.said_cautions()]
        parts.append((easier_said(stretch), True))
    return [(text, optional) for text, optional in parts if text]


def _not_again(setup: str, moved: str) -> str:
    """The set-up without its first sentence when the move there has just said
    it ("...and sit near the front of the chair. Sit near the front of the
    chair." once told the user twice)."""
    first, _, rest = setup.partition(". ")
    if rest and moved and first.lower().rstrip(".") in moved.lower():
        return rest
    return setup


def ready_words(stretch: Stretch, side: str | None, *, before: Stretch | None,
                first_time: bool, moves: Moves = NO_MOVES, note: str = "", rocks: int = 0,
                within: float | None = None) -> str:
    """Everything said at the start of a get-ready; ``within`` so many seconds
    (with time to settle after), leaving out what may go when it does not fit."""
    parts = ready_parts(stretch, side, before=before, first_time=first_time, moves=moves,
                        note=note, rocks=rocks)
    text = " ".join(text for text, _ in parts)
    if within is not None and need(text) > within:
        text = " ".join(text for text, optional in parts if not optional)
    return text


def need(text: str) -> int:
    """Whole seconds a get-ready needs to say ``text`` and settle after."""
    return math.ceil(speech.seconds(text) + SETTLE) if text else 0


def ready_seconds(stretch: Stretch, side: str | None, base: float, *,
                  before: Stretch | None, first_time: bool, moves: Moves = NO_MOVES,
                  note: str = "", rocks: int = 0) -> float:
    """How long to get ready: ``base`` (the routine's or the stretch's set-up),
    lengthened when the words need more, up to the stretch's set-up range's
    top (or as long as they need, when the catalogue gives no range)."""
    if base <= 0:
        return base  # no get-ready at all
    # Fitting asks this of the same few stretches thousands of times: the
    # answer is kept, by the objects asked about (kept with it, so an id is
    # never taken for another object's).
    key = (id(stretch), side, base, id(before), first_time, id(moves), note, rocks)
    known = _READY_SECONDS.get(key)
    if known is not None and known[0] is stretch and known[1] is before and known[2] is moves:
        return known[3]
    wanted = need(ready_words(stretch, side, before=before, first_time=first_time, moves=moves,
                              note=note, rocks=rocks))
    most = max(base, stretch.setup_most if stretch.setup_most is not None else wanted)
    seconds = max(base, float(min(wanted, most)))
    if len(_READY_SECONDS) >= _READY_KEPT:
        _READY_SECONDS.clear()
    _READY_SECONDS[key] = (stretch, before, moves, seconds)
    return seconds


_READY_KEPT = 4096  # answers kept at most
_READY_SECONDS: dict[tuple[object, ...], tuple[Stretch, Stretch | None, Moves, float]] = {}
