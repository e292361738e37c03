"""The Console psoas prints through, and printing a view on it."""

from __future__ import annotations

import sys
from typing import IO

from rich.console import Console, RenderableType
from rich.text import Text

from .terminal import plain_wanted


def make_console(stream: IO[str] | None = None) -> Console:
    stream = stream or sys.stdout
    if plain_wanted(stream):
        return Console(file=stream, color_system=None, highlight=False, emoji=False,
                       force_terminal=False)
    return Console(file=stream, highlight=False, emoji=False)


def emit(console: Console, renderable: RenderableType) -> None:
    """Print a view; plain output gets no escape codes and no padding at the line ends."""
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
