"""ruff and mypy find nothing in the core (issue 19, item 4).

mypy's settings are in pyproject.toml: strict everywhere but ui/ and cli/, which
are checked at its default level.  Both tools read the whole package; until ui/
and cli/ have no findings either, only the core and the leaves are held to none
here (HELD).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELD = ("psoas_cli/model", "psoas_cli/play", "psoas_cli/files", "psoas_cli/history",
        "psoas_cli/breaks", "psoas_cli/errors.py", "psoas_cli/text.py", "psoas_cli/limits.py",
        "psoas_cli/__init__.py", "psoas_cli/__main__.py")


pytestmark = pytest.mark.slow  # ruff and mypy, each a fresh process (mypy: seconds)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True)


def test_ruff_finds_nothing_in_the_core():
    done = _run("ruff", "check", "--no-cache", *HELD)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing_in_the_core():
    done = _run("mypy", "--no-error-summary")
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: findings; 2: no run
    assert [line for line in done.stdout.splitlines() if line.startswith(HELD)] == []
