"""Playing a self-test: the card, each side as the player shows a stretch, the
questions, one key each, and the switch between the sides.

The engine plays each side's phases (get ready, hold) on the player's own
screen or plain lines, with a voice of the test's own words (``TestVoice``);
between them the questions are pages on the same screen (``Talk``).  The
caller gets each side's answers as soon as they are given
(``on_side``), so a test stopped half way keeps the side finished.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.text import Text

from psoas_cli.model.selftests import SelfTest, SelfTests
from psoas_cli.play import engine
from psoas_cli.play.engine import Engine
from psoas_cli.play.events import Listener, Listeners, Outcome, State, Summary
from psoas_cli.play.timeline import HOLD, READY, SWITCH, Timeline
from psoas_cli.practice import scoring, selftest
from psoas_cli.practice.selftest import SideAnswers
from psoas_cli.ui import keys
from psoas_cli.ui.player.live import LivePlayer
from psoas_cli.ui.player.plain import PlainPlayer
from psoas_cli.ui.practice.talk import LINES, LIVE, Talk
from psoas_cli.ui.sound import Voice
from psoas_cli.ui.table import wrap

# The player's keys, and those of the questions and check-ins: digits, the
# ten key, Esc for "can't tell" or skip.  Enter never answers a question.
ANSWER_KEYS = {**keys.KEYMAP, **{str(n).encode(): str(n) for n in range(10)},
               b"t": "ten", b"T": "ten", b"\x1b": "skip"}
SIGNALS = (engine.INTERRUPT, engine.TERMINATE, engine.HANGUP)
OUTCOMES = {engine.QUIT: Outcome.QUIT, engine.INTERRUPT: Outcome.INTERRUPTED,
            engine.TERMINATE: Outcome.TERMINATED, engine.HANGUP: Outcome.HUNG_UP}
NARROW = 60  # under this many columns, the short questions


class TestVoice(Voice):
    """The coaching voice with the test's words: every step while getting ready,
    the cue, the notice lines through the hold and 3-2-1, how to come out."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, command: Sequence[str], test: SelfTest, **kwargs) -> None:
        super().__init__(command, **kwargs)
        self.test = test
        self._said: set = set()

    def phase_started(self, state: State) -> None:
        phase = state.phase
        self._said = set()
        side = phase.side or selftest.SIDES[0]
        if phase.kind == READY:
            self.say(selftest.spoken_ready(self.test, side, first=side == selftest.SIDES[0]))
        elif phase.kind == SWITCH:
            self.say(selftest.spoken_switch(self.test, side))
        elif phase.kind == HOLD:
            self.say(selftest._sentence(self.test.cue))

    def tick(self, state: State) -> None:
        self.reap()
        if state.phase.kind != HOLD or state.paused:
            return
        text = selftest.spoken_in_hold(self.test, state.phase.duration - state.remaining,
                                       self._said)
        if text:
            self.say(text)

    def routine_ended(self, summary: Summary) -> None:
        if summary.finished:
            self.say(self.test.come_out)
        else:
            self.hush()


class _SharedPlayer(LivePlayer):
    """The live player drawing on the test's screen, which the test enters
    and leaves once for all its sides and pages."""

    def __enter__(self) -> _SharedPlayer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass


class _QuietPlain(PlainPlayer):
    """The plain player without a routine's first and last lines."""

    def routine_started(self, timeline: Timeline, state: State) -> None:
        pass

    def routine_ended(self, summary: Summary) -> None:
        pass


class Ended(NamedTuple):
    outcome: Outcome  # FINISHED, or how it was stopped
    sides: tuple  # (side, answers) of each side answered in full
    hurt: bool = False  # a side hurt: the test ended there, FINISHED


class TestPlayer:
    """Plays ``test`` through ``talk``; ``sounds`` hear the engine too."""

    __test__ = False

    def __init__(self, test: SelfTest, tests: SelfTests, talk: Talk, *,
                 monotonic: Callable[[], float], confirm: float,
                 engine_wait: Callable[[float | None], str | None],
                 sounds: Sequence[Listener] = (), voice: TestVoice | None = None,
                 figure_mode: str | None = None, keyboard: bool = True,
                 on_side: Callable[[str, dict], None] = lambda side, answers: None) -> None:
        self.test = test
        self.tests = tests
        self.talk = talk
        self.monotonic = monotonic
        self.confirm = confirm
        self.engine_wait = engine_wait  # the keyboard's (signals too), for the sides
        self.sounds = list(sounds)
        self.voice = voice
        self.keyboard = keyboard  # keys can be typed: the switch waits for Enter
        self.on_side = on_side
        self.sides: list[tuple[str, dict]] = []
        self.hurt = False  # a side hurt: the test stops after it
        if talk.mode == LIVE:
            # No breathing cue: "ease into each stretch" is not for a check.
            shared = _SharedPlayer(talk.console, keyboard=keyboard, title=False,
                                   figure_mode=figure_mode)
            assert talk.screen is not None  # a live Talk has its screen
            shared.screen = talk.screen
            self.player: Listener = shared
        else:
            self.player = _QuietPlain(talk.console.file, width=talk.width)
        self._redraw: Callable[[], None] = lambda: None

    # -- the whole test ---------------------------------------------------------------

    def run(self) -> Ended:
        outcome = self._card()
        if outcome is not None:
            return Ended(outcome, ())
        for side in selftest.SIDES:
            outcome = self._side(side)
            if outcome is not None:
                return Ended(outcome, tuple(self.sides))
            if self.hurt:
                break  # never on to the other side as if nothing happened
        self.talk.say(self.test.finish)
        return Ended(Outcome.FINISHED, tuple(self.sides), self.hurt)

    def redraw(self) -> None:
        """After Ctrl-Z and fg, or a resize: what was on the screen, again."""
        self._redraw()

    # -- the card ---------------------------------------------------------------------

    def _card(self) -> Outcome | None:
        """The card, a page at a time on the live screen, each page said as it
        shows (Enter turns the page and cuts what was being said)."""
        made = selftest.card(self.test, self.tests)
        width = self.talk.width
        bold = "bold"
        # Pieces of (lines, what is said), kept whole on a page when they fit.
        first = [(_wrapped(made.title, width, "", bold) + _wrapped(made.needs, width),
                  made.said_title())]
        for number, clause in enumerate(made.leave_out):
            lines = _wrapped(f"- {clause}", width, "  ")
            if number == 0:
                lines = [Text(), Text("Leave this test out if:", style=bold), *lines]
            first.append((lines, made.said_leave_out(number)))
        second = []
        for number, line in enumerate(made.take_care):
            lines = _wrapped(f"- {line}", width, "  ")
            if number == 0:
                lines = [Text("Take care", style=bold), *lines]
            second.append((lines, made.said_take_care(number)))
        second.append(([Text(), *_wrapped(made.instead, width)], made.instead))
        whole = [*first, ([Text()], ""), *second]
        if self.talk.mode != LIVE:
            self.talk.say(made.spoken())
            self.talk.page([line for lines, _ in whole for line in lines])
            if self.talk.mode == LINES or not self.keyboard:
                return None  # nobody to press Enter: the card is printed, and on it goes
            return self._wait_enter([], "Enter: start the test · q: stop")
        room = self.talk.height - 2
        pages = [whole] if sum(len(lines) for lines, _ in whole) <= room \
            else [*_packed(first, room), *_packed(second, room)]
        for number, page in enumerate(pages, 1):
            last = number == len(pages)
            keys_line = ("Enter: start the test · q: stop" if last
                         else f"Enter: more ({number} of {len(pages)}) · q: stop")
            said = [text for _, text in page if text]
            self.talk.say(" ".join([*said, selftest.START if last else selftest.MORE]))
            outcome = self._wait_enter([line for lines, _ in page for line in lines], keys_line)
            if outcome is not None:
                return outcome
        return None

    def _wait_enter(self, page: list[Text], keys_line: str) -> Outcome | None:
        """Show ``page`` until Enter (None) or q, Ctrl-C, a signal (how it ended)."""
        def draw() -> None:
            self.talk.page(page, keys_line)

        self._redraw = draw
        draw()
        while True:
            key = self.talk.key(None)
            if key is None and self.talk.wait is None:
                return None
            if key == engine.ENTER:
                self.talk.hush()
                return None
            if key in OUTCOMES:
                self.talk.hush()
                return OUTCOMES[key]
            if key in (engine.REDRAW, engine.SUSPEND):
                draw()

    # -- a side -------------------------------------------------------------------------

    def _side(self, side: str) -> Outcome | None:
        plan = selftest.side_timeline(self.test, side, wait=self.keyboard)
        summary = self._play(plan)
        if not summary.finished:
            return summary.outcome or Outcome.QUIT
        answers, outcome = self._questions(side)
        if outcome is not None:
            return outcome
        self.sides.append((side, answers))
        self.on_side(side, answers)
        if scoring.side_hurt(self.test, answers):
            # Stop: the other side is not taken, the sides are not compared.
            self.hurt = True
            self.talk.say(self.test.alert)
            if self.talk.mode == LIVE:
                head = f"{self.test.short.upper()} · {side.upper()} SIDE"
                page = [*_wrapped(head, self.talk.width, "", "bold"), Text(),
                        *_wrapped(self.test.alert, self.talk.width, "", "bold")]
                return self._wait_enter(page, "Enter: the results")
            # Plain lines: the results, printed next, end with the alert.
        return None

    def _play(self, plan: Timeline) -> Summary:
        listeners = [self.player, *self.sounds]
        if self.voice is not None:
            listeners.append(self.voice)
        self._redraw = self._redraw_player
        return Engine(plan, Listeners(listeners), now=self.monotonic,
                      wait=self.engine_wait).run()

    def _redraw_player(self) -> None:
        if isinstance(self.player, LivePlayer) and self.player.last is not None:
            self.player.draw(self.player.last)

    def _questions(self, side: str) -> tuple[dict, Outcome | None]:
        run = SideAnswers(self.test, side, confirm=self.confirm, now=self.monotonic())
        spoken = -1
        if self.talk.mode != LIVE:
            self.talk.page(_wrapped(self.test.come_out, self.talk.width))
        while not run.done:
            if run.index != spoken and not run.showing:
                spoken = run.index
                self._ask(run)
                if self.talk.mode != LIVE:
                    self._show(run)
            self._redraw = lambda: self._show(run)
            if self.talk.mode == LIVE:
                self._show(run)
            key = self.talk.key(run.timeout(self.monotonic()))
            now = self.monotonic()
            if key is None:
                if self.talk.wait is None:  # line by line, and the input ended
                    return run.answers, Outcome.QUIT
                run.tick(now)
                continue
            if key in SIGNALS:
                self.talk.hush()
                return run.answers, OUTCOMES[key]
            if key in (engine.REDRAW, engine.SUSPEND):
                continue
            key = _from_line(key) if self.talk.wait is None else key
            was = run.showing
            run.press(key, now)
            if run.showing and not was:
                self.talk.hush()
                self.talk.note(f"  -> {run.chosen()}")
            if self.talk.wait is None and run.showing:
                run.tick(now + self.confirm)  # line by line: nothing to show it for
        if run.stopped:
            return run.answers, Outcome.QUIT
        return run.answers, None

    def _ask(self, run: SideAnswers) -> None:
        question = run.question
        said = [question.ask] + [f"{a.key}, {a.text}." for a in question.answers]
        self.talk.say(" ".join(said))

    def _show(self, run: SideAnswers) -> None:
        test, question = self.test, run.question
        width = self.talk.width
        narrow = width < NARROW
        count = len(test.questions)
        number = min(run.index, count - 1) + 1
        if narrow:
            header = f"{run.side.upper()} SIDE · {number} of {count}"
        else:
            header = f"{test.short.upper()} · {run.side.upper()} SIDE · question {number} of " \
                     f"{count}"
        lines = [Text(header, style="bold")]
        if number == 1 and self.talk.mode == LIVE and not narrow:
            lines += _wrapped(f"Come out first: {test.come_out}", width, "", "dim")
        lines.append(Text())
        lines += _wrapped(question.ask_short if narrow else question.ask, width, "", "bold")
        if not narrow:
            lines.append(Text())
        chosen = run.answers.get(question.id, "") if run.showing else ""
        for answer in question.answers:
            style = "reverse" if run.showing and answer.id == chosen else ""
            lines.append(Text(f" {answer.key} {answer.text}" if narrow
                              else f"  {answer.key}  {answer.text}", style=style))
        last = question.answers[-1].key
        if self.talk.mode == LINES:
            keys_line = f"Answer 1-{last} (an empty line: can't tell; b: back; q: stop):"
        elif run.showing:
            keys_line = f"{run.chosen()}"
        elif narrow:
            keys_line = f"1-{last} · Esc can't tell · q stop"
        else:
            keys_line = f"Press 1-{last}.  Esc: can't tell.  b: back.  q: stop."
        if self.talk.mode == LIVE:
            lines.append(Text())
            self.talk.page(lines, keys_line)
        else:
            self.talk.page([Text(), *lines, Text(keys_line)])


def _from_line(text: str) -> str:
    """An answer read as a line: its key, empty for "can't tell", b or q."""
    word = text.strip().lower()
    return {"": selftest.SKIP, "b": selftest.BACK, "q": selftest.QUIT}.get(word, word)


def _wrapped(text: str, width: int, indent: str = "", style: str = "") -> list[Text]:
    return [Text(line, style=style) for line in wrap(text, width, indent)] if text else []


Piece = tuple[list[Text], str]  # lines of the card, and what is said for them


def _packed(pieces: list[Piece], room: int) -> list[list[Piece]]:
    """Pages of at most ``room`` lines, each piece whole on one page when it
    fits on a page at all (else cut over pages, said with its first lines)."""
    room = max(1, room)
    pages: list[list[Piece]] = [[]]
    used = 0
    for lines, said in pieces:
        if used and used + len(lines) > room:
            pages.append([])
            used = 0
        if not used and lines and not lines[0].plain:
            lines = lines[1:]  # no blank line at the top of a page
        while len(lines) > room - used:
            cut = room - used
            pages[-1].append((lines[:cut], said))
            pages.append([])
            lines, said, used = lines[cut:], "", 0
        pages[-1].append((lines, said))
        used += len(lines)
    return [page for page in pages if page] or [[]]
