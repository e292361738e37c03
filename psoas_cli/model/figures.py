"""Pose figures: a stick figure per stretch, checked, mirrored and rasterised.

Pure Python: no Click, no Rich, no YAML.  A figure is plain data from the
catalogue (``figure:`` in stretches.yaml), checked once by ``check`` into an
immutable ``Figure``; ``render`` turns it into rows of character cells for
a box of any size.

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
from functools import lru_cache
from typing import Any, NamedTuple

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
}
PROPS = ("floor", "chair", "roller")
_CHAIR_KEYS = ("back", "front", "seat", "top")
_ROLLER_KEYS = ("x", "y", "r")

MODES = {"braille": (2, 4), "halfblock": (1, 2), "ascii": (1, 1)}
SIDES = ("right", "left")
HEAD_RADIUS = 1.1  # grid units, at the usual bone lengths


class FigureInvalid(ValueError):
    """A figure that cannot be drawn; ``path`` is the keys leading to the spot,
    such as ``("joints", "knee_far")``, so a loader can name its line."""

    def __init__(self, message: str, path: tuple = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = tuple(path)


Point = tuple  # (x, y)


class Figure(NamedTuple):
    """A checked pose.  Immutable and hashable, so renders can be cached."""

    joints: tuple          # one (x, y) per name in JOINTS, in that order
    worked: tuple = ()     # names from PARTS
    floor: Any = None      # y of the floor line, or None
    chair: Any = None      # (back, front, seat, top) x, x, y, y; top None for a bench
    roller: Any = None     # (x, y, r): a foam roller seen end-on

    def joint(self, name: str) -> Point:
        return self.joints[_INDEX[name]]

    def mirrored(self) -> "Figure":
        """The other side: every x reflected across the grid."""
        def flip(x: float) -> float:
            return round(X_MAX - x, 6)  # so that mirroring twice gives back the figure

        chair = self.chair
        if chair is not None:
            chair = (flip(chair[0]), flip(chair[1]), chair[2], chair[3])
        roller = self.roller
        if roller is not None:
            roller = (flip(roller[0]), roller[1], roller[2])
        return self._replace(joints=tuple((flip(x), y) for x, y in self.joints),
                             chair=chair, roller=roller)

    def to_plain(self) -> dict:
        """The figure as plain data in the catalogue's own shape (dicts, lists,
        floats, text): for the marshal cache and for JSON."""
        props: dict[str, Any] = {}
        if self.floor is not None:
            props["floor"] = self.floor
        if self.chair is not None:
            props["chair"] = {k: v for k, v in zip(_CHAIR_KEYS, self.chair) if v is not None}
        if self.roller is not None:
            props["roller"] = dict(zip(_ROLLER_KEYS, self.roller))
        return {"worked": list(self.worked), "props": props,
                "joints": {name: list(xy) for name, xy in zip(JOINTS, self.joints)}}

    @classmethod
    def from_plain(cls, plain: dict) -> "Figure":
        """Rebuild from ``to_plain`` output already checked once (the cache)."""
        joints = plain["joints"]
        props = plain["props"]
        chair = props.get("chair")
        roller = props.get("roller")
        return cls(
            tuple((float(joints[n][0]), float(joints[n][1])) for n in JOINTS),
            tuple(plain["worked"]),
            props.get("floor"),
            None if chair is None else tuple(chair.get(k) for k in _CHAIR_KEYS),
            None if roller is None else tuple(roller[k] for k in _ROLLER_KEYS),
        )


# -- checking plain data -----------------------------------------------------

def check(data: Any) -> Figure:
    """Validate a figure read from YAML (plain dicts, lists, numbers, text)."""
    if not isinstance(data, dict):
        raise FigureInvalid(f"must be a mapping with joints, worked and props, "
                            f"not {_kind(data)}")
    known = ("joints", "worked", "props")
    for key in data:
        if key not in known:
            raise FigureInvalid(f"unknown key '{key}'{_hint(str(key), known)}", (key,))
    if "joints" not in data:
        raise FigureInvalid("needs 'joints', a mapping of joint names to [x, y]")
    joints = _joints(data["joints"])
    worked = _worked(data.get("worked"))
    floor, chair, roller = _props(data.get("props"))
    _check_bones(joints)
    if floor is not None:
        _check_floor(joints, floor, roller)
    return Figure(joints, worked, floor, chair, roller)


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping", type(None): "nothing"}
    return names.get(type(value), type(value).__name__)


def _hint(key: str, known) -> str:
    import difflib

    match = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else f" (known: {', '.join(known)})"


def _number(value: Any, what: str, path: tuple, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FigureInvalid(f"{what} must be a number, not {_kind(value)}", path)
    if not low <= value <= high:
        raise FigureInvalid(f"{what} is {value:g}, outside the grid's {low:g} to {high:g}", path)
    return float(value)


def _joints(value: Any) -> tuple:
    if not isinstance(value, dict):
        raise FigureInvalid(f"'joints' must be a mapping of joint names to [x, y], "
                            f"not {_kind(value)}", ("joints",))
    for name in value:
        if name not in _INDEX:
            raise FigureInvalid(f"joint '{name}' is unknown{_hint(str(name), JOINTS)}",
                                ("joints", name))
    missing = [name for name in JOINTS if name not in value and name not in OPTIONAL]
    if missing:
        raise FigureInvalid(f"joint '{missing[0]}' is missing; a figure names each of "
                            f"{', '.join(JOINTS)} (spine may be left out)", ("joints",))
    points = []
    for name in JOINTS:
        if name not in value:
            points.append(None)
            continue
        xy = value[name]
        path = ("joints", name)
        if not isinstance(xy, list) or len(xy) != 2:
            got = f"a list of {len(xy)}" if isinstance(xy, list) else _kind(xy)
            raise FigureInvalid(f"joint '{name}' must be [x, y], two numbers, not {got}", path)
        x = _number(xy[0], f"joint '{name}': x", path, 0, X_MAX)
        y = _number(xy[1], f"joint '{name}': y", path, 0, Y_MAX)
        points.append((x, y))
    if points[_INDEX["spine"]] is None:
        (nx, ny), (ax, ay), (bx, by) = (points[_INDEX[n]] for n in ("neck", "hip_near", "hip_far"))
        points[_INDEX["spine"]] = ((nx + (ax + bx) / 2) / 2, (ny + (ay + by) / 2) / 2)
    return tuple(points)


def _worked(value: Any) -> tuple:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise FigureInvalid(f"'worked' must name limbs ({', '.join(PARTS)}), not {_kind(value)}",
                            ("worked",))
    parts = []
    for number, item in enumerate(items):
        path = ("worked",) if isinstance(value, str) else ("worked", number)
        name = " ".join(item.lower().split()) if isinstance(item, str) else None
        if name not in PARTS:
            shown = f"'{item}'" if isinstance(item, str) else _kind(item)
            raise FigureInvalid(f"'worked' names {shown}, which is none of: {', '.join(PARTS)}",
                                path)
        parts.append(name)
    return tuple(dict.fromkeys(parts))


def _props(value: Any) -> tuple:
    if value is None:
        return None, None, None
    if not isinstance(value, dict):
        raise FigureInvalid(f"'props' must be a mapping (floor, chair, roller), not {_kind(value)}",
                            ("props",))
    for key in value:
        if key not in PROPS:
            raise FigureInvalid(f"prop '{key}' is unknown{_hint(str(key), PROPS)}", ("props", key))
    floor = chair = roller = None
    if "floor" in value:
        floor = _number(value["floor"], "the floor's y", ("props", "floor"), 0, Y_MAX)
    if "chair" in value:
        got = _fields(value["chair"], "chair", _CHAIR_KEYS, optional=("top",))
        back, front, seat, top = got
        if top is not None and top <= seat:
            raise FigureInvalid(f"the chair's top ({top:g}) must be above its seat ({seat:g})",
                                ("props", "chair"))
        if back == front:
            raise FigureInvalid("the chair's back and front are at the same x", ("props", "chair"))
        chair = got
    if "roller" in value:
        roller = _fields(value["roller"], "roller", _ROLLER_KEYS)
        if roller[2] <= 0:
            raise FigureInvalid("the roller's r must be more than 0", ("props", "roller"))
    return floor, chair, roller


def _fields(value: Any, prop: str, keys: tuple, optional: tuple = ()) -> tuple:
    path = ("props", prop)
    if not isinstance(value, dict):
        raise FigureInvalid(f"prop '{prop}' must be a mapping of {', '.join(keys)}, "
                            f"not {_kind(value)}", path)
    for key in value:
        if key not in keys:
            raise FigureInvalid(f"prop '{prop}' has no '{key}'{_hint(str(key), keys)}", path)
    numbers = []
    for key in keys:
        if key not in value:
            if key in optional:
                numbers.append(None)
                continue
            raise FigureInvalid(f"prop '{prop}' needs '{key}'", path)
        high = X_MAX if key in ("back", "front", "x") else Y_MAX
        numbers.append(_number(value[key], f"prop '{prop}': {key}", path, 0, high))
    return tuple(numbers)


def _length(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def _scale(joints: tuple) -> float:
    """How big this figure is drawn against the usual bone lengths: the median
    of length/usual over all bones, so that one bad joint cannot set it."""
    ratios = sorted(_length(joints[_INDEX[a]], joints[_INDEX[b]]) / usual
                    for a, b, _, usual in BONES)
    return ratios[len(ratios) // 2]


def _check_bones(joints: tuple) -> None:
    """Bones must agree with each other, at the figure's own scale."""
    scale = _scale(joints)
    if scale <= 0:
        raise FigureInvalid("the joints are all in one place", ("joints",))
    for a, b, name, usual in BONES:
        length = _length(joints[_INDEX[a]], joints[_INDEX[b]])
        expected = usual * scale
        share = length / expected
        if share > TOO_LONG or share < TOO_SHORT:
            raise FigureInvalid(
                f"joint '{b}': the {name} ({a} to {b}) is {length:.1f} long, {share:.1f}x the "
                f"{expected:.1f} the other bones imply; a bone may be {TOO_SHORT:g}x to "
                f"{TOO_LONG:g}x that", ("joints", b))
    for a, b in COLLARS:
        length = _length(joints[_INDEX[a]], joints[_INDEX[b]])
        if length > COLLAR_MAX * scale:
            raise FigureInvalid(f"joint '{b}' is {length:.1f} from the neck; a shoulder sits "
                                f"within {COLLAR_MAX * scale:.1f} of it", ("joints", b))


def _check_floor(joints: tuple, floor: float, roller: Any) -> None:
    for name, (_, y) in zip(JOINTS, joints):
        if y < floor:
            raise FigureInvalid(f"joint '{name}' is below the floor (y {y:g}, floor {floor:g})",
                                ("joints", name))
    if roller is not None and roller[1] - roller[2] < floor - 0.01:
        raise FigureInvalid("the roller sinks into the floor (its y minus r is below it)",
                            ("props", "roller"))


# -- drawing -------------------------------------------------------------------

class Cell(NamedTuple):
    char: str
    worked: bool


def render(figure: Figure, width: int, height: int, mode: str = "braille",
           side: str = "right") -> tuple:
    """The figure drawn to fit ``width`` x ``height`` cells, as rows of Cells.

    The rows are trimmed to the drawing (at most the box, one side of it
    filled), floor at the bottom.  ``side='left'`` is the exact mirror of
    the right.  Results are cached: a player asks once per phase and size.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if side not in SIDES:
        raise ValueError(f"side must be right or left, not {side!r}")
    return _render(figure, max(int(width), 1), max(int(height), 1), mode, side)


def lines(rows: tuple) -> list[str]:
    """The rendered rows as plain strings."""
    return ["".join(cell.char for cell in row) for row in rows]


@lru_cache(maxsize=64)
def _render(figure: Figure, width: int, height: int, mode: str, side: str) -> tuple:
    canvas = _draw(figure, width, height, mode)
    if side == "left":
        canvas.flip(MODES[mode][0])
    return _ENCODERS[mode](canvas, width, height)


def _draw(figure: Figure, width: int, height: int, mode: str) -> "_Canvas":
    per_x, per_y = MODES[mode]
    canvas = _Canvas(width * per_x, height * per_y, ascii=mode == "ascii")
    _place(canvas, _shapes(figure), per_x, per_y)
    return canvas


# Shapes in grid units: ("line", x0, y0, x1, y1, worked), ("ring", x, y, r, worked),
# and the floor ("floor", y), which spans whatever else is drawn.
def _shapes(figure: Figure) -> list:
    j = {name: xy for name, xy in zip(JOINTS, figure.joints)}
    marked = {i for i, bone in enumerate(BONES) for part in figure.worked
              if bone[2] in PARTS[part]}
    head_radius = HEAD_RADIUS * _scale(figure.joints)
    shapes: list = []
    if figure.chair is not None:
        back, front, seat, top = figure.chair
        floor = figure.floor if figure.floor is not None else 0.0
        shapes.append(("line", back, seat, front, seat, False))
        shapes.append(("line", back, seat, back, floor, False))
        shapes.append(("line", front, seat, front, floor, False))
        if top is not None:
            shapes.append(("line", back, seat, back, top, False))
    if figure.roller is not None:
        shapes.append(("ring",) + tuple(figure.roller) + (False,))
    # Far limbs first and worked ones last, so the marked limb is drawn on top.
    order = sorted(range(len(BONES)), key=lambda i: (i in marked, "near" in BONES[i][2]))
    for a, b in COLLARS:
        shapes.append(("line", *j[a], *j[b], False))
    for index in order:
        a, b, name, _ = BONES[index]
        (x0, y0), (x1, y1) = j[a], j[b]
        if name == "neck":
            # The neck stops at the head's outline.
            length = _length((x0, y0), (x1, y1))
            keep = max(length - head_radius, 0.0) / length if length else 0.0
            x1, y1 = x0 + (x1 - x0) * keep, y0 + (y1 - y0) * keep
        shapes.append(("line", x0, y0, x1, y1, index in marked))
    hx, hy = j["head"]
    shapes.append(("head", hx, hy, head_radius, False))
    if figure.floor is not None:
        shapes.append(("floor", figure.floor))
    return shapes


def _bounds(shapes: list) -> tuple:
    xs: list = []
    ys: list = []
    for shape in shapes:
        if shape[0] == "line":
            xs += (shape[1], shape[3])
            ys += (shape[2], shape[4])
        elif shape[0] in ("ring", "head"):
            _, x, y, r, _ = shape
            xs += (x - r, x + r)
            ys += (y - r, y + r)
        else:
            ys.append(shape[1])
    return min(xs), min(ys), max(xs), max(ys)


FLOOR_MARGIN = 1.0  # grid units of floor beyond the figure at each end
# From this many dots to a grid unit (a figure about 30 braille rows tall)
# every line is drawn two dots thick, the worked limb three: a one-dot line
# that big looks faint from a mat.
BOLD_FROM = 6.0


def _place(canvas: "_Canvas", shapes: list, per_x: int, per_y: int) -> None:
    """Scale the shapes to fill the canvas, keeping their shape on screen.

    The floor gets the top row of dots in the last row of cells, and the
    body the cells above it, so a colour given to a limb lying on the floor
    never spills onto the floor line.
    """
    x0, y0, x1, y1 = _bounds(shapes)
    floor = next((s for s in shapes if s[0] == "floor"), None)
    if floor is not None:
        x0, x1 = x0 - FLOOR_MARGIN, x1 + FLOOR_MARGIN
        floor_row = canvas.height - per_y
        bottom = floor_row - 1
    else:
        bottom = canvas.height - 1
    # A dot is 1/per_x of a cell wide and 2/per_y of a cell-width tall.
    dot_w, dot_h = 1.0 / per_x, 2.0 / per_y
    span_x, span_y = max(x1 - x0, 1e-6), max(y1 - y0, 1e-6)

    def scale(grow: int) -> float:
        # Room for the last dot, and for a thick line to grow into.
        room_x, room_y = canvas.width - 1 - grow, bottom - grow
        return max(min(room_x * dot_w / span_x, room_y * dot_h / span_y), 0.0)

    unit = scale(1)
    if per_x > 1 and unit / dot_h >= BOLD_FROM and canvas.chars is None:
        canvas.weight = 2
        unit = scale(2)
    sx, sy = unit / dot_w, unit / dot_h

    def at(x: float, y: float) -> tuple:
        return (x - x0) * sx, bottom - (y - y0) * sy

    for shape in shapes:
        kind = shape[0]
        if kind == "line":
            _, ax, ay, bx, by, worked = shape
            canvas.line(*at(ax, ay), *at(bx, by), worked)
        elif kind in ("ring", "head"):
            _, cx, cy, r, worked = shape
            px, py = at(cx, cy)
            canvas.ring(px, py, r * sx, r * sy, worked, head=kind == "head")
    if floor is not None:
        canvas.line(0, floor_row, (x1 - x0) * sx, floor_row, False, floor=True)


class _Canvas:
    """A grid of dots: 0 empty, 1 drawn, 2 drawn as the worked limb.

    For ASCII each dot also keeps the character that best follows its line.
    """

    def __init__(self, width: int, height: int, *, ascii: bool) -> None:
        self.width = width
        self.height = height
        self.dots = [bytearray(width) for _ in range(height)]
        self.chars = [[" "] * width for _ in range(height)] if ascii else None
        self.clipped = 0  # dots that fell outside: scaling should leave none
        self.weight = 1  # dots across a line; the worked limb gets one more

    def put(self, x: int, y: int, value: int, char: str = "") -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            row = self.dots[y]
            if value >= row[x]:
                row[x] = value
                if self.chars is not None and char:
                    self.chars[y][x] = char
        else:
            self.clipped += 1

    def line(self, ax: float, ay: float, bx: float, by: float, worked: bool,
             floor: bool = False) -> None:
        dx, dy = bx - ax, by - ay
        steps = max(abs(dx), abs(dy))
        count = int(math.ceil(steps)) + 1
        value = 2 if worked else 1
        char = "_" if floor else _slope_char(dx, dy, self)
        if worked and self.chars is not None:
            char = "#"
        # Thick lines grow across their direction: above a flat line (away
        # from the floor), beside a steep one.
        across = (0, -1) if abs(dx) >= abs(dy) else (1, 0)
        thickness = 1 if floor or self.chars is not None else self.weight + worked
        for step in range(count):
            t = step / (count - 1) if count > 1 else 0.0
            x = int(round(ax + dx * t))
            y = int(round(ay + dy * t))
            for grow in range(thickness):
                self.put(x + across[0] * grow, y + across[1] * grow, value, char)

    def ring(self, cx: float, cy: float, rx: float, ry: float, worked: bool,
             head: bool) -> None:
        value = 2 if worked else 1
        if self.chars is not None:
            if head or rx < 1.5:
                self.put(int(round(cx)), int(round(cy)), value, "O" if head else "o")
            else:  # a roller: its two sides
                self.put(int(round(cx - rx)), int(round(cy)), value, "(")
                self.put(int(round(cx + rx)), int(round(cy)), value, ")")
            return
        if min(rx, ry) < 1.6:  # too small for an outline to read: a solid dot
            for y in range(int(math.floor(cy - ry)), int(math.ceil(cy + ry)) + 1):
                for x in range(int(math.floor(cx - rx)), int(math.ceil(cx + rx)) + 1):
                    if ((x - cx) / max(rx, 0.5)) ** 2 + ((y - cy) / max(ry, 0.5)) ** 2 <= 1.0:
                        self.put(x, y, value)
            return
        count = max(12, int(2 * math.pi * max(rx, ry) * 1.5))
        for inset in range(self.weight):  # a bold outline grows inwards
            for step in range(count):
                angle = 2 * math.pi * step / count
                self.put(int(round(cx + (rx - inset) * math.cos(angle))),
                         int(round(cy + (ry - inset) * math.sin(angle))), value)

    def flip(self, per_x: int) -> None:
        """Mirror left to right, keeping cells aligned: pad to whole cells first."""
        pad = -self.width % per_x
        self.dots = [bytearray(pad) + row[::-1] for row in self.dots]
        if self.chars is not None:
            swap = {"/": "\\", "\\": "/", "(": ")", ")": "("}
            self.chars = [[" "] * pad + [swap.get(c, c) for c in row[::-1]] for row in self.chars]
        self.width += pad


def _slope_char(dx: float, dy: float, canvas: _Canvas) -> str:
    """The ASCII stroke for a line going (dx, dy) cells, y down; a cell is
    twice as tall as wide, so the visual angle uses 2*dy."""
    if canvas.chars is None:
        return ""
    angle = math.degrees(math.atan2(-2 * dy, dx)) % 180
    if angle < 22.5 or angle >= 157.5:
        return "-"
    if angle < 67.5:
        return "/"
    if angle < 112.5:
        return "|"
    return "\\"


# -- encoding dots as characters ------------------------------------------------

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col]
_HALF = {(0, 0): " ", (1, 0): "\u2580", (0, 1): "\u2584", (1, 1): "\u2588"}


def _trim(cells: list) -> tuple:
    """Drop empty rows and columns around the drawing."""
    used_rows = [i for i, row in enumerate(cells) if any(c.char != " " for c in row)]
    if not used_rows:
        return ()
    used_cols = [i for i in range(len(cells[0])) if any(row[i].char != " " for row in cells)]
    top, bottom = used_rows[0], used_rows[-1] + 1
    left, right = used_cols[0], used_cols[-1] + 1
    return tuple(tuple(row[left:right]) for row in cells[top:bottom])


# For each dot row of a braille cell, byte tables turning a dot (0, 1, 2)
# into its bit in the left and the right column; and one marking the worked.
_BIT_TABLES = tuple(tuple(bytes([0, bit, bit]) + bytes(253) for bit in pair)
                    for pair in _BRAILLE_BITS)
_WORKED_TABLE = bytes([0, 0, 1]) + bytes(253)


class _BrailleCells(dict):
    """The cell for each (dot pattern, worked) pair, made the first time one is
    drawn: a figure uses a few dozen of the 512, and each costs memory."""

    def __missing__(self, key: tuple[int, int]) -> Cell:
        code, mark = key
        cell = self[key] = Cell(chr(0x2800 + code) if code else " ", bool(mark))
        return cell


_BRAILLE_CELLS = _BrailleCells()


def _braille(canvas: _Canvas, width: int, height: int) -> tuple:
    """Each band of four dot rows as a row of braille cells.

    A band's dots are turned into bits with byte tables and OR-ed together
    as big integers, a cell a byte: the player draws big figures, and this
    keeps them quick to draw.
    """
    rows = []
    cells = min(width, (canvas.width + 1) // 2)
    blank = bytes(cells * 2)
    for cy in range(min(height, (canvas.height + 3) // 4)):
        bits = worked = 0
        for r in range(4):
            y = cy * 4 + r
            line = bytes(canvas.dots[y][:cells * 2]).ljust(cells * 2, b"\0") \
                if y < canvas.height else blank
            left, right = line[0::2], line[1::2]
            bits |= int.from_bytes(left.translate(_BIT_TABLES[r][0]), "big") | \
                int.from_bytes(right.translate(_BIT_TABLES[r][1]), "big")
            worked |= int.from_bytes(left.translate(_WORKED_TABLE), "big") | \
                int.from_bytes(right.translate(_WORKED_TABLE), "big")
        codes, marks = bits.to_bytes(cells, "big"), worked.to_bytes(cells, "big")
        rows.append([_BRAILLE_CELLS[code, mark] for code, mark in zip(codes, marks)])
    return _trim(rows)


def _halfblock(canvas: _Canvas, width: int, height: int) -> tuple:
    rows = []
    dots = canvas.dots
    for cy in range(min(height, (canvas.height + 1) // 2)):
        top = dots[cy * 2]
        low = dots[cy * 2 + 1] if cy * 2 + 1 < canvas.height else bytearray(canvas.width)
        row = []
        for x in range(min(width, canvas.width)):
            a, b = top[x], low[x]
            row.append(Cell(_HALF[(a > 0, b > 0)], a == 2 or b == 2))
        rows.append(row)
    return _trim(rows)


def _ascii(canvas: _Canvas, width: int, height: int) -> tuple:
    rows = []
    for y in range(min(height, canvas.height)):
        line, chars = canvas.dots[y], canvas.chars[y]
        rows.append([Cell(chars[x] if line[x] else " ", line[x] == 2)
                     for x in range(min(width, canvas.width))])
    return _trim(rows)


_ENCODERS = {"braille": _braille, "halfblock": _halfblock, "ascii": _ascii}
