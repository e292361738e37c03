"""The README's transcripts are what psoas prints today."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TRANSCRIPTS = re.findall(r"```console\n\$ psoas ?(.*?)\n(.*?)```", README, re.S)


def test_readme_has_transcripts():
    assert len(TRANSCRIPTS) >= 2


@pytest.mark.parametrize("args, expected", TRANSCRIPTS, ids=[t[0] for t in TRANSCRIPTS])
def test_transcript_matches_output(run, args, expected):
    result = run(*shlex.split(args))
    assert result.output == expected


def quick_start() -> list[str]:
    block = README.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return block.strip().splitlines()


def test_quick_start_has_exactly_the_two_commands():
    lines = quick_start()
    assert len(lines) == 2
    assert lines[0].startswith("python3 -m venv .venv && ") and "psoas" in lines[0]
    assert "'.[test]'" in lines[1] and " -m pytest -q" in lines[1]


def test_ci_runs_the_quick_starts_test_command_and_it_runs_every_test():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pattern = re.search(r"grep -m1 -E '([^']+)' README\.md", ci).group(1)
    assert re.search(f"(?m){pattern}.*$", README).group() == quick_start()[1]
    options = shlex.split(quick_start()[1].split(" -m pytest", 1)[1])
    assert "-n" in options  # in parallel (pytest-xdist)
    assert not {"-m", "-k", "--deselect", "--ignore", "--lf", "-x"} & set(options)  # slow too


def test_the_routines_table_is_what_the_routines_plan(run):
    """Level, length, hip-flexor holds a side, the bridges' share and the purpose
    of each built-in routine, as their plans (--dry-run --json) give them."""
    import json

    from psoas_cli.files import datafiles

    hip_behind = {"standing", "half-kneeling", "low-lunge", "supine", "side-lying",
                  "side-sitting"}
    rows = re.findall(r"^\| `([a-z-]+)` \| (\w+) \| ([\d:]+) \| (\d+) s \| (\d+)% \| (.+) \|$",
                      README, re.M)
    routines = datafiles.load_routines(datafiles.load_catalogue())
    assert [row[0] for row in rows] == list(routines)
    for name, level, length, per_side, bridges, purpose in rows:
        plan = json.loads(run("routine", name, "--dry-run", "--json").output)
        total = plan["total_seconds"]
        by_item: dict = {}
        for phase in plan["phases"]:
            by_item[phase["item"]] = by_item.get(phase["item"], 0) + phase["seconds"]
        bridge = sum(seconds for item, seconds in by_item.items()
                     if plan["stretches"][item - 1] in ("glute-bridge", "bridge-set"))
        held = sum(p["seconds"] for p in plan["phases"] if p["kind"] == "hold"
                   and p["side"] == "right" and p["stretch"] in hip_behind)
        minutes, seconds = divmod(int(total), 60)
        assert (level, length, int(per_side), int(bridges), purpose) == (
            plan["fit"]["level"], f"{minutes}:{seconds:02d}", held,
            round(100 * bridge / total), plan["purpose"]), name
