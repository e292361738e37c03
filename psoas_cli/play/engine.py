"""Plays a timeline on an injected clock: pause, next, back, quit.

Pure Python.  Every phase ends on an absolute deadline: a phase that ends on
time starts the next one at the old deadline, not at "now", so lateness in
waking up never adds up over a long routine.  Pausing moves the deadline by
the time paused.

The engine never sleeps itself.  It asks ``wait(timeout)`` for the next key
(or None when the timeout passed) and ``now()`` for the time, so tests drive
it with a fake clock and real runs with the terminal.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from psoas_cli.play.events import Listener, Outcome, OutputGone, State, StretchResult, Summary
from psoas_cli.play.timeline import Timeline

# Keys, as the engine names them; the terminal layer maps raw input to these.
PAUSE = "pause"  # toggle pause
NEXT = "next"
BACK = "back"
QUIT = "quit"
ENTER = "enter"  # go on from a phase waiting for the user
INTERRUPT = "interrupt"  # Ctrl-C
TERMINATE = "terminate"  # SIGTERM
HANGUP = "hangup"  # SIGHUP, or the terminal went away
SUSPEND = "suspend"  # the program was stopped (Ctrl-Z) and continued; see TimedKey
REDRAW = "redraw"  # the window changed size

_OUTCOMES = {QUIT: Outcome.QUIT, INTERRUPT: Outcome.INTERRUPTED, TERMINATE: Outcome.TERMINATED,
             HANGUP: Outcome.HUNG_UP}


class TimedKey(str):
    """A key that says when it happened, on the engine's clock.

    SUSPEND arrives only once the program is continued (``fg``); its ``at``
    is when it was stopped, so the time stopped counts as paused, not as
    stretching.  Equal to the plain key name, so it works wherever one does.
    """

    at: float

    def __new__(cls, name: str, at: float) -> TimedKey:
        key = super().__new__(cls, name)
        key.at = at
        return key


# Pressing back this soon after a phase began goes to the previous phase,
# as in a music player; later, it restarts the current one.
BACK_GRACE = 2.0
# A stretch counts as done when at least this share of its holds was held.
DONE_SHARE = 0.5

Wait = Callable[[float | None], str | None]


class Engine:
    def __init__(self, timeline: Timeline, listener: Listener | None = None, *,
                 now: Callable[[], float] = time.monotonic, wait: Wait | None = None) -> None:
        if not timeline.phases:
            raise ValueError("a timeline needs at least one phase")
        self.timeline = timeline
        self.listener = listener or Listener()
        self.now = now
        self.wait = wait or _sleep
        self.index = 0
        self.started = 0.0
        self.deadline: float | None = None  # None while paused or waiting for the user
        self.left = 0.0  # seconds left, kept while paused
        self.paused = False
        self.pause_began = 0.0
        self.paused_total = 0.0
        self.phase_began = 0.0  # when this run of the phase began, in active time
        self.held = [0.0] * len(timeline.phases)  # progress of each phase's latest run
        self.results: dict[int, StretchResult] = {}
        self.outcome: Outcome | None = None
        self.ended = 0.0
        self._shown: tuple[int, int, bool] | None = None

    # -- running ----------------------------------------------------------

    def run(self) -> Summary:
        """Play to the end or until stopped; the summary says which."""
        try:
            self.start(self.now())
            while self.outcome is None:
                key = self.wait(self.timeout(self.now()))
                t = self.now()
                if key is not None:
                    self.press(key, t)
                if self.outcome is None:
                    self.advance(t)
                    self._tick(t)
        except KeyboardInterrupt:
            self._stop_now(INTERRUPT)
        except OutputGone:  # the screen or the pipe went away: nobody is watching
            self._stop_now(HANGUP)
        return self.summary

    def _stop_now(self, key: str) -> None:
        if self.outcome is None:
            try:
                self.stop(key, self.now())
            except OutputGone:
                pass  # the outcome is set; every listener has heard the end

    def start(self, t: float) -> None:
        self.started = t
        self._begin(0, at=t)
        self.listener.routine_started(self.timeline, self.state(t))
        self.listener.phase_started(self.state(t))
        self._shown = self._key(t)

    def timeout(self, t: float) -> float | None:
        """How long to wait before what is shown changes; None: until a key."""
        if self.deadline is None:
            return None
        left = self.deadline - t
        if left <= 0:
            return 0.0
        # Wake when the countdown drops to the next whole second.
        return max(0.0, left - (math.ceil(left - 1e-9) - 1))

    def advance(self, t: float) -> None:
        """End every phase whose deadline has passed, chaining the deadlines."""
        while self.outcome is None and self.deadline is not None and t >= self.deadline:
            deadline = self.deadline
            self._finish_phase(self.timeline.phases[self.index].duration)
            self._go(self.index + 1, t, at=deadline)

    # -- keys ---------------------------------------------------------------

    def press(self, key: str, t: float) -> None:
        if key == PAUSE:
            self._toggle_pause(t)
        elif key == ENTER:
            if self.deadline is None and not self.paused:
                self._skip(t)
        elif key == NEXT:
            self._skip(t)
        elif key == BACK:
            self._back(t)
        elif key in _OUTCOMES:
            self.stop(key, t)
        elif key == SUSPEND:
            self._suspended(min(t, getattr(key, "at", t)))
        elif key == REDRAW:
            self.listener.tick(self.state(t))

    def stop(self, key: str, t: float) -> None:
        self._record_progress(t)
        try:
            self._report(self.index, t, stopping=True)
        except OutputGone:
            pass  # ending anyway, and every listener has heard the report
        self._end(_OUTCOMES.get(key, Outcome.QUIT), t)

    def _suspended(self, at: float) -> None:
        """Pause as of ``at``, when the program was stopped.

        Phases whose deadlines passed before the stop end first, on time.
        """
        if self.paused:
            return
        self.advance(at)
        if self.outcome is None:
            self._toggle_pause(at)

    def _toggle_pause(self, t: float) -> None:
        if self.paused:
            self.paused = False
            self.paused_total += t - self.pause_began
            if not self.timeline.phases[self.index].wait:
                self.deadline = t + self.left
            self.listener.resumed(self.state(t))
        else:
            self.left = self._left(t)
            self.paused = True
            self.pause_began = t
            self.deadline = None
            self.listener.paused(self.state(t))
        self._shown = self._key(t)

    def _skip(self, t: float) -> None:
        self._record_progress(t)
        self._go(self.index + 1, t, at=t)

    def _back(self, t: float) -> None:
        ran = self._active(t) - self.phase_began
        target = self.index if ran >= BACK_GRACE or self.index == 0 else self.index - 1
        self._begin(target, at=t)
        self.listener.phase_started(self.state(t))
        self._shown = self._key(t)

    # -- phases -------------------------------------------------------------

    def _go(self, index: int, t: float, *, at: float) -> None:
        """Leave the current phase for ``index`` (or the end), reporting stretches left."""
        if index >= len(self.timeline.phases) or (
                self.timeline.phases[index].item != self.timeline.phases[self.index].item):
            self._report(self.index, t)
        if index >= len(self.timeline.phases):
            self._end(Outcome.FINISHED, t)
            return
        self._begin(index, at=at)
        self.listener.phase_started(self.state(t))
        self._shown = self._key(t)

    def _begin(self, index: int, *, at: float) -> None:
        """Start phase ``index`` as if at time ``at`` (the old deadline, or now)."""
        self.index = index
        phase = self.timeline.phases[index]
        self.held[index] = 0.0
        self.phase_began = self._active(at)
        if self.paused or phase.wait:  # no deadline until resumed, or until Enter
            self.left = phase.duration
            self.deadline = None
        else:
            self.deadline = at + phase.duration

    def _finish_phase(self, progress: float) -> None:
        if self.timeline.phases[self.index].is_work:
            self.held[self.index] = progress

    def _record_progress(self, t: float) -> None:
        phase = self.timeline.phases[self.index]
        if phase.is_work:
            self.held[self.index] = max(0.0, phase.duration - self._left(t))

    def _left(self, t: float) -> float:
        if self.deadline is None:
            return self.left
        return max(0.0, self.deadline - t)

    def _active(self, t: float) -> float:
        paused = self.paused_total + (t - self.pause_began if self.paused else 0.0)
        return t - self.started - paused

    def _report(self, index: int, t: float, *, stopping: bool = False) -> None:
        """Tell listeners how the stretch of phase ``index`` went.

        Reported again if the user goes back into it; the later report wins.
        """
        phases = self.timeline.phases
        item = phases[index].item
        held = sum(h for p, h in zip(phases, self.held, strict=True) if p.item == item)
        started_work = any(p.is_work for p in phases[:index + 1] if p.item == item)
        if stopping and held <= 0 and not started_work:
            return  # stopped while getting ready: not reached rather than skipped
        planned = self.timeline.work_seconds(item)
        stretch = self.timeline.stretches[item]
        status = "done" if held >= DONE_SHARE * planned else "skipped"
        result = StretchResult(item, stretch.slug, stretch.name, status, round(held, 3), planned,
                               active=self._active(t))
        self.results[item] = result
        self.listener.stretch_ended(result)

    def _end(self, outcome: Outcome, t: float) -> None:
        self.outcome = outcome
        if self.paused:
            self.paused_total += t - self.pause_began
            self.paused = False
        self.deadline = None
        self.ended = t
        self.listener.routine_ended(self.summary)

    # -- what is shown --------------------------------------------------------

    def state(self, t: float) -> State:
        phase = self.timeline.phases[self.index]
        waiting = phase.wait and self.deadline is None and not self.paused
        return State(self.timeline, self.index, self._left(t), self.paused, waiting,
                     t - self.started, self._active(t))

    def _key(self, t: float) -> tuple[int, int, bool]:
        return (self.index, math.ceil(self._left(t) - 1e-9), self.paused)

    def _tick(self, t: float) -> None:
        if self.outcome is not None:
            return
        key = self._key(t)
        if key != self._shown:
            self._shown = key
            self.listener.tick(self.state(t))

    @property
    def summary(self) -> Summary:
        end = self.ended if self.outcome is not None else self.now()
        elapsed = end - self.started
        active = self._active(end) if self.outcome is None else elapsed - self.paused_total
        results = tuple(self.results[i] for i in sorted(self.results))
        not_reached = tuple(s.name for i, s in enumerate(self.timeline.stretches)
                            if i not in self.results)
        stopped_in = None if self.outcome in (None, Outcome.FINISHED) \
            else self.timeline.phases[self.index].item
        return Summary(self.timeline.routine, self.outcome, elapsed, active,
                       self.timeline.planned, results, not_reached, stopped_in)


def _sleep(timeout: float | None) -> str | None:
    """The wait without a keyboard: sleep until the timeout."""
    if timeout is None:
        raise RuntimeError("waiting for a key with no keyboard")
    if timeout > 0:
        time.sleep(timeout)
    return None
