"""Notifications: real child processes of fake notify commands put on PATH."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap

import pytest

from psoas_cli.ui.remind.notify import (
    NOTHING_FOUND,
    OSC9,
    OSC777,
    Desktop,
    Notifier,
    alert_terminal,
    clean,
    escape,
    pick_escape,
)

HOSTILE_TITLE = 'psoas "break" $(touch pwned-title) \\ it\'s'
HOSTILE_BODY = ("Time for a break:\n'desk'; rm -rf ~; \"q\" $(touch pwned) `touch pwned2` "
                "C:\\temp \\n & <b>bold</b>\x1b]0;evil\x07\x1b[2J\t -x \u202eevil")


@pytest.fixture
def bin_dir(tmp_path, monkeypatch):
    """An empty folder as the whole PATH, and the working folder for the test."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def fake_command(folder, name, *, status=0, stderr="", block_on=None):
    """A program called ``name`` that appends its arguments, as JSON, to ``name``.log.

    ``block_on`` is a FIFO it opens first, so it runs until the test writes to it.
    """
    log = folder / f"{name}.log"
    script = folder / name
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import json, sys
        if {str(block_on)!r} != "None":
            open({str(block_on)!r}).read()
        with open({str(log)!r}, "a") as out:
            out.write(json.dumps(sys.argv[1:]) + "\\n")
        sys.stderr.write({stderr!r})
        sys.exit({status})
        """))
    script.chmod(0o755)
    return log


def calls(log) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


class Spy:
    """Wraps Popen to keep the children and how they were started."""

    def __init__(self):
        self.children, self.options = [], []

    def __call__(self, argv, **options):
        self.options.append((argv, options))
        child = subprocess.Popen(argv, **options)
        self.children.append(child)
        return child


# -- desktop commands --------------------------------------------------------------------

def test_notify_send_gets_the_title_and_body_as_two_arguments(bin_dir):
    log = fake_command(bin_dir, "notify-send")
    desktop = Desktop(platform="linux")
    assert desktop.show("psoas", "Time for a break: the desk routine.")
    desktop.wait(10)
    assert calls(log) == [["--app-name=psoas", "--", "psoas",
                           "Time for a break: the desk routine."]]


def test_hostile_text_arrives_as_one_argument_and_no_shell_runs_it(bin_dir, tmp_path):
    log = fake_command(bin_dir, "notify-send")
    spy = Spy()
    desktop = Desktop(platform="linux", spawn=spy)
    desktop.show(HOSTILE_TITLE, HOSTILE_BODY)
    desktop.wait(10)
    assert calls(log) == [[
        "--app-name=psoas", "--",
        'psoas "break" $(touch pwned-title) \\ it\'s',
        "Time for a break: 'desk'; rm -rf ~; \"q\" $(touch pwned) `touch pwned2` "
        "C:\\\\temp \\\\n &amp; &lt;b&gt;bold&lt;/b&gt; ]0;evil [2J -x evil"]]
    argv, options = spy.options[0]
    assert isinstance(argv, list) and not options.get("shell")
    assert not list(tmp_path.glob("pwned*"))


def test_osascript_takes_the_text_as_arguments_not_inside_the_script(bin_dir, tmp_path):
    log = fake_command(bin_dir, "osascript")
    desktop = Desktop(platform="darwin")
    desktop.show(HOSTILE_TITLE, HOSTILE_BODY)
    desktop.wait(10)
    assert calls(log) == [[
        "-e", "on run argv",
        "-e", "display notification (item 2 of argv) with title (item 1 of argv)",
        "-e", "end run",
        'psoas "break" $(touch pwned-title) \\ it\'s',
        "Time for a break: 'desk'; rm -rf ~; \"q\" $(touch pwned) `touch pwned2` "
        "C:\\temp \\n & <b>bold</b> ]0;evil [2J -x evil"]]
    assert not list(tmp_path.glob("pwned*"))


def test_osascript_never_gets_a_title_it_would_read_as_an_option(bin_dir):
    log = fake_command(bin_dir, "osascript")
    desktop = Desktop(platform="darwin")
    desktop.show("--help", "body")
    desktop.wait(10)
    assert calls(log)[0][-2:] == ["help", "body"]


@pytest.mark.parametrize("platform, used", [("linux", "notify-send"), ("darwin", "osascript")])
def test_each_platform_prefers_its_own_command(bin_dir, platform, used):
    logs = {name: fake_command(bin_dir, name) for name in ("notify-send", "osascript")}
    desktop = Desktop(platform=platform)
    desktop.show("psoas", "hello")
    desktop.wait(10)
    assert [name for name, log in logs.items() if log.exists()] == [used]


def test_a_note_once_when_neither_command_exists(bin_dir):
    notes = []
    desktop = Desktop(platform="linux", warn=notes.append)
    assert not desktop.show("psoas", "one")
    assert not desktop.show("psoas", "two")
    assert desktop.check() is False
    assert notes == [NOTHING_FOUND]
    assert notes[0] == ("no desktop notifications: neither notify-send nor osascript is "
                        "installed; the bell and this screen still remind you")


def test_showing_never_waits_for_the_command_and_leaves_no_zombie(bin_dir, tmp_path):
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    log = fake_command(bin_dir, "notify-send", block_on=gate)
    spy = Spy()
    desktop = Desktop(platform="linux", spawn=spy)
    assert desktop.show("psoas", "hello")  # returns while the command is blocked
    child = spy.children[0]
    assert child.poll() is None and not log.exists()
    with open(gate, "w") as opened:
        opened.write("go")
    desktop.wait(10)
    assert child.returncode == 0 and calls(log) == [["--app-name=psoas", "--", "psoas", "hello"]]
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # already reaped by the waiting thread


def test_a_command_that_hangs_is_stopped(bin_dir, tmp_path):
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    fake_command(bin_dir, "notify-send", block_on=gate)
    notes, spy = [], Spy()
    desktop = Desktop(platform="linux", spawn=spy, warn=notes.append, limit=0.2)
    desktop.show("psoas", "hello")
    desktop.wait(10)
    assert spy.children[0].returncode == -9
    desktop.check()
    assert notes == ["desktop notification: notify-send took over 0.2 s and was stopped"]


def test_a_failing_command_is_told_once_with_what_it_said(bin_dir):
    fake_command(bin_dir, "notify-send", status=1,
                 stderr="Cannot autolaunch D-Bus without X11 $DISPLAY\n\x1b[31mmore\n")
    notes = []
    desktop = Desktop(platform="linux", warn=notes.append)
    desktop.show("psoas", "one")
    desktop.wait(10)
    desktop.show("psoas", "two")
    desktop.wait(10)
    desktop.check()
    assert notes == ["desktop notifications failed: notify-send: Cannot autolaunch D-Bus "
                     "without X11 $DISPLAY [31mmore"]


def test_a_command_that_cannot_start_is_told(bin_dir):
    fake_command(bin_dir, "notify-send")

    def refuse(argv, **options):
        raise PermissionError(13, "Permission denied")

    notes = []
    desktop = Desktop(platform="linux", spawn=refuse, warn=notes.append)
    assert not desktop.show("psoas", "hello")
    assert notes == ["no desktop notifications: notify-send could not start (Permission denied)"]


# -- cleaning text -----------------------------------------------------------------------

def test_clean_makes_one_printable_line():
    assert clean("a\nb\tc\x00d\x1b[2Je\x7f\x9bf\u2028g\u202eh") == "a b c d [2Je f g h"
    assert clean("x" * 300) == "x" * 197 + "..."
    assert clean("   ") == ""


# -- terminal escapes ----------------------------------------------------------------------

class Tty(io.StringIO):
    def isatty(self):
        return True


def test_escapes_carry_cleaned_text():
    assert escape(OSC9, "psoas", "Time for a break.") == "\x1b]9;psoas: Time for a break.\x07"
    assert escape(OSC777, "psoas", "Time for a break.") == \
        "\x1b]777;notify;psoas;Time for a break.\x07"
    assert escape(OSC777, "a;b\x07", "c\x1b\\d;e") == "\x1b]777;notify;a,b;c \\d;e\x07"


def test_the_bell_and_escape_go_only_to_a_terminal():
    pipe = io.StringIO()
    assert not alert_terminal(pipe, "psoas", "hi", kind=OSC9)
    assert pipe.getvalue() == ""
    tty = Tty()
    assert alert_terminal(tty, "psoas", "hi", kind=OSC777)
    assert tty.getvalue() == "\a\x1b]777;notify;psoas;hi\x07"
    quiet = Tty()
    alert_terminal(quiet, "psoas", "hi", kind=None, bell=False)
    assert quiet.getvalue() == ""


def test_an_ascii_terminal_gets_question_marks_not_an_error():
    class Bytes(io.BytesIO):
        def isatty(self):
            return True

    raw = Bytes()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    assert alert_terminal(stream, "psoas", "caf\u00e9 routine", kind=OSC9)
    assert raw.getvalue() == b"\a\x1b]9;psoas: caf? routine\x07"


@pytest.mark.parametrize("env, desktop, kind", [
    ({"TERM_PROGRAM": "iTerm.app"}, False, OSC9),
    ({"TERM": "xterm-kitty"}, False, OSC9),
    ({"TERM_PROGRAM": "WezTerm"}, False, OSC777),
    ({"TERM": "xterm-ghostty"}, False, OSC777),
    ({"TERM": "foot"}, False, OSC777),
    ({"TERM": "rxvt-unicode-256color"}, False, OSC777),
    ({"TERM": "xterm-256color", "VTE_VERSION": "7600"}, False, OSC777),
    ({"TERM": "xterm-256color"}, False, None),  # xterm, Alacritty, Konsole...
    ({"TERM": "linux"}, False, None),
    ({"TERM": "xterm-kitty"}, True, None),  # the desktop command already shows it
    ({"TERM": "xterm-kitty", "SSH_CONNECTION": "1 2 3 4"}, True, OSC9),  # it wouldn't reach you
    ({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"}, False, None),
    ({"TERM": "screen-256color"}, False, None),
    ({"TERM": "xterm", "PSOAS_NOTIFY_ESCAPE": "osc777"}, True, OSC777),
    ({"TERM": "xterm-kitty", "PSOAS_NOTIFY_ESCAPE": "none"}, False, None),
])
def test_the_escape_is_picked_for_the_terminal(env, desktop, kind):
    assert pick_escape(env, desktop=desktop) == kind


def test_notifier_rings_and_escapes_when_there_is_no_desktop_command(bin_dir):
    tty, notes = Tty(), []
    notifier = Notifier(tty, env={"TERM": "xterm-kitty"},
                        desktop=Desktop(platform="linux", warn=notes.append))
    notifier.notify("psoas", "Time for a break.")
    assert tty.getvalue() == "\a\x1b]9;psoas: Time for a break.\x07"
    assert notes == [NOTHING_FOUND]


def test_notifier_with_a_desktop_command_rings_and_shows_it_once(bin_dir):
    log = fake_command(bin_dir, "notify-send")
    tty = Tty()
    notifier = Notifier(tty, env={"TERM": "xterm-kitty"}, desktop=Desktop(platform="linux"))
    notifier.notify("psoas", "Time for a break.")
    notifier.desktop.wait(10)
    assert tty.getvalue() == "\a"
    assert calls(log) == [["--app-name=psoas", "--", "psoas", "Time for a break."]]


@pytest.mark.slow
def test_a_command_that_floods_its_stderr_is_read_in_bounded_memory(bin_dir, tmp_path):
    """notify-send's stderr is drained, its first few kB kept: a flood that once
    grew psoas remind by gigabytes costs nothing, and it is stopped on time."""
    flood = bin_dir / "notify-send"
    flood.write_text(f"#!{sys.executable}\nimport os\nblock = b'x' * (1 << 20)\n"
                     "while True:\n    os.write(2, block)\n")
    flood.chmod(0o755)
    code = textwrap.dedent("""\
        import resource, time
        from psoas_cli.ui.remind.notify import Desktop
        notes = []
        desktop = Desktop(platform="linux", warn=notes.append, limit=1.5)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.monotonic()
        desktop.show("psoas", "hello")
        desktop.wait(20)
        desktop.check()
        print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024,
              round(time.monotonic() - start, 1), notes)
        """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PATH": str(bin_dir)})
    assert done.returncode == 0, done.stderr
    megabytes, seconds, notes = done.stdout.split(" ", 2)
    assert int(megabytes) < 50, megabytes  # grown by; once 1,382 MB in those 1.5 s
    assert float(seconds) < 15  # stopped after 1.5 s; the rest is a busy machine
    assert "took over 1.5 s and was stopped" in notes


def test_what_a_failing_command_said_is_kept_to_its_first_few_kilobytes(bin_dir):
    fake_command(bin_dir, "notify-send", status=1, stderr="no D-Bus " + "x" * 100_000)
    notes = []
    desktop = Desktop(platform="linux", warn=notes.append)
    desktop.show("psoas", "one")
    desktop.wait(10)
    desktop.check()
    assert notes[0].startswith("desktop notifications failed: notify-send: no D-Bus xxx")
    assert len(notes[0]) < 200
