"""``psoas`` alone: a short home page instead of a usage error.

Your streak and last session, the routines with their lengths, and three
commands to try; on stdout, exit 0, so ``psoas | less`` works.
"""

from __future__ import annotations

import click

from psoas_cli.cli.actions.play import PlayOptions, routine_rows, settings_and_environment
from psoas_cli.cli.app import App
from psoas_cli.errors import PsoasError
from psoas_cli.history.store import History
from psoas_cli.ui.terminal import columns, to_ascii, unicode_ok
from psoas_cli.ui.views.home import home_view


def home(app: App) -> None:
    app.home()  # something else in the psoas folder's place: that error alone
    # The lengths 'psoas routine' lists: at the level and minutes of your
    # settings and environment.  A mistake in those, or in a routines file,
    # costs a warning here, not the page: it is where a user looks first.
    found = app.routines(extra=app.env.get("PSOAS_ROUTINES") or None, lenient=True)
    rows = routine_rows(found, _options(app))
    routines = [(name, seconds, description) for name, _, seconds, description in rows]
    with History(app.home(), warn=app.warn, now=app.now) as history:
        report = history.report(limit=1, rest=app.rest_days())
    slugs = [s.slug for s in app.catalogue]
    example = "pigeon" if "pigeon" in slugs else slugs[0]
    text = home_view(report, routines, stretch=example, width=columns(app.stdout, app.env))
    click.echo(text if unicode_ok(app.stdout, app.env) else to_ascii(text), file=app.stdout)


def _options(app: App) -> PlayOptions:
    """What 'psoas routine' would play with nothing typed; without the settings
    and the environment when those have a mistake (said in a warning)."""
    try:
        chosen = settings_and_environment(app)
    except PsoasError as exc:
        app.warn(f"{str(exc).rstrip('.')}; routine lengths shown without your settings")
        return PlayOptions()
    return PlayOptions(minutes=chosen.get("minutes"), level=chosen.get("level"),
                       setup=chosen.get("setup"), wait=bool(chosen.get("wait")))
