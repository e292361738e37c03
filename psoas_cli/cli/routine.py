"""``psoas routine`` and ``psoas play``: plan a routine and play it.

``psoas routine`` is a group: ``new``, ``rm`` and ``edit`` (routine_edit.py)
manage the user's routines, and anything else (a NAME, an option, or
nothing) goes to the hidden command that plays or lists them, so ``psoas
routine warmup`` works as it always has.  What playing does is
actions/play.py, loaded when a command runs.
"""

from __future__ import annotations

from typing import Any

import click

from psoas_cli.cli import routine_edit
from psoas_cli.cli.app import App
from psoas_cli.cli.command import Group
from psoas_cli.cli.complete import files, routine_names, stretch_names
from psoas_cli.cli.options import Configured, player_options

# -- psoas routine: a group whose default is playing ------------------------------------

PLAY = "_play"  # the hidden command behind 'psoas routine [NAME]'; no routine name has '_'
OWN = {"new": routine_edit.new_cmd, "rm": routine_edit.rm_cmd, "edit": routine_edit.edit_cmd}


class RoutineGroup(Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(OWN)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name == PLAY:
            return play_routine_cmd
        return OWN.get(name)

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
    full (all eleven, and a counter-pose after camel).

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
    from psoas_cli.cli.actions.play import PlayOptions, play_or_list

    play_or_list(app, name, routines_path, PlayOptions(**options))


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
    from psoas_cli.cli.actions.play import PlayOptions, play_stretches

    play_stretches(app, stretches, PlayOptions(**options))
