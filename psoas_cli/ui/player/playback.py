"""Playing a timeline in the terminal: one place where the engine, the keyboard,
the screen and the other listeners are put together.

The caller (the CLI) says which screen, and hands in the clock, the keyboard
and the extra listeners (sound, history), so tests play routines instantly.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any

from rich.console import Console

from psoas_cli.play.engine import Engine
from psoas_cli.play.events import Listener, Listeners, Summary
from psoas_cli.play.timeline import Timeline
from psoas_cli.ui.player.live import LivePlayer
from psoas_cli.ui.player.plain import PlainPlayer


def play(plan: Timeline, *, console: Console, stdout: IO[str], live: bool, keys_shown: bool,
         caution: str, extras: Sequence[Listener],
         keyboard: Callable[..., AbstractContextManager[Any]],
         monotonic: Callable[[], float],
         hold_warnings: Callable[[], AbstractContextManager[Any]] = nullcontext,
         breathing: str = "", figure_mode: str | None = None) -> Summary:
    """Play ``plan`` to its end (or until stopped) and return what happened.

    ``live`` picks the full-screen player, else a line per phase on ``stdout``;
    ``keyboard(on_suspend=, on_resume=)`` opens the keys (and signals) for the
    engine; warnings are held while the full screen is up, or they would be
    lost in it.  ``caution`` and ``breathing`` are the catalogue's words for
    the screen.
    """
    screen: LivePlayer | PlainPlayer
    if live:
        screen = LivePlayer(console, caution=caution, breathing=breathing, keyboard=keys_shown,
                            figure_mode=figure_mode)
        held = hold_warnings()
    else:
        screen = PlainPlayer(stdout, caution=caution, breathing=breathing, width=console.width)
        held = nullcontext()
    # What is loaded by now (modules, the catalogue) lives as long as the run:
    # kept out of the garbage collector's sweeps, so a sweep during a hold looks
    # at a few objects, not every one Click and Rich made when imported.
    gc.freeze()
    # The keyboard (with the signal handlers) before the screen: a signal as the
    # screen opens is then a key the engine answers by leaving it, never a
    # default action that ends psoas on the alternate screen with no cursor.
    with held, keyboard(on_suspend=screen.suspend, on_resume=screen.resume) as keys, screen:
        return Engine(plan, Listeners([screen, *extras]), now=monotonic, wait=keys.wait).run()
