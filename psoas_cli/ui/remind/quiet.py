"""Whether the desktop's do-not-disturb is on, where it can be read.

One small interface, like the idle sources: ``DndSource`` has a ``name``
and ``active()``, True or False, or None when it can't tell now.  Each is
tried only where it exists (``candidates``); all that exist are asked, and
any one that says on is enough:

==============  ======================================================================
GNOME           ``gsettings get org.gnome.desktop.notifications show-banners``: false
                is do-not-disturb
KDE Plasma      the notification server's Inhibited property over D-Bus (``gdbus``),
                which Plasma sets for do-not-disturb
dunst           ``dunstctl is-paused``
macOS Focus     the Focus assertions macOS keeps in
                ~/Library/DoNotDisturb/DB/Assertions.json, when psoas may read it
==============  ======================================================================

Nothing is sent anywhere: each reads a setting of this session.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from psoas_cli.ui.remind.children import Done, Watcher
from psoas_cli.ui.remind.children import run as run_child

Which = Callable[[str], "str | None"]
Runner = Callable[[Sequence[str]], Done]
ASSERTIONS = "~/Library/DoNotDisturb/DB/Assertions.json"
MOST_BYTES = 1 << 20  # an Assertions.json larger than this is not read


class DndSource(Protocol):
    name: str

    def active(self) -> bool | None:
        """True while do-not-disturb is on; None when it can't be told now."""


class GnomeBanners:
    name = "GNOME (show-banners, through gsettings)"

    def __init__(self, gsettings: str, run: Runner) -> None:
        self.argv = [gsettings, "get", "org.gnome.desktop.notifications", "show-banners"]
        self.run = run

    def active(self) -> bool | None:
        done = self.run(self.argv)
        said = done.out.strip() if done.ok else ""
        return {"false": True, "true": False}.get(said)


class NotificationsInhibited:
    name = "KDE (the notification server's Inhibited property, over D-Bus)"

    def __init__(self, gdbus: str, run: Runner) -> None:
        self.argv = [gdbus, "call", "--session", "--dest", "org.freedesktop.Notifications",
                     "--object-path", "/org/freedesktop/Notifications",
                     "--method", "org.freedesktop.DBus.Properties.Get",
                     "org.freedesktop.Notifications", "Inhibited"]
        self.run = run

    def active(self) -> bool | None:
        done = self.run(self.argv)
        said = done.out.strip() if done.ok else ""  # "(<true>,)"
        return True if "true" in said else False if "false" in said else None


class DunstPaused:
    name = "dunst (dunstctl is-paused)"

    def __init__(self, dunstctl: str, run: Runner) -> None:
        self.argv = [dunstctl, "is-paused"]
        self.run = run

    def active(self) -> bool | None:
        done = self.run(self.argv)
        said = done.out.strip() if done.ok else ""
        return {"true": True, "false": False}.get(said)


class MacFocus:
    name = "macOS Focus (its assertions file)"

    def __init__(self, path: str) -> None:
        self.path = path

    def active(self) -> bool | None:
        try:
            with open(self.path, "rb") as stream:
                data = json.loads(stream.read(MOST_BYTES + 1)[:MOST_BYTES])
            records = data["data"][0].get("storeAssertionRecords") or []
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
            return None  # not readable (macOS asks for Full Disk Access), or another layout
        return bool(records)


def candidates(env: Mapping[str, str], *, which: Which, run: Runner = run_child,
               platform: str = sys.platform,
               home: str | None = None) -> list[DndSource]:
    """The do-not-disturb settings that exist here; none is read yet."""
    if platform == "darwin":
        path = os.path.join(home or os.path.expanduser("~"), ASSERTIONS[2:])
        return [MacFocus(path)]
    found: list[DndSource] = []
    desktop = env.get("XDG_CURRENT_DESKTOP", "").lower()
    gsettings, gdbus, dunstctl = which("gsettings"), which("gdbus"), which("dunstctl")
    if gsettings and any(name in desktop for name in ("gnome", "unity", "budgie", "pantheon")):
        found.append(GnomeBanners(gsettings, run))
    if gdbus and "kde" in desktop:
        found.append(NotificationsInhibited(gdbus, run))
    if dunstctl:
        found.append(DunstPaused(dunstctl, run))
    return found


class Dnd:
    """Every do-not-disturb source that exists here, asked together: on when one says so."""

    def __init__(self, sources: Sequence[DndSource]) -> None:
        self.sources = list(sources)

    @property
    def name(self) -> str:
        return ", ".join(source.name for source in self.sources) or "none here"

    def active(self) -> bool | None:
        answers = [source.active() for source in self.sources]
        if any(answers):
            return True
        return False if any(answer is False for answer in answers) else None


def watch(dnd: Dnd) -> Watcher[bool]:
    """A thread that reads do-not-disturb every 15 seconds."""
    return Watcher(dnd.active, pause=lambda answer: 15.0, stale=90.0, name="psoas-dnd")
