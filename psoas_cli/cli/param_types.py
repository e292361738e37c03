"""Numbers typed on the command line, held to the limits the data files obey.

Click's IntRange and FloatRange take 'nan' (it compares false with both
ends, so it passes), '١٢' and other digits that are not ASCII; this type
reads through limits.parse, so an option refuses what a routines file
would, with the same words.
"""

from __future__ import annotations

from typing import Any

import click

from psoas_cli import limits


class Bounded(click.ParamType):
    """A number within a limits.Bound, e.g. ``type=Bounded(limits.HOLD)``."""

    name = "number"

    def __init__(self, bound: limits.Bound) -> None:
        self.bound = bound

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> limits.Number:
        try:
            if isinstance(value, str):
                return limits.parse(value, self.bound)
            return limits.check(value, self.bound)
        except limits.OutOfBounds as exc:
            self.fail(str(exc), param, ctx)

    def span(self) -> str:
        """The range for help text: '1 to 600'."""
        return f"{self.bound.low:g} to {self.bound.high:g}"
