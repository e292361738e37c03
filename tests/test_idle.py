"""What psoas remind senses: each idle source and do-not-disturb source behind
its small interface, with the real commands' output faked; the bounded
child runner and the watcher thread with real processes (slow)."""

from __future__ import annotations

import os
import stat
import sys
import time
from types import SimpleNamespace

import pytest

from psoas_cli.ui.remind import idle, quiet
from psoas_cli.ui.remind.children import Done, Watcher, run

from .fakes import deadline


class Commands:
    """A fake ``run``: answers by the command's name; records each argv."""

    def __init__(self, **answers: Done | str) -> None:
        self.answers = answers
        self.ran: list[list[str]] = []

    def __call__(self, argv, **options) -> Done:
        self.ran.append(list(argv))
        answer = self.answers.get(os.path.basename(argv[0]).replace("-", "_"),
                                  Done(None, "", "", "could not start (not found)"))
        return Done(0, answer) if isinstance(answer, str) else answer


def which(*names: str):
    return lambda name: f"/usr/bin/{name}" if name in names else None


# -- each idle source ---------------------------------------------------------------------

def test_gnome_mutter_idle_monitor():
    commands = Commands(gdbus="(uint64 312000,)\n")
    source = idle.MutterIdle("/usr/bin/gdbus", commands)
    assert source.idle_seconds() == 312.0
    assert commands.ran[0][-1] == "org.gnome.Mutter.IdleMonitor.GetIdletime"
    assert idle.MutterIdle("/usr/bin/gdbus", Commands(gdbus=Done(1, "", "no such name"))) \
        .idle_seconds() is None


@pytest.mark.parametrize("tool, said", [("/usr/bin/gdbus", "(uint32 4500,)"),
                                        ("/usr/bin/qdbus", "4500\n")])
def test_kde_screensaver_idle_time(tool, said):
    commands = Commands(**{os.path.basename(tool): said})
    assert idle.ScreenSaverIdle(tool, commands).idle_seconds() == 4.5
    assert "GetSessionIdleTime" in commands.ran[0][-1]


def test_xprintidle_and_macos():
    assert idle.XprintidleIdle("/usr/bin/xprintidle", Commands(xprintidle="61000\n")) \
        .idle_seconds() == 61.0
    assert idle.XprintidleIdle("/usr/bin/xprintidle", Commands(xprintidle="oops")) \
        .idle_seconds() is None
    said = '    |   "HIDIdleTime" = 301500000000\n'
    assert idle.MacIdle("/usr/sbin/ioreg", Commands(ioreg=said)).idle_seconds() == 301.5


def test_logind_idle_hint_and_a_locked_screen():
    now = [1000.0]
    commands = Commands(loginctl="IdleHint=yes\nIdleSinceHint=700000000\nLockedHint=no\n")
    source = idle.LogindIdle("/usr/bin/loginctl", "3", commands, now=lambda: now[0])
    assert source.idle_seconds() == 300.0
    assert commands.ran[0][:3] == ["/usr/bin/loginctl", "show-session", "3"]
    commands.answers["loginctl"] = "IdleHint=no\nIdleSinceHint=0\nLockedHint=yes\n"
    assert source.idle_seconds() == 0.0  # locked from now on
    now[0] += 360
    assert source.idle_seconds() == 360.0  # locked six minutes: away
    commands.answers["loginctl"] = "IdleHint=no\nIdleSinceHint=0\nLockedHint=no\n"
    assert source.idle_seconds() == 0.0
    commands.answers["loginctl"] = Done(1, "", "Failed to connect to bus")
    assert source.idle_seconds() is None


def test_terminals_idle_time_is_the_newest_key_read(tmp_path):
    now = 10_000.0
    times = {"/dev/pts/1": now - 400, "/dev/pts/2": now - 30, "/dev/pts/3": now - 5}
    owners = {"/dev/pts/3": 1}  # someone else's terminal

    def fake_stat(path):
        if path not in times:
            raise FileNotFoundError(path)
        return SimpleNamespace(st_mode=stat.S_IFCHR | 0o620, st_uid=owners.get(path, 0),
                               st_atime=times[path])

    source = idle.TerminalIdle("/dev/pts/1", uid=0, others=lambda: list(times) + ["/gone"],
                               stat_path=fake_stat, now=lambda: now)
    assert source.idle_seconds() == 30.0
    alone = idle.TerminalIdle("/dev/pts/1", uid=0, others=lambda: [], stat_path=fake_stat,
                              now=lambda: now)
    assert alone.idle_seconds() == 400.0
    assert idle.TerminalIdle(None, uid=0, others=lambda: [], stat_path=fake_stat).idle_seconds() \
        is None


# -- which source, where ---------------------------------------------------------------------

def names(sources) -> list[str]:
    return [type(source).__name__ for source in sources]


def test_each_source_is_tried_only_where_it_exists():
    gnome = {"WAYLAND_DISPLAY": "wayland-0", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x",
             "XDG_CURRENT_DESKTOP": "ubuntu:GNOME", "XDG_SESSION_ID": "2"}
    found = idle.candidates(gnome, which=which("gdbus", "loginctl", "xprintidle"),
                            run=Commands(), platform="linux", exists=lambda p: True)
    assert names(found) == ["MutterIdle", "ScreenSaverIdle", "LogindIdle"]  # no XWayland
    kde = dict(gnome, XDG_CURRENT_DESKTOP="KDE")
    assert names(idle.candidates(kde, which=which("qdbus"), run=Commands(), platform="linux",
                                 exists=lambda p: False)) == ["ScreenSaverIdle"]
    x11 = {"DISPLAY": ":0"}
    assert names(idle.candidates(x11, which=which("xprintidle"), run=Commands(),
                                 platform="linux", exists=lambda p: False)) == ["XprintidleIdle"]
    assert names(idle.candidates(x11, which=which(), run=Commands(), platform="linux",
                                 xss=lambda display: None, exists=lambda p: False)) == []
    ssh = {"SSH_CONNECTION": "1 2 3 4"}
    assert names(idle.candidates(ssh, which=which("loginctl"), run=Commands(),
                                 platform="linux", tty="/dev/pts/4",
                                 exists=lambda p: True)) == ["LogindIdle", "TerminalIdle"]
    assert names(idle.candidates({}, which=which("ioreg", "gdbus"), run=Commands(),
                                 platform="darwin")) == ["MacIdle"]


def test_the_first_source_that_answers_is_chosen():
    gnome = {"DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "GNOME", "DBUS_SESSION_BUS_ADDRESS": "x"}
    commands = Commands(gdbus=Done(1, "", "org.gnome.Mutter.IdleMonitor was not provided"),
                        xprintidle="1200")
    sources = idle.candidates(gnome, which=which("gdbus", "xprintidle"), run=commands,
                              platform="linux", exists=lambda p: False)
    chosen = idle.choose(sources)
    assert chosen.name == "X11 (the screensaver extension, through xprintidle)"
    assert idle.choose([]) is None


# -- do-not-disturb --------------------------------------------------------------------------

def test_gnome_kde_and_dunst_do_not_disturb():
    gnome = quiet.GnomeBanners("/usr/bin/gsettings", Commands(gsettings="false\n"))
    assert gnome.active() is True
    assert quiet.GnomeBanners("/usr/bin/gsettings", Commands(gsettings="true")).active() is False
    kde = quiet.NotificationsInhibited("/usr/bin/gdbus", Commands(gdbus="(<true>,)"))
    assert kde.active() is True
    assert quiet.DunstPaused("/usr/bin/dunstctl", Commands(dunstctl="false\n")).active() is False
    assert quiet.DunstPaused("/usr/bin/dunstctl", Commands()).active() is None  # not running


def test_macos_focus_where_readable(tmp_path):
    path = tmp_path / "Assertions.json"
    focus = quiet.MacFocus(str(path))
    assert focus.active() is None  # not there, or not ours to read
    path.write_text('{"data": [{"storeAssertionRecords": [{"assertionDetails": {}}]}]}')
    assert focus.active() is True
    path.write_text('{"data": [{}]}')
    assert focus.active() is False
    path.write_text("[1, 2")
    assert focus.active() is None


def test_any_source_that_says_on_is_enough():
    env = {"XDG_CURRENT_DESKTOP": "GNOME"}
    sources = quiet.candidates(env, which=which("gsettings", "dunstctl"),
                               run=Commands(gsettings="true", dunstctl="true"), platform="linux")
    assert [type(s).__name__ for s in sources] == ["GnomeBanners", "DunstPaused"]
    assert quiet.Dnd(sources).active() is True
    assert quiet.Dnd([]).active() is None and quiet.Dnd([]).name == "none here"
    assert quiet.candidates({}, which=which(), platform="darwin", home=".")[0].path.endswith(
        "Library/DoNotDisturb/DB/Assertions.json")


def test_explain_names_a_do_not_disturb_source_only_if_it_answers():
    from psoas_cli.ui.remind.senses import dnd_text

    def dunst(answer):
        return quiet.DunstPaused("/usr/bin/dunstctl", Commands(**answer))

    # dunst installed but not running (no session bus): it is not the source
    assert dnd_text([dunst({})]) == "none answers here (dunst did not answer)"
    assert dnd_text([dunst({"dunstctl": "false"})]) == "dunst (dunstctl is-paused); off now"
    gnome = quiet.GnomeBanners("/usr/bin/gsettings", Commands(gsettings="false"))
    assert dnd_text([gnome, dunst({})]) == "GNOME (show-banners, through gsettings); on now"
    assert dnd_text([]) == "none here"


# -- the runner and the watcher, for real -----------------------------------------------------

@pytest.mark.slow
def test_a_child_that_floods_or_hangs_is_bounded():
    with deadline(20):
        flood = run([sys.executable, "-c", "import sys\nwhile True: sys.stdout.write('x' * 65536)"],
                    timeout=1.0, limit=1000)
        assert flood.code is None and len(flood.out) == 1000 and "took over 1 s" in flood.why
        started = time.monotonic()
        hang = run(["sh", "-c", "sleep 30 & sleep 30"], timeout=0.5)
        assert hang.code is None and time.monotonic() - started < 5
        assert run(["/nonexistent/cmd"]).why.startswith("could not start")
        done = run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        assert (done.code, done.out, done.err, done.ok) == (3, "out\n", "err\n", False)


@pytest.mark.slow
def test_the_watcher_keeps_the_last_answer_and_never_waits():
    answers = iter([5.0, 6.0])

    def slow_probe():
        time.sleep(0.2)
        return next(answers, None)

    watcher = Watcher(slow_probe, pause=lambda value: 0.5, stale=10, name="test").start()
    started = time.monotonic()
    assert watcher.latest() is None  # nothing yet, and no waiting for it
    assert time.monotonic() - started < 0.1
    with deadline(5):
        while watcher.latest() is None:
            time.sleep(0.02)
    assert watcher.latest() == 5.0
    watcher.stop()
    old = Watcher(lambda: 1.0, pause=lambda v: 60, stale=30.0, name="test",
                  clock=lambda: 100.0)
    old.answer = (0.0, 1.0)
    assert old.latest() is None  # too old to believe


def test_drain_gives_every_answer_since_the_last_look_once():
    watcher = Watcher(lambda: None, pause=lambda v: 60, stale=60, name="test")
    watcher.answers.extend([(1.0, 300.0), (6.0, 2.0)])
    assert watcher.drain() == [(1.0, 300.0), (6.0, 2.0)]
    assert watcher.drain() == []
