"""A check-in on screen: each question, one key each, with the time it allows;
or line by line, a whole number a line (--plain, TERM=dumb, no terminal).

The keys and the clock are practice/checkin.py's ``CheckinRun``; here is
what it looks like (checkins.yaml's screen texts, the short ones under 60
columns) and the calm line, shown, said, and waited on when the file says so.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich.text import Text

from psoas_cli.model.checkins import Checkins
from psoas_cli.play import engine
from psoas_cli.practice.checkin import CheckinRun, Given, words
from psoas_cli.ui.practice.talk import LINES, LIVE, Talk
from psoas_cli.ui.table import wrap

NARROW = 60
SHOWN_SECONDS = 5.0  # a calm line that does not wait stays this long on the live screen
STOPPING = (engine.INTERRUPT, engine.TERMINATE, engine.HANGUP)


def ask(talk: Talk, checkins: Checkins, moment: str, items: Sequence[str], *,
        clock: Callable[[], float]) -> tuple[CheckinRun, str | None]:
    """Ask ``items`` at ``moment``; the run (its answers, whether it was stopped
    or timed out) and the signal that ended it, if one did (Ctrl-C...)."""
    run = CheckinRun(checkins, moment, items, now=clock())
    if talk.mode == LINES:
        return run, _by_lines(talk, checkins, run, clock)
    spoken = None
    told_once = False
    while not run.done:
        if run.item != spoken and run.state == "asking":
            spoken = run.item
            question = checkins.question(run.items[run.index])
            talk.say(question.ask[moment] + ("" if told_once else " Zero to ten."))
            told_once = True
            if talk.mode != LIVE:
                talk.page(question_page(talk, checkins, run)[0 if run.index == 0 else 2:])
        if talk.mode == LIVE:
            talk.page(question_page(talk, checkins, run))
        key = talk.key(run.timeout(clock()))
        now = clock()
        if key in STOPPING:
            talk.hush()
            return run, key
        if key is None:
            run.tick(now)
            continue
        if key in (engine.REDRAW, engine.SUSPEND):
            continue
        before = run.state
        run.press("ten" if key == "ten" else key, now)
        if run.state == "showing" and before == "asking":
            talk.hush()
            if talk.mode != LIVE:
                talk.note(_answered(talk, checkins, run))
    if run.timed_out:
        screen = checkins.screen["timed_out_short" if _narrow(talk) else "timed_out"]
        talk.note(screen["line"])
    return run, None


def _narrow(talk: Talk) -> bool:
    return talk.width < NARROW


def question_page(talk: Talk, checkins: Checkins, run: CheckinRun) -> list[Text]:
    """Title, blank, ask, scale, blank, keys (or the answer while it shows)."""
    narrow = _narrow(talk)
    width = talk.width
    screen = checkins.screen
    question = checkins.question(run.items[run.index])
    title = screen["title_short" if narrow else "title"][run.moment]
    ask_text = (question.ask_short if narrow else question.ask)[run.moment]
    scale = question.scale_short if narrow else question.scale
    lines = [Text(title, style="bold"), Text()]
    lines += [Text(line, style="bold") for line in wrap(ask_text, width)]
    lines += [Text(line) for line in wrap(scale, width)]
    lines.append(Text())
    if run.state == "showing":
        lines.append(Text(_answered(talk, checkins, run), style="bold"))
    else:
        keys = screen["keys_short" if narrow else "keys"]
        said = keys["ask"] + (" " + keys["back"] if run.index else "")
        lines += [Text(line, style="dim") for line in wrap(said, width)]
    return lines


def _answered(talk: Talk, checkins: Checkins, run: CheckinRun) -> str:
    item = run.items[run.index]
    return _said(talk, checkins, item, run.values.get(item))


def _said(talk: Talk, checkins: Checkins, item: str, value: int | None) -> str:
    """"Hips: 3", or "Hips: skipped"."""
    screen = checkins.screen["answered_short" if _narrow(talk) else "answered"]
    label = checkins.label(item)
    if value is None:
        return screen["skipped"].replace("{label}", label)
    return screen["value"].replace("{label}", label).replace("{value}", str(value))


TRIES = 3  # answers that are not 0-10 before a question is skipped, line by line


def _by_lines(talk: Talk, checkins: Checkins, run: CheckinRun,
              clock: Callable[[], float]) -> str | None:
    """A question printed, its answer a line read (the terminal's own editing,
    no timeout): 0-10 or t answers and is printed back, an empty line skips,
    q as the q key; anything else gets a line saying what is wanted and the
    same question again, ``TRIES`` times at most, so an answer never slides
    into the next question.  The end of input skips the rest; Ctrl-C or a
    signal stops, and is returned."""
    texts = checkins.screen["lines"]
    talk.page([Text(checkins.screen["title"][run.moment])])
    bad = 0
    try:
        with _signals_stop():
            while run.item is not None:
                item = run.item
                question = checkins.question(item)
                _print(talk, question.ask[run.moment],
                       texts["prompt"].replace("{scale}", question.scale))
                text = talk.line()
                if text is None:
                    break  # the end of input: the rest is skipped
                word = text.strip().lower()
                if word == "q":  # before a routine: stop; after one: skip the rest
                    run.stopped = run.moment == "before"
                    break
                value = _number(checkins, word)
                if word and value is None:
                    bad += 1
                    if bad < TRIES:
                        _print(talk, texts["again"])
                        continue
                    _print(talk, texts["gave_up"].replace("{label}", checkins.label(item)))
                else:
                    _print(talk, _said(talk, checkins, item, value))
                run.values[item] = value
                run.at[item] = clock()
                run.index += 1
                bad = 0
    except _Stopped as stop:
        _end_line(talk)
        return stop.key
    finally:
        run.state = "done"
    return None


def _number(checkins: Checkins, word: str) -> int | None:
    """The answer 0-10 a line gives (the ten key for 10), else None."""
    if word == checkins.ten_key:
        return checkins.high
    if word.isascii() and word.isdigit() and int(word) <= checkins.high:
        return int(word)
    return None


def _print(talk: Talk, *texts: str) -> None:
    talk.page([Text(line) for text in texts for line in wrap(text, talk.width)])


def _choose(talk: Talk, given: Given, again: str) -> str | None:
    """Line by line, a calm line that waits: an empty line goes on (None); q
    stops ("quit"), as does the end of input (nobody is left to choose) and
    ``TRIES`` lines that are neither (each answered with ``again``)."""
    _print(talk, given.line.keys)
    try:
        with _signals_stop():
            for _ in range(TRIES):
                text = talk.line()
                if text is None or text.strip().lower() == "q":
                    return engine.QUIT
                if not text.strip():
                    return None
                _print(talk, again)
    except _Stopped as stop:
        _end_line(talk)
        return stop.key
    return engine.QUIT


def _end_line(talk: Talk) -> None:
    """After Ctrl-C at a terminal's prompt (it echoes "^C" and stays on that
    line), what psoas says next starts on a line of its own."""
    try:
        if talk.stdin is not None and talk.stdin.isatty():
            _print(talk, "")
    except (OSError, ValueError):
        pass


class _Stopped(Exception):
    """Ctrl-C or a signal while a line is read: its key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


_STOPS = {getattr(signal, name): key for name, key in (
    ("SIGINT", engine.INTERRUPT), ("SIGTERM", engine.TERMINATE),
    ("SIGQUIT", engine.TERMINATE), ("SIGHUP", engine.HANGUP)) if hasattr(signal, name)}


@contextmanager
def _signals_stop() -> Iterator[None]:
    """While a line is read, Ctrl-C, SIGTERM or a hang-up ends the read with
    its key, as on the live screen; the terminal is left as it is (a normal
    line, echoed and edited by the terminal itself)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Stopped(_STOPS[signum])

    saved = {signum: signal.signal(signum, stop) for signum in _STOPS}
    try:
        yield
    except KeyboardInterrupt:  # one raised before our handler was in place
        raise _Stopped(engine.INTERRUPT) from None
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def calm(talk: Talk, given: Given, *, clock: Callable[[], float], again: str = "") -> str | None:
    """Show and say the calm line; when it waits, until Enter (None) or q
    ("quit") or a signal.  Line by line, a line that waits reads a line:
    empty goes on, q stops, anything else gets ``again``."""
    line = given.line
    talk.say(words(given, "spoken"))
    narrow = _narrow(talk)
    text = words(given, "short" if narrow else "long")
    if talk.mode != LIVE:
        talk.page([Text(t) for t in wrap(text, talk.width)])
        if line.wait and talk.mode == LINES:
            return _choose(talk, given, again)
        if not line.wait or talk.wait is None:
            return None
        talk.page([Text(line.keys_short if narrow else line.keys)])
    lines = [Text(t, style="bold") for t in wrap(text, talk.width)]
    if line.wait:
        lines += [Text(), Text(line.keys_short if narrow else line.keys, style="dim")]
    deadline = None if line.wait else clock() + SHOWN_SECONDS
    while True:
        if talk.mode == LIVE:
            talk.page(lines)
        key = talk.key(None if deadline is None else max(0.0, deadline - clock()))
        if key is None and (deadline is not None or talk.wait is None):
            return None
        if key in STOPPING or key == engine.QUIT:
            talk.hush()
            return key
        if key == engine.ENTER or (deadline is not None and key is not None
                                   and key not in (engine.REDRAW, engine.SUSPEND)):
            talk.hush()
            return None
