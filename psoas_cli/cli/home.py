"""``psoas`` alone: a short home page instead of a usage error.

Your streak and last session, the routines with their lengths, and three
commands to try; on stdout, exit 0, so ``psoas | less`` works.
"""

from __future__ import annotations

import click

from .app import App


def home(app: App) -> None:
    from ..history import History
    from ..ui.home_view import home_view
    from ..ui.terminal import columns, to_ascii, unicode_ok
    from .routine import play_routine_cmd, routine_cmd, routine_rows

    # The lengths 'psoas routine' lists: at the level and minutes of your
    # settings and environment, which its options take on by themselves.
    group = click.Context(routine_cmd, info_name="routine", parent=click.get_current_context())
    with play_routine_cmd.make_context("routine", [], group) as ctx:
        # A routines file with a mistake costs a warning here, not the page.
        found = app.routines(extra=ctx.params["routines_path"], lenient=True)
        rows = routine_rows(found, **ctx.params)
    routines = [(name, seconds, description) for name, _, seconds, description in rows]
    with History(app.home(), warn=app.warn, now=app.now) as history:
        report = history.report(limit=1)
    slugs = [s.slug for s in app.catalogue]
    example = "pigeon" if "pigeon" in slugs else slugs[0]
    text = home_view(report, routines, stretch=example, width=columns(app.stdout, app.env))
    click.echo(text if unicode_ok(app.stdout, app.env) else to_ascii(text), file=app.stdout)
