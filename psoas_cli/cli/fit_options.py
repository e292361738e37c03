"""Fitting a routine at the command line: the user's level and minutes, or the
routine's own, and a one-line error when the time is out of reach."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from psoas_cli import limits
from psoas_cli.model.levels import NAMES as LEVELS

if TYPE_CHECKING:
    from psoas_cli.model.routines import Routine
    from psoas_cli.play.fitting import Fit

__all__ = ["LEVELS", "MOST_MINUTES", "MOST_SETUP", "as_set", "fitted", "wanted"]
# The options' bounds, from limits.py rather than config.py so that a routine
# starts without reading that module when there is no config file.
MOST_MINUTES = limits.MINUTES.high
MOST_SETUP = limits.PAUSE.high


def wanted(routine: Routine, minutes: float | None,
           level: str | None) -> tuple[Any, float | None]:
    """The level and seconds to fit to: the user's settings, else the routine's own."""
    from psoas_cli.model import levels

    minutes = minutes if minutes is not None else routine.minutes
    return (levels.chosen(level, routine.level, routine.holds, routine.reps),
            minutes * 60 if minutes else None)


def fitted(routine: Routine, overrides: Any, *, minutes: float | None,
           level: str | None, warn: Callable[[str], None] | None = None) -> Fit:
    """The routine at the level and length asked for.

    A length out of reach is a one-line usage error; but when ``warn`` is
    given (the length is a standing default from the environment or the
    config file, not asked for this time), the routine plays as near to it
    as it can, and ``warn`` says so.
    """
    from psoas_cli.cli.errors import UsageLine
    from psoas_cli.errors import CannotFit
    from psoas_cli.play.fitting import fit
    from psoas_cli.play.phrases import clock

    chosen, seconds = wanted(routine, minutes, level)
    try:
        return fit(routine, level=chosen, seconds=seconds, overrides=overrides)
    except CannotFit as exc:
        if warn is None or seconds is None:
            raise UsageLine(str(exc)) from None
        nearest = min(max(seconds, exc.least), exc.most)
        try:
            played = fit(routine, level=chosen, seconds=nearest, overrides=overrides)
        except CannotFit:
            played = fit(routine, level=chosen, overrides=overrides)
        warn(f"{exc}; playing {clock(played.total)}")
        return played


def as_set(app: Any, routine: Routine) -> Fit:
    """The routine at the level and length the user's settings (the environment,
    then config.toml) ask for, for a command that has no --level or --minutes
    of its own: psoas remind plays its breaks as 'psoas routine' would."""
    from psoas_cli.files.config import from_env
    from psoas_cli.play.timeline import Overrides

    chosen = {**app.settings(), **{k: v for k, (_, v) in from_env(app.env).items()}}
    overrides = Overrides(setup=chosen.get("setup"))
    return fitted(routine, overrides, minutes=chosen.get("minutes"), level=chosen.get("level"),
                  warn=app.warn)
