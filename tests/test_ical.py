"""The local calendar of psoas remind --calendar: events, repeats, all-day events,
time zones (breaks/ical.py), and the files read (files/calendars.py)."""

from __future__ import annotations

import calendar as cal
import os
import textwrap
import time
from datetime import datetime

import pytest

from psoas_cli import limits
from psoas_cli.breaks.ical import Calendar, Span, busy_until, iana_zone, merge
from psoas_cli.files import calendars

HOUR = 3600.0
needs_zones = pytest.mark.skipif(iana_zone("Europe/Paris") is None,
                                 reason="no time-zone database here")


@pytest.fixture(autouse=True)
def paris(tz):
    """Local time is Paris (a POSIX rule: no zone files needed)."""
    tz("CET-1CEST,M3.5.0,M10.5.0/3")


def utc(y, m, d, hh=0, mm=0) -> float:
    return float(cal.timegm((y, m, d, hh, mm, 0)))


def local(y, m, d, hh=0, mm=0) -> float:
    return time.mktime((y, m, d, hh, mm, 0, 0, 0, -1))


def ics(*events: str, extra: str = "") -> str:
    body = "".join(textwrap.dedent(event).strip() + "\n" for event in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{extra}{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n")


def event(*lines: str, uid: str = "x") -> str:
    return "\n".join(["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"])


def spans_of(text: str, start: float, end: float) -> list[Span]:
    found = Calendar()
    found.add(text)
    return found.spans(start, end)


def clocks(spans: list[Span]) -> list[str]:
    return [time.strftime("%a %d %H:%M", time.localtime(s.start)) + "-" +
            time.strftime("%H:%M", time.localtime(s.end)) for s in spans]


# -- single events -------------------------------------------------------------------------

def test_a_meeting_in_utc_in_local_time_and_folded_lines():
    text = ics(event("DTSTART:20260302T090000Z", "DTEND:20260302T100000Z",
                     "SUMMARY:A long title folded", " over two lines"),
               event("DTSTART:20260302T140000", "DURATION:PT30M", uid="y"))
    assert clocks(spans_of(text, local(2026, 3, 2), local(2026, 3, 3))) == [
        "Mon 02 10:00-11:00", "Mon 02 14:00-14:30"]


def test_busy_until_the_end_of_back_to_back_meetings():
    text = ics(event("DTSTART:20260302T100000", "DTEND:20260302T110000"),
               event("DTSTART:20260302T110000", "DTEND:20260302T113000", uid="y"),
               event("DTSTART:20260302T104500", "DTEND:20260302T105000", uid="z"))
    spans = spans_of(text, local(2026, 3, 2), local(2026, 3, 3))
    assert busy_until(spans, local(2026, 3, 2, 10, 45)) == local(2026, 3, 2, 11, 30)
    assert busy_until(spans, local(2026, 3, 2, 11, 30)) is None  # the end is free again
    assert busy_until(spans, local(2026, 3, 2, 9, 59)) is None


def test_free_cancelled_and_zero_length_events_take_no_time():
    text = ics(event("DTSTART:20260302T100000", "DTEND:20260302T110000", "TRANSP:TRANSPARENT"),
               event("DTSTART:20260302T120000", "DTEND:20260302T130000", "STATUS:CANCELLED",
                     uid="y"),
               event("DTSTART:20260302T140000", uid="z"))
    assert spans_of(text, local(2026, 3, 2), local(2026, 3, 3)) == []


def test_all_day_events_count_only_when_marked_busy():
    birthday = event("DTSTART;VALUE=DATE:20260302", "DTEND;VALUE=DATE:20260303",
                     "SUMMARY:Birthday")
    offsite = event("DTSTART;VALUE=DATE:20260303", "DTEND;VALUE=DATE:20260305",
                    "TRANSP:OPAQUE", uid="y")
    spans = spans_of(ics(birthday, offsite), local(2026, 3, 1), local(2026, 3, 6))
    assert spans == [Span(local(2026, 3, 3), local(2026, 3, 5))]  # local midnight to midnight
    one_day = event("DTSTART;VALUE=DATE:20260329", "TRANSP:OPAQUE")  # no end: one day
    assert spans_of(ics(one_day), local(2026, 3, 28), local(2026, 3, 31)) == [
        Span(local(2026, 3, 29), local(2026, 3, 30))]  # 23 hours: the clocks went forward


# -- time zones ----------------------------------------------------------------------------

@needs_zones
def test_a_meeting_in_new_york_time_is_at_its_hour_here():
    text = ics(event("DTSTART;TZID=America/New_York:20260302T090000",
                     "DTEND;TZID=America/New_York:20260302T093000"))
    assert clocks(spans_of(text, local(2026, 3, 2), local(2026, 3, 3))) == [
        "Mon 02 15:00-15:30"]


@needs_zones
def test_a_weekly_meeting_keeps_its_local_hour_across_a_daylight_saving_change():
    weekly = event("DTSTART;TZID=Europe/Paris:20260323T100000",
                   "DTEND;TZID=Europe/Paris:20260323T103000", "RRULE:FREQ=WEEKLY")
    assert clocks(spans_of(ics(weekly), local(2026, 3, 23), local(2026, 4, 1))) == [
        "Mon 23 10:00-10:30", "Mon 30 10:00-10:30"]  # clocks went forward on the 29th


def test_outlooks_own_time_zone_definitions_are_used():
    zone = textwrap.dedent("""\
        BEGIN:VTIMEZONE
        TZID:W. Europe Standard Time
        BEGIN:STANDARD
        DTSTART:16010101T030000
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:16010101T020000
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
        END:DAYLIGHT
        END:VTIMEZONE
        """)
    text = ics(event("DTSTART;TZID=W. Europe Standard Time:20260302T100000",
                     "DTEND;TZID=W. Europe Standard Time:20260302T110000"),
               event('DTSTART;TZID="W. Europe Standard Time":20260701T100000',
                     'DTEND;TZID="W. Europe Standard Time":20260701T110000', uid="y"),
               extra=zone)
    assert spans_of(text, utc(2026, 3, 1), utc(2026, 3, 3)) == [
        Span(utc(2026, 3, 2, 9), utc(2026, 3, 2, 10))]  # +01:00 in winter
    assert spans_of(text, utc(2026, 6, 30), utc(2026, 7, 2)) == [
        Span(utc(2026, 7, 1, 8), utc(2026, 7, 1, 9))]  # +02:00 in summer


def test_a_zone_nobody_knows_is_taken_as_local_time():
    text = ics(event("DTSTART;TZID=Mars/Olympus:20260302T100000",
                     "DTEND;TZID=Mars/Olympus:20260302T110000"))
    assert clocks(spans_of(text, local(2026, 3, 2), local(2026, 3, 3))) == [
        "Mon 02 10:00-11:00"]


# -- repeats ------------------------------------------------------------------------------

def week(rule: str, *more: str, start: str = "20260302T100000") -> list[str]:
    """The occurrences of a 30-minute event from Monday 2 March 2026 10:00, in March."""
    text = ics(event(f"DTSTART:{start}", "DURATION:PT30M", f"RRULE:{rule}", *more))
    return clocks(spans_of(text, local(2026, 3, 1), local(2026, 4, 1)))


def test_weekly_on_some_days_until_a_day_and_a_count():
    assert week("FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260311T235959Z") == [
        "Mon 02 10:00-10:30", "Wed 04 10:00-10:30", "Mon 09 10:00-10:30",
        "Wed 11 10:00-10:30"]
    assert week("FREQ=DAILY;COUNT=3") == [
        "Mon 02 10:00-10:30", "Tue 03 10:00-10:30", "Wed 04 10:00-10:30"]
    assert week("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=3") == [
        "Mon 02 10:00-10:30", "Tue 03 10:00-10:30", "Tue 17 10:00-10:30"]  # DTSTART counts


def test_exceptions_and_an_occurrence_moved_or_cancelled():
    assert week("FREQ=DAILY;COUNT=4", "EXDATE:20260303T100000,20260305T100000") == [
        "Mon 02 10:00-10:30", "Wed 04 10:00-10:30"]
    master = event("DTSTART:20260302T100000", "DURATION:PT30M", "RRULE:FREQ=DAILY;COUNT=3",
                   uid="standup")
    moved = event("RECURRENCE-ID:20260303T100000", "DTSTART:20260303T150000",
                  "DURATION:PT1H", uid="standup")
    cancelled = event("RECURRENCE-ID:20260304T100000", "DTSTART:20260304T100000",
                      "DURATION:PT30M", "STATUS:CANCELLED", uid="standup")
    assert clocks(spans_of(ics(master, moved, cancelled), local(2026, 3, 1),
                           local(2026, 4, 1))) == ["Mon 02 10:00-10:30", "Tue 03 15:00-16:00"]


def test_monthly_and_yearly_rules():
    assert week("FREQ=MONTHLY;BYDAY=2TU;COUNT=2")[1:] == ["Tue 10 10:00-10:30"]
    assert week("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=2")[1:] == [
        "Tue 31 10:00-10:30"]  # the last working day of the month
    assert week("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=2")[1:] == ["Tue 31 10:00-10:30"]
    assert week("FREQ=YEARLY;BYMONTH=3;BYDAY=-1FR")[1:] == ["Fri 27 10:00-10:30"]
    text = ics(event("DTSTART:20260131T100000", "DURATION:PT30M", "RRULE:FREQ=MONTHLY"))
    assert clocks(spans_of(text, local(2026, 3, 31), local(2026, 4, 1))) == [
        "Tue 31 10:00-10:30"]  # no 31 February: it skips to March


def test_a_daily_meeting_since_years_is_found_quickly_in_a_window_today():
    text = ics(event("DTSTART:20100104T093000", "DURATION:PT15M", "RRULE:FREQ=DAILY"))
    started = time.perf_counter()
    spans = spans_of(text, local(2026, 3, 2), local(2026, 3, 3))
    assert clocks(spans) == ["Mon 02 09:30-09:45"]
    assert time.perf_counter() - started < 0.5


def test_rules_psoas_does_not_read_keep_their_first_time_and_are_counted():
    found = Calendar()
    found.add(ics(event("DTSTART:20260302T100000", "DURATION:PT30M",
                        "RRULE:FREQ=HOURLY;COUNT=3"),
                  event("DTSTART:not-a-date", "DURATION:PT30M", uid="y")))
    assert (found.unread, found.broken) == (1, 1)
    assert clocks(found.spans(local(2026, 3, 2), local(2026, 3, 3))) == ["Mon 02 10:00-10:30"]


def test_a_huge_interval_or_length_leaves_the_event_out_never_an_overflow():
    """Hostile finding 7: INTERVAL=99999999999999999999 and DURATION:P99999999W
    ended remind in an OverflowError.  The rule is now read as no repeat (its
    first time counts); an event longer than CALENDAR_EVENT_DAYS, or one whose
    times run past the year 9999, is left out and counted."""
    found = Calendar()
    found.add(ics(event("DTSTART:20260302T100000", "DURATION:PT30M",
                        "RRULE:FREQ=DAILY;INTERVAL=99999999999999999999"),
                  event("DTSTART:20260302T120000", "DURATION:P99999999W", uid="y"),
                  event("DTSTART:20260302T130000", "DTEND:99991231T000000", uid="z"),
                  event("DTSTART;VALUE=DATE:99991231", "DURATION:P2D", "TRANSP:OPAQUE",
                        uid="w")))
    assert (found.unread, found.broken) == (1, 2)
    assert clocks(found.spans(local(2026, 3, 2), local(2026, 3, 4))) == ["Mon 02 10:00-10:30"]
    assert found.broken == 3  # the one past 9999 too, found when its times were wanted
    assert clocks(found.spans(local(2026, 3, 2), local(2026, 3, 4))) == ["Mon 02 10:00-10:30"]
    assert found.broken == 3  # once


def test_components_nested_too_deep_end_the_reading_in_linear_time():
    """Hostile finding 8: 100,000 nested BEGIN:VEVENT took 28.6 s of CPU."""
    nested = "BEGIN:VEVENT\r\n" * 100_000 + "END:VEVENT\r\n" * 100_000
    text = ics(event("DTSTART:20260302T100000", "DURATION:PT30M")).replace(
        "END:VCALENDAR", nested + "END:VCALENDAR")
    found = Calendar()
    started = time.process_time()
    found.add(text)
    assert time.process_time() - started < 1.0
    assert found.deep == 1
    assert clocks(found.spans(local(2026, 3, 2), local(2026, 3, 3))) == ["Mon 02 10:00-10:30"]
    alarm = "BEGIN:VALARM\nBEGIN:X\nEND:X\nEND:VALARM"  # three deep is no problem
    found = Calendar()
    found.add(ics(event("DTSTART:20260302T100000", "DURATION:PT30M", alarm)))
    assert (found.deep, len(found.events)) == (0, 1)


def test_a_line_folded_a_million_times_is_read_in_linear_time():
    text = ics(event("DTSTART:20260302T100000", "DURATION:PT30M", "SUMMARY:a"
                     + "\n b" * 1_000_000))
    started = time.process_time()
    found = Calendar()
    found.add(text)
    assert time.process_time() - started < 2.0
    assert found.events[0].length.total_seconds() == 1800


def test_events_and_repeats_are_counted_up_to_their_limits(monkeypatch):
    monkeypatch.setattr(limits, "CALENDAR_EVENTS", 3)
    found = Calendar()
    found.add(ics(*(event(f"DTSTART:2026030{n}T100000", "DURATION:PT30M", uid=str(n))
                    for n in range(1, 6))))
    assert (len(found.events), found.more) == (3, True)
    monkeypatch.undo()
    # 300 daily rules with a COUNT since 1970: each period holds one, so they are
    # counted without being walked (this took 16 s); a rule that must be walked
    # stops at the budget, which is said.
    daily = [event(f"DTSTART:1970010{n % 9 + 1}T100000Z", "DURATION:PT30M",
                   "RRULE:FREQ=DAILY;COUNT=100000000", uid=str(n)) for n in range(300)]
    found = Calendar()
    found.add(ics(*daily))
    started = time.process_time()
    assert len(found.spans(utc(2026, 3, 2), utc(2026, 3, 3))) == 1
    assert time.process_time() - started < 2.0
    assert not found.cut
    counted = ics(event("DTSTART:20260101T100000Z", "DURATION:PT30M",
                        "RRULE:FREQ=DAILY;COUNT=60"))  # the 60th time is 1 March
    assert len(spans_of(counted, utc(2026, 3, 1), utc(2026, 3, 2))) == 1
    assert spans_of(counted, utc(2026, 3, 2), utc(2026, 3, 3)) == []
    monkeypatch.setattr(limits, "CALENDAR_PERIODS", 100)
    found = Calendar()
    found.add(ics(event("DTSTART:19700101T100000Z", "DURATION:PT30M",
                        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,2;COUNT=100000")))
    assert found.spans(utc(2026, 3, 1), utc(2026, 3, 3)) == []
    assert found.cut


def test_merge_joins_spans_that_touch_or_overlap():
    assert merge([Span(5, 6), Span(1, 3), Span(3, 4), Span(2, 2.5)]) == [Span(1, 4), Span(5, 6)]


def test_garbage_is_no_calendar_and_no_error():
    found = Calendar()
    for text in ("", "BEGIN:VEVENT\nDTSTART:2026", "\x00" * 1000, "END:VEVENT\n" * 50,
                 "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260302T100000\nRRULE:FREQ=WEEKLY;"
                 "BYDAY=XX\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR"):
        found.add(text)
    assert found.spans(local(2026, 3, 2), local(2026, 3, 3)) == [
        Span(local(2026, 3, 2, 10), local(2026, 3, 2, 11))]  # the bad rule: its first time


# -- the files -------------------------------------------------------------------------------

def test_a_folder_of_calendars_is_read_as_khal_and_vdirsyncer_keep_it(tmp_path):
    work = tmp_path / "calendars" / "work"
    work.mkdir(parents=True)
    (work / "a.ics").write_text(ics(event("DTSTART:20260302T100000", "DURATION:PT1H")))
    (work / "b.ICS").write_text(ics(event("DTSTART:20260302T140000", "DURATION:PT1H")))
    (work / "notes.txt").write_text("BEGIN:VCALENDAR")
    (work / ".status").mkdir()
    (work / ".status" / "c.ics").write_text("hidden")
    os.mkfifo(work / "fifo.ics")  # passed over in a folder, never opened
    found = calendars.read([str(tmp_path / "calendars")])
    assert [os.path.basename(path) for path, _ in found.texts] == ["a.ics", "b.ICS"]
    assert found.problems == []
    given = calendars.read([str(work / "fifo.ics")])  # named: refused in one line
    assert [p.split(": ", 1)[1] for p in given.problems] == [
        "is a named pipe (FIFO), not a regular file"]
    before = calendars.stamp([str(tmp_path / "calendars")])
    (work / "a.ics").write_text(ics(event("DTSTART:20260302T110000", "DURATION:PT1H")))
    assert calendars.stamp([str(tmp_path / "calendars")]) != before


def test_a_missing_calendar_is_named(tmp_path):
    found = calendars.read([str(tmp_path / "nothing.ics")])
    assert found.texts == [] and found.problems == [f"{tmp_path / 'nothing.ics'}: no such file"]


def test_when_parses_naive_wall_times_as_local():
    text = ics(event("DTSTART:20261025T023000", "DURATION:PT30M"))  # twice that night
    (span,) = spans_of(text, local(2026, 10, 24), local(2026, 10, 26))
    assert datetime.fromtimestamp(span.start).strftime("%H:%M") == "02:30"
