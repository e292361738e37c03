"""Pose figures: a stick figure per stretch, checked into an immutable Figure.

Pure Python: no Click, no Rich, no YAML.  A figure is plain data from the
catalogue (``figure:`` in stretches.yaml), checked once by ``check`` into an
immutable ``Figure``; ``ui/figures/raster.py`` turns it into rows of
character cells for a box of any size.

Conventions
-----------
* Coordinates are grid units on a side view: x from 0 to ``X_MAX``, y from 0
  to ``Y_MAX``, y pointing *up* from the floor.  A standing adult is about
  19 units tall (``BONES`` holds the usual length of each bone).
* The figure as written is the RIGHT side, seen from the person's right:
  their right limbs are the *near* ones, and when upright they face +x
  (towards the right of the screen).  The LEFT side is the exact mirror
  image, x -> ``X_MAX`` - x; the near limbs are then the left ones.  So
  ``worked: near leg`` means "the leg of the side being worked".
* Terminal cells are about twice as tall as they are wide.  Braille packs
  2x4 dots into a cell and half blocks 1x2, so in both a dot is square;
  ASCII has one (tall) dot per cell and is corrected for it.

The data, as written in stretches.yaml (the last field of a stretch)::

    figure:
      worked: far leg            # or a list: [near thigh, far thigh]; see PARTS
      props:                     # all optional
        floor: 0                 # y of the floor
        chair: {back: 8, front: 12.6, seat: 4.8, top: 12}   # no top: a bench
        roller: {x: 11, y: 1.4, r: 1.4}                    # a foam roller, end-on
        bed: {head: 0.6, foot: 13.4, top: 7}               # a bed or treatment table
      joints:                    # every name in JOINTS as [x, y]; spine may be
        head:       [13, 9]      # left out (then it is halfway down the back)
        neck:       [12.6, 7]
        ...

``check`` accepts a bone a little longer than usual or much shorter (one
pointing at the viewer looks short), measured against the figure's own
scale, so whole figures may be drawn at any size on the grid.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, NamedTuple

from psoas_cli.text import close_matches, kind

X_MAX = 40.0
Y_MAX = 24.0

JOINTS = (
    "head", "neck", "spine",
    "shoulder_near", "elbow_near", "hand_near",
    "shoulder_far", "elbow_far", "hand_far",
    "hip_near", "knee_near", "ankle_near", "toe_near",
    "hip_far", "knee_far", "ankle_far", "toe_far",
)
_INDEX = {name: i for i, name in enumerate(JOINTS)}
# The middle of the back bends the torso (camel, cobra); where a figure
# leaves it out it sits halfway between the neck and the hips.
OPTIONAL = ("spine",)

# (from, to, name, usual length in grid units).  Proximal bones come first,
# so a misplaced knee is blamed before the ankle that hangs from it.
BONES = (
    ("neck", "head", "neck", 2.0),
    ("neck", "spine", "upper back", 3.0),
    ("spine", "hip_near", "near side of the lower back", 3.0),
    ("spine", "hip_far", "far side of the lower back", 3.0),
    ("shoulder_near", "elbow_near", "near upper arm", 3.4),
    ("elbow_near", "hand_near", "near forearm", 3.2),
    ("shoulder_far", "elbow_far", "far upper arm", 3.4),
    ("elbow_far", "hand_far", "far forearm", 3.2),
    ("hip_near", "knee_near", "near thigh", 4.8),
    ("knee_near", "ankle_near", "near shin", 4.6),
    ("ankle_near", "toe_near", "near foot", 1.4),
    ("hip_far", "knee_far", "far thigh", 4.8),
    ("knee_far", "ankle_far", "far shin", 4.6),
    ("ankle_far", "toe_far", "far foot", 1.4),
)
# Shoulders sit on the neck; they may stand off it a little, never far.
COLLARS = (("neck", "shoulder_near"), ("neck", "shoulder_far"))
COLLAR_MAX = 1.2

# A bone may look shorter than usual (it points towards or away from the
# viewer) but never much longer; and never almost vanish.
TOO_LONG = 1.35
TOO_SHORT = 0.25

# What ``worked`` may name, and the bones each covers.
PARTS = {
    "near leg": ("near thigh", "near shin", "near foot"),
    "far leg": ("far thigh", "far shin", "far foot"),
    "near thigh": ("near thigh",), "far thigh": ("far thigh",),
    "near arm": ("near upper arm", "near forearm"), "far arm": ("far upper arm", "far forearm"),
    "torso": ("upper back", "near side of the lower back", "far side of the lower back"),
    # The lower trunk alone, from the middle of the back to the hips: where
    # the foam roller presses, under the lower belly.
    "lower back": ("near side of the lower back", "far side of the lower back"),
}
PROPS = ("floor", "chair", "roller", "bed")
_CHAIR_KEYS = ("back", "front", "seat", "top")
_ROLLER_KEYS = ("x", "y", "r")
_BED_KEYS = ("head", "foot", "top")
# A bed is drawn as a mattress this thick (grid units, about 18 cm), on a
# leg at each end set in by BED_LEG_INSET; it needs room for both above the floor.
MATTRESS = 2.0
BED_LEG_INSET = 0.8

SIDES = ("right", "left")
HEAD_RADIUS = 1.1  # grid units, at the usual bone lengths


# The keys leading to a spot in the data: mapping keys as the file wrote them
# (any YAML scalar), list positions as ints.
Path = tuple[object, ...]


class FigureInvalid(ValueError):
    """A figure that cannot be drawn; ``path`` is the keys leading to the spot,
    such as ``("joints", "knee_far")``, so a loader can name its line."""

    def __init__(self, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)


Point = tuple[float, float]  # (x, y)
Joints = tuple[Point, ...]  # one (x, y) per name in JOINTS, in that order
# back, front (x), seat, top (y) of a chair; top None for a bench
Chair = tuple[float, float, float, float | None]
Roller = tuple[float, float, float]  # x, y, r
Bed = tuple[float, float, float]  # head, foot (x of each end), top (y of the mattress)


class Figure(NamedTuple):
    """A checked pose.  Immutable and hashable, so renders can be cached."""

    joints: Joints
    worked: tuple[str, ...] = ()  # names from PARTS
    floor: float | None = None  # y of the floor line, or None
    chair: Chair | None = None
    roller: Roller | None = None  # a foam roller seen end-on
    bed: Bed | None = None  # a bed or treatment table, seen from the side

    def joint(self, name: str) -> Point:
        return self.joints[_INDEX[name]]

    def mirrored(self) -> Figure:
        """The other side: every x reflected across the grid."""
        def flip(x: float) -> float:
            return round(X_MAX - x, 6)  # so that mirroring twice gives back the figure

        chair = self.chair
        if chair is not None:
            chair = (flip(chair[0]), flip(chair[1]), chair[2], chair[3])
        roller = self.roller
        if roller is not None:
            roller = (flip(roller[0]), roller[1], roller[2])
        bed = self.bed
        if bed is not None:
            bed = (flip(bed[0]), flip(bed[1]), bed[2])
        return self._replace(joints=tuple((flip(x), y) for x, y in self.joints),
                             chair=chair, roller=roller, bed=bed)

    def to_plain(self) -> dict[str, Any]:
        """The figure as plain data in the catalogue's own shape (dicts, lists,
        floats, text): for the marshal cache and for JSON."""
        props: dict[str, Any] = {}
        if self.floor is not None:
            props["floor"] = self.floor
        if self.chair is not None:
            props["chair"] = {k: v for k, v in zip(_CHAIR_KEYS, self.chair, strict=True)
                              if v is not None}
        if self.roller is not None:
            props["roller"] = dict(zip(_ROLLER_KEYS, self.roller, strict=True))
        if self.bed is not None:
            props["bed"] = dict(zip(_BED_KEYS, self.bed, strict=True))
        return {"worked": list(self.worked), "props": props,
                "joints": {name: list(xy) for name, xy in zip(JOINTS, self.joints, strict=True)}}

    @classmethod
    def from_plain(cls, plain: dict[str, Any]) -> Figure:
        """Rebuild from ``to_plain`` output already checked once (the cache)."""
        joints = plain["joints"]
        props = plain["props"]
        chair = props.get("chair")
        roller = props.get("roller")
        bed = props.get("bed")
        return cls(
            tuple((float(joints[n][0]), float(joints[n][1])) for n in JOINTS),
            tuple(plain["worked"]),
            props.get("floor"),
            None if chair is None else (chair.get("back"), chair.get("front"),
                                        chair.get("seat"), chair.get("top")),
            None if roller is None else (roller["x"], roller["y"], roller["r"]),
            None if bed is None else (bed["head"], bed["foot"], bed["top"]),
        )


# -- checking plain data -----------------------------------------------------

def check(data: Any) -> Figure:
    """Validate a figure read from YAML (plain dicts, lists, numbers, text)."""
    if not isinstance(data, dict):
        raise FigureInvalid(f"must be a mapping with joints, worked and props, "
                            f"not {kind(data)}")
    known = ("joints", "worked", "props")
    for key in data:
        if key not in known:
            raise FigureInvalid(f"unknown key '{key}'{_hint(str(key), known)}", (key,))
    if "joints" not in data:
        raise FigureInvalid("needs 'joints', a mapping of joint names to [x, y]")
    joints = _joints(data["joints"])
    worked = _worked(data.get("worked"))
    floor, chair, roller, bed = _props(data.get("props"))
    _check_bones(joints)
    if floor is not None:
        _check_floor(joints, floor, roller, bed)
    return Figure(joints, worked, floor, chair, roller, bed)


def _hint(key: str, known: Iterable[str]) -> str:
    match = close_matches(key, known, n=1)
    return f" (did you mean '{match[0]}'?)" if match else f" (known: {', '.join(known)})"


def _number(value: Any, what: str, path: Path, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FigureInvalid(f"{what} must be a number, not {kind(value)}", path)
    if not low <= value <= high:
        raise FigureInvalid(f"{what} is {value:g}, outside the grid's {low:g} to {high:g}", path)
    return float(value)


def _joints(value: Any) -> Joints:
    if not isinstance(value, dict):
        raise FigureInvalid(f"'joints' must be a mapping of joint names to [x, y], "
                            f"not {kind(value)}", ("joints",))
    for name in value:
        if name not in _INDEX:
            raise FigureInvalid(f"joint '{name}' is unknown{_hint(str(name), JOINTS)}",
                                ("joints", name))
    missing = [name for name in JOINTS if name not in value and name not in OPTIONAL]
    if missing:
        raise FigureInvalid(f"joint '{missing[0]}' is missing; a figure names each of "
                            f"{', '.join(JOINTS)} (spine may be left out)", ("joints",))
    points: dict[str, Point] = {}
    for name in JOINTS:
        if name not in value:
            continue  # one of OPTIONAL: filled in below
        xy = value[name]
        path = ("joints", name)
        if not isinstance(xy, list) or len(xy) != 2:
            got = f"a list of {len(xy)}" if isinstance(xy, list) else kind(xy)
            raise FigureInvalid(f"joint '{name}' must be [x, y], two numbers, not {got}", path)
        x = _number(xy[0], f"joint '{name}': x", path, 0, X_MAX)
        y = _number(xy[1], f"joint '{name}': y", path, 0, Y_MAX)
        points[name] = (x, y)
    if "spine" not in points:
        (nx, ny), (ax, ay), (bx, by) = (points[n] for n in ("neck", "hip_near", "hip_far"))
        points["spine"] = ((nx + (ax + bx) / 2) / 2, (ny + (ay + by) / 2) / 2)
    return tuple(points[name] for name in JOINTS)


def _worked(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise FigureInvalid(f"'worked' must name limbs ({', '.join(PARTS)}), not {kind(value)}",
                            ("worked",))
    parts: list[str] = []
    for number, item in enumerate(items):
        path: Path = ("worked",) if isinstance(value, str) else ("worked", number)
        name = " ".join(item.lower().split()) if isinstance(item, str) else None
        if name is None or name not in PARTS:
            shown = f"'{item}'" if isinstance(item, str) else kind(item)
            raise FigureInvalid(f"'worked' names {shown}, which is none of: {', '.join(PARTS)}",
                                path)
        parts.append(name)
    return tuple(dict.fromkeys(parts))


def _props(value: Any) -> tuple[float | None, Chair | None, Roller | None, Bed | None]:
    if value is None:
        return None, None, None, None
    if not isinstance(value, dict):
        raise FigureInvalid(f"'props' must be a mapping (floor, chair, roller, bed), "
                            f"not {kind(value)}", ("props",))
    for key in value:
        if key not in PROPS:
            raise FigureInvalid(f"prop '{key}' is unknown{_hint(str(key), PROPS)}", ("props", key))
    floor: float | None = None
    chair: Chair | None = None
    roller: Roller | None = None
    bed: Bed | None = None
    if "floor" in value:
        floor = _number(value["floor"], "the floor's y", ("props", "floor"), 0, Y_MAX)
    if "chair" in value:
        got = _fields(value["chair"], "chair", _CHAIR_KEYS, optional=("top",))
        back, front, seat, top = got["back"], got["front"], got["seat"], got.get("top")
        if top is not None and top <= seat:
            raise FigureInvalid(f"the chair's top ({top:g}) must be above its seat ({seat:g})",
                                ("props", "chair"))
        if back == front:
            raise FigureInvalid("the chair's back and front are at the same x", ("props", "chair"))
        chair = (back, front, seat, top)
    if "roller" in value:
        got = _fields(value["roller"], "roller", _ROLLER_KEYS)
        roller = (got["x"], got["y"], got["r"])
        if roller[2] <= 0:
            raise FigureInvalid("the roller's r must be more than 0", ("props", "roller"))
    if "bed" in value:
        got = _fields(value["bed"], "bed", _BED_KEYS)
        bed = (got["head"], got["foot"], got["top"])
        if abs(bed[1] - bed[0]) < 2 * BED_LEG_INSET + 1:
            raise FigureInvalid("the bed's head and foot are too close together",
                                ("props", "bed"))
    return floor, chair, roller, bed


def _fields(value: Any, prop: str, keys: tuple[str, ...],
            optional: tuple[str, ...] = ()) -> dict[str, float]:
    """The numbers of a prop by key; an ``optional`` key left out is not there."""
    path = ("props", prop)
    if not isinstance(value, dict):
        raise FigureInvalid(f"prop '{prop}' must be a mapping of {', '.join(keys)}, "
                            f"not {kind(value)}", path)
    for key in value:
        if key not in keys:
            raise FigureInvalid(f"prop '{prop}' has no '{key}'{_hint(str(key), keys)}", path)
    numbers: dict[str, float] = {}
    for key in keys:
        if key not in value:
            if key in optional:
                continue
            raise FigureInvalid(f"prop '{prop}' needs '{key}'", path)
        high = X_MAX if key in ("back", "front", "x", "head", "foot") else Y_MAX
        numbers[key] = _number(value[key], f"prop '{prop}': {key}", path, 0, high)
    return numbers


def bone_length(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def scale_of(joints: Joints) -> float:
    """How big this figure is drawn against the usual bone lengths: the median
    of length/usual over all bones, so that one bad joint cannot set it."""
    ratios = sorted(bone_length(joints[_INDEX[a]], joints[_INDEX[b]]) / usual
                    for a, b, _, usual in BONES)
    return ratios[len(ratios) // 2]


def _check_bones(joints: Joints) -> None:
    """Bones must agree with each other, at the figure's own scale."""
    scale = scale_of(joints)
    if scale <= 0:
        raise FigureInvalid("the joints are all in one place", ("joints",))
    for a, b, name, usual in BONES:
        length = bone_length(joints[_INDEX[a]], joints[_INDEX[b]])
        expected = usual * scale
        share = length / expected
        if share > TOO_LONG or share < TOO_SHORT:
            raise FigureInvalid(
                f"joint '{b}': the {name} ({a} to {b}) is {length:.1f} long, {share:.1f}x the "
                f"{expected:.1f} the other bones imply; a bone may be {TOO_SHORT:g}x to "
                f"{TOO_LONG:g}x that", ("joints", b))
    for a, b in COLLARS:
        length = bone_length(joints[_INDEX[a]], joints[_INDEX[b]])
        if length > COLLAR_MAX * scale:
            raise FigureInvalid(f"joint '{b}' is {length:.1f} from the neck; a shoulder sits "
                                f"within {COLLAR_MAX * scale:.1f} of it", ("joints", b))


def _check_floor(joints: Joints, floor: float, roller: Roller | None,
                 bed: Bed | None = None) -> None:
    for name, (_, y) in zip(JOINTS, joints, strict=True):
        if y < floor:
            raise FigureInvalid(f"joint '{name}' is below the floor (y {y:g}, floor {floor:g})",
                                ("joints", name))
    if roller is not None and roller[1] - roller[2] < floor - 0.01:
        raise FigureInvalid("the roller sinks into the floor (its y minus r is below it)",
                            ("props", "roller"))
    if bed is not None and bed[2] - MATTRESS < floor + 1:
        raise FigureInvalid(f"the bed's top is {bed[2]:g}: it needs to be at least "
                            f"{MATTRESS + 1:g} above the floor, for its mattress and legs",
                            ("props", "bed"))
