"""How long the user has given no input: the idle sources of ``psoas remind``.

One small interface, ``IdleSource``: a ``name`` for ``psoas remind
--explain`` and ``idle_seconds()``, the seconds since the last key or
pointer move (None when it can't tell right now).  The sources, each tried
only where it exists, first that answers wins (``choose``):

==================  ==============================================================
GNOME               Mutter's IdleMonitor over D-Bus (``gdbus``); X11 and Wayland
KDE Plasma          org.freedesktop.ScreenSaver's GetSessionIdleTime over D-Bus
                    (``gdbus`` or ``qdbus``)
X11                 the X screensaver extension: ``xprintidle``, or libXss itself
                    through ctypes where xprintidle is not installed
macOS               the HID system's HIDIdleTime (``ioreg``)
systemd-logind      the session's IdleHint/IdleSinceHint, and LockedHint (a locked
                    screen is time away), through ``loginctl``; also answers for a
                    text console or an SSH login, from its terminal
a terminal          the terminals the user types in: the last time one was read
                    from (its access time, as ``w`` shows it), for a terminal-only
                    or SSH user (never on a desktop, where input goes elsewhere)
==================  ==============================================================

Commands run through ``children.run`` (bounded in time and output); tests
pass their own ``run``, ``which`` and file system, so every source is
tested without a desktop.  Nothing here runs on the reminder's own thread:
``watch`` polls the chosen source on a thread of its own.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from psoas_cli.ui.remind.children import Done, Watcher
from psoas_cli.ui.remind.children import run as run_child

Which = Callable[[str], "str | None"]
Runner = Callable[[Sequence[str]], Done]


class IdleSource(Protocol):
    """Where the idle time comes from."""

    name: str  # what 'psoas remind --explain' says, e.g. "GNOME (Mutter's IdleMonitor)"

    def idle_seconds(self) -> float | None:
        """Seconds since the user's last input; None when it can't be told now."""


_NUMBER = re.compile(r"\b(?:uint64|uint32|int64|int32)?\s*(\d+)\b")


def _first_number(text: str) -> int | None:
    match = _NUMBER.search(text)
    return int(match.group(1)) if match else None


# -- desktop sources over D-Bus --------------------------------------------------------

class MutterIdle:
    """GNOME: org.gnome.Mutter.IdleMonitor's GetIdletime, in milliseconds."""

    name = "GNOME (Mutter's IdleMonitor, over D-Bus)"

    def __init__(self, gdbus: str, run: Runner) -> None:
        self.argv = [gdbus, "call", "--session", "--dest", "org.gnome.Mutter.IdleMonitor",
                     "--object-path", "/org/gnome/Mutter/IdleMonitor/Core",
                     "--method", "org.gnome.Mutter.IdleMonitor.GetIdletime"]
        self.run = run

    def idle_seconds(self) -> float | None:
        done = self.run(self.argv)
        number = _first_number(done.out) if done.ok else None  # "(uint64 1234,)"
        return None if number is None else number / 1000


class ScreenSaverIdle:
    """KDE Plasma (and others that offer it): org.freedesktop.ScreenSaver's
    GetSessionIdleTime, in milliseconds, through gdbus or qdbus."""

    name = "KDE (org.freedesktop.ScreenSaver, over D-Bus)"

    def __init__(self, tool: str, run: Runner) -> None:
        if os.path.basename(tool).startswith("qdbus"):
            self.argv = [tool, "org.freedesktop.ScreenSaver", "/ScreenSaver",
                         "org.freedesktop.ScreenSaver.GetSessionIdleTime"]
        else:
            self.argv = [tool, "call", "--session", "--dest", "org.freedesktop.ScreenSaver",
                         "--object-path", "/ScreenSaver",
                         "--method", "org.freedesktop.ScreenSaver.GetSessionIdleTime"]
        self.run = run

    def idle_seconds(self) -> float | None:
        done = self.run(self.argv)
        number = _first_number(done.out) if done.ok else None
        return None if number is None else number / 1000


# -- X11 -----------------------------------------------------------------------------------

class XprintidleIdle:
    """X11: ``xprintidle`` prints the X screensaver's idle time in milliseconds."""

    name = "X11 (the screensaver extension, through xprintidle)"

    def __init__(self, path: str, run: Runner) -> None:
        self.argv = [path]
        self.run = run

    def idle_seconds(self) -> float | None:
        done = self.run(self.argv)
        text = done.out.strip()
        return int(text) / 1000 if done.ok and text.isdigit() else None


# -- macOS ---------------------------------------------------------------------------------

class MacIdle:
    """macOS: the IOHIDSystem's HIDIdleTime, in nanoseconds, from ``ioreg``."""

    name = "macOS (HIDIdleTime, through ioreg)"

    def __init__(self, ioreg: str, run: Runner) -> None:
        self.argv = [ioreg, "-c", "IOHIDSystem", "-d", "4", "-r", "-k", "HIDIdleTime"]
        self.run = run

    def idle_seconds(self) -> float | None:
        done = self.run(self.argv)
        match = re.search(r'"HIDIdleTime"\s*=\s*(\d+)', done.out) if done.ok else None
        return int(match.group(1)) / 1e9 if match else None


# -- systemd-logind ----------------------------------------------------------------------------

class LogindIdle:
    """systemd-logind's view of the session: IdleHint with IdleSinceHint (set by
    the desktop, or by logind itself from a text terminal's last input), and
    LockedHint, a locked screen, counted as idle from when it was first seen
    locked."""

    name = "systemd-logind (the session's IdleHint and LockedHint, through loginctl)"

    def __init__(self, loginctl: str, session: str, run: Runner,
                 now: Callable[[], float] = time.time) -> None:
        self.argv = [loginctl, "show-session", session, "-p", "IdleHint", "-p",
                     "IdleSinceHint", "-p", "LockedHint"]
        self.run = run
        self.now = now
        self.locked_since: float | None = None

    def idle_seconds(self) -> float | None:
        done = self.run(self.argv)
        if not done.ok:
            return None
        values = dict(line.partition("=")[::2] for line in done.out.splitlines() if "=" in line)
        if "IdleHint" not in values:
            return None
        now = self.now()
        idle = 0.0
        since = values.get("IdleSinceHint", "0")
        if values["IdleHint"] == "yes" and since.isdigit() and int(since):
            idle = max(0.0, now - int(since) / 1e6)
        if values.get("LockedHint") == "yes":
            self.locked_since = self.locked_since or now
            idle = max(idle, now - self.locked_since)
        else:
            self.locked_since = None
        return idle


# -- terminals ---------------------------------------------------------------------------------

class TerminalIdle:
    """The terminals the user types in: a terminal's access time moves each time
    what is typed is read, so the newest among them is the last input.  Its
    own controlling terminal first, and the user's other terminals
    (/dev/pts/*, /dev/tty*) it may read: another tmux pane, an SSH login."""

    name = "your terminals (the time of the last key read, as 'w' shows it)"

    def __init__(self, own: str | None, *, uid: int | None = None,
                 others: Callable[[], Iterable[str]] | None = None,
                 stat_path: Callable[[str], os.stat_result] = os.stat,
                 now: Callable[[], float] = time.time) -> None:
        self.own = own
        self.uid = os.getuid() if uid is None and hasattr(os, "getuid") else uid
        self.others = others or _user_terminals
        self.stat = stat_path
        self.now = now

    def idle_seconds(self) -> float | None:
        newest = None
        for path in ([self.own] if self.own else []) + list(self.others()):
            try:
                info = self.stat(path)
            except OSError:
                continue
            if not stat.S_ISCHR(info.st_mode) or (self.uid is not None
                                                  and info.st_uid != self.uid):
                continue
            newest = info.st_atime if newest is None else max(newest, info.st_atime)
        return None if newest is None else max(0.0, self.now() - newest)


def _user_terminals() -> list[str]:
    try:
        return [entry.path for entry in os.scandir("/dev/pts") if entry.name.isdigit()]
    except OSError:
        return []


def controlling_terminal(fds: Iterable[int] = (0, 1, 2)) -> str | None:
    """The path of the terminal on stdin, stdout or stderr, if any."""
    for fd in fds:
        try:
            return os.ttyname(fd)
        except OSError:
            continue
    return None


def _xss_open(display: str) -> IdleSource | None:
    """libXss through ctypes, loaded only for an X11 display without xprintidle
    (ctypes: 0.4 MiB of every psoas remind's memory)."""
    from psoas_cli.ui.remind.xss import XssIdle  # noqa: PLC0415

    return XssIdle.open(display)


# -- choosing ----------------------------------------------------------------------------------

def candidates(env: Mapping[str, str], *, which: Which, run: Runner,
               platform: str = sys.platform, tty: str | None = None,
               xss: Callable[[str], IdleSource | None] | None = None,
               exists: Callable[[str], bool] = os.path.exists) -> list[IdleSource]:
    """The sources that may work here, most precise first; none is run yet
    (except libXss, which opens the display to know)."""
    xss = xss or _xss_open
    found: list[IdleSource] = []
    if platform == "darwin":
        if which("ioreg"):
            found.append(MacIdle(which("ioreg"), run))  # type: ignore[arg-type]
    else:
        graphical = bool(env.get("WAYLAND_DISPLAY") or env.get("DISPLAY"))
        bus = bool(env.get("DBUS_SESSION_BUS_ADDRESS")) or exists(
            os.path.join(env.get("XDG_RUNTIME_DIR", "/nonexistent"), "bus"))
        desktop = env.get("XDG_CURRENT_DESKTOP", "").lower()
        gdbus = which("gdbus")
        qdbus = which("qdbus") or which("qdbus6") or which("qdbus-qt5")
        if graphical and bus and gdbus and "kde" not in desktop:
            found.append(MutterIdle(gdbus, run))
        if graphical and bus and (qdbus or gdbus):
            found.append(ScreenSaverIdle(qdbus or gdbus, run))  # type: ignore[arg-type]
        if env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):  # X11 itself, not XWayland
            xprintidle = which("xprintidle")
            if xprintidle:
                found.append(XprintidleIdle(xprintidle, run))
            else:
                opened = xss(env["DISPLAY"])
                if opened is not None:
                    found.append(opened)
        loginctl = which("loginctl")
        if loginctl and exists("/run/systemd/seats"):
            found.append(LogindIdle(loginctl, env.get("XDG_SESSION_ID") or "auto", run))
        if not graphical:  # on a desktop, typing elsewhere than a terminal is input too
            found.append(TerminalIdle(tty))
    return found


def choose(sources: Iterable[IdleSource]) -> IdleSource | None:
    """The first source that answers now."""
    for source in sources:
        if source.idle_seconds() is not None:
            return source
    return None


def find(env: Mapping[str, str], *, which: Which, run: Runner = run_child,
         platform: str = sys.platform) -> IdleSource | None:
    """The idle source for this session: the first of ``candidates`` that answers."""
    return choose(candidates(env, which=which, run=run, platform=platform,
                             tty=controlling_terminal()))


# -- polling it off the reminder's thread ----------------------------------------------------

def watch(pick: Callable[[], IdleSource | None], threshold: float) -> Watcher[float]:
    """A thread that finds the source (``pick``), then asks it for the idle time
    as often as needed to see a span reach ``threshold``: soon after it would,
    and at least once a minute.  ``watcher.latest()`` is the last answer."""
    chosen: list[IdleSource | None] = []

    def probe() -> float | None:
        if not chosen:
            chosen.append(pick())
        source = chosen[0]
        return None if source is None else source.idle_seconds()

    def pause(idle: float | None) -> float:
        if idle is None:
            return 60.0
        return min(60.0, max(5.0, threshold - idle + 1))

    return Watcher(probe, pause=pause, stale=150.0, name="psoas-idle")
