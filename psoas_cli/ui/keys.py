"""Keys from the terminal, and signals, as the engine's key names.

While a routine plays, the terminal is in cbreak mode (keys arrive one at a
time, not echoed) and signals become keys: Ctrl-C is ``interrupt``, SIGTERM
``terminate``, SIGHUP (and the end of the terminal's input) ``hangup``, a
resize ``redraw``, Ctrl-Z ``suspend`` (carrying the time it was pressed).  A
self-pipe wakes the wait as soon as a signal arrives, so nothing is handled
in the middle of a redraw, and leaving the ``with`` block always puts the
terminal back as it was: after the end, ``q``, Ctrl-C, a signal or an
exception.  A second SIGTERM or SIGHUP before the first is handled ends
psoas at once, so it can always be stopped.
"""

from __future__ import annotations

import os
import select
import signal
import stat
import sys
import time
from collections import deque
from collections.abc import Callable
from typing import IO

from psoas_cli.play import engine

try:
    import termios  # POSIX terminals; not on Windows, where keys are never read
except ImportError:  # pragma: no cover - Windows
    termios = None  # type: ignore[assignment]

ESC = b"\x1b"
KEYMAP = {
    b" ": engine.PAUSE,
    b"p": engine.PAUSE,
    b"n": engine.NEXT,
    b"\x1b[C": engine.NEXT,  # Right
    b"\x1bOC": engine.NEXT,
    b"b": engine.BACK,
    b"\x1b[D": engine.BACK,  # Left
    b"\x1bOD": engine.BACK,
    b"q": engine.QUIT,
    b"Q": engine.QUIT,
    b"\r": engine.ENTER,
    b"\n": engine.ENTER,
}

_SIGNALS = {getattr(signal, name): key for name, key in (  # Windows has only some
    ("SIGINT", engine.INTERRUPT),
    ("SIGTERM", engine.TERMINATE),
    ("SIGQUIT", engine.TERMINATE),  # 'kill -QUIT': ends as SIGTERM does, the terminal put back
    ("SIGHUP", engine.HANGUP),
    ("SIGWINCH", engine.REDRAW),
) if hasattr(signal, name)}
_ENDINGS = {key: getattr(signal, name) for key, name in (
    (engine.TERMINATE, "SIGTERM"),
    (engine.HANGUP, "SIGHUP"),
) if hasattr(signal, name)}


def parse(data: bytes, keymap: dict[bytes, str] = KEYMAP) -> list[str]:
    """Split raw terminal input into key names, dropping keys we don't use."""
    keys = []
    i = 0
    while i < len(data):
        if data[i:i + 1] == ESC and data[i + 1:i + 2] in (b"[", b"O"):
            end = i + 2
            # A control sequence ends at its first byte in @..~ (arrows: 'C', 'D').
            while end < len(data) and not 0x40 <= data[end] <= 0x7E:
                end += 1
            chunk = data[i:end + 1]
            i = end + 1
        else:
            chunk = data[i:i + 1]
            i += 1
        if chunk in keymap:
            keys.append(keymap[chunk])
    return keys


class Keyboard:
    """Context manager giving ``wait(timeout) -> key | None`` for the engine.

    ``on_suspend``/``on_resume`` let the screen leave and re-enter full-screen
    mode around Ctrl-Z, so the shell gets a normal terminal back; ``clock``
    is the engine's, and dates the stop.
    """

    def __init__(self, stdin: IO[str] | None = None, *,
                 on_suspend: Callable[[], None] | None = None,
                 on_resume: Callable[[], None] | None = None,
                 keymap: dict[bytes, str] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 output: IO[str] | None = None) -> None:
        self.stdin = stdin or sys.stdin
        # A pipe the routine's lines go to ('--plain | head -3'): watched, so
        # that its reader going away ends the routine at once, not at the
        # next line written, which may be a whole hold later.
        self.output_fd = _pipe_fd(output)
        self._poller: select.poll | None = None  # made at the first wait that needs it
        self.keymap = keymap or KEYMAP
        self.clock = clock
        self.fd: int | None = None
        self.saved_tty: list | None = None
        self.pending: deque[str] = deque()
        self.on_suspend = on_suspend or (lambda: None)
        self.on_resume = on_resume or (lambda: None)
        self._old_handlers: dict[int, object] = {}
        self._pipe: tuple[int, int] | None = None
        self._old_wakeup = -1

    @property
    def interactive(self) -> bool:
        """True when keys can be read: stdin is a terminal."""
        return self.saved_tty is not None

    # -- entering and leaving -------------------------------------------------

    def __enter__(self) -> Keyboard:
        # The handlers first: a signal from here on is a key, so nothing that
        # changes the terminal (cbreak mode here, the screen after) is ever
        # left undone by a signal's default action.
        self._open_pipe()
        try:
            self._install_handlers()
            self._take_terminal()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._restore_terminal()
        for signum, handler in self._old_handlers.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        self._old_handlers.clear()
        self._close_pipe()

    def _open_pipe(self) -> None:
        read, write = os.pipe()
        os.set_blocking(read, False)
        os.set_blocking(write, False)
        self._pipe = (read, write)
        self._old_wakeup = signal.set_wakeup_fd(write, warn_on_full_buffer=False)

    def _close_pipe(self) -> None:
        if self._pipe is None:
            return
        signal.set_wakeup_fd(self._old_wakeup)
        for fd in self._pipe:
            os.close(fd)
        self._pipe = None

    def _take_terminal(self) -> None:
        try:
            fd = self.stdin.fileno()
        except (AttributeError, OSError, ValueError):
            return
        if not os.isatty(fd):
            return

        self.fd = fd
        self.saved_tty = termios.tcgetattr(fd)
        self._cbreak()

    def _cbreak(self) -> None:
        """Keys one at a time and not echoed; Ctrl-C still sends SIGINT."""

        assert self.fd is not None and self.saved_tty is not None
        mode = termios.tcgetattr(self.fd)
        mode[3] &= ~(termios.ECHO | termios.ICANON)  # lflag
        mode[6][termios.VMIN] = 1
        mode[6][termios.VTIME] = 0
        termios.tcsetattr(self.fd, termios.TCSADRAIN, mode)

    def _restore_terminal(self) -> None:
        if self.fd is None or self.saved_tty is None:
            return

        try:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self.saved_tty)
        except termios.error:
            pass  # the terminal has gone away (hang-up): nothing left to restore

    def _install_handlers(self) -> None:
        for signum in _SIGNALS:
            self._old_handlers[signum] = signal.signal(signum, self._on_signal)
        if _noted_interrupt(self._old_handlers.get(signal.SIGINT)):
            self.pending.append(engine.INTERRUPT)  # a Ctrl-C Python swallowed meanwhile
        self._old_handlers[signal.SIGTSTP] = signal.signal(signal.SIGTSTP, self._on_stop)

    # -- signals ---------------------------------------------------------------

    def _on_signal(self, signum: int, frame: object) -> None:
        key = _SIGNALS[signum]
        if key == engine.INTERRUPT and engine.INTERRUPT in self.pending:
            raise KeyboardInterrupt  # a second Ctrl-C while the first waits: stop now
        if key in _ENDINGS and any(k in _ENDINGS for k in self.pending):
            # The first was never handled (something blocks): end now, as the
            # default action of the signal would.
            raise SystemExit(128 + _ENDINGS[key])
        self.pending.append(key)

    def _on_stop(self, signum: int, frame: object) -> None:
        """Ctrl-Z: hand the shell a normal terminal, stop, and take it back.

        The time of the stop goes to the engine with the SUSPEND key, so the
        time stopped counts as paused.  Without a keyboard nobody could
        resume a paused routine, so it carries on at once after ``fg``.
        """
        stopped = self.clock()
        try:
            self.on_suspend()
        except OSError:
            pass  # the terminal is gone; stop all the same
        self._restore_terminal()
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)
        # Execution resumes here after SIGCONT.
        signal.signal(signal.SIGTSTP, self._on_stop)
        if self.fd is not None:
            self._cbreak()
        try:
            self.on_resume()
        except OSError:
            pass
        self.pending.append(engine.TimedKey(engine.SUSPEND, stopped))
        if not self.interactive:
            self.pending.append(engine.PAUSE)  # resume, now

    # -- waiting -----------------------------------------------------------------

    def wait(self, timeout: float | None) -> str | None:
        """The next key or signal within ``timeout`` seconds (None: no limit)."""
        if self.pending:
            return self.pending.popleft()
        assert self._pipe is not None, "use Keyboard as a context manager"
        watched = [self._pipe[0]] + ([self.fd] if self.fd is not None else [])
        if self.output_fd is not None:
            ready = self._poll(watched, timeout)
        else:
            ready, _, _ = select.select(watched, [], [], timeout)
        if self._pipe[0] in ready:
            self._drain(self._pipe[0])
        if self.fd is not None and self.fd in ready:
            data = self._read_keys()
            if data is None:  # end of input: the terminal is gone
                self.pending.append(engine.HANGUP)
            else:
                self.pending.extend(parse(data, self.keymap))
        return self.pending.popleft() if self.pending else None

    def _poll(self, watched: list[int], timeout: float | None) -> list[int]:
        """As select, with the output pipe watched too: an error or hang-up on
        it (its reader is gone) becomes the hang-up key."""
        assert self.output_fd is not None
        poller = self._poller
        if poller is None:  # the descriptors watched stay the same: registered once
            poller = self._poller = select.poll()
            for fd in watched:
                poller.register(fd, select.POLLIN)
            poller.register(self.output_fd, 0)  # errors and hang-ups are always reported
        wait = None if timeout is None else max(0, int(timeout * 1000 + 0.999))
        ready = []
        for fd, _ in poller.poll(wait):
            if fd == self.output_fd:
                self.pending.append(engine.HANGUP)
                self.output_fd = None  # said once
            else:
                ready.append(fd)
        return ready

    def _read_keys(self) -> bytes | None:
        assert self.fd is not None
        try:
            data = os.read(self.fd, 64)
        except (BlockingIOError, InterruptedError):
            return b""
        except OSError:
            return None
        return data or None

    @staticmethod
    def _drain(fd: int) -> None:
        try:
            while os.read(fd, 512):
                pass
        except BlockingIOError:
            pass


def _noted_interrupt(handler: object) -> bool:
    """Whether the SIGINT handler that was in place (cli/start.Interrupt, while
    psoas starts) noted a Ctrl-C: Python swallows the KeyboardInterrupt it
    raises when it lands in a weakref callback or a __del__, and the routine
    would otherwise play on."""
    return bool(getattr(handler, "lost", False))


def _pipe_fd(stream: IO[str] | None) -> int | None:
    """The descriptor of ``stream`` when it is a pipe (or FIFO) and poll exists."""
    if stream is None or not hasattr(select, "poll"):
        return None
    try:
        fd = stream.fileno()
        return fd if stat.S_ISFIFO(os.fstat(fd).st_mode) else None
    except (AttributeError, OSError, ValueError):
        return None


class NoKeys:
    """Stands in for Keyboard where keys cannot be read as they are typed
    (Windows: no termios).  ``wait`` just sleeps; Ctrl-C still stops.

    Ctrl-C becomes the ``interrupt`` key as with Keyboard.  It cuts a sleep
    short by raising KeyboardInterrupt only inside ``wait``, which the engine
    calls within its own handling; at any other moment it waits for the next
    ``wait``, so it never escapes half-way through starting a routine.
    """

    interactive = False

    def __init__(self) -> None:
        self._interrupted = False
        self._sleeping = False
        self._old_handler: object = None

    def __enter__(self) -> NoKeys:
        self._old_handler = signal.signal(signal.SIGINT, self._on_interrupt)
        self._interrupted = _noted_interrupt(self._old_handler)
        return self

    def __exit__(self, *exc_info: object) -> None:
        signal.signal(signal.SIGINT, self._old_handler)  # type: ignore[arg-type]

    def _on_interrupt(self, signum: int, frame: object) -> None:
        self._interrupted = True
        if self._sleeping:
            raise KeyboardInterrupt

    def wait(self, timeout: float | None) -> str | None:
        if not self._interrupted:
            try:
                self._sleeping = True
                time.sleep(timeout if timeout is not None else 60)  # no key to wait for
            except KeyboardInterrupt:
                pass
            finally:
                self._sleeping = False
        if self._interrupted:
            self._interrupted = False
            return engine.INTERRUPT
        return None
