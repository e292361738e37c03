"""End to end in a real pseudo-terminal: keys, signals, and the terminal restored."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

pytestmark = pytest.mark.slow  # every test here runs psoas in a pseudo-terminal

QUICK = """\
routines:
  quick:
    pauses: {ready: 1, switch: 1, rest: 0}
    items:
      - stretch: camel
        hold: 1
        reps: 1
        setup: 1
"""

HIDE, SHOW = "\x1b[?25l", "\x1b[?25h"
ALT_ON, ALT_OFF = "\x1b[?1049h", "\x1b[?1049l"
PUSH_TITLE, POP_TITLE, NEUTRAL_TITLE = "\x1b[22;0t", "\x1b[23;0t", "\x1b]2;\x07"


class Terminal:
    """psoas running on the slave side of a pty, driven from the master side.

    Unless a test says otherwise (``env``), the before-you-start card does not
    wait for a key (PSOAS_START_WAIT=0) and every get-ready is the 1 s these
    tests' routines give (PSOAS_SETUP=1), not as long as its words: the tests
    are about the terminal, and a real second is a second.
    """

    def __init__(self, args, tmp_path, *, code=None, cols=80, rows=24, env=None, stderr=None):
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.before = termios.tcgetattr(self.slave)
        # From 3.13 Python colours tracebacks on a terminal; PYTHON_COLORS=0 keeps
        # them plain.  Not NO_COLOR: psoas would then draw without the escape
        # codes these tests look for.
        env = {**os.environ, "PSOAS_HOME": str(tmp_path / "home"), "TERM": "xterm-256color",
               "COLUMNS": "", "LINES": "", "PYTHON_COLORS": "0", "PSOAS_START_WAIT": "0",
               "PSOAS_SETUP": "1", **(env or {})}
        env.pop("NO_COLOR", None)
        command = [sys.executable, "-c", code, *args] if code else \
            [sys.executable, "-m", "psoas_cli", *args]
        self.proc = subprocess.Popen(command, stdin=self.slave, stdout=self.slave,
                                     stderr=stderr or self.slave, env=env,
                                     preexec_fn=self._own_tty)
        self.output = ""

    def _own_tty(self):
        # A session of its own with the pty as controlling terminal, so that
        # Ctrl-C typed into it sends SIGINT as in a real terminal.
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    def read_until(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"never saw {text!r}; screen had {self.output[-600:]!r}")
            if select.select([self.master], [], [], left)[0]:
                self.output += os.read(self.master, 65536).decode(errors="replace")
        return self.output

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            if select.select([self.master], [], [], 0.05)[0]:
                self.output += os.read(self.master, 65536).decode(errors="replace")
        code = self.proc.wait(timeout=1)
        while select.select([self.master], [], [], 0.05)[0]:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.output += chunk.decode(errors="replace")
        return code

    def restored(self) -> bool:
        return termios.tcgetattr(self.slave) == self.before

    def cursor_shown_and_screen_left(self) -> bool:
        out = self.output
        return out.rfind(SHOW) > out.rfind(HIDE) and out.rfind(ALT_OFF) > out.rfind(ALT_ON)

    def hang_up(self) -> None:
        """The terminal goes away, as when an ssh connection drops."""
        os.close(self.master)
        os.close(self.slave)
        self.master = self.slave = None

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.master, self.slave):
            if fd is not None:
                os.close(fd)


@pytest.fixture
def terminal(tmp_path):
    opened = []

    def start(*args, **kwargs):
        term = Terminal(args, tmp_path, **kwargs)
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


def test_a_short_routine_plays_to_the_end(terminal, tmp_path):
    routines = tmp_path / "quick.yaml"
    routines.write_text(QUICK)
    term = terminal("routine", "quick", "--routines", str(routines), "--sound", "none")
    term.read_until("Get into position")
    assert term.finish() == 0
    assert "Finished quick in 0:02." in term.output
    assert term.restored() and term.cursor_shown_and_screen_left()


def test_pause_skip_and_quit_with_q(terminal):
    term = terminal("play", "standing", "--hold", "1")
    term.read_until("Get into position")
    assert "\x1b[?1049h" in term.output  # full screen
    term.send(" ")
    term.read_until("Paused. Press space to carry on.")
    term.send(" ")
    term.send("n")
    term.read_until("tailbone tucked, chest up")  # the hold's cue: the ready phase was skipped
    term.send("q")
    assert term.finish() == 0
    tail = term.output[term.output.rfind(ALT_OFF):]
    assert "Stopped play " in tail
    assert term.restored() and term.cursor_shown_and_screen_left()


def test_what_fitting_left_out_is_told_after_the_screen_where_it_is_seen(terminal):
    term = terminal("routine", "cooldown", "--minutes", "5", "--sound", "none")
    term.read_until("Get into position")
    term.send("q")
    assert term.finish() == 0
    note = "psoas: Left out to fit the time: Figure-four stretch."
    before, tail = term.output[:term.output.find(ALT_ON)], \
        term.output[term.output.rfind(ALT_OFF):]
    assert note not in before  # the screen would hide it at once
    assert note in tail and tail.index(note) < tail.index("Stopped cooldown after")


def test_ctrl_c_exits_130_and_restores(terminal):
    term = terminal("play", "pigeon")
    term.read_until("Get into position")
    term.send("\x03")
    assert term.finish() == 130
    assert "Stopped play " in term.output
    assert term.restored() and term.cursor_shown_and_screen_left()


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGQUIT])
def test_sigterm_exits_143_and_restores(terminal, sent):
    term = terminal("play", "pigeon")
    term.read_until("Get into position")
    term.proc.send_signal(sent)
    assert term.finish() == 143
    assert term.restored() and term.cursor_shown_and_screen_left()


def test_a_crash_in_the_player_still_restores_the_terminal(terminal):
    crash = ("import sys, psoas_cli.ui.player.live as p\n"
             "def boom(*args, **kwargs):\n    raise RuntimeError('boom')\n"
             "p.layout = boom\nsys.argv[0] = 'psoas'\n"
             "from psoas_cli.cli.main import main\nmain()\n")
    term = terminal("play", "pigeon", code=crash)
    assert term.finish() == 1
    assert "RuntimeError: boom" in term.output
    assert term.restored() and term.cursor_shown_and_screen_left()
    assert term.output.rfind(POP_TITLE) > term.output.rfind(PUSH_TITLE) > -1  # title too


def test_small_window_still_shows_countdown_and_keys(terminal):
    term = terminal("play", "pigeon", cols=40, rows=12)
    term.read_until("q quit")
    term.send("n")  # on to the hold
    screen = term.read_until("hips square")
    term.send("q")
    assert term.finish() == 0
    frame = screen[screen.rfind("\x1b[H"):]
    visible = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", frame)
    assert "Pigeon pose" in visible and "RIGHT SIDE" not in visible  # drawn in block letters
    assert "right knee forward" in visible and "q quit" in visible
    assert not any(0x2800 <= ord(c) <= 0x28FF for c in visible)  # no room for the figure
    assert term.restored()


def test_the_window_title_shows_the_time_left_and_is_put_back(terminal, tmp_path):
    routines = tmp_path / "quick.yaml"
    routines.write_text(QUICK)
    term = terminal("routine", "quick", "--routines", str(routines), "--sound", "none")
    assert term.finish() == 0
    out = term.output
    ready = out.find("\x1b]2;0:01 get ready · Camel pose · psoas\x07")
    hold = out.find("\x1b]2;0:01 hold · Camel pose · psoas\x07")
    assert -1 < out.find(PUSH_TITLE) < ready < hold  # saved, then set as the phases go
    assert out.rfind(NEUTRAL_TITLE + POP_TITLE) > hold  # a neutral title, then the old one
    assert out.rfind(POP_TITLE) < out.find("Finished quick")
    assert term.restored()


def test_plain_mode_never_touches_the_window_title(terminal, tmp_path):
    routines = tmp_path / "quick.yaml"
    routines.write_text(QUICK)
    term = terminal("routine", "quick", "--routines", str(routines), "--sound", "none",
                    "--plain")
    assert term.finish() == 0
    assert "Finished quick" in term.output
    assert "\x1b]2;" not in term.output and PUSH_TITLE not in term.output


# -- psoas remind ----------------------------------------------------------------------

@pytest.fixture
def quick(tmp_path, monkeypatch):
    """The arguments for a reminder every second of a one-stretch routine, and a
    PATH holding only a fake notify-send that logs its arguments."""
    routines = tmp_path / "quick.yaml"
    routines.write_text(QUICK)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = bin_dir / "notify-send.log"
    script = bin_dir / "notify-send"
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    return ["remind", "--routine", "quick", "--routines", str(routines)], log


def test_a_break_is_taken_and_the_reminder_comes_back(terminal, quick):
    args, log = quick
    term = terminal(*args, "--every", "1s")
    term.read_until("Enter: take a break now")
    screen = term.read_until("Time for a break: the quick routine")
    assert "\a" in screen  # the bell
    term.send("\r")
    term.read_until("Get into position")  # the player's own screen
    term.send("n")  # on to the hold
    after = len(term.read_until("Hold"))
    term.read_until("Today: 1 taken", timeout=5)  # back, with the break counted
    assert term.output.rfind(ALT_OFF, after) != -1  # the player left its screen first
    term.send("q")
    assert term.finish() == 0
    assert term.restored() and term.cursor_shown_and_screen_left()
    assert "Reminders stopped. Today: 1 taken" in term.output[term.output.rfind(ALT_OFF):]
    first = json.loads(log.read_text().splitlines()[0])
    assert first == ["--app-name=psoas", "--", "psoas",
                     "Time for a break: the quick routine (0:02). "
                     "Press Enter in psoas remind to start it."]


def test_plain_mode_on_a_terminal_says_which_keys_it_takes(terminal, quick):
    args, _ = quick
    term = terminal(*args, "--plain")
    term.read_until("Keys: Enter plays the routine now, s snoozes a break, x skips it, "
                    "q quits.")
    term.send("q")
    assert term.finish() == 0
    assert term.restored()


@pytest.mark.parametrize("how, code", [("\x03", 130), (signal.SIGTERM, 143),
                                       (signal.SIGHUP, 129)])
def test_ctrl_c_and_signals_end_it_with_the_terminal_restored(terminal, quick, how, code):
    args, _ = quick
    term = terminal(*args)
    term.read_until("Enter: take a break now")
    if isinstance(how, str):
        term.send(how)
    else:
        term.proc.send_signal(how)
    assert term.finish() == code
    assert term.restored() and term.cursor_shown_and_screen_left()


# -- hang-ups, closed streams, suspends, ASCII terminals --------------------------------------

def recorded(tmp_path):
    from psoas_cli.history.store import History

    return History(tmp_path / "home").sessions()


def test_a_terminal_that_goes_away_ends_quietly_with_129(terminal, tmp_path):
    errors = tmp_path / "stderr.txt"
    with open(errors, "w") as stderr:
        term = terminal("play", "pigeon", stderr=stderr)
        term.read_until("Get into position")
        term.hang_up()
        assert term.proc.wait(timeout=10) == 129
    assert errors.read_text() == ""  # no traceback
    (session,) = recorded(tmp_path)
    assert session.status == "stopped"


def test_sighup_exits_129_and_restores(terminal, tmp_path):
    term = terminal("play", "pigeon")
    term.read_until("Get into position")
    term.proc.send_signal(signal.SIGHUP)
    assert term.finish() == 129
    assert term.restored() and term.cursor_shown_and_screen_left()
    assert [s.status for s in recorded(tmp_path)] == ["stopped"]


def test_an_ascii_only_terminal_gets_an_ascii_screen(terminal):
    term = terminal("play", "camel", env={"PYTHONIOENCODING": "ascii"})
    term.read_until("n/> next")
    term.send("q")
    assert term.finish() == 0
    assert term.output.isascii() and "Error" not in term.output
    assert "Stopped play camel" in term.output


def psoas(tmp_path, routine: str, *, shell: str, **popen):
    """psoas playing ``routine`` (a routines file's text) under ``sh -c shell``."""
    path = tmp_path / "quick.yaml"
    path.write_text(routine)
    env = {**os.environ, "PSOAS_HOME": str(tmp_path / "home"), "TERM": "dumb",
           "PSOAS_SETUP": "1"}
    command = [sys.executable, "-m", "psoas_cli", "routine", "quick", "--routines", str(path),
               "--sound", "none"]
    return subprocess.Popen(["sh", "-c", shell, "sh", *command], env=env,
                            stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **popen)


def test_a_closed_stdout_ends_cleanly_and_marks_the_session_stopped(tmp_path):
    player = psoas(tmp_path, QUICK, shell='exec "$@" >&-')
    assert player.wait(timeout=20) == 129
    assert player.stderr.read() == ""
    assert [s.status for s in recorded(tmp_path)] == ["stopped"]


def test_a_reader_that_goes_away_ends_the_routine_stopped(tmp_path):
    player = psoas(tmp_path, QUICK, shell='exec "$@"', stdout=subprocess.PIPE)
    lines = [player.stdout.readline() for _ in range(3)]  # as 'psoas ... | head -3'
    player.stdout.close()
    assert lines[0].startswith("Before you start: quick, 1 stretch, 0:02")
    assert player.wait(timeout=20) == 129
    assert player.stderr.read() == ""
    assert [s.status for s in recorded(tmp_path)] == ["stopped"]


def test_a_reader_that_goes_away_mid_hold_ends_the_routine_then_not_at_the_next_line(tmp_path):
    """'--plain | head': the output pipe is watched while the routine waits, so
    a reader that leaves ends a 30-second hold at once, not when it is over."""
    long_hold = QUICK.replace("hold: 1", "hold: 30")
    player = psoas(tmp_path, long_hold, shell='exec "$@"', stdout=subprocess.PIPE)
    player.stdout.readline()
    player.stdout.close()
    assert player.wait(timeout=15) == 129  # the hold alone would take 30 s
    assert [s.status for s in recorded(tmp_path)] == ["stopped"]


# A job-control shell in miniature: psoas in a process group of its own, in the
# foreground of the terminal, so that Ctrl-Z really stops it (the kernel
# ignores Ctrl-Z for a group with no shell to continue it).
SHELL = """
import os, sys
child = os.fork()
if child == 0:
    os.setpgid(0, 0)
    os.execv(sys.executable, [sys.executable, "-m", "psoas_cli", *sys.argv[1:]])
os.setpgid(child, child)
os.tcsetpgrp(0, child)
print("child", child, flush=True)
while True:
    _, status = os.waitpid(child, os.WUNTRACED)
    if os.WIFSTOPPED(status):
        print("stopped", flush=True)
    else:
        sys.exit(os.waitstatus_to_exitcode(status))
"""


def test_ctrl_z_counts_the_time_stopped_as_paused(terminal, tmp_path):
    term = terminal("play", "camel", "--hold", "20", "--reps", "1", code=SHELL)
    child = int(re.search(r"child (\d+)", term.read_until("Get into position")).group(1))
    term.send("n")  # the hold starts
    term.read_until("Glutes tight")
    time.sleep(0.5)
    term.send("\x1a")  # Ctrl-Z
    term.read_until("stopped")
    time.sleep(2)
    os.kill(child, signal.SIGCONT)  # fg
    term.read_until("Paused. Press space to carry on.")
    term.send("q")
    assert term.finish() == 0
    (session,) = recorded(tmp_path)
    assert session.stretches[0].held_seconds < 1.5  # not 2.5 and more
    assert session.active_seconds < 3
    assert term.restored()


# -- the before-you-start card -------------------------------------------------------

def test_the_card_waits_for_enter_before_the_first_countdown(terminal, tmp_path):
    routines = tmp_path / "quick.yaml"
    routines.write_text(QUICK)
    term = terminal("routine", "quick", "--routines", str(routines), "--sound", "none",
                    env={"PSOAS_START_WAIT": "1"})
    term.read_until("Press Enter or space to begin")
    assert "never to pain" in term.output and "First" in term.output
    time.sleep(1.5)  # longer than the whole routine: nothing has started
    assert "Get into position" not in term.output
    term.send("\r")
    assert term.finish() == 0
    assert "Finished quick in 0:02." in term.output
    assert term.restored() and term.cursor_shown_and_screen_left()


def test_q_at_the_card_stops_before_anything_starts(terminal, tmp_path):
    routines = tmp_path / "quick.yaml"
    routines.write_text(QUICK)
    term = terminal("routine", "quick", "--routines", str(routines), "--sound", "none",
                    env={"PSOAS_START_WAIT": "1"})
    term.read_until("Press Enter or space to begin")
    term.send("q")
    assert term.finish() == 0
    assert "Stopped quick after 0:00." in term.output
    assert "Get into position" not in term.output
    assert recorded(tmp_path) == []  # never begun
    assert term.restored() and term.cursor_shown_and_screen_left()


def test_on_a_small_window_space_turns_the_cards_pages(terminal, tmp_path):
    routines = tmp_path / "quick.yaml"
    routines.write_text(QUICK)
    term = terminal("routine", "quick", "--routines", str(routines), "--sound", "none",
                    cols=40, rows=12, env={"PSOAS_START_WAIT": "1"})
    term.read_until("Enter: next")
    assert "Before you start (1/2)" in term.output  # the caution whole on the first page
    term.send(" ")
    term.read_until("or space: begin")  # only what changed is written: the keys' line
    assert "First: Camel pose, kneeling." in term.output
    time.sleep(1)
    assert "Get into position" not in term.output  # a page turned, the routine not begun
    term.send(" ")
    assert term.finish() == 0
    assert "Finished quick in 0:02." in term.output


def test_yes_prints_the_card_and_goes_straight_on(terminal, tmp_path):
    routines = tmp_path / "quick.yaml"
    routines.write_text(QUICK)
    term = terminal("routine", "quick", "--routines", str(routines), "--sound", "none", "--yes",
                    env={"PSOAS_START_WAIT": "1"})
    assert term.finish() == 0
    before = term.output[:term.output.find(ALT_ON)]
    assert "Before you start: quick, 1 stretch, 0:02" in before  # where it stays
    assert "Finished quick in 0:02." in term.output


# -- signals the moment the screen opens, and Ctrl-C while psoas starts ---------------------

@pytest.mark.slow
@pytest.mark.parametrize("sent, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129),
                                        (signal.SIGQUIT, 143), (signal.SIGINT, 130)],
                         ids=["TERM", "HUP", "QUIT", "INT"])
@pytest.mark.parametrize("what", ["player", "remind"])
def test_a_signal_as_the_screen_opens_still_restores_the_terminal(terminal, quick, what, sent,
                                                                   code):
    """Sent the moment the alternate screen's escape is read: the handlers are in
    place before that byte is written, so the screen is always left."""
    args = ["play", "pigeon"] if what == "player" else quick[0]
    for _ in range(3):
        term = terminal(*args)
        term.read_until(ALT_ON)
        term.proc.send_signal(sent)
        assert term.finish() == code, term.output[-400:]
        assert term.restored() and term.cursor_shown_and_screen_left()
        assert "Traceback" not in term.output


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.005, 0.01, 0.02, 0.03, 0.04, 0.06, 0.1])
def test_ctrl_c_while_psoas_starts_exits_130_without_a_traceback(tmp_path, delay):
    """Timed from when psoas's first module has loaded (Python's own start, before
    it, is Python's): at any moment after, Ctrl-C is 130, quietly."""
    env = {**os.environ, "PSOAS_HOME": str(tmp_path / "home")}
    child = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "psoas_cli", "play",
                              "pigeon", "--plain"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    for line in iter(child.stderr.readline, ""):
        if line.split("|")[-1].strip() == "psoas_cli.cli.start":  # psoas's first module
            break
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    said = [line for line in err.splitlines() if not line.startswith("import time:")]
    # 130, or ended by the signal itself, which a shell reports as 130 too: Python
    # ends so when a Ctrl-C passed through code it ran for itself, even one psoas
    # then caught.
    assert child.returncode in (130, -signal.SIGINT), said
    assert said == []
