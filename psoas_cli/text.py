"""Text from files and arguments made safe to put on a terminal.

Pure Python.  A name, a description or a command-line argument may hold
terminal control sequences (ESC, BEL, C1 codes), newlines, lone surrogates
from undecodable arguments, or bidirectional overrides that reorder what is
shown.  ``clean`` turns each such character into a visible escape such as
``\\x1b``, so it is shown as text and never acts on the terminal; ``line``
does the same to whitespace as well, for messages that must stay on one
line; ``clip`` and ``shown`` keep whatever is echoed back short.

The data files are cleaned once, as they are read (yamlfile.text), and error
messages once more at the edge, so every view can trust what it prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# C0 controls and DEL, C1 controls, bidirectional overrides and isolates,
# and lone surrogates (what surrogateescape makes of bytes that are not UTF-8).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
CLIP = 60  # characters of an echoed value
ENV_CLIP = 40  # characters of an environment variable's value: NAME=value fits a line


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape): the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """``text`` with every control character shown as an escape; ordinary
    whitespace (space, tab, newline) is kept as it is."""
    if text.isprintable():  # the common case, at C speed
        return text
    return _UNSAFE.sub(lambda m: m.group() if m.group() in "\t\n" else _escape(m), text)


def line(text: str) -> str:
    """``text`` on one line: control characters and line breaks as escapes."""
    if text.isprintable():
        return text
    return _UNSAFE.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text with every control character that json.dumps leaves as it is
    (DEL, C1 such as U+009B, bidirectional overrides, lone surrogates) written
    as its \\u escape: the same JSON, the same text when read, and nothing a
    terminal acts on.  (Outside strings, JSON holds only ASCII punctuation.)"""
    if text.isprintable() or not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group() if m.group() in "\n" else f"\\u{ord(m.group()):04x}",
                       text)


def clip(text: str, limit: int = CLIP) -> str:
    """At most ``limit`` characters, ending in '...' when cut."""
    if len(text) <= limit:
        return text
    return text[:max(0, limit - 3)] + "..."


def clip_middle(text: str, limit: int = 76) -> str:
    """At most ``limit`` characters, with '...' for what was cut from the
    middle: a long path keeps where it starts and its file's name."""
    if len(text) <= limit:
        return text
    head = (limit - 3) // 2
    return text[:head] + "..." + text[len(text) - (limit - 3 - head):]


def shown(value: Any, limit: int = CLIP) -> str:
    """A value from a file or an argument, as it may be echoed in a message.

    Text and numbers are shown, clipped, on one line; a list or a mapping is
    never formatted whole (an alias bomb would expand it), only named.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = _float_text(value) if isinstance(value, float) else _int_text(value)
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (list, tuple)):
        return "a list"
    elif isinstance(value, dict):
        return "a mapping"
    elif value is None:
        return "nothing"
    else:
        text = type(value).__name__
    return line(clip(text, limit))


def _float_text(value: float) -> str:
    """``value`` as short as it can be written and still be told apart from its
    neighbours: 240.0000001 is not '240' (which would read 'at most 240, not
    240'), and 0.1 + 0.2 is '0.3'."""
    text = f"{value:.15g}"
    return text if float(text) == value else repr(value)


def quoted(value: Any, limit: int = CLIP) -> str:
    """``shown``, with text in quotes: 'must be a number, not 'ten''."""
    return f"'{shown(value, limit)}'" if isinstance(value, str) else shown(value, limit)


def _int_text(value: int) -> str:
    # Python refuses to print an int of more than 4,300 digits, and a huge
    # one is slow to print anyway.
    return str(value) if value.bit_length() <= 64 else "a huge number"


def kind(value: Any) -> str:
    """What sort of value a file gave, for 'must be a number, not text'."""
    names = {bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)


def fold(text: str, width: int, *, indent: str = "") -> list[str]:
    """``text`` wrapped at spaces to ``width``, ``indent`` before each line after
    the first; a word longer than a line, such as a path, stays whole on a
    line of its own (with the indent), so it can still be copied."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append((indent if lines else "") + word)
    return lines


def close_matches(word: str, known: Iterable[str], *, n: int = 3,
                  cutoff: float = 0.6) -> list[str]:
    """Did-you-mean: up to ``n`` of ``known`` that look like ``word``, the closest first."""
    import difflib  # noqa: PLC0415 - 1.2 ms, only when something was mistyped

    return difflib.get_close_matches(word, list(known), n=n, cutoff=cutoff)


def either(names: Iterable[str], *, quote: bool = False) -> str:
    """``a or b``, ``a, b or c``; with ``quote``, ``'a' or 'b'``."""
    words = [f"'{name}'" if quote else name for name in names]
    return " or ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " or " + words[-1]
