"""The engine on a fake clock: deadlines, pause, next, back, quit, reports."""

from __future__ import annotations

import pytest

from psoas_cli.files import datafiles
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.play.engine import (
    BACK,
    ENTER,
    HANGUP,
    INTERRUPT,
    NEXT,
    PAUSE,
    QUIT,
    REDRAW,
    SUSPEND,
    TERMINATE,
    Engine,
    TimedKey,
)
from psoas_cli.play.events import Listener, Listeners, OutputGone
from psoas_cli.play.timeline import Overrides

from .fakes import FakeClock


@pytest.fixture(scope="module")
def cat():
    return datafiles.load_catalogue()


def tl_of(cat, *slugs, overrides=Overrides(), pauses=Pauses(ready=10, switch=5, rest=3)):
    # Every stretch gets ready for pauses.ready, whatever its catalogue set-up time.
    items = tuple(Item(cat.find(s), setup=pauses.ready) for s in slugs)
    return timeline.build(Routine("test", "", "low", "low", pauses, items), overrides)


class Log(Listener):
    """Records what the engine reported, as (elapsed, event, detail) tuples."""

    def __init__(self, clock):
        self.clock = clock
        self.events = []
        self.results = []
        self.summary = None

    def _log(self, name, detail=None):
        self.events.append((round(self.clock.elapsed, 6), name, detail))

    def routine_started(self, tl, state):
        self._log("start", tl.planned)

    def phase_started(self, state):
        self._log("phase", (state.phase.kind, state.phase.side, state.shown_seconds))

    def tick(self, state):
        self._log("tick", state.shown_seconds)

    def paused(self, state):
        self._log("paused", state.shown_seconds)

    def resumed(self, state):
        self._log("resumed", state.shown_seconds)

    def stretch_ended(self, result):
        self.results.append(result)
        self._log("stretch", (result.slug, result.status, result.held))

    def routine_ended(self, summary):
        self.summary = summary
        self._log("end", summary.outcome)

    def phases(self):
        return [(t, d) for t, name, d in self.events if name == "phase"]


def play(tl, keys=(), lag=0.0):
    clock = FakeClock(keys, lag=lag)
    log = Log(clock)
    summary = Engine(tl, log, now=clock.now, wait=clock.wait).run()
    return summary, log, clock


def test_plays_every_phase_on_time_and_finishes(cat):
    summary, log, clock = play(tl_of(cat, "standing"))
    assert log.phases() == [(0, ("ready", "right", 10)), (10, ("hold", "right", 20)),
                            (30, ("switch", "left", 5)), (35, ("hold", "left", 20))]
    assert clock.elapsed == 55 == summary.planned
    assert summary.outcome == "finished" and summary.finished
    assert summary.elapsed == summary.active == 55
    assert [(r.slug, r.status, r.held, r.planned) for r in summary.results] == [
        ("standing", "done", 40, 40)]
    assert summary.not_reached == ()
    assert log.events[-2:] == [(55, "stretch", ("standing", "done", 40)), (55, "end", "finished")]


def test_redraws_once_a_second_not_more(cat):
    _, log, clock = play(tl_of(cat, "camel", overrides=Overrides(hold=5, reps=1)))
    ticks = [(t, d) for t, name, d in log.events if name == "tick"]
    # 10 s ready then 5 s hold: the countdown changes at each whole second.
    assert ticks == [(1, 9), (2, 8), (3, 7), (4, 6), (5, 5), (6, 4), (7, 3), (8, 2), (9, 1),
                     (11, 4), (12, 3), (13, 2), (14, 1)]
    assert all(w is not None and 0 < w <= 1 for w in clock.waits)


@pytest.mark.parametrize("slugs", [("standing",), ("standing", "camel", "glute-bridge") * 10])
def test_late_wakeups_never_add_up(cat, slugs):
    """Each wake-up is 13 ms late, yet the end is late by one wake-up at most."""
    tl = tl_of(cat, *slugs)
    summary, _, clock = play(tl, lag=0.013)
    assert len(tl.phases) < 20 or len(tl.phases) > 300
    assert 0 <= clock.elapsed - tl.planned <= 0.0131


def test_pause_shifts_the_remaining_deadlines(cat):
    tl = tl_of(cat, "standing")
    summary, log, clock = play(tl, keys=[(13.5, PAUSE), (43.5, PAUSE)])
    assert clock.elapsed == 55 + 30
    assert summary.elapsed == 85 and summary.active == 55
    assert (13.5, "paused", 17) in log.events and (43.5, "resumed", 17) in log.events
    assert clock.waits.count(None) == 1  # no wake-ups at all while paused
    assert summary.results[0].status == "done"
    assert summary.results[0].active == 55  # what the history records: the pause left out


def test_states_carry_active_time_without_the_pauses(cat):
    tl = tl_of(cat, "standing")
    clock = FakeClock([(13.5, PAUSE), (43.5, PAUSE)])
    states = []

    class Spy(Listener):
        def tick(self, state):
            states.append((round(clock.elapsed, 6), state.paused, state.elapsed, state.active))

    Engine(tl, Spy(), now=clock.now, wait=clock.wait).run()
    assert (13, False, 13, 13) in states
    assert (44, False, 44, 14) in states  # 30 s paused are not stretching


def test_next_skips_the_current_phase(cat):
    tl = tl_of(cat, "camel", overrides=Overrides(hold=20, reps=1))
    summary, log, clock = play(tl, keys=[(2, NEXT), (5, NEXT)])
    assert log.phases() == [(0, ("ready", None, 10)), (2, ("hold", None, 20))]
    assert clock.elapsed == 5
    assert summary.results[0].status == "skipped" and summary.results[0].held == 3
    assert summary.outcome == "finished"


def test_skipping_near_the_end_still_counts_as_done(cat):
    tl = tl_of(cat, "camel", overrides=Overrides(hold=20, reps=1))
    summary, _, _ = play(tl, keys=[(28, NEXT)])
    assert summary.results[0].status == "done" and summary.results[0].held == 18


def test_back_restarts_the_phase_after_its_first_seconds(cat):
    tl = tl_of(cat, "camel", overrides=Overrides(hold=20, reps=1))
    summary, log, clock = play(tl, keys=[(15, BACK)])
    assert log.phases()[-1] == (15, ("hold", None, 20))
    assert clock.elapsed == 35
    assert summary.results[0].held == 20


def test_back_at_the_start_of_a_phase_goes_to_the_previous_one(cat):
    tl = tl_of(cat, "standing")
    _, log, clock = play(tl, keys=[(31, BACK)])  # 1 s into the switch
    assert log.phases()[-4:-1] == [(30, ("switch", "left", 5)), (31, ("hold", "right", 20)),
                                   (51, ("switch", "left", 5))]
    assert clock.elapsed == 76


def test_back_at_the_very_first_phase_restarts_it(cat):
    _, log, clock = play(tl_of(cat, "standing"), keys=[(1, BACK)])
    assert log.phases()[:2] == [(0, ("ready", "right", 10)), (1, ("ready", "right", 10))]
    assert clock.elapsed == 56


def test_going_back_into_a_stretch_reports_it_again(cat):
    tl = tl_of(cat, "camel", "cobra", overrides=Overrides(hold=5, reps=1))
    # Skip camel's hold, then in cobra's get-ready go back to camel's hold and do it.
    summary, log, _ = play(tl, keys=[(11, NEXT), (11.5, BACK)])
    camel = [d for _, name, d in log.events if name == "stretch" and d[0] == "camel"]
    assert camel == [("camel", "skipped", 1), ("camel", "done", 5)]
    assert [r.status for r in summary.results] == ["done", "done"]


def test_quit_stops_with_what_was_done_and_not_reached(cat):
    tl = tl_of(cat, "camel", "cobra", "pigeon", overrides=Overrides(hold=5, reps=1))
    summary, log, clock = play(tl, keys=[(17, QUIT)])  # during cobra's get-ready
    assert summary.outcome == "quit" and not summary.finished
    assert clock.elapsed == 17
    assert [r.slug for r in summary.done] == ["camel"]
    assert summary.skipped == ()
    assert summary.not_reached == ("Cobra pose", "Pigeon pose")


def test_quit_in_the_middle_of_a_hold_counts_it_by_time_held(cat):
    tl = tl_of(cat, "camel", overrides=Overrides(hold=20, reps=1))
    summary, _, _ = play(tl, keys=[(14, QUIT)])
    assert [(r.status, r.held) for r in summary.results] == [("skipped", 4)]
    assert summary.stopped_during.slug == "camel" and summary.skipped == ()


def test_the_stretch_stopped_in_is_told_apart_from_one_skipped_with_next(cat):
    tl = tl_of(cat, "camel", "cobra", overrides=Overrides(hold=20, reps=1, setup=0))
    summary, _, _ = play(tl, keys=[(3, NEXT), (8, QUIT)])
    assert [r.slug for r in summary.skipped] == ["camel"]
    assert summary.stopped_during.slug == "cobra" and summary.stopped_in == 1
    finished, _, _ = play(tl)
    assert finished.stopped_in is None and finished.stopped_during is None


@pytest.mark.parametrize("key, reason", [(INTERRUPT, "interrupted"), (TERMINATE, "terminated"),
                                         (HANGUP, "hung up")])
def test_signals_stop_with_their_reason(cat, key, reason):
    summary, log, _ = play(tl_of(cat, "standing"), keys=[(12, key)])
    assert summary.outcome == reason
    assert log.events[-1] == (12, "end", reason)


def test_ctrl_c_raised_while_waiting_is_an_interruption(cat):
    clock = FakeClock()

    def wait(timeout):
        if clock.elapsed >= 12:
            raise KeyboardInterrupt
        return clock.wait(timeout)

    log = Log(clock)
    summary = Engine(tl_of(cat, "standing"), log, now=clock.now, wait=wait).run()
    assert summary.outcome == "interrupted"
    assert log.summary is summary or log.summary == summary


def test_a_switch_that_waits_for_enter(cat):
    tl = tl_of(cat, "standing", overrides=Overrides(wait=True, hold=5))
    summary, log, clock = play(tl, keys=[(40, ENTER)])
    assert log.phases()[-2:] == [(15, ("switch", "left", 5)), (40, ("hold", "left", 5))]
    assert clock.elapsed == 45
    assert None in clock.waits  # it blocked on the keyboard, not on a timer


def test_enter_does_nothing_during_a_timed_phase(cat):
    _, _, clock = play(tl_of(cat, "standing"), keys=[(3, ENTER)])
    assert clock.elapsed == 55


def test_skipping_while_paused_stays_paused(cat):
    tl = tl_of(cat, "standing")
    _, log, clock = play(tl, keys=[(2, PAUSE), (4, NEXT), (9, PAUSE)])
    # The hold began, paused, at 4 s and only started counting at 9 s.
    assert clock.elapsed == 9 + 20 + 5 + 20


def test_suspend_pauses_and_redraw_only_redraws(cat):
    _, log, clock = play(tl_of(cat, "standing"), keys=[(3, REDRAW), (5, SUSPEND), (8, PAUSE)])
    assert (3, "tick", 7) in log.events
    assert (5, "paused", 5) in log.events
    assert clock.elapsed == 58


def test_a_full_routine_reports_every_stretch_once(cat):
    tl = timeline.build(datafiles.load_routines(cat)["full"])
    summary, log, clock = play(tl)
    assert clock.elapsed == tl.planned
    assert [r.slug for r in log.results] == [s.slug for s in tl.stretches]
    assert sorted(r.slug for r in log.results) == \
        sorted([s.slug for s in cat if not s.addition] + ["childs-pose"])
    assert all(r.status == "done" for r in summary.results)


# -- Ctrl-Z: the time stopped is paused time ---------------------------------------------

def test_the_pause_begins_when_the_program_was_stopped_not_when_it_continued(cat):
    # Ctrl-Z 8 s into a 20 s hold; 'fg' 12 s later, when the SUSPEND key
    # arrives saying when the stop was; space 5 s after that.
    tl = tl_of(cat, "camel", overrides=Overrides(hold=20, reps=1))  # 10 s ready, 20 s hold
    summary, log, clock = play(tl, keys=[(30, TimedKey(SUSPEND, 1018.0)), (35, PAUSE)])
    assert (30, "paused", 12) in log.events  # 12 s of the hold left, as at the stop
    assert clock.elapsed == 35 + 12
    assert summary.active == pytest.approx(30)  # 10 s ready + 20 s hold: 17 s paused
    assert [(r.status, r.held) for r in summary.results] == [("done", 20)]


def test_a_stop_after_the_phase_would_have_ended_ends_it_on_time_first(cat):
    # A busy machine: the wake-up for the end of the ready phase (10 s) is late,
    # Ctrl-Z comes at 11 s and 'fg' at 20 s.  The ready phase ended at 10 s; the
    # hold had run 1 s when the program stopped.
    tl = tl_of(cat, "camel", overrides=Overrides(hold=20, reps=1))
    clock = FakeClock([(25, PAUSE)])
    stopped = []

    def wait(timeout):
        if clock.elapsed >= 9 and not stopped:
            stopped.append(clock.t)
            clock.t = clock.start + 20
            return TimedKey(SUSPEND, clock.start + 11)
        return clock.wait(timeout)

    log = Log(clock)
    summary = Engine(tl, log, now=clock.now, wait=wait).run()
    assert log.phases() == [(0, ("ready", None, 10)), (20, ("hold", None, 19))]  # as at 11 s
    assert (20, "paused", 19) in log.events
    assert clock.elapsed == 25 + 19
    assert summary.active == pytest.approx(30)


def test_stopped_while_stopping_and_stopping_twice_count_once(cat):
    tl = tl_of(cat, "camel", overrides=Overrides(hold=20, reps=1))
    summary, _, clock = play(tl, keys=[(12, PAUSE), (15, TimedKey(SUSPEND, 1013.0)),
                                       (16, PAUSE)])
    assert clock.elapsed == 16 + 18  # paused from 12 s; the stop changed nothing
    assert summary.active == pytest.approx(30)


# -- output that goes away ------------------------------------------------------------------

class Gone(Listener):
    """A screen whose terminal goes away at a given time: OutputGone, once."""

    def __init__(self, clock, at):
        self.clock, self.at, self.raised = clock, at, False

    def tick(self, state):
        if self.clock.elapsed >= self.at and not self.raised:
            self.raised = True
            raise OutputGone()

    phase_started = tick


def test_output_gone_stops_the_routine_and_every_listener_hears_the_end(cat):
    clock = FakeClock()
    log = Log(clock)
    summary = Engine(tl_of(cat, "standing"), Listeners([Gone(clock, 12), log]), now=clock.now,
                     wait=clock.wait).run()
    assert summary.outcome == "hung up"
    assert log.events[-1] == (12, "end", "hung up")
    assert [(r.slug, r.status) for r in log.results] == [("standing", "skipped")]


def test_output_gone_at_the_very_start(cat):
    clock = FakeClock()
    log = Log(clock)

    class GoneAtOnce(Listener):
        def routine_started(self, tl, state):
            raise OutputGone()

    summary = Engine(tl_of(cat, "standing"), Listeners([GoneAtOnce(), log]), now=clock.now,
                     wait=clock.wait).run()
    assert summary.outcome == "hung up" and log.summary.outcome == "hung up"
    assert [name for _, name, _ in log.events] == ["start", "end"]
