"""Sound cues: the terminal bell at each phase change, a coaching voice, both, or nothing.

A voice speaks through whichever text-to-speech command is installed, run in
the background with its own argument list (never a shell), so a slow speech
engine can never hold up the timer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING

from psoas_cli import limits
from psoas_cli.play.events import Listener, Listeners, Summary
from psoas_cli.play.phrases import (
    SPOKEN_FINISH,
    SPOKEN_HALFWAY,
    spoken,
    spoken_at,
    spoken_closing,
    spoken_work,
)

if TYPE_CHECKING:
    import subprocess

SPEAKING_SECONDS = limits.CHILD_SECONDS  # a cue still speaking after this is stopped

# Tried in order; each takes the text to say as its last argument.
SPEAKERS: tuple[tuple[str, ...], ...] = (
    ("say",),  # macOS
    ("espeak-ng", "-s", "150"),
    ("espeak", "-s", "150"),
    ("spd-say", "-w"),
)


class Bell(Listener):
    """Rings the terminal bell at each phase change (only on a terminal)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def phase_started(self, state) -> None:
        self._ring()

    def routine_ended(self, summary: Summary) -> None:
        if summary.finished:
            self._ring()

    def _ring(self) -> None:
        try:
            self.stream.write("\a")
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed terminal must not stop the routine


class Voice(Listener):
    """Coaches by voice: the stretch and its side while getting ready, the focus
    line at each hold, 3-2-1 before a hold ends, a halfway breath on long holds;
    each stretch's why once a routine, after the focus line of the first of its
    holds with time for it (that hold has no halfway line, which would cut it
    off); and the routine's closing line after "Well done".

    Each cue is a child process started in the background, so speech never
    holds up the timer; a new cue cuts off one still being spoken.  Finished
    children are reaped (without waiting) at every cue and every tick, so
    while a phase counts down none lingers as a zombie for more than a second.
    """

    def __init__(self, command: Sequence[str],
                 spawn: Callable[..., subprocess.Popen] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        # Only a voice starts processes; the bell starts none (subprocess: 2 ms).
        import subprocess  # noqa: PLC0415

        self.command = list(command)
        self.spawn = spawn or subprocess.Popen
        self.clock = clock
        self._devnull = subprocess.DEVNULL
        self.current: subprocess.Popen | None = None
        self.children: list[subprocess.Popen] = []  # started, not yet reaped
        self._started: dict[int, float] = {}  # id of a child: when it started
        self._said_at: tuple | None = None  # (phase index, second) of the last timed cue
        self._why_said: set[str] = set()  # stretches whose why was said this routine
        self._why_in: int | None = None  # the phase whose words include a why
        self._closing = ""

    def routine_started(self, timeline, state) -> None:
        self._closing = timeline.closing

    def phase_started(self, state) -> None:
        self._said_at = None
        text = spoken(state)
        self._why_in = None
        phase = state.phase
        why = phase.stretch.why
        if (phase.is_work and why and phase.stretch.slug not in self._why_said
                and state.timeline.first_time(state.index)):
            with_why = spoken_work(phase, why)
            if with_why != text:  # it fits before the 3-2-1
                text = with_why
                self._why_said.add(phase.stretch.slug)
                self._why_in = state.index
        self.say(text)

    def tick(self, state) -> None:
        self.reap()
        text = spoken_at(state)
        if text == SPOKEN_HALFWAY and state.index == self._why_in:
            text = ""  # the why may still be being said: a new cue would cut it off
        when = (state.index, state.shown_seconds)
        if text and when != self._said_at:  # once, even if paused and resumed on it
            self._said_at = when
            self.say(text)

    def routine_ended(self, summary: Summary) -> None:
        if summary.finished:
            self.say(spoken_closing(SPOKEN_FINISH, self._closing))
        elif self.current is not None and self.current.poll() is None:
            self.current.terminate()  # stopped: no voice carrying on after psoas

    def say(self, text: str) -> None:
        if self.current is not None and self.current.poll() is None:
            self.current.terminate()
        self.reap()
        try:
            self.current = self.spawn(
                [*self.command, text], stdin=self._devnull, stdout=self._devnull,
                stderr=self._devnull, start_new_session=True)
        except OSError:
            self.current = None
            return
        self.children.append(self.current)
        self._started[id(self.current)] = self.clock()

    def hush(self) -> None:
        """Stop what is being said (a key answered before the question was read out)."""
        if self.current is not None and self.current.poll() is None:
            self.current.terminate()

    def reap(self) -> None:
        """Collect children that have finished, and stop any that has spoken for
        longer than CHILD_SECONDS (a speech engine that hangs); poll() never waits."""
        now, running = self.clock(), []
        for child in self.children:
            if child.poll() is None and now - self._started[id(child)] > SPEAKING_SECONDS:
                child.kill()
            if child.poll() is None:
                running.append(child)
            else:
                self._started.pop(id(child), None)
        self.children = running


def find_speaker(path: str | None = None) -> tuple[str, ...] | None:
    """The first text-to-speech command on ``path`` (default: $PATH)."""
    from shutil import which  # noqa: PLC0415 - only to find a voice (shutil: 1.5 ms)

    for command in SPEAKERS:
        found = which(command[0], path=path)
        if found:
            return (found, *command[1:])
    return None


def _timed(command: tuple[str, ...]) -> tuple[str, ...]:
    """``command`` run under ``timeout`` where there is one (coreutils, busybox),
    so that even the last cue, left to finish after psoas has ended, stops in
    time; elsewhere Voice.reap stops a cue that runs too long while psoas runs."""
    from shutil import which  # noqa: PLC0415 - only with a voice, as in find_speaker

    found = which("timeout")
    return (found, f"{SPEAKING_SECONDS:g}", *command) if found else command


def make(choice: str, stream: IO[str], *, terminal: bool,
         warn: Callable[[str], None]) -> Listener:
    """The listener for ``--sound``: bell, voice, both or none.  A voice that
    cannot speak (no speech command found) falls back to the bell, with a warning."""
    bell = Bell(stream) if terminal else Listener()
    if choice in ("voice", "both"):
        speaker = find_speaker()
        if speaker is None:
            warn("no text-to-speech command found (say, espeak-ng, espeak or spd-say); "
                 "using the terminal bell")
            return bell
        speaker = _timed(speaker)
        return Listeners([Voice(speaker), bell]) if choice == "both" else Voice(speaker)
    return bell if choice == "bell" else Listener()
