"""The user's settings: ``config.toml`` in the psoas folder.

Pure Python.  The file is a flat list of ``key = value`` lines in TOML
syntax: text in double quotes, numbers, true or false, and ``#`` comments.
psoas reads that subset itself rather than with ``tomllib``, which Python
3.10 lacks, and which would not say which line is wrong; the files it reads
are valid TOML all the same, so editors colour them and ``tomllib`` agrees.

A setting is a default: the command line and the environment beat it
(Click's ``default_map`` carries it to the options), and it beats psoas's
built-in default.  Writing (``with_value``, ``without``) edits the text line by
line, so comments and the order of the lines are kept.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from psoas_cli import limits
from psoas_cli.errors import ConfigError
from psoas_cli.files import boundedread
from psoas_cli.files.datafiles import CONFIG
from psoas_cli.model import levels
from psoas_cli.text import close_matches, either, quoted, shown

FILE_NAME = CONFIG
MOST_MINUTES = limits.MINUTES.high
MOST_SETUP = limits.PAUSE.high




class Key(NamedTuple):  # not a dataclass: cheaper to define at every start
    name: str
    meaning: str  # what it sets, for 'psoas config list'
    choices: tuple[str, ...] = ()  # text keys: the words it may be
    flag: bool = False  # true or false
    least: float | None = None  # number keys: the range, and whether 0 itself is allowed
    most: float | None = None
    zero: bool = True
    unset: str = ""  # what psoas does when nothing sets it
    path: bool = False  # a folder (text, with ~ for the home folder)

    @property
    def env(self) -> str:
        return f"PSOAS_{self.name.upper()}"

    def check(self, value: Any) -> Any:
        """``value`` as read from the file, checked; raises ValueError with the reason."""
        if self.choices:
            if not isinstance(value, str) or value.lower() not in self.choices:
                raise ValueError(f"must be {either(self.choices)}, not {quoted(value)}")
            return value.lower()
        if self.flag:
            if not isinstance(value, bool):
                raise ValueError(f"must be true or false, not {quoted(value)}")
            return value
        if self.path:
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"must be a folder, not {quoted(value)}")
            if not value.isprintable():
                raise ValueError("must be a folder's name, without control characters")
            if not os.path.isabs(os.path.expanduser(value)):
                raise ValueError(f"must be a whole path (from / or ~), not {quoted(value)}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number, not {quoted(value)}")
        least, most = self.least, self.most
        if least is None or most is None:
            raise TypeError(f"'{self.name}' is a number key without its range")
        if not math.isfinite(value) or value < least or value > most or (
                value == 0 and not self.zero):
            span = (f"from {least:g} to {most:g}" if self.zero
                    else f"more than {least:g} and at most {most:g}")
            raise ValueError(f"must be {span}, not {shown(value)}")
        return value

    def parse(self, text: str) -> Any:
        """A value typed on the command line (``psoas config set``), checked."""
        if self.path:
            return self.check(text)
        word = text.strip().lower()
        if self.flag:
            truth = {"true": True, "yes": True, "on": True, "1": True,
                     "false": False, "no": False, "off": False, "0": False}
            if word not in truth:
                raise ValueError(f"must be true or false, not '{text}'")
            return truth[word]
        if self.choices:
            return self.check(word)
        try:
            if not word.isascii():  # float() would take '١٢'
                raise ValueError(word)
            number = float(word)
        except ValueError:
            raise ValueError(f"must be a number, not '{shown(text)}'") from None
        return self.check(int(number) if number.is_integer() else number)


KEYS = {key.name: key for key in (
    Key("sound", "how each change of phase is cued", choices=("bell", "voice", "both", "none"),
        unset="bell"),
    Key("level", "how hard routines are", choices=levels.NAMES,
        unset="each routine's own, else standard"),
    Key("wait", "wait for Enter at each switch of sides", flag=True, unset="false"),
    Key("minutes", "fit every routine to this many minutes", least=0, most=MOST_MINUTES,
        zero=False, unset="each routine's own length"),
    Key("setup", "seconds to get into position for every stretch", least=0,
        most=MOST_SETUP, unset="each stretch's own"),
    Key("sync_dir", "a folder to sync your history through", path=True,
        unset="no syncing"),
)}

HEADER = """\
# psoas settings. 'psoas config set KEY VALUE' writes them, or edit this file:
# one 'key = value' a line, text in double quotes. The command line and the
# environment (PSOAS_SOUND, ...) win over these. 'psoas config list' shows all.
"""


# -- reading ---------------------------------------------------------------------------

_LINE = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=\s*(.*)$")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def parse(text: str, path: str) -> dict[str, Any]:
    """The settings in ``text``, checked; raises ConfigError naming the line and key."""
    found: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            raise ConfigError("psoas's settings are plain 'key = value' lines, without "
                              "[tables]", path=path, line=number)
        match = _LINE.match(line)
        if not match:
            raise ConfigError("expected 'key = value'", path=path, line=number)
        name, rest = match.groups()
        key = KEYS.get(name)
        if key is None:
            close = close_matches(name, KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"keys: {', '.join(KEYS)}"
            raise ConfigError(f"unknown ({hint})", path=path, line=number, item=name)
        if name in found:
            raise ConfigError("set twice; keep one", path=path, line=number, item=name)
        try:
            value, end = scalar(rest)
            if rest[end:].strip() and not rest[end:].strip().startswith("#"):
                raise ValueError("has more after its value; put a comment after '#'")
            found[name] = key.check(value)
        except ValueError as exc:
            raise ConfigError(str(exc), path=path, line=number, item=name) from None
    return found


def scalar(text: str) -> tuple[Any, int]:
    """The TOML value at the start of ``text`` and where it ends."""
    if text.startswith('"'):
        return _basic_string(text)
    if text.startswith("'"):
        end = text.find("'", 1)
        if end < 0:
            raise ValueError("text has no closing quote")
        return text[1:end], end + 1
    for word, value in (("true", True), ("false", False)):
        if re.match(word + r"\b", text):
            return value, len(word)
    match = _NUMBER.match(text)
    if match and not re.match(r"[\w.]", text[match.end():match.end() + 1]):
        number = match.group()
        return (float(number) if "." in number or "e" in number.lower()
                else int(number)), match.end()
    word = re.split(r"[\s#]", text, maxsplit=1)[0]  # up to a space or a comment
    raise ValueError(f"write text in double quotes: \"{word}\"" if word else "has no value")


def _basic_string(text: str) -> tuple[str, int]:
    out: list[str] = []
    index = 1
    while index < len(text):
        char = text[index]
        if char == '"':
            return "".join(out), index + 1
        if char == "\\":
            code = text[index + 1:index + 2]
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
                index += 2
                continue
            if code == "u" and re.fullmatch(r"[0-9A-Fa-f]{4}", text[index + 2:index + 6]):
                out.append(chr(int(text[index + 2:index + 6], 16)))
                index += 6
                continue
            raise ValueError(f"text has an unknown escape '\\{code}'")
        out.append(char)
        index += 1
    raise ValueError("text has no closing quote")


def read(path: str) -> dict[str, Any]:
    """The settings in the file at ``path``; none when there is no file."""
    try:
        text = read_text(path)
    except (FileNotFoundError, NotADirectoryError):  # no file, or no psoas folder
        return {}
    return parse(text, path)


def read_text(path: str) -> str:
    """The file's text, read as boundedread.py does (a FIFO there must not hang
    psoas); FileNotFoundError when there is none, ConfigError when it can't be read."""
    try:
        return boundedread.read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path=path) from None
    except (FileNotFoundError, NotADirectoryError) as exc:
        if os.path.islink(path):  # a link to nothing is a mistake to name, not no file
            raise ConfigError(boundedread.problem(exc, path), path=path) from None
        raise
    except OSError as exc:
        raise ConfigError(boundedread.problem(exc, path), path=path) from None


def from_env(env: Mapping[str, str]) -> dict[str, tuple[str, Any]]:
    """Settings the environment gives: key -> (variable, value), checked."""
    found: dict[str, tuple[str, Any]] = {}
    for key in KEYS.values():
        raw = env.get(key.env)
        if raw:
            try:
                found[key.name] = (key.env, key.parse(raw))
            except ValueError as exc:
                raise ConfigError(f"{key.env}={raw}: {exc}") from None
    return found


# -- writing -------------------------------------------------------------------------

def literal(value: Any) -> str:
    """``value`` written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # Only to write text: 'psoas config' and its TAB completion go without.
        import json  # noqa: PLC0415 - 1.7 ms

        return json.dumps(value)  # a JSON string is a TOML basic string
    return f"{value:g}" if isinstance(value, float) else str(value)


def _setting(line: str) -> re.Match[str] | None:
    """The ``key = value`` match of a line that sets a key (not a comment)."""
    match = _LINE.match(line)
    return match if match and not line.lstrip().startswith("#") else None


def key_of(line: str) -> str | None:
    match = _setting(line)
    return match.group(1) if match else None


def with_value(text: str, name: str, value: Any) -> str:
    """``text`` with ``name`` set to ``value``: its line changed in place (keeping
    a comment after it), else a line added at the end."""
    lines = text.splitlines(keepends=True)
    new = f"{name} = {literal(value)}"
    for index, line in enumerate(lines):
        match = _setting(line)
        if match and match.group(1) == name:
            rest = match.group(2)
            try:
                comment = rest[scalar(rest)[1]:].strip()
            except ValueError:
                comment = ""
            ending = "\n" if line.endswith("\n") else ""
            lines[index] = new + (f"  {comment}" if comment.startswith("#") else "") + ending
            return "".join(lines)
    if not text.strip():
        text = HEADER
    return text + ("" if text.endswith("\n") else "\n") + new + "\n"


def without(text: str, name: str) -> str:
    """``text`` without the lines that set ``name``."""
    return "".join(line for line in text.splitlines(keepends=True) if key_of(line) != name)
