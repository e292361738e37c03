"""``psoas`` alone: a short home page instead of a usage error.

Your streak and last session, the routines with their lengths, and three
commands to try; on stdout, exit 0, so ``psoas | less`` works.
"""

from __future__ import annotations

from datetime import timedelta

import click

from psoas_cli.cli.actions.autosync import before_report
from psoas_cli.cli.actions.plans import PlayOptions, routine_rows, settings_and_environment
from psoas_cli.cli.app import App
from psoas_cli.errors import PsoasError
from psoas_cli.history import programs
from psoas_cli.history.calendar import WEEKS, local_day
from psoas_cli.history.store import History
from psoas_cli.ui.terminal import columns, to_ascii, unicode_ok
from psoas_cli.ui.views.home import HomeProgram, home_view

SUGGEST_AFTER = 3  # sessions before psoas alone suggests a program, to one who never ran one


def home(app: App) -> None:
    app.home()  # something else in the psoas folder's place: that error alone
    # The lengths 'psoas routine' lists: at the level and minutes of your
    # settings and environment.  A mistake in those, or in a routines file,
    # costs a warning here, not the page: it is where a user looks first.
    found = app.routines(extra=app.env.get("PSOAS_ROUTINES") or None, lenient=True)
    rows = routine_rows(found, _options(app), app.catalogue.moves)
    routines = [(name, seconds, description) for name, _, seconds, description in rows]
    width = columns(app.stdout, app.env)
    with History(app.home(), warn=app.warn, now=app.now) as history:
        before_report(app, history)  # every machine's sessions count
        program = _program(app, history)
        report = history.report(limit=1, rest=app.rest_days(),
                                bridges=program.bridges if program else ())
        reading = _reading(app, history, width, retest=program is None)
    slugs = [s.slug for s in app.catalogue]
    example = "pigeon" if "pigeon" in slugs else slugs[0]
    text = home_view(report, routines, stretch=example, width=width, reading=reading,
                     program=program)
    click.echo(text if unicode_ok(app.stdout, app.env) else to_ascii(text), file=app.stdout)


def _program(app: App, history: History) -> HomeProgram | None:
    """Today's program line, when a program runs: one short query first, and the
    programs, their rules and the routines' dosing only for a run (12 ms)."""
    if not history.exists():
        return None
    if programs.active(history.file) is None:
        suggest = history.count() >= SUGGEST_AFTER and not programs.ever(history.file)
        return HomeProgram("", suggest=suggest) if suggest else None
    from psoas_cli.cli.actions import program  # noqa: PLC0415 - only while one runs

    return program.home(app, history.file)


def _reading(app: App, history: History, width: int, *, retest: bool = True) -> str | None:
    """The latest test and trend in one line (or a warning sign, or a re-test
    due), from the last 12 weeks; None with no test or check-in to go on."""
    if not history.exists() or not history.file.run(lambda conn: conn.execute(
            "SELECT EXISTS (SELECT 1 FROM tests) OR EXISTS (SELECT 1 FROM checkins)"
    ).fetchone()[0], write=False):
        return None
    # Their records, the readings and the tests' data load only for a history
    # that has tests or check-ins (4 ms).
    from psoas_cli.cli.actions.practice import selftests  # noqa: PLC0415
    from psoas_cli.history import practice  # noqa: PLC0415
    from psoas_cli.practice.readings import Facts, home_line  # noqa: PLC0415

    today = local_day(app.now())
    found = practice.read(history.file, since=today - timedelta(days=7 * WEEKS - 1),
                          after_only=True)

    facts = Facts(today, found.checkins, found.lines, found.tests, found.last_test, WEEKS,
                  last_scored=found.last_scored)
    return home_line(facts, selftests(app), width, retest=retest)


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
