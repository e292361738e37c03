"""Exact means of whole numbers, without the fractions module (pure).

``fractions`` imports ``decimal``, about 20 ms on a cold start: more than
the home page may spend on its one line of readings.  A mean here is a
numerator and a denominator, compared exactly, and rounded half up.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import gcd
from typing import NamedTuple


class Ratio(NamedTuple):
    num: int
    den: int = 1

    @classmethod
    def of(cls, num: int, den: int = 1) -> Ratio:
        if den < 0:
            num, den = -num, -den
        common = gcd(num, den) or 1
        return cls(num // common, den // common)

    def __add__(self, other: object) -> Ratio:  # type: ignore[override]
        o = _ratio(other)
        return Ratio.of(self.num * o.den + o.num * self.den, self.den * o.den)

    __radd__ = __add__

    def __sub__(self, other: object) -> Ratio:
        o = _ratio(other)
        return Ratio.of(self.num * o.den - o.num * self.den, self.den * o.den)

    def __truediv__(self, count: int) -> Ratio:
        return Ratio.of(self.num, self.den * count)

    def __le__(self, other: object) -> bool:  # type: ignore[override]
        o = _ratio(other)
        return self.num * o.den <= o.num * self.den

    def __ge__(self, other: object) -> bool:  # type: ignore[override]
        o = _ratio(other)
        return self.num * o.den >= o.num * self.den

    def __float__(self) -> float:
        return self.num / self.den

    def half_up(self) -> int:
        """Rounded half up (2.5 -> 3), never half to even."""
        return (2 * self.num + self.den) // (2 * self.den)


def _ratio(value: object) -> Ratio:
    if isinstance(value, Ratio):
        return value
    if isinstance(value, int):
        return Ratio(value)
    raise TypeError(f"not a whole number or a Ratio: {value!r}")


def mean(values: Iterable[Ratio]) -> Ratio:
    found = list(values)
    return sum(found, Ratio(0)) / len(found)
