"""Browsing the catalogue: what 'psoas list' and 'psoas show' do."""

from __future__ import annotations

from psoas_cli.cli.app import App
from psoas_cli.ui.console import emit
from psoas_cli.ui.figures.view import choose_mode
from psoas_cli.ui.terminal import is_tty
from psoas_cli.ui.views.catalogue import stretch_details, stretch_table


def list_stretches(app: App, *, position: str | None, equipment: str | None,
                   no_equipment: bool, target: str | None, as_json: bool) -> None:
    stretches = app.catalogue.filter(position=position, equipment=equipment,
                                     no_equipment=no_equipment, target=target)
    if as_json:
        app.print_json([s.as_dict() for s in stretches])
        return
    emit(app.console, stretch_table(stretches, total=len(app.catalogue), width=app.console.width))


def show_stretch(app: App, name: str, *, figure: bool | None, side: str, as_json: bool) -> None:
    found = app.catalogue.find(name)
    if as_json:
        app.print_json({**found.as_dict(), "breathing": app.catalogue.breathing or None,
                        "general_caution": app.catalogue.caution or None})
        return
    mode = None
    if figure or (figure is None and is_tty(app.stdout)):
        mode = choose_mode(app.stdout, environ=app.env)
    emit(app.console, stretch_details(found, caution=app.catalogue.caution,
                                      breathing=app.catalogue.breathing,
                                      width=app.console.width, figure_mode=mode, side=side))
