"""Raw terminal input becomes the engine's key names; everything else is ignored."""

from __future__ import annotations

import pytest

from psoas_cli.engine import BACK, ENTER, NEXT, PAUSE, QUIT
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
