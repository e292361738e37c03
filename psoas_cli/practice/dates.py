"""Days as the readings write them: "3 November", "3 Nov", with the year when
it is not this one (pure)."""

from __future__ import annotations

from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_day(day: date, today: date, *, year: bool = False) -> str:
    """"3 November"; "20 December 2025" in another year, or always with ``year``."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year or day.year != today.year else text


def short_day(day: date, today: date) -> str:
    """"3 Nov"; "20 Dec 2025" in another year."""
    text = f"{day.day} {MONTHS[day.month - 1][:3]}"
    return text if day.year == today.year else f"{text} {day.year}"
