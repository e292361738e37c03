"""Telling the user a break is due when they aren't looking at the terminal.

Three ways, used together by ``Notifier``:

* the terminal bell;
* a desktop notification through ``notify-send`` (Linux and other free
  desktops) or ``osascript`` (macOS), found with ``shutil.which`` and run
  in the background with an argument list, never a shell;
* the terminal's own notification escape, for terminals that turn one into
  a desktop notification.  Which terminals honour which:

  ========================  ===================================================
  OSC 9  ``ESC ] 9 ; text BEL``
                            iTerm2, kitty, WezTerm, Ghostty, foot (recent)
  OSC 777 ``ESC ] 777 ; notify ; title ; body BEL``
                            rxvt-unicode (with its notify extension), foot,
                            WezTerm, Ghostty, and VTE terminals whose VTE
                            carries the notification patch (GNOME Terminal and
                            Ptyxis on Fedora), which show it only when the
                            tab is in the background
  ========================  ===================================================

  Others (xterm, Alacritty, Konsole, Terminal.app, the Linux console) ignore
  or mishandle them, and tmux and screen swallow them, so an escape is sent
  only to a terminal known to honour it (``pick_escape``).  Those terminals
  raise a desktop notification themselves, so the escape is sent only where
  ``notify-send``/``osascript`` can't reach the user: when neither is
  installed, or over SSH (where they would notify the remote machine).
  ``PSOAS_NOTIFY_ESCAPE=osc9|osc777|none`` overrides the guess.

No Click, no Rich.  Anything shown comes from our own sentences plus a
routine name, which may come from a user's YAML file, so every text is
cleaned of control characters before it leaves.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import IO

from psoas_cli import limits
from psoas_cli.ui.terminal import is_tty

OSC9, OSC777 = "osc9", "osc777"
ESCAPE_VARIABLE = "PSOAS_NOTIFY_ESCAPE"
TITLE_LIMIT, BODY_LIMIT = 60, 200
RUN_LIMIT = limits.CHILD_SECONDS  # a notification command's time before it is killed

NOTHING_FOUND = ("no desktop notifications: neither notify-send nor osascript is installed; "
                 "the bell and this screen still remind you")

# C0 and C1 controls, DEL, and the invisible marks that reorder text.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def clean(text: str, limit: int = BODY_LIMIT) -> str:
    """One line of printable text: controls become spaces, runs of space one."""
    text = " ".join(_CONTROLS.sub(" ", str(text)).split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


# -- desktop notification commands -------------------------------------------------

def notify_send_argv(path: str, title: str, body: str) -> list[str]:
    """notify-send reads C escapes (``\\n``, ``\\t``) in the body and most
    notification servers read it as markup, so backslashes and ``& < >`` are
    escaped to arrive as typed; ``--`` ends the options, so a leading dash is
    text."""
    body = clean(body).replace("\\", "\\\\")
    body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return [path, "--app-name=psoas", "--", clean(title, TITLE_LIMIT), body]


# The text goes in as arguments to the script's run handler, never inside the
# AppleScript source, so no quote or backslash in it can end a string early.
_APPLESCRIPT = ("on run argv",
                "display notification (item 2 of argv) with title (item 1 of argv)",
                "end run")


def osascript_argv(path: str, title: str, body: str) -> list[str]:
    # osascript stops reading options at the first argument that isn't one;
    # a title that starts with a dash would be read as an option instead.
    title = clean(title, TITLE_LIMIT).lstrip("-").strip() or "psoas"
    script = [part for line in _APPLESCRIPT for part in ("-e", line)]
    return [path, *script, title, clean(body)]


COMMANDS: dict[str, Callable[[str, str, str], list[str]]] = {
    "notify-send": notify_send_argv,
    "osascript": osascript_argv,
}


def find_command(which: Callable[[str], str | None] = shutil.which,
                 platform: str = sys.platform) -> tuple[str, str] | None:
    """(name, path) of the notification command to use, or None."""
    names = ("osascript", "notify-send") if platform == "darwin" else ("notify-send", "osascript")
    for name in names:
        path = which(name)
        if path:
            return name, path
    return None


class Desktop:
    """Desktop notifications through an outside command, never blocking.

    Each command runs in its own session with no terminal, and a small
    thread waits for it (killing it after ``RUN_LIMIT`` seconds), so no
    zombie is left behind.  Problems are told once, through ``warn``, on the
    caller's thread: that no command exists, or that one failed.
    """

    def __init__(self, *, which: Callable[[str], str | None] = shutil.which,
                 platform: str = sys.platform,
                 spawn: Callable[..., subprocess.Popen] = subprocess.Popen,
                 warn: Callable[[str], None] | None = None, limit: float = RUN_LIMIT) -> None:
        self.command = find_command(which, platform)
        self.spawn = spawn
        self.warn = warn or (lambda message: None)
        self.limit = limit
        self.told: set[str] = set()
        self.failures: list[str] = []  # appended by the waiting threads
        self.threads: list[threading.Thread] = []

    def check(self) -> bool:
        """Tell any news once; True when a command is there to use."""
        if self.command is None:
            self._tell("missing", NOTHING_FOUND)
        while self.failures:
            self._tell("failed", self.failures.pop(0))  # the first failure only
        return self.command is not None

    def show(self, title: str, body: str) -> bool:
        """Start the command for one notification; False when none could start."""
        if not self.check():
            return False
        name, path = self.command  # type: ignore[misc]
        argv = COMMANDS[name](path, title, body)
        try:
            child = self.spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
        except OSError as error:
            self._tell("failed", f"no desktop notifications: {name} could not start "
                                 f"({error.strerror})")
            return False
        waiter = threading.Thread(target=self._reap, args=(name, child), daemon=True)
        waiter.start()
        self.threads = [t for t in self.threads if t.is_alive()] + [waiter]
        return True

    def running(self) -> bool:
        """Whether a command started is still running (its failure would be news)."""
        return any(thread.is_alive() for thread in self.threads)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the commands started so far (tests; a tidy exit)."""
        for thread in list(self.threads):
            thread.join(timeout)

    def _reap(self, name: str, child: subprocess.Popen) -> None:
        try:
            errors = bounded_output(child, self.limit)
        except subprocess.TimeoutExpired:
            self.failures.append(f"desktop notification: {name} took over "
                                 f"{self.limit:g} s and was stopped")
            return
        if child.returncode:
            # What the command said is the news; its exit status only when it said nothing.
            said = clean(errors.decode("utf-8", "replace"), 120) if errors else ""
            self.failures.append(f"desktop notifications failed: {name}: {said}" if said else
                                 f"desktop notifications failed: {name} exited with status "
                                 f"{child.returncode}")

    def _tell(self, kind: str, message: str) -> None:
        if kind not in self.told:
            self.told.add(kind)
            self.warn(message)


def bounded_output(child: subprocess.Popen, limit: float,
                   keep: int = limits.CHILD_OUTPUT_BYTES) -> bytes:
    """The first ``keep`` bytes ``child`` writes to its stderr pipe, the rest
    read and dropped (a command that floods it costs no memory), once it has
    ended; killed, and TimeoutExpired, if that takes over ``limit`` seconds."""
    deadline = time.monotonic() + limit
    kept = bytearray()
    pipe = child.stderr
    try:
        if pipe is not None:
            fd = pipe.fileno()
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise subprocess.TimeoutExpired(child.args, limit)
                if not select.select([fd], [], [], left)[0]:
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                if len(kept) < keep:
                    kept += chunk[:keep - len(kept)]
        child.wait(max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        raise
    finally:
        if pipe is not None:
            pipe.close()
    return bytes(kept)


# -- the terminal's own escapes ---------------------------------------------------------------

def pick_escape(env: Mapping[str, str], *, desktop: bool) -> str | None:
    """OSC9, OSC777 or None for the terminal described by ``env``."""
    chosen = env.get(ESCAPE_VARIABLE, "").strip().lower()
    if chosen in (OSC9, OSC777):
        return chosen
    if chosen == "none":
        return None
    term, program = env.get("TERM", ""), env.get("TERM_PROGRAM", "")
    if env.get("TMUX") or env.get("STY") or term.startswith(("screen", "tmux")):
        return None  # swallowed; the bell still gets through
    remote = bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY"))
    if desktop and not remote:
        return None  # the desktop command already shows it; don't show it twice
    if program == "iTerm.app" or term == "xterm-kitty":
        return OSC9
    if (program in ("WezTerm", "ghostty") or term in ("xterm-ghostty", "foot", "foot-extra")
            or term.startswith("rxvt-unicode") or env.get("VTE_VERSION")):
        return OSC777
    return None


def escape(kind: str, title: str, body: str) -> str:
    """The escape sequence of ``kind`` carrying a cleaned title and body."""
    title, body = clean(title, TITLE_LIMIT), clean(body)
    if kind == OSC9:
        return f"\x1b]9;{title}: {body}\x07"
    return f"\x1b]777;notify;{title.replace(';', ',')};{body}\x07"


def alert_terminal(stream: IO[str], title: str, body: str, *, kind: str | None,
                   bell: bool = True) -> bool:
    """Ring the bell and send the escape, only if ``stream`` is a terminal."""
    if not is_tty(stream):
        return False
    text = ("\a" if bell else "") + (escape(kind, title, body) if kind else "")
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        stream.write(text.encode(encoding, "replace").decode(encoding))
        stream.flush()
    except (OSError, ValueError, LookupError):
        return False  # a terminal that has gone away must not stop the reminder
    return True


# -- together ------------------------------------------------------------------------------------

class Notifier:
    """Bell, escape and desktop notification for each break that comes due."""

    def __init__(self, stream: IO[str], *, env: Mapping[str, str] | None = None,
                 desktop: Desktop | None = None, bell: bool = True,
                 warn: Callable[[str], None] | None = None) -> None:
        self.stream = stream
        self.desktop = desktop if desktop is not None else Desktop(warn=warn)
        self.bell = bell
        self.kind = pick_escape(os.environ if env is None else env,
                                desktop=self.desktop.command is not None)

    def notify(self, title: str, body: str) -> None:
        alert_terminal(self.stream, title, body, kind=self.kind, bell=self.bell)
        self.desktop.show(title, body)

