"""The live player: a full-screen view of the running routine.

An engine listener that draws a frame (frame.py) when what is shown changes
(a phase, a whole second, a pause), never on a fixed refresh.
"""

from __future__ import annotations

from rich.console import Console
from rich.live import Live
from rich.text import Text

from ..events import Listener, State
from .frame import frame


class LivePlayer(Listener):
    """Full-screen display of the running routine (alternate screen, no cursor)."""

    def __init__(self, console: Console, *, caution: str = "", keyboard: bool = True) -> None:
        self.console = console
        self.caution = caution
        self.keyboard = keyboard
        self.live = Live(console=console, screen=True, auto_refresh=False, transient=True,
                         redirect_stdout=False, redirect_stderr=False)
        self.last: State | None = None

    def __enter__(self) -> LivePlayer:
        self.live.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.live.stop()

    def suspend(self) -> None:
        self.live.stop()

    def resume(self) -> None:
        self.live.start()
        if self.last is not None:
            self.draw(self.last)

    def draw(self, state: State) -> None:
        self.last = state
        width, height = self.console.size
        lines = frame(state, width, height, caution=self.caution, keyboard=self.keyboard)
        self.live.update(Text("\n").join(lines), refresh=True)

    def phase_started(self, state: State) -> None:
        self.draw(state)

    tick = paused = resumed = phase_started
