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
from rich.text import Text

from psoas_cli.files import datafiles
from psoas_cli.model import levels
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.play.card import card
from psoas_cli.play.engine import PAUSE, Engine
from psoas_cli.play.fitting import fit
from psoas_cli.play.phrases import label
from psoas_cli.ui import bigtext
from psoas_cli.ui.figures.view import figure_texts
from psoas_cli.ui.player.card import card_pages, card_text
from psoas_cli.ui.player.frame import KEYS, frame, layout
from psoas_cli.ui.player.live import LivePlayer

from .fakes import screen_rows

FRAMES = Path(__file__).resolve().parent / "frames"
SIZES = [(80, 24), (40, 12), (30, 8), (160, 48)]
CAUTION = ("Stretch gently, to mild tension, never into pain. Stop if anything hurts "
           "sharply, goes numb or tingles. Ask a physical therapist first if you are unsure.")
BREATHING = "Breathe slowly; no bouncing."


def plan_of(*items, moves=None):
    routine = Routine("test", "", "low", "low", Pauses(10, 5, 5), tuple(items))
    return timeline.build(routine, moves=moves) if moves else timeline.build(routine)


@pytest.fixture(scope="module")
def cat():
    return datafiles.load_catalogue()


@pytest.fixture(scope="module")
def plan(cat):
    """Pigeon (both sides, two reps) then camel: every kind of phase."""
    return plan_of(Item(cat.find("pigeon"), hold=20, reps=2), Item(cat.find("camel"), hold=20,
                                                                    reps=1))


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


@pytest.fixture(scope="module")
def moving(cat):
    """A bridge set (a movement), the roller (a flow), then the half-kneeling
    stretch as the gentle level plays it (a hand on a chair), moved to from the
    floor: the screens issue 20 added."""
    return plan_of(Item(cat.find("glute-bridge"), hold=5, reps=2),
                   Item(cat.find("foam-roller"), hold=60),
                   Item(cat.find("half-kneeling").in_variant(), hold=20), moves=cat.moves)


MOVING = {
    "lift": dict(kind="lift", into=2.0),
    "lower": dict(kind="lower", into=1.0),
    "flow": dict(kind="flow", into=30.0),
    "move-variant": dict(kind="move", nth=1, into=3.0),
}

STATES = {
    "ready": dict(kind="ready"),
    "hold-right": dict(kind="hold", into=8.0),
    "rest": dict(kind="rest", into=2.0),
    "switch": dict(kind="switch", into=1.0),
    "hold-left": dict(kind="hold", nth=2, into=8.0),
    "paused": dict(kind="hold", nth=2, into=12.0, pause=True),
    "move": dict(kind="move", into=5.0),
    "last": dict(kind="hold", nth=4, into=15.0),
}


def draw(state, width, height, **options):
    return frame(state, width, height, caution=CAUTION, breathing=BREATHING, **options)


def text_of(lines) -> str:
    return "".join(line.plain.rstrip() + "\n" for line in lines)


# -- exact frames ---------------------------------------------------------------

def pinned(name: str, shown: str) -> str:
    path = FRAMES / name
    if os.environ.get("PSOAS_UPDATE_FRAMES"):
        path.write_text(shown, encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", STATES)
def test_frame_matches_its_picture(plan, name, size):
    width, height = size
    shown = text_of(draw(state_at(plan, **STATES[name]), width, height))
    assert shown == pinned(f"{name}-{width}x{height}.txt", shown)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", MOVING)
def test_the_new_screens_match_their_pictures(moving, name, size):
    width, height = size
    shown = text_of(draw(state_at(moving, **MOVING[name]), width, height))
    assert shown == pinned(f"{name}-{width}x{height}.txt", shown)


# -- the before-you-start card ------------------------------------------------------

@pytest.fixture(scope="module")
def cards(cat):
    found = {}
    for name, routine in datafiles.load_routines(cat).items():
        level = levels.chosen(None, routine.level, routine.holds, routine.reps)
        played = fit(routine, level=level, moves=cat.moves)
        plan = timeline.build(played.routine, timeline.Overrides(), cat.moves, cat.closing)
        found[name] = card(plan, caution=cat.caution, breathing=cat.breathing,
                           said_caution=cat.said_caution)
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["warmup", "full"])
def test_the_card_matches_its_pictures(cards, name, size):
    width, height = size
    pages = card_pages(cards[name], width, height)
    shown = "".join(f"--- page {n} of {len(pages)}\n" + text_of(page)
                    for n, page in enumerate(pages, 1))
    assert shown == pinned(f"card-{name}-{width}x{height}.txt", shown)


def test_the_card_fits_on_one_page_at_80x24_and_keeps_the_caution_whole(cards, cat):
    for name, shown in cards.items():
        assert len(card_pages(shown, 80, 24)) == 1, name
        for width, height in ((40, 12), (60, 16), (80, 16), (50, 14)):
            pages = card_pages(shown, width, height)
            with_caution = [page for page in pages
                            if "never to pain" in " ".join(text_of(page).split())]
            assert len(with_caution) == 1, (name, width, height)  # never split in two
            for page in pages:
                assert len(page) <= height and all(line.cell_len <= width for line in page)
            assert text_of(pages[-1]).rstrip().endswith("quit"), (name, width, height)
    words = " ".join(text_of(card_pages(cards["full"], 80, 24)[0]).split())
    assert " ".join(cat.caution.split()) in words and cat.breathing in words
    assert "Keep the roller beside your mat" in words  # the roller's card cautions
    assert "Leave it out if you are pregnant" in words
    assert "Psoas release with foam roller, Pigeon pose and Camel pose" in words
    assert "First Psoas release with foam roller, lying face down" in words
    # (its cautions leave no room for the rule: the title and the page go on one line)
    assert words.startswith("psoas · full 12 stretches · 25:26 Before you start (1/1) The "
                            "whole catalogue in a coach's order")  # its purpose
    warmup = " ".join(text_of(card_pages(cards["warmup"], 80, 24)[0]).split())
    assert "You need a mat." in warmup and "chair" not in warmup  # the real stretches
    assert "First Supine psoas stretch, lying on your back" in warmup


def test_the_card_that_does_not_wait_says_so(cards):
    quick = cards["warmup"]._replace(waits=False)
    last = text_of(card_pages(quick, 80, 24)[-1]).rstrip().splitlines()[-1]
    assert last == "Starting in a moment · q to quit"
    plain = "\n".join(card_text(quick, 80))
    assert plain.startswith("Before you start: warmup, 5 stretches, 7:03\nWake the glutes")
    assert "Press Enter" not in plain


def _figure_cells(lines) -> list[str]:
    """The braille of a frame, row by row, with what stands left of it blanked."""
    rows = []
    for line in lines:
        text = line.plain
        cells = [i for i, c in enumerate(text) if 0x2800 <= ord(c) <= 0x28FF]
        if cells:
            rows.append(text[cells[0]:].rstrip())
    return rows


def test_at_80x24_the_figure_stands_beside_the_countdown(plan):
    lines = draw(state_at(plan, "hold", into=8.0), 80, 24)
    shown = text_of(lines).splitlines()
    figure = [n for n, line in enumerate(shown) if any(0x2800 < ord(c) <= 0x28FF for c in line)]
    digits = [n for n, line in enumerate(shown) if "██" in line]
    assert len(figure) >= 8 and set(digits) <= set(figure)  # on the same rows, beside them
    assert "RIGHT SHIN" not in text_of(lines)  # in block letters
    assert "right shin across, left leg long behind you" in text_of(lines)


def test_at_40x12_there_is_no_figure_but_everything_else_works(plan):
    shown = text_of(draw(state_at(plan, "hold", into=8.0), 40, 12))
    assert not any(0x2800 <= ord(c) <= 0x28FF for c in shown)
    assert "▀▀█" in shown and "hips square" in shown and "q quit" in shown


# -- the figure -------------------------------------------------------------------

def _mirror(row: str) -> str:
    """A row of braille seen in a mirror: cells reversed, each cell's two
    columns of dots swapped."""
    pairs = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
    out = []
    for char in reversed(row):
        if char == " ":
            out.append(char)
            continue
        bits = ord(char) - 0x2800
        flipped = 0
        for left, right in pairs:
            flipped |= (right if bits & left else 0) | (left if bits & right else 0)
        out.append(chr(0x2800 + flipped))
    return "".join(out)


def test_the_figure_is_drawn_mirrored_for_the_left_side(plan):
    right = layout(state_at(plan, "hold", into=8.0), 80, 24)
    left = layout(state_at(plan, "hold", nth=2, into=8.0), 80, 24)
    assert (right.figure_side, left.figure_side) == ("right", "left")
    rows = [r.plain for r in right.figure]
    mirrored = [r.plain for r in left.figure]
    width = max(len(r) for r in rows + mirrored)
    assert [_mirror(r.ljust(width)).strip() for r in rows] == \
           [r.ljust(width).strip() for r in mirrored]
    assert rows != mirrored


def test_the_switch_screen_shows_the_new_side(plan, cat):
    state = state_at(plan, "switch", into=1.0)
    shown = layout(state, 80, 24)
    assert shown.figure_side == "left" and state.phase.side == "left"
    pigeon = cat.find("pigeon").figure
    drawn = [r.plain for r in shown.figure]
    assert drawn == [r.plain for r in figure_texts(pigeon, *shown.figure_box, side="left")]
    assert drawn != [r.plain for r in figure_texts(pigeon, *shown.figure_box, side="right")]
    assert "left shin across, right leg long behind you" in text_of(shown.draw(state))


def test_the_figure_goes_before_the_countdown_the_side_word_and_the_bars(plan):
    state = state_at(plan, "hold", into=8.0)
    seen = []
    for height in range(30, 5, -1):
        shown = layout(state, 80, height)
        text = text_of(shown.draw(state))
        if shown.figure:
            seen.append(height)
            assert "Hold " in text and shown.scale >= 1  # the bar, big digits
            assert "RIGHT SHIN" not in text  # the side in block letters
    assert seen == list(range(30, seen[-1] - 1, -1)) and seen[-1] > 8


def test_the_worked_limb_has_its_own_colour(plan):
    lines = draw(state_at(plan, "hold", into=8.0), 80, 24)
    styles = {str(span.style) for line in lines for span in line.spans}
    assert "bright_magenta" in styles  # not bold: see figures.view.WORKED_STYLE


def contrast(triplet, background: int) -> float:
    """WCAG contrast of an (r, g, b) colour against a grey ``background`` (0 or 255)."""
    def luminance(rgb):
        linear = [c / 3294.6 if c <= 10.0164 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(triplet), luminance((background,) * 3)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("name", STATES)
def test_every_coloured_word_reads_on_a_white_window_and_a_black_one(plan, name):
    """The trial: in xterm and rxvt-unicode on their stock white, GET READY, the
    side's words and Take care (yellow) were barely readable, RIGHT SIDE
    (bright green) weak.  A basic colour is the terminal's own, so only red and
    magenta may be used as they are; every other colour is a 256-colour tone
    that reads (4:1 or better) on white and on black alike."""
    from rich.style import Style

    lines = draw(state_at(plan, **STATES[name]), 80, 24)
    styles = {str(line.style) for line in lines} | {str(span.style) for line in lines
                                                   for span in line.spans}
    colours = {Style.parse(style).color for style in styles if style} - {None}
    assert colours
    for colour in colours:
        if colour.number is not None and colour.number < 16:
            assert colour.name in ("red", "magenta", "bright_magenta"), colour.name
        else:
            rgb = tuple(colour.get_truecolor())
            assert contrast(rgb, 255) >= 4 and contrast(rgb, 0) >= 4, colour.name


def test_a_terminal_that_cannot_show_braille_gets_an_ascii_figure(plan):
    lines = draw(state_at(plan, "hold", into=8.0), 80, 24, figure_mode="ascii")
    text = text_of(lines)
    assert not any(0x2800 <= ord(c) <= 0x28FF for c in text)
    assert "#" in text and "O" in text  # the worked limb, the head


def test_the_player_picks_ascii_figures_for_an_ascii_stream(plan):
    class Ascii(io.StringIO):
        encoding = "ascii"

    console = Console(file=Ascii(), width=80, height=24, color_system=None,
                      force_terminal=True, legacy_windows=False)
    assert LivePlayer(console, environ={"LANG": "en_GB.UTF-8"}).figure_mode == "ascii"
    console = Console(file=io.StringIO(), width=80, height=24, force_terminal=True)
    assert LivePlayer(console, environ={"LANG": "C"}).figure_mode == "ascii"


def test_no_figure_on_rest_or_for_a_stretch_without_one(plan, cat):
    assert not layout(state_at(plan, "rest", into=2.0), 80, 24).figure
    bare = cat.find("camel")._replace(figure=None)
    state = state_at(plan_of(Item(bare, hold=20, reps=1)), "hold", into=3.0)
    assert not layout(state, 80, 24).figure
    assert "HOLD" not in text_of(draw(state, 80, 24))  # still the block letters


# -- digits that grow -------------------------------------------------------------

@pytest.mark.parametrize("size, scale", [((40, 12), 1), ((80, 24), 2), ((160, 48), 6)],
                         ids=["40x12", "80x24", "160x48"])
def test_the_digits_are_as_big_as_the_window_allows(plan, size, scale):
    shown = layout(state_at(plan, "hold", into=8.0), *size)
    assert shown.scale == scale


def test_on_a_big_window_the_digits_are_about_a_third_of_its_height(plan):
    for height in (36, 48, 60):
        shown = layout(state_at(plan, "hold", into=8.0), 160, height)
        assert height / 3 - 3 <= bigtext.rows(shown.scale) <= height / 3


def test_the_digits_keep_their_size_as_they_count_down(plan):
    first = state_at(plan, "hold", into=0.5)  # 20: two digits
    later = state_at(plan, "hold", into=12.0)  # 8: one
    assert layout(first, 160, 48).scale == layout(later, 160, 48).scale


def test_every_digit_size_is_the_glyphs_scaled():
    assert bigtext.render("1", 1) == ("▄█ ", " █ ", "▀▀▀")
    for scale in range(1, 9):
        rows = bigtext.render("10:05", scale)
        assert len(rows) == bigtext.rows(scale)
        assert {len(row) for row in rows} == {bigtext.text_width("10:05", scale)}
    assert bigtext.render("42", 2) == tuple(bigtext.tall("42"))


# -- what is said on screen -------------------------------------------------------

def test_the_side_is_explained_under_the_big_word(plan):
    for kind, nth, meaning in (("ready", 0, "right shin across"), ("hold", 0, "right shin"),
                               ("switch", 0, "left shin across"),
                               ("hold", 2, "left shin across, right leg long behind you")):
        lines = text_of(draw(state_at(plan, kind, nth), 80, 24)).splitlines()
        under = next(n for n, line in enumerate(lines) if "▀▀▀" in line) + 1
        assert meaning in lines[under], (kind, nth)


def test_on_a_small_window_the_side_is_said_in_its_first_words(plan):
    shown = text_of(draw(state_at(plan, "hold", into=8.0), 30, 8))
    assert "right shin across" in shown and "behind you" not in shown


def test_the_general_caution_is_on_the_card_so_the_first_get_ready_has_room(plan):
    for kind in ("ready", "hold", "switch", "move"):
        for size in ((160, 48), (80, 24), (40, 12)):
            shown = text_of(draw(state_at(plan, kind), *size))
            assert "never into pain" not in shown and "Needs:" not in shown, (kind, size)
    ready = " ".join(text_of(draw(state_at(plan, "ready", into=1.0), 80, 24)).split())
    assert "Take care: This can strain the knee" in ready and "1. Start on all fours" in ready


def _whole_get_ready(plan, index, width, height):
    """Everything a get-ready shows through its seconds (its steps may be paged)."""
    phase = plan.phases[index]
    seen = ""
    for into in range(int(phase.duration)):
        t = phase.start + into + 0.5
        engine = Engine(plan, now=lambda t=t: t)
        engine.start(0.0)
        engine.advance(t)
        seen += " " + " ".join(text_of(draw(engine.state(t), width, height)).split())
    return seen


@pytest.mark.parametrize("name", ["warmup", "full"])
def test_at_80x24_every_get_ready_shows_its_steps_cautions_and_easier_way(cat, name):
    routine = datafiles.load_routines(cat)[name]
    level = levels.chosen(None, routine.level, routine.holds, routine.reps)
    played = fit(routine, level=level, moves=cat.moves)
    plan = timeline.build(played.routine, timeline.Overrides(), cat.moves, cat.closing)
    for index, phase in enumerate(plan.phases):
        if phase.kind not in ("ready", "move"):
            continue
        stretch = phase.stretch
        seen = _whole_get_ready(plan, index, 80, 24)
        for number, step in enumerate(stretch.steps, 1):
            assert " ".join(f"{number}. {step}".split()) in seen, (stretch.slug, number)
        for caution in stretch.cautions:
            assert " ".join(f"Take care: {caution}".split()) in seen, stretch.slug
        if stretch.easier:
            assert " ".join(f"Easier: {stretch.easier}".split()) in seen, stretch.slug
        if stretch.plays:  # at the gentle level, the variant says it is on purpose
            assert stretch.gentle.say in seen, stretch.slug


def test_a_stretchs_own_cautions_and_easier_way_show_while_getting_ready(plan, cat):
    camel = cat.find("camel")
    shown = " ".join(text_of(draw(state_at(plan, "move"), 160, 48)).split())
    for caution in camel.cautions:
        assert f"Take care: {caution}" in shown
    assert f"Easier: {camel.easier}" in shown
    held = text_of(draw(state_at(plan, "hold", nth=4), 160, 48))
    assert "Take care" not in held and "Easier" not in held
    small = " ".join(text_of(draw(state_at(plan, "move"), 40, 12)).split())
    assert camel.cautions[0] in small  # the first one, even on a small window


def test_a_hold_says_where_to_feel_it_then_how_to_deepen_it(plan, cat):
    pigeon = cat.find("pigeon")
    early = " ".join(text_of(draw(state_at(plan, "hold", into=3.0), 80, 24)).split())
    late = " ".join(text_of(draw(state_at(plan, "hold", into=12.0), 80, 24)).split())
    assert "Feel it in the right buttock and the front of the left hip." in early
    assert pigeon.fix in early and pigeon.deepen not in early
    assert pigeon.deepen in late and pigeon.fix in late  # from the middle of the hold
    left = " ".join(text_of(draw(state_at(plan, "hold", nth=2, into=3.0), 80, 24)).split())
    assert "Feel it in the left buttock and the front of the right hip." in left
    assert BREATHING not in early + late  # one line for every stretch no more
    assert "Feel it" not in text_of(draw(state_at(plan, "ready"), 160, 48))
def plan_with(routine_items, closing=""):
    return timeline.build(Routine("test", "", "low", "low", Pauses(10, 5, 5),
                                  tuple(routine_items), closing=closing))


def test_a_stretchs_why_shows_while_getting_ready_the_first_time_it_comes_up(cat):
    standing = cat.find("standing")
    twice = plan_with([Item(standing, hold=20), Item(cat.find("cobra"), hold=20),
                       Item(standing, hold=20)])
    why = f"Why: {standing.why}"

    def shown(nth, size=(80, 24)):
        return " ".join(text_of(draw(state_at(twice, "move", nth=nth), *size)).split())

    assert f"Why: {cat.find('cobra').why}" in shown(0)  # a get-ready in the routine
    assert why not in shown(1) and "Why:" not in shown(1, (160, 48))  # standing again
    assert why in " ".join(text_of(draw(state_at(twice, "ready"), 160, 48)).split())
    assert "Why:" not in text_of(draw(state_at(twice, "hold"), 160, 48))


def test_an_items_note_shows_while_getting_ready_before_the_cautions(cat):
    note = "Stand behind the chair and keep one hand on its back the whole time."
    noted = plan_with([Item(cat.find("camel"), hold=20, reps=1),
                       Item(cat.find("standing"), hold=20, note=note)])
    lines = text_of(draw(state_at(noted, "move"), 80, 24)).splitlines()
    at = lines.index(note)
    assert lines[at - 1] == "Get into position: stand tall, then step your right leg back."
    assert lines[at + 1].startswith("Take care: ")
    for size in ((40, 12), (60, 16)):
        assert "Stand behind the chair" in text_of(draw(state_at(noted, "move"), *size))
    assert note not in text_of(draw(state_at(noted, "hold", nth=1), 160, 48))


def test_rocking_has_its_own_word_bar_and_what_to_do(cat):
    rocking = plan_with([Item(cat.find("half-kneeling"), hold=20, dynamic=6)])
    lines = text_of(draw(state_at(rocking, "rock", into=2.0), 80, 24)).splitlines()
    assert bigtext.render("ROCK GENTLY", 1)[0].rstrip() in "\n".join(lines)
    under = next(n for n, line in enumerate(lines) if "▀▀▀" in line) + 1
    assert "right knee down" in lines[under]
    assert any(line.startswith("Rock   ━") and line.endswith("   10") for line in lines)
    assert "Rock gently into the stretch and out again, a second each way, 6 times; then" \
        in lines
    assert "Next: hold, right knee (20 s)" in lines


def test_the_last_hold_says_what_comes_after_the_routine(cat):
    closing = "Now five minutes of easy cardio, such as brisk walking."
    ending = plan_with([Item(cat.find("standing"), hold=20)], closing=closing)
    shown = text_of(draw(state_at(ending, "hold", nth=1, into=5.0), 80, 24))
    assert f"Next: finish. {closing}" in shown
    assert "Next: finish\n" in text_of(draw(state_at(plan_with(
        [Item(cat.find("standing"), hold=20)]), "hold", nth=1), 80, 24)) + "\n"


def test_the_breathing_cue_is_on_the_card_and_each_hold_has_its_own(plan, cards, cat):
    """The one-size breathing line is said once, on the card; a hold shows
    where to feel it and, from its middle, its own breath tied to an action."""
    assert cat.breathing in " ".join(text_of(card_pages(cards["full"], 80, 24)[0]).split())
    for into in (3.0, 8.0, 14.0):
        shown = " ".join(text_of(draw(state_at(plan, "hold", into=into), 160, 48)).split())
        assert cat.breathing not in shown and BREATHING not in shown
    assert "Breathe out" in text_of(draw(state_at(plan, "hold", into=14.0), 80, 24))


# -- fitting the window -------------------------------------------------------------

# Every width at a few heights, every height at a few widths.
SWEEP = [(w, h) for w in range(20, 201) for h in (6, 13, 60)] + \
        [(w, h) for h in range(6, 61) for w in (20, 41, 80, 200)]


@pytest.mark.slow  # 766 windows each
@pytest.mark.parametrize("name", [*STATES, *MOVING])
def test_every_frame_fits_its_window_from_20x6_to_200x60(plan, moving, name):
    state = state_at(plan, **STATES[name]) if name in STATES else \
        state_at(moving, **MOVING[name])
    for width, height in SWEEP:
        lines = draw(state, width, height)
        assert len(lines) <= height, (width, height)
        assert all(line.cell_len <= width for line in lines), (width, height)
        assert lines and lines[0].plain.strip(), (width, height)  # the stretch's name or more


def test_the_countdown_survives_the_smallest_window(plan):
    state = state_at(plan, "hold", into=8.0)
    for size in ((30, 8), (20, 6), (20, 4)):
        shown = text_of(draw(state, *size))
        assert "12" in shown or "▀▀█" in shown, size


def test_no_line_is_cut_in_the_middle_of_a_word(plan):
    """Every word a small window shows is a whole word of what a huge one shows."""
    for name in STATES:
        state = state_at(plan, **STATES[name])
        whole = set(text_of(draw(state, 400, 200)).split()) | set(label(state).split())
        whole |= {word for keys in KEYS for word in keys.split()}
        whole |= {"more:", "show", state.phase.stretch.slug}  # where to read what is hidden
        for width, height in ((30, 8), (40, 12), (24, 10), (80, 24), (20, 6)):
            for line in text_of(draw(state, width, height)).splitlines():
                for word in line.split():
                    if word.strip(".,;:()").isalpha():
                        assert word in whole or word.rstrip(",") in whole, \
                            (name, width, height, word)


def test_the_keys_line_is_never_cut():
    from psoas_cli.ui.player.frame import _keys

    for width in range(1, 60):
        for paused in (False, True):
            shown = _keys(width, paused).plain
            assert len(shown) <= width
            assert shown == "" or shown.endswith("quit")


# -- the live player ------------------------------------------------------------------

class _Counted(io.StringIO):
    """A terminal's stream that remembers what each write wrote."""

    def isatty(self) -> bool:
        return True


def _player(width: int, height: int):
    stream = _Counted()
    console = Console(file=stream, width=width, height=height, force_terminal=True,
                      color_system="truecolor", legacy_windows=False)
    return LivePlayer(console, caution=CAUTION, breathing=BREATHING, title=False,
                      figure_mode="braille"), stream


@pytest.mark.parametrize("size", [(80, 24), (160, 48), (40, 12)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_writing_only_what_changed_leaves_the_whole_frame_on_screen(plan, size):
    """Second after second through a hold, a rest and a switch, the terminal shows
    exactly the frame it would show if each were drawn whole."""
    width, height = size
    player, stream = _player(width, height)
    with player:
        for kind, seconds in (("hold", range(1, 20, 3)), ("rest", (1, 3)), ("switch", (1,))):
            for into in seconds:
                state = state_at(plan, kind, into=into + 0.5)
                player.draw(state)
                expected = text_of(draw(state, width, height)).splitlines()
                while expected and not expected[-1]:
                    expected.pop()
                assert screen_rows(stream.getvalue(), width, height) == expected, (kind, into)


def _cells(output: str, width: int, height: int) -> list[list[tuple]]:
    """Every cell a terminal shows after ``output``: its character, colours and weight."""
    import pyte

    screen = pyte.Screen(width, height)
    pyte.Stream(screen).feed(output)
    return [[tuple(screen.buffer[y][x]) for x in range(width)] for y in range(height)]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_second_after_second_every_cell_has_the_colour_of_the_whole_frame(plan, size):
    """The rows the player keeps from one second to the next (the digits that
    did not change, the figure beside them, the bars) are coloured and bold
    as the same frame drawn whole on a fresh screen."""
    width, height = size
    player, stream = _player(width, height)
    with player:
        for kind, seconds in (("hold", range(1, 12)), ("rest", (1, 2, 3)), ("switch", (1,))):
            for into in seconds:
                state = state_at(plan, kind, into=into + 0.5)
                player.draw(state)
                whole, _ = _player(width, height)
                whole.screen.show(draw(state, width, height), (width, height))
                assert _cells(stream.getvalue(), width, height) == \
                    _cells(_.getvalue(), width, height), (kind, into)


def test_each_second_of_a_hold_writes_a_small_part_of_the_screen(plan):
    player, stream = _player(80, 24)
    with player:
        player.draw(state_at(plan, "hold", into=1.5))
        whole = len(stream.getvalue().encode())
        written = []
        for into in range(2, 12):
            before = len(stream.getvalue().encode())
            player.draw(state_at(plan, "hold", into=into + 0.5))
            written.append(len(stream.getvalue().encode()) - before)
    assert whole > 2000
    # The digits and the two bars, not the screen: about a fifth of it on average
    # (a second whose two digits both change writes the most).
    assert sum(written) / len(written) < whole / 5 and max(written) < whole / 3, \
        (whole, written)


def test_a_bar_that_grows_rewrites_the_new_cell_and_the_number_not_the_bar_between():
    from psoas_cli.ui.screen import Screen

    stream = io.StringIO()
    console = Console(file=stream, width=40, height=3, color_system=None, force_terminal=True,
                      legacy_windows=False)
    screen = Screen(console)
    screen.enter()
    screen.show([Text("Hold " + "=" * 5 + "-" * 25 + " 0:29")])
    stream.truncate(0)
    stream.seek(0)
    screen.show([Text("Hold " + "=" * 6 + "-" * 24 + " 0:28")], after="TITLE")
    # Two runs, each after a cursor move, then what was asked to come after.
    assert stream.getvalue() == "\x1b[1;11H=\x1b[1;40H8TITLE"
    assert screen_rows(stream.getvalue(), 40, 3)[0] == " " * 10 + "=" + " " * 28 + "8"


def test_a_resize_draws_everything_again(plan):
    player, stream = _player(80, 24)
    state = state_at(plan, "hold", into=1.5)
    with player:
        player.draw(state)
        player.console.width, player.console.height = 60, 20
        stream.truncate(0)
        stream.seek(0)
        player.draw(state)
        assert stream.getvalue().startswith("\x1b[H\x1b[2J")
        expected = text_of(draw(state, 60, 20)).splitlines()
        while expected and not expected[-1]:
            expected.pop()
        assert screen_rows(stream.getvalue(), 60, 20) == expected


def test_the_live_player_draws_the_frame_it_is_given(plan):
    stream = io.StringIO()
    console = Console(file=stream, width=40, height=12, color_system=None, force_terminal=True,
                      legacy_windows=False)
    player = LivePlayer(console, caution=CAUTION, breathing=BREATHING)
    state = state_at(plan, "switch", into=1.0)
    with player:
        player.draw(state)
    expected = text_of(draw(state, 40, 12))
    assert screen_rows(stream.getvalue(), 40, 12, before_leaving=True) == expected.splitlines()
    assert "\x1b]2;" not in stream.getvalue()  # no window title into a file


def test_the_layout_is_worked_out_once_per_phase_and_size(plan):
    console = Console(file=io.StringIO(), width=80, height=24, force_terminal=True,
                      legacy_windows=False)
    player = LivePlayer(console, figure_mode="braille")
    with player:
        player.draw(state_at(plan, "hold", into=1.0))
        first = player._layout[1]
        player.draw(state_at(plan, "hold", into=2.0))
        player.draw(state_at(plan, "hold", into=3.0))
        assert player._layout[1] is first  # each second: only digits and bars drawn anew
        player.draw(state_at(plan, "hold", into=3.0, pause=True))
        assert player._layout[1] is not first


class _Terminal(io.StringIO):
    """A stream that says it is a terminal, to see what the player writes to one."""

    def isatty(self) -> bool:
        return True


def test_the_window_title_shows_the_time_left_and_is_put_back(plan):
    stream = _Terminal()
    console = Console(file=stream, width=80, height=24, force_terminal=True,
                      legacy_windows=False)
    with LivePlayer(console) as player:
        player.draw(state_at(plan, "hold", into=8.0))
        player.draw(state_at(plan, "hold", into=8.5))  # the same second: no new title
        player.draw(state_at(plan, "hold", into=9.0))
        player.suspend()
        player.resume()
    out = stream.getvalue()
    assert out.startswith("\x1b[22;0t")  # the old title saved
    assert out.count("\x1b]2;0:12 right shin · Pigeon pose · psoas\x07") == 1
    assert out.count("\x1b]2;0:11 right shin · Pigeon pose · psoas\x07") == 2  # after resume
    assert out.count("\x1b]2;\x07\x1b[23;0t") == 2  # put back on suspend and at the end
    assert out.endswith("\x1b]2;\x07\x1b[23;0t")


def test_no_window_title_on_the_linux_console():
    console = Console(file=_Terminal(), width=80, height=24, force_terminal=True)
    assert not LivePlayer(console, environ={"TERM": "linux"}).title
    assert LivePlayer(console, environ={"TERM": "xterm-256color"}).title


def test_a_name_from_a_catalogue_cannot_break_out_of_the_title():
    from psoas_cli.ui.player.live import title_escape

    assert title_escape("Pigeon\x07\x1b]0;evil\x1b\\ pose") == "\x1b]2;Pigeon]0;evil\\ pose\x07"


def test_the_screen_styles_each_cell_as_rich_would(plan):
    """The screen works out styles per run of cells itself (it is quicker than
    Rich's rendering); every cell of every frame gets the SGR Rich would give it."""
    from rich.color import ColorSystem

    from psoas_cli.ui.screen import Screen

    console = Console(file=io.StringIO(), width=80, height=24, force_terminal=True,
                      color_system="truecolor", legacy_windows=False)
    screen = Screen(console)
    checked = 0
    for name, where in STATES.items():
        for line in draw(state_at(plan, **where), 80, 24):
            mine = screen._row(line, 80)
            theirs = []
            # As console.print renders it: joining turns the line's own style into a span.
            for segment in Text("").join([line]).render(console):
                if segment.text and not segment.control:
                    rendered = (segment.style.render("\0", color_system=ColorSystem.TRUECOLOR)
                                if segment.style else "\0")
                    theirs += [rendered[:rendered.index("\0")]] * len(segment.text)
            assert mine.chars == line.plain[:80]
            assert list(mine.codes) == theirs[:80], (name, line.plain)
            checked += any(mine.codes)
    assert checked > 20  # styled lines were compared, not only plain ones


def test_steps_that_do_not_fit_are_shown_a_page_at_a_time(plan):
    """On an 80x24 screen the first get-ready has room for one step at a time;
    over the phase the player shows each step in turn, not the first alone."""
    ready = next(p for p in plan.phases if p.kind == "ready")
    steps = ready.stretch.steps
    seen = set()
    for into in range(int(ready.duration)):
        shown = text_of(draw(state_at(plan, "ready", into=into + 0.5), 80, 24))
        seen |= {n for n in range(1, len(steps) + 1) if f"\n{n}. " in "\n" + shown}
    pages = -(-int(ready.duration) // 4)  # a page every 4 s at least
    assert len(seen) >= min(len(steps), pages) >= 3, seen
    assert 1 in seen and 2 in seen


def test_the_card_leaves_out_the_routines_purpose_when_that_saves_a_page(cards):
    """The purpose is shown where it costs no page of its own (it is in the plan too)."""
    purpose = "Wake the glutes"
    assert purpose in text_of(card_pages(cards["warmup"], 80, 24)[0])
    small = card_pages(cards["warmup"], 40, 12)
    assert len(small) == 2 and all(purpose not in text_of(page) for page in small)
    assert len(card_pages(cards["warmup"]._replace(purpose=""), 40, 12)) == 2


# -- every routine's first get-ready at 80x24: no safety text cut (the trial's 5) -------

def _first_ready_frames(cat, name, width, height):
    routine = datafiles.load_routines(cat)[name]
    level = levels.chosen(None, routine.level, routine.holds, routine.reps)
    plan = timeline.build(fit(routine, level=level, moves=cat.moves).routine,
                          timeline.Overrides(), cat.moves, cat.closing)
    ready = next(p for p in plan.phases if p.kind in ("ready", "move"))
    shown = []
    for tenth in range(0, int(ready.duration * 2)):
        t = ready.start + tenth / 2
        engine = Engine(plan, now=lambda t=t: t)
        engine.start(0.0)
        engine.advance(t)
        page = text_of(draw(engine.state(t), width, height))
        if not shown or shown[-1] != page:
            shown.append(page)
    return ready.stretch, shown, plan


@pytest.mark.parametrize("name", ["warmup", "cooldown", "after-run", "morning", "desk",
                                  "gentle", "full"])
def test_the_first_get_ready_at_80x24_shows_every_step_and_caution_whole(cat, cards, name):
    stretch, shown, _ = _first_ready_frames(cat, name, 80, 24)
    pages = [" ".join(page.split()) for page in shown]
    for number, step in enumerate(stretch.steps, 1):
        assert any(f"{number}. {' '.join(step.split())}" in page for page in pages), \
            (name, number)
    for caution in stretch.cautions:
        assert all(" ".join(caution.split()) in page for page in pages), (name, caution)
    assert not any("…" in page for page in shown), name
    card_words = " ".join(text_of(card_pages(cards[name], 80, 24)[0]).split())
    assert " ".join(cat.caution.split()) in card_words  # the general caution, whole
    assert not cards[name].need or f"You need {cards[name].need}" in card_words  # on the card
    if name == "gentle":
        assert "You need a chair; a mat." in card_words


def test_gentle_first_get_ready_pages_at_80x24_match_their_pictures(cat):
    _, shown, _ = _first_ready_frames(cat, "gentle", 80, 24)
    steps = []
    for page in shown:
        body = page.split("Ready  ", 1)[1].split("\n", 1)[1]
        if not steps or steps[-1] != body:
            steps.append(body)
    pictured = "".join(f"--- page {n}\n{body}" for n, body in enumerate(steps, 1))
    assert pictured == pinned("first-ready-gentle-80x24.txt", pictured)


# -- every routine's first get-ready on a small window: nothing hidden unsaid --------

def _countdown_line(line: str) -> bool:
    """The digits (big or plain) and the bars: the lines that change each second."""
    return (any(c in line for c in "▀▄█━─") or line.strip().isdigit()
            or line.startswith(("Ready ", "All ")))


def _turns(shown) -> str:
    """What the texts taking turns show over the phase, one text: the lines
    that change from page to page, in order, a text wrapped onto the next
    page joined up again (its ellipsis left out)."""
    contents: list[list[str]] = []
    for page in shown:
        lines = [line for line in page.splitlines() if not _countdown_line(line)]
        if not contents or contents[-1] != lines:
            contents.append(lines)
    if len(contents) > 1:
        common = set.intersection(*(set(lines) for lines in contents))
        contents = [[line for line in lines if line not in common] for lines in contents]
    return " ".join(" ".join(line for lines in contents for line in lines)
                    .replace("…", " ").split())


SMALL = [(40, 12), (30, 10), (20, 6)]


@pytest.mark.parametrize("size", SMALL, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", ["warmup", "cooldown", "after-run", "morning", "desk",
                                  "gentle", "full"])
def test_a_small_window_hides_no_get_ready_text_without_saying_so(cat, name, size):
    """Steps, cautions, the note and the easier way take turns, each whole in
    its turn (or wrapped onto the next page), the cautions first; what does
    not come in the phase's time is named by a line saying where to read it.
    The side and the countdown stay on every page."""
    stretch, shown, plan = _first_ready_frames(cat, name, *size)
    ready = next(p for p in plan.phases if p.kind in ("ready", "move"))
    more = f"more: psoas show {stretch.slug}"
    said = all(" ".join(more.split()) in " ".join(page.split()) for page in shown) or \
        all(f"more: psoas show {stretch.number}" in page for page in shown)
    seen = _turns(shown)
    texts = [*(f"Take care: {c}" for c in stretch.cautions),
             *(f"{n}. {step}" for n, step in enumerate(stretch.steps, 1)),
             *([f"Easier: {stretch.easier}"] if stretch.easier else []),
             *([ready.note] if ready.note else [])]
    hidden = [text for text in texts if " ".join(text.split()) not in seen]
    assert not hidden or said, (name, hidden)
    if size == (40, 12):  # room for every caution, and in time
        assert not [c for c in stretch.cautions if f"Take care: {' '.join(c.split())}"
                    not in seen], name
    side = ready.side or ""
    for page in shown:
        assert any(_countdown_line(line) for line in page.splitlines()), (name, page)
        assert side in page, (name, page)
        assert len(page.splitlines()) <= size[1]
        assert all(len(line) <= size[0] for line in page.splitlines())


def test_on_a_small_window_the_cautions_come_before_the_steps(cat):
    """When there is not the time for every turn, a step is left out, never a caution."""
    stretch, shown, _ = _first_ready_frames(cat, "gentle", 40, 12)
    seen = _turns(shown)
    cautions = [seen.index(" ".join(f"Take care: {c}".split())) for c in stretch.cautions]
    assert max(cautions) < seen.index("1. ")
    assert all("more: psoas show side-sitting" in page for page in shown)
    assert "Easier:" not in seen  # the last turn does not come in 30 s: the line says so


def test_gentle_first_get_ready_at_40x12_matches_its_pictures(cat):
    """A page each time the texts change, with the second it comes at."""
    _, shown, _ = _first_ready_frames(cat, "gentle", 40, 12)
    pages: list[str] = []
    last = None
    for page in shown:
        words = [line for line in page.splitlines() if not _countdown_line(line)]
        if words != last:
            pages.append(page)
            last = words
    pictured = "".join(f"--- page {n}\n{page}" for n, page in enumerate(pages, 1))
    assert pictured == pinned("first-ready-gentle-40x12.txt", pictured)
