"""Exact means of whole numbers, without the fractions module (pure).

``fractions`` imports ``decimal``, about 20 ms on a cold start: more than
the home page may spend on its one line of readings.  A mean here is a
numerator and a denominator, compared exactly, and rounded half up.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import gcd


class Ratio:
    """num / den, kept in lowest terms (den > 0)."""

    __slots__ = ("num", "den")

    def __init__(self, num: int, den: int = 1) -> None:
        if den < 0:
            num, den = -num, -den
        common = gcd(num, den) or 1
        self.num, self.den = num // common, den // common

    @classmethod
    def of(cls, num: int, den: int = 1) -> Ratio:
        return cls(num, den)

    def __repr__(self) -> str:
        return f"Ratio({self.num}, {self.den})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Ratio, int)):
            return NotImplemented
        o = _ratio(other)
        return (self.num, self.den) == (o.num, o.den)

    def __hash__(self) -> int:
        return hash((self.num, self.den))

    def __add__(self, other: Ratio | int) -> Ratio:
        o = _ratio(other)
        return Ratio(self.num * o.den + o.num * self.den, self.den * o.den)

    def __radd__(self, other: Ratio | int) -> Ratio:
        return self + other

    def __sub__(self, other: Ratio | int) -> Ratio:
        o = _ratio(other)
        return Ratio(self.num * o.den - o.num * self.den, self.den * o.den)

    def __truediv__(self, count: int) -> Ratio:
        return Ratio(self.num, self.den * count)

    def __le__(self, other: Ratio | int) -> bool:
        o = _ratio(other)
        return self.num * o.den <= o.num * self.den

    def __ge__(self, other: Ratio | int) -> bool:
        o = _ratio(other)
        return self.num * o.den >= o.num * self.den

    def __float__(self) -> float:
        return self.num / self.den

    def half_up(self) -> int:
        """Rounded half up (2.5 -> 3), never half to even."""
        return (2 * self.num + self.den) // (2 * self.den)


def _ratio(value: Ratio | int) -> Ratio:
    if isinstance(value, Ratio):
        return value
    if isinstance(value, int):
        return Ratio(value)
    raise TypeError(f"not a whole number or a Ratio: {value!r}")


def mean(values: Iterable[Ratio]) -> Ratio:
    found = list(values)
    return sum(found, Ratio(0)) / len(found)
