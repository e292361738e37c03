"""``psoas list`` and ``psoas show``: browse the catalogue."""

from __future__ import annotations

import click

from psoas_cli.cli.app import App, pass_app
from psoas_cli.cli.command import Command
from psoas_cli.cli.complete import stretch_names

FIGURE_STYLES = ("braille", "blocks", "ascii", "none")  # as ui/figures/view.STYLES


@click.command(name="list", cls=Command)
@click.option("--position", "-p", metavar="WORD",
              help="Only stretches in this position (standing, seated, kneeling, back...).")
@click.option("--equipment", "-e", metavar="ITEM", help="Only stretches that use ITEM (mat, "
              "chair, foam roller).")
@click.option("--no-equipment", is_flag=True, help="Only stretches that need nothing at all.")
@click.option("--target", "-t", metavar="AREA",
              help="Only stretches for AREA (glutes, quadriceps...).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def list_cmd(app: App, position: str | None, equipment: str | None, no_equipment: bool,
             target: str | None, as_json: bool) -> None:
    """List the stretches in the catalogue.

    \b
    Examples:
      psoas list                  all of them
      psoas list -p standing      those done standing
      psoas list --no-equipment   those that need nothing
      psoas list --json           for scripts
    """
    from psoas_cli.cli.actions.browse import list_stretches

    list_stretches(app, position=position, equipment=equipment, no_equipment=no_equipment,
                   target=target, as_json=as_json)


@click.command(name="show", cls=Command)
@click.argument("stretch", shell_complete=stretch_names)
@click.option("--figure/--no-figure", default=None,
              help="Draw the pose above the steps, or leave it out (default: drawn on a "
                   "terminal, left out in a pipe).")
@click.option("--side", type=click.Choice(["right", "left"]), default="right",
              show_default=True, help="The side the figure shows; left is its mirror image.")
@click.option("--figure-style", type=click.Choice(list(FIGURE_STYLES)),
              envvar="PSOAS_FIGURE_STYLE",
              help="Draw the figure in braille dots, blocks or ASCII, or none (default: your "
                   "figure_style setting, else braille where the terminal can show it).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def show_cmd(app: App, stretch: str, figure: bool | None, side: str, figure_style: str | None,
             as_json: bool) -> None:
    """Show how to do one stretch: its steps, hold and reps.

    Also what each side means, what to take care over, how to make it
    easier, and on a terminal a drawing of the pose.

    STRETCH is a number from 'psoas list', a name, an alias, or a word or
    prefix of one, in any case.

    \b
    Examples:
      psoas show 11           by its number
      psoas show pigeon       by name, or a word of it
      psoas show ustrasana    by another name
      psoas show glute --json
    """
    from psoas_cli.cli.actions.browse import show_stretch

    show_stretch(app, stretch, figure=figure, side=side, style=figure_style, as_json=as_json)
