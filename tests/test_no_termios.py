"""Where there is no termios (Windows): psoas says so in one line and plays line by line.

Windows is simulated on this machine: the child process cannot import
termios, and its signal module lacks the POSIX-only signals.
"""

from __future__ import annotations

import subprocess
import sys

from tests.test_pty import ALT_ON, QUICK, Terminal

AS_ON_WINDOWS = (
    "import signal, sys\n"
    "sys.modules['termios'] = None  # import termios fails\n"
    "for name in ('SIGHUP', 'SIGWINCH', 'SIGTSTP', 'SIGCONT'):\n"
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


def test_ctrl_c_still_stops_with_130(tmp_path):
    term = Terminal(["play", "pigeon", "--sound", "none"], tmp_path, code=PLAY)
    try:
        term.read_until("1/1 Pigeon pose: get ready, right side (0:20)")
        term.send("\x03")
        assert term.finish() == 130
        assert "Stopped play pigeon" in term.output
    finally:
        term.close()


def test_wait_is_refused_without_keys(tmp_path):
    term = Terminal(["play", "pigeon", "--wait", "--hold", "1", "--reps", "1", "--sound",
                     "none", "--side", "left"], tmp_path, code=PLAY)
    try:
        term.read_until("1/1 Pigeon pose: get ready, left side")
        term.send("\x03")
        assert term.finish() == 130
        assert "psoas: --wait needs a keyboard; counting down at each switch instead" in \
            term.output
    finally:
        term.close()


def test_remind_says_so_too_and_prints_a_line_per_break(tmp_path):
    term = Terminal(["remind", "--no-history", "--sound", "none"], tmp_path, code=PLAY)
    try:
        term.read_until("Next break at")
        term.send("\x03")
        assert term.finish() == 130
        lines = term.output.replace("\r\n", "\n").splitlines()
        assert lines[0] == WARNING
        assert ALT_ON not in term.output
    finally:
        term.close()
