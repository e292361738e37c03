"""Every error the command line reports, and the exit statuses, by name.

Near a leaf, as Click's own exceptions.py: it imports Click and only psoas's
leaves (text, the terminal's width), so any module of the command line may
import it.  The core raises its
own errors (``psoas_cli.errors``); ``cli/main.py`` turns them into these.
"""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from typing import IO, TYPE_CHECKING, Any

import click

from psoas_cli.text import ENV_CLIP, fold, shown
from psoas_cli.ui.terminal import columns, is_tty

if TYPE_CHECKING:
    from psoas_cli.play.events import Outcome


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # bad data file, failed run
    USAGE = 2  # bad option, bad setting in the environment, or a name that matches nothing
    HANGUP = 129  # the terminal went away (128 + SIGHUP)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)

    @classmethod
    def for_outcome(cls, outcome: Outcome | None) -> ExitStatus:
        """How psoas exits after a routine ended this way (by the outcome's
        name, so that --help never loads the engine's types)."""
        return _BY_OUTCOME.get(outcome.name if outcome is not None else "", cls.ERROR)


_BY_OUTCOME = {"FINISHED": ExitStatus.OK, "QUIT": ExitStatus.OK,
               "INTERRUPTED": ExitStatus.INTERRUPTED, "TERMINATED": ExitStatus.TERMINATED,
               "HUNG_UP": ExitStatus.HANGUP}


class _Said(click.ClickException):
    """psoas's own error: one line, wrapped at spaces on a terminal as its
    warnings are (the lines after the first indented), so that no word is cut
    in two at the window's edge; to a pipe or a file, one line, for scripts."""

    def show(self, file: IO[Any] | None = None) -> None:
        stream = file if file is not None else sys.stderr
        text = f"Error: {self.format_message()}"
        if is_tty(stream):
            text = "\n".join(fold(text, columns(stream, os.environ), indent="  "))
        click.echo(text, file=stream)


class UserError(_Said):
    """A one-line error for the user (exit 1)."""

    exit_code = ExitStatus.ERROR


class UsageLine(_Said):
    """A request psoas can't meet, told in one line without the usage (exit 2)."""

    exit_code = ExitStatus.USAGE


class NoSuchName(_Said):
    """A stretch or routine name that matches nothing (exit 2, one line, no usage)."""

    exit_code = ExitStatus.USAGE


def from_environment(exc: click.BadParameter) -> str | None:
    """'NAME=value' when the bad value came from an environment variable, not
    from the command line: Click would name the option, which was never typed."""
    param, ctx = exc.param, exc.ctx
    if param is None or ctx is None or param.name is None:
        return None
    if ctx.get_parameter_source(param.name) != click.core.ParameterSource.ENVIRONMENT:
        return None
    names = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or ())
    for name in names:
        if name in os.environ:
            return f"{name}={shown(os.environ[name], ENV_CLIP)}"
    return None

