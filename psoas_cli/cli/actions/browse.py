"""Browsing the catalogue: what 'psoas list' and 'psoas show' do."""

from __future__ import annotations

from psoas_cli.cli.app import App
from psoas_cli.errors import PsoasError
from psoas_cli.ui.console import emit
from psoas_cli.ui.figures.view import NO_FIGURE, mode_for
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


def _setting(app: App) -> str | None:
    """The figure_style setting; none from a settings file with a mistake
    (showing a stretch needs no settings: the commands that do say what it is)."""
    try:
        style = app.settings().get("figure_style")
    except PsoasError:
        return None
    return style if isinstance(style, str) else None


def show_stretch(app: App, name: str, *, figure: bool | None, side: str, as_json: bool,
                 style: str | None = None) -> None:
    found = app.catalogue.find(name)
    if as_json:
        app.print_json({**found.as_dict(), "breathing": app.catalogue.breathing or None,
                        "general_caution": app.catalogue.caution or None})
        return
    mode = None
    if figure or (figure is None and is_tty(app.stdout)):
        mode = mode_for(app.stdout, style or _setting(app), environ=app.env)
        if mode == NO_FIGURE:  # the style says none; --figure, given, still draws one
            mode = mode_for(app.stdout, None, environ=app.env) if figure else None
    emit(app.console, stretch_details(found, caution=app.catalogue.caution,
                                      breathing=app.catalogue.breathing,
                                      width=app.console.width, figure_mode=mode, side=side))
