"""The Console psoas prints through, and printing a view on it."""

from __future__ import annotations

import os
import sys
from typing import IO

from rich.console import Console, RenderableType
from rich.style import Style
from rich.text import Span, Text

from psoas_cli.ui.table import Line, as_text, plain
from psoas_cli.ui.terminal import (
    for_console,
    half_blocks,
    is_tty,
    plain_wanted,
    sized_env,
    to_ascii,
    under_screen,
    unicode_ok,
    xterm_256,
)


def make_console(stream: IO[str] | None = None) -> Console:
    stream = stream or sys.stdout
    # Rich reads COLUMNS and LINES itself: it is given them only as psoas reads them.
    environ = sized_env(os.environ)
    if plain_wanted(stream):
        return Console(file=stream, color_system=None, highlight=False, emoji=False,
                       force_terminal=False, _environ=environ)
    console = Console(file=stream, highlight=False, emoji=False, _environ=environ)
    if console.color_system == "standard" and xterm_256():
        console = Console(file=stream, highlight=False, emoji=False, color_system="256",
                          _environ=environ)
    return console


def emit(console: Console, renderable: RenderableType) -> None:
    """Print a view; plain output gets no escape codes and no padding at the line ends,
    and a stream that cannot take psoas's rules and blocks gets ASCII ones."""
    if isinstance(renderable, Text):
        renderable = printable(renderable, console.file)
        if console.color_system is not None and under_screen():
            renderable = _without_italics(renderable)
    if console.color_system is not None:
        console.print(renderable, crop=True)
        return
    if isinstance(renderable, Text):  # the common case, without Rich's line breaking
        lines = renderable.plain.split("\n")
    else:
        with console.capture() as captured:
            console.print(renderable)
        lines = captured.get().splitlines()
    console.file.write("".join(line.rstrip() + "\n" for line in lines))
    console.file.flush()


def emit_lines(console: Console, lines: list[Line]) -> None:
    """Print table.py's lines as ``emit`` prints their Text, without making one
    where there are no styles to show: plain output, a line at a time."""
    if console.color_system is not None:
        emit(console, as_text(lines))
        return
    text = "".join(plain(line) + "\n" for line in lines)
    if not unicode_ok(console.file):
        text = to_ascii(text)
    elif not half_blocks() and is_tty(console.file):
        text = for_console(text)
    console.file.write(text)
    console.file.flush()


def _without_italics(text: Text) -> Text:
    """``text`` with no italics: GNU screen shows them as reverse video."""
    copy = text.copy()
    copy.style = Style.parse(str(text.style)) + _NOT_ITALIC if text.style else text.style
    copy.spans = [Span(span.start, span.end, Style.parse(str(span.style)) + _NOT_ITALIC)
                  for span in text.spans]
    return copy


_NOT_ITALIC = Style(italic=False)


def printable(text: Text, stream: IO[str]) -> Text:
    """``text`` as ``stream`` can print it: psoas's drawing characters in ASCII
    when the stream cannot encode them, and those the Linux console's fonts
    lack as the nearest they have (styles kept: each stand-in is one
    character)."""
    if not unicode_ok(stream):
        return ascii_text(text)
    if not half_blocks() and is_tty(stream):
        copy = text.copy()
        copy.plain = for_console(text.plain)
        return copy
    return text


def ascii_text(text: Text) -> Text:
    """``text`` with psoas's drawing characters in ASCII, styles kept."""
    copy = text.copy()
    copy.plain = to_ascii(text.plain)
    return copy
