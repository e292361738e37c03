"""psoas test: the self-tests as data, played on a fake clock with fake keys, and
their answers stored per side."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from psoas_cli.cli.app import App
from psoas_cli.errors import SelfTestError, UnknownName
from psoas_cli.files import datafiles
from psoas_cli.history import practice
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.history.practice_records import TestAnswer, TestRecord, TestSide
from psoas_cli.play.events import Outcome
from psoas_cli.play.phrases import COUNTDOWN_AT, WORDS_PER_SECOND
from psoas_cli.practice import scoring, selftest
from psoas_cli.practice.selftest import SideAnswers
from psoas_cli.ui.practice.selftest import TestPlayer
from psoas_cli.ui.practice.talk import LIVE, Talk

from .fakes import FakeClock, screen_rows


@pytest.fixture(scope="module")
def tests():
    return datafiles.load_selftests()


# -- the data ----------------------------------------------------------------------------------

def test_the_two_tests_are_additions_never_in_the_catalogue(tests, run):
    assert [t.slug for t in tests.tests] == ["thomas", "half-kneeling-test"]
    assert (tests.default.top, tests.tests[1].top) == (2, 4)
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
    (("      - [2, \"tight\"]", "      - [3, \"tight\"]"),
     "the last band must end at the test's top score, 2"),
    (("result: \"thigh lifts a little off the bed\"}",
      "result: \"thigh lifts a little off the bed\", note: \"psoas may be tight\"}"),
     "a scored question's answers have no note"),
    (("version: 2\n", "version: 1\n"), "this psoas reads tests version 2, not 1"),
    (("    comparable_since: 2\n", "    comparable_since: 3\n"),
     "field 'comparable_since': must be a whole number from 1 to 2"),
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
        # Each is said whole before the next (or the 3-2-1) starts: the voice
        # speaks on the engine's whole seconds, so each starts on one.
        ends = [at + len(said.split()) / WORDS_PER_SECOND for at, said in times]
        starts = [at for at, _ in times[1:]] + [test.hold - COUNTDOWN_AT]
        assert all(end <= start for end, start in zip(ends, starts, strict=True)), test.slug
        assert all(at == int(at) for at, _ in times)
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
    assert "right: thigh lifts a little off the bed, knee stays in line, knee bends less\n" \
           "       than 90 (1 of 2: a little tight)\n" \
           "       Note: front of the thigh (rectus femoris) may be tight.\n" in result.output
    assert "Right is tighter than left." in result.output
    assert "Take it again in 2 weeks, on the same bed" in result.output
    (test,) = stored(clean_env)
    assert (test.slug, test.status, test.version) == ("thomas", "finished", 2)
    assert [(s.side, s.score, s.hurt) for s in test.sides] == [("right", 1, False),
                                                               ("left", 0, False)]
    assert [(a.question, a.answer, a.score) for a in test.side("right").answers] == [
        ("thigh", "lifts-little", 1), ("drift", "in-line", None),
        ("knee", "short-little", None), ("pain", "no", None)]


def test_the_thomas_score_is_the_thigh_alone_drift_and_knee_are_notes(tests):
    """The physical therapist's review: a thigh on the bed with a clear drift is
    normal length for the hip flexors, with a note on the outer hip."""
    test = tests.default
    drifted = {"thigh": "rests", "drift": "drifts-clearly", "knee": "short-clearly",
               "pain": "no"}
    assert scoring.side_score(test, drifted) == 0
    assert scoring.result_lines(test, "left", drifted, 80) == [
        "left:  thigh rests on the bed, knee drifts out clearly, knee bends much less",
        "       than 90 (0 of 2: normal length)",
        "       Notes: outer hip (TFL) may be tight; front of the thigh (rectus femoris)",
        "       may be tight."]
    lifted = {"thigh": "lifts-clearly", "drift": "in-line", "knee": "bends-90", "pain": "no"}
    assert scoring.result_phrase(test, lifted).endswith("(2 of 2: tight)")
    assert scoring.result_lines(test, "right", {**lifted, "drift": None}, 80)[0].startswith(
        "right: thigh lifts clearly off the bed, drift: can't tell")


def v1_side(side, thigh, drift, knee):
    """A side as version 1 stored it: the three answers' scores summed."""
    ids = {"thigh": ("rests", "lifts-little", "lifts-clearly"),
           "drift": ("in-line", "drifts-little", "drifts-clearly"),
           "knee": ("bends-90", "short-little", "short-clearly")}
    answers = tuple(TestAnswer(f"{side}{q}", q, ids[q][n], n)
                    for q, n in (("thigh", thigh), ("drift", drift), ("knee", knee)))
    return TestSide(f"u{side}", side, thigh + drift + knee, False,
                    (*answers, TestAnswer(f"{side}p", "pain", "no", None)))


def test_a_version_1_thomas_result_is_re_scored_from_its_answers(tests):
    old = TestRecord("t1", "thomas", 0.0, date(2025, 11, 3), "finished", 1,
                     (v1_side("right", 0, 2, 2), v1_side("left", 1, 0, 0)))
    assert (old.score("right"), old.score("left")) == (4, 1)  # right "tighter", as stored
    now = scoring.current(tests, old)
    assert now is not None and now.version == tests.version
    assert (now.score("right"), now.score("left")) == (0, 1)  # left, on the thigh


def test_a_result_that_cannot_be_re_scored_is_not_compared(tests):
    thomas = TestRecord("t1", "thomas", 0.0, date(2025, 11, 3), "finished", 1,
                        (v1_side("right", 1, 0, 0), v1_side("left", 0, 0, 0)))
    gone = thomas._replace(sides=(thomas.sides[0]._replace(answers=(
        TestAnswer("x", "thigh", "hovers", 1),)), thomas.sides[1]))
    assert scoring.current(tests, gone) is None  # an answer the file no longer has
    assert scoring.current(tests, thomas._replace(version=tests.version + 1)) is None  # newer
    floor = TestRecord("t2", "half-kneeling-test", 0.0, date(2025, 11, 3), "finished", 1,
                       (TestSide("r", "right", 1, False), TestSide("l", "left", 1, False)))
    assert scoring.current(tests, floor) is None  # started elsewhere before version 2
    assert scoring.current(tests, floor._replace(version=tests.version)) is not None


def test_the_card_offers_a_watcher_and_says_it(tests):
    card = selftest.card(tests.default, tests)
    watcher = ("If someone can watch from the side, let them answer the questions: they see "
               "the thigh and shin better than you can feel them.")
    assert watcher in card.take_care
    assert watcher in card.spoken()


def test_the_floor_test_starts_from_a_marked_spot_and_is_a_rough_check(tests):
    floor = tests.get("half-kneeling-test")
    said = selftest.spoken_ready(floor, "right", first=True)
    assert "one foot's length" in said and "Mark the spot on the mat" in said
    assert "rough check" in floor.summary


ALERT = ("It hurt, so the test stops here. Leave it out until it doesn't hurt, and if the\n"
         "pain stays, see a physical therapist.\n")


@pytest.mark.parametrize("args, right, left", [
    ((), "2122", "1111"),
    (("floor",), "212", "111"),
], ids=["thomas", "floor"])
def test_a_side_that_hurt_ends_the_test_there(run, clean_env, args, right, left):
    result, _ = play(run, *keys_for(right, left), args=(*args, "--plain"))
    assert result.exit_code == 0, result.output
    out = result.output
    # Never on to the other side as if nothing happened, nor compared, nor re-tested.
    for never in (": get ready, left", ": hold, left", "Now the left side", "LEFT SIDE"):
        assert never not in out, never
    for never in ("tighter", "scored the same", "has a score", "Next test due",
                  "Take it again", "checkin after"):
        assert never not in out, never
    assert out.endswith(ALERT)
    (test,) = stored(clean_env)
    assert test.status == "stopped" and [(s.side, s.hurt) for s in test.sides] == [
        ("right", True)]
    assert not test.complete and not test.sets_due


def test_the_second_side_that_hurt_is_not_compared_either(run, clean_env):
    result, _ = play(run, *keys_for("1111", "2222"), args=("--plain",))
    out = result.output
    assert "right: thigh rests on the bed" in out and "left:  thigh lifts" in out
    assert "tighter" not in out and "Next test due" not in out and out.endswith(ALERT)
    (test,) = stored(clean_env)
    assert test.status == "finished" and not test.sets_due


def test_the_live_screen_stops_at_a_side_that_hurt(tests):
    keys = [*CARD_PAGES_AT_START, *[(95 + 2 * n, k) for n, k in enumerate("2122")]]
    shots, ended = live_run(tests.default, tests, (80, 24), keys + [(106, ENTER)], at=(104,))
    assert shots[104] == pinned("selftest-hurt-80x24.txt", shots[104])
    assert shots[104].splitlines()[-1] == "Enter: the results"
    assert ended.outcome is Outcome.FINISHED and ended.hurt
    assert [side for side, _ in ended.sides] == ["right"]


def test_neither_a_test_that_hurt_nor_one_with_no_score_moves_the_next_due(run, clean_env):
    from psoas_cli.cli.actions.practice import read_facts
    from psoas_cli.practice import readings

    clock = [1_760_000_000.0]  # 9 October 2025
    day = 24 * 3600

    def take(*keys, args=("--plain",)):
        fake = FakeClock(keys)
        app = App(monotonic=fake.now, keyboard=fake.keyboard, now=lambda: clock[0])
        return run("test", *args, app=app)

    def due_line():
        app = App(now=lambda: clock[0])
        facts, _ = read_facts(app, 12)
        return readings.due_reading(facts, datafiles.load_selftests(), [])

    assert "Next test due on 23 October" in take(*keys_for("1111", "1111")).output
    clock[0] += 3 * day  # stopped with a side of "can't tell" only: no score
    out = take(*keys_for(ESCAPES), (200, ENTER), (230, "quit")).output  # q: the left side
    assert "Next test due" not in out and "(no score)" in out
    assert due_line() == "next test due on 23 October"
    clock[0] += 3 * day  # a side that hurt
    assert "Next test due" not in take(*keys_for("1112")).output
    assert due_line() == ("your last test, on 15 October, hurt: leave it out until it "
                          "doesn't, and if the pain stays, see a physical therapist")
    clock[0] += 3 * day  # a good one again: the clock starts over from it
    take(*keys_for("1111", "1111"))
    assert due_line() == "next test due on 1 November"


ESCAPES = ["skip"] * 4  # Esc: "can't tell", each question


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
    assert "Notice, to answer after: how far have your hips moved forward?" in said
    assert all(q.notice in said for q in test.questions[1:]) and "3, 2, 1." in said
    assert test.come_out in said and test.finish in said
    assert "How far did your hips move forward before you had to stop? 1, a hand's width or " \
           "more." in spoken
    assert "Now the left side: left knee down, right foot in front." in said  # the switch


# -- what the screen shows, frame by frame (tests/frames/selftest-*) ---------------------------

FRAMES = Path(__file__).resolve().parent / "frames"


def pinned(name: str, shown: str) -> str:
    """The frame in tests/frames/``name``; PSOAS_UPDATE_FRAMES=1 writes it anew."""
    path = FRAMES / name
    if os.environ.get("PSOAS_UPDATE_FRAMES"):
        path.write_text(shown, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def live_run(test, tests, size, keys, at=(), voice=None):
    """Play ``test`` on the live screen at ``size`` with ``keys`` on a fake clock;
    what a terminal showed (pyte) at each time in ``at``, and how it ended."""
    width, height = size
    out = io.StringIO()
    console = Console(file=out, width=width, height=height, force_terminal=True,
                      color_system=None, legacy_windows=False)
    clock = FakeClock(keys)
    marks = sorted(at)
    shown: dict[float, str] = {}

    def wait(timeout):
        """The clock's wait, never past the next mark: the screen is taken there."""
        while marks and clock.elapsed >= marks[0] - 1e-9:
            shown[marks.pop(0)] = out.getvalue()
        if marks and (timeout is None or marks[0] - clock.elapsed < timeout):
            return clock.wait(marks[0] - clock.elapsed)  # a key, or None at the mark
        return clock.wait(timeout)

    talk = Talk(console, mode=LIVE, wait=wait, voice=voice)
    player = TestPlayer(test, tests, talk, monotonic=clock.now, confirm=1.0,
                        engine_wait=wait, figure_mode="braille", voice=voice)
    talk.screen.enter()
    ended = player.run()
    for mark in marks:
        shown[mark] = out.getvalue()
    talk.screen.leave()
    return ({mark: "\n".join(screen_rows(text, width, height)) + "\n"
             for mark, text in shown.items()}, ended)


SIZES = [(80, 24), (40, 12), (160, 48)]
CARD_PAGES_AT_START = [(n / 20, ENTER) for n in range(15)]  # every page, any size


def _sized(size):
    return f"{size[0]}x{size[1]}"


@pytest.mark.parametrize("size", SIZES, ids=_sized)
def test_each_sides_hold_shows_what_to_notice_not_how_to_get_there(tests, size):
    """The right side's hold 12 s in (the card's pages turned at once, 60 s to
    get ready); the left side's 12 s into its hold after the questions."""
    keys = [*CARD_PAGES_AT_START, *[(95 + 2 * n, "1") for n in range(4)], (104, ENTER)]
    shots, _ = live_run(tests.default, tests, size, keys + [(200, "quit")],
                        at=(60.5 + 12, 104 + 60 + 12))
    right, left = shots[72.5], shots[176]
    assert right == pinned(f"selftest-hold-right-{_sized(size)}.txt", right)
    assert left == pinned(f"selftest-hold-left-{_sized(size)}.txt", left)
    assert "Sit at the foot" not in right and "Sit at the foot" not in left
    if size != (40, 12):  # the whole list: under the cue, over what comes next
        for shot in (right, left):
            at = shot.index("Notice, to answer after:\n")
            assert shot[at:].startswith(
                "Notice, to answer after:\n"
                "- Does the back of your thigh rest on the bed?\n"
                "- Does your knee drift out to the side?\n"
                "- Does your knee bend to 90 degrees, the shin straight down?\n"
                "- Does anything hurt, more than a stretch?\n")


def test_the_test_screen_counts_sides_and_says_what_comes_next(tests):
    keys = [*CARD_PAGES_AT_START, *[(95 + 2 * n, "1") for n in range(4)], (104, ENTER)]
    shots, _ = live_run(tests.default, tests, (80, 24), keys + [(200, "quit")],
                        at=(30.5, 72.5, 104 + 30, 176))
    ready, right, ready_left, left = (shots[t].splitlines() for t in (30.5, 72.5, 134, 176))
    assert right[0].startswith("psoas · Thomas test") and right[0].endswith("side 1 of 2")
    assert left[0].endswith("side 2 of 2")
    assert "Next: come out and answer 4 questions, then the left side" in right
    assert "Next: come out and answer 4 questions, then your results" in left
    # The All bar runs over both sides' timed phases, 3:00 in all: 12 s into
    # the right side's hold, 1:48 is left; 12 s into the left side's, 0:18.
    bars = [next(r for r in rows if r.startswith("All")) for rows in (right, left)]
    assert [bar[-5:].strip() for bar in bars] == ["1:48", "0:18"]
    assert [bar.count("━") for bar in bars] == [27, 60]  # 40% and 90% of its 67 cells
    for rows in (ready, right, ready_left, left):
        text = "\n".join(rows)
        assert "stretch 1 of 1" not in text and "Next: finish" not in text
        assert "Breathe" not in text and "ease into each stretch" not in text


def test_at_40x12_every_notice_shows_in_turn_through_the_hold(tests):
    keys = [*CARD_PAGES_AT_START]
    marks = [60.5 + t for t in range(0, 30)]
    shots, _ = live_run(tests.default, tests, (40, 12), keys + [(92, "quit")], at=marks)
    seen = "".join(shots[t] for t in marks)
    for start in ("Notice, to answer after:", "- Does the back of your thigh", "- Does your knee "
                  "drift out", "- Does your knee bend to 90", "- Does anything hurt"):
        assert start in seen, start
    assert all(len(row) <= 40 for t in marks for row in shots[t].splitlines())


# -- the voice, page by page ----------------------------------------------------------------------

class Spoken:
    """A speech command that records what it is asked to say, and whether it was cut."""

    log: list = []

    def __init__(self, command, **kwargs):
        self.text = command[-1]
        self.cut = False
        Spoken.log.append(self)

    def poll(self):
        return None if not self.cut else -15  # speaking until cut

    def terminate(self):
        self.cut = True

    def kill(self):
        self.cut = True


@pytest.mark.parametrize("size", [(80, 24), (40, 12)], ids=_sized)
def test_the_card_is_said_a_page_at_a_time_as_enter_turns_it(tests, size):
    from psoas_cli.ui.practice.selftest import TestVoice

    Spoken.log = []
    test = tests.default
    voice = TestVoice(["speak"], test, spawn=Spoken)
    pages = [(1.0 + n, ENTER) for n in range(12)]  # a page a second; the spare ones do nothing
    shots, _ = live_run(test, tests, size, pages + [(30, "quit")],
                        at=[0.5 + n for n in range(12)], voice=voice)
    card = [s for s in Spoken.log if not s.text.startswith("Thomas test at the end of a bed.")]
    card = card[:next(n for n, s in enumerate(card) if s.text.endswith("to start.")) + 1]
    # One speech for each page shown, said as it shows, cut as Enter turns it.
    assert len(card) == len({shots[t].splitlines()[-1] for t in shots
                             if shots[t].splitlines()[-1].startswith("Enter:")}) >= 2
    assert all(s.text.endswith("Press Enter for more.") for s in card[:-1])
    assert card[-1].text.endswith("No firm bed, or getting on and off one is hard? 'psoas test "
                                  "floor' checks the same muscles, kneeling. Press Enter to start.")
    assert card[0].text.startswith("Thomas test at the end of a bed (a self-test added to "
                                   "psoas). Needs: firm bed. Leave this test out if you have had")
    assert all(s.cut for s in card)  # Enter cut each; then the next page was said
    # Together they say the whole card, in order, each part once.
    whole = selftest.card(test, tests).spoken()
    assert " ".join(s.text.replace(" Press Enter for more.", "") for s in card) == whole
    if size == (80, 24):
        assert card[1].text.startswith("Take care. Use a firm bed that cannot slide")
        first = shots[0.5]
        assert "Leave this test out if:" in first and "Take care" not in first
    # Getting ready is said after the last page.
    assert Spoken.log[len(card)].text.startswith("Thomas test at the end of a bed. Right leg "
                                                 "hanging, left knee hugged.")


def test_in_plain_lines_the_get_ready_gives_every_step_and_the_hold_what_to_notice(run,
                                                                                    clean_env):
    result, _ = play(run, *keys_for("1111", "1111"))
    out = result.output
    ready = out.index("   0:00  Thomas test at the end of a bed: get ready, right leg (1:00)\n")
    hold = out.index("   1:00  Thomas test at the end of a bed: hold, right leg (0:30)\n")
    steps = out[ready:hold]
    for number, step in enumerate(datafiles.load_selftests().default.steps, 1):
        assert f"         {number}. {step.split()[0]} " in steps
    assert out[hold:].startswith(
        "   1:00  Thomas test at the end of a bed: hold, right leg (0:30)\n"
        "         Focus: Knee hugged, low back flat, let the other leg hang.\n"
        "         Notice, to answer after:\n"
        "         - Does the back of your thigh rest on the bed?\n"
        "         - Does your knee drift out to the side?\n"
        "         - Does your knee bend to 90 degrees, the shin straight down?\n"
        "         - Does anything hurt, more than a stretch?\n"
        "         Next: come out and answer 4 questions, then the left side\n")
    assert "Next: come out and answer 4 questions, then your results\n" in out
    assert "Breathe" not in out and "1/1" not in out and "Next: finish" not in out
    assert max(map(len, out.splitlines())) <= 80


def test_the_no_such_test_error_is_one_line_within_80_columns(run):
    for typed, said in (("foo", "no self-test called 'foo'; did you mean 'floor'?"),
                        ("thomass", "no self-test called 'thomass'; did you mean 'thomas'?"),
                        ("z" * 300, f"no self-test called '{'z' * 17}...'; the tests: thomas or "
                                    "floor")):
        result = run("test", typed)
        assert result.exit_code == 2 and result.output == f"Error: {said}\n"
        assert len(result.output.rstrip("\n")) <= 80


def test_stopped_before_a_side_wraps_at_spaces_at_40_columns(run, clean_env):
    clock = FakeClock([(0.0, "quit")])
    app = App(monotonic=clock.now, keyboard=clock.keyboard)
    result = run("test", "--plain", app=app, env={"COLUMNS": "40"})
    assert result.output.endswith("\nStopped before a side was answered:\nnothing is kept.\n")
