"""The App: the world every command works in."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import IO, TYPE_CHECKING, Any

import click

from psoas_cli.errors import PsoasError, SettingError
from psoas_cli.text import fold, json_safe, line, shown
from psoas_cli.ui.terminal import ClosedStream, can_encode, columns, keys_available

if TYPE_CHECKING:
    from rich.console import Console

    from psoas_cli.model.catalogue import Catalogue
    from psoas_cli.model.routines import Routines


# Values of PSOAS_NO_HISTORY that leave history on, and that turn it off
# (README, "Your history"); anything else is a mistake to say, not to guess.
HISTORY_ON = ("", "0", "false", "no", "off")
HISTORY_OFF = ("1", "true", "yes", "on")


class App:
    """The world every command works in: the psoas folder and its data, the
    clocks, the streams, the keyboard and warnings.

    Commands receive it (``@pass_app``) and touch nothing else, so tests
    pass a fake one through ``CliRunner.invoke(cli, args, obj=App(...))``.
    Streams default to whatever ``sys`` holds when they are used.
    """

    def __init__(self, *, env: Mapping[str, str] | None = None,
                 now: Callable[[], float] | None = None,
                 monotonic: Callable[[], float] | None = None,
                 stdin: IO[str] | None = None, stdout: IO[str] | None = None,
                 stderr: IO[str] | None = None,
                 keyboard: Callable[..., AbstractContextManager[Any]] | None = None,
                 senses: Callable[..., Any] | None = None) -> None:
        self.env = os.environ if env is None else env
        self.now = now or time.time  # unix time: decides what "today" is
        self.monotonic = monotonic or time.monotonic  # times the routine
        self._streams = (stdin, stdout, stderr)
        self._keyboard = keyboard
        # What psoas remind senses of the desk (idle time, do-not-disturb):
        # senses(threshold=...) -> ui.remind.senses.Sensing; tests pass fakes.
        self.senses = senses
        self.catalogue_path: str | None = None
        self._console: Console | None = None
        self._catalogue: Catalogue | None = None
        self._held: list[str] | None = None
        self._settings: dict[str, Any] | None = None
        self._home: tuple[str | None, str] | None = None  # (PSOAS_HOME, the folder checked)

    # -- streams and output --

    @property
    def stdin(self) -> IO[str]:
        return self._streams[0] or sys.stdin

    @property
    def stdout(self) -> IO[str]:
        # Started with stdout closed ('>&-'), Python sets it to None.
        return self._streams[1] or sys.stdout or _closed()

    @property
    def stderr(self) -> IO[str]:
        return self._streams[2] or sys.stderr or _closed()

    @property
    def console(self) -> Console:
        if self._console is None:
            from psoas_cli.ui.console import (  # noqa: PLC0415 - Rich: not on --help
                make_console,
            )

            self._console = make_console(self.stdout)
        return self._console

    @property
    def injected_keys(self) -> bool:
        """Whether a keyboard was handed in (tests' fake keys): keys can be typed
        even though stdin is not a terminal."""
        return self._keyboard is not None

    def keyboard(self, **hooks: Any) -> AbstractContextManager[Any]:
        """Keys and signals for the engine while a routine plays; ``keymap``
        among the hooks gives keys of their own (a self-test's answers)."""
        if self._keyboard is not None:
            return self._keyboard(**hooks)
        # termios, signals and the engine: only when a routine plays
        from psoas_cli.ui.keys import Keyboard, NoKeys  # noqa: PLC0415

        if not keys_available():
            return NoKeys()
        return Keyboard(self.stdin, clock=self.monotonic, output=self.stdout,
                        on_suspend=hooks.get("on_suspend"), on_resume=hooks.get("on_resume"),
                        keymap=hooks.get("keymap"))

    def warn(self, message: str) -> None:
        """A warning on stderr, wrapped as ``say`` wraps (its lines after the
        first indented), or later if the full screen is up."""
        if self._held is not None:
            self._held.append(message)
            return
        try:
            text = fold(f"psoas: {line(message)}", columns(self.stderr, self.env), indent="  ")
            click.echo("\n".join(text), file=self.stderr)
        except (OSError, ValueError):
            pass  # stderr is gone (a hang-up): nobody is left to tell

    def say(self, sentence: str) -> None:
        """A sentence on stdout, wrapped at spaces to the output's width (80
        when it is not a terminal); a word longer than a line, such as a path,
        stays whole on a line of its own, so it can still be copied."""
        click.echo("\n".join(fold(sentence, columns(self.stdout, self.env))), file=self.stdout)

    def print_json(self, data: Any) -> None:
        """``data`` as JSON for scripts; non-ASCII text escaped where the output
        cannot encode it, so the JSON stays whole."""
        import json  # noqa: PLC0415 - --json only (1 ms)

        text = json_safe(json.dumps(data, indent=2, ensure_ascii=False))
        if not can_encode(self.stdout, text):
            text = json.dumps(data, indent=2)
        click.echo(text, file=self.stdout)

    @contextmanager
    def holding_warnings(self) -> Iterator[None]:
        self._held = []
        try:
            yield
        finally:
            held, self._held = self._held, None
            for message in held:
                self.warn(message)

    # -- the psoas folder and data --

    def home(self) -> str:
        """The folder for user routines and history; PSOAS_HOME overrides it.
        Something else in its place (a file, a device) is a one-line error:
        read as an empty folder it would hide the history, and lose sessions."""
        given = self.env.get("PSOAS_HOME")
        if self._home is not None and self._home[0] == given:
            return self._home[1]  # asked by every part of a run: checked once
        home = given or click.get_app_dir("psoas")
        if os.path.exists(home) and not os.path.isdir(home):
            # PSOAS_HOME mistyped is a bad setting (exit 2); psoas's own folder
            # taken by a file, a problem on the disk (exit 1).
            kind, named = (SettingError, f"PSOAS_HOME={home}") if given \
                else (PsoasError, f"the psoas folder {home}")
            raise kind(f"{named} is not a folder; move it aside, or set PSOAS_HOME to a folder")
        self._home = (given, home)
        return home

    def cache_dir(self) -> str:
        """Where validated data is cached: under PSOAS_HOME when set, else the
        platform's cache folder."""
        if self.env.get("PSOAS_HOME"):
            return os.path.join(self.env["PSOAS_HOME"], "cache")
        if sys.platform == "darwin":
            return os.path.expanduser("~/Library/Caches/psoas")
        if sys.platform == "win32":
            return os.path.join(self.env.get("LOCALAPPDATA") or os.path.expanduser("~"),
                                "psoas", "cache")
        base = self.env.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        return os.path.join(base, "psoas")

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            # noqa below: the data files and the cache are not on --help (1.7 ms)
            from psoas_cli.files.datafiles import load_catalogue  # noqa: PLC0415

            self._catalogue = load_catalogue(self.catalogue_path, cache_dir=self.cache_dir())
        return self._catalogue

    def routines(self, extra: str | None = None, *, lenient: bool = False) -> Routines:
        """Built-in routines, the user's, and those in ``extra``.  ``lenient``:
        a user's file with a mistake is left out with a warning, not an error."""
        from psoas_cli.files.datafiles import load_routines  # noqa: PLC0415 - as above

        broken = (lambda exc: self.warn(f"{exc} (its routines are left out)")) \
            if lenient else None
        return load_routines(self.catalogue, catalogue_path=self.catalogue_path,
                             home=self.home(), extra=extra, cache_dir=self.cache_dir(),
                             broken=broken)

    def config_path(self) -> str:
        from psoas_cli.files.datafiles import CONFIG  # noqa: PLC0415 - as above

        return os.path.join(self.home(), CONFIG)

    def settings(self) -> dict[str, Any]:
        """The user's settings from config.toml (ConfigError if it is bad), read once."""
        if self._settings is None:
            path = self.config_path()
            if not os.path.lexists(path):  # a link to nothing is read, and named
                self._settings = {}  # the usual case: no need to load config.py
                return self._settings
            # Most runs have no config file, and never load config.py (3.8 ms).
            from psoas_cli.files.config import read  # noqa: PLC0415

            self._settings = read(path)
        return self._settings

    def rest_days(self) -> frozenset[int]:
        """The weekdays (Monday 0) that never break a streak: PSOAS_REST_DAYS, else
        the rest_days setting (checked as the file was read), else Saturday and
        Sunday.  A broken config.toml is left to the commands that play to say:
        the streak is shown by commands that play nothing."""
        given = self.env.get("PSOAS_REST_DAYS", "")
        if not given:
            try:
                given = self.settings().get("rest_days", "")
            except PsoasError:
                given = ""
        # Only commands that show a streak ask; config.py (3.8 ms) only when a value is set.
        from psoas_cli.history.calendar import WEEKEND  # noqa: PLC0415

        if not given:
            return WEEKEND
        from psoas_cli.files.config import KEYS, weekdays  # noqa: PLC0415

        try:
            return weekdays(KEYS["rest_days"].check(given))
        except ValueError as exc:
            self.warn(f"PSOAS_REST_DAYS={shown(given, 40)}: {exc}; Saturday and Sunday are "
                      "rest days")
            return WEEKEND

    def recording(self) -> bool:
        """Whether sessions are recorded: PSOAS_NO_HISTORY unset, empty, or one of
        0, false, no, off (any case) records; 1, true, yes, on turns recording
        off; anything else is a one-line error."""
        given = self.env.get("PSOAS_NO_HISTORY", "")
        value = given.strip().lower()
        if value not in HISTORY_ON + HISTORY_OFF:
            raise SettingError(f"PSOAS_NO_HISTORY={shown(given, 40)}: set it to 1 not to record "
                               "sessions, or 0 (or leave it unset) to record them")
        return value in HISTORY_ON


def _closed() -> IO[str]:
    stream: IO[str] = ClosedStream()  # type: ignore[assignment]  # a TextIOBase is one
    return stream


pass_app = click.make_pass_decorator(App)
