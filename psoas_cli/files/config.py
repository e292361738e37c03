"""The user's settings: ``config.toml`` in the psoas folder.

Pure Python.  The file is a flat list of ``key = value`` lines in TOML:
text in quotes, numbers, true or false, and ``#`` comments.  It is read
with ``tomllib`` (``tomli`` on Python 3.10), so any valid TOML reads as
TOML says (``minutes = 1_0`` is 10); psoas then checks each value, and
says what is wrong in one line naming the line: tomllib names the line of
a syntax error, and psoas finds the line of each key in the text.

A setting is a default: the command line and the environment beat it
(Click's ``default_map`` carries it to the options), and it beats psoas's
built-in default.  Writing (``with_value``, ``without``) edits the text line by
line, so comments and the order of the lines are kept.
"""

from __future__ import annotations

import math
import os
import re
import sys
from types import ModuleType
from typing import Any, NamedTuple

from psoas_cli import limits
from psoas_cli.errors import ConfigError, ReminderError, SettingError
from psoas_cli.files import boundedread
from psoas_cli.files.datafiles import CONFIG
from psoas_cli.model import checkins as checkin_modes
from psoas_cli.model import levels
from psoas_cli.model.durations import MINUTE, parse_duration
from psoas_cli.text import ENV_CLIP, close_matches, either, quoted, shown

FILE_NAME = CONFIG
MOST_MINUTES = limits.MINUTES.high
MOST_SETUP = limits.PAUSE.high
MOST_IDLE = 24 * 60  # minutes: a day


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
    days: bool = False  # a list of weekdays, such as "sat,sun", or "none"
    # Minutes, also written as a duration (10m, 1h30m, 90s: as --idle takes
    # it); 0 or off: never.  ``least`` and ``most`` bound it, 0 aside.
    duration: bool = False

    @property
    def env(self) -> str:
        return f"PSOAS_{self.name.upper()}"

    def check(self, value: Any) -> Any:
        """``value`` as read from the file, checked; raises ValueError with the reason."""
        if self.days:
            return weekdays_text(value)
        if self.duration:
            return self._minutes(value)
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
        if self.days:
            return self.check(text)
        if self.flag:
            truth = {"true": True, "yes": True, "on": True, "1": True,
                     "false": False, "no": False, "off": False, "0": False}
            if word not in truth:
                raise ValueError(f"must be true or false, not {quoted(text)}")
            return truth[word]
        if self.choices or self.duration:
            return self.check(word)
        try:
            if not word.isascii():  # float() would take '١٢'
                raise ValueError(word)
            number = float(word)
        except ValueError:
            raise ValueError(f"must be a number, not '{shown(text)}'") from None
        return self.check(int(number) if number.is_integer() else number)

    def _minutes(self, value: Any) -> float:
        """A duration key's value: minutes (a number), or a duration as text."""
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(f"must be a duration such as 10m, or 0 for never, not "
                             f"{quoted(value)}")
        if isinstance(value, str) and value.strip().lower() in ("0", "off", "never"):
            return 0
        if not isinstance(value, str):
            if value == 0:
                return 0
            value = f"{value:g}" if math.isfinite(value) and value > 0 else str(value)
        try:
            seconds = parse_duration(value, least=(self.least or 0) * MINUTE or 1,
                                     most=(self.most or 0) * MINUTE)
        except ReminderError as exc:
            raise ValueError(f"must be a duration such as 10m, or 0 for never: {exc}") from None
        minutes = round(seconds / MINUTE, 4)
        return int(minutes) if minutes.is_integer() else minutes


KEYS = {key.name: key for key in (
    Key("sound", "how each change of phase is cued", choices=("bell", "voice", "both", "none"),
        unset="bell"),
    Key("level", "how hard routines are", choices=levels.NAMES,
        unset="each routine's own, else standard"),
    Key("wait", "wait for Enter before each stretch and at each switch of sides", flag=True,
        unset="false"),
    Key("start_wait", "wait for Enter or space on the before-you-start card", flag=True,
        unset="true"),
    Key("minutes", "fit every routine to this many minutes", least=0, most=MOST_MINUTES,
        zero=False, unset="each routine's own length"),
    Key("setup", "seconds to get into position for every stretch", least=0,
        most=MOST_SETUP, unset="each stretch's own"),
    Key("idle", "minutes without input that count as a break (0: never)", least=1,
        most=MOST_IDLE, unset="5", duration=True),
    Key("rest_days", "days that never break a streak", days=True, unset="sat,sun"),
    Key("checkin", "ask how hips and back feel, before or after routines",
        choices=checkin_modes.MODES, unset="off"),
    Key("checkin_sides", "in check-ins, ask each hip", flag=True, unset="false"),
    Key("sync_dir", "a folder to sync your history through", path=True,
        unset="no syncing"),
    Key("figure_style", "how pose figures are drawn",
        choices=("braille", "blocks", "ascii", "none"),
        unset="braille, else what the terminal can show"),
)}

HEADER = """\
# psoas settings. 'psoas config set KEY VALUE' writes them, or edit this file:
# one 'key = value' a line, text in double quotes. The command line and the
# environment (PSOAS_SOUND, ...) win over these. 'psoas config list' shows all.
"""

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAYS_EXAMPLE = 'write days such as "sat,sun", or "none"'


def weekdays_text(value: Any) -> str:
    """Weekdays as written ("Sat, Sun", "fri sat", "saturday", "none"), checked, in
    the one form psoas writes back: "sat,sun" (Monday first), or "none"."""
    if not isinstance(value, str):
        raise ValueError(f"must be text; {_DAYS_EXAMPLE}, not {quoted(value)}")
    words = value.lower().replace(",", " ").split()
    if words == ["none"]:
        return "none"
    found = set()
    for word in words:
        day = next((n for n, name in enumerate(DAY_NAMES)
                    if len(word) >= 3 and name.startswith(word)), None)
        if day is None:
            raise ValueError(f"{quoted(word, 20)} is not a day of the week; {_DAYS_EXAMPLE}")
        found.add(day)
    if not found:
        raise ValueError(f"names no day; {_DAYS_EXAMPLE}")
    return ",".join(DAY_NAMES[n][:3] for n in sorted(found))


def weekdays(text: str) -> frozenset[int]:
    """The weekday numbers (Monday 0) of a checked ``weekdays_text``."""
    short = [name[:3] for name in DAY_NAMES]
    return frozenset(short.index(d) for d in text.split(",") if d in short)


# -- reading ---------------------------------------------------------------------------

# A line that sets a key: the key (bare, or in quotes without escapes) and its value.
_LINE = re.compile(r"""\ufeff?\s*([A-Za-z0-9_-]+|"[^"\\]*"|'[^']*')\s*=\s*(.*)$""")
TABLES = "psoas's settings are plain 'key = value' lines, without [tables]"


def parse(text: str, path: str) -> dict[str, Any]:
    """The settings in ``text``, checked; raises ConfigError naming the line and key.

    A byte order mark at the start (some editors write one) is left out.
    """
    toml = _toml()
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")  # as TOML counts them: a line ends at "\n" (or "\r\n")
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        raise _syntax_error(toml, str(exc), lines, path) from None
    places = {name: _place(name, lines) for name in data}
    found: dict[str, Any] = {}
    for name in sorted(data, key=lambda name: places[name][0] or 0):  # the file's order
        number, plain = places[name]
        if not plain:  # [name], or name.part = ...
            raise ConfigError(TABLES, path=path, line=number)
        key = KEYS.get(name)
        if key is None:
            close = close_matches(name, KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"keys: {', '.join(KEYS)}"
            raise ConfigError(f"unknown ({hint})", path=path, line=number, item=name)
        try:
            found[name] = key.check(data[name])
        except ValueError as exc:
            raise ConfigError(str(exc), path=path, line=number, item=name) from None
    return found


def _toml() -> ModuleType:
    """tomllib, or tomli before Python 3.11: loaded only to read a file, as most
    runs of psoas have none."""
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415 - 2.7 ms, only when there is a config file

        return tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli  # type: ignore[import-not-found]  # noqa: PLC0415 - as costly

        return tomli  # type: ignore[no-any-return]


def _place(name: str, lines: list[str]) -> tuple[int | None, bool]:
    """The number of the line that sets ``name``, and whether it is a plain
    ``key = value`` rather than a [table] or a dotted key; no number if it is
    written in a way not looked for (with escapes)."""
    key = "|".join(re.escape(form) for form in (name, f'"{name}"', f"'{name}'"))
    pattern = re.compile(rf"\s*(?:(?:{key})\s*([=.])|\[\[?\s*(?:{key})\s*[].])")
    for number, line in enumerate(lines, 1):
        match = pattern.match(line)
        if match:
            return number, match.group(1) == "="
    return None, True


_POSITION = re.compile(r"\s*\((?:at line (\d+), column \d+|at end of document)\)$")


def _syntax_error(toml: ModuleType, message: str, lines: list[str],
                  path: str) -> ConfigError:
    """What TOML found wrong, in psoas's words, naming the line and its key.

    TOML names the line; or the end of the file, when something opened there
    (a quote, a list) is never closed: then the first line that can't be read
    on its own is the one to mend.
    """
    at = _POSITION.search(message)
    number = int(at.group(1)) if at and at.group(1) else None
    if number is None:
        for place, alone in enumerate(lines, 1):
            try:
                toml.loads(alone)
            except toml.TOMLDecodeError as exc:
                number, message = place, str(exc)
                break
    message = _POSITION.sub("", message)
    line = lines[number - 1] if number else ""
    match = _LINE.match(line)
    if match:
        return ConfigError(_problem(message, match.group(2)), path=path, line=number,
                           item=_name(match))
    if line.lstrip().startswith("["):
        return ConfigError(TABLES, path=path, line=number)
    if _gist(message).startswith(("expected=afterakey", "invalidstatement")):
        return ConfigError("expected 'key = value'", path=path, line=number)
    return ConfigError(_problem(message, ""), path=path, line=number)


def _gist(message: str) -> str:
    """TOML's message without case, spaces or quotes, the same in every
    version of tomli: 'Can not overwrite' was 'Cannot overwrite' later,
    "=" was '='."""
    return re.sub(r"[\s\"']", "", message).lower()


def _problem(message: str, value: str) -> str:
    """TOML's ``message`` about a line whose value is ``value``, in psoas's words."""
    gist = _gist(message)
    word = (value.split() or [""])[0].partition("#")[0]  # up to a space or a comment
    quoted_text = value.startswith(('"', "'"))
    if gist.startswith(("cannotoverwrite", "cannotdeclare")):
        return "set twice; keep one"
    if quoted_text and (gist in ("expected", "unterminatedstring")
                        or gist.startswith("illegalcharacter\\n")):
        return "text has no closing quote"
    if gist.startswith("unescaped\\"):
        escape = re.search(r"\\[^\\\"bfnrtuU]", value)
        return "text has an unknown escape" + (f" '{escape.group()}'" if escape else "")
    if value.startswith(("[", "{")):
        return "write one value: a number, true or false, or text in quotes"
    if gist.startswith("invalidvalue"):
        if not word:
            return "has no value"
        if word.lower() in ("true", "false"):
            return f"write {word.lower()} in lower case"
        return f'write text in double quotes: "{word}"'
    if gist.startswith("expectednewlineorendofdocument"):
        if quoted_text or value[len(word):][:1].isspace():
            return "has more after its value; put a comment after '#'"
        return f"'{word}' is not a number, true or false, or text in quotes"
    return message[:1].lower() + message[1:]


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


def from_env(env: Any) -> dict[str, tuple[str, Any]]:
    """Settings the environment gives: key -> (variable, value), checked
    (SettingError, naming the variable, for a value psoas can't use)."""
    found = {}
    for key in KEYS.values():
        raw = env.get(key.env)
        if raw:
            try:
                found[key.name] = (key.env, key.parse(raw))
            except ValueError as exc:
                raise SettingError(f"{key.env}={shown(raw, ENV_CLIP)}: {exc}") from None
    return found


# -- writing -------------------------------------------------------------------------

def literal(value: Any) -> str:
    """``value`` written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + "".join(_ESCAPED.get(c, c) for c in value) + '"'  # a basic string
    return f"{value:g}" if isinstance(value, float) else str(value)


# What a TOML basic string escapes: the quote, the backslash and the controls.
_ESCAPED = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r", **{chr(c): f"\\u{c:04x}" for c in [*range(0x20), 0x7F]
                            if chr(c) not in "\b\t\n\f\r"}}


def key_of(line: str) -> str | None:
    match = _LINE.match(line)
    return _name(match) if match else None


def _name(match: re.Match[str]) -> str:
    """The key a _LINE match found, without its quotes."""
    key = match.group(1)
    return key[1:-1] if key[0] in "\"'" else key


def _comment(value: str) -> str:
    """The comment after the value at the start of ``value`` (a line's text
    after its '='), or nothing: the first '#' outside quotes."""
    quote = ""
    index = 0
    while index < len(value):
        char = value[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1  # an escaped character, a quote say
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            return value[index:].strip()
        index += 1
    return ""


def with_value(text: str, name: str, value: Any) -> str:
    """``text`` with ``name`` set to ``value``: its line changed in place (keeping
    a comment after it), else a line added at the end."""
    lines = text.splitlines(keepends=True)
    new = f"{name} = {literal(value)}"
    for index, line in enumerate(lines):
        match = _LINE.match(line)
        if match and key_of(line) == name:
            comment = _comment(match.group(2))
            mark = "\ufeff" if line.startswith("\ufeff") else ""
            ending = "\n" if line.endswith("\n") else ""
            lines[index] = mark + new + (f"  {comment}" if comment else "") + ending
            return "".join(lines)
    if not text.strip():
        text = HEADER
    return text + ("" if text.endswith("\n") else "\n") + new + "\n"


def without(text: str, name: str) -> str:
    """``text`` without the lines that set ``name``."""
    return "".join(line for line in text.splitlines(keepends=True) if key_of(line) != name)
