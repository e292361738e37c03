"""What the output stream can do: redraw a screen, show colour, or neither."""

from __future__ import annotations

import os
import sys
from typing import IO, Any, Mapping


def is_tty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def can_redraw(stream: IO[str]) -> bool:
    """A terminal that moves the cursor: not a pipe, file or dumb terminal."""
    return is_tty(stream) and os.environ.get("TERM", "") not in ("dumb", "unknown")


def keys_available() -> bool:
    """Whether keys can be read as they are typed: a POSIX terminal (termios).

    Not on Windows, where routines play line by line without key controls.
    """
    from importlib.util import find_spec

    return find_spec("termios") is not None


def reads_keys(stream: Any) -> bool:
    """Keys can be read from ``stream`` as they are typed: a terminal, with termios."""
    return is_tty(stream) and keys_available()


def plain_wanted(stream: IO[str] | None = None) -> bool:
    """True when output must carry no escape codes at all.

    NO_COLOR alone would still let Rich print bold and dim; users who set
    it, pipes and dumb terminals get text only.
    """
    return bool(os.environ.get("NO_COLOR")) or not can_redraw(stream or sys.stdout)


def columns(stream: Any, env: Mapping[str, str]) -> int:
    """How wide output to ``stream`` may be, as Rich works it out: COLUMNS, else
    the terminal's width, else 80."""
    value = env.get("COLUMNS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return 80
