"""``psoas routine`` and ``psoas play``: plan a routine and play it.

Only Click is imported at module level; the engine, the player and Rich
load when a routine is actually played.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

import click

from .complete import files, routine_names, stretch_names
from .exitcodes import ExitStatus
from ..ui.terminal import can_redraw, is_tty, keys_available, reads_keys

if TYPE_CHECKING:
    from .app import App
    from ..events import Listener, Summary
    from ..routines import Routine



def player_options(command: Callable) -> Callable:
    """Options shared by every command that plays stretches."""
    options = [
        click.option("--hold", type=click.IntRange(1, 3600), metavar="SECONDS",
                     help="Hold every stretch this long."),
        click.option("--reps", type=click.IntRange(1, 100), metavar="N",
                     help="Do every stretch N times (per side)."),
        click.option("--rest", type=click.FloatRange(0, 600), metavar="SECONDS",
                     help="Rest this long between reps (0 for none)."),
        click.option("--side", type=click.Choice(["left", "right", "both"]),
                     help="Stretch only this side, or both."),
        click.option("--wait", is_flag=True,
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


@click.command(name="routine")
@click.argument("name", required=False, shell_complete=routine_names)
@click.option("--routines", "routines_path", metavar="PATH", envvar="PSOAS_ROUTINES",
              shell_complete=files,
              help="Also read routines from this YAML file (or set PSOAS_ROUTINES).")
@player_options
@click.pass_obj
def routine_cmd(app: App, name: str | None, routines_path: str | None, **options: Any) -> None:
    """Play a routine, or list the routines when no NAME is given.

    \b
    Built in: warmup (before exercise), cooldown and after-run (after
    it), morning, desk (a break from sitting), gentle (for beginners),
    full (all eleven stretches).
    Your own go in routines.yaml in the psoas folder (PSOAS_HOME).

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
    from .. import routines

    found = app.routines(extra=routines_path)
    if name is None:
        _list_routines(app, found)
        return
    play(app, routines.find(found, name), **options)


@click.command(name="play")
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
    from .. import routines

    chosen = [app.catalogue.find(name) for name in stretches]
    name = "play " + " ".join(s.slug for s in chosen)
    play(app, routines.adhoc(chosen, name=name), **options)


def _list_routines(app: App, found: dict[str, Routine]) -> None:
    from .. import timeline
    from ..ui.console import emit
    from ..ui.views import routine_table

    rows = [(r.name, len(r.items), timeline.build(r).planned, r.description)
            for r in found.values()]
    emit(app.console, routine_table(rows, width=app.console.width))


def play(app: App, routine: Routine, *, hold: int | None, reps: int | None,
         rest: float | None, side: str | None, wait: bool, sound: str, dry_run: bool,
         as_json: bool, plain: bool, no_history: bool) -> None:
    from .. import timeline

    if as_json and not dry_run:
        raise click.UsageError("--json prints the plan, so it goes with --dry-run")
    keyboard = reads_keys(app.stdin)
    if wait and not keyboard and not dry_run:
        app.warn("--wait needs a keyboard; counting down at each switch instead")
        wait = False
    plan = timeline.build(routine, timeline.Overrides(hold, reps, rest, side, wait))
    if dry_run:
        _print_plan(app, plan, as_json)
        return
    live = live_wanted(app, plain)
    record = not no_history and app.recording()
    summary = play_timeline(app, plan, live=live, keyboard=keyboard, sound=sound, record=record)
    from ..ui.console import emit
    from ..ui.views import summary_text

    emit(app.console, summary_text(summary, width=app.console.width))
    code = ExitStatus.for_outcome(summary.outcome)
    if code:
        click.get_current_context().exit(code)


def _print_plan(app: App, plan: Any, as_json: bool) -> None:
    if as_json:
        import json

        click.echo(json.dumps(plan.as_dict(), indent=2, ensure_ascii=False), file=app.stdout)
        return
    from ..ui.console import emit
    from ..ui.views import plan_table

    emit(app.console, plan_table(plan, width=app.console.width))


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
    """The listeners this run asks for (and ``listeners``), then play."""
    from ..ui import sound as sounds
    from ..ui.playback import play as play_plan

    extras = [sounds.make(sound, app.stdout, terminal=is_tty(app.stdout), warn=app.warn),
              *listeners]
    if record:
        from ..recorder import Recorder

        extras.append(Recorder(app.home(), plan.routine, plan.planned, warn=app.warn,
                               clock=app.now))
    return play_plan(plan, console=app.console, stdout=app.stdout, live=live,
                     keys_shown=keyboard, caution=app.catalogue.caution, extras=extras,
                     keyboard=app.keyboard, monotonic=app.monotonic,
                     hold_warnings=app.holding_warnings, breathing=app.catalogue.breathing)
