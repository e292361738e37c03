"""The colours psoas draws with, chosen to read on a dark and a light window alike.

The eight basic colours are each terminal's own: xterm's and rxvt-unicode's
yellow (#cdcd00) and cyan are barely readable on their stock white
background, and bright green not much better, while blue fades on black.
The 256-colour palette's middle tones are the same everywhere and have
about the same contrast on white as on black (each about 4.5:1), so the
phases use them.  Where only the basic eight can be shown (the Linux
console, always dark), Rich takes the nearest: yellow, green, cyan.
Red and magenta read on both, as they are.
"""

from __future__ import annotations

AMBER = "color(130)"  # #af5f00: getting ready, take care, a break due
GREEN = "color(28)"  # #008700: holding, moving, finished
TEAL = "color(31)"  # #0087af: resting, lowering
BLUE = "color(62)"  # #5f5fd7: the whole routine's bar (the basic blue fades on black)
MAGENTA = "magenta"  # switching sides
RED = "red"  # paused
