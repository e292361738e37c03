"""Playing: a routine fitted to the user's level and minutes, its plan, the
player with its listeners, and the summary after."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click
from rich.text import Text

from psoas_cli.cli.actions.autosync import after_routine
from psoas_cli.cli.actions.plans import (
    PlayOptions,
    routine_rows,
    settings_and_environment,
    wanted,
)
from psoas_cli.cli.app import App
from psoas_cli.cli.errors import ExitStatus, UsageLine
from psoas_cli.errors import CannotFit
from psoas_cli.history.recorder import Recorder
from psoas_cli.model import routines
from psoas_cli.model.catalogue import NO_MOVES, Moves
from psoas_cli.model.routines import Routine, Routines
from psoas_cli.play import timeline
from psoas_cli.play.card import Card, card
from psoas_cli.play.events import Listener, Summary
from psoas_cli.play.fitting import Fit, fit
from psoas_cli.play.phrases import clock, needs
from psoas_cli.play.timeline import NO_OVERRIDES, Overrides, Timeline
from psoas_cli.ui import sound as sounds
from psoas_cli.ui.console import emit
from psoas_cli.ui.figures.view import mode_for
from psoas_cli.ui.player.card import card_text
from psoas_cli.ui.player.playback import play as play_plan
from psoas_cli.ui.table import wrap
from psoas_cli.ui.terminal import can_redraw, is_tty, keys_available, let_go, reads_keys
from psoas_cli.ui.views.catalogue import plan_table, routine_table, summary_text

if TYPE_CHECKING:
    from psoas_cli.cli.actions.checkin import Checkin


def fitted(routine: Routine, overrides: Overrides, *, minutes: float | None,
           level: str | None, warn: Callable[[str], None] | None = None,
           moves: Moves = NO_MOVES) -> Fit:
    """The routine at the level and length asked for.

    A length out of reach is a one-line usage error; but when ``warn`` is
    given (the length is a standing default from the environment or the
    config file, not asked for this time), the routine plays as near to it
    as it can, and ``warn`` says so.
    """
    chosen, seconds = wanted(routine, minutes, level)
    try:
        return fit(routine, level=chosen, seconds=seconds, overrides=overrides, moves=moves)
    except CannotFit as exc:
        if warn is None or seconds is None:
            raise UsageLine(str(exc)) from None
        nearest = min(max(seconds, exc.least), exc.most)
        try:
            played = fit(routine, level=chosen, seconds=nearest, overrides=overrides,
                         moves=moves)
        except CannotFit:
            played = fit(routine, level=chosen, overrides=overrides, moves=moves)
        warn(f"{exc}; playing {clock(played.total)}")
        return played


def figure_mode(app: App) -> str:
    """How the live screen draws the figure: the style the environment or the
    settings ask for (PSOAS_FIGURE_STYLE, figure_style), as the output can."""
    return mode_for(app.stdout, settings_and_environment(app).get("figure_style"),
                    environ=app.env)


def as_set(app: App, routine: Routine) -> Timeline:
    """The plan of the routine at the level and length the user's settings (the
    environment, then config.toml) ask for, for a command that has no --level
    or --minutes of its own: psoas remind plays its breaks as 'psoas routine'
    would."""
    chosen = settings_and_environment(app)
    overrides = Overrides(setup=chosen.get("setup"))
    played = fitted(routine, overrides, minutes=chosen.get("minutes"),
                    level=chosen.get("level"), warn=app.warn, moves=app.catalogue.moves)
    return built(app, played.routine, overrides)


def list_routines(app: App, found: Routines, options: PlayOptions) -> None:
    emit(app.console, routine_table(routine_rows(found, options, app.catalogue.moves),
                                    width=app.console.width))


def play_or_list(app: App, name: str | None, routines_path: str | None,
                 options: PlayOptions) -> None:
    """'psoas routine [NAME]': play the routine NAME, or list them all."""
    found = app.routines(extra=routines_path)
    if name is None:
        list_routines(app, found, options)
        return
    play(app, routines.find(found, name), options)


def play_stretches(app: App, names: Sequence[str], options: PlayOptions) -> None:
    """'psoas play STRETCH...': the stretches named, one after the other."""
    chosen = [app.catalogue.find(name) for name in names]
    name = "play " + " ".join(s.slug for s in chosen)
    play(app, routines.adhoc(chosen, name=name), options)


def play(app: App, routine: Routine, options: PlayOptions) -> None:
    """Fit ``routine`` as the options ask, then print its plan (--dry-run) or
    play it, record it, and print the summary; exit as it ended."""
    if options.as_json and not options.dry_run:
        raise click.UsageError("--json prints the plan, so it goes with --dry-run")
    keyboard = reads_keys(app.stdin)
    wait = options.wait
    if wait and not keyboard and not options.dry_run:
        app.warn("--wait needs a keyboard; counting down instead")
        wait = False
    overrides = options.overrides(wait=wait)
    source = click.get_current_context().get_parameter_source("minutes")
    asked = source in (None, click.core.ParameterSource.COMMANDLINE)
    # What fitting changed, said before the routine; on the live screen, which
    # would hide it at once, said as the screen closes, above the summary.
    told: list[str] = []
    moves = app.catalogue.moves
    played = fitted(routine, overrides, minutes=options.minutes, level=options.level,
                    warn=None if asked else told.append, moves=moves)
    plan = timeline.build(played.routine, overrides, moves, app.catalogue.closing)
    told += timeline.capped(played.routine, overrides)  # --hold or --reps not as asked
    if options.dry_run:
        for line in told:
            app.warn(line)
        _print_plan(app, plan, played, options.as_json)
        return
    told += played.notes(total=False)  # what is left out or added; the time shows anyway
    live = live_wanted(app, options.plain)
    if not live:
        for line in told:
            app.warn(line)
    recording = not options.no_history and app.recording()
    token = os.urandom(16).hex()  # the session's name, for its check-ins too
    recorder = _recorder(app, plan, token) if recording else None
    check = make_checkin(app, options, live=live and keyboard, token=token,
                         recording=recording)
    listeners: list[Listener] = [recorder] if recorder else []
    outcome = None
    try:
        if check is not None:
            outcome = check.ask_before()
            listeners.append(check.listener())
        if outcome is not None:  # q (or a signal) before the routine: nothing is played
            click.echo("Stopped before the routine; nothing was played.", file=app.stdout)
        else:
            card = start_card(app, plan, live=live, keyboard=keyboard,
                              waits=options.start_wait)
            summary = play_timeline(app, plan, live=live, keyboard=keyboard,
                                    sound=options.sound, record=False, listeners=listeners,
                                    card=card, told=told if live else ())
            _print_summary(app, summary, closing=plan.closing)
            outcome = summary.outcome
            if check is not None:
                outcome = check.ask_after(summary) or outcome
                check.print_after()
    finally:
        if recorder is not None:
            recorder.finish()  # a bounded wait; what it cannot write waits in the journal
        if check is not None:
            check.finish()
    if recording:
        after_routine(app)  # this machine's file in the sync folder, if there is one
    code = ExitStatus.for_outcome(outcome)
    if code:
        click.get_current_context().exit(code)


def make_checkin(app: App, options: PlayOptions, *, live: bool, token: str,
                 recording: bool, replace: Callable[[str, Any], bool] | None = None,
                 ) -> Checkin | None:
    """The check-ins this run asks for: None when they are off, or would wait
    where nobody asked them to (--plain, no terminal, the setting alone)."""
    mode = options.checkin or "off"
    if mode == "off":
        return None
    source = click.get_current_context().get_parameter_source("checkin")
    asked = source == click.core.ParameterSource.COMMANDLINE
    if not (live or asked):
        return None
    # The check-ins' screens and records load only when they are on (3 ms).
    from psoas_cli.cli.actions.checkin import Checkin  # noqa: PLC0415

    return Checkin(app, mode=mode, sides=options.checkin_sides, asked=asked, live=live,
                   sound=options.sound, token=token, recording=recording, replace=replace)


@contextmanager
def _holding(app: App, told: Sequence[str]) -> Iterator[None]:
    """The warnings held while the full screen is up, ``told`` first."""
    with app.holding_warnings():
        for line in told:
            app.warn(line)
        yield


def _print_summary(app: App, summary: Summary, closing: str = "") -> None:
    """What was done, and the routine's closing line when it finished; nothing,
    quietly, when the output has gone (a hang-up, a closed pipe)."""
    try:
        emit(app.console, summary_text(summary, width=app.console.width, closing=closing))
    except (OSError, ValueError):
        let_go(app.stdout)


def _recorder(app: App, plan: Timeline, token: str | None = None) -> Recorder:
    return Recorder(app.home(), plan.routine, plan.planned, warn=app.warn, clock=app.now,
                    token=token)


def _print_plan(app: App, plan: Timeline, played: Fit, as_json: bool) -> None:
    if as_json:
        app.print_json({**plan.as_dict(), "fit": played.as_dict()})
        return
    emit(app.console, plan_table(plan, width=app.console.width))
    for note in filter(None, [needs(plan.stretches), *played.notes()]):
        for line in wrap(note, app.console.width):
            click.echo(line, file=app.stdout)


def live_wanted(app: App, plain: bool) -> bool:
    """The full screen, unless --plain, a pipe or a dumb terminal.  Where keys
    cannot be read (Windows: no termios) one line says so, and it is off."""
    live = not plain and can_redraw(app.stdout)
    if live and not keys_available():
        app.warn("the live screen needs termios (Linux, macOS); going line by line instead")
        return False
    return live


def built(app: App, routine: Routine, overrides: Overrides = NO_OVERRIDES) -> Timeline:
    """The plan of ``routine`` as played: the catalogue's moves between positions
    said while getting ready, and its closing line at the end."""
    return timeline.build(routine, overrides, app.catalogue.moves, app.catalogue.closing)


def start_card(app: App, plan: Timeline, *, live: bool, keyboard: bool, waits: bool) -> Card:
    """The before-you-start card of a run: it waits on the live screen with a
    keyboard when ``waits``; else it is printed where it stays (on the live
    screen it would fly past)."""
    shown = card_of(app, plan, waits=waits and live and keyboard)
    if live and not shown.waits:
        emit(app.console, Text("\n".join(card_text(shown, app.console.width))))
    return shown


def card_of(app: App, plan: Timeline, *, waits: bool) -> Card:
    """The before-you-start card for ``plan``, in the catalogue's words."""
    catalogue = app.catalogue
    return card(plan, caution=catalogue.caution, breathing=catalogue.breathing,
                said_caution=catalogue.said_caution, waits=waits)


def play_timeline(app: App, plan: Timeline, *, live: bool, keyboard: bool, sound: str,
                  record: bool, listeners: Sequence[Listener] = (),
                  card: Card | None = None, told: Sequence[str] = ()) -> Summary:
    """The listeners this run asks for (and ``listeners``), then play.

    With ``record``, the recorder's writer gets its bounded wait before this
    returns; a caller that wants to show the summary first passes a Recorder
    of its own in ``listeners`` and calls its ``finish`` after.  ``told``:
    warnings held with the screen's own, said as it closes.
    """
    extras = [sounds.make(sound, app.stdout, terminal=is_tty(app.stdout), warn=app.warn),
              *listeners]
    recorder = _recorder(app, plan) if record else None
    if recorder is not None:
        extras.append(recorder)
    try:
        return play_plan(plan, console=app.console, stdout=app.stdout, live=live,
                         keys_shown=keyboard, caution=app.catalogue.caution, extras=extras,
                         keyboard=app.keyboard, monotonic=app.monotonic,
                         hold_warnings=lambda: _holding(app, told),
                         breathing=app.catalogue.breathing, card=card,
                         figure_mode=figure_mode(app) if live else None)
    finally:
        if recorder is not None:
            recorder.finish()
