"""``psoas routine`` and ``psoas play``: plan a routine and play it.

``psoas routine`` is a group: ``new``, ``rm`` and ``edit`` (own.py) manage
the user's routines, and anything else (a NAME, an option, or nothing) goes
to the hidden command that plays or lists them, so ``psoas routine warmup``
works as it always has.

Only Click is imported at module level; the engine, the player and Rich
load when a routine is actually played.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from psoas_cli import limits
from psoas_cli.cli.command import Command, Group
from psoas_cli.cli.complete import files, routine_names, stretch_names
from psoas_cli.cli.errors import ExitStatus
from psoas_cli.cli.fit_options import LEVELS, fitted, wanted
from psoas_cli.cli.param_types import Bounded
from psoas_cli.ui.terminal import can_redraw, is_tty, keys_available, reads_keys

if TYPE_CHECKING:
    from psoas_cli.cli.app import App
    from psoas_cli.history.recorder import Recorder
    from psoas_cli.model.routines import Routine
    from psoas_cli.play.events import Listener, Summary
    from psoas_cli.play.fitting import Fit


class Configured(Command):
    """A command whose options default to the user's settings (config.toml),
    passed the standard way, as Click's ``default_map``: the command line and
    the environment still win over them."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        # Shell completion (resilient parsing) only names things: no settings, on every TAB.
        if parent is not None and "default_map" not in extra and not parent.resilient_parsing:
            from psoas_cli.cli.app import App
            from psoas_cli.errors import PsoasError

            try:
                extra["default_map"] = parent.ensure_object(App).settings()
            except PsoasError:  # config.ConfigError, without loading config.py to name it
                if not set(args) & {"-h", "--help"}:
                    raise  # the help needs no settings; playing does
        return super().make_context(info_name, args, parent, **extra)


def player_options(command: Callable) -> Callable:
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
                     help=f"Hold every stretch this long ({hold.span()})."),
        click.option("--reps", type=reps, metavar="N",
                     help=f"Do every stretch N times (per side; {reps.span()})."),
        click.option("--rest", type=rest, metavar="SECONDS",
                     help=f"Rest this long between reps (0 for none; at most "
                          f"{rest.bound.high:g})."),
        click.option("--setup", type=rest, metavar="SECONDS", envvar="PSOAS_SETUP",
                     help="Give every stretch this long to get into position."),
        click.option("--side", type=click.Choice(["left", "right", "both"]),
                     help="Stretch only this side, or both (for pigeon, the side of the "
                          "front knee)."),
        click.option("--wait/--no-wait", default=False, envvar="PSOAS_WAIT",
                     help="At each switch of sides, wait for Enter instead of counting down."),
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
    ]
    for option in reversed(options):
        command = option(command)
    return command


# -- psoas routine: a group whose default is playing ------------------------------------

PLAY = "_play"  # the hidden command behind 'psoas routine [NAME]'; no routine name has '_'
OWN = {"new": "new_cmd", "rm": "rm_cmd", "edit": "edit_cmd"}  # in own.py


class RoutineGroup(Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(OWN)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name == PLAY:
            return play_routine_cmd
        if name in OWN:
            from psoas_cli.cli import routine_edit

            return getattr(routine_edit, OWN[name])
        return None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in OWN:
            args = [PLAY, *args]  # a NAME, an option, --help or nothing: play or list
        return super().parse_args(ctx, args)


class _AsTheGroup(click.Context):
    """The hidden command's context, named as the group: its usage and its
    errors read 'psoas routine', not 'psoas routine _play'."""

    @property
    def command_path(self) -> str:
        return self.parent.command_path if self.parent else super().command_path


class _PlayRoutine(Configured):
    context_class = _AsTheGroup


@click.group(name="routine", cls=RoutineGroup)
def routine_cmd() -> None:
    """Play a routine, or list the routines when no NAME is given."""


@click.command(name=PLAY, cls=_PlayRoutine, hidden=True)
@click.argument("name", required=False, shell_complete=routine_names)
@click.option("--routines", "routines_path", metavar="PATH", envvar="PSOAS_ROUTINES",
              shell_complete=files,
              help="Also read routines from this YAML file (or set PSOAS_ROUTINES).")
@player_options
@click.pass_obj
def play_routine_cmd(app: App, name: str | None, routines_path: str | None,
                     **options: Any) -> None:
    """Play a routine, or list the routines when no NAME is given.

    \b
    Built in: warmup (before exercise), cooldown and after-run (after
    it), morning, desk (a break from sitting), gentle (for beginners),
    full (all eleven stretches).

    \b
    A NAME may be cut short to any start only one routine has:
    'psoas routine c' plays cooldown.

    \b
    Your own, in routines.yaml in the psoas folder ('psoas where'):
      psoas routine new NAME STRETCH...   make one (--minutes, --level)
      psoas routine rm NAME               remove one
      psoas routine edit [NAME]           change them in your editor

    \b
    Keys while playing:
      space or p  pause / resume
      n or →      skip ahead to the next phase
      b or ←      back: restart the phase (the one before, early on)
      Enter       carry on at a switch of sides, with --wait
      q or Q      stop
      Ctrl-C      stop, with exit status 130
      Ctrl-Z      suspend; 'fg' brings it back, paused

    \b
    Examples:
      psoas routine                      the routines and their lengths
      psoas routine warmup               play one
      psoas routine desk --hold 20       hold each stretch 20 seconds
      psoas routine cooldown --dry-run   its plan, without playing it
    """
    from psoas_cli.model import routines

    found = app.routines(extra=routines_path)
    if name is None:
        _list_routines(app, found, **options)
        return
    play(app, routines.find(found, name), **options)


@click.command(name="play", cls=Configured)
@click.argument("stretches", nargs=-1, required=True, shell_complete=stretch_names)
@player_options
@click.pass_obj
def play_cmd(app: App, stretches: tuple[str, ...], **options: Any) -> None:
    """Play the STRETCHES named, in order.

    Names work as in 'psoas show', and the keys as in 'psoas routine'.

    \b
    Examples:
      psoas play pigeon cobra          two stretches, one after the other
      psoas play 8 --hold 5 --reps 3   glute bridges: three 5-second holds
      psoas play camel --dry-run       the plan, without playing it
    """
    from psoas_cli.model import routines

    chosen = [app.catalogue.find(name) for name in stretches]
    name = "play " + " ".join(s.slug for s in chosen)
    play(app, routines.adhoc(chosen, name=name), **options)


# -- fitting and playing -----------------------------------------------------------------

def _overrides(hold: int | None, reps: int | None, rest: float | None, side: str | None,
               wait: bool, setup: float | None) -> Any:
    from psoas_cli.play.timeline import Overrides

    return Overrides(hold, reps, rest, side, wait, setup)


def _list_routines(app: App, found: dict[str, Routine], **options: Any) -> None:
    from psoas_cli.ui.console import emit
    from psoas_cli.ui.views.catalogue import routine_table

    emit(app.console, routine_table(routine_rows(found, **options), width=app.console.width))


def routine_rows(found: dict[str, Routine], *, minutes: float | None, level: str | None,
                 **options: Any) -> list[tuple[str, int, float, str]]:
    """(name, stretches, seconds, description) of each routine, as it would play."""
    from psoas_cli.errors import CannotFit
    from psoas_cli.play.fitting import fit

    overrides = _overrides(*(options[k] for k in ("hold", "reps", "rest", "side", "wait",
                                                  "setup")))
    rows = []
    for routine in found.values():
        chosen, seconds = wanted(routine, minutes, level)
        try:
            played = fit(routine, level=chosen, seconds=seconds, overrides=overrides)
        except CannotFit:  # out of reach: as written, at its level
            played = fit(routine, level=chosen, overrides=overrides)
        rows.append((routine.name, len(played.routine.items), played.total,
                     routine.description))
    return rows


def play(app: App, routine: Routine, *, minutes: float | None, level: str | None,
         hold: int | None, reps: int | None, rest: float | None, setup: float | None,
         side: str | None, wait: bool, sound: str, dry_run: bool, as_json: bool, plain: bool,
         no_history: bool) -> None:
    from psoas_cli.play import timeline

    if as_json and not dry_run:
        raise click.UsageError("--json prints the plan, so it goes with --dry-run")
    keyboard = reads_keys(app.stdin)
    if wait and not keyboard and not dry_run:
        app.warn("--wait needs a keyboard; counting down at each switch instead")
        wait = False
    overrides = _overrides(hold, reps, rest, side, wait, setup)
    source = click.get_current_context().get_parameter_source("minutes")
    asked = source in (None, click.core.ParameterSource.COMMANDLINE)
    fit = fitted(routine, overrides, minutes=minutes, level=level,
                 warn=None if asked else app.warn)
    plan = timeline.build(fit.routine, overrides)
    if dry_run:
        _print_plan(app, plan, fit, as_json)
        return
    for note in fit.notes(total=False):  # what is left out or added; the time shows anyway
        app.warn(note)
    live = live_wanted(app, plain)
    recorder = _recorder(app, plan) if not no_history and app.recording() else None
    try:
        summary = play_timeline(app, plan, live=live, keyboard=keyboard, sound=sound,
                                record=False, listeners=[recorder] if recorder else [])
        _print_summary(app, summary)
    finally:
        if recorder is not None:
            recorder.finish()  # a bounded wait; what it cannot write waits in the journal
    code = ExitStatus.for_outcome(summary.outcome)
    if code:
        click.get_current_context().exit(code)


def _print_summary(app: App, summary: Summary) -> None:
    """What was done; nothing, quietly, when the output has gone (a hang-up, a
    closed pipe)."""
    from psoas_cli.ui.console import emit
    from psoas_cli.ui.terminal import let_go
    from psoas_cli.ui.views.catalogue import summary_text

    try:
        emit(app.console, summary_text(summary, width=app.console.width))
    except (OSError, ValueError):
        let_go(app.stdout)


def _recorder(app: App, plan: Any) -> Recorder:
    from psoas_cli.history.recorder import Recorder

    return Recorder(app.home(), plan.routine, plan.planned, warn=app.warn, clock=app.now)


def _print_plan(app: App, plan: Any, fit: Fit, as_json: bool) -> None:
    if as_json:
        app.print_json({**plan.as_dict(), "fit": fit.as_dict()})
        return
    from psoas_cli.play.phrases import needs
    from psoas_cli.ui.console import emit
    from psoas_cli.ui.table import wrap
    from psoas_cli.ui.views.catalogue import plan_table

    emit(app.console, plan_table(plan, width=app.console.width))
    for note in filter(None, [needs(plan.stretches), *fit.notes()]):
        for line in wrap(note, app.console.width):
            click.echo(line, file=app.stdout)


def live_wanted(app: App, plain: bool) -> bool:
    """The full screen, unless --plain, a pipe or a dumb terminal.  Where keys
    cannot be read (Windows: no termios) one line says so, and it is off."""
    live = not plain and can_redraw(app.stdout)
    if live and not keys_available():
        app.warn("the live screen needs termios (Linux, macOS); going line by line instead")
        return False
    return live


def play_timeline(app: App, plan: Any, *, live: bool, keyboard: bool, sound: str,
                  record: bool, listeners: Sequence[Listener] = ()) -> Summary:
    """The listeners this run asks for (and ``listeners``), then play.

    With ``record``, the recorder's writer gets its bounded wait before this
    returns; a caller that wants to show the summary first passes a Recorder
    of its own in ``listeners`` and calls its ``finish`` after.
    """
    from psoas_cli.ui import sound as sounds
    from psoas_cli.ui.player.playback import play as play_plan

    extras = [sounds.make(sound, app.stdout, terminal=is_tty(app.stdout), warn=app.warn),
              *listeners]
    recorder = _recorder(app, plan) if record else None
    if recorder is not None:
        extras.append(recorder)
    try:
        return play_plan(plan, console=app.console, stdout=app.stdout, live=live,
                         keys_shown=keyboard, caution=app.catalogue.caution, extras=extras,
                         keyboard=app.keyboard, monotonic=app.monotonic,
                         hold_warnings=app.holding_warnings, breathing=app.catalogue.breathing)
    finally:
        if recorder is not None:
            recorder.finish()
