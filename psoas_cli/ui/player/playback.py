"""Playing a timeline in the terminal: one place where the engine, the keyboard,
the screen and the other listeners are put together.

The caller (the CLI) says which screen, and hands in the clock, the keyboard
and the extra listeners (sound, history), so tests play routines instantly.

Before the first countdown comes the before-you-start card (play/card.py):
shown, and said by a voice, once.  On the live screen with a keyboard it
waits for Enter or space (q quits); otherwise it goes straight on, only
giving a voice the time to say it first.  It is not a phase: the engine,
and its clock, start after it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any

from rich.console import Console

from psoas_cli.play import engine, speech
from psoas_cli.play.card import Card
from psoas_cli.play.engine import Engine
from psoas_cli.play.events import Listener, Listeners, Outcome, OutputGone, Summary
from psoas_cli.play.timeline import Timeline
from psoas_cli.ui.player.live import LivePlayer
from psoas_cli.ui.player.plain import PlainPlayer
from psoas_cli.ui.sound import speaks

_ENDS = {engine.QUIT: Outcome.QUIT, engine.INTERRUPT: Outcome.INTERRUPTED,
         engine.TERMINATE: Outcome.TERMINATED, engine.HANGUP: Outcome.HUNG_UP}
_KEYS = {outcome: key for key, outcome in _ENDS.items()}
_BEGIN = (engine.ENTER, engine.PAUSE)  # Enter or space


def play(plan: Timeline, *, console: Console, stdout: IO[str], live: bool, keys_shown: bool,
         caution: str, extras: Sequence[Listener],
         keyboard: Callable[..., AbstractContextManager[Any]],
         monotonic: Callable[[], float],
         hold_warnings: Callable[[], AbstractContextManager[Any]] = nullcontext,
         breathing: str = "", card: Card | None = None,
         figure_mode: str | None = None) -> Summary:
    """Play ``plan`` to its end (or until stopped) and return what happened.

    ``live`` picks the full-screen player, else a line per phase on ``stdout``;
    ``keyboard(on_suspend=, on_resume=)`` opens the keys (and signals) for the
    engine; warnings are held while the full screen is up, or they would be
    lost in it.  ``caution`` and ``breathing`` are the catalogue's words for
    the screen; ``card``, the before-you-start card (its ``waits`` says
    whether it waits for a key).
    """
    screen: LivePlayer | PlainPlayer
    if live:
        screen = LivePlayer(console, caution=caution, breathing=breathing, keyboard=keys_shown,
                            figure_mode=figure_mode)
        held = hold_warnings()
    else:
        screen = PlainPlayer(stdout, caution=caution, breathing=breathing, width=console.width)
        held = nullcontext()
    listeners = Listeners([screen, *extras])
    # What is loaded by now (modules, the catalogue) lives as long as the run:
    # kept out of the garbage collector's sweeps, so a sweep during a hold looks
    # at a few objects, not every one Click and Rich made when imported.
    gc.freeze()
    # The keyboard (with the signal handlers) before the screen: a signal as the
    # screen opens is then a key the engine answers by leaving it, never a
    # default action that ends psoas on the alternate screen with no cursor.
    with held, keyboard(on_suspend=screen.suspend, on_resume=screen.resume) as keys, screen:
        engine = Engine(plan, listeners, now=monotonic, wait=keys.wait)
        if card is not None:
            ended = _introduce(card, listeners, screen, keys, monotonic,
                               voiced=any(speaks(extra) for extra in extras))
            if ended is not None and card.waits:
                return _stopped(plan, ended)  # never begun: nothing to record
            if ended is not None:  # begun without a key, and stopped at once
                return engine.stopped_at_start(_KEYS[ended])
        return engine.run()


def _introduce(card: Card, listeners: Listeners, screen: Any, keys: Any,
               monotonic: Callable[[], float], *, voiced: bool) -> Outcome | None:
    """Show and say the card; wait for Enter or space when it waits, else for
    the voice to have said it.  The outcome when the user stops there."""
    try:
        listeners.introduce(card)
        if card.waits:
            while True:
                key = keys.wait(None)
                if key in _ENDS:
                    return _ENDS[key]
                if key in _BEGIN and not (isinstance(screen, LivePlayer) and screen.next_page()):
                    return None
                if key == engine.REDRAW and isinstance(screen, LivePlayer):
                    screen.draw_card()
        elif voiced:  # let the voice say it before the first get-ready speaks over it
            until = monotonic() + speech.seconds(card.said)
            while (left := until - monotonic()) > 0:
                key = keys.wait(left)
                if key in _ENDS:
                    return _ENDS[key]
    except KeyboardInterrupt:
        return Outcome.INTERRUPTED
    except OutputGone:
        return Outcome.HUNG_UP
    return None


def _stopped(plan: Timeline, outcome: Outcome) -> Summary:
    """Stopped at the card: nothing was started, nothing was done."""
    return Summary(plan.routine, outcome, 0.0, 0.0, plan.planned,
                   not_reached=tuple(s.name for s in plan.stretches))
