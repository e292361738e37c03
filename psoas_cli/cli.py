"""The ``psoas`` command line: parse options, call the core, hand results to render.

Only Click is imported at module level so that ``psoas --help`` stays fast;
YAML, Rich and the engine load inside the commands that need them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .exitcodes import ExitStatus

if TYPE_CHECKING:
    from rich.console import Console

    from .catalogue import Catalogue

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 80}


class UserError(click.ClickException):
    """A one-line error for the user (exit 1)."""

    exit_code = ExitStatus.ERROR


class NameError_(click.ClickException):
    """A stretch or routine name that matches nothing (exit 2, one line, no usage)."""

    exit_code = ExitStatus.USAGE


class App:
    """What every command shares: where data lives and how to print."""

    def __init__(self, catalogue_path: str | None) -> None:
        self.catalogue_path = catalogue_path
        self._console: Console | None = None
        self._catalogue: Catalogue | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from .render import make_console

            self._console = make_console()
        return self._console

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            from . import catalogue

            self._catalogue = catalogue.load(self.catalogue_path)
        return self._catalogue

    @staticmethod
    def home() -> str:
        """The folder for user routines and history; PSOAS_HOME overrides it."""
        return os.environ.get("PSOAS_HOME") or click.get_app_dir("psoas")


class PsoasGroup(click.Group):
    """Turns the core's typed errors into one-line messages at the edge."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import LookupFailed, PsoasError

        try:
            return super().invoke(ctx)
        except LookupFailed as exc:
            raise NameError_(str(exc)) from None
        except PsoasError as exc:
            raise UserError(str(exc)) from None


pass_app = click.make_pass_decorator(App)


@click.group(cls=PsoasGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="psoas")
@click.option("--catalogue", "catalogue_path", metavar="PATH", envvar="PSOAS_CATALOGUE",
              help="Read stretches from this YAML file instead of the built-in catalogue "
                   "(or set PSOAS_CATALOGUE).")
@click.pass_context
def cli(ctx: click.Context, catalogue_path: str | None) -> None:
    """Guided psoas and hip-flexor stretches in the terminal.

    \b
    Start with:
      psoas list              the stretches
      psoas show pigeon       how to do one
      psoas routine           the routines
      psoas routine warmup    play one
    """
    ctx.obj = App(catalogue_path)


@cli.command(name="list")
@click.option("--position", "-p", metavar="WORD",
              help="Only stretches in this position (standing, seated, kneeling, back...).")
@click.option("--equipment", "-e", metavar="ITEM", help="Only stretches that use ITEM (mat, "
              "chair, foam roller).")
@click.option("--no-equipment", is_flag=True, help="Only stretches that need nothing at all.")
@click.option("--target", "-t", metavar="AREA", help="Only stretches for AREA (glutes, quadriceps...).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def list_cmd(app: App, position: str | None, equipment: str | None, no_equipment: bool,
             target: str | None, as_json: bool) -> None:
    """List the stretches in the catalogue."""
    stretches = app.catalogue.filter(position=position, equipment=equipment,
                                     no_equipment=no_equipment, target=target)
    if as_json:
        _print_json([s.as_dict() for s in stretches])
        return
    from .render import emit, stretch_table

    emit(app.console, stretch_table(stretches, total=len(app.catalogue), width=app.console.width))


@cli.command(name="show")
@click.argument("stretch")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def show_cmd(app: App, stretch: str, as_json: bool) -> None:
    """Show how to do one stretch: its steps, hold and reps.

    STRETCH is a number from 'psoas list', a name, an alias, or a word or
    prefix of one: 'psoas show 11', 'psoas show pigeon', 'psoas show glute'.
    """
    found = app.catalogue.find(stretch)
    if as_json:
        _print_json(found.as_dict())
        return
    from .render import emit, stretch_details

    emit(app.console, stretch_details(found, caution=app.catalogue.caution))


def _print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def main() -> None:
    cli(prog_name="psoas")


def _register() -> None:
    # Commands living in their own modules; each imports only Click at load.
    from .cli_history import history_cmd
    from .cli_routine import play_cmd, routine_cmd

    for command in (routine_cmd, play_cmd, history_cmd):
        cli.add_command(command)


_register()
