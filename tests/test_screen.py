"""The live player's screen, frame by frame, as Rich's own tests check a live display.

Each frame is built from an engine State at a window size and compared,
line for line, with a file in tests/frames/.  After a deliberate change to
the layout, look at the new frames and write them with

    PSOAS_UPDATE_FRAMES=1 python -m pytest tests/test_screen.py
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from rich.console import Console

from psoas_cli import datafiles, timeline
from psoas_cli.engine import PAUSE, Engine
from psoas_cli.routines import Item, Pauses, Routine
from psoas_cli.ui.frame import frame
from psoas_cli.ui.live import LivePlayer

FRAMES = Path(__file__).resolve().parent / "frames"
SIZES = [(80, 24), (40, 12), (30, 8)]
CAUTION = "Stretch gently, to mild tension, never into pain."


@pytest.fixture(scope="module")
def plan():
    """Pigeon (both sides, three reps) then camel: every kind of phase."""
    cat = datafiles.load_catalogue()
    items = (Item(cat.find("pigeon"), hold=20, reps=2), Item(cat.find("camel"), hold=20, reps=1))
    return timeline.build(Routine("test", "", "low", "low", Pauses(10, 5, 5), items))


def state_at(plan, kind: str, nth: int = 0, into: float = 3.0, pause: bool = False):
    """The engine's state ``into`` seconds into the ``nth`` phase of ``kind``."""
    index = [i for i, p in enumerate(plan.phases) if p.kind == kind][nth]
    t = plan.phases[index].start + into
    engine = Engine(plan, now=lambda: t)
    engine.start(0.0)
    engine.advance(t)
    if pause:
        engine.press(PAUSE, t)
    return engine.state(t)


STATES = {
    "ready": dict(kind="ready"),
    "hold-right": dict(kind="hold", into=8.0),
    "rest": dict(kind="rest", into=2.0),
    "switch": dict(kind="switch", into=1.0),
    "paused": dict(kind="hold", nth=2, into=12.0, pause=True),
    "last": dict(kind="hold", nth=4, into=15.0),
}


def text_of(lines) -> str:
    return "".join(line.plain.rstrip() + "\n" for line in lines)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", STATES)
def test_frame_matches_its_picture(plan, name, size):
    width, height = size
    state = state_at(plan, **STATES[name])
    shown = text_of(frame(state, width, height, caution=CAUTION))
    path = FRAMES / f"{name}-{width}x{height}.txt"
    if os.environ.get("PSOAS_UPDATE_FRAMES"):
        path.write_text(shown, encoding="utf-8")
    assert shown == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", STATES)
def test_every_frame_fits_its_window(plan, name, size):
    width, height = size
    lines = frame(state_at(plan, **STATES[name]), width, height, caution=CAUTION)
    assert len(lines) <= height
    assert all(line.cell_len <= width for line in lines)


def test_the_countdown_survives_the_smallest_window(plan):
    state = state_at(plan, "hold", into=8.0)
    assert "12" in text_of(frame(state, 30, 8))
    assert "12" in text_of(frame(state, 20, 4))


def test_the_live_player_draws_the_frame_it_is_given(plan):
    stream = io.StringIO()
    console = Console(file=stream, width=40, height=12, color_system=None, force_terminal=True,
                      legacy_windows=False)
    player = LivePlayer(console, caution=CAUTION)
    state = state_at(plan, "switch", into=1.0)
    player.live.start()
    try:
        player.draw(state)
    finally:
        player.live.stop()
    expected = text_of(frame(state, 40, 12, caution=CAUTION))
    for line in expected.splitlines():
        assert line in stream.getvalue()
