"""A check-in: its questions answered one key each, on an injected clock (pure).

``CheckinRun`` is driven by keys and the time, as the engine is: the
screen asks ``timeout(now)`` how long to wait, passes each key to
``press(key, now)`` and calls ``tick(now)`` when the wait ends without
one.  It never sleeps and never reads a terminal, so tests play it on a
fake clock.

Keys (checkins.yaml): "0" to "9" that number; the ten key (t) 10; "1" then
"0" within ``confirm_seconds`` 10 too; skip (Esc) or enter skips the
question; back (b, Left) goes back one question; quit (q) stops before a
routine, and skips the rest after one.  Every answer stays on screen for
``confirm_seconds``; other keys then are dropped.  No key for
``timeout_seconds``: the rest is skipped.

Which calm line a check-in gets (at most one), and the summary's words,
are here too: one function each, shared by the player and the readings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from psoas_cli.model.checkins import CalmLine, Checkins
from psoas_cli.play.events import Summary

DIGITS = tuple("0123456789")
TEN = "ten"  # the ten key's name (t)
SKIP, ENTER, BACK, QUIT = "skip", "enter", "back", "quit"
ASKING, SHOWING, DONE = "asking", "showing", "done"


class CheckinRun:
    """One check-in: ``items`` asked in order at ``moment`` (before or after)."""

    def __init__(self, checkins: Checkins, moment: str, items: Sequence[str], *,
                 now: float) -> None:
        self.checkins = checkins
        self.moment = moment
        self.items = tuple(items)
        self.index = 0
        self.values: dict[str, int | None] = {}  # item: value, None when skipped
        self.at: dict[str, float] = {}  # item: when it was answered
        self.state = ASKING if self.items else DONE
        self.asked_at = now  # the timeout counts from here
        self.shown_until = 0.0  # an answer is shown until then
        self.stopped = False  # q before a routine: play nothing
        self.timed_out = False
        self._one_at: float | None = None  # a "1" typed then: "0" soon after makes 10

    # -- what is shown ----------------------------------------------------------------

    @property
    def item(self) -> str | None:
        return self.items[self.index] if self.index < len(self.items) else None

    @property
    def _asked(self) -> str:
        """The item being asked (only while not done)."""
        return self.items[self.index]

    @property
    def done(self) -> bool:
        return self.state == DONE

    def answers(self) -> dict[str, int]:
        """The items answered (skipped ones left out), in question order."""
        return {item: value for item, value in self.values.items() if value is not None}

    def shown_value(self) -> int | None:
        """The answer on screen while it is confirmed."""
        return self.values.get(self.item) if self.state == SHOWING and self.item else None

    # -- time ----------------------------------------------------------------------------

    def timeout(self, now: float) -> float | None:
        """Seconds until something changes without a key (None: done)."""
        if self.state == SHOWING:
            return max(0.0, self.shown_until - now)
        if self.state == ASKING:
            return max(0.0, self.asked_at + self.checkins.timeout_seconds - now)
        return None

    def tick(self, now: float) -> None:
        if self.state == SHOWING and now >= self.shown_until:
            self._next(now)
        elif self.state == ASKING and now >= self.asked_at + self.checkins.timeout_seconds:
            self.timed_out = True
            self.state = DONE

    # -- keys ------------------------------------------------------------------------------

    def press(self, key: str, now: float) -> None:
        if self.state == DONE:
            return
        if self.state == SHOWING:
            if key == "0" and self._one_at is not None and \
                    now - self._one_at <= self.checkins.confirm_seconds:
                self._answer(self.checkins.high, now)  # "1" then "0": ten, shown afresh
            elif key == BACK:
                self._go_back(now, same=True)
            elif now >= self.shown_until:
                self._next(now)
                self.press(key, now)
            return  # anything else typed while an answer shows is dropped
        if key in DIGITS:
            self._answer(int(key), now)
            self._one_at = now if key == "1" else None
        elif key == TEN:
            self._answer(self.checkins.high, now)
        elif key in (SKIP, ENTER):
            self.values[self._asked] = None
            self.at[self._asked] = now
            self.state, self.shown_until = SHOWING, now + self.checkins.confirm_seconds
        elif key == BACK:
            self._go_back(now)
        elif key == QUIT:
            self.stopped = self.moment == "before"
            self.state = DONE

    def _answer(self, value: int, now: float) -> None:
        self.values[self._asked] = value
        self.at[self._asked] = now
        self.state, self.shown_until = SHOWING, now + self.checkins.confirm_seconds
        self._one_at = None

    def _go_back(self, now: float, same: bool = False) -> None:
        if not same and self.index > 0:
            self.index -= 1
        self.values.pop(self._asked, None)
        self.state, self.asked_at, self._one_at = ASKING, now, None

    def _next(self, now: float) -> None:
        self.index += 1
        self._one_at = None
        if self.index >= len(self.items):
            self.state = DONE
        else:
            self.state, self.asked_at = ASKING, now


def stretched(summary: Summary) -> bool:
    """Whether anything was stretched: a hold or a move begun, so there is an
    "after" to ask about (not a routine stopped while getting ready for its
    first stretch)."""
    return any(result.status == "done" or result.held > 0 for result in summary.results)


# -- the calm lines ----------------------------------------------------------------------

class Given(NamedTuple):
    """A calm line to give: which, about which item, and the values it quotes."""

    line: CalmLine
    item: str
    before: int | None
    after: int | None

    @property
    def value(self) -> int | None:
        return self.after if self.line.when == "after" else self.before


def calm_line(checkins: Checkins, moment: str, before: Mapping[str, int],
              after: Mapping[str, int]) -> Given | None:
    """The one calm line a check-in at ``moment`` gets, the first that applies
    in checkins.yaml's order of precedence; None for none."""
    lines = checkins.lines
    back_before, back_after = before.get("back"), after.get("back")
    if moment == "before":
        if back_before is None:
            return None
        if back_before >= checkins.pain_severe:
            return Given(lines["back-severe-before"], "back", back_before, None)
        if back_before > checkins.pain_above:
            return Given(lines["back-high-before"], "back", back_before, None)
        return None
    if back_after is not None and back_before is not None and (
            worse(back_before, back_after, checkins.much_worse_by)
            or (worse(back_before, back_after, checkins.worse_by)
                and back_after >= checkins.pain_severe)):
        return Given(lines["back-much-worse"], "back", back_before, back_after)
    if back_after is not None and back_after >= checkins.pain_stop:
        return Given(lines["back-severe-after"], "back", back_before, back_after)
    if back_after is not None and back_before is not None and (
            worse(back_before, back_after, checkins.worse_by)
            or (back_after > back_before and back_after > checkins.pain_above)):
        return Given(lines["back-worse"], "back", back_before, back_after)
    if back_after is not None and back_after > checkins.pain_above:
        return Given(lines["back-high-after"], "back", back_before, back_after)
    if _worse(checkins, before, after, "hips"):
        return Given(lines["hips-worse"], "hips", before["hips"], after["hips"])
    for item in ("hip-right", "hip-left"):
        if _worse(checkins, before, after, item):
            return Given(lines["hip-worse"], item, before[item], after[item])
    return None


def _worse(checkins: Checkins, before: Mapping[str, int], after: Mapping[str, int],
           item: str) -> bool:
    return item in before and item in after and \
        worse(before[item], after[item], checkins.worse_by)


def worse(before: int, after: int, by: int) -> bool:
    """Worse after a routine than before it: by ``by`` points or more (a
    point's change is noise).  The one rule for a check-in's calm line and a
    program's pain flag (practice/program.py), so the two never disagree."""
    return after - before >= by


def words(given: Given, form: str) -> str:
    """The line's ``long``, ``short`` or ``spoken`` text, its placeholders filled."""
    hip = {"hip-right": "right hip", "hip-left": "left hip"}.get(given.item, "hips")
    text: str = getattr(given.line, form)
    for name, value in (("{before}", given.before), ("{after}", given.after),
                        ("{value}", given.value), ("{hip}", hip),
                        ("{Hip}", hip[:1].upper() + hip[1:])):
        text = text.replace(name, "" if value is None else str(value))
    return text


# -- the summary ------------------------------------------------------------------------------

def summary(checkins: Checkins, before: Mapping[str, int], after: Mapping[str, int]) -> str:
    """"Check-in: hips 3 (5 before), back pain 2 (2 before)."; "" when nothing was
    answered.  A value given only before the routine is shown as "5 before"."""
    parts = []
    for question in checkins.questions:
        item, label = question.id, question.label.lower()
        if item in after and item in before:
            parts.append(f"{label} {after[item]} ({before[item]} before)")
        elif item in after:
            parts.append(f"{label} {after[item]}")
        elif item in before:
            parts.append(f"{label} {before[item]} before")
    return f"Check-in: {', '.join(parts)}." if parts else ""
