"""A hand-advanced clock with scripted key presses, for driving the engine; a
fake clock for a thread that waits on a condition (the history writer); a
deadline for tests of things that once blocked for ever; and psoas run in a
fresh interpreter, to see which modules a command loads."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from contextlib import contextmanager, nullcontext

_FRESH = """\
import json, sys
from psoas_cli.cli.main import cli
try:
    cli.main(json.loads(sys.argv[1]), prog_name="psoas")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def fresh_run(args: list[str], env: dict | None = None) -> tuple[set[str], str]:
    """Run psoas with ``args`` in a new interpreter (with ``env`` added to the
    environment); the modules it had loaded at the end, and what it printed."""
    done = subprocess.run([sys.executable, "-c", _FRESH, json.dumps(args)],
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          check=True)
    return set(json.loads(done.stderr.splitlines()[-1])), done.stdout


class FakeClock:
    """``now()`` and ``wait(timeout)`` for the engine, without real time passing.

    ``keys`` are (seconds after the start, key) pairs.  ``lag`` makes every
    timed wait wake that much late, as a busy machine would.
    """

    def __init__(self, keys=(), *, start: float = 1000.0, lag: float = 0.0) -> None:
        self.start = start
        self.t = start
        self.keys = sorted((start + at, key) for at, key in keys)
        self.lag = lag
        self.waits: list[float | None] = []

    def now(self) -> float:
        return self.t

    def wait(self, timeout: float | None) -> str | None:
        self.waits.append(timeout)
        if self.keys and (timeout is None or self.keys[0][0] <= self.t + timeout):
            at, key = self.keys.pop(0)
            self.t = max(self.t, at)
            return key
        if timeout is None:
            raise AssertionError(f"the engine would wait forever at t={self.elapsed}")
        self.t += timeout + self.lag
        return None

    @property
    def elapsed(self) -> float:
        return self.t - self.start

    def keyboard(self, **hooks):
        """Stands in for the terminal's Keyboard: its ``wait`` is this clock's."""
        return nullcontext(self)


class ThreadClock:
    """A fake clock for code that waits on a ``threading.Condition``, on its own
    thread or another: ``now`` is its time, ``wait(condition, timeout)`` its
    ``condition.wait(timeout)`` (the history writer's ``monotonic`` and ``wait``).

    A timed wait that ends within ``at_once`` seconds of the start returns at
    once, timed out, the clock moved on to its end.  Any other wait parks until
    the condition is notified or the clock moves (``advance``, or another wait
    passing at once): False if the clock has reached its end, else True, as a
    wait woken early.  ``parked`` is set each time a wait parks, for the test to
    wait on (clear it first to see the next one).  A wait parked for ``LIMIT``
    real seconds fails the test rather than hang it.
    """

    LIMIT = 10.0

    def __init__(self, start: float = 1_750_000_000.0, *, at_once: float = 0.0) -> None:
        self.t = start
        self.until = start + at_once
        self.timeouts: list[float | None] = []  # every wait's, in order
        self.parked = threading.Event()
        self._lock = threading.Lock()  # orders the clock's moves with the waits' ends
        self._conditions: list[threading.Condition] = []

    def now(self) -> float:
        return self.t

    def wait(self, condition: threading.Condition, timeout: float | None) -> bool:
        with self._lock:
            self.timeouts.append(timeout)
            end = None if timeout is None else self.t + timeout
            if end is not None and end <= self.until:
                self.t = end
                condition.notify_all()  # a wait parked on it may be due now
                return False
            if condition not in self._conditions:
                self._conditions.append(condition)
        self.parked.set()
        if not condition.wait(self.LIMIT):
            raise AssertionError(f"a wait of {timeout} s stayed parked for {self.LIMIT} "
                                 "real seconds: nothing notified it or moved the clock on")
        return end is None or self.t < end

    def advance(self, seconds: float) -> None:
        """Move the clock on, waking the parked waits (those now due return False)."""
        with self._lock:
            self.t += seconds
            conditions = list(self._conditions)
        for condition in conditions:
            with condition:
                condition.notify_all()

    def wait_until_parked(self) -> None:
        """Return once a wait has parked since ``parked`` was last cleared."""
        if not self.parked.wait(self.LIMIT):
            raise AssertionError(f"no wait parked within {self.LIMIT} real seconds")


@contextmanager
def deadline(seconds: float):
    """Fail, rather than hang the suite, if the block blocks (SIGALRM; main thread)."""
    def expired(signum, frame):
        raise TimeoutError(f"still blocked after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def screen_rows(output: str, width: int, height: int, *, before_leaving: bool = False) -> list[str]:
    """What a terminal shows after ``output`` (pyte emulates it), rows right-stripped
    and blank rows at the bottom dropped.  ``before_leaving``: the alternate screen as
    it was just before the program left it."""
    import pyte

    if before_leaving:
        output = output[:output.rindex("\x1b[?1049l")]
        output = output.removesuffix("\x1b[0m\x1b[?25h")
        output = output.removesuffix("\x1b[H\x1b[2J")  # the screen is cleared as it is left
    screen = pyte.Screen(width, height)
    pyte.Stream(screen).feed(output)
    rows = [row.rstrip() for row in screen.display]
    while rows and not rows[-1]:
        rows.pop()
    return rows


class FakeSenses:
    """What psoas remind senses, on a fake clock: ``idle(t)`` and ``dnd(t)`` are
    functions of the clock's time; App(senses=FakeSenses(clock, ...).make)."""

    idle_name = "a fake idle source"
    dnd_name = "a fake do-not-disturb"

    def __init__(self, clock, *, idle=lambda t: 0.0, dnd=lambda t: False) -> None:
        self.clock = clock
        self._idle = idle
        self._dnd = dnd
        self.thresholds: list = []
        self.stopped = False

    def make(self, *, threshold):
        self.thresholds.append(threshold)
        return self

    def idle(self):
        return [(self.clock.t, self._idle(self.clock.t))]

    def dnd(self):
        return self._dnd(self.clock.t)

    def stop(self) -> None:
        self.stopped = True
