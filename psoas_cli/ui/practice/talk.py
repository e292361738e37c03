"""Pages and keys for the self-test and the check-ins: on the live screen, as
plain lines, or line by line from a pipe.

``Talk`` shows a page (lines of text and a keys line) and waits for a key,
as each of three kinds of run can: the live screen in a terminal (the
player's own Screen, only changed cells written), plain lines in a
terminal (--plain: keys still read one at a time), and no terminal at all,
where each answer is a line read from standard input.  The voice, when on,
says what a page asks; a key cuts it off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO

from rich.console import Console
from rich.text import Text

from psoas_cli.ui.console import ascii_text
from psoas_cli.ui.screen import Screen
from psoas_cli.ui.sound import Voice
from psoas_cli.ui.terminal import to_ascii

LIVE, PLAIN, LINES = "live", "plain", "lines"
Wait = Callable[[float | None], "str | None"]


class Talk:
    """One run's pages and keys.  ``wait`` is the keyboard's (None: line by line
    from ``stdin``); ``screen`` the live screen, shared with the player."""

    def __init__(self, console: Console, *, mode: str, wait: Wait | None,
                 stdin: IO[str] | None = None, voice: Voice | None = None,
                 unicode: bool = True, screen: Screen | None = None) -> None:
        self.console = console
        self.mode = mode
        self.wait = wait
        self.stdin = stdin
        self.voice = voice
        self.unicode = unicode
        self.screen = screen or (Screen(console) if mode == LIVE else None)
        self.ended = False  # line by line: the input has ended

    @property
    def width(self) -> int:
        return self.console.size[0] if self.mode == LIVE else min(self.console.width, 80)

    @property
    def height(self) -> int:
        return self.console.size[1]

    # -- showing ------------------------------------------------------------------------

    def page(self, lines: Sequence[Text | str], keys: str = "") -> None:
        """Show ``lines`` with ``keys`` at the foot: the whole window when live
        (the keys on its last row), else printed as lines."""
        texts = [line if isinstance(line, Text) else Text(line) for line in lines]
        if self.mode == LIVE:
            width, height = self.console.size
            body = texts[:max(0, height - (2 if keys else 0))]
            if keys:
                body += [Text()] * (height - 1 - len(body)) + [Text(keys, style="dim")]
            if not self.unicode:
                body = [ascii_text(t) for t in body]
            assert self.screen is not None  # made with the live mode
            self.screen.show([_fit(t, width) for t in body], (width, height))
            return
        plain = [t.plain.rstrip() for t in texts]
        if keys:
            plain.append(keys)
        self._print(plain)

    def note(self, text: str) -> None:
        """A line printed in plain runs (a confirmation); nothing on the live screen."""
        if self.mode != LIVE:
            self._print([text])

    def _print(self, lines: list[str]) -> None:
        text = "".join(line + "\n" for line in lines)
        if not self.unicode:
            text = to_ascii(text)
        self.console.file.write(text)
        self.console.file.flush()

    def say(self, text: str) -> None:
        if self.voice is not None and text:
            self.voice.say(text)

    def hush(self) -> None:
        if self.voice is not None:
            self.voice.hush()

    # -- keys ---------------------------------------------------------------------------

    def key(self, timeout: float | None) -> str | None:
        """The next key within ``timeout`` (None: no limit); line by line, the
        next line read, or None once the input has ended."""
        if self.wait is not None:
            return self.wait(timeout)
        return self.line()

    def line(self) -> str | None:
        if self.ended or self.stdin is None:
            self.ended = True
            return None
        try:
            text = self.stdin.readline()
        except (OSError, ValueError):
            text = ""
        if not text:
            self.ended = True
            return None
        return text.strip()


def _fit(text: Text, width: int) -> Text:
    if len(text.plain) <= width:
        return text
    cut = text.copy()
    cut.truncate(width)
    return cut
