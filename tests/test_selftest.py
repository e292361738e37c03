"""psoas test: the self-tests as data, played on a fake clock with fake keys, and
their answers stored per side."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from psoas_cli.cli.app import App
from psoas_cli.errors import SelfTestError, UnknownName
from psoas_cli.files import datafiles
from psoas_cli.history import practice
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.play.events import Outcome
from psoas_cli.practice import scoring, selftest
from psoas_cli.practice.selftest import SideAnswers
from psoas_cli.ui.practice.selftest import TestPlayer
from psoas_cli.ui.practice.talk import LIVE, Talk

from .fakes import FakeClock


@pytest.fixture(scope="module")
def tests():
    return datafiles.load_selftests()


# -- the data ----------------------------------------------------------------------------------

def test_the_two_tests_are_additions_never_in_the_catalogue(tests, run):
    assert [t.slug for t in tests.tests] == ["thomas", "half-kneeling-test"]
    assert (tests.default.top, tests.tests[1].top) == (6, 4)
    listed = run("list").output
    # (the Thomas stretch on a bed is a catalogue addition a program unlocks: a
    # stretch, not the test)
    assert "Thomas test" not in listed and "Half-kneeling test" not in listed
    catalogue = datafiles.load_catalogue()
    assert not {t.slug for t in tests.tests} & {s.slug for s in catalogue}
    assert "additions to psoas" in run("test", "--help").output


def test_a_test_is_found_by_what_people_type(tests):
    assert tests.find("floor").slug == tests.find("kneel").slug == "half-kneeling-test"
    assert tests.find("bed").slug == tests.find("Thomas").slug == "thomas"
    assert tests.command("half-kneeling-test") == "psoas test floor"
    with pytest.raises(UnknownName, match="no self-test called 'flor'; did you mean 'floor'"):
        tests.find("flor")


def test_the_cache_gives_back_the_same_tests(tests, tmp_path):
    first = datafiles.load_selftests(cache_dir=str(tmp_path))
    again = datafiles.load_selftests(cache_dir=str(tmp_path))
    assert first == again == tests
    assert datafiles.load_checkins(cache_dir=str(tmp_path)) == datafiles.load_checkins()


BUNDLED = datafiles.bundled_path("tests.yaml")


@pytest.mark.parametrize("change, message", [
    (("    cue: \"Knee hugged", "    cues: \"Knee hugged"),
     "test 'thomas', field 'cues': unknown field (did you mean 'cue'?)"),
    (("    addition: true\n    summary: Lying", "    addition: false\n    summary: Lying"),
     "field 'addition': must be true"),
    (("with the edge of the mattress", "with the right edge of the mattress"),
     "field 'steps': step 1 names a side"),
    (("    setup: 60", "    setup: 20"), "field 'setup': 20 s is too short to say every step"),
    (("    hold: 30", "    hold: 12"), "field 'hold': 12 s is too short for the cue"),
    (("key: \"2\", text: \"lifted a little", "key: \"3\", text: \"lifted a little"),
     "the answers' keys must be \"1\", \"2\"... in order"),
    (("      - [6, \"very tight\"]", "      - [7, \"very tight\"]"),
     "the last band must end at the test's top score, 6"),
    (("ask: \"Did your knee drift out to the side?\"",
      "ask: \"Did your knee drift out to the side, or perhaps inwards, or stay as it was "
      "when you lowered it?\""), "at most 76 fit the screen"),
])
def test_a_mistake_is_one_line_naming_the_file_line_test_and_field(tmp_path, change, message):
    text = open(BUNDLED, encoding="utf-8").read()
    old, new = change
    assert old in text
    path = tmp_path / "tests.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SelfTestError) as caught:
        datafiles.load_selftests(path=str(path))
    said = str(caught.value)
    assert "\n" not in said and said.startswith(f"{path}:") and message in said


def test_every_screen_text_fits_and_every_side_has_a_figure(tests):
    for test in tests.tests:
        assert test.figure is not None and test.figure.worked == ("near leg",)
        assert all(len(q.ask) <= 76 and len(q.ask_short) <= 38 for q in test.questions)
        assert len(test.short) <= 20


# -- scoring and the timeline -------------------------------------------------------------------

def test_a_skipped_scored_question_leaves_no_score(tests):
    test = tests.default
    answers = {"thigh": None, "drift": "in-line", "knee": "bends-90", "pain": "no"}
    assert scoring.side_score(test, answers) is None
    assert scoring.result_phrase(test, answers).endswith("(no score)")
    assert scoring.comparison(None, 2) == "Only the left side has a score."


def test_a_side_plays_get_ready_then_hold_the_second_waits_for_enter(tests):
    test = tests.default
    first = selftest.side_timeline(test, "right", wait=True)
    second = selftest.side_timeline(test, "left", wait=True)
    assert [(p.kind, p.duration) for p in first.phases] == [("ready", 60), ("hold", 30)]
    assert [(p.kind, p.duration, p.wait) for p in second.phases] == [
        ("switch", 0, True), ("ready", 60, False), ("hold", 30, False)]
    assert [p.kind for p in selftest.side_timeline(test, "left", wait=False).phases] == \
        ["ready", "hold"]


def test_the_voice_says_every_step_and_the_notices_in_time(tests):
    for test in tests.tests:
        said = selftest.spoken_ready(test, "right", first=True)
        assert all(step in said for step in test.steps)
        times = selftest.notices(test)
        assert times[0][0] == test.settle and times[-1][0] < test.hold - 3
        heard, words = set(), []
        for second in range(int(test.hold) + 1):
            words.append(selftest.spoken_in_hold(test, second, heard))
        first, *rest = [q.notice for q in test.questions]
        assert [w for w in words if w] == [
            f"Notice, to answer after: {first[0].lower()}{first[1:]}", *rest, "3, 2, 1."]


def test_answers_one_key_each_dropped_while_shown_back_and_cant_tell(tests):
    test = tests.default
    run = SideAnswers(test, "right", confirm=1.0, now=0.0)
    run.press("2", 0.0)
    run.press("3", 0.5)  # typed while "lifted a little" shows: dropped
    run.tick(1.0)
    run.press("enter", 1.1)  # Enter never answers
    assert run.index == 1 and "drift" not in run.answers
    run.press("back", 1.2)
    assert run.index == 0 and "thigh" not in run.answers
    run.press("3", 1.3)
    run.tick(2.3)
    run.press("skip", 2.4)  # Esc: can't tell
    run.tick(3.4)
    run.press("1", 3.5)
    run.tick(4.5)
    run.press("1", 4.6)
    run.tick(5.6)
    assert run.done and run.answers == {"thigh": "lifts-clearly", "drift": None,
                                        "knee": "bends-90", "pain": "no"}


# -- played through the command, on a fake clock -----------------------------------------------

ENTER = "enter"


def keys_for(*answers_by_side, start=0.0):
    """The card's Enter, then each side: its phases' time, then an answer every 2 s."""
    keys = [(start, ENTER)]
    t = start + 95  # setup 60 + hold 30, and a little
    for number, answers in enumerate(answers_by_side):
        if number:
            keys.append((t, ENTER))  # the switch
            t += 95
        for answer in answers:
            keys.append((t, answer))
            t += 2
    return keys


def play(run, *keys, args=("--plain",)):
    clock = FakeClock(keys)
    app = App(monotonic=clock.now, keyboard=clock.keyboard)
    return run("test", *args, app=app), clock


def stored(home):
    return practice.read(HistoryFile(str(home)), answers=True).tests


def test_the_thomas_test_stores_each_side(run, clean_env):
    result, clock = play(run, *keys_for("2121", "1111"))
    assert result.exit_code == 0, result.output
    assert "right: thigh lifts a little off the bed, stays in line, knee bends less than 90\n" \
           "       (2 of 6: a little tight)" in result.output
    assert "Right is tighter than left." in result.output
    assert "Take it again in 2 weeks, on the same bed" in result.output
    (test,) = stored(clean_env)
    assert (test.slug, test.status) == ("thomas", "finished")
    assert [(s.side, s.score, s.hurt) for s in test.sides] == [("right", 2, False),
                                                               ("left", 0, False)]
    assert [(a.question, a.answer, a.score) for a in test.side("right").answers] == [
        ("thigh", "lifts-little", 1), ("drift", "in-line", 0), ("knee", "short-little", 1),
        ("pain", "no", None)]


def test_the_floor_test_and_a_side_that_hurt(run, clean_env):
    result, _ = play(run, *keys_for("212", "112"), args=("floor", "--plain"))
    assert result.exit_code == 0, result.output
    assert "Half-kneeling test" in result.output and "it hurt" in result.output
    assert "It hurt, so leave this test out until it doesn't." in result.output
    (test,) = stored(clean_env)
    assert test.slug == "half-kneeling-test" and test.side("left").hurt
    assert not test.complete


def test_the_closing_words_fit_80_columns(run, clean_env):
    result, _ = play(run, *keys_for("212", "112"), args=("floor", "--plain"))
    lines = result.output.splitlines()
    at = lines.index("Take your time getting up: come onto one knee, then stand with a hand "
                     "on your")
    assert lines[at + 1] == "front knee or a chair."
    assert max(map(len, lines)) <= 80


def test_q_in_the_second_side_keeps_the_first(run, clean_env):
    keys = keys_for("1111") + [(200, ENTER), (230, "quit")]
    result, _ = play(run, *keys)
    assert result.exit_code == 0
    assert "Only the right side has a score." in result.output
    (test,) = stored(clean_env)
    assert test.status == "stopped" and [s.side for s in test.sides] == ["right"]


def test_q_on_the_card_stores_nothing(run, clean_env):
    result, _ = play(run, (0.0, "quit"))
    assert "nothing is kept" in result.output
    assert stored(clean_env) == ()


def test_ctrl_c_during_the_questions_keeps_finished_sides_and_exits_130(run, clean_env):
    keys = keys_for("1111") + [(200, ENTER), (300, "1"), (302, "interrupt")]
    result, _ = play(run, *keys)
    assert result.exit_code == 130
    assert [s.side for s in stored(clean_env)[0].sides] == ["right"]


def test_no_history_stores_nothing(run, clean_env):
    result, _ = play(run, *keys_for("1111", "1111"), args=("--plain", "--no-history"))
    assert result.exit_code == 0 and "Both sides scored the same." in result.output
    assert stored(clean_env) == ()


# -- the live screen ----------------------------------------------------------------------------

# Enter for each page of the card (a short window has more); the spare ones
# come while getting ready, where Enter does nothing.
CARD_PAGES = [(n / 10, ENTER) for n in range(1, 10)]


def test_the_live_screen_shows_the_card_the_figure_and_each_question(tests):
    out = io.StringIO()
    console = Console(file=out, width=80, height=24, force_terminal=True, color_system=None,
                      legacy_windows=False)
    clock = FakeClock(keys_for("2121", "1111") + CARD_PAGES)
    talk = Talk(console, mode=LIVE, wait=clock.wait)
    player = TestPlayer(tests.default, tests, talk, monotonic=clock.now, confirm=1.0,
                        engine_wait=clock.wait, figure_mode="braille")
    talk.screen.enter()
    ended = player.run()
    talk.screen.leave()
    assert ended.outcome is Outcome.FINISHED and [s for s, _ in ended.sides] == ["right", "left"]
    shown = out.getvalue()
    for text in ("Leave this test out if:", "right leg hanging, left knee hugged",
                 "THOMAS TEST · RIGHT SIDE · question 1 of 4", "Come out first:",
                 "Press 1-3.  Esc: can't tell.  b: back.  q: stop.",
                 "lifted a little, barely touching",
                 # the switch in the test's own words (its switch_says), as a stretch's
                 "Now the left side: hug your right knee and let your left leg hang,"):
        assert text in shown, text
    assert any(0x2800 < ord(c) <= 0x28FF for c in shown)  # the figure, in braille


def test_at_40_columns_the_questions_are_short(tests):
    out = io.StringIO()
    console = Console(file=out, width=40, height=12, force_terminal=True, color_system=None,
                      legacy_windows=False)
    clock = FakeClock(keys_for("1111", "1111") + CARD_PAGES)
    talk = Talk(console, mode=LIVE, wait=clock.wait)
    player = TestPlayer(tests.default, tests, talk, monotonic=clock.now, confirm=1.0,
                        engine_wait=clock.wait)
    talk.screen.enter()
    player.run()
    shown = out.getvalue()
    assert "RIGHT SIDE · 1 of 4" in shown and "Did your thigh rest on the bed?" in shown
    assert "1-3 · Esc can't tell · q stop" in shown


def test_the_card_pages_are_each_within_the_window(tests):
    made = selftest.card(tests.default, tests)
    assert made.title == "Thomas test at the end of a bed (a self-test added to psoas)"
    assert "Leave this test out if" in made.spoken() and made.spoken().endswith(
        "Press Enter to start.")


def test_the_voice_reads_the_card_the_steps_the_notices_and_each_question(tests):
    said = []

    class Spoken:
        def __init__(self, command, **kwargs):
            said.append(command[-1])

        def poll(self):
            return 0

    from psoas_cli.ui.practice.selftest import TestVoice
    from psoas_cli.ui.practice.talk import PLAIN

    test = tests.tests[1]
    voice = TestVoice(["speak"], test, spawn=Spoken)
    clock = FakeClock(keys_for("111", "111"))
    console = Console(file=io.StringIO(), width=80, height=24, color_system=None)
    talk = Talk(console, mode=PLAIN, wait=clock.wait, voice=voice)
    TestPlayer(test, tests, talk, monotonic=clock.now, confirm=1.0, engine_wait=clock.wait,
               voice=voice).run()
    spoken = " | ".join(said)
    assert said[0].startswith("Half-kneeling test (a self-test added to psoas).")
    assert "Leave this test out if" in said[0]
    assert all(step in spoken for step in test.steps)
    assert all(q.notice in said for q in test.questions) and "3, 2, 1." in said
    assert test.come_out in said and test.finish in said
    assert "How far did your hips move forward before you had to stop? 1, a hand's width or " \
           "more." in spoken
    assert "Now the left side: left knee down, right foot in front." in said  # the switch
