"""``psoas remind`` running: waiting for the next break, asking, and playing it.

The loop sleeps in ``select()`` on the keyboard and the signal pipe
(``keys.Keyboard``) until the schedule says something shown or due
changes, a minute at most, so waiting costs next to no CPU.  At break time
it rings, notifies and asks; Enter leaves this screen and its keyboard, plays
the routine with the player's own screen and keys, then comes back.

Keys: Enter plays the routine (a break taken early when none is due),
``s`` snoozes, ``x`` skips, ``q`` quits.  Signals end it as they end the
player: Ctrl-C, SIGTERM and SIGHUP, each with its own outcome.

A routine played anywhere else (``psoas routine desk`` in another terminal,
or by someone running psoas remind as a service with no keyboard) counts as
the break: the loop looks in the history for sessions that ended since it
last looked.

At each wake-up it also passes on what it senses (senses.py): the idle
time (time away counts as a break) and whether the user is busy (a meeting
in their calendar, do-not-disturb: the break waits), reads both without
waiting for anything, and shares its state for ``psoas status``.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import IO, Any

from rich.console import Console

from psoas_cli.breaks.counts import AGAIN, DUE_EVENT, NUDGE, Event
from psoas_cli.breaks.schedule import ON_BREAK, Busy, Schedule, Status
from psoas_cli.play.engine import ENTER, HANGUP, INTERRUPT, QUIT, TERMINATE
from psoas_cli.play.events import Outcome, Summary
from psoas_cli.ui.remind.hooks import Hooks
from psoas_cli.ui.remind.notify import Notifier
from psoas_cli.ui.remind.view import LOCAL, TITLE, end_line, frame, notice, plain_line, start_lines
from psoas_cli.ui.screen import Screen
from psoas_cli.ui.table import wrap
from psoas_cli.ui.terminal import half_blocks, unicode_ok

SNOOZE, SKIP = "snooze", "skip"
KEYMAP = {b"\r": ENTER, b"\n": ENTER, b"s": SNOOZE, b"S": SNOOZE, b"x": SKIP, b"X": SKIP,
          b"q": QUIT, b"Q": QUIT}
ENDINGS = {QUIT: Outcome.QUIT, INTERRUPT: Outcome.INTERRUPTED,
           TERMINATE: Outcome.TERMINATED, HANGUP: Outcome.HUNG_UP}
ALERTS = (DUE_EVENT, AGAIN, NUDGE)  # the events that ring and notify
SOON = 0.2  # seconds between looks while a notification command runs: its failure is told now


# -- screens ----------------------------------------------------------------------------

class LiveScreen:
    """The calm full screen (remind/view.frame), drawn only when it would change."""

    minutes_shown = True

    def __init__(self, console: Console, *, routine: str, keyboard: bool) -> None:
        self.console = console
        self.routine = routine
        self.keyboard = keyboard
        self.ascii = not unicode_ok(console.file)
        self.halves = half_blocks()  # else the big word of full blocks (Linux console)
        self.screen = Screen(console)
        self.note = ""
        self.unseen = ""  # a note told after the last frame was drawn
        self.last: tuple[Status, int | None] | None = None
        self.drawn: tuple | None = None

    def __enter__(self) -> LiveScreen:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        self.screen.enter()
        self.drawn = None
        if self.last is not None:
            self.show(*self.last)

    def stop(self) -> None:
        try:
            self.screen.leave()
        except (OSError, ValueError):
            pass  # the terminal has gone away (a hang-up): nothing to put back

    def show(self, status: Status, streak: int | None) -> None:
        self.last = (status, streak)
        size = self.console.size
        if (status, streak, self.note, size) == self.drawn:
            return
        self.drawn = (status, streak, self.note, size)
        self.unseen = ""
        lines = frame(status, size.width, size.height, routine=self.routine, streak=streak,
                      note=self.note, keyboard=self.keyboard, ascii=self.ascii,
                      halves=self.halves)
        self.screen.show(lines)

    def begin(self, status: Status, length: float) -> None:
        pass

    def event(self, event: Event, routine: str) -> None:
        pass  # the screen shows the status instead

    def tell(self, message: str) -> None:
        self.note = self.unseen = message

    def finish(self, status: Status) -> None:
        ending = end_line(status)
        if self.unseen:  # told as psoas stopped: it would go with the screen
            ending = f"{ending}\npsoas: {self.unseen}"
        text = "".join(line + "\n" for part in ending.split("\n")
                       for line in wrap(part, self.console.width))
        try:
            self.console.file.write(text)
            self.console.file.flush()
        except (OSError, ValueError):
            pass


PLAIN_KEYS = "Keys: Enter plays the routine now, s snoozes a break, x skips it, q quits."


class PlainScreen:
    """A line per event, for a log or a service manager; notes go to ``warn``."""

    minutes_shown = False

    def __init__(self, stream: IO[str], *, routine: str, warn: Callable[[str], None],
                 clock: Callable[[float], str] = LOCAL.clock,
                 now: Callable[[], float] | None = None, keyboard: bool = False) -> None:
        self.stream = stream
        self.routine = routine
        self.warn = warn
        self.clock = clock
        self.now = now
        self.keyboard = keyboard  # keys are read: say which

    def __enter__(self) -> PlainScreen:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass

    def start(self) -> None:
        pass

    stop = start

    def show(self, status: Status, streak: int | None) -> None:
        pass

    def begin(self, status: Status, length: float) -> None:
        for line in start_lines(status, routine=self.routine, length=length):
            self._line(line)
        if self.keyboard:
            self._line(PLAIN_KEYS)

    def event(self, event: Event, routine: str) -> None:
        self._write(plain_line(event, routine=routine, clock=self.clock))

    def tell(self, message: str) -> None:
        self.warn(message)

    def finish(self, status: Status) -> None:
        self._line(end_line(status))

    def _line(self, text: str) -> None:
        self._write(f"{self.clock(self.now())}  {text}" if self.now else text)

    def _write(self, line: str) -> None:
        try:
            self.stream.write(line + "\n")
            self.stream.flush()  # a service manager reads it now, not when a buffer fills
        except (OSError, ValueError):
            pass  # a closed log must not stop the reminder


# -- the loop -------------------------------------------------------------------------------

class Reminder:
    """Runs the schedule against the clock, the keys, the screen and the history.

    ``play_break()`` plays the routine and returns its summary and the id of
    the session it recorded (or None); ``log`` is a ``breaks.log.BreakLog``
    (or ``NoLog``); ``keyboard(**hooks)`` opens the keys and signals.
    """

    def __init__(self, schedule: Schedule, *, routine: str, length: float,
                 now: Callable[[], float], keyboard: Callable[..., AbstractContextManager[Any]],
                 screen: LiveScreen | PlainScreen, log: Any, notifier: Notifier,
                 play_break: Callable[[], tuple[Summary, int | None]],
                 interactive: bool,
                 idle: Callable[[], list[tuple[float, float]]] | None = None,
                 busy: Callable[[float], Busy | None] | None = None,
                 hooks: Hooks | None = None,
                 share: Callable[[Reminder, float], None] | None = None,
                 monotonic: Callable[[], float] | None = None) -> None:
        self.schedule = schedule
        self.routine = routine
        self.length = length
        self.now = now
        self.keyboard = keyboard
        self.screen = screen
        self.log = log
        self.notifier = notifier
        self.play_break = play_break
        self.interactive = interactive
        self.idle = idle  # the idle times read since it was last asked: (when, seconds)
        self.busy = busy  # what keeps a break waiting at a moment, if anything
        self.hooks = hooks
        self.share = share  # writes the state for psoas status
        # Real time, that no clock setting moves: tells the schedule how much
        # passed between ticks, so a clock set back meanwhile is seen in full.
        self.monotonic = monotonic
        self._ticked: float | None = None  # monotonic time of the last tick
        self.look_again: float | None = None  # when an idle span would reach the idle time
        self.streak: int | None = None
        self.mark = 0.0  # sessions started after this are breaks not yet counted

    def run(self) -> Outcome | None:
        """Remind until told to stop; returns how it was stopped."""
        now = self.now()
        self.schedule.tally.seed(now, self.log.today(now))
        self.schedule.start(now)
        self.mark = now
        self.streak = self.log.streak()
        self.screen.begin(self.schedule.status(now), self.length)
        outcome: Outcome | None = Outcome.INTERRUPTED
        try:
            while True:
                key = self._wait()
                if key in ENDINGS:
                    outcome = ENDINGS[key]
                    break
                outcome = self._take_break()
                if outcome not in (Outcome.FINISHED, Outcome.QUIT):
                    break  # q ends the routine only; Ctrl-C and signals end psoas remind
        except KeyboardInterrupt:  # a second Ctrl-C before the first was handled
            outcome = Outcome.INTERRUPTED
        # A notification still being shown may be about to fail: say so now, not never.
        self.notifier.desktop.wait(1.0)
        self.notifier.desktop.check()
        if self.hooks:
            self.hooks.check(self.screen.tell)
        if outcome is not Outcome.HUNG_UP:
            self.screen.finish(self.schedule.status(self.now()))
        return outcome

    def _wait(self) -> str:
        """Show the schedule and answer keys until Enter or a way out."""
        screen = self.screen
        # The keyboard's signal handlers are in place before the screen opens.
        with self.keyboard(keymap=KEYMAP, on_suspend=screen.stop,
                           on_resume=screen.start) as keys, screen:
            while True:
                now = self.now()
                self._tick(now)
                screen.show(self.schedule.status(now), self.streak)
                if self.share is not None:
                    self.share(self, now)
                wait = self.schedule.wait_seconds(now, minutes_shown=screen.minutes_shown)
                if self.notifier.desktop.running():
                    wait = min(wait, SOON)
                if self.look_again is not None and self.look_again > now:
                    wait = min(wait, self.look_again - now)
                key = keys.wait(wait)
                if key == ENTER or key in ENDINGS:
                    return key
                if key == SNOOZE:
                    self._handle(self.schedule.snooze(self.now()))
                elif key == SKIP:
                    self._handle(self.schedule.skip(self.now()))

    def _tick(self, now: float) -> None:
        self._count_played_elsewhere()
        if self.idle is not None:
            for when, seconds in self.idle():  # every reading, so no short return is missed
                self._handle(self.schedule.on_idle(min(when, now), seconds))
                threshold = self.schedule.idle
                # Look again just after the watcher would see this span reach the idle
                # time, so 'Away' shows then, not at the next minute.
                self.look_again = when + threshold - seconds + 2 \
                    if threshold is not None and seconds < threshold else None
        if self.busy is not None:
            self.schedule.set_busy(self.busy(now))
        elapsed = None
        if self.monotonic is not None:
            real = self.monotonic()
            elapsed = None if self._ticked is None else real - self._ticked
            self._ticked = real
        self._handle(self.schedule.on_tick(now, elapsed))
        self.notifier.desktop.check()  # a notification command that failed is told now
        self.log.check()
        if self.hooks:
            self.hooks.check(self.screen.tell)

    def _take_break(self) -> Outcome | None:
        self._handle(self.schedule.start_break(self.now()))
        if self.share is not None:
            self.share(self, self.now())  # psoas status: on a break
        summary, session_id = self.play_break()
        end = self.now()
        self.mark = max(self.mark, end)  # the session just played is counted here
        self._handle(self.schedule.end_break(end, taken=bool(summary.done)),
                     session_id=session_id)
        self.streak = self.log.streak()
        return summary.outcome

    def _count_played_elsewhere(self) -> None:
        if self.schedule.state == ON_BREAK:
            return
        for played in self.log.played_since(self.mark):
            self.mark = max(self.mark, played.started_at)
            self.schedule.start_break(played.started_at)
            self._handle(self.schedule.end_break(played.ended_at), routine=played.routine,
                         session_id=played.id)
            self.streak = self.log.streak()

    def _handle(self, event: Event | None, *, routine: str | None = None,
                session_id: int | None = None) -> None:
        if event is None:
            return
        routine = routine or self.routine
        if event.kind in ALERTS:
            self.notifier.notify(TITLE, notice(event, routine=routine, length=self.length,
                                               keyboard=self.interactive))
        self.screen.event(event, routine)
        self.log.record(event, routine, session_id)
        if self.hooks:
            self.hooks.heard(event, routine)
