"""The rules of a program (docs/programs.md), day by day on a fake calendar.

Every rule is a pure function of the program, the events and today's date
(psoas_cli/practice/program.py): these tests replay whole runs with scripted
sessions, check-ins, self-tests and "it hurt", and check the tables of the
rules one row at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from psoas_cli.files import datafiles
from psoas_cli.model.programs import Deload, Program, SessionKind, Week
from psoas_cli.play import timeline
from psoas_cli.practice import program as rules
from psoas_cli.practice.program import (
    DONE,
    FINISHED,
    PAUSED,
    PLAY,
    RESTING,
    STOPPED,
    Event,
    Today,
    checkin,
    dose,
    session,
    today_of,
)
from psoas_cli.practice.session import dosed

START = date(2025, 11, 3)  # a Monday


def day(n: int) -> date:
    """Day ``n`` of a run started on START (day 1)."""
    return START + timedelta(days=n - 1)


@pytest.fixture(scope="module")
def world():
    catalogue = datafiles.load_catalogue()
    routines = datafiles.load_routines(catalogue)
    programs = datafiles.load_programs(catalogue, routines)
    movements = frozenset(s.slug for s in catalogue if s.movement)
    return catalogue, routines, programs, movements


Script = Callable[[int, Today], list | None]


def run(world, days: int, script: Script, name: str = "hips",
        start: list[Event] | None = None) -> tuple[list[Today], list[Event]]:
    """Play ``days`` days: each morning today's view, then the script's events
    for that day (None: the day is missed).  A session event plays what the
    dosed session plays."""
    catalogue, routines, programs, movements = world
    program = programs[name]
    events = start or [Event(rules.START, START, program=name)]
    seen = []
    for n in range(1, days + 1):
        today = today_of(program, movements, events, day(n))
        seen.append(today)
        happened = script(n, today)
        for event in happened or ():
            if event == "session":
                event = session(day(n), played(world, program, today), at=n * 100 + 50)
            events.append(event)
    return seen, events


def played(world, program: Program, today: Today) -> set[str]:
    catalogue, routines, _, _ = world
    plan = dosed(today, program, routines[today.routine], catalogue).routine
    return {item.stretch.slug for item in plan.items if not item.optional}


def row(today: Today) -> str:
    """A day in a few words, as the simulation in docs/programs.md prints it."""
    if today.status not in (PLAY, DONE, RESTING):
        return today.status
    bits = [f"w{today.week}/{today.weeks} d{today.day} {today.session}"]
    if today.status == PLAY:
        bits.append(f"{today.level} {today.hold}")
        bits += ["TEST"] if today.test_due else []
        bits += ["GENTLE"] if today.gentle else []
        bits += ["EASIER"] if today.deload else []
        bits += [f"+{v}" for _, v in today.swaps] + [f"+{v}" for v, _ in today.adds]
        bits += [f"+1 {today.tighter}"] if today.tighter else []
    return " ".join(bits)


# -- R11: six good weeks -----------------------------------------------------------------

def good(n: int, today: Today) -> list:
    """Every program day done; a baseline test left 2 / right 1, then 1/1 and
    0/0; check-ins after each session easing from 5 to 0, left 2 points
    tighter until day 12."""
    if today.status == FINISHED:
        return [rules.test(day(n), 0, 0, at=n * 100 + 90)] if today.test_due else []
    if today.status != PLAY:
        return []
    events: list = []
    if today.test_due:
        scores = (2, 1) if n < 14 else (1, 1) if n < 28 else (0, 0)
        events.append(rules.test(day(n), *scores, at=n * 100))
    tight = max(0, 5 - n // 5)
    return [*events, "session",
            checkin(day(n), at=n * 100 + 60, back=1, left=tight + (2 if n < 12 else 0),
                    right=tight)]


def test_six_good_weeks_grow_the_holds_and_unlock_after_week_two(world):
    seen, _ = run(world, 45, good)
    rows = {n: row(t) for n, t in enumerate(seen, 1)}
    assert rows[1] == "w1/6 d1 easy gentle 30 TEST"
    assert rows[2] == "w1/6 d2 desk gentle 30 +1 left"
    assert all(rows[n].endswith("+1 left") for n in (2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13))
    assert rows[7] == "w1/6 d7 rest" and rows[14] == "w2/6 d7 rest"
    # nothing unlocks before week 3, whatever the check-ins say
    assert not any(t.swaps or t.adds for t in seen[:14])
    assert rows[15] == "w3/6 d1 strength standard 45 TEST +dead-bug"
    assert rows[16] == "w3/6 d2 desk standard 45"  # the test of day 15 is even: no side
    assert rows[22] == ("w4/6 d1 strength standard 45 +half-kneeling-reach "
                        "+single-leg-bridge +dead-bug")
    assert rows[29] == ("w5/6 d1 strength standard 60 TEST +half-kneeling-reach "
                        "+single-leg-bridge +thomas-stretch +dead-bug")
    assert rows[36] == ("w6/6 d1 strength standard 60 +half-kneeling-reach "
                        "+single-leg-bridge +thomas-stretch +couch-stretch +dead-bug")
    assert rows[42] == "w6/6 d7 rest"
    assert seen[42].status == FINISHED and seen[42].test_due  # day 43: the final test
    assert seen[43].status == FINISHED and not seen[43].test_due
    assert seen[43 + 6].status == STOPPED if len(seen) > 49 else True
    # the holds a side grow 30 -> 45 -> 60, never one hold past the catalogue's longest
    assert [seen[n - 1].hold for n in (1, 15, 29)] == [30, 45, 60]


def test_a_finished_run_shows_for_a_week_then_ends(world):
    seen, _ = run(world, 51, good)
    assert [t.status for t in seen[42:]] == [FINISHED] * 7 + [STOPPED, STOPPED]


def test_the_dosed_sessions_never_hold_one_stretch_longer_than_the_catalogue(world):
    catalogue, routines, programs, _ = world
    hips = programs["hips"]
    seen, _ = run(world, 42, good)
    for today in seen:
        if today.status != PLAY:
            continue
        plan = dosed(today, hips, routines[today.routine], catalogue).routine
        for item in plan.items:
            assert item.hold <= max(item.stretch.hold.high, 60), (today.day, item.stretch.slug)
        seconds = {}
        for item in plan.items:
            if item.stretch.each_side and item.stretch.slug in hips.focus:
                seconds[item.stretch.slug] = seconds.get(item.stretch.slug, 0) + \
                    item.hold * item.reps
        assert all(total >= today.hold for total in seconds.values()), (today, seconds)


# -- the tighter side gets one more set -----------------------------------------------------

def test_a_tighter_left_side_gets_an_extra_set_said_on_screen_and_by_the_voice(world):
    catalogue, routines, programs, _ = world
    hips = programs["hips"]
    seen, _ = run(world, 2, good)
    today = seen[1]
    assert today.tighter == "left" and today.evidence.source == "test"
    plan = timeline.build(dosed(today, hips, routines["desk"], catalogue).routine)
    standing = [p for p in plan.phases if p.item == 0]
    assert [(p.kind, p.side, p.rep, p.reps) for p in standing if p.kind != "ready"] == [
        ("hold", "right", 1, 1), ("switch", "left", 1, 2), ("hold", "left", 1, 2),
        ("rest", "left", 2, 2), ("hold", "left", 2, 2)]
    rest = next(p for p in standing if p.kind == "rest")
    assert rest.note == "One more on your left, the tighter side."
    assert rest.duration >= 5
    # the second round of the desk break is not doubled again
    assert not any(p.rep == 2 for p in plan.phases if p.item == 1)
    from psoas_cli.play.phrases import spoken_rest
    assert spoken_rest(rest).startswith("One more on your left, the tighter side.")


def test_a_right_side_extra_set_comes_before_the_switch(world):
    catalogue, routines, programs, _ = world
    today = Today(PLAY, "hips", START, week=3, weeks=6, day=2, session="desk", label="desk",
                  routine="desk", level="standard", hold=45, tighter="right")
    plan = timeline.build(dosed(today, programs["hips"], routines["desk"], catalogue).routine)
    first = [(p.kind, p.side, p.rep) for p in plan.phases if p.item == 0 and p.kind != "ready"]
    assert first[:4] == [("hold", "right", 1), ("rest", "right", 2), ("hold", "right", 2),
                         ("switch", "left", 1)]


def test_no_extra_set_in_a_gentle_session(world):
    catalogue, routines, programs, _ = world
    today = Today(PLAY, "hips", START, session="desk", routine="desk", level="gentle",
                  gentle=True, tighter="left")
    plan = dosed(today, programs["hips"], routines["desk"], catalogue)
    assert not plan.extra and all(i.extra_side is None for i in plan.routine.items)


R4 = [  # (tests (day, L, R)), (check-ins (day, L, R)), today, tighter
    ([(1, 2, 1)], [], 2, "left"),
    ([(15, 1, 1)], [], 16, None),
    ([], [(12, 5, 3), (13, 5, 3), (14, 4, 4)], 16, "left"),
    ([], [(12, 5, 3), (13, 4, 4), (14, 4, 4)], 16, None),  # only 1 of 3
    ([], [(12, 5, 3), (13, 5, 3), (14, 3, 4)], 16, None),  # right higher once
    ([], [(13, 5, 3), (14, 5, 3)], 16, None),  # fewer than 3
    ([(1, 2, 1)], [(2, 3, 5), (3, 3, 5), (4, 3, 5)], 5, "right"),  # check-ins newer
    ([(10, 2, 1)], [(2, 3, 5), (3, 3, 5), (4, 3, 5)], 11, "left"),  # test newer
    ([(10, 1, 1)], [(2, 5, 3), (3, 5, 3), (4, 5, 3)], 11, None),  # test newer
    ([], [(1, 5, 3), (2, 5, 3), (3, 5, 3)], 30, None),  # all over 14 days ago
]


@pytest.mark.parametrize("tests, checks, today, expected", R4)
def test_the_tighter_side_table(tests, checks, today, expected):
    made_tests = [rules.test(day(d), a, b) for d, a, b in tests]
    made_checks = [checkin(day(d), left=a, right=b) for d, a, b in checks]
    assert rules.tighter_side(made_tests, made_checks, day(today))[0] == expected


def test_one_number_for_both_hips_never_makes_a_side_tighter():
    checks = [checkin(day(n), both=5) for n in (1, 2, 3)]
    assert rules.tighter_side([], checks, day(4)) == (None, None)


# -- R3: holds ------------------------------------------------------------------------------

@pytest.mark.parametrize("low, high, hold, reps, target, plays", [
    (20, 30, 20, 1, 30, (30, 1)),
    (20, 30, 25, 1, 45, (25, 2)),
    (20, 30, 20, 1, 60, (30, 2)),
    (20, 30, 30, 2, 45, (30, 2)),  # already 60
    (20, 30, 20, 3, 60, (20, 3)),  # already 60
    (20, 30, 20, 2, 45, (25, 2)),
    (20, 30, 40, 1, 60, (30, 2)),  # an item's own 40 s: the cap is the routine's
    (30, 60, 30, 1, 45, (45, 1)),
    (30, 60, 45, 1, 60, (60, 1)),
    (30, 45, 30, 1, 45, (45, 1)),
    (30, 45, 30, 1, 60, (30, 2)),
])
def test_the_dose_table(low, high, hold, reps, target, plays):
    assert dose(low, high, hold, reps, target) == plays


# -- R5: unlocks ------------------------------------------------------------------------------

@pytest.mark.parametrize("tests, checks, expected", [
    ([(10, 0, 0)], [], True),  # E1
    ([(10, 1, 0)], [(11, 2, 2), (12, 1, 2), (13, 2, 1)], True),  # E2
    ([(10, 1, 0)], [(11, 2, 2), (12, 3, 2), (13, 2, 1)], False),
    ([(10, 1, 0)], [(12, 2, 2), (13, 2, 2)], False),  # fewer than 3
])
def test_easy_is_a_normal_test_or_three_low_check_ins(tests, checks, expected):
    made = [rules.test(day(d), a, b) for d, a, b in tests]
    assert rules.easy(made, [checkin(day(d), left=a, right=b) for d, a, b in checks],
                      day(14)) == expected


def easy_from_day_1(n: int, today: Today) -> list:
    """Every day done, a normal test whenever one is due, check-ins all easy."""
    if today.status != PLAY:
        return []
    events: list = [rules.test(day(n), 0, 0, at=n * 100)] if today.test_due else []
    return [*events, "session", checkin(day(n), at=n * 100 + 60, back=0, left=1, right=1)]


def test_nothing_unlocks_before_two_full_weeks_however_easy(world):
    seen, _ = run(world, 15, easy_from_day_1)
    assert not any(t.swaps or t.adds for t in seen[:14])
    assert seen[14].swaps == (("half-kneeling", "half-kneeling-reach"),)
    assert seen[14].adds == (("dead-bug", "bridge-set"),)
    assert seen[14].new == ("half-kneeling-reach", "dead-bug")


def test_a_pain_flag_in_the_last_week_keeps_the_stretches_locked(world):
    def script(n, today):
        events = easy_from_day_1(n, today)
        if n == 12:
            events.append(Event(rules.HURT, day(12), n * 100 + 70))
        return events

    seen, _ = run(world, 16, script)
    assert not seen[14].swaps  # flag on day 12, boundary on day 14
    assert seen[14].deload  # and an easier week comes in instead (D1)


def test_the_basic_must_have_been_played_twice_in_two_weeks():
    hips = _tiny(variations=True)
    events = [Event(rules.START, START, program="tiny")]
    for n in range(1, 15):
        played = {"half-kneeling"} if n == 13 else {"standing"}
        events += [session(day(n), played, at=n), checkin(day(n), left=1, right=1, at=n + .5)]
    assert not today_of(hips, frozenset(), events, day(15)).swaps
    events.append(session(day(12), {"half-kneeling"}, at=12.9))  # an extra: not counted
    assert not today_of(hips, frozenset(), events, day(15)).swaps


def _tiny(variations: bool = False, deload: bool = True, remind: str = "") -> Program:
    """A small program: every day 'a' (the gentle routine), a rest on day 7."""
    days = ("a",) * 6 + ("rest",)
    from psoas_cli.model.programs import Variation

    return Program("tiny", "Tiny", "", (SessionKind("a", "gentle", "session"),),
                   tuple(Week(days, 30 + 15 * (n // 2)) for n in range(4)), remind=remind,
                   focus=("standing", "half-kneeling"),
                   deload=Deload(days) if deload else None,
                   variations=(Variation("half-kneeling-reach", "half-kneeling",
                                         from_week=3),) if variations else ())


# -- R6: pain -----------------------------------------------------------------------------------

def _pain_run(script_events: dict[int, list[Event]], days: int = 10,
              program: Program | None = None) -> list[Today]:
    program = program or _tiny()
    events = [Event(rules.START, START, program=program.name)]
    seen = []
    for n in range(1, days + 1):
        today = today_of(program, frozenset(), events, day(n))
        seen.append(today)
        events += script_events.get(n, [])
        if today.status == PLAY and n not in script_events.get("miss", ()):
            events.append(session(day(n), {"standing"}, at=n * 100 + 50))
    return seen


@pytest.mark.parametrize("given, gentle_on_10", [
    ({9: [checkin(day(9), back=5, at=960)]}, True),
    ({9: [checkin(day(9), "before", back=1, at=940), checkin(day(9), back=3, at=960)]},
     True),  # P2: 1 -> 3
    ({9: [checkin(day(9), "before", back=1, at=940), checkin(day(9), back=2, at=960)]},
     False),  # 1 -> 2 is noise
    ({9: [checkin(day(9), back=3, at=960)]}, False),  # 3 is not above 3
])
def test_a_pain_check_in_drops_the_next_session_to_gentle(given, gentle_on_10):
    seen = _pain_run(given)
    assert seen[9].gentle == gentle_on_10
    if gentle_on_10:
        assert seen[9].gentle_number == 1 and seen[9].level == "gentle" and seen[9].hold == 0
        assert seen[9].tighter is None and not seen[9].swaps


def test_three_gentle_sessions_then_back_to_the_plan():
    seen = _pain_run({9: [checkin(day(9), back=5, at=960)]}, days=14)
    assert [t.gentle for t in seen[9:13]] == [True, True, True, False]
    assert [t.gentle_number for t in seen[9:12]] == [1, 2, 3]


def test_a_pain_check_in_before_a_session_makes_that_one_gentle():
    program = _tiny()
    events = [Event(rules.START, START, program="tiny"),
              checkin(day(10), "before", back=4, at=1)]
    today = today_of(program, frozenset(), events, day(10))
    assert today.gentle and today.gentle_now and today.gentle_number == 1
    events.append(session(day(10), {"standing"}, at=2))
    assert today_of(program, frozenset(), events, day(11)).gentle_number == 2


@pytest.mark.parametrize("given, paused_from", [
    ({9: [Event(rules.HURT, day(9), 960)], 16: [Event(rules.HURT, day(16), 1660)]}, 16),
    ({2: [Event(rules.HURT, day(2), 260)], 20: [Event(rules.HURT, day(20), 2060)],
      40: [Event(rules.HURT, day(40), 4060)]}, 40),  # the 3rd flag day
    ({9: [Event(rules.HURT, day(9), 960, sharp=True)]}, 9),  # P4: at once
    ({9: [checkin(day(9), back=5, at=950), Event(rules.HURT, day(9), 960)]}, None),
])
def test_repeated_pain_pauses_the_program(given, paused_from):
    seen = _pain_run(given, days=42, program=_long())
    paused = [n for n, t in enumerate(seen, 1) if t.status == PAUSED]
    if paused_from is None:
        assert not paused
        return
    assert paused[0] == paused_from + 1 and seen[-1].status == PAUSED
    assert seen[-1].paused_on == day(paused_from)


def _long() -> Program:
    days = ("a",) * 6 + ("rest",)
    return Program("long", "Long", "", (SessionKind("a", "gentle", "session"),),
                   tuple(Week(days, 30) for _ in range(12)))


def test_a_paused_run_neither_moves_nor_misses_and_resume_restarts_the_week_gently():
    program = _long()
    events = [Event(rules.START, START, program="long")]
    for n in range(1, 10):
        events.append(session(day(n), {"standing"}, at=n))
    events += [Event(rules.HURT, day(9), 9.5), Event(rules.HURT, day(10), 10.5, sharp=True)]
    paused = today_of(program, frozenset(), events, day(15))
    assert paused.status == PAUSED and paused.pause_reason == rules.RED_FLAG
    assert paused.missed == 0 and paused.paused_days == tuple(day(n) for n in range(10, 15))
    events.append(Event(rules.RESUME, day(15), 15.1))
    resumed = today_of(program, frozenset(), events, day(15))
    assert (resumed.status, resumed.week, resumed.day) == (PLAY, 2, 1)
    assert resumed.gentle and resumed.gentle_left == 3 and not resumed.unlocked


# -- R7: easier weeks ---------------------------------------------------------------------------

@pytest.mark.parametrize("this_week, week_before, flags, due", [
    ((3, 3, 3), (1, 1, 1), (), True),  # D2, +2
    ((2, 2), (1, 1), (), True),  # +1
    ((2, 2, 1), (1, 2, 1), (), False),  # +0.7
    ((3,), (1, 1), (), False),  # only one value this week
    ((), (), (11,), True),  # D1
])
def test_the_easier_week_table(this_week, week_before, flags, due):
    end = day(14)
    checks = [checkin(end - timedelta(days=i), back=v) for i, v in enumerate(this_week)]
    checks += [checkin(end - timedelta(days=7 + i), back=v) for i, v in enumerate(week_before)]
    assert rules.deload_due([day(f) for f in flags], checks, end) == due


def worse(n: int, today: Today) -> list:
    if today.status != PLAY:
        return []
    return ["session", checkin(day(n), at=n * 100 + 60, back=1 if n <= 7 else 3, left=3,
                               right=3)]


def test_back_pain_creeping_up_brings_an_easier_week_after_week_two(world):
    seen, _ = run(world, 24, worse)
    assert row(seen[14]) == "w3/7 d1 easy gentle 30 EASIER"
    assert [t.session for t in seen[14:21]] == ["easy", "desk", "desk", "easy", "desk",
                                                 "desk", "rest"]
    assert row(seen[21]) == "w4/7 d1 strength standard 45 TEST"  # the planned week 3 follows


def test_never_two_easier_weeks_in_a_row_and_at_most_two(world):
    def always_worse(n, today):  # tightness rising week on week; never back pain
        if today.status != PLAY:
            return []
        return ["session", checkin(day(n), at=n * 100 + 60, back=0, left=n // 3, right=0)]

    seen, _ = run(world, 70, always_worse)
    easier = sorted({t.week for t in seen if t.deload})
    assert len(easier) == 2 and easier[1] - easier[0] > 1


def test_no_easier_week_after_week_one():
    seen = _pain_run({5: [checkin(day(5), back=5, at=560)]}, days=8)
    assert not seen[7].deload and seen[7].week == 2


# -- missing days, coming back (R1, R8) ---------------------------------------------------------

def test_missing_days_shifts_the_program_and_pays_for_the_rest_day(world):
    seen, _ = run(world, 21, lambda n, t: None if n in (3, 4, 10, 11, 12, 13, 14)
                  else (["session"] if t.status == PLAY else []))
    assert (seen[4].week, seen[4].day) == (1, 3)  # day 5 plays week 1 day 3
    assert (seen[8].week, seen[8].day) == (2, 1)  # day 9 starts week 2: the rest was paid
    assert seen[8].missed == 2
    assert seen[14].eased and seen[14].welcome == (5, False)  # day 15, after 5 days off
    assert seen[14].status == PLAY and (seen[14].week, seen[14].day) == (2, 2)


def test_after_two_weeks_off_the_week_starts_again():
    program = _long()
    events = [Event(rules.START, START, program="long")]
    for n in (1, 2, 3, 4, 5, 6, 8, 9, 10):
        events.append(session(day(n), {"standing"}, at=n))
    today = today_of(program, frozenset(), events, day(26))  # 15 days off
    assert (today.week, today.day) == (2, 1) and today.welcome == (15, True)
    assert today.eased and today.hold == 30


def test_a_session_on_a_rest_day_or_a_second_one_is_an_extra():
    program = _tiny()
    events = [Event(rules.START, START, program="tiny")]
    for n in range(1, 8):
        events += [session(day(n), {"standing"}, at=n), session(day(n), {"standing"}, at=n + .1)]
    today = today_of(program, frozenset(), events, day(8))
    assert (today.week, today.day) == (2, 1)


def test_a_reminder_break_does_only_the_program_day_of_its_kind():
    program = Program("r", "R", "", (SessionKind("a", "gentle", "longer"),
                                     SessionKind("d", "desk", "desk break")),
                      (Week(("d", "a", "d", "a", "d", "a", "rest"), 30),), remind="d")
    events = [Event(rules.START, START, program="r"),
              session(day(1), {"standing"}, at=1, remind=True),
              session(day(2), {"standing"}, at=2, remind=True)]
    today = today_of(program, frozenset(), events, day(3))
    assert (today.day, today.session) == (2, "a")  # day 2's break was an extra


def test_a_session_stopped_early_does_not_count():
    program = _tiny()
    events = [Event(rules.START, START, program="tiny"),
              session(day(1), {"standing"}, completed=False)]
    assert today_of(program, frozenset(), events, day(2)).day == 1


def test_stop_ends_the_run_and_start_begins_again():
    program = _tiny()
    events = [Event(rules.START, START, program="tiny"), session(day(1), at=1),
              Event(rules.STOP, day(2), 2)]
    assert today_of(program, frozenset(), events, day(3)).status == STOPPED
    events.append(Event(rules.START, day(4), 4, program="tiny"))
    today = today_of(program, frozenset(), [e for e in events if e.at >= 4], day(4))
    assert (today.status, today.week, today.day) == (PLAY, 1, 1)


def test_done_today_says_what_comes_next(world):
    seen, events = run(world, 1, good)
    _, _, programs, movements = world
    today = today_of(programs["hips"], movements, events, day(1))
    assert today.status == DONE and today.next_label == "desk break"
    assert today.coming == ("desk break", "desk break", "longer session")
    assert today.finish == day(42)


def test_events_out_of_order_or_before_the_start_are_folded_by_day():
    program = _tiny()
    events = [session(day(2), {"standing"}, at=20), Event(rules.START, START, program="tiny"),
              session(day(1), {"standing"}, at=10), session(day(-3), {"standing"}, at=1)]
    today = today_of(program, frozenset(), events, day(3))
    assert (today.day, today.missed) == (3, 0)
