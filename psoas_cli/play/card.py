"""The before-you-start card: shown (and said) once before the first countdown.

Pure Python.  It carries what a person needs before the timer starts: the
routine's purpose, the general caution and the breathing cue (the
catalogue's, word for word), what to fetch (the routine's equipment, and
the cautions a stretch keeps for this moment, such as keeping the roller
beside the mat), which stretches are advanced, and where the first one
starts.  It is not a phase: the
plan's times start at the first get-ready.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from psoas_cli.model.catalogue import SAID_ON_CARD, equipment
from psoas_cli.play.coaching import sentence
from psoas_cli.play.timeline import Timeline

TITLE = "Before you start"
SKIP = "skip any you are unsure of (press n as it starts)"


class Card(NamedTuple):
    routine: str
    stretches: int  # how many the routine plays
    seconds: float  # its planned length
    caution: str  # the general caution
    breathing: str
    need: str  # "a mat; a chair or wall", or "" when nothing is needed
    fetch: tuple[str, ...]  # the stretches' cautions for before you start, word for word
    advanced: tuple[str, ...]  # the names of the advanced stretches it plays
    first: str  # the first stretch and where it starts: "Glute bridge, lying on your back"
    said: str  # the card as the voice says it
    waits: bool = True  # for Enter or space before the first countdown
    purpose: str = ""  # the routine's own line on why it is built so (shown, not said)

    def sections(self) -> list[tuple[str, str]]:
        """(label, text) of each part after the caution and breathing cue."""
        parts = []
        if self.need:
            parts.append(("You need", self.need))
        if self.fetch:  # what to do or know before the first stretch: its own line
            parts.append(("Take care", " ".join(self.fetch)))
        if self.advanced:
            parts.append(("Advanced", f"{listed(self.advanced)}: {SKIP}."))
        parts.append(("First", self.first))
        return parts


def listed(names: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(names)
    return items[0] if len(items) < 2 else ", ".join(items[:-1]) + " and " + items[-1]


def card(timeline: Timeline, *, caution: str, breathing: str, said_caution: str = "",
         waits: bool = True) -> Card:
    """The card for ``timeline``; ``waits``: whether it waits for a key."""
    stretches = list(dict.fromkeys(timeline.stretches))
    gear = [f"a {item}" for item in equipment(stretches)]
    fetch = tuple(dict.fromkeys(text for stretch in stretches
                                for text, (_, when) in zip(stretch.cautions,
                                                           stretch.cautions_said, strict=False)
                                if when == SAID_ON_CARD))
    fetch_said = list(dict.fromkeys(said for stretch in stretches
                                    for said in stretch.said_cautions(SAID_ON_CARD)))
    advanced = tuple(dict.fromkeys(s.name for s in stretches if s.advanced))
    first = timeline.phases[0].stretch if timeline.phases else None
    where = timeline.moves.place(first.position) if first is not None else ""
    said = [f"{TITLE}.", said_caution or caution]
    if gear:
        said.append(f"You need {listed(gear)}.")
    said += fetch_said
    if advanced:
        said.append(f"{listed(advanced)} {'is' if len(advanced) == 1 else 'are'} "
                    "advanced: skip any you are unsure of.")
    if where:
        said.append(f"You start {where}.")
    if waits:
        said.append("Press Enter or space when you are ready.")
    return Card(timeline.routine, len(timeline.stretches), timeline.planned, caution,
                breathing, "; ".join(gear) + ("." if gear else ""), fetch, advanced,
                f"{first.name}, {where}" if first is not None else "",
                " ".join(sentence(part) for part in said if part), waits, timeline.purpose)
