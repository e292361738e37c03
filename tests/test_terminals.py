"""Terminals that draw psoas wrong unless told: the Linux console's fonts
without half blocks, GNU screen without the alternate screen or italics,
rxvt-unicode without braille or a title stack, xterm's fake bold."""

from __future__ import annotations

import io
import re
import time

import pytest
from rich.console import Console
from rich.style import Style

from psoas_cli.history.records import new_session
from psoas_cli.history.store import History
from psoas_cli.ui import bigtext
from psoas_cli.ui.player.live import LivePlayer
from psoas_cli.ui.remind.view import frame as remind_frame

from .test_screen import SIZES, STATES, draw, plan, state_at  # noqa: F401 - fixtures

HALVES = set("▀▄▓")
BRAILLE = {chr(c) for c in range(0x2801, 0x2900)}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def console(width: int = 80, height: int = 24) -> Console:
    return Console(file=Terminal(), width=width, height=height, color_system="standard",
                   force_terminal=True, legacy_windows=False)


# -- 13: the Linux console, with no half blocks -----------------------------------------------

@pytest.mark.parametrize("scale", [1, 2, 3, 4, 5])
def test_big_letters_of_full_blocks_alone(scale):
    rows = bigtext.render("12:34 RIGHT", scale, False)
    assert len(rows) == bigtext.rows(scale, False) == 5 * -(-scale // 2)
    assert set("".join(rows)) <= {"█", " "}
    assert [len(r) for r in rows] == [len(bigtext.render("12:34 RIGHT", scale)[0])] * len(rows)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", STATES)
def test_the_player_on_the_linux_console_draws_full_blocks_only(plan, name, size):  # noqa: F811
    state = state_at(plan, **STATES[name])
    shown = console(*size)
    player = LivePlayer(shown, caution="Go easy.", environ={"TERM": "linux",
                                                             "LANG": "C.UTF-8"})
    assert player.figure_mode == "fullblock"
    player.draw(state)
    drawn = shown.file.getvalue()
    assert not set(drawn) & (HALVES | BRAILLE)
    if size == (80, 24) and name == "hold-right":
        assert "█" * 4 in drawn  # the digits, and a figure


def test_the_reminders_big_word_on_the_linux_console():
    from psoas_cli.breaks.schedule import Schedule

    schedule = Schedule(45 * 60)
    schedule.start(0.0)
    for minute in range(1, 47):  # ticked each minute, as the loop does, until due
        schedule.on_tick(minute * 60.0)
    status = schedule.status(46 * 60.0)
    lines = remind_frame(status, 80, 24, routine="desk", halves=False)
    text = "".join(line.plain for line in lines)
    assert "█" in text and not set(text) & HALVES
    assert set("".join(line.plain for line in remind_frame(status, 80, 24, routine="desk")))\
        & HALVES


def test_the_heat_map_on_the_linux_console_has_no_dark_shade(run, clean_env, monkeypatch):
    """▓ is not in Lat15-Fixed16: the 10-19 minute days show as █ there."""
    now = time.time()
    with History(clean_env) as store:
        store.save(new_session("warmup", now - 60, status="finished", active_seconds=12 * 60,
                               ended_at=now))
    import psoas_cli.ui.console as ui_console

    monkeypatch.setattr(ui_console, "is_tty", lambda stream: True)
    monkeypatch.setenv("TERM", "linux")
    shown = run("history").output
    assert "▓" not in shown and "██" in shown
    monkeypatch.setenv("TERM", "xterm-256color")
    assert "▓▓" in run("history").output


# -- 14: GNU screen, with no alternate screen (by default) and no italics ---------------------

def test_leaving_the_screen_clears_it_first():
    """GNU screen's stock configuration ignores the alternate screen: the last
    frame would stay under the summary.  Cleared, it leaves nothing behind."""
    from psoas_cli.ui.screen import CLEAR, LEAVE, Screen

    shown = console()
    screen = Screen(shown)
    screen.enter()
    screen.leave()
    assert shown.file.getvalue().endswith(CLEAR + LEAVE)


ITALIC = re.compile(r"\x1b\[(?:[0-9;]*;)?3(?:;[0-9;]*)?m")


@pytest.mark.parametrize("environ, italics", [
    ({"STY": "1234.pts-0.host", "TERM": "screen"}, False),
    ({"TERM": "screen.xterm-256color"}, False),
    ({"TERM": "screen-256color", "TMUX": "/tmp/tmux-0/default,1,0"}, True),  # tmux's
    ({"TERM": "xterm-256color"}, True),
])
def test_no_italics_under_gnu_screen(environ, italics, monkeypatch):
    """Under screen, SGR 3 shows as reverse video (its terminfo's standout)."""
    from rich.text import Text

    from psoas_cli.ui.console import emit
    from psoas_cli.ui.screen import Screen

    for name in ("STY", "TMUX", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    shown = console()
    screen = Screen(shown)
    screen.show([Text("Breathe slowly.", style="italic"), Text("gone", style="dim italic")],
                (80, 24))
    printed = console()
    emit(printed, Text("A line for the purpose.", style="italic"))
    for out in (shown.file.getvalue(), printed.file.getvalue()):
        assert bool(ITALIC.search(out)) is italics, repr(out)
    assert re.search(r"\x1b\[2[;m]", shown.file.getvalue())  # dim stays


# -- 15: the figure's style, asked for -----------------------------------------------------

def _figure_chars(output: str) -> set[str]:
    return {c for c in output if 0x2800 <= ord(c) <= 0x28FF or c in "▀▄█"}


@pytest.mark.parametrize("how", ["option", "environment", "setting"])
@pytest.mark.parametrize("style, drawn", [("braille", "braille"), ("blocks", "blocks"),
                                          ("ascii", "ascii")])
def test_the_figure_style_can_be_chosen(run, clean_env, how, style, drawn):
    """rxvt-unicode on stock fonts shows braille as empty boxes: the half-block
    or ASCII figure can be asked for without LANG=C turning all to ASCII."""
    args, env = ["show", "pigeon", "--figure"], {}
    if how == "option":
        args += ["--figure-style", style]
    elif how == "environment":
        env["PSOAS_FIGURE_STYLE"] = style
    else:
        assert run("config", "set", "figure_style", style).exit_code == 0
    result = run(*args, env=env)
    assert result.exit_code == 0, result.output
    found = _figure_chars(result.output)
    if drawn == "braille":
        assert found and all(0x2800 <= ord(c) <= 0x28FF for c in found)
    elif drawn == "blocks":
        assert found and found <= set("▀▄█")
    else:
        assert not found and "|" in result.output


def test_the_option_wins_over_the_environment_which_wins_over_the_setting(run):
    assert run("config", "set", "figure_style", "ascii").exit_code == 0
    shown = run("show", "pigeon", "--figure", env={"PSOAS_FIGURE_STYLE": "blocks"}).output
    assert _figure_chars(shown) <= set("▀▄█") and _figure_chars(shown)
    shown = run("show", "pigeon", "--figure", "--figure-style", "braille",
                env={"PSOAS_FIGURE_STYLE": "blocks"}).output
    assert all(0x2800 <= ord(c) <= 0x28FF for c in _figure_chars(shown))


def test_a_figure_style_psoas_does_not_know_is_named(run):
    result = run("show", "pigeon", env={"PSOAS_FIGURE_STYLE": "dots"})
    assert result.exit_code == 2
    assert "PSOAS_FIGURE_STYLE=dots" in result.output
    result = run("config", "set", "figure_style", "dots")
    assert result.exit_code == 2 and "braille, blocks, ascii or none" in result.output


@pytest.mark.parametrize("style, mode", [("blocks", "halfblock"), ("ascii", "ascii"),
                                         ("braille", "braille"), ("none", "none")])
def test_the_player_draws_the_figure_in_the_style_set(style, mode, monkeypatch):
    from psoas_cli.cli.actions.play import figure_mode
    from psoas_cli.cli.app import App

    app = App(env={"PSOAS_FIGURE_STYLE": style, "LANG": "C.UTF-8", "TERM": "xterm"},
              stdout=Terminal())
    assert figure_mode(app) == mode
    linux = App(env={"PSOAS_FIGURE_STYLE": style, "LANG": "C.UTF-8", "TERM": "linux"},
                stdout=Terminal())
    assert figure_mode(linux) == {"halfblock": "fullblock"}.get(mode, mode)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_figure_style_none_leaves_the_live_figure_out(plan, size):  # noqa: F811
    """The trial: rxvt-unicode's stock font has no braille, so the figure was
    a pile of empty boxes, and only show had --no-figure.  figure_style none
    leaves it out of the live screen, which gives its room to the words."""
    state = state_at(plan, "hold", into=8.0)
    drawn = draw(state, *size)
    assert any(BRAILLE & set(line.plain) for line in drawn)
    bare = draw(state, *size, figure_mode="none")
    assert not any((BRAILLE | HALVES) & set(line.plain) - set("▀▄") for line in bare)
    assert not any("bright_magenta" in str(span.style) for line in bare for span in line.spans)


def test_figure_style_none_in_show_too(run):
    shown = run("show", "pigeon", "--figure", env={"PSOAS_FIGURE_STYLE": "braille"}).output
    assert BRAILLE & set(shown)
    bare = run("show", "pigeon", "--figure-style", "none").output
    assert not BRAILLE & set(bare)
    assert run("config", "set", "figure_style", "none").exit_code == 0


# -- 16: the window title, only where it can be put back --------------------------------------

@pytest.mark.parametrize("environ, titled", [
    ({"TERM": "xterm-256color"}, True),
    ({"TERM": "xterm-kitty"}, True),
    ({"TERM": "rxvt-unicode-256color"}, False),  # no stack of titles to put the old one back
    ({"TERM": "rxvt-unicode"}, False),
    ({"TERM": "screen.xterm-256color", "STY": "1.pts-0.h"}, False),  # GNU screen: none either
    ({"TERM": "xterm-256color", "STY": "1.pts-0.h"}, False),
    ({"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"}, True),
    ({"TERM": "linux"}, False),  # no window at all
])
def test_the_title_is_set_only_where_the_old_one_can_be_put_back(plan, environ,  # noqa: F811
                                                                 titled):
    shown = console()
    with LivePlayer(shown, environ={**environ, "LANG": "C.UTF-8"}) as player:
        player.draw(state_at(plan, "hold", into=3.0))
    out = shown.file.getvalue()
    assert ("\x1b]2;" in out) is titled
    assert ("\x1b[22;0t" in out) is titled


# -- 17: no bold on block glyphs (xterm fakes bold by drawing them 1 px right) ---------------

BLOCKISH = set("▀▄█▓▒░") | BRAILLE


def _bold_blocks(lines) -> list[str]:
    """The block or braille characters drawn bold in ``lines`` (Rich Text)."""
    found = []
    for line in lines:
        for span in line.spans:
            style = Style.parse(str(span.style))
            if style.bold and set(line.plain[span.start:span.end]) & BLOCKISH:
                found.append(line.plain[span.start:span.end])
        if Style.parse(str(line.style)).bold and set(line.plain) & BLOCKISH:
            found.append(line.plain)
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", STATES)
def test_no_block_glyph_of_the_player_is_bold(plan, name, size):  # noqa: F811
    state = state_at(plan, **STATES[name])
    for mode in ("braille", "halfblock"):
        assert _bold_blocks(draw(state, *size, figure_mode=mode)) == []


def test_no_block_glyph_of_the_reminder_or_the_heat_map_is_bold():
    from psoas_cli.breaks.schedule import Schedule
    from psoas_cli.ui.views.history import heat_map

    schedule = Schedule(45 * 60)
    schedule.start(0.0)
    for minute in range(1, 47):
        schedule.on_tick(minute * 60.0)
    lines = remind_frame(schedule.status(46 * 60.0), 80, 24, routine="desk")
    assert any("█" in line.plain for line in lines)
    assert _bold_blocks(lines) == []
    from datetime import date, timedelta

    days = [(date(2025, 6, 2) + timedelta(days=n), 25.0) for n in range(3)]
    assert _bold_blocks(heat_map(days).split("\n")) == []


# -- 12: a light window: xterm's stock white ----------------------------------------------------

@pytest.mark.parametrize(("term", "system"), [("xterm", "256"), ("xterm-color", "256"),
                                              ("xterm-256color", "256"),
                                              ("linux", "standard")])
def test_plain_xterm_gets_the_colours_that_read_on_white(monkeypatch, plan, term, system):  # noqa: F811
    """TERM=xterm lists eight colours, and Rich would trade psoas's amber for
    xterm's yellow (SGR 33), barely readable on xterm's white.  xterm shows
    256, so GET READY is drawn in 38;5;130; the Linux console (always dark)
    keeps its eight, where Rich's nearest is yellow."""
    from psoas_cli.ui.console import make_console
    from psoas_cli.ui.screen import Screen

    # Rich keeps a parsed style's codes for the first colour system it met, and
    # psoas meets one a run; other tests here drew the same styles in eight.
    Style.parse.cache_clear()
    Style._add.cache_clear()
    for name in ("COLORTERM", "NO_COLOR", "FORCE_COLOR", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", term)
    made = make_console(Terminal())
    assert made.color_system == system
    made.size = (80, 24)  # type: ignore[assignment]
    screen = Screen(made)
    screen.show(draw(state_at(plan, "ready"), 80, 24))
    written = made.file.getvalue()
    assert ("38;5;130m" in written) == (system == "256")
    assert bool(re.search(r"\x1b\[(1;)?33m", written)) == (system == "standard")
