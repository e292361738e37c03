"""Names in double-width characters (Chinese, Japanese, Korean): every column
of psoas list and psoas show still starts in the same terminal cell, and no
line is wider than the terminal.  The table engine counts cells, not
characters; Rich's own cell_len checks it here."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

WIDE = """\
version: 1
caution: 感到疼痛就停下。Stop if it hurts.
breathing: 慢慢呼吸。
stretches:
  - slug: pigeon
    name: 鸽子式 pose
    aliases: [鸽子式]
    position: all fours
    hold: 20-30
    reps: 3
    sides: both
    side_means: "{side} knee forward"
    equipment: [瑜伽垫, 瑜伽砖]
    cue: 髋部摆正，肩膀放松，呼吸均匀，保持脊柱延展
    steps:
      - 从四肢着地开始，把右膝向前移到右手腕后面，右脚放在左手腕前面，然后慢慢放低臀部。
      - Slide the left leg straight back, top of the foot on the mat.
  - slug: cobra
    name: Cobra pose
    position: face-down
    hold: 20-30
    reps: 3-5
    sides: none
    equipment: [mat]
    steps: [Lie face down.]
  - slug: half-kneeling
    name: 半跪式髋屈肌拉伸 half-kneeling
    position: kneeling
    hold: 20-30
    reps: 1
    sides: none
    steps: [Kneel.]
"""

LIST_80 = """\
#  Stretch                         Position   Hold     Reps      Needs
───────────────────────────────────────────────────────────────────────
1  鸽子式 pose                     all fours  20-30 s  3 a side  瑜伽垫
                                                                 瑜伽砖
2  Cobra pose                      face-down  20-30 s  3-5       mat
3  半跪式髋屈肌拉伸 half-kneeling  kneeling   20-30 s  1         -
3 stretches. 'psoas show NAME' for the steps.
"""

# Too narrow for the long name: it wraps, by cells, within its column.
LIST_40 = """\
#  Stretch             Hold     Reps
────────────────────────────────────────
1  鸽子式 pose         20-30 s  3 a side
2  Cobra pose          20-30 s  3-5
3  半跪式髋屈肌拉伸    20-30 s  1
   half-kneeling
3 stretches. 'psoas show NAME' for the
steps.
"""

# The values start in cell 11 and wrap within the 30 cells after it; a long
# step without spaces is cut between characters, never wider than the window.
SHOW_40 = """\
1. 鸽子式 pose  (pigeon)
Also called: 鸽子式

Position  all fours
Needs     瑜伽垫, 瑜伽砖
Targets   -
Hold      20-30 s
Reps      3 each side
Sides     Right side: right knee
          forward.
          Left side: left knee forward.

Take care
- 感到疼痛就停下。Stop if it hurts.

Steps
1.
   从四肢着地开始，把右膝向前移到右手腕
   后面，右脚放在左手腕前面，然后慢慢放
   低臀部。
2. Slide the left leg straight back, top
   of the foot on the mat.

Focus     髋部摆正，肩膀放松，呼吸均匀，
          保持脊柱延展
Breathe   慢慢呼吸。
"""


@pytest.fixture
def wide(write_yaml):
    return write_yaml(WIDE)


def starts(line: str, word: str) -> int:
    """The terminal cell where ``word`` begins in ``line``."""
    return cell_len(line[:line.index(word)])


@pytest.mark.parametrize("columns, expected", [("80", LIST_80), ("40", LIST_40)])
def test_list_keeps_its_columns_aligned_after_a_double_width_name(run, wide, columns, expected):
    result = run("--catalogue", wide, "list", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert result.output == expected
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= int(columns)
    rows = [line for line in lines if "20-30 s" in line]
    assert {starts(line, "20-30 s") for line in rows} == {starts(lines[0], "Hold")}


def test_list_as_wide_as_before_for_ascii_names(run, wide):
    """Cobra's row is laid out as any ASCII row: its cells are its characters."""
    lines = run("--catalogue", wide, "list").output.splitlines()
    cobra = next(line for line in lines if "Cobra" in line)
    assert len(cobra) == cell_len(cobra)
    assert starts(cobra, "face-down") == starts(lines[0], "Position")


def test_show_keeps_its_columns_aligned_with_double_width_values(run, wide):
    result = run("--catalogue", wide, "show", "pigeon", env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    assert result.output == SHOW_40
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= 40
    assert starts(lines[4], "瑜伽垫") == starts(lines[3], "all fours") == 10
    assert starts(lines[-2], "保持") == 10
