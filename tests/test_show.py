"""psoas show for a beginner: the figure above the steps (mirrored for the left
side), what each side means, the cautions before the steps, breathing and an
easier variation; and the same as JSON.

The exact outputs are pinned in tests/shown/.  After a deliberate change,
look at them and write them with

    PSOAS_UPDATE_FRAMES=1 python -m pytest tests/test_show.py
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from psoas_cli.cli.app import App
from psoas_cli.files import datafiles
from psoas_cli.model.figures import X_MAX

SHOWN = Path(__file__).resolve().parent / "shown"
UTF8 = {"LC_ALL": None, "LC_CTYPE": None, "LANG": "en_GB.UTF-8"}
BRAILLE = range(0x2800, 0x2900)
# Braille dots by column: (1, 4), (2, 5), (3, 6), (7, 8) as bits.
_DOT_PAIRS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


class FakeTerminal(io.StringIO):
    encoding = "utf-8"

    def isatty(self):
        return True


def pinned(name: str, shown: str) -> str:
    path = SHOWN / name
    if os.environ.get("PSOAS_UPDATE_FRAMES"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(shown, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def figure_rows(output: str) -> list[str]:
    return [line for line in output.splitlines()
            if line and all(ord(c) in BRAILLE or c == " " for c in line)]


def mirror(rows: list[str]) -> list[str]:
    """Each row reversed, and each braille cell's dots swapped left for right."""
    def flip(char: str) -> str:
        bits = ord(char) - 0x2800 if ord(char) in BRAILLE else 0
        out = 0
        for left, right in _DOT_PAIRS:
            out |= (right if bits & left else 0) | (left if bits & right else 0)
        return chr(0x2800 + out) if out else " "

    width = max(len(row) for row in rows)
    return ["".join(flip(c) for c in reversed(row.ljust(width))).rstrip() for row in rows]


@pytest.mark.parametrize("side", ["right", "left"])
def test_show_pigeon_with_its_figure(run, side):
    args = ["show", "pigeon", "--figure"] + (["--side", side] if side == "left" else [])
    result = run(*args, env=UTF8)
    assert result.exit_code == 0, result.output
    assert result.output == pinned(f"pigeon-{side}.txt", result.output)


def test_the_left_figure_is_the_mirror_of_the_right(run):
    right = run("show", "pigeon", "--figure", env=UTF8).output
    left = run("show", "pigeon", "--figure", "--side", "left", env=UTF8).output
    assert len(figure_rows(right)) >= 8
    assert figure_rows(left) == mirror(figure_rows(right))
    assert figure_rows(left) != figure_rows(right)
    assert "Shown: Right shin across, left leg long behind you." in right
    assert "Shown: Left shin across, right leg long behind you." in left
    # Everything but the figure and its caption is the same.
    # (where to feel it and the mid-hold cue are said for the side shown).
    rest = [line for line in right.splitlines()
            if line not in figure_rows(right) and not line.startswith(("Shown:", "Feel"))]
    assert rest == [line for line in left.splitlines()
                    if line not in figure_rows(left) and not line.startswith(("Shown:", "Feel"))]
    assert "Feel      Feel it in the right buttock and the front of the left hip." in right
    assert "Feel      Feel it in the left buttock and the front of the right hip." in left


def test_a_beginner_reads_the_sides_and_cautions_before_the_steps(run):
    output = run("show", "pigeon").output
    order = [output.index(text) for text in (
        "Set-up    20-30 s to get into position",
        "Rest      15 s between reps, 15 s to switch sides",
        "Sides     Right shin across, left leg long behind you.\n"
        "          Left shin across, right leg long behind you.",
        "Take care\n- This can strain the knee of the bent leg",
        "- Stretch only to mild tension, never to pain.",
        "Steps\n1. Start on all fours",
        "Focus     Knee forward, shin across, back leg long, hips square",
        "Feel      Feel it in the right buttock and the front of the left hip.",
        "Fix       Front knee hurts? Come out now.",
        "Deepen    Breathe out, keep the front foot flexed, and let your hips sink.",
        "Breathe   Breathe slowly and evenly",
        "Easier    Slide a folded blanket")]
    assert order == sorted(order)


def test_the_general_caution_is_the_catalogues_word_for_word(run):
    cat = datafiles.load_catalogue()
    output = run("show", "glute").output
    block = output.split("- Stretch only", 1)[1].split("\n\n", 1)[0]
    assert " ".join(("Stretch only" + block).split()) == " ".join(cat.caution.split())
    assert output.count("never to pain") == 1


def test_an_advanced_stretch_says_so(run):
    shown = run("show", "camel").output
    assert "Level     advanced: leave it out while you are a beginner" in shown
    assert "Level" not in run("show", "glute").output


def test_no_figure_in_a_pipe_unless_asked(run):
    assert not figure_rows(run("show", "pigeon", env=UTF8).output)
    assert figure_rows(run("show", "pigeon", "--figure", env=UTF8).output)


@pytest.mark.parametrize("flag, drawn", [(None, True), ("--figure", True), ("--no-figure", False)])
def test_on_a_terminal_the_figure_is_drawn_unless_hidden(run, flag, drawn, monkeypatch):
    for name, value in UTF8.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    screen = FakeTerminal()
    args = ["show", "pigeon"] + ([flag] if flag else [])
    result = run(*args, app=App(stdout=screen))
    assert result.exit_code == 0
    shown = screen.getvalue()
    assert bool(figure_rows(shown)) is drawn
    assert shown.index("Take care") < shown.index("Steps")
    if drawn:  # above the steps
        assert shown.index(figure_rows(shown)[0]) < shown.index("Steps")


def test_a_narrow_terminal_keeps_every_line_in_its_width(run):
    output = run("show", "pigeon", "--figure", env={**UTF8, "COLUMNS": "30"}).output
    assert figure_rows(output)
    assert max(len(line) for line in output.splitlines()) <= 30


@pytest.mark.slow  # a fresh Python each
@pytest.mark.parametrize("env", [{"LANG": "C"}, {"LC_ALL": "POSIX"}, {"PYTHONIOENCODING": "ascii"}])
def test_where_unicode_cannot_be_shown_the_figure_is_ascii(env, tmp_path):
    base = {"PATH": os.environ.get("PATH", ""), "PSOAS_HOME": str(tmp_path), "TERM": "dumb"}
    done = subprocess.run([sys.executable, "-m", "psoas_cli", "show", "pigeon", "--figure"],
                          capture_output=True, env={**base, **env}, check=True)
    output = done.stdout.decode("ascii")  # raises on anything that is not ASCII
    assert done.stderr == b""
    assert "O" in output and "#" in output  # the head, and the worked leg without colour
    assert output.index("Shown: Right shin") < output.index("Steps")


def test_json_carries_the_joints_and_the_coaching(run):
    cat = datafiles.load_catalogue()
    data = json.loads(run("show", "pigeon", "--json").output)
    pigeon = cat.find("pigeon")
    assert data["figure"] == json.loads(json.dumps(pigeon.figure.to_plain()))
    assert data["figure"]["joints"]["knee_near"] == [16.0, 0.3]
    assert data["figure"]["worked"] == ["near leg"]  # the front leg: the knee named
    assert data["side_means"]["left"] == "left shin across, right leg long behind you"
    assert data["side_word"] == {"right": "right shin", "left": "left shin"}
    assert data["cautions"] == list(pigeon.cautions) and data["easier"] == pigeon.easier
    assert data["cautions_said"] == [{"say": said, "when": when}
                                     for said, when in pigeon.cautions_said]
    assert (data["feel"], data["fix"], data["deepen"]) == (pigeon.feel, pigeon.fix,
                                                           pigeon.deepen)
    assert (data["kind"], data["setup_seconds"], data["setup_most_seconds"]) == ("hold", 20, 30)
    assert data["breathing"] == cat.breathing
    assert data["general_caution"] == cat.caution
    assert 0 <= min(x for x, _ in data["figure"]["joints"].values()) <= X_MAX


def test_json_of_a_stretch_without_a_figure(run, write_yaml):
    path = write_yaml("""\
version: 1
stretches:
  - slug: doorway
    name: Doorway chest stretch
    position: standing
    hold: 20
    reps: 1
    sides: none
    cue: Chest forward
    steps: [Stand in a doorway.]
""")
    data = json.loads(run("--catalogue", path, "show", "doorway", "--json").output)
    assert data["figure"] is None and data["setup_seconds"] is None
    shown = run("--catalogue", path, "show", "doorway", "--figure").output
    assert "Steps\n1. Stand in a doorway." in shown
    # No cautions of its own: only the general one, from psoas's catalogue.
    assert "Take care\n- Stretch only to mild tension" in shown
    assert "Set-up" not in shown and "Sides" not in shown


def test_show_says_why_a_stretch_helps_and_when_psoas_added_it(run):
    shown = run("show", "half-kneeling").output
    assert ("Why       Squeezing the glute of the kneeling leg tells the hip flexors on that\n"
            "          side to let go, and tucking the tailbone tilts the pelvis back, so the\n"
            "          psoas is drawn long from below instead of the lower back arching to\n"
            "          dodge the stretch.\n") in shown
    assert "Added" not in shown
    childs = run("show", "childs-pose").output
    assert childs.startswith("12. Child's pose  (childs-pose)\n")
    assert "Added     by psoas: not one of the article's stretches\n" in childs
    data = json.loads(run("show", "childs-pose", "--json").output)
    assert data["addition"] is True and data["why"].startswith("After a backbend")


@pytest.mark.parametrize("args, said", [
    (["show", ""], "an empty name matches no stretch; 'psoas list' shows them all"),
    (["show", "  "], "an empty name matches no stretch; 'psoas list' shows them all"),
    (["play", "pigeon", ""], "an empty name matches no stretch; 'psoas list' shows them all"),
    (["routine", ""], "an empty name matches no routine; 'psoas routine' lists them"),
    (["test", ""], "an empty name matches no self-test (the tests: thomas or floor)"),
    (["program", "show", ""],
     "an empty name matches no program; 'psoas program list' lists them"),
    (["program", "start", ""],
     "an empty name matches no program; 'psoas program list' lists them"),
])
def test_an_empty_name_is_a_one_line_usage_error(run, args, said):
    from psoas_cli.cli.errors import ExitStatus

    result = run(*args, input="")
    assert (result.exit_code, result.output) == (ExitStatus.USAGE, f"Error: {said}\n")


@pytest.mark.parametrize("typed", ["-1", "+1", "-0", "-16"])
def test_a_signed_number_is_no_stretch_number(run, typed):
    """'-1' once read as '1' (the hyphen taken for a space in a name)."""
    import json

    stretches = len(json.loads(run("list", "--json").output))
    result = run("show", "--", typed)
    assert result.exit_code == 2
    assert result.output == (f"Error: there is no stretch number {typed}; the catalogue has 1 "
                             f"to {stretches}\n")
