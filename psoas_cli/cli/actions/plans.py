"""What a routine would play as, without the player: the options of every
command that plays, the level and length wanted, and each routine's row as
it would play (psoas alone lists them, and must not load the player, Rich
and all, for that)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from psoas_cli.cli.app import App
from psoas_cli.errors import CannotFit
from psoas_cli.files.config import from_env
from psoas_cli.model import levels
from psoas_cli.model.catalogue import NO_MOVES, Moves
from psoas_cli.model.routines import Routine
from psoas_cli.play.fitting import fit
from psoas_cli.play.timeline import Overrides


class PlayOptions(NamedTuple):
    """The options of every command that plays (cli/options.player_options)."""

    minutes: float | None = None
    level: str | None = None
    hold: int | None = None
    reps: int | None = None
    rest: float | None = None
    setup: float | None = None
    side: str | None = None
    wait: bool = False
    sound: str = "bell"
    start_wait: bool = True  # the before-you-start card waits for Enter or space
    dry_run: bool = False
    as_json: bool = False
    plain: bool = False
    no_history: bool = False
    checkin: str | None = None  # off, before, after or both; None: off
    checkin_sides: bool = False

    def overrides(self, *, wait: bool | None = None) -> Overrides:
        return Overrides(self.hold, self.reps, self.rest, self.side,
                         self.wait if wait is None else wait, self.setup)


def wanted(routine: Routine, minutes: float | None,
           level: str | None) -> tuple[levels.Level, float | None]:
    """The level and seconds to fit to: the user's settings, else the routine's own."""
    minutes = minutes if minutes is not None else routine.minutes
    return (levels.chosen(level, routine.level, routine.holds, routine.reps),
            minutes * 60 if minutes else None)


def settings_and_environment(app: App) -> dict[str, Any]:
    """The user's settings (config.toml), the environment's winning over them."""
    return {**app.settings(), **{k: v for k, (_, v) in from_env(app.env).items()}}


def routine_rows(found: Mapping[str, Routine], options: PlayOptions, moves: Moves = NO_MOVES,
                 ) -> list[tuple[str, int, float, str]]:
    """(name, stretches, seconds, description) of each routine, as it would play."""
    overrides = options.overrides()
    rows = []
    for routine in found.values():
        chosen, seconds = wanted(routine, options.minutes, options.level)
        try:
            played = fit(routine, level=chosen, seconds=seconds, overrides=overrides,
                         moves=moves)
        except CannotFit:  # out of reach: as written, at its level
            played = fit(routine, level=chosen, overrides=overrides, moves=moves)
        rows.append((routine.name, len(played.routine.items), played.total,
                     routine.description))
    return rows
