"""Raw terminal input becomes the engine's key names; everything else is ignored."""

from __future__ import annotations

import pytest

from psoas_cli.play.engine import BACK, ENTER, NEXT, PAUSE, QUIT
from psoas_cli.ui.keys import parse


@pytest.mark.parametrize("data, keys", [
    (b" ", [PAUSE]),
    (b"p", [PAUSE]),
    (b"n", [NEXT]),
    (b"\x1b[C", [NEXT]),  # right arrow, normal mode
    (b"\x1bOC", [NEXT]),  # right arrow, application mode
    (b"b", [BACK]),
    (b"\x1b[D", [BACK]),
    (b"\x1bOD", [BACK]),
    (b"q", [QUIT]),
    (b"Q", [QUIT]),
    (b"\r", [ENTER]),
    (b"\n", [ENTER]),
    (b"nnq", [NEXT, NEXT, QUIT]),  # keys typed faster than the screen redraws
    (b"\x1b[A", []),  # up arrow: not ours
    (b"\x1b[1;5C", []),  # Ctrl-right: a longer sequence, swallowed whole
    (b"\x1b[15~n", [NEXT]),  # F5 then n: the sequence ends at '~'
    (b"x", []),
    (b"\x1b", []),  # a lone Escape
    (b"\x1b[", []),  # a sequence cut short
    (b"", []),
])
def test_parse(data, keys):
    assert parse(data) == keys


# -- signals as keys ------------------------------------------------------------------------

def test_signals_become_keys_and_a_second_ending_signal_ends_at_once():
    import signal

    from psoas_cli.play.engine import HANGUP, TERMINATE
    from psoas_cli.ui.keys import Keyboard

    keyboard = Keyboard()
    keyboard._on_signal(signal.SIGHUP, None)
    assert list(keyboard.pending) == [HANGUP]
    # The first was never taken (something blocks the engine): the next one
    # must still end psoas, as SIGTERM's own default would.
    with pytest.raises(SystemExit) as ended:
        keyboard._on_signal(signal.SIGTERM, None)
    assert ended.value.code == 128 + signal.SIGTERM
    keyboard.pending.clear()
    keyboard._on_signal(signal.SIGTERM, None)
    assert list(keyboard.pending) == [TERMINATE]


def test_a_ctrl_c_python_swallowed_while_psoas_started_stops_the_routine_at_once():
    """Python swallows a KeyboardInterrupt raised in a weakref callback (it prints
    'Exception ignored'); cli/start.Interrupt notes one, and the keyboard reads
    the note, or the routine would play on as if Ctrl-C had not been pressed."""
    import io
    import signal

    from psoas_cli.cli.start import Interrupt
    from psoas_cli.play import engine
    from psoas_cli.ui.keys import Keyboard, NoKeys

    handler = Interrupt()
    handler.lost = True
    old = signal.signal(signal.SIGINT, handler)
    try:
        with Keyboard(stdin=io.StringIO()) as keys:
            assert keys.wait(0) == engine.INTERRUPT
        with NoKeys() as keys:
            assert keys.wait(0) == engine.INTERRUPT
        handler.lost = False
        with Keyboard(stdin=io.StringIO()) as keys:
            assert keys.wait(0) is None
    finally:
        signal.signal(signal.SIGINT, old)
