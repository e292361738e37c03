"""The progress readings: one line each, from the history's records (pure).

The rules are readings.md's (the physical therapist's drafts of issue 23),
table-driven where they are tables: which side is tighter and for how long,
trends of back pain and hip tightness, changes in a test, when a re-test is
due, too little data, and "worse after stretching" repeatedly.  Arithmetic
is exact (ratios of whole numbers), and rounding for display is half up, never Python's
round.  Weeks are counted back from today, so a reading never changes
because a Monday came.  Only check-ins given *after* a routine feed the
readings; "before" ones serve the calm lines alone.

``alert_days`` is the one count of days "worse after stretching": issue
24's programs pause on the same function.

Test results are compared only with results of today's tests.yaml version:
``rescored`` re-scores older ones from their stored answers where the test
is still taken the same way; the others are kept (they count for "re-test
due" and "worse after stretching") and named as not compared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from psoas_cli.history.practice_records import CalmLineRow, CheckinRow, TestRecord
from psoas_cli.model.selftests import SelfTests
from psoas_cli.practice.dates import long_day, short_day
from psoas_cli.practice.exact import Ratio, mean
from psoas_cli.practice.scoring import current

WEEKS = 12  # the window when none is asked for, and always for `psoas` alone
CHANGE = 2  # a trend moves when the weekly means differ by this much
SIDE_GAP = 1  # a mean left - right of this much: that side is tighter
PAIRS_PER_WEEK = 2  # check-ins with both hips answered, for a week to count
TREND_DAYS = 4  # days with a value, at least, for a trend
TREND_SPAN = 14  # days from the first value to the last, at least
RECENT = 14  # the last value must be this recent; and the span of the alerts
ALERT_DAYS = 3  # days worse after stretching within RECENT: see a physical therapist
PAIN_ABOVE = 3  # checkins.yaml pain_above: back pain above this gets advice
AFTER_LINES = ("back-much-worse", "back-severe-after", "back-worse", "back-high-after",
               "hips-worse", "hip-worse")
ORDER = ("alerts", "side", "back", "hips", "hip-right", "hip-left")  # then tests, then due
NAMES = {"back": ("back pain", "no back pain to speak of"),
         "hips": ("hip tightness", "hips feel loose"),
         "hip-right": ("right hip tightness", "right hip feels loose"),
         "hip-left": ("left hip tightness", "left hip feels loose")}
EMPTY = ("no check-ins or tests yet: 'psoas test' checks your hips, and "
         "'psoas config set checkin after' asks how they feel")
TOO_FEW = "too few check-ins yet (a trend needs 4 days over 2 weeks)"
STALE = "no check-in in the last 2 weeks"


class Facts(NamedTuple):
    """What the readings read: the history's records, and today."""

    today: date
    checkins: Sequence[CheckinRow] = ()
    lines: Sequence[CalmLineRow] = ()
    tests: Sequence[TestRecord] = ()  # those in the window at least, oldest first
    last_test: TestRecord | None = None  # the latest ever taken
    weeks: int = WEEKS
    # The latest that sets when the next is due (a side scored, none hurt);
    # None: last_test, when it does.
    last_scored: TestRecord | None = None
    # Today's tests.yaml version: only results of it are compared (``rescored``
    # sets it); None compares every result as stored.
    version: int | None = None


def rescored(facts: Facts, tests: SelfTests) -> Facts:
    """``facts`` with each test result as today's tests.yaml scores it: re-scored
    from its answers where it can be (scoring.current), else as stored, and
    then never compared."""
    if facts.version == tests.version:
        return facts

    def one(test: TestRecord) -> TestRecord:
        return current(tests, test) or test

    return facts._replace(
        tests=tuple(one(t) for t in facts.tests),
        last_test=None if facts.last_test is None else one(facts.last_test),
        last_scored=None if facts.last_scored is None else one(facts.last_scored),
        version=tests.version)


def compared(facts: Facts, test: TestRecord) -> bool:
    """Whether ``test`` is compared: complete, and of today's version."""
    return test.complete and (facts.version is None or test.version == facts.version)


class Routine(NamedTuple):
    """One routine's after check-in: its day, the items answered, its calm line."""

    day: date
    at: float
    after: dict[str, int]
    line: CalmLineRow | None = None


def half_up(value: Ratio) -> int:
    """Round half up (2.5 -> 3), not Python's round-half-even."""
    return value.half_up()


def window_start(facts: Facts) -> date:
    return facts.today - timedelta(days=7 * facts.weeks - 1)


def in_window(facts: Facts, day: date) -> bool:
    return window_start(facts) <= day <= facts.today


def week_of(facts: Facts, day: date) -> int:
    return (facts.today - day).days // 7


def routines(facts: Facts) -> list[Routine]:
    """The after check-ins grouped by the routine they followed, oldest first."""
    found: dict[object, list[Any]] = {}  # key: [day, latest at, after values, line]
    for row in facts.checkins:
        if row.moment != "after":
            continue
        entry = found.setdefault(row.session or ("day", row.day), [row.day, row.at, {}, None])
        entry[2][row.item] = row.value
        if row.at > entry[1]:
            entry[1] = row.at
    for line in facts.lines:
        owner = found.get(line.session or ("day", line.day))
        if line.line in AFTER_LINES and owner is not None:
            owner[3] = line
    return sorted((Routine(*entry) for entry in found.values()), key=lambda r: (r.day, r.at))


def day_values(facts: Facts, item: str, checked: list[Routine]) -> dict[date, Ratio]:
    """Each day's mean of the after answers for ``item``, in the window."""
    sums: dict[date, tuple[int, int]] = {}
    for routine in checked:
        if item in routine.after and in_window(facts, routine.day):
            total, count = sums.get(routine.day, (0, 0))
            sums[routine.day] = (total + routine.after[item], count + 1)
    return {day: Ratio.of(t, n) for day, (t, n) in sorted(sums.items())}


# -- which side is tighter -------------------------------------------------------------------

def side_state(facts: Facts, checked: list[Routine], week: int) -> str | None:
    pairs = [r for r in checked if in_window(facts, r.day) and week_of(facts, r.day) == week
             and "hip-right" in r.after and "hip-left" in r.after]
    if len(pairs) < PAIRS_PER_WEEK:
        return None
    gap = sum(r.after["hip-left"] - r.after["hip-right"] for r in pairs)
    if gap >= SIDE_GAP * len(pairs):
        return "left"
    if gap <= -SIDE_GAP * len(pairs):
        return "right"
    return "even"


def side_from_checkins(facts: Facts, checked: list[Routine]) -> tuple[str, int, int] | None:
    """(state, weeks it has held, the week it starts from: 0 or 1), or None."""
    latest = next((w for w in (0, 1) if side_state(facts, checked, w) is not None), None)
    if latest is None:
        return None
    state = side_state(facts, checked, latest)
    run = 0
    for week in range(latest, facts.weeks):
        if side_state(facts, checked, week) != state:
            break
        run += 1
    return state, run, latest  # type: ignore[return-value]


SIDE_WORDS = {  # state: (run of 1 from this week, from last week, run of N)
    "left": ("left feels tighter than right this week",
             "left felt tighter than right last week",
             "left has been tighter than right for {n} weeks"),
    "right": ("right feels tighter than left this week",
              "right felt tighter than left last week",
              "right has been tighter than left for {n} weeks"),
    "even": ("both hips feel about the same this week",
             "both hips felt about the same last week",
             "both hips have felt about the same for {n} weeks"),
}


def scores(test: TestRecord) -> tuple[int, int]:
    """The right and left scores of a complete test."""
    right, left = test.score("right"), test.score("left")
    if right is None or left is None:
        raise ValueError("a test without both scores is not complete")
    return right, left


def latest_complete(facts: Facts) -> TestRecord | None:
    tests = [t for t in facts.tests if in_window(facts, t.day) and compared(facts, t)]
    return tests[-1] if tests else None


def has_any(facts: Facts, checked: list[Routine]) -> bool:
    return any(in_window(facts, r.day) for r in checked) or \
        any(in_window(facts, t.day) for t in facts.tests)


def side_reading(facts: Facts, checked: list[Routine]) -> str | None:
    found = side_from_checkins(facts, checked)
    if found:
        state, run, latest = found
        this_week, last_week, weeks = SIDE_WORDS[state]
        if run >= 2:
            return weeks.format(n=run)
        return this_week if latest == 0 else last_week
    test = latest_complete(facts)
    if test:
        when = long_day(test.day, facts.today)
        right, left = scores(test)
        if right == left:
            return f"both sides scored the same in your last test ({when})"
        tighter, other = ("left", "right") if left > right else ("right", "left")
        return f"{tighter} was tighter than {other} in your last test ({when})"
    if has_any(facts, checked):
        if hurt_last(facts) is not None:  # no test asked for while one hurts (due_reading says so)
            return "no side-by-side reading yet"
        return "no side-by-side reading yet: try 'psoas test'"
    return None


# -- trends ------------------------------------------------------------------------------------

class Trend(NamedTuple):
    kind: str  # down, up, steady; or few, stale
    start: int = 0  # the first week's mean, rounded half up
    end: int = 0  # the last week's
    first: date | None = None  # the first day with a value


def trend(facts: Facts, item: str, checked: list[Routine]) -> Trend | None:
    values = day_values(facts, item, checked)
    if not values:
        return None
    days = list(values)
    first, last = days[0], days[-1]
    if (facts.today - last).days >= RECENT:
        return Trend("stale")
    if len(days) < TREND_DAYS or (last - first).days < TREND_SPAN:
        return Trend("few")
    head = [v for d, v in values.items() if d <= first + timedelta(days=6)]
    tail = [v for d, v in values.items() if d >= last - timedelta(days=6)]
    start, end = mean(head), mean(tail)
    change = end - start
    kind = "down" if change <= -CHANGE else "up" if change >= CHANGE else "steady"
    return Trend(kind, half_up(start), half_up(end), first)


def trend_reading(facts: Facts, item: str, checked: list[Routine],
                  pain_above: int = PAIN_ABOVE) -> str | None:
    found = trend(facts, item, checked)
    if found is None:
        return None
    name, zero = NAMES[item]
    if found.kind == "stale":
        return f"{name}: {STALE}"
    if found.kind == "few":
        return f"{name}: {TOO_FEW}"
    assert found.first is not None  # a trend that moves, or holds, has a first day
    since = long_day(found.first, facts.today)
    if found.kind == "steady":
        return f"{zero} since {since}" if found.end == 0 else \
            f"{name} steady at about {found.end} since {since}"
    text = f"{name} {found.kind} from {found.start} to {found.end} since {since}"
    if item == "back" and found.kind == "up" and found.end > pain_above:
        text += "; ease off, and see a physical therapist if it persists"
    return text


# -- tests, and when the next is due -----------------------------------------------------------

def test_reading(facts: Facts, tests: SelfTests, slug: str) -> str | None:
    """A test's first result in the window against its latest (never another
    test's, nor one of another version); else, when the window has results
    not compared, which."""
    test = tests.get(slug)
    short = test.short if test else slug
    found = [t for t in facts.tests
             if t.slug == slug and in_window(facts, t.day) and compared(facts, t)]
    if len(found) < 2 or found[0].day == found[-1].day:
        apart = [t for t in facts.tests if t.slug == slug and in_window(facts, t.day)
                 and t.complete and not compared(facts, t)]
        if not apart:
            return None
        when = long_day(apart[-1].day, facts.today)
        if len(apart) == 1:
            return f"{short} on {when} was taken another way, so it is not compared"
        return f"{short} results until {when} were taken another way, so they are not compared"
    first, last = found[0], found[-1]

    def part(a: int, b: int) -> str:
        if b < a:
            return f"{a} to {b} (looser)"
        if b > a:
            return f"{a} to {b} (tighter)"
        return f"{b} (the same)"

    (first_right, first_left), (last_right, last_left) = scores(first), scores(last)
    return (f"{short} since {long_day(first.day, facts.today)}: right "
            f"{part(first_right, last_right)}, left {part(first_left, last_left)}")


def due(facts: Facts, tests: SelfTests) -> tuple[date, TestRecord] | None:
    """When the next test is due, from the latest that set it (any test, with a
    side scored and none that hurt): one stopped before a score, or one that
    hurt, moves nothing."""
    latest = _latest(facts, lambda t: t.sets_due)
    if latest is None or latest.day > facts.today:
        return None
    return latest.day + timedelta(days=tests.retest_days), latest


def _latest(facts: Facts, counts: Callable[[TestRecord], bool]) -> TestRecord | None:
    """The latest test ever taken that ``counts`` (of the latest ever, the
    latest that set a due date, and those in the window)."""
    found = [t for t in (*facts.tests, facts.last_test, facts.last_scored)
             if t is not None and counts(t)]
    return max(found, key=lambda t: (t.day, t.started_at), default=None)


def hurt_last(facts: Facts) -> TestRecord | None:
    """The latest test that hurt, when no later one has set a due date: no
    re-test is asked for until it doesn't hurt."""
    latest = _latest(facts, lambda t: t.hurt or t.sets_due)
    return latest if latest is not None and latest.hurt else None


def due_reading(facts: Facts, tests: SelfTests, checked: list[Routine]) -> str | None:
    hurt = hurt_last(facts)
    if hurt is not None:
        return (f"your last test, on {long_day(hurt.day, facts.today)}, hurt: leave it out "
                "until it doesn't, and if the pain stays, see a physical therapist")
    found = due(facts, tests)
    if found is None:
        return "no test yet: 'psoas test' takes about 5 minutes" \
            if has_any(facts, checked) else None
    when, latest = found
    if when <= facts.today:
        return (f"re-test due: your last test was on {long_day(latest.day, facts.today)} "
                f"('{tests.command(latest.slug)}')")
    return f"next test due on {long_day(when, facts.today)}"


# -- worse after stretching, repeatedly ----------------------------------------------------------

def alert_days(facts: Facts) -> int:
    """Distinct days in the last two weeks (today included) with a calm line
    given after a routine, or a test that hurt: the one count issue 24's
    programs pause on."""
    since = facts.today - timedelta(days=RECENT - 1)
    days = {line.day for line in facts.lines
            if line.line in AFTER_LINES and since <= line.day <= facts.today}
    days |= {t.day for t in facts.tests if t.hurt and since <= t.day <= facts.today}
    if facts.last_test is not None and facts.last_test.hurt and \
            since <= facts.last_test.day <= facts.today:
        days.add(facts.last_test.day)
    return len(days)


def alerts_reading(facts: Facts) -> str | None:
    count = alert_days(facts)
    if count < ALERT_DAYS:
        return None
    return f"worse after stretching on {count} days in 2 weeks: please see a physical therapist"


# -- every reading --------------------------------------------------------------------------------

def readings(facts: Facts, tests: SelfTests, pain_above: int = PAIN_ABOVE,
             checked: list[Routine] | None = None) -> dict[str, str]:
    """Every reading `psoas progress` shows, by kind, in display order (the bare
    phrases; ``sentence`` makes each a sentence).  ``checked``: ``routines(facts)``,
    when the caller has them already."""
    facts = rescored(facts, tests)
    if checked is None:
        checked = routines(facts)
    if not has_any(facts, checked):
        return {"empty": EMPTY}
    found: dict[str, str | None] = {"alerts": alerts_reading(facts),
                                    "side": side_reading(facts, checked)}
    for item in ("back", "hips", "hip-right", "hip-left"):
        found[item] = trend_reading(facts, item, checked, pain_above)
    for test in tests.tests:
        found[f"test:{test.slug}"] = test_reading(facts, tests, test.slug)
    found["due"] = due_reading(facts, tests, checked)
    return {kind: text for kind, text in found.items() if text}


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


# -- the one line of `psoas` alone ------------------------------------------------------------

LAST_TIME = {"back-much-worse": ("your back felt much worse after stretching",
                                 "Back much worse last time: go gently."),
             "back-severe-after": ("your back hurt a lot after stretching ({value} of 10)",
                                   "Back hurt a lot last time: go gently."),
             "back-worse": ("your back felt worse after stretching",
                            "Back worse last time: go gently."),
             "back-high-after": ("your back hurt after stretching ({value} of 10)",
                                 "Back hurt last time: go gently."),
             "hips-worse": ("your hips felt tighter after stretching",
                            "Hips tighter last time: go gently."),
             "hip-worse": ("your {hip} felt tighter after stretching",
                           "{Hip} tighter last time: go gently.")}


def home_line(facts: Facts, tests: SelfTests, width: int = 80, *,
              retest: bool = True) -> str | None:
    """The home page's one line: worse after stretching, else last time's calm
    line, else the latest test, the trend and a re-test due; None: nothing to say.
    ``retest``: False while a program runs, whose own line says when the test is due."""
    facts = rescored(facts, tests)
    count = alert_days(facts)
    if count >= ALERT_DAYS:
        return _fit([f"Worse after stretching on {count} days in 2 weeks: please see a "
                     "physical therapist.",
                     "Worse after stretching lately: see a physical therapist.",
                     "Please see a physical therapist."], width)
    checked = [r for r in routines(facts) if r.day <= facts.today]
    last = checked[-1] if checked else None
    if last is not None and last.line is not None and last.line.line in LAST_TIME and \
            (facts.today - last.day).days <= 1:
        hip = "left hip" if last.line.item == "hip-left" else "right hip"
        value = last.line.after if last.line.after is not None else last.after.get("back", "")
        reason, short = (text.replace("{value}", str(value)).replace("{hip}", hip)
                         .replace("{Hip}", hip.capitalize())
                         for text in LAST_TIME[last.line.line])
        return _fit([f"Last time {reason}: go gently today.", short],
                    width if width >= 80 else 0)
    test_long = test_short = None
    test = latest_complete(facts)
    if test:
        right, left = scores(test)
        if right == left:
            verdict = "both normal" if left == 0 else "both sides even"
        else:
            verdict = "left tighter" if left > right else "right tighter"
        test_short = f"test {short_day(test.day, facts.today)}: {verdict}"
        known = tests.get(test.slug)
        top = known.top if known is not None else "?"
        test_long = f"{test_short} (right {right}, left {left} of {top})"
    trend_part = _home_trend(facts, checked)
    found = due(facts, tests)
    due_part = "re-test due" if retest and found and found[0] <= facts.today \
        and hurt_last(facts) is None else None
    if not (test_long or trend_part or due_part):
        return None
    tries = [[test_long, trend_part, due_part], [test_short, trend_part, due_part],
             [test_short, due_part], [test_short], [trend_part], [due_part]]
    return _fit([sentence("; ".join(p for p in parts if p)) for parts in tries if any(parts)],
                width)


def _home_trend(facts: Facts, checked: list[Routine]) -> str | None:
    for item, name, zero in (("back", "back pain", "no back pain"),
                             ("hips", "hip tightness", "hips loose")):
        found = trend(facts, item, checked)
        if found and found.kind in ("down", "up", "steady"):
            if found.kind == "steady":
                return zero if found.end == 0 else f"{name} steady at {found.end}"
            return f"{name} {found.kind} {found.start} to {found.end}"
    side = side_from_checkins(facts, checked)
    if side and side[0] != "even":
        state, run, _ = side
        return f"{state} tighter for {run} weeks" if run >= 2 else f"{state} tighter lately"
    return None


def _fit(lines: list[str], width: int) -> str:
    """The first that fits; else the last, which the page wraps."""
    return next((line for line in lines if len(line) <= width), lines[-1])
