"""The busy times of a local calendar: the events of iCalendar (.ics) text, with
their repeats, as spans of unix time.  Pure Python: the text comes in, spans go
out; reading the files is files/calendars.py.

Read by hand rather than with the icalendar and recurring-ical-events
packages: psoas needs one question answered, "is the user in a meeting now,
and until when", and those two cost 240-520 ms to import and over 5 s to
read and expand a 530 KB calendar of 3,000 events on the development
machine, against a few milliseconds here (tests/test_ical.py has the cases).

What is read (RFC 5545):

* VEVENT with DTSTART and DTEND or DURATION; a date (VALUE=DATE) is an
  all-day event in local time, a time with Z is UTC, with TZID= in that
  zone (an IANA name, or the file's own VTIMEZONE, as Outlook writes them),
  and without either in local time;
* repeats: RRULE with FREQ=DAILY, WEEKLY, MONTHLY or YEARLY, INTERVAL,
  COUNT, UNTIL, BYDAY (with 1MO, -1FR...), BYMONTHDAY, BYMONTH, BYSETPOS
  and WKST; RDATE; EXDATE; RECURRENCE-ID (one occurrence moved or
  cancelled);
* what is not time taken: STATUS:CANCELLED, TRANSP:TRANSPARENT (free), and
  all-day events unless marked busy (TRANSP:OPAQUE): a birthday or a
  holiday in the calendar is no meeting to keep quiet for.

A repeat rule with parts beyond these (BYWEEKNO, BYYEARDAY, BYHOUR...,
FREQ=HOURLY) keeps only its first occurrence and is counted in
``Calendar.unread``, so the caller can say so once.
"""

from __future__ import annotations

import calendar as cal
import io
import re
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import NamedTuple

from psoas_cli import limits

try:
    import zoneinfo
except ImportError:  # pragma: no cover - Python 3.8 has none; psoas needs 3.10
    zoneinfo = None  # type: ignore[assignment]

DAY = timedelta(days=1)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
Wall = Callable[[datetime], float]  # a naive wall-clock time in some zone -> unix time


class Span(NamedTuple):
    start: float
    end: float


def local_wall(moment: datetime) -> float:
    """Unix time of a naive local wall-clock time (the TZ variable)."""
    return time.mktime((moment.year, moment.month, moment.day, moment.hour, moment.minute,
                        moment.second, 0, 0, -1))


def utc_wall(moment: datetime) -> float:
    return float(cal.timegm(moment.timetuple()))


def iana_zone(name: str) -> Wall | None:
    """The zone ``name`` from the system's time-zone database, if it has it;
    Thunderbird's old '/mozilla.org/20050126_1/Europe/Paris' is read too."""
    if zoneinfo is None:
        return None
    for candidate in (name, "/".join(name.split("/")[-2:]), name.split("/")[-1]):
        try:
            zone: tzinfo = zoneinfo.ZoneInfo(candidate)
        except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
            continue
        return _zone_wall(zone)
    return None


def _zone_wall(zone: tzinfo) -> Wall:
    def wall(moment: datetime) -> float:
        return moment.replace(tzinfo=zone).timestamp()

    return wall


def _utc_zones(name: str) -> Wall:
    return utc_wall


# -- lines and values ---------------------------------------------------------------------

class Line(NamedTuple):
    name: str
    params: dict[str, str]
    value: str


_NAME_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"
_PARAM = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^;:,"]*(?:,(?:"[^"]*"|[^;:,"]*))*)')


def lines(text: str) -> Iterator[Line]:
    """Content lines, unfolded, as (NAME, {PARAM: value}, value)."""
    for item in _unfolded(text):
        name_end = len(item) - len(item.lstrip(_NAME_CHARACTERS))
        name, rest, params = item[:name_end].upper(), item[name_end:], {}
        while rest.startswith(";"):
            match = _PARAM.match(rest)
            if not match:
                break
            params[match.group(1).upper()] = match.group(2).strip('"')
            rest = rest[match.end():]
        if name and rest.startswith(":"):
            yield Line(name, params, rest[1:])


def _unfolded(text: str) -> Iterator[str]:
    """The logical lines of ``text``: a line that starts with a space or a tab
    goes on the one before.  Linear in time, and a few copies of the text in
    memory, however many lines are folded."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\n ", "").replace("\n\t", "")
    for line in io.StringIO(text):  # one line at a time, not a list of all
        yield line.rstrip("\n")


_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})$")
_DATETIME = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")
_DURATION = re.compile(r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


class When(NamedTuple):
    """A DTSTART-like value: the wall-clock time, whether it is a date, and its zone."""

    wall: datetime
    all_day: bool
    zone: Wall

    @property
    def unix(self) -> float:
        return self.zone(self.wall)


def parse_when(value: str, params: dict[str, str], zones: Callable[[str], Wall]) -> When:
    """A date or a date-time; ValueError if it is neither."""
    value = value.strip()
    match = _DATETIME.match(value)
    if match and params.get("VALUE", "DATE-TIME").upper() != "DATE":
        y, mo, d, h, mi, s, z = match.groups()
        wall = datetime(int(y), int(mo), int(d), int(h), int(mi), min(int(s), 59))
        zone = utc_wall if z else zones(params["TZID"]) if "TZID" in params else local_wall
        return When(wall, False, zone)
    match = _DATE.match(value)
    if match:
        y, mo, d = (int(part) for part in match.groups())
        return When(datetime(y, mo, d), True, local_wall)
    raise ValueError(f"not a date or time: {value[:40]!r}")


def parse_duration(value: str) -> timedelta:
    match = _DURATION.match(value.strip())
    if not match or value.strip() in ("P", "PT", "-P", "+P"):
        raise ValueError(f"not a duration: {value[:40]!r}")
    sign, weeks, days, hours, minutes, seconds = match.groups()
    span = timedelta(weeks=int(weeks or 0), days=int(days or 0), hours=int(hours or 0),
                     minutes=int(minutes or 0), seconds=int(seconds or 0))
    return -span if sign == "-" else span


# -- repeat rules --------------------------------------------------------------------------------

_KNOWN = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS",
          "WKST"}
_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


class Rule(NamedTuple):
    freq: str
    interval: int
    times: int | None  # COUNT
    until: When | None
    by_day: tuple[tuple[int, int], ...]  # (ordinal or 0, weekday 0-6)
    by_month_day: tuple[int, ...]
    by_month: tuple[int, ...]
    by_set_pos: tuple[int, ...]
    week_start: int


def parse_rule(value: str, zones: Callable[[str], Wall]) -> Rule | None:
    """A repeat rule, or None when it has parts psoas does not read."""
    parts = dict(part.partition("=")[::2] for part in value.upper().split(";") if part)
    if set(parts) - _KNOWN or parts.get("FREQ") not in _FREQS:
        return None

    def numbers(key: str, low: int, high: int) -> tuple[int, ...]:
        found = tuple(int(n) for n in parts.get(key, "").split(",") if n)
        if any(not low <= abs(n) <= high for n in found):
            raise ValueError(f"{key} out of range")
        return found

    try:
        by_day = []
        for item in filter(None, parts.get("BYDAY", "").split(",")):
            match = _BYDAY.match(item)
            if not match:
                return None
            by_day.append((int(match.group(1) or 0), WEEKDAYS.index(match.group(2))))
        until = parse_when(parts["UNTIL"], {}, zones) if "UNTIL" in parts else None
        interval = int(parts.get("INTERVAL", "1"))
        count = int(parts["COUNT"]) if "COUNT" in parts else None
        if not 1 <= interval <= limits.CALENDAR_INTERVAL or (count is not None and count < 1):
            return None  # (an interval of thousands of years: only the first time counts)
        return Rule(parts["FREQ"], interval, count, until, tuple(by_day),
                    numbers("BYMONTHDAY", 1, 31), numbers("BYMONTH", 1, 12),
                    numbers("BYSETPOS", 1, 366),
                    WEEKDAYS.index(parts.get("WKST", "MO")) if parts.get("WKST", "MO")
                    in WEEKDAYS else 0)
    except ValueError:
        return None


def _month_days(year: int, month: int) -> int:
    return cal.monthrange(year, month)[1]


def _nth_weekdays(days: list[date], weekday: int, ordinal: int) -> list[date]:
    matching = [d for d in days if d.weekday() == weekday]
    if ordinal == 0:
        return matching
    index = ordinal - 1 if ordinal > 0 else ordinal
    return [matching[index]] if -len(matching) <= index < len(matching) else []


def _in_month(rule: Rule, year: int, month: int, first: date) -> list[date]:
    """The days of one month that the rule's BYMONTHDAY and BYDAY pick."""
    length = _month_days(year, month)
    days = [date(year, month, n) for n in range(1, length + 1)]
    picked = set(days) if rule.by_day or rule.by_month_day else set()
    if rule.by_month_day:
        picked &= {date(year, month, n if n > 0 else length + 1 + n)
                   for n in rule.by_month_day if -length <= n <= length and n}
    if rule.by_day:
        picked &= {d for ordinal, weekday in rule.by_day
                   for d in _nth_weekdays(days, weekday, ordinal)}
    if not rule.by_day and not rule.by_month_day:
        picked = {date(year, month, first.day)} if first.day <= length else set()
    return sorted(picked)


def _period_days(rule: Rule, first: date, index: int) -> list[date]:
    """The days the rule picks in its ``index``-th period after the first."""
    step = index * rule.interval
    if rule.freq == "DAILY":
        day = first + timedelta(days=step)
        days = [day]
        if rule.by_day:
            days = [d for d in days if d.weekday() in {w for _, w in rule.by_day}]
        if rule.by_month_day:
            length = _month_days(day.year, day.month)
            wanted = {n if n > 0 else length + 1 + n for n in rule.by_month_day}
            days = [d for d in days if d.day in wanted]
    elif rule.freq == "WEEKLY":
        week = first - timedelta(days=(first.weekday() - rule.week_start) % 7)
        week += timedelta(weeks=step)
        weekdays = {w for _, w in rule.by_day} or {first.weekday()}
        days = [week + timedelta(days=n) for n in range(7)
                if (week + timedelta(days=n)).weekday() in weekdays]
    elif rule.freq == "MONTHLY":
        months = first.month - 1 + step
        year, month = first.year + months // 12, months % 12 + 1
        days = _in_month(rule, year, month, first)
    else:  # YEARLY
        year = first.year + step
        if rule.by_day and not rule.by_month and not rule.by_month_day:
            every = [date(year, 1, 1) + timedelta(days=n)
                     for n in range(366 if cal.isleap(year) else 365)]
            days = sorted({d for ordinal, weekday in rule.by_day
                           for d in _nth_weekdays(every, weekday, ordinal)})
        else:
            days = [d for month in (rule.by_month or (first.month,))
                    for d in _in_month(rule, year, month, first)]
    if rule.by_month:
        days = [d for d in days if d.month in rule.by_month]
    if rule.by_set_pos:
        days = [days[p - 1 if p > 0 else p] for p in rule.by_set_pos
                if -len(days) <= (p - 1 if p > 0 else p) < len(days)]
        days = sorted(set(days))
    return days


def _period_start(rule: Rule, first: date, index: int) -> date:
    """About where the ``index``-th period begins (its first day or earlier)."""
    step = index * rule.interval
    if rule.freq == "DAILY":
        return first + timedelta(days=step)
    if rule.freq == "WEEKLY":
        return first + timedelta(weeks=step) - timedelta(days=6)
    months = first.month - 1 + step if rule.freq == "MONTHLY" else (first.month - 1) + 12 * step
    return date(min(first.year + months // 12, 9999), 1, 1) if rule.freq == "YEARLY" \
        else date(min(first.year + months // 12, 9999), months % 12 + 1, 1)


def _one_a_period(rule: Rule) -> bool:
    """Whether each period of the rule holds exactly one occurrence."""
    return rule.freq in ("DAILY", "WEEKLY") and not (rule.by_day or rule.by_month_day
                                                     or rule.by_month or rule.by_set_pos)


def _skip(rule: Rule, first: date, until: date) -> int:
    """How many whole periods may be skipped to get near ``until`` (with a COUNT,
    only when each period holds one occurrence, so that they can be counted)."""
    if (rule.times is not None and not _one_a_period(rule)) or until <= first:
        return 0
    if rule.freq == "DAILY":
        periods = (until - first).days // rule.interval
    elif rule.freq == "WEEKLY":
        periods = (until - first).days // 7 // rule.interval
    elif rule.freq == "MONTHLY":
        periods = ((until.year - first.year) * 12 + until.month - first.month) // rule.interval
    else:
        periods = (until.year - first.year) // rule.interval
    return max(0, periods - 1)


class Budget:
    """How many periods of repeat rules may still be looked at for one answer."""

    def __init__(self, periods: int | None = None) -> None:
        self.left = limits.CALENDAR_PERIODS if periods is None else periods
        self.spent = False  # some rule was not followed to the end for want of it


def starts(first: When, rule: Rule, after: datetime, before: datetime,
           budget: Budget | None = None) -> Iterator[datetime]:
    """The wall-clock starts of a repeated event from ``first`` on, those that are
    not before ``after`` and before ``before``, in order; ``first`` itself is
    always the first occurrence (and counts towards COUNT).  At most
    CALENDAR_RULE_PERIODS periods are looked at, and no more than ``budget`` has."""
    begin = first.wall
    clock = begin.time()
    until_unix = rule.until.unix if rule.until is not None and not rule.until.all_day else None
    until_day = rule.until.wall.date() if rule.until is not None and rule.until.all_day else None
    counted = 0
    skipped = _skip(rule, begin.date(), after.date())
    if skipped == 0:
        counted = 1
        if after <= begin < before:
            yield begin
    else:
        counted = skipped if rule.times is not None else 0  # one in each period skipped
    for index in range(skipped, skipped + limits.CALENDAR_RULE_PERIODS):
        if _period_start(rule, begin.date(), index) > before.date():
            return  # also ends a rule that picks nothing, such as 30 February
        if budget is not None:
            if budget.left <= 0:
                budget.spent = True
                return
            budget.left -= 1
        for day in _period_days(rule, begin.date(), index):
            moment = datetime.combine(day, clock)
            if moment <= begin:
                continue
            if until_unix is not None and first.zone(moment) > until_unix:
                return
            if until_day is not None and day > until_day:
                return
            counted += 1
            if rule.times is not None and counted > rule.times:
                return
            if moment >= before:
                return
            if moment >= after:
                yield moment


# -- the calendar ----------------------------------------------------------------------------

class Event(NamedTuple):
    start: When
    length: timedelta
    rule: Rule | None
    extra: tuple[When, ...]  # RDATE
    skipped: frozenset[float]  # EXDATE and moved occurrences, as unix times of their starts


class Calendar:
    """The busy events of some .ics texts."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.unread = 0  # repeating events whose rule psoas does not read (first time kept)
        self.broken = 0  # events left out for a value psoas could not read
        self.deep = 0  # texts read no further for parts nested over CALENDAR_DEPTH deep
        self.more = False  # events were left out past CALENDAR_EVENTS
        self.cut = False  # some repeats were not followed, past CALENDAR_PERIODS

    def add(self, text: str, *, zones: Callable[[str], Wall | None] = iana_zone) -> None:
        """Read the events of one .ics text."""
        found = _read(text, zones, limits.CALENDAR_EVENTS - len(self.events))
        self.events += found.events
        self.unread += found.unread
        self.broken += found.broken
        self.deep += found.deep
        self.more = self.more or found.more

    def spans(self, start: float, end: float) -> list[Span]:
        """The busy spans that overlap ``start`` to ``end``, merged, in order.  An
        event whose times run off the calendar (past the year 9999) is left out
        and counted as broken."""
        found, kept, budget = [], [], Budget()
        for event in self.events:
            try:
                found += [span for span in _spans_of(event, start, end, budget)
                          if span.end > start and span.start < end]
            except (OverflowError, ValueError):
                self.broken += 1
                continue
            kept.append(event)
        self.events = kept
        self.cut = self.cut or budget.spent
        return merge(found)


def merge(spans: list[Span]) -> list[Span]:
    """Spans that overlap or touch, as one."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged


def busy_until(spans: list[Span], now: float) -> float | None:
    """The end of the busy span ``now`` is in, or None."""
    for span in spans:
        if span.start <= now < span.end:
            return span.end
    return None


def _spans_of(event: Event, start: float, end: float, budget: Budget) -> Iterator[Span]:
    zone = event.start.zone
    margin = event.length + 2 * DAY  # zone offsets and the event's own length
    after = _utc(start) - margin
    before = _utc(end) + 2 * DAY
    moments: list[datetime] = []
    if event.rule is None:
        moments.append(event.start.wall)
    else:
        moments += starts(event.start, event.rule, after, before, budget)
    moments += [w.wall for w in event.extra]
    for wall in moments:
        begin = zone(wall)
        if begin in event.skipped:
            continue
        yield Span(begin, zone(wall + event.length) if event.start.all_day
                   else begin + event.length.total_seconds())


def _utc(unix: float) -> datetime:
    return datetime.fromtimestamp(max(unix, 0.0), timezone.utc).replace(tzinfo=None)


class Read(NamedTuple):
    events: list[Event]
    unread: int  # repeat rules psoas does not read
    broken: int  # events left out
    deep: int  # 1 if the text was read no further for parts nested too deeply
    more: bool  # the text had more than ``room`` events: the rest are left out


def _read(text: str, zones: Callable[[str], Wall | None], room: int) -> Read:
    """The events of one text, at most ``room`` of them; no further than parts
    nested CALENDAR_DEPTH deep."""
    defined: dict[str, list[dict[str, list[Line]]]] = {}  # VTIMEZONE TZID -> observances
    raw_events: list[dict[str, list[Line]]] = []
    stack: list[str] = []
    current: dict[str, list[Line]] | None = None
    tz_id = ""
    observance: dict[str, list[Line]] | None = None
    deep, more = 0, False
    for item in lines(text):
        if item.name == "BEGIN":
            if len(stack) >= limits.CALENDAR_DEPTH:
                deep = 1
                break
            kind = item.value.strip().upper()
            if kind == "VEVENT" and len(raw_events) >= room:
                more = True
                break
            stack.append(kind)
            if kind == "VEVENT" and (len(stack) == 1 or stack[:-1] == ["VCALENDAR"]):
                current = {}
            elif kind == "VTIMEZONE":
                tz_id = ""
            elif kind in ("STANDARD", "DAYLIGHT") and stack[-2:-1] == ["VTIMEZONE"]:
                observance = {}
            continue
        if item.name == "END":
            kind = stack.pop() if stack else ""
            if kind == "VEVENT" and current is not None and stack in (["VCALENDAR"], []):
                raw_events.append(current)
                current = None
            elif kind in ("STANDARD", "DAYLIGHT") and observance is not None:
                defined.setdefault(tz_id, []).append(observance)
                observance = None
            continue
        if not stack:
            continue
        if stack[-1] == "VEVENT" and current is not None:
            current.setdefault(item.name, []).append(item)
        elif stack[-1] == "VTIMEZONE" and item.name == "TZID":
            tz_id = item.value.strip()
        elif stack[-1] in ("STANDARD", "DAYLIGHT") and observance is not None:
            observance.setdefault(item.name, []).append(item)

    cache: dict[str, Wall] = {}

    def zone_of(name: str) -> Wall:
        if name not in cache:
            cache[name] = zones(name) or (_defined_zone(defined[name]) if name in defined
                                          else None) or local_wall
        return cache[name]

    return Read(*_events(raw_events, zone_of), deep, more)


def _events(raw: list[dict[str, list[Line]]],
            zone_of: Callable[[str], Wall]) -> tuple[list[Event], int, int]:
    events, unread, broken = [], 0, 0
    moved: dict[str, set[float]] = {}
    masters: list[tuple[str, dict[str, list[Line]]]] = []
    singles: list[dict[str, list[Line]]] = []
    for props in raw:
        uid = _value(props, "UID")
        if "RECURRENCE-ID" in props:
            try:
                rid = props["RECURRENCE-ID"][0]
                moved.setdefault(uid, set()).add(parse_when(rid.value, rid.params, zone_of).unix)
            except ValueError:
                broken += 1
                continue
            singles.append(props)
        else:
            masters.append((uid, props))
    for uid, props in masters + [("", p) for p in singles]:
        if _value(props, "STATUS").upper() == "CANCELLED":
            continue
        try:
            event, rule_unread = _event(props, zone_of, moved.get(uid, set()) if uid else set())
        except (ValueError, KeyError, OverflowError):
            broken += 1
            continue
        unread += rule_unread
        if event is not None:
            events.append(event)
    return events, unread, broken


def _value(props: dict[str, list[Line]], name: str) -> str:
    return props[name][0].value.strip() if name in props else ""


def _event(props: dict[str, list[Line]], zone_of: Callable[[str], Wall],
           moved: set[float]) -> tuple[Event | None, int]:
    first = props["DTSTART"][0]
    start = parse_when(first.value, first.params, zone_of)
    transp = _value(props, "TRANSP").upper()
    if transp == "TRANSPARENT" or (start.all_day and transp != "OPAQUE"):
        return None, 0
    if "DTEND" in props:
        end_line = props["DTEND"][0]
        end = parse_when(end_line.value, end_line.params, zone_of)
        length = timedelta(seconds=end.unix - start.unix) if not start.all_day \
            else end.wall - start.wall
    elif "DURATION" in props:
        length = parse_duration(_value(props, "DURATION"))
    else:
        length = DAY if start.all_day else timedelta(0)
    if length <= timedelta(0):
        return None, 0  # a moment, not a span of time
    if length > timedelta(days=limits.CALENDAR_EVENT_DAYS):
        raise ValueError("an event too long to be a meeting")
    rule, unread = None, 0
    if "RRULE" in props:
        rule = parse_rule(_value(props, "RRULE"), zone_of)
        unread = rule is None
    extra = tuple(parse_when(value, line.params, zone_of)
                  for line in props.get("RDATE", []) if line.params.get("VALUE") != "PERIOD"
                  for value in line.value.split(","))
    skipped = set(moved)
    for line in props.get("EXDATE", []):
        for value in line.value.split(","):
            when = parse_when(value, line.params, zone_of)
            if when.all_day and not start.all_day:  # a date excludes that day's occurrence
                skipped.add(start.zone(datetime.combine(when.wall.date(), start.wall.time())))
            else:
                skipped.add(when.unix if not start.all_day else start.zone(when.wall))
    return Event(start, length, rule, extra, frozenset(skipped)), int(unread)


def _defined_zone(observances: list[dict[str, list[Line]]]) -> Wall | None:
    """A zone from a VTIMEZONE: each STANDARD or DAYLIGHT part says from when
    (DTSTART, repeated by its RRULE or RDATEs) which offset (TZOFFSETTO) holds."""
    parts = []
    for props in observances:
        try:
            onset = parse_when(_value(props, "DTSTART"), {}, _utc_zones).wall
            offset = _offset(_value(props, "TZOFFSETTO"))
            rule = parse_rule(_value(props, "RRULE"), lambda name: utc_wall) \
                if "RRULE" in props else None
            dates = [parse_when(v, {}, _utc_zones).wall for line in props.get("RDATE", [])
                     for v in line.value.split(",")]
        except ValueError:
            continue
        parts.append((onset, offset, rule, dates))
    if not parts:
        return None

    def wall(moment: datetime) -> float:
        best: tuple[datetime, timedelta] | None = None
        window = (moment - timedelta(days=800), moment + DAY)
        for onset, offset, rule, dates in parts:
            times = [onset] + dates
            if rule is not None:
                times += list(starts(When(onset, False, utc_wall), rule, *window))
            for t in times:
                if t <= moment and (best is None or t > best[0]):
                    best = (t, offset)
        offset = best[1] if best is not None else parts[0][1]
        return utc_wall(moment - offset)

    return wall


def _offset(text: str) -> timedelta:
    match = re.fullmatch(r"([+-])(\d{2})(\d{2})(\d{2})?", text.strip())
    if not match:
        raise ValueError(f"not an offset: {text[:20]!r}")
    sign, hours, minutes, seconds = match.groups()
    span = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
    return -span if sign == "-" else span

