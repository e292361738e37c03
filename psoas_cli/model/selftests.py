"""The self-tests of hip-flexor length (data/tests.yaml): the model, and finding one by name.

Pure data.  A self-test is played like a stretch done on each side (a
before-you-start card, getting ready, a relaxed hold), then asks its
questions for that side, one key each.  The file is validated once, at
load (files/practice_schema.py); everything downstream trusts these objects.

The tests are additions to the article: never among its eleven stretches,
never in the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from psoas_cli.errors import AmbiguousName, UnknownName
from psoas_cli.model.catalogue import HOLD_KIND, OTHER_SIDE, Range, Stretch
from psoas_cli.model.names import normalise
from psoas_cli.text import close_matches, either, shown

SIDES = ("right", "left")  # the order a test is taken in (timeline.FIRST_SIDE first)
NAME_SHOWN = 20  # characters of a name typed, in the one-line error for no such test


class Answer(NamedTuple):
    id: str  # stored with the result: keys may change, ids never do
    key: str  # the one key that gives it
    text: str  # its label on the answer screen
    score: int | None = None  # scored questions only: 0 = normal length
    result: str = ""  # its phrase in the result line; "" leaves it out
    alert: bool = False  # say the test's alert line after this side
    note: str = ""  # unscored questions only: what the answer suggests, as a note


class Question(NamedTuple):
    id: str
    notice: str  # said during the hold
    ask: str  # on the answer screen, and said
    ask_short: str  # under 60 columns
    scored: bool
    answers: tuple[Answer, ...]

    @property
    def top(self) -> int:
        """The highest score an answer gives (0 for an unscored question)."""
        return max((a.score or 0 for a in self.answers), default=0) if self.scored else 0

    def answer(self, answer_id: str | None) -> Answer | None:
        return next((a for a in self.answers if a.id == answer_id), None)

    def keyed(self, key: str) -> Answer | None:
        return next((a for a in self.answers if a.key == key), None)


class SelfTest(NamedTuple):
    slug: str
    name: str
    short: str  # the name in a reading ("Thomas test")
    aliases: tuple[str, ...]
    summary: str
    position: str
    equipment: tuple[str, ...]
    side_means: str  # {side} is the side tested, {other} the other
    setup: float  # seconds to get into position for the first side
    switch: float  # ... for the second, after Enter at the switch
    hold: float  # seconds in the test position
    settle: float  # seconds into the hold before the first notice line
    cue: str
    steps: tuple[str, ...]
    come_out: str
    switch_says: str
    finish: str
    cautions: tuple[str, ...]
    not_if: tuple[str, ...]
    instead: str  # the other test's slug
    instead_says: str
    questions: tuple[Question, ...]
    alert: str
    bands: tuple[tuple[int, str], ...]  # (highest score, words), rising
    figure: Any = None  # a figures.Figure: the right side as written
    # The oldest tests.yaml version taken the same way as now: results from it
    # on are re-scored from their answers and compared; older ones are not.
    comparable_since: int = 1

    @property
    def top(self) -> int:
        """The highest score a side can have: the sum of each scored question's highest."""
        return sum(q.top for q in self.questions)

    def band(self, score: int) -> str:
        """The score in words: "normal length", "a little tight"..."""
        return next((words for highest, words in self.bands if score <= highest),
                    self.bands[-1][1])

    def score_of(self, answers: Mapping[str, str | None]) -> int | None:
        """A side's score from its answers (question id: answer id): the sum of
        the scored answers; None when one was skipped, not given, or is an
        answer this test no longer has."""
        total = 0
        for question in self.questions:
            if not question.scored:
                continue
            answer = question.answer(answers.get(question.id))
            if answer is None or answer.score is None:
                return None
            total += answer.score
        return total

    def notes(self, answers: Mapping[str, str | None]) -> list[str]:
        """What the unscored answers suggest ("outer hip (TFL) may be tight"), in
        question order."""
        found = []
        for question in self.questions:
            answer = question.answer(answers.get(question.id))
            if answer is not None and answer.note:
                found.append(answer.note)
        return found

    def side_text(self, side: str) -> str:
        """What ``side`` means for this test: "right leg hanging, left knee hugged"."""
        return self.side_means.replace("{side}", side).replace("{other}", OTHER_SIDE[side])

    def switch_text(self, side: str) -> str:
        return self.switch_says.replace("{side}", side).replace("{other}", OTHER_SIDE[side])

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def as_stretch(self) -> Stretch:
        """The test as the player shows a stretch: figure, steps, cautions, what
        each side means, the cue under the countdown.  How to come out is the
        test's to say, after the hold: the switch comes after the answers."""
        hold = int(self.hold)
        # The side by its limb, as every player output names it: the words
        # before the first comma's limb ("{side} leg hanging": "{side} leg").
        limb = " ".join(self.side_means.split()[:2])
        return Stretch(0, self.slug, self.name, self.aliases, self.summary, self.position,
                       self.equipment, (), Range(hold, hold), Range(1, 1), "both", HOLD_KIND,
                       self.cue, self.steps, side_means=self.side_means,
                       cautions=self.cautions, setup=self.setup, switch=self.switch,
                       figure=self.figure, side_word=limb, side_switch=self.switch_says,
                       notice=tuple(q.notice for q in self.questions))

    def as_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "name": self.name, "short": self.short,
                "addition": True, "top_score": self.top,
                "comparable_since": self.comparable_since,
                "bands": [{"up_to": h, "words": w} for h, w in self.bands],
                "questions": [{"id": q.id, "ask": q.ask, "scored": q.scored,
                               "answers": [{"id": a.id, "text": a.text, "score": a.score,
                                            "note": a.note}
                                           for a in q.answers]}
                              for q in self.questions]}


class SelfTests(NamedTuple):
    """Every test in tests.yaml, in order: the first is the default."""

    version: int
    retest_days: int
    before: tuple[str, ...]  # the general lines of every before-you-start card
    tests: tuple[SelfTest, ...]

    @property
    def default(self) -> SelfTest:
        return self.tests[0]

    def get(self, slug: str) -> SelfTest | None:
        return next((t for t in self.tests if t.slug == slug), None)

    def command(self, slug: str) -> str:
        """How to take the test ``slug`` again: 'psoas test' for the default,
        else 'psoas test WORD' with its shortest one-word name."""
        if slug == self.default.slug:
            return "psoas test"
        test = self.get(slug)
        if test is None:
            return "psoas test"
        words = sorted((n for n in (test.slug, *test.aliases) if " " not in n), key=len)
        return f"psoas test {words[0] if words else test.slug}"

    def find(self, query: str) -> SelfTest:
        """The test a user means: its slug, name, an alias, or a start only one has."""
        wanted = normalise(query)
        words = {t.slug: self.command(t.slug).split()[-1] if t is not self.default else t.slug
                 for t in self.tests}  # what 'psoas test' takes each by: thomas, floor
        known = either(list(words.values()))
        if not wanted:
            raise UnknownName(f"an empty name matches no self-test (the tests: {known})")
        names = {t.slug: [normalise(n) for n in (t.slug, t.name, t.short, *t.aliases)]
                 for t in self.tests}
        for matches in ([t for t in self.tests if wanted in names[t.slug]],
                        [t for t in self.tests
                         if any(n.startswith(wanted) for n in names[t.slug])]):
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1 and wanted:
                slugs = tuple(t.slug for t in matches)
                raise AmbiguousName(f"'{shown(query)}' matches {either(slugs)}; "
                                    "be more specific", slugs)
        every = {n: slug for slug, ns in names.items() for n in ns}
        close = close_matches(wanted, list(every), n=1)
        # One line within 80 columns, "Error: " included: the name typed is
        # clipped, and the test a close match names stands for the list.
        hint = f"did you mean '{words[every[close[0]]]}'?" if close else f"the tests: {known}"
        raise UnknownName(f"no self-test called '{shown(query, NAME_SHOWN)}'; {hint}")
