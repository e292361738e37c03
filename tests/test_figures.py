"""Pose figures: checking the data, drawing it, mirroring it, and where it cannot be drawn."""

from __future__ import annotations

import copy
import io
import os
import textwrap
from pathlib import Path

import pytest

from psoas_cli.cli.errors import ExitStatus
from psoas_cli.errors import CatalogueError
from psoas_cli.files import datafiles
from psoas_cli.model import figures
from psoas_cli.ui.figures import raster
from psoas_cli.ui.figures.view import choose_mode, figure_lines, figure_text

BOXES = [(20, 8), (30, 12), (40, 16)]


@pytest.fixture(scope="module")
def bundled():
    return datafiles.load_catalogue()


def _all_figures():
    return [(s.slug, s.figure) for s in datafiles.load_catalogue()]


# -- the built-in figures ----------------------------------------------------------

def test_every_built_in_stretch_has_a_valid_figure(bundled):
    # the article's eleven, five additions (issue 21) and six a program unlocks (issue 24)
    assert len(bundled) == 22
    for stretch in bundled:
        assert stretch.figure is not None, stretch.slug
        # What the cache and --json carry goes through the checker unchanged.
        assert figures.check(stretch.figure.to_plain()) == stretch.figure, stretch.slug


def test_one_sided_stretches_mark_the_limb_of_the_side_worked(bundled):
    """Right side = the near limbs: the limb the side word names (pigeon's right
    knee forward: its front leg, whose knee the caution protects); the dead bug
    reaches the right leg and the left (far) arm, as its side_means says with
    {other}."""
    for stretch in bundled:
        if stretch.each_side:
            expected = ("near leg",)
            if "{other} arm" in stretch.side_means:
                expected += ("far arm",)
            assert stretch.figure.worked == expected, stretch.slug


def test_the_five_figures_fixed_in_issue_21_show_what_their_steps_say(bundled):
    def joint(slug, name):
        return bundled.find(slug).figure.joint(name)

    roller = bundled.find("foam-roller").figure
    assert roller.worked == ("lower back",)  # not the thighs: it is no quad roll
    assert joint("foam-roller", "hip_near")[0] < roller.roller[0] < joint("foam-roller", "spine")[0]
    # pigeon's front shin and foot lie on the mat
    assert joint("pigeon", "ankle_near")[1] <= 0.5 and joint("pigeon", "toe_near")[1] <= 1
    # side-lying: propped on the bottom forearm, the top thigh drawn back and up
    assert joint("side-lying", "elbow_far")[1] < 1 < joint("side-lying", "shoulder_far")[1]
    assert joint("side-lying", "knee_near")[0] < joint("side-lying", "hip_near")[0]
    # camel's head goes only a little back: never below the neck
    assert joint("camel", "head")[1] >= joint("camel", "neck")[1]
    # half-kneeling holds the stretch: the hips shifted ahead of the back knee
    assert joint("half-kneeling", "hip_near")[0] - joint("half-kneeling", "knee_near")[0] >= 2


def test_the_lower_back_is_a_part_a_figure_may_mark(bundled):
    data = bundled.find("foam-roller").figure.to_plain()
    assert figures.check({**data, "worked": "lower back"}).worked == ("lower back",)
    with pytest.raises(figures.FigureInvalid, match="none of: .*torso, lower back"):
        figures.check({**data, "worked": "lower belly"})


@pytest.mark.parametrize("mode", list(raster.MODES))
@pytest.mark.parametrize("width, height", BOXES)
def test_figures_fit_their_boxes_without_clipping(mode, width, height):
    for slug, figure in _all_figures():
        assert raster._draw(figure, width, height, mode).clipped == 0, slug
        rows = raster.render(figure, width, height, mode)
        used_width = max(len(row) for row in rows)
        assert len(rows) <= height and used_width <= width, slug
        # Scaled to the box: it fills the box one way or the other.
        assert used_width >= width - 2 or len(rows) >= height - 2, (slug, used_width, len(rows))


@pytest.mark.parametrize("width, height", [(0, 0), (1, 1), (3, 2), (6, 3),
                                           pytest.param(200, 60, marks=pytest.mark.slow)])
def test_tiny_and_huge_boxes_never_overflow(width, height):
    for slug, figure in _all_figures():
        for mode in raster.MODES:
            rows = raster.render(figure, width, height, mode, "left")
            assert len(rows) <= max(height, 1), slug
            assert all(len(row) <= max(width, 1) for row in rows), slug


def test_a_figure_grows_with_its_box():
    figure = datafiles.load_catalogue().find("standing").figure
    heights = [len(raster.render(figure, w, h)) for w, h in BOXES]
    assert heights == [8, 12, 16]


# -- mirroring -----------------------------------------------------------------------

# Braille dots by (row, column) -> bit; mirroring swaps the two columns.
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


def _mirror_char(char: str) -> str:
    code = ord(char)
    if 0x2800 <= code <= 0x28FF:
        bits = code - 0x2800
        flipped = 0
        for left, right in _DOTS:
            flipped |= (right if bits & left else 0) | (left if bits & right else 0)
        return chr(0x2800 + flipped) if flipped else " "
    return {"/": "\\", "\\": "/", "(": ")", ")": "("}.get(char, char)


@pytest.mark.parametrize("mode", list(raster.MODES))
def test_left_is_the_exact_mirror_of_right(mode):
    for slug, figure in _all_figures():
        for width, height in BOXES:
            right = raster.render(figure, width, height, mode, "right")
            left = raster.render(figure, width, height, mode, "left")
            mirrored = tuple(tuple(raster.Cell(_mirror_char(c.char), c.worked)
                                   for c in reversed(row)) for row in right)
            assert left == mirrored, (slug, width, height)
            assert left != right, slug  # no figure is symmetric, so a no-op would show


def test_mirrored_figure_reflects_every_x_and_mirroring_twice_gives_it_back(bundled):
    figure = bundled.find("seated").figure
    other = figure.mirrored()
    assert other.joint("head") == (figures.X_MAX - figure.joint("head")[0],
                                   figure.joint("head")[1])
    assert other.chair[:2] == (figures.X_MAX - figure.chair[0], figures.X_MAX - figure.chair[1])
    assert other.worked == figure.worked
    assert other.mirrored() == figure


# -- drawing -----------------------------------------------------------------------

PIGEON_30x12 = [
    "                     ⡠⠤⢤⡀     ",
    "                    ⠸⡀  ⡇     ",
    "                     ⠉⡖⠋      ",
    "                     ⢸⡆       ",
    "                    ⢀⡇⡇       ",
    "                    ⡸ ⢸       ",
    "                   ⢠⠃ ⠘⡄      ",
    "                 ⢀⣀⣼⣄⣀⣀⡇      ",
    " ⠠⠤⠤⠤⠤⠤⠤⠤⠤⠒⠒⠒⠒⠉⠉⠉⠁ ⠉⠛⠿⠿⠿⠿⠿⠷⠶  ",
    "⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠉⠁",
]

HALF_KNEELING_ASCII_30x12 = [
    "             O        ",
    "             \\        ",
    "             |\\       ",
    "             | \\      ",
    "             |  \\     ",
    "            #----\\-|  ",
    "           ##     |   ",
    "          #       |   ",
    " #########        --- ",
    "______________________",
]


def test_exact_braille_drawing_of_pigeon(bundled):
    rows = raster.render(bundled.find("pigeon").figure, 30, 12, "braille")
    assert raster.lines(rows) == PIGEON_30x12
    # The front leg, knee forward, is the worked one; the long back leg, the
    # head and the floor are not.
    marked = ["".join("W" if c.worked else "." for c in row) for row in rows]
    assert marked[0] == "." * 30 and marked[-1] == "." * 30
    assert marked[8] == "." * 19 + "W" * 9 + ".."
    assert "W" not in marked[8][:18]  # the back leg


def test_exact_ascii_drawing_of_half_kneeling(bundled):
    rows = raster.render(bundled.find("half-kneeling").figure, 30, 12, "ascii")
    assert raster.lines(rows) == HALF_KNEELING_ASCII_30x12
    assert all(c.worked == (c.char == "#") for row in rows for c in row)


@pytest.mark.parametrize("mode", ["braille", "halfblock"])
def test_the_worked_limb_is_drawn_thicker_so_it_shows_without_colour(bundled, mode):
    figure = bundled.find("standing").figure
    plain = figure._replace(worked=())

    def dots(rows):
        if mode == "braille":
            return sum(bin(ord(c.char) - 0x2800).count("1") for row in rows for c in row
                       if c.char != " ")
        return sum({" ": 0, "▀": 1, "▄": 1, "█": 2}[c.char] for row in rows for c in row)

    marked, unmarked = (raster.render(f, 40, 16, mode) for f in (figure, plain))
    assert any(c.worked for row in marked for c in row)
    assert not any(c.worked for row in unmarked for c in row)
    assert dots(marked) > dots(unmarked) + 10


def test_rendering_is_cached_per_figure_box_mode_and_side(bundled):
    figure = bundled.find("camel").figure
    first = raster.render(figure, 40, 16, "braille", "right")
    assert raster.render(figure, 40, 16, "braille", "right") is first
    assert raster.render(figure, 40, 16, "braille", "left") is not first


def test_rich_text_colours_only_the_worked_limb(bundled):
    text = figure_text(bundled.find("pigeon").figure, 30, 12, mode="braille",
                       worked_style="bold red")
    assert text.plain.split("\n") == PIGEON_30x12
    styled = [False] * len(text.plain)
    for span in text.spans:
        assert str(span.style) == "bold red"
        styled[span.start:span.end] = [True] * (span.end - span.start)
    rows = raster.render(bundled.find("pigeon").figure, 30, 12, "braille")
    offset = 0
    for row in rows:
        for number, cell in enumerate(row):
            if cell.char != " ":  # a blank's style cannot be seen
                assert styled[offset + number] == cell.worked
        offset += len(row) + 1


# -- where Unicode cannot be shown -------------------------------------------------

class _Stream(io.StringIO):
    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self):
        return self._encoding


@pytest.mark.parametrize("encoding, environ, expected", [
    ("utf-8", {"LANG": "en_GB.UTF-8"}, "braille"),
    ("utf-8", {}, "braille"),
    ("utf-8", {"LANG": "C"}, "ascii"),                 # Python says UTF-8; the terminal may not
    ("utf-8", {"LC_ALL": "POSIX", "LANG": "en_GB.UTF-8"}, "ascii"),
    ("utf-8", {"LC_ALL": "C.UTF-8", "LANG": "C"}, "braille"),
    ("ascii", {"LANG": "en_GB.UTF-8"}, "ascii"),
    ("latin-1", {}, "ascii"),
    ("cp437", {}, "halfblock"),                         # blocks, but no braille
    ("utf-8", {"TERM": "linux"}, "fullblock"),          # the Linux console: no half blocks
    ("no-such-codec", {}, "ascii"),
])
def test_the_mode_follows_what_the_output_can_show(encoding, environ, expected):
    assert choose_mode(_Stream(encoding), environ=environ, coerced=False) == expected


@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, "ascii"),            # LANG=C, coerced by Python
    ({"LANG": "POSIX", "LC_CTYPE": "C.UTF-8"}, "ascii"),
    ({"LC_CTYPE": "C.UTF-8"}, "ascii"),                          # no locale at all
    ({"LANG": "en_GB.UTF-8", "LC_CTYPE": "C.UTF-8"}, "braille"),  # a UTF-8 locale not installed
])
def test_pythons_own_utf8_coercion_does_not_hide_a_c_locale(environ, expected):
    assert choose_mode(_Stream("utf-8"), environ=environ, coerced=True) == expected


def test_ascii_figures_are_pure_ascii_and_the_worked_limb_still_shows(bundled):
    for stretch in bundled:
        for width, height in BOXES:
            lines = figure_lines(stretch.figure, width, height, mode="ascii")
            "\n".join(lines).encode("ascii")  # raises if anything is not
            assert "#" in "".join(lines), stretch.slug
            assert "O" in "".join(lines), stretch.slug  # the head


# -- checking figure data ----------------------------------------------------------

@pytest.fixture
def good(bundled):
    return bundled.find("standing").figure.to_plain()


def _broken(good: dict, change) -> figures.FigureInvalid:
    data = copy.deepcopy(good)
    change(data)
    with pytest.raises(figures.FigureInvalid) as caught:
        figures.check(data)
    return caught.value


def _set(*path_and_value):
    *path, value = path_and_value

    def change(data):
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value
    return change


def _drop(*path):
    def change(data):
        for key in path[:-1]:
            data = data[key]
        del data[path[-1]]
    return change


@pytest.mark.parametrize("change, message, path", [
    (_drop("joints", "knee_far"), "joint 'knee_far' is missing", ("joints",)),
    (_set("joints", "kne_far", [1, 1]),
     "joint 'kne_far' is unknown (did you mean 'knee_far'?)", ("joints", "kne_far")),
    (_set("joints", "knee_far", [50, 5]), "joint 'knee_far': x is 50, outside the grid's 0 to 40",
     ("joints", "knee_far")),
    (_set("joints", "knee_far", [20, -1]), "joint 'knee_far': y is -1, outside the grid's 0 to 24",
     ("joints", "knee_far")),
    (_set("joints", "knee_far", [20]),
     "joint 'knee_far' must be [x, y], two numbers, not a list of 1", ("joints", "knee_far")),
    (_set("joints", "knee_far", "20, 5"), "joint 'knee_far' must be [x, y], two numbers, not text",
     ("joints", "knee_far")),
    (_set("joints", "knee_far", ["a", 5]), "joint 'knee_far': x must be a number, not text",
     ("joints", "knee_far")),
    # A shin three thighs long: the ankle is blamed, not the knee.
    (_set("joints", "ankle_far", [20.6, 0.0]), None, None),
    (_set("joints", "ankle_far", [34, 1.0]), "joint 'ankle_far': the far shin (knee_far to "
     "ankle_far) is 14.4 long, 3.1x the 4.6 the other bones imply", ("joints", "ankle_far")),
    (_set("joints", "hand_near", [14.2, 11.0]), "joint 'hand_near': the near forearm (elbow_near "
     "to hand_near) is 0.4 long, 0.1x", ("joints", "hand_near")),
    (_set("joints", "shoulder_near", [13, 13.6]), "joint 'shoulder_near' is 3.2 from the neck",
     ("joints", "shoulder_near")),
    (_set("joints", "toe_far", [22, 0.3]), None, None),
    (_set("props", "floor", 0.35), "joint 'toe_far' is below the floor (y 0.3, floor 0.35)",
     ("joints", "toe_far")),
    (_set("worked", ["near leg", "left leg"]), "'worked' names 'left leg', which is none of: "
     "near leg, far leg", ("worked", 1)),
    (_set("worked", "elbow"), "'worked' names 'elbow'", ("worked",)),
    (_set("props", "mat", 1), "prop 'mat' is unknown", ("props", "mat")),
    (_set("props", "chair", {"back": 8, "front": 12, "seat": 5, "top": 3}),
     "the chair's top (3) must be above its seat (5)", ("props", "chair")),
    (_set("props", "chair", {"back": 8, "front": 12}), "prop 'chair' needs 'seat'",
     ("props", "chair")),
    (_set("props", "roller", {"x": 11, "y": 1, "r": 0}), "the roller's r must be more than 0",
     ("props", "roller")),
    (_set("pose", "lunge"), "unknown key 'pose'", ("pose",)),
    (_drop("joints"), "needs 'joints'", ()),
])
def test_check_names_the_joint_or_key_at_fault(good, change, message, path):
    if message is None:  # a control: small moves are fine
        data = copy.deepcopy(good)
        change(data)
        figures.check(data)
        return
    error = _broken(good, change)
    assert error.message.startswith(message), error.message
    assert error.path == path


def test_a_figure_must_be_a_mapping():
    with pytest.raises(figures.FigureInvalid, match="must be a mapping with joints"):
        figures.check([1, 2])


def test_the_spine_may_be_left_out_and_sits_halfway(good):
    del good["joints"]["spine"]
    figure = figures.check(good)
    (nx, ny), (hx, hy) = figure.joint("neck"), figure.joint("hip_near")
    assert figure.joint("spine") == pytest.approx(((nx + hx) / 2, (ny + hy) / 2))


# -- figures in a catalogue file -----------------------------------------------------

def _catalogue_with_figure(figure_yaml: str) -> str:
    return textwrap.dedent("""\
        stretches:
          - slug: alpha
            name: Alpha stretch
            position: standing
            hold: 20-30
            steps: [Stand tall]
        """) + textwrap.indent(figure_yaml, "    ")


FIGURE_YAML = """\
figure:
  worked: [near leg]
  props:
    floor: 0
  joints:
    head:          [16.4, 15.8]
    neck:          [16.2, 13.8]
    shoulder_near: [16.2, 13.6]
    elbow_near:    [13.9, 11.2]
    hand_near:     [15.9, 8.6]
    shoulder_far:  [16.2, 13.6]
    elbow_far:     [13.9, 11.2]
    hand_far:      [15.9, 8.6]
    hip_near:      [16, 7.8]
    knee_near:     [13.2, 3.9]
    ankle_near:    [9.4, 1.4]
    toe_near:      [10.6, 0.4]
    hip_far:       [16, 7.8]
    knee_far:      [20.4, 5.6]
    ankle_far:     [20.6, 1]
    toe_far:       [22, 0.3]
"""


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_user_catalogue_may_give_a_figure_or_none(write_yaml):
    with_figure = datafiles.load_catalogue(write_yaml(_catalogue_with_figure(FIGURE_YAML)))
    assert with_figure.find("alpha").figure.joint("head") == (16.4, 15.8)
    without = datafiles.load_catalogue(write_yaml(_catalogue_with_figure(""), name="plain.yaml"))
    assert without.find("alpha").figure is None


def test_figures_survive_the_catalogue_cache(write_yaml, tmp_path):
    path = write_yaml(_catalogue_with_figure(FIGURE_YAML))
    fresh = datafiles.load_catalogue(path, cache_dir=str(tmp_path / "cache"))
    cached = datafiles.load_catalogue(path, cache_dir=str(tmp_path / "cache"))
    assert cached.find("alpha").figure == fresh.find("alpha").figure
    assert isinstance(cached.find("alpha").figure, figures.Figure)


@pytest.mark.parametrize("old, new, line_of, message", [
    ("knee_far:      [20.4, 5.6]", "knee_far:      [45, 5.6]", "knee_far:",
     "joint 'knee_far': x is 45, outside the grid's 0 to 40"),
    ("ankle_far:     [20.6, 1]", "ankle_far:     [34, 1]", "ankle_far:",
     "joint 'ankle_far': the far shin (knee_far to ankle_far) is 14.4 long, 3.1x"),
    ("    toe_far:       [22, 0.3]\n", "", "joints:", "joint 'toe_far' is missing"),
    ("toe_far:", "toes_far:", "toes_far:", "joint 'toes_far' is unknown (did you mean 'toe_far'?)"),
    ("worked: [near leg]", "worked:\n    - near leg\n    - left leg", "- left leg",
     "'worked' names 'left leg'"),
    ("floor: 0", "floor: 0\n    bench: 3", "bench:", "prop 'bench' is unknown"),
    ("  worked: [near leg]\n", "  worked: [near leg]\n  colour: red\n", "colour:",
     "unknown key 'colour'"),
])
def test_figure_errors_point_at_the_joints_own_line(write_yaml, old, new, line_of, message):
    text = _catalogue_with_figure(FIGURE_YAML.replace(old, new))
    assert text != _catalogue_with_figure(FIGURE_YAML)
    path = write_yaml(text)
    with pytest.raises(CatalogueError) as caught:
        datafiles.load_catalogue(path)
    expected = f"{path}:{_line_of(text, line_of)}: stretch 'alpha', field 'figure': {message}"
    assert str(caught.value).startswith(expected), str(caught.value)


def test_a_figure_that_is_not_a_mapping_points_at_its_field(write_yaml):
    text = _catalogue_with_figure("figure: stick man\n")
    path = write_yaml(text)
    with pytest.raises(CatalogueError) as caught:
        datafiles.load_catalogue(path)
    assert str(caught.value).startswith(f"{path}:{_line_of(text, 'figure:')}: stretch 'alpha', "
                                        f"field 'figure': must be a mapping")


def test_cli_reports_a_bad_figure_in_one_line_and_exits_1(run, write_yaml):
    text = _catalogue_with_figure(FIGURE_YAML.replace("[20.4, 5.6]", "[20.4, 30]"))
    path = write_yaml(text)
    result = run("--catalogue", path, "list")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == (f"Error: {path}:{_line_of(text, 'knee_far:')}: stretch 'alpha', "
                             "field 'figure': joint 'knee_far': y is 30, outside the grid's "
                             "0 to 24\n")


# -- the bed (issue 23: the Thomas test lies at the end of one) ------------------------------

BED_FIGURE = {"worked": "near leg", "props": {"floor": 0, "bed": {"head": 0.6, "foot": 13.4,
                                                                  "top": 7}},
              "joints": {"head": [3, 8.3], "neck": [5, 7.7], "spine": [8, 7.7],
                         "shoulder_near": [5.2, 7.7], "elbow_near": [6.4, 10.4],
                         "hand_near": [9.2, 11.2], "shoulder_far": [5.2, 7.7],
                         "elbow_far": [6.4, 10.4], "hand_far": [9.2, 11.2],
                         "hip_near": [11, 7.7], "knee_near": [15.8, 7.6],
                         "ankle_near": [16, 3], "toe_near": [17.1, 2.2], "hip_far": [11, 7.7],
                         "knee_far": [8.4, 11.6], "ankle_far": [12, 9.2],
                         "toe_far": [13.2, 9.6]}}


def bed_figure(**bed):
    data = {**BED_FIGURE, "props": {"floor": 0, "bed": {**BED_FIGURE["props"]["bed"], **bed}}}
    return figures.check(data)


def test_a_bed_is_mirrored_and_kept_through_the_cache_form():
    figure = bed_figure()
    assert figure.bed == (0.6, 13.4, 7)
    assert figure.mirrored().bed == (figures.X_MAX - 0.6, figures.X_MAX - 13.4, 7)
    assert figure.mirrored().mirrored() == figure
    assert figures.Figure.from_plain(figure.to_plain()) == figure
    assert figure.to_plain()["props"]["bed"] == {"head": 0.6, "foot": 13.4, "top": 7}


@pytest.mark.parametrize("bed, message", [
    ({"foot": 1.5}, "the bed's head and foot are too close together"),
    ({"top": 2.5}, "the bed's top is 2.5: it needs to be at least 3 above the floor"),
    ({"top": "high"}, "must be a number"),
])
def test_a_bed_that_cannot_be_drawn_is_refused(bed, message):
    with pytest.raises(figures.FigureInvalid) as caught:
        bed_figure(**bed)
    assert message in caught.value.message and caught.value.path[:2] == ("props", "bed")


def test_the_thomas_test_on_its_bed_at_40x16(tmp_path):
    """The mattress, its legs and the floor under the figure lying on it; the
    hanging leg is the worked one, off the end of the bed."""
    from psoas_cli.files import datafiles

    figure = datafiles.load_selftests().default.figure
    rows = raster.render(figure, 40, 16, "braille")
    shown = "\n".join(raster.lines(rows)).rstrip() + "\n"
    path = Path(__file__).resolve().parent / "shown" / "thomas-right-40x16.txt"
    if os.environ.get("PSOAS_UPDATE_FRAMES"):
        path.write_text(shown, encoding="utf-8")
    assert shown == path.read_text(encoding="utf-8")
    left = raster.render(figure, 40, 16, "braille", "left")
    assert len(left) == len(rows)
    worked_columns = {i for row in rows for i, c in enumerate(row) if c.worked}
    assert min(worked_columns) > len(rows[0]) // 2  # the hanging leg, at the foot of the bed
