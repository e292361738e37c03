"""Sound cues at each phase change: the terminal bell, a voice, or nothing.

A voice speaks through whichever text-to-speech command is installed, run in
the background with its own argument list (never a shell), so a slow speech
engine can never hold up the timer.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import IO, Callable, Sequence

from ..events import Listener, Summary
from ..phrases import SPOKEN_FINISH, spoken

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
    """Speaks each cue; a new cue cuts off one still being spoken."""

    def __init__(self, command: Sequence[str],
                 spawn: Callable[..., subprocess.Popen] = subprocess.Popen) -> None:
        self.command = list(command)
        self.spawn = spawn
        self.current: subprocess.Popen | None = None

    def phase_started(self, state) -> None:
        self.say(spoken(state))

    def routine_ended(self, summary: Summary) -> None:
        if summary.finished:
            self.say(SPOKEN_FINISH)

    def say(self, text: str) -> None:
        if self.current is not None and self.current.poll() is None:
            self.current.terminate()
        try:
            self.current = self.spawn(
                [*self.command, text], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            self.current = None


def find_speaker(path: str | None = None) -> tuple[str, ...] | None:
    """The first text-to-speech command on ``path`` (default: $PATH)."""
    for command in SPEAKERS:
        found = shutil.which(command[0], path=path)
        if found:
            return (found, *command[1:])
    return None


def make(choice: str, stream: IO[str], *, terminal: bool,
         warn: Callable[[str], None]) -> Listener:
    """The listener for ``--sound``; voice falls back to the bell, with a warning."""
    if choice == "none":
        return Listener()
    if choice == "voice":
        speaker = find_speaker()
        if speaker is not None:
            return Voice(speaker)
        warn("no text-to-speech command found (say, espeak-ng, espeak or spd-say); "
             "using the terminal bell")
    return Bell(stream) if terminal else Listener()
