"""How long a line takes to say, so no cue is cut off by the next.

Pure Python.  The voice speaks at 150 words a minute (espeak-ng's ``-s 150``),
but a short line full of commas and full stops is slower than words alone
suggest: "And lower. Cramp? Feet nearer your seat." takes 2.9 s, not 2.4.
The estimate below was fitted to espeak-ng's own times for some two hundred
of psoas's lines (measured from the sound it writes, silence trimmed) and
errs long by about half a second, which leaves a breath between lines.
"""

from __future__ import annotations

import re

WORD = 0.28  # seconds a word
PAUSE = 0.38  # a comma, colon or semicolon
STOP = 0.6  # the end of a sentence
TRIM = 0.4  # the silence the estimate's parts count once too often
LEAST = 0.3  # a single short word still takes this long

_PAUSES = re.compile(r"[,;:]")
_STOPS = re.compile(r"[.?!](?:\s|$)")


def seconds(text: str) -> float:
    """Seconds the voice takes to say ``text`` (0 for nothing)."""
    words = len(text.split())
    if not words:
        return 0.0
    pauses = len(_PAUSES.findall(text))
    stops = len(_STOPS.findall(text))
    return max(LEAST, WORD * words + PAUSE * pauses + STOP * stops - TRIM)
