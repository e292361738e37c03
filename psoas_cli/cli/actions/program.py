"""What 'psoas program' does: list, show, start, status, next, stop, resume, hurt.

A run is its events in the history (history/programs.py); where it stands
today is worked out from them by practice/program.py, and today's session
is the routine dosed by practice/session.py, played as 'psoas routine'
plays one (the same player, recorder, check-ins and summary).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

import click

from psoas_cli.cli.actions.plans import PlayOptions, settings_and_environment
from psoas_cli.cli.actions.play import built as plan_of
from psoas_cli.cli.actions.play import live_wanted, make_checkin, play_timeline, start_card
from psoas_cli.cli.app import App
from psoas_cli.cli.errors import ExitStatus, UserError
from psoas_cli.errors import CannotFit, PsoasError
from psoas_cli.files.datafiles import load_programs, load_selftests
from psoas_cli.history import programs as stored
from psoas_cli.history.calendar import local_day
from psoas_cli.history.dbfile import HistoryFile
from psoas_cli.history.programs import Run
from psoas_cli.history.recorder import Recorder
from psoas_cli.model import programs as model
from psoas_cli.model.catalogue import Catalogue
from psoas_cli.model.programs import Program, Programs
from psoas_cli.model.routines import Routines
from psoas_cli.play.events import Listener, Outcome, Summary
from psoas_cli.play.timeline import Timeline
from psoas_cli.practice import program as rules
from psoas_cli.practice import session as sessions
from psoas_cli.practice.checkin import Given
from psoas_cli.practice.program import DONE, FINISHED, PAUSED, PLAY, RESTING, Event, Today
from psoas_cli.practice.runs import events_of
from psoas_cli.ui import sound as sounds
from psoas_cli.ui.console import emit
from psoas_cli.ui.table import wrap
from psoas_cli.ui.terminal import columns, let_go, reads_keys, to_ascii, unicode_ok
from psoas_cli.ui.views import program as views
from psoas_cli.ui.views.catalogue import plan_table, summary_text
from psoas_cli.ui.views.home import HomeProgram

# One key answers a question: yes, no, skip (the test), Enter, Esc, q.
YES, NO, SKIP, ENTER, ESC, QUIT = "yes", "no", "skip", "enter", "esc", "quit"
ASK_KEYS = {b"y": YES, b"Y": YES, b"n": NO, b"N": NO, b"s": SKIP, b"S": SKIP,
            b"\r": ENTER, b"\n": ENTER, b"\x1b": ESC, b"q": QUIT, b"Q": QUIT}
NO_HISTORY = ("a program keeps its days in your history, and PSOAS_NO_HISTORY turns that "
              "off; unset it to play the program")
BACK_PAIN_LINES = ("back-worse", "back-high-after", "back-high-before")


class World(NamedTuple):
    """What the program commands read: the catalogue, routines and programs."""

    catalogue: Catalogue
    routines: Routines
    programs: Programs
    movements: frozenset[str]


class Current(NamedTuple):
    """The latest run, its program, its events, and what it asks of today."""

    run: Run
    program: Program
    events: list[Event]
    today: Today
    day: date

    @property
    def changed(self) -> bool:
        stamp = self.run.start.stamp
        return bool(stamp) and stamp != stamp_of(self.program)


def world(app: App, *, lenient: bool = False) -> World:
    extra = app.env.get("PSOAS_ROUTINES") or None
    routines = app.routines(extra=extra, lenient=lenient)
    catalogue = app.catalogue
    broken = (lambda exc: app.warn(f"{exc} (its programs are left out)")) if lenient else None
    found = load_programs(catalogue, routines, catalogue_path=app.catalogue_path,
                          home=app.home(), extra=extra, cache_dir=app.cache_dir(),
                          broken=broken)
    return World(catalogue, routines, found,
                 frozenset(s.slug for s in catalogue if s.movement))


def stamp_of(program: Program) -> str:
    """The program's plan in short: a start keeps it, so a changed file is noticed."""
    return hashlib.sha256(repr(program._replace(own=False)).encode()).hexdigest()[:16]


def current(app: App, found: World, *, file: HistoryFile | None = None) -> Current | None:
    """The latest run with what it asks of today; None when no program ever
    ran, or the latest run was stopped."""
    own = file is None
    file = file or HistoryFile(app.home(), warn=app.warn, now=app.now)
    try:
        run = stored.latest(file)
    finally:
        if own:
            file.close()
    if run is None or run.stopped:
        return None
    name = run.start.program
    program = found.programs.get(name)
    if program is None:
        why = found.programs.unavailable.get(name, "is no longer in any programs.yaml")
        if not name:  # a history edited by hand, or a damaged row
            raise PsoasError("a program with no name is running; 'psoas program stop' ends "
                             "the run")
        raise PsoasError(f"{name} is running, but the program {why}; 'psoas program stop' "
                         "ends the run")
    events = events_of(run, load_selftests(cache_dir=app.cache_dir()))
    day = local_day(app.now())
    return Current(run, program, events, rules.today_of(program, found.movements, events, day),
                   day)


def _running(app: App, found: World) -> Current:
    got = current(app, found)
    if got is None or got.today.status == rules.STOPPED:
        first = model.DEFAULT if model.DEFAULT in found.programs else \
            next(iter(found.programs), "")
        raise UserError(f"No program is running. 'psoas program start' begins {first}."
                        if first else "No program is running.")
    return got


def _write(app: App, row: stored.EventRow) -> None:
    """Write one event now; kept in the journal when the history is busy."""
    from psoas_cli.errors import HistoryBusy  # noqa: PLC0415 - a leaf; here for clarity
    from psoas_cli.history import journal  # noqa: PLC0415 - only when the history is busy

    file = HistoryFile(app.home(), warn=app.warn, now=app.now)
    try:
        stored.write(file, row)
    except HistoryBusy:
        journal.append(app.home(), [row.as_record()])
        app.warn("the history is busy; this is kept beside it and written next time")
    finally:
        file.close()


def _echo(app: App, text: str) -> None:
    if not text:
        return
    try:
        click.echo(text if unicode_ok(app.stdout, app.env) else to_ascii(text), file=app.stdout)
    except (OSError, ValueError):
        let_go(app.stdout)


def _tell(app: App, text: str) -> None:
    """A sentence or two, wrapped to the window."""
    _echo(app, "\n".join(wrap(text, _width(app))))


def _width(app: App) -> int:
    return min(80, columns(app.stdout, app.env))


def _say_lines(app: App, lines: list[str], voice: sounds.Voice | None = None) -> None:
    for text in lines:
        _echo(app, "\n".join(wrap(text, _width(app))))
    if voice is not None and lines:
        voice.say(" ".join(lines))


def _can_ask(app: App, *, plain: bool = False, yes: bool = False) -> bool:
    """A question may wait for a key: a terminal (or keys handed in), and
    neither --plain nor --yes."""
    return not plain and not yes and (reads_keys(app.stdin) or app.injected_keys)


def _ask(app: App, question: str, *, default: bool) -> bool | None:
    """One key answers ``question``: y or n (Enter: ``default``; Esc: no); None
    for q or a signal (Ctrl-C)."""
    _echo_inline(app, f"{question} ")
    with app.keyboard(keymap=ASK_KEYS) as keys:
        while True:
            key = keys.wait(None)
            if key in (YES, NO, ENTER, ESC, QUIT, None) or key not in ASK_KEYS.values():
                break
    answer = {YES: True, NO: False, ENTER: default, ESC: False}.get(key or "")
    _echo(app, {True: "y", False: "n"}.get(answer, "") if answer is not None else "")
    return answer


def _echo_inline(app: App, text: str) -> None:
    try:
        click.echo(text, nl=False, file=app.stdout)
    except (OSError, ValueError):
        let_go(app.stdout)


def overview(app: App) -> None:
    """'psoas program' alone: the status while a program runs, else the list."""
    found = world(app, lenient=True)
    got = current(app, found)
    if got is None or got.today.status == rules.STOPPED:
        list_programs(app, as_json=False)
    else:
        status(app, as_json=False)


# -- psoas program list, show --------------------------------------------------------------

def list_programs(app: App, *, as_json: bool) -> None:
    found = world(app, lenient=True)
    running = current(app, found)
    if as_json:
        app.print_json({"programs": [p.as_dict() for p in found.programs.values()],
                        "unavailable": found.programs.unavailable,
                        "running": running.program.name if running else None})
        return
    today = running.today if running and running.today.status != rules.STOPPED else None
    _echo(app, views.list_text(found.programs, running=today, width=_width(app)))


def show_program(app: App, name: str, *, as_json: bool) -> None:
    found = world(app)
    program = model.find(found.programs, name)
    lengths = minutes_by_session(program, found)
    if as_json:
        app.print_json({**program.as_dict(), "minutes": lengths})
        return
    _echo(app, views.plan_text(program, lengths, found.catalogue, width=_width(app)))


def minutes_by_session(program: Program, found: World) -> dict[str, int]:
    """Each session's length in minutes, as the first week that plays it doses it."""
    lengths: dict[str, int] = {}
    start = date(2000, 1, 3)
    for number, week in enumerate(program.weeks, 1):
        for key in week.days:
            if key == model.REST or key in lengths:
                continue
            kind = program.session(key)
            today = Today(PLAY, program.name, start, week=number, session=key,
                          routine=kind.routine, level=week.level, hold=week.hold)
            try:
                plan = sessions.dosed(today, program, found.routines[kind.routine],
                                      found.catalogue)
            except CannotFit:
                continue
            lengths[key] = sessions.minutes(plan.seconds)
    return lengths


# -- today's session -----------------------------------------------------------------------

def today_plan(found: World, got: Current, today: Today | None = None) -> sessions.Dosed:
    today = today or got.today
    routine = found.routines[today.routine]
    try:
        return sessions.dosed(today, got.program, routine, found.catalogue)
    except CannotFit as exc:
        raise UserError(f"today's {today.label} can't be played: {exc}") from None


def today_minutes(found: World, got: Current) -> int | None:
    today = got.today
    if today.status != PLAY:
        return None
    try:
        plan = sessions.dosed(today, got.program, found.routines[today.routine],
                              found.catalogue)
    except (CannotFit, KeyError):
        return None
    return sessions.minutes(plan.seconds, today.test_due)


def home(app: App, file: HistoryFile) -> HomeProgram | None:
    """The running program as ``psoas`` alone shows it: today's line, the session
    to play, and the days that keep the streak (its rest days taken and the
    days it was paused); a mistake in a data file costs a warning here, never
    the page."""
    try:
        found = world(app, lenient=True)
        got = current(app, found, file=file)
    except PsoasError as exc:
        app.warn(str(exc))
        return None
    if got is None or got.today.status == rules.STOPPED:
        return None
    today = got.today
    return HomeProgram(views.home_line(today, today_minutes(found, got)),
                       today.label_text() if today.status == PLAY else "",
                       today.rest_days + today.paused_days)


# -- psoas program start, stop, resume, hurt -----------------------------------------------

# Inside a program, check-ins are on unless set otherwise: its pain rules,
# its easier weeks and its unlocks read them.
PROGRAM_CHECKIN = "both"
CHECKIN_TOLD = ("Each session asks how your hips and back feel (0-10), before and after: "
                "that is how the program eases off when something hurts. "
                "'--check-in off' (or 'psoas config set checkin off') turns it off.")


def start_program(app: App, name: str | None, *, yes: bool) -> None:
    if not app.recording():
        raise UserError(NO_HISTORY)
    found = world(app)
    program = model.find(found.programs, model.DEFAULT if name is None else name)
    running = current(app, found)
    if running is not None and running.today.status not in (rules.STOPPED, FINISHED):
        raise UserError(f"{running.program.name} is running ({views.week_text(running.today)})."
                        " 'psoas program stop' ends it first.")
    now = app.now()
    day = local_day(now)
    width = _width(app)
    _echo(app, "\n".join([*wrap(f"{program.name}: {program.title}", width),
                          *wrap(found.catalogue.caution, width)]))
    if _can_ask(app, yes=yes):
        answer = _ask(app, f"Start today, {views.day_text(day, day)}? [Y/n]", default=True)
        if not answer:
            _echo(app, "Not started.")
            return
    _write(app, stored.event(rules.START, now, program=program.name, stamp=stamp_of(program)))
    got = current(app, found)
    if got is None:
        raise UserError("the start could not be written to the history")
    today = got.today
    minutes = today_minutes(found, got)
    what = today.label_text() if today.status == PLAY else "rest day"
    if today.test_due:
        what = f"self-test and {what}"
    length = f" ({minutes} min)" if minutes else ""
    _echo(app, "\n".join(wrap(f"Started {program.name}. Today: {what}{length}, week "
                              f"{today.week} of {today.weeks}.", width)))
    _echo(app, "'psoas program next' plays it.")
    _echo(app, "\n".join(wrap(CHECKIN_TOLD, width)))


def stop_program(app: App, *, yes: bool) -> None:
    found = world(app, lenient=True)
    try:
        got = _running(app, found)
    except PsoasError:  # its program is gone: the run can still be stopped
        file = HistoryFile(app.home(), warn=app.warn, now=app.now)
        try:
            run = stored.latest(file)
        finally:
            file.close()
        if run is None or run.stopped:
            raise
        if not yes and not _confirm_stop(app, run.start.program, ""):
            return
        _write(app, stored.event(rules.STOP, app.now(), run=run.start.run))
        _echo(app, f"Stopped {run.start.program}.")
        return
    name, today = got.program.name, got.today
    where = f" at {views.week_text(today)}" if today.status != FINISHED else ""
    if not yes and not _confirm_stop(app, name, where):
        return
    _write(app, stored.event(rules.STOP, app.now(), run=got.run.start.run))
    _echo(app, f"Stopped {name}{where}.")
    _echo(app, f"'psoas program start {name}' begins it again from week 1.")


def _confirm_stop(app: App, name: str, where: str) -> bool:
    if not (reads_keys(app.stdin) or app.injected_keys):
        raise UserError("stopping a program asks first; add --yes to stop it without "
                        "a question")
    if _ask(app, f"Stop {name}{where}? Your history stays. [y/N]", default=False):
        return True
    _echo(app, "Not stopped.")
    return False


def resume_program(app: App) -> None:
    found = world(app, lenient=True)
    got = _running(app, found)
    if got.today.status != PAUSED:
        _echo(app, f"{got.program.name} is not paused; 'psoas program next' plays today's "
                   "session.")
        return
    _write(app, stored.event(rules.RESUME, app.now(), run=got.run.start.run))
    after = current(app, found)
    today = after.today if after else got.today
    _echo(app, views.RESUMED.format(week=today.week, weeks=today.weeks))


def hurt(app: App, *, sharp: bool | None) -> None:
    """'It hurt', said outside a session: the pain rules (R6), with the red-flag
    question on a terminal."""
    found = world(app, lenient=True)
    got = _running(app, found)
    if got.today.status == PAUSED:
        _say_lines(app, views.pause_lines(got.today))
        return
    if sharp is None and _can_ask(app):
        sharp = bool(_ask(app, views.ASK_RED, default=False))
    _record_hurt(app, found, got, sharp=bool(sharp))


def _record_hurt(app: App, found: World, got: Current, *, sharp: bool,
                 voice: sounds.Voice | None = None) -> None:
    before = got.today
    _write(app, stored.event(rules.HURT, app.now(), run=got.run.start.run, sharp=sharp))
    after = current(app, found)
    if after is None:
        return
    _say_lines(app, _raised(before, after.today), voice)


def _raised(before: Today, after: Today) -> list[str]:
    """The calm lines of what just happened: the lines raised today that
    weren't before it."""
    new = [line for line in after.lines if line not in before.lines]
    out: list[str] = []
    for _, line in new:
        if line == "gentle":
            out.append(views.GENTLE)
        elif line == "gentle-now":
            out.append(views.GENTLE_NOW)
        elif line.startswith("pause:"):
            out += views.pause_lines(after)
    return out


# -- psoas program status ------------------------------------------------------------------

def status(app: App, *, as_json: bool) -> None:
    found = world(app, lenient=True)
    got = _running(app, found)
    today = got.today
    minutes = today_minutes(found, got)
    if as_json:
        app.print_json(_status_json(got, minutes))
        return
    _echo(app, views.status_text(today, got.program, found.catalogue, now=got.day,
                                 minutes=minutes, changed=got.changed, width=_width(app)))


def _status_json(got: Current, minutes: int | None) -> dict[str, Any]:
    today = got.today

    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None

    return {
        "program": got.program.name, "run_started": today.start.isoformat(),
        "status": today.status, "week": today.week, "weeks": today.weeks, "day": today.day,
        "today": {"status": today.status, "session": today.session or None,
                  "label": today.label or None, "routine": today.routine or None,
                  "minutes": minutes, "gentle": today.gentle, "deload": today.deload,
                  "test_due": today.test_due, "hold": today.hold or None,
                  "swaps": dict(today.swaps), "adds": [a for a, _ in today.adds],
                  "tighter": today.tighter},
        "missed": today.missed, "paused": iso(today.paused_on),
        "unlocked": [{"slug": slug, "since": since.isoformat()}
                     for slug, since in today.unlocked],
        "flags": [f.isoformat() for f in today.flags],
        "tests": [{"day": d.isoformat(), "left": left, "right": right}
                  for d, left, right in today.tests],
        "finish": iso(today.finish), "program_changed": got.changed,
    }


# -- psoas program next --------------------------------------------------------------------

class NextOptions(NamedTuple):
    again: bool = False
    gentle: bool = False
    no_test: bool = False
    dry_run: bool = False
    as_json: bool = False
    plain: bool = False
    sound: str = "bell"
    yes: bool = False
    checkin: str | None = None
    checkin_sides: bool = False


def next_session(app: App, options: NextOptions) -> None:
    if options.as_json and not options.dry_run:
        raise click.UsageError("--json prints the plan, so it goes with --dry-run")
    found = world(app)
    got = _running(app, found)
    today = got.today
    if today.status == PAUSED:
        _say_lines(app, views.pause_lines(today))
        click.get_current_context().exit(ExitStatus.ERROR)
    if today.status == FINISHED:
        _finished(app, got, options)
        return
    if today.status == RESTING and not options.again:
        _tell(app, f"Today is a rest day ({views.week_text(today)}). Next: "
                   f"{today.next_label}, tomorrow.")
        return
    if today.status == DONE and not options.again:
        _tell(app, f"Today's {today.label} is done. Next: {today.next_label}, tomorrow.")
        _tell(app, "('psoas program next --again' plays it again; it won't count twice.)")
        return
    if today.status in (DONE, RESTING):
        _again(app, found, got, options)
        return
    if options.gentle and not today.gentle:
        today = _gentle(today)
    plan = today_plan(found, got, today)
    built = plan_of(app, plan.routine)
    if options.dry_run:
        _print_plan(app, built, today, plan, options.as_json, got)
        return
    if not app.recording():
        raise UserError(NO_HISTORY)
    _play_today(app, found, got._replace(today=today), plan, built, options)


def _gentle(today: Today) -> Today:
    return today._replace(gentle=True, level="gentle", hold=0, tighter=None, swaps=(),
                          adds=(), gentle_number=0)


def _finished(app: App, got: Current, options: NextOptions) -> None:
    today = got.today
    if not today.test_due:
        _echo(app, f"You finished {got.program.name}: week {today.weeks} of {today.weeks}, "
                   "well done.")
        return
    _echo(app, f"You finished {got.program.name}. Now the final self-test (about "
               f"{sessions.TEST_MINUTES} min).")
    if options.no_test or options.dry_run or not _can_ask(app, plain=options.plain,
                                                          yes=options.yes):
        _echo(app, "'psoas test' takes it when you are ready.")
        return
    _take_test(app, options)
    _echo(app, views.FINISHED_LINE)


def _take_test(app: App, options: NextOptions) -> None:
    from psoas_cli.cli.actions.selftest import take_test  # noqa: PLC0415 - only when due

    take_test(app, None, sound=options.sound, plain=options.plain, no_history=False)


def _print_plan(app: App, built: Timeline, today: Today, plan: sessions.Dosed, as_json: bool,
                got: Current) -> None:
    if as_json:
        app.print_json({**built.as_dict(), "program": got.program.name, "week": today.week,
                        "day": today.day, "session": today.session, "level": today.level,
                        "hold": today.hold or None, "gentle": today.gentle,
                        "tighter": today.tighter, "extra_set": list(plan.extra),
                        "test_due": today.test_due})
        return
    _echo(app, _heading(today, built))
    emit(app.console, plan_table(built, width=app.console.width))


def _heading(today: Today, built: Timeline, *, test: bool = True) -> str:
    test = test and today.test_due
    minutes = sessions.minutes(built.planned, test)
    what = f"self-test, then {today.label_text()}" if test else today.label_text()
    return f"Week {today.week} of {today.weeks}, day {today.day}: {what} ({minutes} min)"


def _before_lines(today: Today, got: Current, found: World, plan: sessions.Dosed) -> list[str]:
    """What is said before the session starts, each once: gentle, back after days
    off, an easier week, this week's holds, what is new."""
    lines: list[str] = []
    if today.gentle and today.gentle_number:
        lines.append(views.GENTLE_HEAD.format(n=today.gentle_number))
    if today.welcome:
        days, restarted = today.welcome
        lines.append(views.RESTART.format(days=days, week=today.week) if restarted
                     else views.EASE.format(days=days))
    if today.deload and got.today.hold_changed:
        lines.append(views.DELOAD)
    elif today.hold_changed and not today.gentle and not today.eased:
        lines.append(views.HOLD.format(hold=today.hold))
    if not today.gentle:
        names = {s.slug: s.name for s in found.catalogue}
        played = {item.stretch.slug for item in plan.routine.items}
        lines += views.new_lines(today, got.program, names, played)
    return lines


def _play_today(app: App, found: World, got: Current, plan: sessions.Dosed, built: Timeline,
                options: NextOptions) -> None:
    today = got.today
    voice = _voice(options.sound)
    _tell(app, _heading(today, built, test=not options.no_test))
    if today.test_due and not options.no_test:
        if _can_ask(app, plain=options.plain, yes=options.yes):
            _tell(app, f"First the self-test (about {sessions.TEST_MINUTES} min): Enter "
                       "begins it, s skips it today, q stops.")
            key = _wait_key(app)
            if key not in (SKIP, QUIT, ESC, ENTER):
                click.get_current_context().exit(ExitStatus.INTERRUPTED)  # Ctrl-C, a signal
            if key in (QUIT, ESC):
                _echo(app, "Stopped before the session; nothing was played.")
                return
            if key == ENTER:
                _take_test(app, options)
                got = current(app, found) or got
        else:
            _tell(app, "The self-test is due: 'psoas test' takes it (about "
                       f"{sessions.TEST_MINUTES} min).")
    _say_lines(app, _before_lines(today, got, found, plan), voice)
    # The program's pain rules read the check-ins: set nowhere (command line,
    # environment, settings), a program asks them before and after.
    checkin = PROGRAM_CHECKIN if options.checkin is None else options.checkin
    play_options = PlayOptions(sound=options.sound, plain=options.plain,
                               checkin=checkin, checkin_sides=options.checkin_sides)
    keyboard = reads_keys(app.stdin)
    live = live_wanted(app, options.plain)
    token = _token()
    before_today = today
    events = list(got.events)

    def replace(moment: str, given: Given) -> bool:
        """The program's own line takes the place of a calm line on back pain,
        but for the severe one before a routine, whose choice (go on gently, or
        stop) stays."""
        return given.line.id in BACK_PAIN_LINES

    check = make_checkin(app, play_options, live=live and keyboard, token=token,
                         recording=True, replace=replace)
    recorder = Recorder(app.home(), built.routine, built.planned, warn=app.warn,
                        clock=app.now, token=token)
    listeners: list[Listener] = [recorder]
    outcome: Outcome | None = None
    summary: Summary | None = None
    try:
        if check is not None:
            outcome = check.ask_before()
            listeners.append(check.listener())
            events += _checkin_events(check.before, rules.BEFORE, app)
        if outcome is not None:
            _echo(app, "Stopped before the routine; nothing was played.")
        else:
            now_today = rules.today_of(got.program, found.movements, events, got.day)
            if now_today.status == PAUSED:
                _say_lines(app, views.pause_lines(now_today), voice)
                click.get_current_context().exit(ExitStatus.ERROR)
            if now_today.gentle and not today.gentle:
                today = now_today
                plan = today_plan(found, got, today)
                built = plan_of(app, plan.routine)
                recorder.planned_seconds = float(built.planned)
                _say_lines(app, [views.GENTLE_NOW], voice)
            _write(app, stored.event(rules.SESSION, app.now(), run=got.run.start.run,
                                     session=token))
            card = start_card(app, built, live=live, keyboard=keyboard,
                              waits=_card_waits(app, options))
            summary = play_timeline(app, built, live=live, keyboard=keyboard,
                                    sound=options.sound, record=False, listeners=listeners,
                                    card=card)
            _print_summary(app, summary, built.closing)
            outcome = summary.outcome
            if check is not None:
                outcome = check.ask_after(summary) or outcome
                check.print_after()
                events += _checkin_events(check.after, rules.AFTER, app)
    finally:
        recorder.finish()
        if check is not None:
            check.finish()
    if summary is not None:
        _after(app, found, got, before_today, today, summary, events, options, voice)
    code = ExitStatus.for_outcome(outcome)
    if code:
        click.get_current_context().exit(code)


def _card_waits(app: App, options: NextOptions) -> bool:
    """Whether the before-you-start card waits for Enter or space: unless --yes
    (ask nothing) or the start_wait setting (or PSOAS_START_WAIT) says not."""
    return not options.yes and settings_and_environment(app).get("start_wait", True) is not False


def _token() -> str:
    import os  # noqa: PLC0415 - as the player names a session (random)

    return os.urandom(16).hex()


def _voice(sound: str) -> sounds.Voice | None:
    if sound not in ("voice", "both"):
        return None
    speaker = sounds.find_speaker()
    return sounds.Voice(speaker) if speaker is not None else None


def _wait_key(app: App) -> str | None:
    with app.keyboard(keymap=ASK_KEYS) as keys:
        return str(keys.wait(None) or "")


def _checkin_events(answers: dict[str, int], moment: str, app: App) -> list[Event]:
    if not answers:
        return []
    day = local_day(app.now())
    both = answers.get("hips")
    return [rules.checkin(day, moment, at=app.now(), back=answers.get("back"),
                          left=answers.get("hip-left"), right=answers.get("hip-right"),
                          both=both)]


def _print_summary(app: App, summary: Summary, closing: str) -> None:
    try:
        emit(app.console, summary_text(summary, width=app.console.width, closing=closing))
    except (OSError, ValueError):
        let_go(app.stdout)


def _after(app: App, found: World, got: Current, before: Today, today: Today,
           summary: Summary, events: list[Event], options: NextOptions,
           voice: sounds.Voice | None) -> None:
    """After the session: whether it counted, "did something hurt?" when it was
    stopped early, the program's calm line if pain was noted, and what is next."""
    completed = summary.finished or (summary.planned > 0 and summary.active
                                     >= rules.DONE_SHARE * summary.planned)
    played = frozenset(r.slug for r in summary.done)
    events = [*events, rules.session(got.day, played, at=app.now(), completed=completed)]
    stopped_early = summary.outcome is Outcome.QUIT
    if stopped_early and _can_ask(app, plain=options.plain, yes=options.yes):
        if _ask(app, views.ASK, default=False):
            sharp = bool(_ask(app, views.ASK_RED, default=False))
            _write(app, stored.event(rules.HURT, app.now(), run=got.run.start.run,
                                     sharp=sharp))
            events.append(Event(rules.HURT, got.day, app.now(), sharp=sharp))
    after = rules.today_of(got.program, found.movements, events, got.day)
    _say_lines(app, _raised(before, after), voice)
    if after.status == PAUSED:
        return
    if completed:
        _tell(app, f"Done: week {today.week}, day {today.day}. Next: {after.next_label}, "
                   "tomorrow.")
    else:
        share = math.floor(100 * summary.active / summary.planned) if summary.planned else 0
        _tell(app, f"Stopped at {share}%: today's {today.label} is still to do.")


def _again(app: App, found: World, got: Current, options: NextOptions) -> None:
    """Today's session played again: an extra, in the history but not the program."""
    today = got.today
    if today.status == RESTING:
        _echo(app, f"Today is a rest day ({views.week_text(today)}): nothing to play again.")
        return
    replay = today._replace(status=PLAY)
    plan = today_plan(found, got, replay)
    built = plan_of(app, plan.routine)
    if options.dry_run:
        _print_plan(app, built, replay, plan, options.as_json, got)
        return
    _echo(app, f"Today's {today.label} again (an extra: it won't count twice).")
    keyboard = reads_keys(app.stdin)
    live = live_wanted(app, options.plain)
    card = start_card(app, built, live=live, keyboard=keyboard, waits=_card_waits(app, options))
    summary = play_timeline(app, built, live=live, keyboard=keyboard, sound=options.sound,
                            record=True, card=card)
    _print_summary(app, summary, built.closing)
    code = ExitStatus.for_outcome(summary.outcome)
    if code:
        click.get_current_context().exit(code)


# -- psoas remind, while a program runs ----------------------------------------------------

class Break(NamedTuple):
    """A break of 'psoas remind' while a program runs."""

    plan: Timeline  # the program's remind session, dosed for today
    link: Callable[[str], None]  # links the session it records (its token) to the run


def remind_break(app: App) -> Callable[[], Break | None] | None:
    """For 'psoas remind' while a program runs: a function giving each break's
    plan, dosed for the day it is played (gentle after pain, with the tighter
    side's extra set and the unlocked variations), or None when the program
    is paused or over (the break then plays the reminder's own routine).
    None at once when no program with a remind session runs."""
    try:
        found = world(app, lenient=True)
        got = current(app, found)
    except PsoasError as exc:
        app.warn(str(exc))
        return None
    if got is None or not got.program.remind:
        return None

    def planned() -> Break | None:
        try:
            fresh = current(app, found)
        except PsoasError:
            return None
        if fresh is None or fresh.today.status in (rules.STOPPED, PAUSED, FINISHED):
            return None
        today, program = fresh.today, fresh.program
        kind = program.session(program.remind)
        for_break = today._replace(status=PLAY, session=kind.key, routine=kind.routine,
                                   label=kind.label,
                                   adds=() if today.gentle else
                                   rules.adds_of(program, today.unlocked, kind.key))
        try:
            dosed = sessions.dosed(for_break, program, found.routines[kind.routine],
                                   found.catalogue)
        except (CannotFit, KeyError):
            return None
        run = fresh.run.start.run

        def link(token: str) -> None:
            _write(app, stored.event(rules.SESSION, app.now(), run=run, session=token,
                                     remind=True))

        return Break(plan_of(app, dosed.routine), link)

    return planned
