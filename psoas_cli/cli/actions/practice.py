"""What the practice commands share: the self-tests and check-ins as data, and
the history's records as the readings read them."""

from __future__ import annotations

from datetime import date, timedelta

from psoas_cli.cli.app import App
from psoas_cli.files.datafiles import load_checkins, load_selftests
from psoas_cli.history import practice
from psoas_cli.history.calendar import local_day
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.model.checkins import Checkins
from psoas_cli.model.selftests import SelfTests
from psoas_cli.practice.readings import RECENT, Facts


def selftests(app: App) -> SelfTests:
    return load_selftests(cache_dir=app.cache_dir())


def checkins(app: App) -> Checkins:
    return load_checkins(cache_dir=app.cache_dir())


def read_facts(app: App, weeks: int, *, minutes: bool = False,
               file: HistoryFile | None = None,
               ) -> tuple[Facts, dict[date, tuple[float, int]]]:
    """The records of the last ``weeks`` weeks (calm lines of the last two at
    least, and the latest test ever), and each day's minutes when asked."""
    today = local_day(app.now())
    since = today - timedelta(days=7 * weeks - 1)
    file = file or HistoryFile(app.home(), warn=app.warn, now=app.now)
    try:
        found = practice.read(file, since=since, after_only=True,
                              lines_since=today - timedelta(days=RECENT - 1))
        by_day = practice.minutes_by_day(file, since) if minutes else {}
    finally:
        file.close()
    facts = Facts(today, found.checkins, found.lines, found.tests, found.last_test, weeks,
                  last_scored=found.last_scored)
    return facts, by_day
