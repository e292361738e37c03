"""Check-ins: one key each on a fake clock, the calm line they call for, stored
with the session, and never a wait where nobody asked for one."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from psoas_cli.cli.app import App
from psoas_cli.files import datafiles
from psoas_cli.history import practice
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.history.store import History
from psoas_cli.practice.checkin import CheckinRun, calm_line, summary, words
from psoas_cli.ui.practice import checkin as screens
from psoas_cli.ui.practice.talk import LINES, LIVE, Talk
from psoas_cli.ui.table import wrap

from .fakes import FakeClock, screen_rows
from .test_screen import pinned


@pytest.fixture(scope="module")
def checkins():
    return datafiles.load_checkins()


def answered(checkins, moment, presses, items=("hips", "back")):
    """Play ``presses`` ((time, key), ...) into a check-in; its run once done."""
    run = CheckinRun(checkins, moment, items, now=0.0)
    for at, key in presses:
        run.tick(at)
        run.press(key, at)
    run.tick(1000.0)
    return run


# -- keys on a clock --------------------------------------------------------------------------

def test_a_digit_answers_and_shows_for_a_second_dropping_keys_meanwhile(checkins):
    run = answered(checkins, "after", [(1, "4"), (1.5, "7"), (2.2, "2")])
    assert run.values == {"hips": 4, "back": 2}


def test_t_is_ten_and_one_then_zero_within_a_second_is_ten(checkins):
    assert answered(checkins, "after", [(1, "ten"), (3, "1"), (3.4, "0")]).values == \
        {"hips": 10, "back": 10}
    assert answered(checkins, "after", [(1, "1"), (2.5, "0")]).values == {"hips": 1, "back": 0}


def test_esc_and_enter_skip_and_b_goes_back(checkins):
    run = answered(checkins, "after", [(1, "skip"), (3, "back"), (4, "5"), (6, "enter")])
    assert run.values == {"hips": 5, "back": None} and run.answers() == {"hips": 5}
    assert answered(checkins, "after", [(1, "3"), (1.5, "back"), (2, "6"), (4, "2")]
                    ).answers() == {"hips": 6, "back": 2}


def test_q_stops_before_a_routine_and_skips_the_rest_after_one(checkins):
    before = answered(checkins, "before", [(1, "3"), (3, "quit")])
    after = answered(checkins, "after", [(1, "3"), (3, "quit")])
    assert before.stopped and not after.stopped and after.answers() == {"hips": 3}


def test_no_key_for_a_minute_skips_the_rest(checkins):
    run = CheckinRun(checkins, "after", ("hips", "back"), now=0.0)
    assert run.timeout(0.0) == 60
    run.tick(59.9)
    assert not run.done
    run.tick(60.0)
    assert run.done and run.timed_out and run.answers() == {}


# -- the calm lines -----------------------------------------------------------------------------

@pytest.mark.parametrize("moment, before, after, expected", [
    ("before", {"back": 7}, {}, ("back-severe-before", "back")),
    ("before", {"back": 4}, {}, ("back-high-before", "back")),
    ("before", {"back": 3, "hips": 9}, {}, None),
    ("after", {"back": 1}, {"back": 3}, ("back-worse", "back")),  # up by 2
    ("after", {"back": 3}, {"back": 4}, ("back-worse", "back")),  # up, and above 3
    ("after", {"back": 5}, {"back": 5}, ("back-high-after", "back")),
    ("after", {}, {"back": 4}, ("back-high-after", "back")),
    ("after", {"back": 2}, {"back": 3}, None),  # one point is within a day's ups and downs
    ("after", {"hips": 3}, {"hips": 5}, ("hips-worse", "hips")),
    ("after", {"hip-right": 3, "hip-left": 2}, {"hip-right": 4, "hip-left": 5},
     ("hip-worse", "hip-left")),
    ("after", {"hip-right": 1, "hip-left": 2}, {"hip-right": 4, "hip-left": 5},
     ("hip-worse", "hip-right")),  # right first
    ("after", {"back": 6, "hips": 2}, {"back": 4, "hips": 6}, ("back-high-after", "back")),
])
def test_one_calm_line_by_precedence(checkins, moment, before, after, expected):
    given = calm_line(checkins, moment, before, after)
    found = (given.line.id, given.item) if given else None
    assert found == expected


def test_the_calm_lines_words(checkins):
    given = calm_line(checkins, "after", {"hip-left": 2}, {"hip-left": 5})
    assert words(given, "long") == ("Your left hip feels tighter than before (2 to 5). Ease off "
                                    "next time: stretch only to a mild pull. If it persists, "
                                    "see a physical therapist.")
    assert words(given, "short").startswith("Left hip tighter than before (2 to 5).")
    for line in checkins.lines.values():
        assert "warning" not in line.long.lower() and "danger" not in line.long.lower()


def test_the_summary_line(checkins):
    assert summary(checkins, {"hips": 5, "back": 2}, {"hips": 3, "back": 2}) == \
        "Check-in: hips 3 (5 before), back pain 2 (2 before)."
    assert summary(checkins, {}, {"hip-right": 4, "hip-left": 2, "back": 1}) == \
        "Check-in: right hip 4, left hip 2, back pain 1."
    assert summary(checkins, {}, {}) == ""


# -- on the live screen ---------------------------------------------------------------------------

def live(width, height, keys):
    out = io.StringIO()
    console = Console(file=out, width=width, height=height, force_terminal=True,
                      color_system=None, legacy_windows=False)
    clock = FakeClock(keys)
    return Talk(console, mode=LIVE, wait=clock.wait), clock, out


def test_the_live_screen_at_80_and_40_columns(checkins):
    talk, clock, out = live(80, 24, [(1, "3"), (3, "2")])
    run, signal = screens.ask(talk, checkins, "after", ("hips", "back"), clock=clock.now)
    assert signal is None and run.answers() == {"hips": 3, "back": 2}
    shown = out.getvalue()
    for text in ("Check-in after the routine", "How tight do your hips feel now, after "
                 "stretching?", "0 = loose and easy, 10 = as tight as you can imagine",
                 "Press 0-9, or t for 10. Esc or Enter skips.", "Hips: 3",
                 "b goes back one question."):
        assert text in shown, text
    talk, clock, out = live(40, 12, [(1, "ten"), (3, "skip")])
    run, _ = screens.ask(talk, checkins, "before", ("hips", "back"), clock=clock.now)
    shown = out.getvalue()
    assert run.values == {"hips": 10, "back": None}
    assert "Check-in, before" in shown and "How tight are your hips?" in shown
    assert "0-9, t for 10. Esc skips." in shown and "Back pain: skipped" in shown


def test_the_live_screen_gives_up_after_a_minute_and_ctrl_c_stops(checkins):
    talk, clock, _ = live(80, 24, [])
    run, signal = screens.ask(talk, checkins, "after", ("hips", "back"), clock=clock.now)
    assert run.timed_out and clock.elapsed == 60 and signal is None
    talk, clock, _ = live(80, 24, [(2, "interrupt")])
    run, signal = screens.ask(talk, checkins, "after", ("hips", "back"), clock=clock.now)
    assert signal == "interrupt" and run.answers() == {}


def test_a_severe_back_waits_for_enter_or_q(checkins):
    given = calm_line(checkins, "before", {"back": 8}, {})
    talk, clock, out = live(80, 24, [(30, "enter")])
    assert screens.calm(talk, given, clock=clock.now) is None and clock.elapsed == 30
    assert "Enter goes on, gently; q stops." in out.getvalue()
    talk, clock, _ = live(80, 24, [(5, "quit")])
    assert screens.calm(talk, given, clock=clock.now) == "quit"
    lighter = calm_line(checkins, "before", {"back": 5}, {})
    talk, clock, _ = live(80, 24, [])
    assert screens.calm(talk, lighter, clock=clock.now) is None and clock.elapsed == 5


# -- through the command ------------------------------------------------------------------------

PLAY = ("play", "cobra", "--hold", "1", "--reps", "1", "--setup", "0", "--sound", "none")


def fast(fake_clock):
    return App(monotonic=fake_clock.now, keyboard=fake_clock.keyboard)


def rows(home):
    return practice.read(HistoryFile(str(home)))


def test_asked_on_the_command_line_it_reads_lines_and_stores_them(run, clean_env, fake_clock):
    result = run(*PLAY, "--check-in", "both", input="6\n5\n4\n\n", app=fast(fake_clock))
    assert result.exit_code == 0, result.output
    assert "Check-in before the routine" in result.output
    assert "Check-in: hips 4 (6 before), back pain 5 before." in result.output
    assert "Your back is at 5 of 10 today. Go gently" in result.output
    found = rows(clean_env)
    assert sorted((c.moment, c.item, c.value) for c in found.checkins) == [
        ("after", "hips", 4), ("before", "back", 5), ("before", "hips", 6)]
    (line,) = found.lines
    assert (line.line, line.before) == ("back-high-before", 5)
    (session,) = History(clean_env).sessions()
    assert {c.session for c in found.checkins} == {session.token}


def test_per_side_and_a_worse_hip_after(run, clean_env, fake_clock):
    result = run(*PLAY, "--check-in", "both", "--check-in-sides",
                 input="3\n3\n1\n4\n6\n1\n", app=fast(fake_clock))
    assert "Check-in: right hip 4 (3 before), left hip 6 (3 before), back pain 1 (1 before)." \
        in result.output
    assert "Your left hip feels tighter than before (3 to 6)." in result.output
    assert rows(clean_env).lines[0].item == "hip-left"


def test_the_setting_alone_never_waits_in_plain_mode_or_without_a_terminal(run, clean_env,
                                                                           fake_clock):
    clean_env.mkdir(parents=True, exist_ok=True)
    (clean_env / "config.toml").write_text('checkin = "both"\n')
    result = run(*PLAY, input="5\n5\n5\n5\n", app=fast(fake_clock))
    assert result.exit_code == 0 and "Check-in" not in result.output
    assert rows(clean_env).checkins == ()
    result = run(*PLAY, input="", env={"PSOAS_CHECKIN": "after"}, app=fast(fake_clock))
    assert "Check-in" not in result.output


def test_off_and_no_history(run, clean_env, fake_clock):
    assert "Check-in" not in run(*PLAY, "--check-in", "off", app=fast(fake_clock)).output
    result = run(*PLAY, "--check-in", "after", "--no-history", input="3\n2\n",
                 app=fast(fake_clock))
    assert "Check-in: hips 3, back pain 2." in result.output
    assert rows(clean_env).checkins == ()


def test_q_before_plays_nothing_and_the_end_of_input_skips(run, clean_env, fake_clock):
    result = run(*PLAY, "--check-in", "before", input="q\n", app=fast(fake_clock))
    assert "Check-in" in result.output and result.exit_code == 0
    result = run(*PLAY, "--check-in", "after", input="2\n", app=fast(fake_clock))
    assert "Check-in: hips 2." in result.output


# -- line by line (--plain, TERM=dumb, a pipe): the trial's report, issues 3 and 9 -------------

def said(output: str) -> list[str]:
    """The check-in's lines of a plain run: up to the card, or all of them."""
    lines = output.splitlines()
    end = next((i for i, line in enumerate(lines) if line.startswith("Before you start")),
               len(lines))
    return lines[:end]


HIPS_BEFORE = ["How tight do your hips feel right now?",
               "0 = loose and easy, 10 = as tight as you can imagine; an empty line skips:"]
BACK_BEFORE = ["Any pain in your low back right now?",
               "0 = none, 10 = the worst pain you can imagine; an empty line skips:"]
AGAIN = "Please type a whole number from 0 to 10 (t is 10), or just Enter to skip."
SEVERE = ["Your back is at 8 of 10: it may be wiser to rest today. If the pain is sharp,",
          "spreads down a leg or lasts, see a physical therapist or a doctor.",
          "Enter goes on, gently; q stops."]


def test_plain_back_pain_of_7_or_more_asks_and_q_stops_before_anything(run, clean_env,
                                                                       fake_clock):
    result = run(*PLAY, "--check-in", "both", input="7\n8\nq\n5\n", app=fast(fake_clock))
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Check-in before the routine", *HIPS_BEFORE, "Hips: 7", *BACK_BEFORE, "Back pain: 8",
        *SEVERE, "Stopped before the routine; nothing was played."]
    assert rows(clean_env).checkins == () and History(clean_env).sessions() == []


@pytest.mark.parametrize("choice", ["\n", "x\n\n"], ids=["enter", "typo"])
def test_plain_an_empty_line_at_the_gate_goes_on_gently(run, clean_env, fake_clock, choice):
    result = run(*PLAY, "--check-in", "both", input=f"7\n8\n{choice}3\n6\n",
                 app=fast(fake_clock))
    assert result.exit_code == 0, result.output
    lines = said(result.output)
    assert lines[-3:] == SEVERE or lines[-4:] == [*SEVERE, "Please press Enter alone to go on "
                                                  "gently, or type q and Enter to stop."]
    assert "Check-in: hips 3 (7 before), back pain 6 (8 before)." in result.output
    assert len(History(clean_env).sessions()) == 1


@pytest.mark.parametrize("rest", ["", "yes\nno\nmaybe\n"], ids=["end-of-input", "three-typos"])
def test_plain_nobody_choosing_at_the_gate_stops(run, clean_env, fake_clock, rest):
    result = run(*PLAY, "--check-in", "before", input=f"7\n8\n{rest}", app=fast(fake_clock))
    assert result.output.splitlines()[-1] == "Stopped before the routine; nothing was played."
    assert History(clean_env).sessions() == []


@pytest.mark.parametrize("typed", ["abc", "11", "5.0", "-1", "five"])
def test_plain_a_mistyped_answer_is_asked_again_never_shifted(run, clean_env, fake_clock,
                                                              typed):
    result = run(*PLAY, "--check-in", "before", input=f"{typed}\n5\n3\n",
                 app=fast(fake_clock))
    assert said(result.output) == [
        "Check-in before the routine", *HIPS_BEFORE, AGAIN, *HIPS_BEFORE, "Hips: 5",
        *BACK_BEFORE, "Back pain: 3"]
    assert sorted((c.item, c.value) for c in rows(clean_env).checkins) == [("back", 3),
                                                                           ("hips", 5)]


def test_plain_three_bad_answers_skip_that_question_and_say_so(run, clean_env, fake_clock):
    result = run(*PLAY, "--check-in", "before", input="5\nxyz\n12\n4.5\n2\n",
                 app=fast(fake_clock))
    assert said(result.output) == [
        "Check-in before the routine", *HIPS_BEFORE, "Hips: 5", *BACK_BEFORE, AGAIN,
        *BACK_BEFORE, AGAIN, *BACK_BEFORE,
        "Back pain: skipped, as no answer was a number from 0 to 10."]
    assert [(c.item, c.value) for c in rows(clean_env).checkins] == [("hips", 5)]


def test_plain_t_and_ten_the_end_of_input_and_q_after(run, clean_env, fake_clock):
    result = run(*PLAY, "--check-in", "before", input=" T \n", app=fast(fake_clock))
    assert said(result.output) == ["Check-in before the routine", *HIPS_BEFORE, "Hips: 10",
                                   *BACK_BEFORE]  # the input ended: the rest skipped
    result = run(*PLAY, "--check-in", "after", input="10\nq\n", app=fast(fake_clock))
    assert "Check-in: hips 10." in result.output and result.exit_code == 0
    assert sorted((c.moment, c.item, c.value) for c in rows(clean_env).checkins) == [
        ("after", "hips", 10), ("before", "hips", 10)]


def test_plain_q_among_the_questions_before_stops(run, clean_env, fake_clock):
    result = run(*PLAY, "--check-in", "both", input="4\nq\n", app=fast(fake_clock))
    assert result.output.splitlines()[-1] == "Stopped before the routine; nothing was played."
    assert rows(clean_env).checkins == ()


class Interrupted(io.StringIO):
    """A terminal's line where Ctrl-C is pressed."""

    def readline(self, *args):  # type: ignore[override]
        raise KeyboardInterrupt


def test_plain_ctrl_c_at_a_question_or_the_gate_stops(checkins):
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None)
    talk = Talk(console, mode=LINES, wait=None, stdin=Interrupted())
    run_, signal = screens.ask(talk, checkins, "before", ("hips", "back"), clock=lambda: 0.0)
    assert signal == "interrupt" and run_.answers() == {} and run_.done
    given = calm_line(checkins, "before", {"back": 9}, {})
    assert screens.calm(talk, given, clock=lambda: 0.0) == "interrupt"


# -- no "after" when nothing was done; stronger words for a bad back --------------------------

def test_no_after_check_in_when_stopped_before_the_first_hold(run, clean_env):
    clock = FakeClock([(0.5, "quit")])  # cobra's get-ready: nothing stretched yet
    result = run("play", "cobra", "--hold", "5", "--setup", "2", "--sound", "none",
                 "--check-in", "both", input="2\n3\n6\n9\n", app=fast(clock))
    assert result.exit_code == 0
    assert "Check-in after the routine" not in result.output
    assert result.output.splitlines()[-1] == "Check-in: hips 2 before, back pain 3 before."
    assert sorted(c.moment for c in rows(clean_env).checkins) == ["before", "before"]


def test_an_after_check_in_once_a_hold_has_begun(run, clean_env):
    clock = FakeClock([(4, "quit")])  # 2 s into cobra's first hold
    result = run("play", "cobra", "--hold", "5", "--setup", "2", "--sound", "none",
                 "--check-in", "after", input="6\n9\n", app=fast(clock))
    assert "Check-in after the routine" in result.output
    assert "Check-in: hips 6, back pain 9." in result.output
    assert "stop stretching for today" in result.output
    assert sorted((c.item, c.value) for c in rows(clean_env).checkins) == [("back", 9),
                                                                           ("hips", 6)]
    assert [line.line for line in rows(clean_env).lines] == ["back-severe-after"]


@pytest.mark.parametrize("before, after, expected", [
    ({"back": 2}, {"back": 6}, "back-much-worse"),  # up by 4
    ({"back": 5}, {"back": 7}, "back-much-worse"),  # up by 2, to 7
    ({"back": 1}, {"back": 4}, "back-worse"),
    ({"back": 9}, {"back": 9}, "back-severe-after"),
    ({}, {"back": 10}, "back-severe-after"),
    ({}, {"back": 8}, "back-high-after"),
])
def test_back_pain_much_worse_or_9_after_says_stop_for_today(checkins, before, after,
                                                             expected):
    given = calm_line(checkins, "after", before, after)
    assert given.line.id == expected
    if expected != "back-worse" and expected != "back-high-after":
        long = words(given, "long")
        assert "stop stretching for today" in long and "spreads down a leg" in long
        assert "numbness" in long and "doctor" in long
        assert "Stop stretching for today" in words(given, "spoken")
        assert "stop stretching today" in words(given, "short")


def test_the_severe_lines_fit_two_lines_at_80_and_three_at_40(checkins):
    for before, after in (({"back": 2}, {"back": 10}), ({}, {"back": 10})):
        given = calm_line(checkins, "after", before, after)
        assert len(wrap(words(given, "long"), 80)) <= 2
        assert len(wrap(words(given, "short"), 40)) <= 3


# -- the question's screen, exact --------------------------------------------------------------

@pytest.mark.parametrize("size", [(80, 24), (40, 12), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_second_question_on_screen(checkins, size):
    width, height = size
    out = io.StringIO()
    console = Console(file=out, width=width, height=height, force_terminal=True,
                      color_system=None, legacy_windows=False)
    talk = Talk(console, mode=LIVE, wait=None)
    run_ = answered(checkins, "after", [(1, "3")])
    run_.index, run_.state = 1, "asking"
    talk.page(screens.question_page(talk, checkins, run_))
    shown = "".join(row + "\n" for row in screen_rows(out.getvalue(), width, height))
    assert all(len(row) <= width for row in shown.splitlines())
    assert shown == pinned(f"checkin-back-{width}x{height}.txt", shown)
