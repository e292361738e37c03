"""Options and parameter types shared by the commands: numbers held to the
limits the data files obey, durations and hours as people write them, the
options of every command that plays, and commands that take the user's
settings as their defaults.

Click's IntRange and FloatRange take 'nan' (it compares false with both
ends, so it passes), '١٢' and other digits that are not ASCII; ``Bounded``
reads through limits.parse, so an option refuses what a routines file would,
with the same words.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any, TypeVar

import click

from psoas_cli import limits
from psoas_cli.breaks.hours import Window, parse_window
from psoas_cli.cli.app import App
from psoas_cli.cli.command import Command
from psoas_cli.errors import PsoasError, ReminderError
from psoas_cli.model.checkins import MODES as CHECKIN_MODES
from psoas_cli.model.durations import MAX_EVERY, parse_duration
from psoas_cli.model.levels import NAMES as LEVELS

F = TypeVar("F", bound=Callable[..., Any])
MIN_IDLE = 60.0  # a shorter idle time would count a pause to think as a break


class Bounded(click.ParamType):
    """A number within a limits.Bound, e.g. ``type=Bounded(limits.HOLD)``."""

    name = "number"

    def __init__(self, bound: limits.Bound) -> None:
        self.bound = bound

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> limits.Number:
        try:
            if isinstance(value, str):
                return limits.parse(value, self.bound)
            return limits.check(value, self.bound)
        except limits.OutOfBounds as exc:
            self.fail(str(exc), param, ctx)

    def span(self) -> str:
        """The range for help text: '1 to 600'."""
        return f"{self.bound.low:g} to {self.bound.high:g}"


def duration(most: float | None = None) -> Callable[[click.Context, click.Parameter, Any],
                                                       float | None]:
    """A Click callback reading a duration as people write it (45m, 1h30m, 90s)."""

    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
        if value is None:
            return None
        try:
            return parse_duration(value, most=most or MAX_EVERY)
        except ReminderError as exc:
            raise click.BadParameter(str(exc)) from None

    return convert


def idle_time(ctx: click.Context, param: click.Parameter, value: Any) -> float | None:
    """A Click callback for --idle: a duration (5m), a bare number of minutes (also
    as the 'idle' setting holds it), or 0 or off for never; None is never."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("0", "off")):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == 0:
            return None
        value = f"{value:g}"
    try:
        return parse_duration(str(value), least=MIN_IDLE, most=MAX_EVERY)
    except ReminderError as exc:
        raise click.BadParameter(f"{exc}; 0 turns it off") from None


def command_line(ctx: click.Context, param: click.Parameter,
                 value: str | None) -> list[str] | None:
    """A Click callback reading a command as an argument list (shlex, no shell)."""
    if value is None:
        return None
    try:
        argv = shlex.split(value)
    except ValueError as exc:
        raise click.BadParameter(f"can't split it into words: {exc}") from None
    if not argv:
        raise click.BadParameter("is empty; give a command, such as 'paplay bell.oga'")
    return argv


def hours(ctx: click.Context, param: click.Parameter, value: str | None) -> Window | None:
    """A Click callback reading break hours: 09:00-18:00, 9-18, 22:00-02:00."""
    if value is None:
        return None
    try:
        return parse_window(value)
    except ReminderError as exc:
        raise click.BadParameter(str(exc)) from None


class Configured(Command):
    """A command whose options default to the user's settings (config.toml),
    passed the standard way, as Click's ``default_map``: the command line and
    the environment still win over them."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        # Shell completion (resilient parsing) only names things: no settings, on every TAB.
        if parent is not None and "default_map" not in extra and not parent.resilient_parsing:
            try:
                extra["default_map"] = parent.ensure_object(App).settings()
            except PsoasError:  # a ConfigError
                if not set(args) & {"-h", "--help"}:
                    raise  # the help needs no settings; playing does
        return super().make_context(info_name, args, parent, **extra)


def player_options(command: F) -> F:
    """Options shared by every command that plays stretches (bounds: limits.py)."""
    hold, reps, rest = Bounded(limits.HOLD), Bounded(limits.REPS), Bounded(limits.PAUSE)
    options = [
        click.option("--minutes", type=Bounded(limits.MINUTES), metavar="N",
                     envvar="PSOAS_MINUTES",
                     help="Fit the routine to N minutes (2.5 too), within 5% or 15 s."),
        click.option("--level", type=click.Choice(LEVELS), envvar="PSOAS_LEVEL",
                     help="gentle: short holds, few reps, more time to get into position, "
                          "no advanced stretches; standard: the middle; deep: long holds."),
        click.option("--hold", type=hold, metavar="SECONDS",
                     help=f"Hold every stretch this long ({hold.span()}); a backbend or an "
                          "advanced one at most its longest, a movement's lifts as ever."),
        click.option("--reps", type=reps, metavar="N",
                     help=f"Do every stretch N times (per side; {reps.span()}); a backbend or an "
                          "advanced one at most its most."),
        click.option("--rest", type=rest, metavar="SECONDS",
                     help=f"Rest this long between reps (0 for none; at most "
                          f"{rest.bound.high:g})."),
        click.option("--setup", type=rest, metavar="SECONDS", envvar="PSOAS_SETUP",
                     help="Give every stretch this long to get into position."),
        click.option("--side", type=click.Choice(["left", "right", "both"]),
                     help="Stretch only this side, or both (for pigeon, the side of the "
                          "front knee)."),
        click.option("--wait/--no-wait", default=False, envvar="PSOAS_WAIT",
                     help="Before each stretch and at each switch of sides, wait for Enter "
                          "instead of counting down."),
        click.option("--start-wait/--yes", " /-y", "start_wait", default=True,
                     envvar="PSOAS_START_WAIT",
                     help="-y, --yes: show the before-you-start card (the caution, what you "
                          "need) without waiting for Enter or space."),
        click.option("--sound", type=click.Choice(["bell", "voice", "both", "none"]),
                     default="bell", show_default=True, envvar="PSOAS_SOUND",
                     help="Cue each phase change with the terminal bell, a coaching voice "
                          "(say, espeak-ng, espeak or spd-say), both (voice and bell), or "
                          "nothing."),
        click.option("--dry-run", is_flag=True,
                     help="Print the plan and its total time; start no timer."),
        click.option("--json", "as_json", is_flag=True, help="With --dry-run: the plan as JSON."),
        click.option("--plain", is_flag=True,
                     help="Print a line per phase instead of the live screen (the default "
                          "when output is not a terminal)."),
        click.option("--no-history", is_flag=True,
                     help="Don't record this session (or set PSOAS_NO_HISTORY=1)."),
        click.option("--check-in", "--checkin", "checkin", type=click.Choice(CHECKIN_MODES),
                     envvar="PSOAS_CHECKIN",
                     help="Ask how tight your hips feel and any back pain (0-10, one key "
                          "each) before the routine, after it, both, or off (the default)."),
        click.option("--check-in-sides/--no-check-in-sides", "checkin_sides", default=False,
                     envvar="PSOAS_CHECKIN_SIDES",
                     help="In check-ins, ask about each hip rather than both at once."),
    ]
    for option in reversed(options):
        command = option(command)
    return command
