"""Syncing around reports and routines, when a sync folder is set; nothing more
is loaded when none is.

``psoas`` alone, ``psoas history``, ``psoas progress`` and every routine pass here: without a
sync folder each costs one look at the environment and the settings (read
already), and the sync machinery (actions/sync.py: JSON, CSV, the folder's
files, the merge) is never imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from psoas_cli.cli.app import App
from psoas_cli.errors import PsoasError

if TYPE_CHECKING:
    from psoas_cli.history.store import History

KEY, ENV = "sync_dir", "PSOAS_SYNC_DIR"  # files/config.py's key (tests check they agree)


def wanted(app: App) -> bool:
    """Whether a sync folder is set (in the environment or the settings; settings
    with a mistake set none: the mistake is told where they are used)."""
    if app.env.get(ENV):
        return True
    try:
        return bool(app.settings().get(KEY))
    except PsoasError:
        return False


def before_report(app: App, history: History | None = None) -> None:
    """Sync, with a bound on what is read, before a report that counts days."""
    if not wanted(app):
        return
    # Only with a sync folder: 6 ms of JSON, CSV and the merge otherwise on every report.
    from psoas_cli.cli.actions.sync import before_report as sync_first  # noqa: PLC0415

    sync_first(app, history)


def after_routine(app: App) -> None:
    """This machine's file in the sync folder, after a routine (a bounded wait)."""
    if not wanted(app):
        return
    # Only with a sync folder, and after the routine: never before its first frame.
    from psoas_cli.cli.actions.sync import after_routine as push  # noqa: PLC0415

    push(app)
