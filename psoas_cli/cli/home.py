"""``psoas`` alone: a short home page instead of a usage error.

Your streak and last session, the routines with their lengths, and three
commands to try; on stdout, exit 0, so ``psoas | less`` works.
"""

from __future__ import annotations

import click

from psoas_cli.cli.app import App


def home(app: App) -> None:
    from psoas_cli.cli.routine import play_routine_cmd, routine_cmd, routine_rows
    from psoas_cli.history.store import History
    from psoas_cli.ui.terminal import columns, to_ascii, unicode_ok
    from psoas_cli.ui.views.home import home_view

    app.home()  # something else in the psoas folder's place: that error alone
    # The lengths 'psoas routine' lists: at the level and minutes of your
    # settings and environment, which its options take on by themselves.
    # A mistake in those, or in a routines file, costs a warning here, not
    # the page: it is where a user looks first.
    params = _routine_options(app, play_routine_cmd, routine_cmd)
    found = app.routines(extra=params["routines_path"], lenient=True)
    rows = routine_rows(found, **params)
    routines = [(name, seconds, description) for name, _, seconds, description in rows]
    with History(app.home(), warn=app.warn, now=app.now) as history:
        report = history.report(limit=1)
    slugs = [s.slug for s in app.catalogue]
    example = "pigeon" if "pigeon" in slugs else slugs[0]
    text = home_view(report, routines, stretch=example, width=columns(app.stdout, app.env))
    click.echo(text if unicode_ok(app.stdout, app.env) else to_ascii(text), file=app.stdout)


def _routine_options(app: App, command: click.Command, group: click.Group) -> dict:
    """The options 'psoas routine' would take with nothing typed; without the
    settings and the environment when those have a mistake (said in a warning)."""
    from psoas_cli.cli.errors import from_environment
    from psoas_cli.errors import PsoasError

    parent = click.Context(group, info_name="routine", parent=click.get_current_context())
    try:
        with command.make_context("routine", [], parent) as ctx:
            return dict(ctx.params)
    except (PsoasError, click.BadParameter) as exc:
        blamed = from_environment(exc) if isinstance(exc, click.BadParameter) else None
        said = f"{blamed}: {exc.message}" if blamed else str(exc)
        app.warn(f"{said.rstrip('.')}; routine lengths shown without your settings")
    with command.make_context("routine", [], parent, default_map={},
                              resilient_parsing=True) as ctx:
        return {name: (None if name in ("minutes", "level") else value)
                for name, value in ctx.params.items()}
