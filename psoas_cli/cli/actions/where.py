"""What 'psoas where' does: the psoas folder and the files psoas reads."""

from __future__ import annotations

import os

import click

from psoas_cli.cli.app import App
from psoas_cli.files.config import FILE_NAME
from psoas_cli.files.datafiles import CATALOGUE, PROGRAMS, ROUTINES, bundled_path
from psoas_cli.files.remindstate import FILE_NAME as REMIND_STATE
from psoas_cli.history.dbfile import FILE_NAME as HISTORY
from psoas_cli.text import fold
from psoas_cli.ui.remind.senses import explain
from psoas_cli.ui.terminal import columns


def show_where(app: App) -> None:
    home = app.home()
    moved = " (PSOAS_HOME)" if app.env.get("PSOAS_HOME") else ""
    lines = [f"psoas folder  {home}{moved}"]
    for name, what in ((ROUTINES, "your routines"), (PROGRAMS, "your programs"),
                       (FILE_NAME, "your settings"), (HISTORY, "your sessions")):
        there = "" if os.path.exists(os.path.join(home, name)) else " (none yet)"
        lines.append(f"              {name:<14} {what}{there}")
    catalogue = app.catalogue_path or bundled_path(CATALOGUE)
    lines += [f"catalogue     {catalogue}" + ("" if app.catalogue_path else " (built in)"),
              f"routines      {bundled_path(ROUTINES)} (built in)",
              f"programs      {bundled_path(PROGRAMS)} (built in)"]
    if app.env.get("PSOAS_ROUTINES"):
        lines.append(f"              {app.env['PSOAS_ROUTINES']} (PSOAS_ROUTINES)")
    lines.append(f"cache         {app.cache_dir()}")
    idle, dnd, _ = explain(app.env)  # what psoas remind senses here (README: Break reminders)
    lines += [f"idle time     {idle} (psoas remind)",
              f"quiet         do-not-disturb: {dnd}",
              f"reminder      {os.path.join(home, REMIND_STATE)} (while psoas remind runs)"]
    width = max(40, columns(app.stdout, app.env))
    for line in lines:  # a long one goes on under its words, a path kept whole
        click.echo("\n".join(fold(line, width, indent=" " * 14)), file=app.stdout)
