"""A check-in on screen: each question, one key each, with the time it allows;
or line by line, a whole number a line, when asked for without a terminal.

The keys and the clock are practice/checkin.py's ``CheckinRun``; here is
what it looks like (checkins.yaml's screen texts, the short ones under 60
columns) and the calm line, shown, said, and waited on when the file says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
        _by_lines(talk, checkins, run, clock)
        return run, None
    spoken = None
    told_once = False
    while not run.done:
        if run.item != spoken and run.state == "asking":
            spoken = run.item
            question = checkins.question(run.items[run.index])
            talk.say(question.ask[moment] + ("" if told_once else " Zero to ten."))
            told_once = True
            if talk.mode != LIVE:
                talk.page(_page(talk, checkins, run)[0 if run.index == 0 else 2:])
        if talk.mode == LIVE:
            talk.page(_page(talk, checkins, run))
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


def _page(talk: Talk, checkins: Checkins, run: CheckinRun) -> list[Text]:
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
        lines.append(Text(keys["ask"] + (" " + keys["back"] if run.index else ""), style="dim"))
    return lines


def _answered(talk: Talk, checkins: Checkins, run: CheckinRun) -> str:
    screen = checkins.screen["answered_short" if _narrow(talk) else "answered"]
    item = run.items[run.index]
    value = run.values.get(item)
    label = checkins.label(item)
    if value is None:
        return screen["skipped"].replace("{label}", label)
    return screen["value"].replace("{label}", label).replace("{value}", str(value))


def _by_lines(talk: Talk, checkins: Checkins, run: CheckinRun,
              clock: Callable[[], float]) -> None:
    """A question a line on stdout, a whole number 0-10 a line from stdin (an
    empty line skips; the end of input skips the rest); no timeout."""
    talk.page([Text(checkins.screen["title"][run.moment])])
    for item in run.items:
        question = checkins.question(item)
        talk.page([Text(line) for text in (question.ask[run.moment],
                                           f"{question.scale}; an empty line skips:")
                    for line in wrap(text, talk.width)])
        text = talk.line()
        if text is None:
            break  # the end of input: the rest is skipped
        word = text.strip().lower()
        value = int(word) if word.isascii() and word.isdigit() else None
        if word == checkins.ten_key:
            value = checkins.high
        run.values[item] = value if value is not None and value <= checkins.high else None
        run.at[item] = clock()
    run.state = "done"


def calm(talk: Talk, given: Given, *, clock: Callable[[], float]) -> str | None:
    """Show and say the calm line; when it waits, until Enter (None) or q
    ("quit") or a signal.  Line by line, it is printed and nothing waits."""
    line = given.line
    talk.say(words(given, "spoken"))
    narrow = _narrow(talk)
    text = words(given, "short" if narrow else "long")
    if talk.mode != LIVE:
        talk.page([Text(t) for t in wrap(text, talk.width)])
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
