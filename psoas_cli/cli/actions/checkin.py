"""Check-ins around a routine: asked before and/or after it, kept in the history,
and a calm line when the answers call for one.

On by ``--check-in`` or the ``checkin`` setting (off by default).  A
check-in waits for keys only on the live screen in a terminal; with
--plain, or without a terminal, only when --check-in was given on the
command line, and then line by line.  The answers before the routine are
written with the session's first write, off the timer's thread; those
after it once it has ended, not after Ctrl-C, a signal or a lost terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from psoas_cli.cli.actions.practice import checkins as load_checkins
from psoas_cli.cli.app import App
from psoas_cli.history.practice_records import calm_line_row, checkin_row
from psoas_cli.history.practice_writer import NoWriter, PracticeWriter
from psoas_cli.model.checkins import moments_of
from psoas_cli.play import engine
from psoas_cli.play.events import Listener, Outcome, State, Summary
from psoas_cli.practice.checkin import Given, calm_line, stretched, summary, words
from psoas_cli.ui import sound as sounds
from psoas_cli.ui.practice import checkin as screens
from psoas_cli.ui.practice.selftest import ANSWER_KEYS
from psoas_cli.ui.practice.talk import LINES, LIVE, Talk
from psoas_cli.ui.table import wrap
from psoas_cli.ui.terminal import unicode_ok

SIGNAL_OUTCOMES = {engine.INTERRUPT: Outcome.INTERRUPTED, engine.TERMINATE: Outcome.TERMINATED,
                   engine.HANGUP: Outcome.HUNG_UP}


class Checkin:
    """The check-ins of one routine played.  ``mode`` is off, before, after or
    both; ``asked``: given on the command line (so it may wait line by line)."""

    def __init__(self, app: App, *, mode: str, sides: bool, asked: bool, live: bool,
                 sound: str, token: str, recording: bool,
                 replace: Callable[[str, Given], bool] | None = None) -> None:
        self.app = app
        # Inside a program, its own line takes the place of a calm line about
        # back pain: replace(moment, given) says whether it does (one line, not two).
        self.replace = replace
        self.checkins = load_checkins(app)
        self.moments = moments_of(mode)
        self.items = self.checkins.items(sides)
        self.talk_mode = LIVE if live else LINES
        self.active = bool(self.moments) and (live or asked)
        self.token = token
        self.sound = sound
        self.writer = PracticeWriter(app.home(), warn=app.warn, now=app.now) \
            if recording and self.active else NoWriter()
        self.before: dict[str, int] = {}
        self.before_rows: list = []
        self.after: dict[str, int] = {}
        self.given: Given | None = None
        self._voice: sounds.Voice | None = None

    # -- asking ----------------------------------------------------------------------------

    def ask_before(self) -> Outcome | None:
        """Before the routine: None to play it, else how it was stopped (q: QUIT)."""
        if not self.active or "before" not in self.moments:
            return None
        run, signal = self._ask("before")
        if signal is not None:
            return SIGNAL_OUTCOMES.get(signal, Outcome.QUIT)
        if run.stopped:
            return Outcome.QUIT
        self.before = run.answers()
        self.before_rows = [checkin_row(self.app.now(), "before", item, value, self.token)
                            for item, value in self.before.items()]
        given = calm_line(self.checkins, "before", self.before, {})
        if given is not None:
            self.before_rows.append(calm_line_row(self.app.now(), given.line.id, given.item,
                                                  given.before, None, self.token))
        if given is not None and not self._replaced("before", given):
            key = self._calm(given)
            if key == engine.QUIT:
                self.before_rows = []  # stopped: nothing played, nothing kept
                return Outcome.QUIT
            if key in SIGNAL_OUTCOMES:
                return SIGNAL_OUTCOMES[key]
        return None

    def ask_after(self, played: Summary) -> Outcome | None:
        """After the routine (finished, or stopped with q) once something was
        stretched; a signal's outcome if one came while asking."""
        if not self.active or "after" not in self.moments or \
                played.outcome not in (Outcome.FINISHED, Outcome.QUIT) or \
                not stretched(played):
            return None
        run, signal = self._ask("after")
        self.after = run.answers()
        rows: list = [checkin_row(self.app.now(), "after", item, value, self.token)
                      for item, value in self.after.items()]
        self.given = calm_line(self.checkins, "after", self.before, self.after)
        if self.given is not None:
            rows.append(calm_line_row(self.app.now(), self.given.line.id, self.given.item,
                                      self.given.before, self.given.after, self.token))
        if self.given is not None and self._replaced("after", self.given):
            self.given = None
        if self.given is not None:
            voice = self._speaker()
            if voice is not None:
                voice.say(words(self.given, "spoken"))
        self.writer.put(*rows)
        return SIGNAL_OUTCOMES.get(signal) if signal else None

    def _replaced(self, moment: str, given: Given) -> bool:
        return self.replace is not None and self.replace(moment, given)

    def _ask(self, moment: str):
        app = self.app
        return self._shown(lambda talk: screens.ask(talk, self.checkins, moment, self.items,
                                                    clock=app.monotonic))

    def _calm(self, given: Given) -> str | None:
        again = self.checkins.screen["lines"]["choose"]
        return self._shown(lambda talk: screens.calm(talk, given, clock=self.app.monotonic,
                                                     again=again))

    def _shown(self, run: Callable[[Talk], Any]) -> Any:
        """``run`` on the live screen with the keyboard; line by line, without
        it, so a terminal reads a normal line (echoed, edited, Ctrl-C)."""
        talk = self._talk()
        if self.talk_mode != LIVE:
            return run(talk)
        with self.app.keyboard(keymap=ANSWER_KEYS) as keys:
            talk.wait = keys.wait
            if talk.screen is not None:
                talk.screen.enter()
            try:
                return run(talk)
            finally:
                if talk.screen is not None:
                    talk.screen.leave()

    def _talk(self) -> Talk:
        return Talk(self.app.console, mode=self.talk_mode, wait=None, stdin=self.app.stdin,
                    voice=self._speaker(), unicode=unicode_ok(self.app.stdout, self.app.env))

    def _speaker(self) -> sounds.Voice | None:
        if self._voice is None and self.sound in ("voice", "both"):
            speaker = sounds.find_speaker()
            if speaker is not None:
                self._voice = sounds.Voice(speaker)
        return self._voice

    # -- the history ---------------------------------------------------------------------------

    def listener(self) -> Listener:
        """Writes the answers before the routine as its session is first written."""
        return _WriteBefore(self)

    def finish(self) -> None:
        """Give the writer its bounded time; what it cannot write goes to the journal."""
        self.writer.finish()

    # -- after the summary -----------------------------------------------------------------------

    def print_after(self) -> None:
        """The check-in's line in the summary, and the calm line given, if any."""
        width = min(80, self.app.console.width)
        lines: Sequence[str] = []
        said = summary(self.checkins, self.before, self.after) if self.active else ""
        if said:
            lines = wrap(said, width)
        if self.given is not None:
            form = "long" if width >= screens.NARROW else "short"
            lines = [*lines, *wrap(words(self.given, form), width)]
        if lines:
            try:
                click.echo("\n".join(lines), file=self.app.stdout)
            except (OSError, ValueError):
                pass


class _WriteBefore(Listener):
    def __init__(self, check: Checkin) -> None:
        self.check = check

    def phase_started(self, state: State) -> None:
        if self.check.before_rows:
            rows, self.check.before_rows = self.check.before_rows, []
            self.check.writer.put(*rows)

    def routine_ended(self, summary) -> None:
        self.phase_started(None)  # type: ignore[arg-type]
