"""A self-test as it is played (pure): its phases for each side, what the voice
says and when, the before-you-start card, and the answers of a side on an
injected clock.

A side plays as a stretch does (get ready, then a relaxed hold) with the
test's own words: every step while getting ready, the cue as the hold
begins, the ``notice`` lines from ``settle`` on, one after another, and
3-2-1.  Then the person comes out of the position and answers each
question with one key (``SideAnswers``).  The second side starts at the
switch, which waits for Enter when there is a keyboard.
"""

from __future__ import annotations

from typing import NamedTuple

from psoas_cli.model.selftests import Question, SelfTest, SelfTests
from psoas_cli.play.phrases import COUNTDOWN_AT, notice_times, side_sentence
from psoas_cli.play.timeline import HOLD, READY, SWITCH, Part, Phase, Timeline, assemble

SIDES = ("right", "left")
SKIP, BACK, QUIT = "skip", "back", "quit"  # Esc (can't tell), b or Left, q
ADDITION = "a self-test added to psoas"
# Said last on a page of the card: what Enter does there.
START, MORE = "Press Enter to start.", "Press Enter for more."


def side_timeline(test: SelfTest, side: str, *, wait: bool) -> Timeline:
    """The phases of one side: for the first, get ready and hold; for the
    second, the switch (waiting for Enter when ``wait``), get ready again in
    the test's ``switch`` seconds, and hold."""
    stretch = test.as_stretch()
    phases = []
    first = side == SIDES[0]
    count = len(test.questions)
    after = f"the {SIDES[1]} side" if first else "your results"
    part = Part(f"side {SIDES.index(side) + 1} of {len(SIDES)}",
                before=0.0 if first else test.setup + test.hold,
                later=test.switch + test.hold if first else 0.0,
                then=f"come out and answer {count} questions, then {after}")
    if first:
        phases.append(Phase(READY, test.setup, 0, stretch, side))
    else:
        if wait:
            phases.append(Phase(SWITCH, 0.0, 0, stretch, side, wait=True))
        phases.append(Phase(READY, test.switch, 0, stretch, side))
    phases.append(Phase(HOLD, test.hold, 0, stretch, side))
    return assemble(test.short, phases, (stretch,), part)


# -- the voice -------------------------------------------------------------------------------

def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def spoken_ready(test: SelfTest, side: str, *, first: bool) -> str:
    """Getting ready: the test's name on the first side, the side in words, and
    every step (a test says them all: they were checked to fit)."""
    head = [f"{test.name}." if first else "", side_sentence(test.as_stretch(), side)]
    return " ".join(t for t in [*head, *(_sentence(s) for s in test.steps)] if t)


def spoken_switch(test: SelfTest, side: str) -> str:
    return _sentence(test.switch_text(side))


def notices(test: SelfTest) -> list[tuple[float, str]]:
    """(seconds into the hold, words) of each notice line, as said (the first
    after the heading the screen shows them under): the first at ``settle``,
    each next one once the one before it has been said (phrases.notice_times)."""
    return notice_times(test.settle, [q.notice for q in test.questions])


def spoken_in_hold(test: SelfTest, into: float, said: set[str]) -> str:
    """Words due ``into`` seconds into the hold ("" for none): each notice line
    once, and 3-2-1 as it ends."""
    for at, text in notices(test):
        if into >= at and text not in said:
            said.add(text)
            return text
    if into >= test.hold - COUNTDOWN_AT and "3-2-1" not in said:
        said.add("3-2-1")
        return "3, 2, 1."
    return ""


# -- the before-you-start card ---------------------------------------------------------------

class Card(NamedTuple):
    """The card's parts, in order: the name and what is needed, who should
    leave the test out, how to take it safely, the other test."""

    title: str
    needs: str
    leave_out: tuple[str, ...]  # clauses after "Leave this test out if"
    take_care: tuple[str, ...]  # the test's cautions, then the general lines
    instead: str

    def said_title(self) -> str:
        return " ".join(t for t in (f"{self.title}.", self.needs) if t)

    def said_leave_out(self, number: int) -> str:
        """A clause of who should leave the test out, said on its own: the
        first after "Leave this test out if", each next after "Or if"."""
        return f"{'Leave this test out if' if number == 0 else 'Or if'} " \
               f"{_sentence(self.leave_out[number])}"

    def said_take_care(self, number: int) -> str:
        said = _sentence(self.take_care[number])
        return f"Take care. {said}" if number == 0 else said

    def spoken(self) -> str:
        """The whole card, as said when it is one page (each page of the live
        screen says its own part: ``said_*``)."""
        said = [self.said_title(),
                *(self.said_leave_out(n) for n in range(len(self.leave_out))),
                *(self.said_take_care(n) for n in range(len(self.take_care))),
                self.instead, START]
        return " ".join(t for t in said if t)


def card(test: SelfTest, tests: SelfTests) -> Card:
    needs = f"Needs: {', '.join(test.equipment)}." if test.equipment else ""
    return Card(f"{test.name} ({ADDITION})", needs, test.not_if,
                (*test.cautions, *tests.before), test.instead_says)


# -- answering a side ------------------------------------------------------------------------

class SideAnswers:
    """The questions of one side, answered one key each, after coming out of
    the position.  A key gives its answer; Esc (``skip``) "can't tell"; b goes
    back a question; q stops the test.  Enter never answers.  Each answer is
    shown for ``confirm`` seconds, and keys typed meanwhile are dropped."""

    def __init__(self, test: SelfTest, side: str, *, confirm: float, now: float) -> None:
        self.test = test
        self.side = side
        self.confirm = confirm
        self.index = 0
        self.answers: dict[str, str | None] = {}
        self.shown_until: float | None = None  # an answer is shown until then
        self.stopped = False
        self.started = now

    @property
    def done(self) -> bool:
        return self.stopped or (self.index >= len(self.test.questions)
                                and self.shown_until is None)

    @property
    def question(self) -> Question:
        return self.test.questions[min(self.index, len(self.test.questions) - 1)]

    @property
    def showing(self) -> bool:
        return self.shown_until is not None

    def timeout(self, now: float) -> float | None:
        """Seconds until the shown answer gives way; None: wait for a key."""
        if self.shown_until is None:
            return None
        return max(0.0, self.shown_until - now)

    def tick(self, now: float) -> None:
        if self.shown_until is not None and now >= self.shown_until:
            self.shown_until = None
            self.index += 1

    def press(self, key: str, now: float) -> None:
        if self.done:
            return
        if self.shown_until is not None:
            if key == QUIT:  # stopping always works, even while an answer shows
                self.stopped = True
                return
            if now < self.shown_until:
                return  # dropped: typed while the answer showed
            self.tick(now)
            if self.done:
                return
        question = self.question
        if key == QUIT:
            self.stopped = True
        elif key == BACK:
            if self.index > 0:
                self.index -= 1
                self.answers.pop(self.test.questions[self.index].id, None)
        elif key == SKIP:
            self.answers[question.id] = None
            self.shown_until = now + self.confirm
        else:
            answer = question.keyed(key)
            if answer is not None:
                self.answers[question.id] = answer.id
                self.shown_until = now + self.confirm

    def chosen(self) -> str:
        """The text of the answer being shown ("can't tell" for Esc)."""
        answer = self.question.answer(self.answers.get(self.question.id))
        return answer.text if answer is not None else "can't tell"
