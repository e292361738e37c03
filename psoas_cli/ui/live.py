"""The live player: a full-screen view of the running routine.

An engine listener that draws a frame (frame.py) when what is shown changes
(a phase, a whole second, a pause), never on a fixed refresh.  If the
terminal goes away (a hang-up: writing fails with EIO), it tells the engine
once (events.OutputGone) and draws nothing more.
"""

from __future__ import annotations

from rich.console import Console
from rich.live import Live
from rich.text import Text

from ..events import Listener, OutputGone, State
from .console import printable
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
        self.gone = False  # the terminal went away

    def __enter__(self) -> LivePlayer:
        self.live.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._quietly(self.live.stop)

    def suspend(self) -> None:
        self._quietly(self.live.stop)

    def resume(self) -> None:
        self._quietly(self.live.start)
        if self.last is not None:
            self.draw(self.last)

    def draw(self, state: State) -> None:
        self.last = state
        if self.gone:
            return
        width, height = self.console.size
        lines = frame(state, width, height, caution=self.caution, keyboard=self.keyboard)
        text = printable(Text("\n").join(lines), self.console.file)
        try:
            self.live.update(text, refresh=True)
        except (OSError, ValueError):
            self.gone = True
            raise OutputGone() from None

    def _quietly(self, call) -> None:
        """Leave or enter the screen; on a terminal that is gone there is nothing to do."""
        try:
            call()
        except (OSError, ValueError):
            self.gone = True

    def phase_started(self, state: State) -> None:
        self.draw(state)

    tick = paused = resumed = phase_started
