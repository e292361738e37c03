"""What the program commands print: the list, a plan, the status, today's line
on the home page, and the calm lines, all in one place.

Plain text laid out by table.py, every line within the width given (80 at
most) and ASCII but for the tables' rules (``─``, made ``-`` under
LANG=C as every table's is).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from psoas_cli.model.catalogue import Catalogue
from psoas_cli.model.programs import REST, Program, Programs
from psoas_cli.practice.dates import short_day
from psoas_cli.practice.program import (
    DONE,
    FINISHED,
    PAUSED,
    PLAY,
    RED_FLAG,
    RESTING,
    Today,
)
from psoas_cli.ui.table import Column, plain, table, wrap

# -- the calm lines (docs/programs.md, R6-R8) ----------------------------------------------
GENTLE = "Noted. Your next 3 sessions will be gentle, without the deeper stretches."
GENTLE_NOW = "Your back hurts today, so this session is gentle. Stop if it gets worse."
GENTLE_HEAD = "Gentle today ({n} of 3), after the pain you noted."
PAUSE_1 = "Pain has come back, so your program is paused."
PAUSE_2 = "Please see a physical therapist; 'psoas program resume' when you are ready."
RED = "Stop here. Sharp pain, numbness or tingling needs a physical therapist first."
ASK = "Stopped. Did something hurt? (y/n)"
ASK_RED = "Was it sharp pain, numbness or tingling? (y/n)"
RESUMED = "Resumed: week {week} of {weeks} starts again, and the next 3 sessions are gentle."
HOLD = "This week: {hold} s a side in each hip stretch."
NEW = "New this week: {name}."
REPLACES = "It replaces: {name}."
NEW_ADDED = "New this week: {name}, after the {after}."
DELOAD = "An easier week: your hips get time to settle before the holds grow again."
EASE = "Welcome back. After {days} days off, the next 2 sessions are a little lighter."
RESTART = "Welcome back. After {days} days off, week {week} starts again from its first day."
FINISHED_LINE = "You finished the program. 'psoas test' shows how your hips have changed."


def pause_lines(today: Today) -> list[str]:
    """The two lines of a paused run: why, and what to do."""
    first = RED if today.pause_reason == RED_FLAG else PAUSE_1
    return [first, PAUSE_2]


def day_text(day: date, today: date) -> str:
    """"Mon 3 Nov": the weekday in English, whatever the locale."""
    return f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[day.weekday()]} " \
           f"{short_day(day, today)}"


def week_text(today: Today) -> str:
    easier = " (easier week)" if today.deload else ""
    return f"week {today.week} of {today.weeks}{easier}"


# -- the home page's line (R1c) ------------------------------------------------------------

def home_line(today: Today, minutes: int | None = None) -> str:
    """What ``psoas`` alone says of today, under its title; "" for nothing."""
    if today.status == PAUSED:
        return "program paused after pain: 'psoas program resume' when ready"
    if today.status == FINISHED:
        if today.test_due:
            return "program done: take the final test with 'psoas test'"
        return f"program done: week {today.weeks} of {today.weeks}, well done"
    if today.status == DONE:
        return f"today: done ({today.label}), {week_text(today)}; next: {today.next_label}"
    if today.status == RESTING:
        return f"today: rest day, {week_text(today)}; next: {today.next_label}"
    if today.status == PLAY:
        what = today.label_text()
        if today.test_due:
            what = f"self-test and {what}"
        length = f" ({minutes} min)" if minutes else ""
        return f"today: {what}{length}, {week_text(today)}"
    return ""


# -- psoas program list --------------------------------------------------------------------

def list_text(programs: Programs, *, running: Today | None, width: int = 80) -> str:
    columns = [Column("Program", clip=True, least=8), Column("Weeks", right=True),
               Column("What it is", wrap=True, least=20)]
    rows = []
    for program in programs.values():
        name = f"{program.name} (yours)" if program.own else program.name
        rows.append([(name, ""), (str(len(program.weeks)), ""),
                     (f"{program.title}. {_first_sentence(program.description)}", "")])
    for name, why in programs.unavailable.items():
        rows.append([(name, ""), ("-", ""), (f"unavailable: {why}", "")])
    lines = [plain(line) for line in table(columns, rows, width)] if rows else \
        ["No program to start: 'psoas program --help' says how to write one."]
    lines.append("")
    if running is not None and running.status != FINISHED:
        lines += wrap(f"Running: {running.program}, week {running.week} of {running.weeks}. "
                      "'psoas program show NAME' prints a plan.", width)
    elif rows:
        first = "hips" if "hips" in programs else next(iter(programs), "")
        lines += wrap(f"'psoas program start' begins {first}; 'psoas program show NAME' "
                      "prints a plan." if first else "'psoas program show NAME' prints a plan.",
                      width)
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    if not text:
        return ""
    for end in (". ", "! ", "? "):
        if end in text:
            return text[:text.index(end) + 1]
    return text


# -- psoas program show --------------------------------------------------------------------

def plan_text(program: Program, minutes: Mapping[str, int], catalogue: Catalogue, *,
              width: int = 80) -> str:
    """A program's plan: its weeks, what each letter plays, the holds, what
    may unlock; ``minutes`` of each session key as its first week doses it."""
    lines = [f"{program.name}: {program.title}"]
    lines += wrap(program.description, width) if program.description else []
    lines.append("")
    letters = program.letters()
    columns = [Column("Week", right=False), Column("Days 1-7"), Column("Hold a side"),
               Column("Level"), Column("Self-test", wrap=True, least=8)]
    rows = []
    last = len(program.weeks)
    for number, week in enumerate(program.weeks, 1):
        days = " ".join("-" if day == REST else letters[day] for day in week.days)
        tests = []
        if week.test:
            tests.append("before day 1")
        if number == last and program.final_test:
            tests.append("and after day 7" if week.test else "after day 7")
        rows.append([(str(number), ""), (days, ""), (f"{week.hold} s", ""), (week.level, ""),
                     (", ".join(tests), "")])
    lines += [plain(line) for line in table(columns, rows, width)]
    lines.append("")
    for kind in program.sessions:
        length = f" (about {minutes[kind.key]} min)" if kind.key in minutes else ""
        text = wrap(f"{kind.label}: {kind.routine}{length}", width - 3)
        lines += [f"{letters[kind.key]}  {text[0]}", *("   " + more for more in text[1:])]
    lines.append("-  rest day (a day you miss counts as one)")
    if program.focus:
        lines += ["", *wrap(f"Hold a side: the time in each hip stretch ({', '.join(program.focus)}"
                            "), per side, as one hold or two.", width)]
    if program.variations:
        earliest = min(v.from_week for v in program.variations)
        lines += ["", *wrap("May unlock, one stretch and one move a week at most, once the "
                            f"basic feels easy, never before week {earliest}:", width)]
        names = {s.slug: s.name for s in catalogue}
        rows = []
        for variation in program.variations:
            if variation.instead_of:
                where = f"instead of {variation.instead_of}"
            else:
                sessions = ", ".join(letters[k] for k in variation.add_to)
                after = f"after {variation.after}" if variation.after else "at the end"
                where = f"added {after} ({sessions})"
            rows.append([(f"from week {variation.from_week}", ""),
                         (names.get(variation.stretch, variation.stretch), ""), (where, "")])
        inner = [Column(""), Column("", clip=True, least=10), Column("", wrap=True, least=10)]
        lines += ["  " + plain(line) for line in table(inner, rows, width - 2, header=False)]
    lines.append("")
    if program.deload is not None:
        lines += wrap("An easier week comes in when your check-ins ask for one (at most two).",
                      width)
    lines += wrap("Pain always comes first: see \"Pain comes first\" in the README.", width)
    lines.append(f"'psoas program start {program.name}' begins it.")
    return "\n".join(lines)


# -- psoas program status ------------------------------------------------------------------

def status_text(today: Today, program: Program, catalogue: Catalogue, *, now: date,
                minutes: int | None, changed: bool = False, width: int = 80) -> str:
    names = {s.slug: s.name for s in catalogue}
    head = f"{program.name}: "
    started = day_text(today.start, now)
    missed = f"; {_count(today.missed, 'day')} missed" if today.missed else ""
    if today.status == PAUSED:
        head += f"paused at {week_text(today)} (started {started}{missed})"
    elif today.status == FINISHED:
        head += f"finished, {today.weeks} weeks (started {started}{missed})"
    else:
        head += f"{week_text(today)}, day {today.day} of 7 (started {started}{missed})"
    rows: list[tuple[str, str]] = []
    if today.status == PLAY:
        length = f", {minutes} min" if minutes else ""
        test = "self-test and " if today.test_due else ""
        rows.append(("Today", f"{test}{today.label_text()}{length}: 'psoas program next' "
                              "plays it"))
    elif today.status == DONE:
        rows.append(("Today", f"{today.label} done; next: {today.next_label}"))
    elif today.status == RESTING:
        rows.append(("Today", f"rest day; next: {today.next_label}"))
    elif today.status == FINISHED:
        rows.append(("Today", "take the final test with 'psoas test'" if today.test_due
                     else "the program is done: well done"))
    if today.coming and today.status in (PLAY, DONE, RESTING):
        rows.append(("Then", ", ".join(today.coming)))
    if today.status in (PLAY, DONE, RESTING):
        rows.append(("Holds", _holds(today, program)))
        rows.append(("Tighter", _tighter(today, now)))
        rows.append(("Unlocked", _unlocked(today, program, names)))
        rows.append(("Self-test", _tests(today, program, now)))
    rows.append(("Pain", _pain(today, now)))
    if today.deload and today.status in (PLAY, DONE, RESTING):
        rows.append(("Week", "an easier week (your check-ins went up); the planned week "
                             "follows it"))
    if today.welcome:
        days, restarted = today.welcome
        rows.append(("Back", f"after {days} days off, week {today.week} starts again"
                     if restarted else
                     f"after {days} days off, the next 2 sessions are a little lighter"))
    elif today.eased:
        rows.append(("Back", "the next sessions are a little lighter, after days off"))
    if changed:
        rows.append(("Note", "the program file changed since you started; this follows it "
                             "now"))
    if today.finish and today.status in (PLAY, DONE, RESTING):
        rows.append(("Finish", f"about {day_text(today.finish, now)}, if no more days are "
                               "missed"))
    columns = [Column(""), Column("", wrap=True, least=20)]
    lines = wrap(head, width)
    lines += [plain(line) for line in table(columns, [[(a, ""), (b, "")] for a, b in rows],
                                            width, header=False)]
    if today.status == PAUSED:
        lines += [*pause_lines(today)]
    return "\n".join(lines)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _holds(today: Today, program: Program) -> str:
    if today.gentle:
        return f"gentle for now ({today.gentle_left} more), without the program's holds"
    text = f"{today.hold} s a side in each hip stretch"
    if today.eased:
        text += " (a little lighter after days off)"
    if today.next_hold:
        week, hold = today.next_hold
        text += f"; {hold} s from week {week}"
    return text


def _tighter(today: Today, now: date) -> str:
    evidence = today.evidence
    side = today.tighter or "neither side"
    if evidence is None:
        return "not known yet: 'psoas test' checks each side"
    if evidence.source == "test":
        (left, right), = evidence.values
        return f"{side}, from your test on {short_day(evidence.day, now)} (left {left}, " \
               f"right {right})"
    lefts = " ".join(str(v[0]) for v in evidence.values)
    rights = " ".join(str(v[1]) for v in evidence.values)
    return f"{side}, from your last 3 check-ins (left {lefts}, right {rights})"


def _unlocked(today: Today, program: Program, names: Mapping[str, str]) -> str:
    if today.unlocked:
        weeks = {slug: since for slug, since in today.unlocked}
        return ", ".join(f"{names.get(slug, slug)} (since {short_day(since, since)})"
                         for slug, since in weeks.items())
    if not program.variations:
        return "nothing: this program has no deeper stretches"
    earliest = min(v.from_week for v in program.variations)
    return f"nothing yet: from week {earliest}, once the basic stretches feel easy"


def _tests(today: Today, program: Program, now: date) -> str:
    taken = f"taken {short_day(today.tests[-1][0], now)}" if today.tests else "none yet"
    if today.test_due:
        return f"{taken}; due now: 'psoas program next' offers it first"
    later = [n for n, week in enumerate(program.weeks, 1) if week.test and n > today.week]
    if later:
        return f"{taken}; next at the start of week {later[0]}"
    if program.final_test:
        return f"{taken}; next once the last week is done"
    return taken


def _pain(today: Today, now: date) -> str:
    if today.status == PAUSED and today.paused_on is not None:
        why = "sharp pain, numbness or tingling" if today.pause_reason == RED_FLAG \
            else "pain came back"
        return f"paused since {short_day(today.paused_on, now)}: {why}; see a physical " \
               "therapist"
    if today.gentle_left and today.flags:
        return f"noted {short_day(today.flags[-1], now)}: the next {today.gentle_left} " \
               f"sessions are gentle"
    if today.flags:
        return f"last noted {short_day(today.flags[-1], now)}"
    return "none noted"


def new_lines(today: Today, program: Program, names: Mapping[str, str],
              played: Collection[str]) -> list[str]:
    """L-NEW for each unlocked variation today's session (``played``: its
    stretches) plays for the first time."""
    lines = []
    for slug in today.new:
        if slug not in played:
            continue
        variation = program.variation(slug)
        if variation.instead_of:
            lines += [NEW.format(name=names.get(slug, slug)),
                      REPLACES.format(name=names.get(variation.instead_of,
                                                     variation.instead_of))]
        else:
            after = names.get(variation.after, variation.after).lower() if variation.after \
                else "rest"
            lines.append(NEW_ADDED.format(name=names.get(slug, slug), after=after))
    return lines


