"""What the output stream can do: redraw a screen, show colour, print a character.

The one place that decides, for every view, whether a stream can take box
drawing, block and braille characters (a UTF-8 terminal) or only ASCII
(``PYTHONIOENCODING=ascii``, a C locale without UTF-8, an old code page), and
the ASCII stand-ins used then.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Mapping
from typing import IO, Any

try:
    import termios  # POSIX terminals; not on Windows
except ImportError:  # pragma: no cover - Windows
    termios = None  # type: ignore[assignment]


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
    return termios is not None


def reads_keys(stream: Any) -> bool:
    """Keys can be read from ``stream`` as they are typed: a terminal, with termios."""
    return is_tty(stream) and keys_available()


def plain_wanted(stream: IO[str] | None = None) -> bool:
    """True when output must carry no escape codes at all.

    NO_COLOR alone would still let Rich print bold and dim; users who set
    it, pipes and dumb terminals get text only.
    """
    return bool(os.environ.get("NO_COLOR")) or not can_redraw(stream or sys.stdout)


# -- characters ------------------------------------------------------------------

def can_encode(stream: Any, sample: str) -> bool:
    """True when every character of ``sample`` can be written to ``stream``.

    A stream with no encoding (io.StringIO) holds any text, as Rich assumes.
    """
    try:
        sample.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


# Every character psoas's own views draw beyond ASCII.
DRAWN = "─━…·░▒▓█▀▄→←"


def unicode_ok(stream: Any, environ: Mapping[str, str] | None = None,
               coerced: bool | None = None) -> bool:
    """Whether ``stream`` takes psoas's rules, bars, blocks and arrows: it can
    encode them, and the user's locale is not C or POSIX (``c_locale``), where
    Python writes UTF-8 by itself to a terminal that may well not show it.
    Every view, the live screens and the figure (ui/figures/view.choose_mode)
    decide by this."""
    return not c_locale(environ, coerced) and can_encode(stream, DRAWN)


# What Python sets LC_CTYPE to when it coerces a C locale (PEP 538); it does
# so in its own environment, where it would hide the LANG=C the user gave.
_COERCED = ("C.UTF-8", "C.utf8", "UTF-8")


def c_locale(environ: Mapping[str, str] | None = None, coerced: bool | None = None) -> bool:
    """Whether the user's locale is C or POSIX: the terminal may well not show
    UTF-8, even though Python writes it.  ``coerced``: Python started in a C
    locale and switched to UTF-8 by itself (its UTF-8 mode is on)."""
    environ = os.environ if environ is None else environ
    if coerced is None:
        coerced = bool(sys.flags.utf8_mode)
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):  # the first one set decides
        value = environ.get(name)
        if name == "LC_CTYPE" and coerced and value in _COERCED:
            continue  # Python's doing, not the user's
        if value:
            return value in ("C", "POSIX")
    return coerced  # nothing set but Python's own LC_CTYPE: the C locale


def half_blocks(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal shows the half blocks ▀ and ▄ (and ▓): not the
    Linux text console, whose usual fonts lack them (Debian's default,
    Lat15-Fixed16, has the full block █, ░ and ▒, and no more; 139 of the
    456 fonts console-setup installs have both halves).  Big letters,
    digits and figures are drawn with full blocks there."""
    environ = os.environ if environ is None else environ
    return environ.get("TERM") != "linux"


def under_screen(environ: Mapping[str, str] | None = None) -> bool:
    """Whether psoas runs inside GNU screen (not tmux, whose TERM may say
    'screen' too): its terminfo draws italics (SGR 3) as reverse video, and
    its stock configuration ignores the alternate screen and keeps no stack
    of window titles."""
    environ = os.environ if environ is None else environ
    if environ.get("TMUX"):
        return False
    return bool(environ.get("STY")) or environ.get("TERM", "").startswith("screen")


def xterm_256(environ: Mapping[str, str] | None = None) -> bool:
    """Whether TERM names plain xterm (``xterm``, ``xterm-color``), whose
    terminfo lists eight colours though xterm, and every terminal that calls
    itself xterm, shows all 256: so psoas's colours (ui/palette), which read
    on a light window, are not traded for xterm's yellow, which does not."""
    environ = os.environ if environ is None else environ
    return environ.get("TERM", "") in ("xterm", "xterm-color")


def title_stack(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal keeps a stack of window titles (xterm's window
    operations 22 and 23), so a title psoas sets can be taken back: not
    rxvt-unicode, nor anything under GNU screen, which leave the title empty
    or their own; not the Linux console, which has no window."""
    environ = os.environ if environ is None else environ
    term = environ.get("TERM", "")
    return not (term == "linux" or term.startswith("rxvt") or under_screen(environ))


# What the Linux console's usual fonts lack, as the nearest they have: the
# heat map's second darkest shade as the darkest (its colour still tells them
# apart).
_CONSOLE = str.maketrans({"▓": "█"})


def for_console(text: str) -> str:
    """``text`` with the drawing characters the Linux console lacks replaced."""
    return text.translate(_CONSOLE)


# One ASCII character for each drawn one, so a laid-out line keeps its width;
# the heat map's shades keep their order of darkness.
_ASCII = str.maketrans({"─": "-", "━": "=", "…": "~", "·": ".", "░": ":", "▒": "+",
                        "▓": "%", "█": "#", "▀": '"', "▄": "_", "→": ">", "←": "<"})


def to_ascii(text: str) -> str:
    """``text`` with psoas's drawing characters as ASCII (' · ' becomes ' | ')."""
    return text.replace(" · ", " | ").translate(_ASCII)


# -- streams that are gone ----------------------------------------------------------

class ClosedStream(io.TextIOBase):
    """Stands in for a stream the shell closed (``psoas play ... >&-``): writing
    to it fails as writing to a closed pipe does."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "the output is closed")

    def isatty(self) -> bool:
        return False


def let_go(stream: Any) -> None:
    """After the reader of ``stream`` went away (a closed pipe, a hung-up
    terminal): point its descriptor at /dev/null, so Python's last flush at
    exit has nowhere to fail and prints no 'Exception ignored' to stderr."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


# A window is never wider or taller than this: COLUMNS=99999999999 is a mistake,
# and a view laid out to it would fill the memory.
WIDEST = 1000


def env_size(env: Mapping[str, str], name: str) -> int | None:
    """COLUMNS or LINES, when it is a size: a whole number from 1 to WIDEST.
    Anything else ('abc', '0', '-5', '99999999999', empty) is ignored, as if
    it were not set; it is never an error.  The one reading of both, for
    psoas's views, Rich's console and Click's help alike."""
    value = env.get(name, "")
    if value.isascii() and value.isdigit() and len(value) <= 4 and 0 < int(value) <= WIDEST:
        return int(value)
    return None


def sized_env(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` without a COLUMNS or LINES that ``env_size`` ignores: what Rich
    reads (it would take COLUMNS=0 as no width at all, and a huge one whole)."""
    return {name: value for name, value in env.items()
            if name not in ("COLUMNS", "LINES") or env_size(env, name) is not None}


def columns(stream: Any, env: Mapping[str, str]) -> int:
    """How wide output to ``stream`` may be, as Rich works it out: COLUMNS, else
    the terminal's width, else 80."""
    given = env_size(env, "COLUMNS")
    if given is not None:
        return given
    try:
        return min(os.get_terminal_size(stream.fileno()).columns, WIDEST) or 80
    except (AttributeError, OSError, ValueError):
        return 80
