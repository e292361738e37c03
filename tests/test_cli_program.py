"""psoas program through Click, on a fake calendar and a fake clock.

Sessions are played for real (the engine on a fake clock, recorded in the
history), check-ins and self-tests are written as issue 23 writes them, and
each day's session is what the program asks for that day.
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

import pytest

from psoas_cli.cli.app import App
from psoas_cli.history import practice
from psoas_cli.history import programs as stored
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.history.practice_records import (
    FINISHED,
    TestAnswer,
    TestRecord,
    TestSide,
    checkin_row,
    new_uid,
)

from .fakes import FakeClock

FIRST = date(2025, 11, 3)  # a Monday


class Calendar:
    """A wall clock set to noon of a day, moved on a day at a time."""

    def __init__(self) -> None:
        self.day = FIRST
        self.offset = 0.0

    def now(self) -> float:
        return time.mktime((self.day.year, self.day.month, self.day.day, 12, 0, 0, 0, 0, -1)) \
            + self.offset

    def tick(self, seconds: float = 60.0) -> None:
        self.offset += seconds

    def next_day(self) -> None:
        self.day += timedelta(days=1)
        self.offset = 0.0


@pytest.fixture
def calendar():
    return Calendar()


@pytest.fixture
def psoas(run, calendar):
    """Run psoas on the calendar's day, with fake keys (none unless given)."""

    def invoke(*args: str, keys=(), input: str | None = None):
        """Keys given stand for a terminal; a session played has the fake
        clock's keyboard (which times the engine), as a terminal does; else
        there is no terminal, and nothing waits for a key."""
        clock = FakeClock(keys)
        calendar.tick()
        plays = args[:2] == ("program", "next") and "--dry-run" not in args
        keyboard = clock.keyboard if keys or plays else None
        return run(*args, app=App(now=calendar.now, monotonic=clock.now, keyboard=keyboard),
                   input=input)

    return invoke


PLAY = ("program", "next", "--plain", "--sound", "none", "--yes")


def plan(psoas) -> dict:
    result = psoas("program", "next", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def checkin(home, calendar, *, back=None, left=None, right=None, moment="after"):
    file = HistoryFile(str(home))
    calendar.tick()
    for item, value in (("back", back), ("hip-left", left), ("hip-right", right)):
        if value is not None:
            practice.write(file, checkin_row(calendar.now(), moment, item, value))
    file.close()


THIGH = ("rests", "lifts-little", "lifts-clearly")  # the Thomas test's thigh: scores 0-2
DRIFT = ("in-line", "drifts-little", "drifts-clearly")
KNEE = ("bends-90", "short-little", "short-clearly")


def thomas_side(side: str, thigh: int, drift: int = 0, knee: int = 0, *,
                version: int = 2, hurt: bool = False) -> TestSide:
    """A Thomas test's side with its answers: version 2 scores the thigh alone,
    version 1 summed all three."""
    scored = {"thigh": thigh, "drift": drift, "knee": knee}
    answers = [TestAnswer(new_uid(), "thigh", THIGH[thigh], thigh),
               TestAnswer(new_uid(), "drift", DRIFT[drift], drift if version == 1 else None),
               TestAnswer(new_uid(), "knee", KNEE[knee], knee if version == 1 else None),
               TestAnswer(new_uid(), "pain", "yes" if hurt else "no", None)]
    score = sum(scored.values()) if version == 1 else thigh
    return TestSide(new_uid(), side, score, hurt, tuple(answers))


def self_test(home, calendar, left: int, right: int, *, hurt: bool = False,
              version: int = 2, left_notes: tuple[int, int] = (0, 0)):
    calendar.tick()
    at = calendar.now()
    sides = (thomas_side("right", right, version=version),
             thomas_side("left", left, *left_notes, version=version, hurt=hurt))
    test = TestRecord(new_uid(), "thomas", at, calendar.day, FINISHED, version, sides)
    file = HistoryFile(str(home))
    practice.write(file, test)
    file.close()


def test_start_then_next_plays_week_1_day_1(psoas, clean_env):
    started = psoas("program", "start")  # no terminal: the caution, and no question
    assert started.exit_code == 0, started.output
    assert "Stretch only to mild tension" in started.output
    assert "Started hips. Today: self-test and longer session (13 min), week 1 of 6." \
        in started.output
    played = psoas(*PLAY)
    assert played.exit_code == 0, played.output
    lines = played.output.splitlines()
    assert lines[0] == "Week 1 of 6, day 1: self-test, then longer session (13 min)"
    assert lines[1] == "The self-test is due: 'psoas test' takes it (about 4 min)."
    # week 1 plays the gentle routine
    assert "Before you start: gentle, 6 stretches" in played.output
    assert lines[-1] == "Done: week 1, day 1. Next: desk break, tomorrow."
    again = psoas("program", "next")
    assert again.output.startswith("Today's longer session is done. Next: desk break, "
                                   "tomorrow.")
    home = psoas()
    assert "\ntoday: done (longer session), week 1 of 6; next: desk break\n" in home.output


def test_one_program_at_a_time_and_the_errors_are_one_line(psoas):
    none = psoas("program", "next")
    assert (none.exit_code, none.output) == (1, "Error: No program is running. 'psoas program "
                                                "start' begins hips.\n")
    assert psoas("program", "status").exit_code == 1
    assert psoas("program", "start", "hipz").exit_code == 2
    assert psoas("program", "start").exit_code == 0
    twice = psoas("program", "start", "desk")
    assert twice.exit_code == 1
    assert twice.output == ("Error: hips is running (week 1 of 6). 'psoas program stop' "
                            "ends it first.\n")


def test_psoas_alone_shows_todays_session(psoas):
    psoas("program", "start")
    home = psoas()
    lines = home.output.splitlines()
    assert lines[:3] == ["psoas: guided stretches for the psoas and hip flexors.", "",
                         "today: self-test and longer session (13 min), week 1 of 6"]
    assert "  psoas program next  play today's longer session (space pauses, q stops)" \
        in lines


def test_a_pain_check_in_drops_the_next_session_to_gentle(psoas, calendar, clean_env):
    psoas("program", "start")
    for _ in range(14):  # two weeks, every day done
        psoas(*PLAY)
        calendar.next_day()
    assert plan(psoas)["level"] == "standard"  # week 3
    psoas(*PLAY)
    checkin(clean_env, calendar, back=5)
    calendar.next_day()
    gentle = plan(psoas)
    assert (gentle["gentle"], gentle["level"], gentle["hold"]) == (True, "gentle", None)
    assert "dead-bug" not in gentle["stretches"] and not gentle["extra_set"]
    played = psoas(*PLAY)
    assert "Gentle today (1 of 3), after the pain you noted." in played.output
    assert "\ntoday: done (desk break), week 3 of 6; next: desk break\n" in psoas().output


def test_hurt_twice_pauses_until_resumed(psoas, calendar):
    psoas("program", "start")
    psoas(*PLAY)
    first = psoas("program", "hurt")
    assert first.output == ("Noted. Your next 3 sessions will be gentle, without the deeper "
                            "stretches.\n")
    calendar.next_day()
    assert plan(psoas)["gentle"]
    second = psoas("program", "hurt")
    assert second.output == ("Pain has come back, so your program is paused.\n"
                             "Please see a physical therapist; 'psoas program resume' when "
                             "you are ready.\n")
    paused = psoas(*PLAY)
    assert paused.exit_code == 1 and "program is paused" in paused.output
    assert "program paused after pain: 'psoas program resume' when ready" in psoas().output
    calendar.next_day()
    resumed = psoas("program", "resume")
    assert resumed.output == ("Resumed: week 1 of 6 starts again, and the next 3 sessions are "
                              "gentle.\n")
    assert psoas("program", "resume").output.startswith("hips is not paused;")
    assert plan(psoas)["day"] == 1


def test_sharp_pain_pauses_at_once(psoas):
    psoas("program", "start")
    said = psoas("program", "hurt", "--sharp")
    assert said.output.startswith("Stop here. Sharp pain, numbness or tingling needs a "
                                  "physical therapist first.\n")
    status = " ".join(psoas("program", "status").output.split())
    assert "sharp pain, numbness or tingling; see a physical therapist" in status


def test_a_tighter_left_side_gets_an_extra_set(psoas, calendar, clean_env):
    psoas("program", "start")
    self_test(clean_env, calendar, left=2, right=1)
    today = plan(psoas)
    assert today["tighter"] == "left" and set(today["extra_set"]) >= {"standing"}
    rest = [p for p in today["phases"] if p["kind"] == "rest" and p["note"]]
    tighter = ("One more on the tighter side: left leg back off the seat, right foot flat "
               "in front.")
    assert rest and rest[0]["note"] == tighter
    assert rest[0]["side"] == "left"
    played = psoas(*PLAY)
    assert tighter in " ".join(played.output.split())  # said as the rest begins
    status = psoas("program", "status").output
    assert "Tighter    left, from your test on 3 Nov (left 2, right 1)" in status


def test_the_tighter_side_is_read_from_the_thigh_alone(psoas, calendar, clean_env):
    """R4 on the Thomas test's thigh answer: a knee that drifts and bends short
    on the left is a note, not an extra set."""
    psoas("program", "start")
    self_test(clean_env, calendar, left=0, right=0, left_notes=(2, 2))
    assert plan(psoas)["tighter"] is None


def test_a_version_1_test_is_re_scored_for_the_tighter_side(psoas, calendar, clean_env):
    """Stored by version 1 as left 4, right 1 (drift and knee summed in); its
    answers say the right thigh lifts and the left rests: right is tighter."""
    psoas("program", "start")
    self_test(clean_env, calendar, left=0, right=1, version=1, left_notes=(2, 2))
    today = plan(psoas)
    assert today["tighter"] == "right"
    status = psoas("program", "status").output
    assert "Tighter    right, from your test on 3 Nov (left 0, right 1)" in status


@pytest.mark.slow  # six weeks of sessions: a second or more
def test_six_weeks_of_good_check_ins_raise_the_holds_and_unlock_after_week_two(
        psoas, calendar, clean_env):
    psoas("program", "start")
    seen = {}
    for n in range(1, 43):
        status = json.loads(psoas("program", "status", "--json").output)
        if status["today"]["status"] == "rest":
            assert n % 7 == 0
            calendar.next_day()
            continue
        today = plan(psoas)
        seen[n] = today
        if today["test_due"]:
            self_test(clean_env, calendar, *((2, 1) if n < 14 else (1, 1) if n < 28 else (0, 0)))
        played = psoas(*PLAY)
        assert played.exit_code == 0, played.output
        tight = max(0, 5 - n // 5)
        checkin(clean_env, calendar, back=1, left=tight + (2 if n < 12 else 0), right=tight)
        calendar.next_day()
    holds = {n: seen[n]["hold"] for n in (1, 8, 15, 22, 29, 36)}
    assert holds == {1: 30, 8: 30, 15: 45, 22: 45, 29: 60, 36: 60}
    assert not any("dead-bug" in today["stretches"] for n, today in seen.items() if n < 15)
    assert "dead-bug" in seen[15]["stretches"]  # the first strength move, week 3
    assert "half-kneeling-reach" in seen[22]["stretches"]  # the first deeper stretch
    assert "single-leg-bridge" in seen[22]["stretches"]
    assert "thomas-stretch" in seen[29]["stretches"] and "couch-stretch" in seen[39]["stretches"]
    finished = psoas("program", "status")
    assert finished.output.startswith("hips: finished, 6 weeks")
    assert psoas().output.splitlines()[2] == "program done: take the final test with " \
                                             "'psoas test'"
    self_test(clean_env, calendar, 0, 0)
    assert psoas().output.splitlines()[2] == "program done: week 6 of 6, well done"


def test_missing_days_shifts_the_program(psoas, calendar):
    psoas("program", "start")
    psoas(*PLAY)
    for _ in range(3):
        calendar.next_day()
    today = plan(psoas)
    assert (today["week"], today["day"]) == (1, 2)
    status = psoas("program", "status").output
    assert "(started Mon 3 Nov; 2 days missed)" in status


def test_stop_asks_first_and_needs_yes_without_a_terminal(psoas):
    psoas("program", "start")
    refused = psoas("program", "stop")
    assert refused.exit_code == 1 and "add --yes" in refused.output
    kept = psoas("program", "stop", keys=[(0, "enter")])
    assert kept.output.endswith("[y/N] n\nNot stopped.\n")
    stopped = psoas("program", "stop", keys=[(0, "yes")])
    assert stopped.output.endswith("Stopped hips at week 1 of 6.\n'psoas program start hips' "
                                   "begins it again from week 1.\n")
    assert psoas("program", "status").exit_code == 1


def test_start_on_a_terminal_asks_after_the_caution(psoas):
    declined = psoas("program", "start", keys=[(0, "no")])
    assert declined.output.endswith("? [Y/n] n\nNot started.\n")
    assert psoas("program", "status").exit_code == 1
    started = psoas("program", "start", keys=[(0, "enter")])
    assert "[Y/n] y\nStarted hips." in started.output


def test_stopped_early_on_a_terminal_asks_whether_it_hurt(psoas):
    psoas("program", "start")
    result = psoas("program", "next", "--no-test", "--sound", "none",  # not --plain
                   keys=[(30, "quit"), (31, "yes"), (32, "no")])
    out = result.output
    assert "Stopped. Did something hurt? (y/n) y\n" in out
    assert "Was it sharp pain, numbness or tingling? (y/n) n\n" in out
    assert "Noted. Your next 3 sessions will be gentle, without the deeper stretches." in out
    assert out.rstrip().endswith("is still to do.")


def test_show_and_list(psoas):
    shown = psoas("program", "show", "hips").output
    assert "1     E D D E D E -  30 s         gentle    before day 1" in shown
    assert "from week 5  Couch stretch" in shown
    assert max(len(line) for line in shown.splitlines()) <= 80
    data = json.loads(psoas("program", "show", "desk", "--json").output)
    assert data["name"] == "desk" and data["minutes"]["desk"] >= 2
    listed = psoas("program", "list").output
    assert listed.splitlines()[-1] == ("'psoas program start' begins hips; 'psoas program show "
                                       "NAME' prints a plan.")
    assert psoas("program").output == listed  # none running: the list


def test_the_history_keeps_the_events_and_json_shows_them(psoas, clean_env):
    psoas("program", "start")
    psoas(*PLAY)
    data = json.loads(psoas("history", "--json").output)
    assert [e["event"] for e in data["program_events"]] == ["start", "session"]
    run = stored.latest(HistoryFile(str(clean_env)))
    assert run is not None and list(run.sessions.values())[0][0] is True


def test_the_streak_counts_program_rest_days(psoas, calendar):
    psoas("program", "start")
    for _ in range(6):
        psoas(*PLAY)
        calendar.next_day()
    calendar.next_day()  # day 7 is the program's rest day (a Sunday here, but say Monday)
    psoas(*PLAY)
    assert "Streak  7 days" in psoas().output


def test_remind_plays_the_programs_desk_session(psoas, calendar, clean_env):
    from psoas_cli.cli.actions.program import remind_break

    psoas("program", "start")
    psoas(*PLAY)  # day 1 done
    calendar.next_day()  # day 2: a desk break
    app = App(now=calendar.now, env={"PSOAS_HOME": str(clean_env)})
    take = remind_break(app)
    assert take is not None
    got = take()
    assert got is not None and got.plan.routine == "desk"
    got.link("ab" * 16)
    run = stored.latest(HistoryFile(str(clean_env)))
    assert [(e.kind, e.remind) for e in run.events][-1] == ("session", True)


def test_a_check_in_after_with_back_pain_gives_the_programs_line_not_the_check_ins(psoas):
    psoas("program", "start", "--yes")
    played = psoas("program", "next", "--no-test", "--plain", "--sound", "none", "--check-in",
                   "after", input="2\n6\n")
    out = played.output
    assert "Check-in: hips 2, back pain 6." in out
    assert "Noted. Your next 3 sessions will be gentle, without the deeper stretches." in out
    assert "Your back is at 6 of 10" not in out  # one line, not two
    assert out.splitlines()[0] == "Week 1 of 6, day 1: longer session (9 min)"


def test_back_pain_before_a_session_makes_it_gentle_at_once(psoas, calendar):
    psoas("program", "start", "--yes")
    psoas(*PLAY)
    calendar.next_day()
    assert not plan(psoas)["gentle"]
    played = psoas("program", "next", "--no-test", "--plain", "--sound", "none", "--check-in",
                   "before", input="2\n5\n")
    out = played.output
    assert "Your back hurts today, so this session is gentle. Stop if it gets worse." in out
    assert "Your back is at 5 of 10 today" not in out
    assert played.exit_code == 0 and "Done: week 1, day 2." in out
    calendar.next_day()
    assert plan(psoas)["gentle"]  # the 2nd of 3


def test_the_due_self_test_is_offered_first_and_s_skips_it_for_today(psoas, calendar):
    psoas("program", "start", "--yes")
    played = psoas("program", "next", "--sound", "none", keys=[(0, "skip")])
    out = played.output
    assert out.splitlines()[:2] == [
        "Week 1 of 6, day 1: self-test, then longer session (13 min)",
        "First the self-test (about 4 min): Enter begins it, s skips it today, q stops."]
    assert "Done: week 1, day 1." in out
    calendar.next_day()
    assert plan(psoas)["test_due"]  # due the rest of the week
    stopped = psoas("program", "next", "--sound", "none", keys=[(0, "quit")])
    assert stopped.output.endswith("Stopped before the session; nothing was played.\n")


def test_a_new_variation_is_announced_the_first_time_it_plays(psoas, calendar, clean_env):
    psoas("program", "start", "--yes")
    self_test(clean_env, calendar, 0, 0)
    for _ in range(14):
        psoas(*PLAY)
        checkin(clean_env, calendar, back=0, left=1, right=1)
        calendar.next_day()
    self_test(clean_env, calendar, 0, 0)
    first = psoas(*PLAY).output  # week 3, day 1: the morning routine
    assert "This week: 45 s a side in each hip stretch." in first
    assert "New this week: Kneeling reach and side bend.\nIt replaces: Half-kneeling hip " \
           "flexor stretch." in first
    assert "New this week: Dead bug, after the short bridge set." in first
    calendar.next_day()
    second = psoas(*PLAY).output  # a desk break: neither plays, nothing is said
    assert "New this week" not in second and "This week:" not in second


def test_enter_takes_the_due_self_test_then_plays_the_session(psoas, clean_env):
    from .test_selftest import keys_for

    psoas("program", "start", "--yes")
    keys = [(0, "enter"), *keys_for("2111", "1111", start=1)]
    played = psoas("program", "next", "--sound", "none", keys=keys)
    out = played.output
    assert played.exit_code == 0, out
    assert "Right is tighter than left." in out
    assert out.rstrip().endswith("Done: week 1, day 1. Next: desk break, tomorrow.")
    status = json.loads(psoas("program", "status", "--json").output)
    assert status["tests"][0]["right"] == 1 and status["today"]["tighter"] == "right"


def test_remind_explains_it_plays_the_programs_session_unless_a_routine_is_named(psoas):
    from .fakes import FakeSenses

    psoas("program", "start", "--yes")
    clock = FakeClock()
    app = App(monotonic=clock.now, senses=FakeSenses(clock).make)
    from click.testing import CliRunner

    from psoas_cli.cli.main import cli

    out = CliRunner().invoke(cli, ["remind", "--explain"], obj=app).output
    assert out.startswith("breaks       every 45m: your program's desk session, dosed for "
                          "the day\n")
    named = CliRunner().invoke(cli, ["remind", "--explain", "--routine", "desk"],
                               obj=App(monotonic=clock.now, senses=FakeSenses(clock).make))
    assert named.output.startswith("breaks       every 45m: the desk routine\n")


def test_a_program_that_is_gone_costs_the_home_page_a_warning_and_stop_still_works(
        psoas, clean_env):
    (clean_env).mkdir(parents=True, exist_ok=True)
    (clean_env / "programs.yaml").write_text(
        "programs:\n  mine:\n    title: Mine\n    sessions: {d: {routine: desk, label: desk}}\n"
        "    weeks: [{days: [d, d, d, d, d, d, rest], hold: 30}]\n", encoding="utf-8")
    assert psoas("program", "start", "mine", "--yes").exit_code == 0
    (clean_env / "programs.yaml").unlink()
    home = psoas()
    assert home.exit_code == 0 and "psoas: guided stretches" in home.output
    assert "mine is running, but the program is no longer in any programs.yaml" in home.output
    assert psoas("program", "status").exit_code == 1
    assert psoas("program", "stop", "--yes").exit_code == 0
    assert "mine is running" not in psoas().output


def test_a_program_needs_the_history(psoas, monkeypatch):
    monkeypatch.setenv("PSOAS_NO_HISTORY", "1")
    refused = psoas("program", "start", "--yes")
    assert refused.exit_code == 1 and "PSOAS_NO_HISTORY" in refused.output
