"""What 'psoas test' does: play a self-test, keep its answers, say the results."""

from __future__ import annotations

import click

from psoas_cli.cli.actions.play import figure_mode, live_wanted
from psoas_cli.cli.actions.practice import checkins, read_facts, selftests
from psoas_cli.cli.app import App
from psoas_cli.cli.errors import ExitStatus
from psoas_cli.history.calendar import local_day
from psoas_cli.history.practice_records import (
    FINISHED,
    STOPPED,
    TestAnswer,
    TestRecord,
    TestSide,
    new_uid,
)
from psoas_cli.history.practice_writer import NoWriter, PracticeWriter
from psoas_cli.model.selftests import SelfTest
from psoas_cli.play.events import Outcome
from psoas_cli.practice import scoring
from psoas_cli.ui import sound as sounds
from psoas_cli.ui.practice.selftest import ANSWER_KEYS, TestPlayer, TestVoice
from psoas_cli.ui.practice.talk import LINES, LIVE, PLAIN, Talk
from psoas_cli.ui.table import wrap
from psoas_cli.ui.terminal import is_tty, let_go, reads_keys, unicode_ok


def take_test(app: App, which: str | None, *, sound: str, plain: bool,
              no_history: bool) -> None:
    tests = selftests(app)
    test = tests.find(which) if which is not None else tests.default
    recording = not no_history and app.recording()
    facts, _ = read_facts(app, 1) if recording else (None, None)
    first = facts is None or facts.last_test is None
    writer = PracticeWriter(app.home(), warn=app.warn, now=app.now) if recording \
        else NoWriter()
    started = app.now()
    record = TestRecord(new_uid(), test.slug, started, local_day(started), STOPPED,
                        tests.version)

    def on_side(side: str, answers: dict) -> None:
        nonlocal record
        record = record._replace(sides=(*record.sides, _side(test, side, answers)))
        if len(record.sides) == len(scoring.SIDES):
            record = record._replace(status=FINISHED)
        writer.put(record)

    typed = reads_keys(app.stdin) or app.injected_keys
    live = live_wanted(app, plain) and reads_keys(app.stdin)
    mode = LIVE if live else PLAIN if typed else LINES
    terminal = is_tty(app.stdout)
    voice = None
    if sound in ("voice", "both"):
        speaker = sounds.find_speaker()
        if speaker is None:
            app.warn("no text-to-speech command found (say, espeak-ng, espeak or spd-say); "
                     "using the terminal bell")
            sound = "bell"
        else:
            voice = TestVoice(speaker, test)
    extra = [sounds.Bell(app.stdout)] if terminal and sound in ("bell", "both") else []
    unicode = unicode_ok(app.stdout, app.env)
    confirm = checkins(app).confirm_seconds
    ended = None
    try:
        with (app.holding_warnings() if live else _nothing()):
            talk = Talk(app.console, mode=mode, wait=None, stdin=app.stdin, voice=voice,
                        unicode=unicode)
            player: TestPlayer | None = None

            def suspend() -> None:
                if talk.screen is not None:
                    talk.screen.leave()

            def resume() -> None:
                if talk.screen is not None:
                    talk.screen.enter()
                if player is not None:
                    player.redraw()

            with app.keyboard(keymap=ANSWER_KEYS, on_suspend=suspend,
                              on_resume=resume) as keys:
                talk.wait = keys.wait if typed else None
                player = TestPlayer(test, tests, talk, monotonic=app.monotonic,
                                    confirm=confirm, engine_wait=keys.wait, sounds=extra,
                                    voice=voice, keyboard=typed,
                                    figure_mode=figure_mode(app),
                                    on_side=on_side)
                if talk.screen is not None:
                    talk.screen.enter()
                try:
                    ended = player.run()
                finally:
                    if talk.screen is not None:
                        talk.screen.leave()
    finally:
        writer.finish()
    outcome = ended.outcome if ended else Outcome.INTERRUPTED
    _print_results(app, tests, test, ended, first=first, mode=mode)
    code = ExitStatus.for_outcome(outcome)
    if code:
        click.get_current_context().exit(code)


def _side(test: SelfTest, side: str, answers: dict) -> TestSide:
    given = []
    for question in test.questions:
        if question.id not in answers:
            continue
        answer = question.answer(answers[question.id])
        score = answer.score if answer is not None and question.scored else None
        given.append(TestAnswer(new_uid(), question.id, answers[question.id], score))
    return TestSide(new_uid(), side, scoring.side_score(test, answers),
                    scoring.side_hurt(test, answers), tuple(given))


def _print_results(app: App, tests, test: SelfTest, ended, *, first: bool, mode: str) -> None:
    width = min(80, app.console.width)
    today = local_day(app.now())
    lines = []
    if ended is not None and ended.outcome is Outcome.FINISHED:
        lines += wrap(test.finish, width)
    elif ended is not None and ended.sides:
        lines += wrap("Stopped; the side answered in full is kept.", width)
    elif ended is not None:
        lines += wrap("Stopped before a side was answered: nothing is kept.", width)
    if ended is not None and ended.sides:
        chosen = app.settings().get("checkin", "off") if _settings_ok(app) else "off"
        lines += scoring.results_text(tests, test, local_day(app.now()), ended.sides,
                                      today=today, first=first,
                                      checkins_on=chosen != "off", width=width)
    try:
        if mode != LIVE:
            click.echo("", file=app.stdout)
        click.echo("\n".join(lines), file=app.stdout)
    except (OSError, ValueError):
        let_go(app.stdout)


def _settings_ok(app: App) -> bool:
    try:
        app.settings()
    except Exception:  # noqa: BLE001 - a bad config file only costs the hint
        return False
    return True


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None
