"""Sound cues: the terminal bell at each phase change, a coaching voice, both, or nothing.

A voice speaks through whichever text-to-speech command is installed, run in
the background with its own argument list (never a shell), so a slow speech
engine can never hold up the timer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, ClassVar

from psoas_cli import limits
from psoas_cli.play.card import Card
from psoas_cli.play.events import Listener, Listeners, State, Summary
from psoas_cli.play.script import Cue, Script, script
from psoas_cli.play.timeline import Timeline

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
    """Coaches by voice, from the routine's script (play/script.py): what to do
    while getting ready, the action at each hold, where to feel it and how to
    deepen it, a movement's count, the 3-2-1 before a hold ends, and what
    comes next at the end.

    Each cue is a child process started in the background, so speech never
    holds up the timer: nothing here waits for it.  A new cue cuts off one
    still being spoken, whichever voice started it: the player's and the
    check-ins' are two, and two lines said at once can't be followed.
    Finished children are reaped (without waiting) at every cue and every
    tick, so while a phase counts down none lingers as a zombie for more
    than a second.
    """

    # What any voice of this process is saying now: one line at a time.
    speaking: ClassVar[subprocess.Popen | None] = None

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
        self.script: Script | None = None
        self._cues: tuple[Cue, ...] = ()  # this phase's
        self._next = 0  # the first of them not said yet

    def introduce(self, card: Card) -> None:
        """Say the before-you-start card, before the routine starts."""
        self.say(card.said)

    def routine_started(self, timeline: Timeline, state: State) -> None:
        self.script = script(timeline)

    def phase_started(self, state: State) -> None:
        if self.script is None:
            self.script = script(state.timeline)
        self._cues = self.script.phases[state.index]
        self._next = 0
        self._due(state)

    def tick(self, state: State) -> None:
        self.reap()
        if not state.paused and not state.waiting:
            self._due(state)

    def paused(self, state: State) -> None:
        """Paused (space, or Ctrl-Z): no line talks on into the pause."""
        self.hush()

    def _due(self, state: State) -> None:
        """Say the latest cue whose second has come (once, even if paused and
        resumed on it); any earlier ones not said are passed over."""
        into = state.phase.duration - state.remaining if not state.waiting else 0.0
        due = self._next
        while due < len(self._cues) and self._cues[due].at <= into + 1e-6:
            due += 1
        if due > self._next:
            self._next = due
            self.say(self._cues[due - 1].text)

    def routine_ended(self, summary: Summary) -> None:
        if summary.finished:
            self.say(self.script.ending if self.script else "Well done.")
        elif self.current is not None and self.current.poll() is None:
            self.current.terminate()  # stopped: no voice carrying on after psoas

    def say(self, text: str) -> None:
        for saying in (self.current, Voice.speaking):
            if saying is not None and saying.poll() is None:
                saying.terminate()
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
        Voice.speaking = self.current

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


def speaks(listener: Listener) -> bool:
    """Whether ``listener`` is (or has) a voice."""
    if isinstance(listener, Listeners):
        return any(speaks(part) for part in listener.listeners)
    return isinstance(listener, Voice)


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
