"""The live player: a full-screen view of the running routine.

An engine listener that draws a frame (frame.py) when what is shown changes
(a phase, a whole second, a pause), never on a fixed refresh.  The layout
of a phase (which blocks, how big, the figure's raster) is worked out once
per phase and window size; each second only the digits and bars change,
and the Screen (screen.py) writes only the cells that did.

On a terminal that keeps a stack of window titles it also puts the time
left in the title, and puts the old title back when it leaves (or is
suspended); where none is kept (rxvt-unicode, GNU screen) it leaves the
title alone, as it could not put it back.

If the terminal goes away (a hang-up: writing fails with EIO), it tells the
engine once (events.OutputGone) and draws nothing more.
"""

from __future__ import annotations

import os
from typing import Any

from rich.console import Console

from psoas_cli.play.card import TITLE, Card
from psoas_cli.play.events import Listener, OutputGone, State
from psoas_cli.play.phrases import window_title
from psoas_cli.ui.console import ascii_text
from psoas_cli.ui.figures.view import choose_mode
from psoas_cli.ui.player.card import card_pages
from psoas_cli.ui.player.frame import Layout, Words, layout
from psoas_cli.ui.screen import Screen
from psoas_cli.ui.terminal import half_blocks, is_tty, title_stack, to_ascii, unicode_ok

# xterm's window operations: save the title on the terminal's stack, and
# restore it.  Terminals without a stack ignore them, so before restoring we
# set an empty title, which they show as their own default.
PUSH_TITLE = "\x1b[22;0t"
POP_TITLE = "\x1b[23;0t"
NEUTRAL_TITLE = "\x1b]2;\x07"


def title_escape(title: str) -> str:
    """OSC 2: set the window title.  Control characters are dropped, so a
    name from a catalogue can never end the sequence early."""
    shown = "".join(c for c in title if c.isprintable())
    return f"\x1b]2;{shown}\x07"


class LivePlayer(Listener):
    """Full-screen display of the running routine (alternate screen, no cursor)."""

    def __init__(self, console: Console, *, caution: str = "", breathing: str = "",
                 keyboard: bool = True, title: bool | None = None,
                 figure_mode: str | None = None, environ: Any = None) -> None:
        self.console = console
        self.words = Words(caution, breathing)
        self.keyboard = keyboard
        environ = os.environ if environ is None else environ
        # The title only on a real terminal (never into a file or a test's
        # buffer) that can put the old one back (terminal.title_stack).
        self.title = is_tty(console.file) and title_stack(environ) \
            if title is None else title
        self.figure_mode = figure_mode or choose_mode(console.file, environ=environ)
        self.halves = half_blocks(environ)  # else big letters of full blocks (Linux console)
        self.screen = Screen(console)
        self.unicode = unicode_ok(console.file, environ)  # else drawing characters become ASCII
        self.last: State | None = None
        self.card: Card | None = None  # shown until the first phase
        self.card_page = 0
        self._layout: tuple[tuple, Layout] | None = None
        self._shown_title = ""
        self.gone = False  # the terminal went away

    def __enter__(self) -> LivePlayer:
        self._save_title()
        self._quietly(self.screen.enter)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._quietly(self.screen.leave)
        self._restore_title()

    def suspend(self) -> None:
        self._quietly(self.screen.leave)
        self._restore_title()

    def resume(self) -> None:
        self._save_title()
        self._quietly(self.screen.enter)
        if self.last is not None:
            self.draw(self.last)
        elif self.card is not None:
            self.draw_card()

    # -- the before-you-start card --------------------------------------------

    def introduce(self, card: Card) -> None:
        self.card, self.card_page = card, 0
        self.draw_card()

    def next_page(self) -> bool:
        """Turn the card's page; False on its last page (Enter there begins)."""
        if self.card is None:
            return False
        width, height = self.console.size
        if self.card_page + 1 >= len(card_pages(self.card, width, height)):
            return False
        self.card_page += 1
        self.draw_card()
        return True

    def draw_card(self) -> None:
        if self.gone or self.card is None:
            return
        size = self.console.size
        pages = card_pages(self.card, size[0], size[1])
        self.card_page = min(self.card_page, len(pages) - 1)
        lines = pages[self.card_page]
        if not self.unicode:
            lines = [ascii_text(line) for line in lines]
        try:
            self.screen.show(lines, size, after=self._title_change(f"{TITLE} · psoas"))
        except (OSError, ValueError):
            self.gone = True
            raise OutputGone() from None

    def _quietly(self, call) -> None:
        """Leave or enter the screen; on a terminal that is gone there is nothing to do."""
        try:
            call()
        except (OSError, ValueError):
            self.gone = True

    def draw(self, state: State) -> None:
        self.last = state
        if self.gone:
            return
        size = self.console.size  # asked once a draw: each ask is two system calls
        width, height = size
        key = (id(state.timeline), state.index, state.paused, state.waiting, width, height)
        if self._layout is None or self._layout[0] != key:
            self._layout = (key, layout(state, width, height, words=self.words,
                                        keyboard=self.keyboard, figure_mode=self.figure_mode,
                                        halves=self.halves))
        lines = self._layout[1].draw(state)
        if not self.unicode:
            lines = [ascii_text(line) for line in lines]
        try:  # the title goes in the same write as the screen's changes
            title = self._title_change(window_title(state)) if self.title else ""
            self.screen.show(lines, size, after=title)
        except (OSError, ValueError):
            self.gone = True
            raise OutputGone() from None

    def phase_started(self, state: State) -> None:
        self.draw(state)

    tick = paused = resumed = phase_started

    # -- the window title ---------------------------------------------------

    def _write(self, escape: str) -> None:
        try:
            self.console.file.write(escape)
            self.console.file.flush()
        except (OSError, ValueError):  # the terminal is gone: nothing to restore
            self.title = False

    def _save_title(self) -> None:
        if self.title:
            self._write(PUSH_TITLE)
            self._shown_title = ""

    def _title_change(self, title: str) -> str:
        """The escape that shows ``title``, if it is not shown already."""
        if not self.title or title == self._shown_title:
            return ""
        self._shown_title = title
        return title_escape(title if self.unicode else to_ascii(title))

    def _restore_title(self) -> None:
        if self.title:
            self._write(NEUTRAL_TITLE + POP_TITLE)
