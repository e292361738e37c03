"""The stretch catalogue: the model, and finding stretches by what people type.

Pure Python.  The YAML is validated once, at load, into these immutable
objects (files/catalogue_schema.py, through the cache in files/datafiles.py); everything
downstream trusts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from psoas_cli.errors import AmbiguousName, UnknownName
from psoas_cli.model.names import normalise
from psoas_cli.text import close_matches, either, shown

if TYPE_CHECKING:  # figures load only where a figure is built or drawn
    from psoas_cli.model.figures import Figure

POSITIONS = ("standing", "seated", "kneeling", "all fours", "face-up", "face-down",
             "side-lying")
SIDES = ("both", "none")
OTHER_SIDE = {"left": "right", "right": "left"}
# How a stretch is done: held still, one continuous movement (rolling), or
# repetitions of lift, hold at the top and lower (the bridges, the dead bug).
HOLD_KIND, FLOW_KIND, MOVEMENT_KIND = "hold", "flow", "movement"
KINDS = (HOLD_KIND, FLOW_KIND, MOVEMENT_KIND)
# When a caution is said: while getting ready for the stretch's first hold in a
# routine, or on the before-you-start card (what to fetch, who should skip it).
SAID_GETTING_READY, SAID_ON_CARD = "get-ready", "card"
# Said while getting ready, before the set-up: something to do first (pad the knee).
SAID_FIRST = "first"
# Words people use for a position, mapped to the catalogue's own terms.
POSITION_WORDS = {
    "back": ("face-up",), "supine": ("face-up",), "lying": ("face-up", "face-down", "side-lying"),
    "front": ("face-down",), "prone": ("face-down",), "belly": ("face-down",),
    "stomach": ("face-down",), "side": ("side-lying",), "chair": ("seated",),
    "sitting": ("seated",), "desk": ("standing", "seated"), "tabletop": ("all fours",),
    "floor": ("kneeling", "all fours", "face-up", "face-down", "side-lying"),
}


# NamedTuples rather than dataclasses: they are as immutable and cost a
# sixth of the time to define, which every start of psoas pays.
class Range(NamedTuple):
    """An inclusive range of whole numbers, such as a 20-30 s hold."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    def pick(self, end: str) -> int:
        """The value a routine asks for: the ``low`` or ``high`` end, or ``mid``."""
        if end == "low":
            return self.low
        if end == "high":
            return self.high
        return (self.low + self.high) // 2

    def as_dict(self) -> dict[str, int]:
        return {"min": self.low, "max": self.high}


class Variant(NamedTuple):
    """An easier way of doing a stretch, played instead of it at the gentle
    level (sphinx for cobra; a hand on a chair for the lunges).  Its fields
    replace the stretch's own; holds, reps, sides, set-up and cautions stay
    the stretch's."""

    name: str  # the title on screen, in the plan and the plain log
    say: str  # said and shown first while getting ready, so the change is on purpose
    cue: str
    steps: tuple[str, ...]
    equipment: tuple[str, ...] = ()  # added to what the stretch needs
    come_out: str = ""
    feel: str = ""
    fix: str = ""
    deepen: str = ""


class Stretch(NamedTuple):
    number: int
    slug: str
    name: str
    aliases: tuple[str, ...]
    summary: str
    position: str
    equipment: tuple[str, ...]
    targets: tuple[str, ...]
    hold: Range
    reps: Range
    sides: str
    kind: str  # hold, flow or movement (KINDS)
    cue: str
    steps: tuple[str, ...]
    # Coaching fields, all optional in a user's catalogue (but side_means is
    # required for a stretch done on each side).
    side_means: str = ""  # what the side word means, with {side} and {other}
    cautions: tuple[str, ...] = ()
    easier: str = ""  # an easier variation
    setup: float | None = None  # seconds to get into position; None: the routine's
    # Seconds to rest between reps and to switch sides, for a pose that needs
    # longer than a routine's usual pauses to come out of and set up again;
    # None: the routine's.
    rest: float | None = None
    switch: float | None = None
    come_out: str = ""  # how to come out of the pose, said as a hold ends
    # A stretch done somewhere else than the mat (the end of a bed): how to get
    # there from any position, said instead of the move between positions; and
    # the position it leaves you in, from which the next move starts ("": its own).
    move_in: str = ""
    ends_in: str = ""
    advanced: bool = False
    # True for a resting pose (child's pose, constructive rest): nothing to
    # ease into, so its first hold is not told to ease in slowly.
    resting: bool = False
    figure: Figure | None = None  # None when the catalogue gives none
    # Why the stretch helps, or why it is in a routine: one or two sentences,
    # shown by 'show' and once per session while getting ready, said once.
    why: str = ""
    # True for a stretch psoas adds to the article's eleven (a counter-pose,
    # a rest position, a shorter set): listed apart, and said to be one.
    addition: bool = False
    # -- the words for each side (required when sides is both): one source for
    # every output.  Each uses {side} and {other}; a side is always named by a
    # limb of that side, never by "side" alone.
    side_word: str = ""  # the big word of a hold, e.g. "{side} knee"
    side_ready: str = ""  # the first move while getting ready, e.g. "kneel on your {side} knee"
    side_switch: str = ""  # said and shown at the switch TO {side}
    # -- coaching: what the voice and the screen say while getting ready and holding
    setup_most: float | None = None  # the most the spoken set-up may stretch ``setup`` to
    say_setup: str = ""  # the spoken set-up; {means}/{Means}: side_means for the side
    say_tempo: str = ""  # a movement's tempo, said after the set-up
    feel: str = ""  # where it should be felt (may use {side} and {other})
    fix: str = ""  # what to do when it is felt in the wrong place instead
    deepen: str = ""  # the mid-hold cue: the breath tied to one action
    easier_say: str = ""  # the easier option, as said ("Easier: ...")
    remind: str = ""  # a movement's reminder, said once a few reps in
    # A movement's two phases by their verbs: LIFT & HOLD and LOWER unless it
    # says (the dead bug reaches and returns).
    lift_word: str = ""
    lower_word: str = ""
    # One (spoken words, when) per caution, in the same order: when is
    # SAID_GETTING_READY or SAID_ON_CARD.
    cautions_said: tuple[tuple[str, str], ...] = ()
    # A flow's timed cues: (seconds in, words said, line shown), in order.
    flow_cues: tuple[tuple[float, str, str], ...] = ()
    gentle: Variant | None = None  # played at the gentle level instead, or None
    plays: str = ""  # "gentle" while this is the gentle variant standing in for the stretch
    own_name: str = ""  # the stretch's own name, while a variant plays under another
    # The slug of the basic stretch this one deepens (a program may play it in
    # that one's place once it unlocks); "" for none.
    unlocks_after: str = ""
    # True for a backbend (camel, cobra): like an advanced stretch, the command
    # line's --hold and --reps never take it past the catalogue's range.
    backbend: bool = False
    # A self-test's questions, to notice during its hold and answer after it
    # (shown in place of the steps, which are for getting into position);
    # never set by a catalogue.
    notice: tuple[str, ...] = ()

    @property
    def each_side(self) -> bool:
        return self.sides == "both"

    @property
    def continuous(self) -> bool:
        """Done moving the whole time (a flow), not held still."""
        return self.kind == FLOW_KIND

    @property
    def movement(self) -> bool:
        """Done as repetitions of lift, hold and lower."""
        return self.kind == MOVEMENT_KIND

    @property
    def lifts(self) -> str:
        """A movement's verb for the way out, held at its end: "lift"."""
        return self.lift_word or "lift"

    @property
    def lowers(self) -> str:
        """...and for the way back: "lower"."""
        return self.lower_word or "lower"

    @property
    def said_name(self) -> str:
        """The name the voice says: the stretch's own, even while a variant plays."""
        return self.own_name or self.name

    def sided(self, template: str, side: str) -> str:
        """``template`` with {side} and {other} filled in for ``side``.

        Plain replacement rather than str.format, so a catalogue's text can
        never reach into Python objects.
        """
        if side not in OTHER_SIDE:
            raise ValueError(f"a side is left or right, not {side!r}")
        return template.replace("{side}", side).replace("{other}", OTHER_SIDE[side])

    def side_text(self, side: str) -> str:
        """What ``side`` means for this stretch, the named limb first: "right
        knee down, left foot forward"; "" if unsaid."""
        return self.sided(self.side_means, side)

    def side_word_of(self, side: str) -> str:
        """The side in a word or two, by its limb: "right knee"."""
        return self.sided(self.side_word, side)

    def ready_text(self, side: str) -> str:
        """The first move for ``side``, lower case: "kneel on your right knee"."""
        return self.sided(self.side_ready or self.side_means, side)

    def switch_text(self, side: str) -> str:
        """What to do at the switch to ``side``, as a sentence."""
        if self.side_switch:
            return self.sided(self.side_switch, side)
        means = self.side_text(side)
        return f"Change over: {means[:1].upper()}{means[1:]}."

    def said_cautions(self, when: str = SAID_GETTING_READY) -> list[str]:
        """The spoken form of each caution said ``when``, in order."""
        return [said for said, at in self.cautions_said if at == when]

    @property
    def dose_capped(self) -> bool:
        """--hold and --reps stop at the catalogue's range: an advanced stretch
        or a backbend."""
        return self.advanced or self.backbend

    def in_variant(self) -> Stretch:
        """The stretch as its gentle variant plays it (itself when it has none)."""
        variant = self.gentle
        if variant is None or self.plays:
            return self
        return self._replace(
            name=variant.name, cue=variant.cue, steps=variant.steps,
            equipment=tuple(dict.fromkeys((*self.equipment, *variant.equipment))),
            come_out=variant.come_out or self.come_out, feel=variant.feel or self.feel,
            fix=variant.fix or self.fix, deepen=variant.deepen or self.deepen,
            easier="", easier_say="", plays="gentle", own_name=self.name)

    def as_dict(self) -> dict[str, Any]:
        def each(template: str) -> dict[str, str] | None:
            return {side: self.sided(template, side) for side in ("right", "left")} \
                if template and self.each_side else None

        return {
            "number": self.number,
            "slug": self.slug,
            "name": self.name,
            "aliases": list(self.aliases),
            "summary": self.summary,
            "position": self.position,
            "equipment": list(self.equipment),
            "targets": list(self.targets),
            "hold_seconds": self.hold.as_dict(),
            "reps": self.reps.as_dict(),
            "each_side": self.each_side,
            "kind": self.kind,
            "continuous": self.continuous,
            "cue": self.cue,
            "steps": list(self.steps),
            "side_word": each(self.side_word),
            "side_means": each(self.side_means),
            "side_ready": {side: self.ready_text(side) for side in ("right", "left")}
            if self.each_side else None,
            "side_switch": {side: self.switch_text(side) for side in ("right", "left")}
            if self.each_side else None,
            "cautions": list(self.cautions),
            "cautions_said": [{"say": said, "when": when} for said, when in self.cautions_said],
            "easier": self.easier or None,
            "easier_said": self.easier_say or None,
            "feel": self.feel or None,
            "fix": self.fix or None,
            "deepen": self.deepen or None,
            "setup_seconds": self.setup,
            "setup_most_seconds": self.setup_most,
            "rest_seconds": self.rest,
            "switch_seconds": self.switch,
            "come_out": self.come_out or None,
            "advanced": self.advanced,
            "resting": self.resting,
            "gentle": self.gentle._asdict() if self.gentle is not None else None,
            "addition": self.addition,
            "why": self.why or None,
            "unlocks_after": self.unlocks_after or None,
            "backbend": self.backbend,
            # Joints as the catalogue gives them: the right side (x to X_MAX - x for the left).
            "figure": self.figure.to_plain() if self.figure is not None else None,
        }


def equipment(stretches: Iterable[Stretch]) -> list[str]:
    """Everything the stretches need, each once, in the order first needed; a
    choice ("chair or wall") left out when one of its own is needed anyway."""
    needed = list(dict.fromkeys(item for stretch in stretches for item in stretch.equipment))
    return [item for item in needed
            if " or " not in item or not any(one in needed for one in item.split(" or "))]


class Moves(NamedTuple):
    """How to move from one starting position to another, in one table keyed
    by (from, to), and each position in a few words ("lying on your back")."""

    between: Mapping[tuple[str, str], str] = {}  # "" or absent: nothing to say
    places: Mapping[str, str] = {}

    def move(self, start: str, end: str) -> str:
        """What to say to go from position ``start`` to ``end``; "" for none."""
        return self.between.get((start, end), "") if start != end else ""

    def onto(self, before: Stretch, stretch: Stretch) -> str:
        """What to say to go from ``before`` (held last) to ``stretch``: its
        own way there when it is done elsewhere (a bed), else the move between
        where ``before`` leaves you and where ``stretch`` starts."""
        if stretch.move_in and stretch.move_in != before.move_in:
            return stretch.move_in
        return self.move(before.ends_in or before.position, stretch.position)

    def place(self, position: str) -> str:
        return self.places.get(position, position)


NO_MOVES = Moves()


class Catalogue:
    __slots__ = ("caution", "stretches", "breathing", "closing", "moves", "said_caution",
                 "_exact")

    def __init__(self, caution: str, stretches: tuple[Stretch, ...],
                 breathing: str = "", closing: str = "", moves: Moves = NO_MOVES,
                 said_caution: str = "") -> None:
        self.caution = caution  # the general caution, the one source of its words
        self.stretches = stretches
        self.breathing = breathing  # a short cue on breathing and not bouncing
        self.closing = closing  # said at the end of a routine that gives no closing of its own
        self.moves = moves  # how to move between starting positions
        # The general caution as the voice says it, shorter; else the caution itself.
        self.said_caution = said_caution or caution
        self._exact: dict[str, Stretch | None] | None = None  # made on the first look-up

    def __len__(self) -> int:
        return len(self.stretches)

    def __iter__(self) -> Iterator[Stretch]:
        return iter(self.stretches)

    def find(self, query: str) -> Stretch:
        """As ``find`` below, through an index of names made once and of queries
        already answered, so a routines file naming stretches a hundred
        thousand times stays quick."""
        if self._exact is None:
            exact: dict[str, Stretch | None] = {}
            for stretch in self.stretches:
                for name in _names(stretch):
                    # A name two stretches share is left to find(), which says so.
                    exact[name] = stretch if exact.get(name, stretch) is stretch else None
            self._exact = exact
        wanted = normalise(query)
        if wanted.isdigit():
            return find(self.stretches, query)
        found = self._exact.get(wanted)
        if found is None:
            found = find(self.stretches, query)
            self._exact[wanted] = found  # a prefix asked again is found at once
        return found

    def named(self, name: str) -> Stretch | None:
        """The one stretch whose slug, name or alias is ``name``, else None: no
        numbers, prefixes or words, so psoas's own routines, read with another
        catalogue, never pick a stretch by a loose match."""
        wanted = normalise(name)
        matches = [s for s in self.stretches if wanted in _names(s)]
        return matches[0] if len(matches) == 1 else None

    def filter(self, **criteria: Any) -> list[Stretch]:
        return filter_stretches(self.stretches, **criteria)


# -- finding stretches by what a user types --------------------------------

def _names(stretch: Stretch) -> list[str]:
    return [normalise(n) for n in (stretch.slug, stretch.name, *stretch.aliases)]


def find(stretches: Iterable[Stretch], query: str) -> Stretch:
    """Resolve a number, slug, name, alias, prefix or word to one stretch.

    Tried from the most to the least exact, so that an exact name never
    loses to a prefix of another one.
    """
    stretches = list(stretches)
    typed = query.strip()
    if typed[:1] in "-+" and typed[1:].isascii() and typed[1:].isdigit():
        # A signed number is no stretch number ('-1' would read as '1': a
        # hyphen is a space in a name).
        raise UnknownName(f"there is no stretch number {shown(typed, 20)}; the catalogue "
                          f"has 1 to {len(stretches)}")
    wanted = normalise(query)
    if not wanted:  # else it would start every name: "'' matches 22 stretches"
        raise UnknownName("an empty name matches no stretch; 'psoas list' shows them all")
    if wanted.isascii() and wanted.isdigit():  # not '²' or '①', which int() refuses
        index = int(wanted) if len(wanted) <= 9 else 0
        if 1 <= index <= len(stretches):
            return stretches[index - 1]
        raise UnknownName(f"there is no stretch number {shown(wanted, 20)}; the catalogue "
                          f"has 1 to {len(stretches)}")
    # A prefix of a name is a prefix of its first word, so words cover both.
    for matches in (
        [s for s in stretches if wanted in _names(s)],
        [s for s in stretches if any(_has_words(n, wanted) for n in _names(s))],
    ):
        basics = _basics(matches)
        if len(basics) == 1:
            return basics[0]
        if len(matches) > 1:
            slugs = tuple(s.slug for s in matches)
            start = f"'{shown(query)}' matches {len(matches)} stretches: "
            raise AmbiguousName(f"{start}{_first_few(slugs, 60 - len(start))}; "
                                "be more specific", slugs)
    raise _unknown(stretches, query, wanted)


def _basics(matches: list[Stretch]) -> list[Stretch]:
    """``matches`` without the deeper forms of a stretch among them: a
    variation never takes a name from the stretch it deepens, so 'stand'
    still finds the standing stretch, not the standing reach too."""
    slugs = {s.slug for s in matches}
    return [s for s in matches if s.unlocks_after not in slugs]


def _first_few(names: tuple[str, ...], room: int) -> str:
    """As many of ``names`` as fit in ``room`` characters (at least one), then
    '...': the error stays one line within 80 columns."""
    shown_names = [names[0]]
    for name in names[1:]:
        if len(", ".join([*shown_names, name, "..."])) > room:
            break
        shown_names.append(name)
    return ", ".join(shown_names) + (", ..." if len(shown_names) < len(names) else "")


def _has_words(name: str, wanted: str) -> bool:
    """True when each word typed starts a word of the name, in order."""
    words = name.split()
    typed = wanted.split()
    for start in range(len(words) - len(typed) + 1):
        if all(words[start + i].startswith(t) for i, t in enumerate(typed)):
            return True
    return False


def _unknown(stretches: list[Stretch], query: str, wanted: str) -> UnknownName:
    if len(wanted) > 80:  # nothing is called that; comparing it would only cost time
        return UnknownName(f"no stretch called '{shown(query)}'; 'psoas list' shows them all")
    by_name: dict[str, str] = {}
    for stretch in stretches:
        for name in _names(stretch):
            by_name.setdefault(name, stretch.slug)
            for word in name.split():
                if len(word) > 3:
                    by_name.setdefault(word, stretch.slug)
    close = close_matches(wanted, by_name, n=6, cutoff=0.72)
    slugs = tuple(dict.fromkeys(by_name[c] for c in close))[:3]
    hint = f"; did you mean {either(slugs)}?" if slugs else "; 'psoas list' shows them all"
    return UnknownName(f"no stretch called '{shown(query)}'{hint}", slugs)


def _position_matches(actual: str, wanted: str) -> bool:
    wanted = normalise(wanted)
    return actual in POSITION_WORDS.get(wanted, ()) or _has_words(normalise(actual), wanted)


def filter_stretches(
    stretches: Iterable[Stretch],
    *,
    position: str | None = None,
    equipment: str | None = None,
    no_equipment: bool = False,
    target: str | None = None,
) -> list[Stretch]:
    """Stretches meeting every criterion given; text criteria match words loosely."""
    chosen = []
    for stretch in stretches:
        if position and not _position_matches(stretch.position, position):
            continue
        if no_equipment and stretch.equipment:
            continue
        if equipment and not any(_has_words(normalise(e), normalise(equipment))
                                 for e in stretch.equipment):
            continue
        if target and not any(_has_words(normalise(t), normalise(target))
                              for t in stretch.targets):
            continue
        chosen.append(stretch)
    return chosen
