"""Running a small outside command for ``psoas remind``: bounded in time and output.

Every command the reminder runs besides the notifier (an idle-time probe,
a do-not-disturb probe, a hook, ``systemctl``) goes through ``run``: an
argument list (never a shell), no terminal (its own session, stdin from
/dev/null), at most ``limit`` bytes kept of each of its outputs while the
rest is read and thrown away (so a command that floods can neither fill the
memory nor block on a full pipe), and killed with its whole process group
once ``timeout`` seconds have passed.  It never raises for the command's
sake: a command that can't start, fails or hangs is an answer like any other.

``run`` blocks its caller for up to ``timeout`` seconds, so the reminder's
loop never calls it: the probes run on a thread of their own (``Watcher``)
and hooks each on one.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Generic, NamedTuple, TypeVar

LIMIT = 64 * 1024  # bytes kept of each output
TIMEOUT = 2.0  # seconds a probe may take


class Done(NamedTuple):
    """How a command ended: ``code`` is None when it could not start or was
    killed for taking too long (``why`` says which)."""

    code: int | None
    out: str
    err: str = ""
    why: str = ""  # "" when it ran to its end; else what went wrong, in a few words

    @property
    def ok(self) -> bool:
        return self.code == 0


Run = Callable[[Sequence[str]], Done]  # what a probe is given: run(argv) -> Done


def run(argv: Sequence[str], *, timeout: float = TIMEOUT, limit: int = LIMIT,
        env: Mapping[str, str] | None = None) -> Done:
    """Run ``argv`` to its end, or ``timeout`` seconds; see the module's doc."""
    try:
        child = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, start_new_session=True,
                                 env=None if env is None else dict(env))
    except (OSError, ValueError) as error:
        return Done(None, "", "", f"could not start ({getattr(error, 'strerror', None) or error})")
    deadline = time.monotonic() + timeout
    assert child.stdout is not None and child.stderr is not None  # both are pipes
    kept: dict[IO[bytes], bytearray] = {child.stdout: bytearray(), child.stderr: bytearray()}
    timed_out = False
    with selectors.DefaultSelector() as selector:
        for stream in kept:
            selector.register(stream, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            for key, _ in selector.select(left):
                data = os.read(key.fd, 65536)
                if not data:
                    selector.unregister(key.fileobj)
                    continue
                buffer = kept[key.fileobj]  # type: ignore[index]
                buffer += data[:max(0, limit - len(buffer))]
    if not timed_out:
        try:
            child.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            timed_out = True
    if timed_out:
        _kill(child)
    for stream in kept:
        stream.close()
    out, err = (bytes(kept[s]).decode("utf-8", "replace") for s in (child.stdout, child.stderr))
    if timed_out:
        return Done(None, out, err, f"took over {timeout:g} s and was stopped")
    return Done(child.returncode, out, err)


def _kill(child: subprocess.Popen) -> None:
    """The command and whatever it started (its process group), at once."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        child.kill()
    except OSError:
        pass
    child.wait()


# -- a probe on a thread of its own --------------------------------------------------------

T = TypeVar("T")


class Watcher(Generic[T]):
    """Calls ``probe()`` on a daemon thread, again after ``pause(answer)`` seconds,
    and keeps its last answer for ``latest()``, which never waits; ``drain()``
    gives every answer since it was last called, with the wall-clock time of
    each (at most ``KEPT``), so a caller that looks less often than the probe
    runs misses nothing.

    An answer older than ``stale`` seconds (a probe that hangs, the thread
    gone) is None: not known.  ``stop()`` ends the thread at its next pause.
    """

    KEPT = 100

    def __init__(self, probe: Callable[[], T | None], *, pause: Callable[[T | None], float],
                 stale: float, name: str, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self.probe = probe
        self.pause = pause
        self.stale = stale
        self.clock = clock
        self.wall = wall
        self.answers: deque[tuple[float, T]] = deque(maxlen=self.KEPT)
        self.answer: tuple[float, T | None] | None = None
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._work, name=name, daemon=True)

    def start(self) -> Watcher[T]:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()

    def latest(self) -> T | None:
        answer = self.answer
        if answer is None or self.clock() - answer[0] > self.stale:
            return None
        return answer[1]

    def drain(self) -> list[tuple[float, T]]:
        """The answers (not None) since the last call, oldest first, each with
        the wall-clock time it was given."""
        found = []
        while self.answers:
            found.append(self.answers.popleft())
        return found

    def _work(self) -> None:
        while not self.stopped.is_set():
            try:
                value = self.probe()
            except Exception:  # noqa: BLE001 - a probe that breaks is a probe that can't tell
                value = None
            self.answer = (self.clock(), value)
            if value is not None:
                self.answers.append((self.wall(), value))
            self.stopped.wait(max(0.5, self.pause(value)))
