"""The README's transcripts are what psoas prints today."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
TRANSCRIPTS = re.findall(r"```console\n\$ psoas ?(.*?)\n(.*?)```", README, re.S)


def test_readme_has_transcripts():
    assert len(TRANSCRIPTS) >= 2


@pytest.mark.parametrize("args, expected", TRANSCRIPTS, ids=[t[0] for t in TRANSCRIPTS])
def test_transcript_matches_output(run, args, expected):
    result = run(*shlex.split(args))
    assert result.output == expected


def test_quick_start_has_exactly_the_two_commands():
    block = README.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = block.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("python3 -m venv .venv && ") and "psoas" in lines[0]
    assert "'.[test]'" in lines[1] and lines[1].endswith("pytest -q")
