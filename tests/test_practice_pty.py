"""psoas test and check-ins in a real pseudo-terminal: keys one at a time, the
answers kept, the terminal put back."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import termios
import time

import pytest

from .fakes import screen_rows
from .test_pty import terminal  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow


def shows(term, text: str, timeout: float = 10.0) -> list[str]:
    """Wait until the terminal's screen (as pyte draws it) shows ``text``."""
    deadline = time.monotonic() + timeout
    while True:
        rows = screen_rows(term.output, 80, 24)
        if any(text in row for row in rows):
            return rows
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"never showed {text!r}; the screen: {rows}")
        if select.select([term.master], [], [], min(left, 0.1))[0]:
            term.output += os.read(term.master, 65536).decode(errors="replace")


def answer(term, keys: str) -> None:
    for key in keys:
        term.send(key)
        time.sleep(1.2)  # each answer shows for a second; keys then are dropped


def test_the_thomas_test_in_a_terminal(terminal, tmp_path):  # noqa: F811
    term = terminal("test", "--sound", "none")
    shows(term, "Enter: more (1 of 2)")
    term.send("\r")
    shows(term, "Enter: start the test")
    term.send("\r")
    shows(term, "Get into position: right leg hanging, left knee hugged.")
    for side, keys in (("RIGHT", "2121"), ("LEFT", "1111")):
        term.send("n")  # on to the hold
        shows(term, "Knee hugged, low back flat")
        term.send("n")  # the hold ends: come out and answer
        shows(term, f"THOMAS TEST · {side} SIDE · question 1 of 4")
        answer(term, keys)
        if side == "RIGHT":
            shows(term, "Now the left side: hug your right knee")
            term.send("\r")
            shows(term, "Get into position: left leg hanging, right knee hugged.")
    assert term.finish() == 0
    assert "right: thigh lifts a little off the bed" in term.output
    assert term.restored() and term.cursor_shown_and_screen_left()
    done = subprocess.run([sys.executable, "-m", "psoas_cli", "history", "--json"],
                          capture_output=True, text=True,
                          env={**os.environ, "PSOAS_HOME": str(tmp_path / "home")})
    (test,) = json.loads(done.stdout)["tests"]
    assert [s["score"] for s in test["sides"]] == [1, 0]  # the thigh alone (2121)


def test_a_check_in_after_a_routine_in_a_terminal(terminal, tmp_path):  # noqa: F811
    term = terminal("play", "cobra", "--hold", "1", "--reps", "1", "--setup", "0",
                    "--sound", "none", "--check-in", "after")
    shows(term, "Check-in after the routine")
    answer(term, "3t")
    assert term.finish() == 0
    assert "Check-in: hips 3, back pain 10." in term.output
    assert "Your back is at 10 of 10: stop stretching for today." in term.output
    assert term.restored()


def lflags(term) -> int:
    return termios.tcgetattr(term.slave)[3]


@pytest.mark.parametrize("how", [("--plain",), ()], ids=["plain", "term-dumb"])
def test_a_plain_check_in_reads_a_normal_line_and_ctrl_c_stops(terminal, how):  # noqa: F811
    term = terminal("play", "cobra", "--hold", "1", "--reps", "1", "--setup", "0",
                    "--sound", "none", "--check-in", "before", *how,
                    env={} if how else {"TERM": "dumb"})
    term.read_until("an empty line skips:")
    time.sleep(0.3)  # the read has begun
    mode = lflags(term)
    assert mode & termios.ECHO and mode & termios.ICANON and mode & termios.ISIG
    term.send("5\x7f4\r")  # Backspace edits the line
    term.read_until("Hips: 4")
    assert "5\b \b4" in term.output or "4\r\n" in term.output  # the terminal echoed it
    term.read_until("an empty line skips:")
    term.send("\x03")
    assert term.finish() == 130
    assert "Stopped before the routine; nothing was played." in term.output
    assert term.restored()


def test_a_programs_session_asks_the_check_ins_unless_told_not_to(terminal, tmp_path):  # noqa: F811
    """The program's pain rules read the check-ins: set nowhere, its session asks them
    (the review found them off by default, so those rules never fired)."""
    env = {**os.environ, "PSOAS_HOME": str(tmp_path / "home")}
    env.pop("PSOAS_CHECKIN", None)
    started = subprocess.run([sys.executable, "-m", "psoas_cli", "program", "start"], env=env,
                             capture_output=True, text=True, timeout=30)
    assert "Each session asks how your hips and back feel (0-10)" in started.stdout
    term = terminal("program", "next", "--no-test", "--sound", "none")
    shows(term, "Check-in before the routine")
    term.send("q")
    assert term.finish() == 0
    assert "nothing was played" in term.output and term.restored()
    off = terminal("program", "next", "--no-test", "--sound", "none", "--check-in", "off")
    shows(off, "Get into position")
    assert "Check-in before" not in off.output  # the fixture closes it
