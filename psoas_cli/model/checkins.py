"""Check-ins (data/checkins.yaml): how the hips and the low back feel, 0 to 10.

Pure data, validated once at load (files/practice_schema.py).  The rules
that pick a calm line, and the key handling, are practice/checkin.py.
"""

from __future__ import annotations

from typing import NamedTuple

MOMENTS = ("before", "after")
ITEMS = ("hips", "hip-right", "hip-left", "back")
MODES = ("off", "before", "after", "both")  # the `checkin` setting and --check-in


def moments_of(mode: str) -> tuple[str, ...]:
    """The moments a mode asks at: 'both' is before and after."""
    return {"off": (), "before": ("before",), "after": ("after",),
            "both": ("before", "after")}[mode]


class CheckinQuestion(NamedTuple):
    id: str  # one of ITEMS
    label: str  # "Hips", in the confirmation and the summary
    ask: dict[str, str]  # moment: the question, at most 80 characters
    ask_short: dict[str, str]  # moment: at most 40, for windows under 60 columns
    scale: str  # the meaning of the two ends
    scale_short: str


class CalmLine(NamedTuple):
    id: str  # 'back-worse': stored with the check-in, never the words
    when: str  # before or after
    wait: bool  # the routine waits for Enter (q stops) after it
    long: str  # 60 columns and more
    short: str
    spoken: str
    keys: str = ""  # with wait: the keys under it
    keys_short: str = ""


class Checkins(NamedTuple):
    version: int
    low: int  # the scale: 0
    high: int  # ... to 10
    ten_key: str  # "t" gives 10
    confirm_seconds: float  # an answer is shown this long; keys then are dropped
    timeout_seconds: float  # no key this long: the rest is skipped
    pain_above: int  # back pain above this gets a line
    pain_severe: int  # ... this high before a routine asks to wait
    worse_by: int  # "worse after than before": at least this much higher
    pain_stop: int  # back pain this high after a routine: stop for today
    much_worse_by: int  # "much worse": at least this much higher (stop for today)
    questions: tuple[CheckinQuestion, ...]
    screen: dict[str, dict[str, str]]  # titles, key lines, confirmations: see checkins.yaml
    lines: dict[str, CalmLine]  # line id: CalmLine, in the file's order

    def question(self, item: str) -> CheckinQuestion:
        return next(q for q in self.questions if q.id == item)

    def items(self, sides: bool) -> tuple[str, ...]:
        """The items asked, in order: each hip when ``sides``, else both as one."""
        hips = ("hip-right", "hip-left") if sides else ("hips",)
        return (*hips, "back")

    def label(self, item: str) -> str:
        return self.question(item).label
