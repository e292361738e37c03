"""Where there is no termios (Windows): psoas says so in one line and plays line by line.

Windows is simulated on this machine: the child process cannot import
termios, and its signal module lacks the POSIX-only signals.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.test_pty import ALT_ON, QUICK, Terminal

pytestmark = pytest.mark.slow  # a fresh Python each, most in a pseudo-terminal

AS_ON_WINDOWS = (
    "import signal, sys\n"
    "sys.modules['termios'] = None  # import termios fails\n"
    "for name in ('SIGHUP', 'SIGQUIT', 'SIGWINCH', 'SIGTSTP', 'SIGCONT'):\n"
    "    delattr(signal, name)\n"
)
PLAY = AS_ON_WINDOWS + (
    "sys.argv[0] = 'psoas'\n"
    "from psoas_cli.cli.main import main\n"
    "main()\n"
)
WARNING = ("psoas: the live screen needs termios (Linux, macOS); going line by line "
           "instead")


def test_the_keys_module_imports_and_says_there_are_no_keys():
    code = AS_ON_WINDOWS + (
        "import psoas_cli.ui.keys as keys\n"
        "from psoas_cli.ui.terminal import keys_available\n"
        "print(keys_available(), sorted(keys._SIGNALS.values()))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out == "False ['interrupt', 'terminate']\n"


def test_a_terminal_without_termios_gets_one_line_and_the_plain_player(tmp_path):
    routines = tmp_path / "quick.yaml"
    routines.write_text(QUICK)
    term = Terminal(["routine", "quick", "--routines", str(routines), "--sound", "none"],
                    tmp_path, code=PLAY)
    try:
        assert term.finish() == 0
        lines = term.output.replace("\r\n", "\n").splitlines()
        assert lines[0] == WARNING
        assert lines.count(WARNING) == 1
        assert "   0:01  1/1 Camel pose: hold (0:01)" in lines
        assert "Finished quick in 0:02." in term.output
        assert ALT_ON not in term.output  # no full screen
        assert term.restored()
    finally:
        term.close()


@pytest.mark.parametrize("args, shown, said", [
    (["play", "pigeon"], "1/1 Pigeon pose (advanced): get ready, right shin (0:01)",
     "Stopped play pigeon"),
    (["play", "pigeon", "--wait", "--side", "left"],
     "1/1 Pigeon pose (advanced): get ready, left shin",
     "psoas: --wait needs a keyboard; counting down instead"),
    (["remind", "--no-history"], "Next break at", "Reminders stopped."),
], ids=["play", "play --wait", "remind"])
def test_ctrl_c_still_stops_with_130(tmp_path, args, shown, said):
    term = Terminal([*args, "--sound", "none"], tmp_path, code=PLAY)
    try:
        term.read_until(shown)
        # psoas remind prints its first lines just before it takes the keys and
        # signals: a Ctrl-C in that instant is Python's own KeyboardInterrupt,
        # exit 1.  A person is slower.
        time.sleep(0.3)
        term.send("\x03")
        assert term.finish() == 130
        assert WARNING in term.output.replace("\r\n", "\n").splitlines()
        assert said in term.output
        assert ALT_ON not in term.output
    finally:
        term.close()
