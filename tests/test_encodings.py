"""Every command prints on an ASCII-only output, never a UnicodeEncodeError.

PYTHONIOENCODING=ascii, or a C locale with Python's UTF-8 mode and locale
coercion off, leave psoas a stream that takes ASCII only: rules, bars and
the heat map are drawn in ASCII, other text that cannot be shown becomes
'?', and JSON escapes it.  (The live screen is tested in test_pty.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from psoas_cli.history import History, Session
from psoas_cli.ui.terminal import to_ascii, unicode_ok

ROOT = Path(__file__).resolve().parent.parent

# Runs each command in one process, as the psoas command would, and marks where
# each one's output begins.
SCRIPT = """
import sys
from psoas_cli.cli.main import main
for args in COMMANDS:
    print("=== " + " ".join(args), flush=True)
    sys.argv = ["psoas", *args]
    try:
        main()
    except SystemExit as exc:
        if exc.code:
            print("exit", exc.code, flush=True)
"""

CATALOGUE = """\
stretches:
  - slug: cafe
    name: Café stretch
    position: standing
    hold: 20
    steps: [Stand by the café door.]
"""

ROUTINES = "routines:\n  quick:\n    items: [{stretch: cobra, hold: 1, reps: 1, setup: 0}]\n"

COMMANDS = [["list"], ["show", "pigeon"], ["routine"], ["routine", "desk", "--dry-run"],
            ["history"], ["history", "--json"],
            ["routine", "quick", "--routines", "ROUTINES", "--sound", "none", "--no-history"],
            ["--catalogue", "CATALOGUE", "show", "cafe"],
            ["--catalogue", "CATALOGUE", "list", "--json"]]


@pytest.mark.parametrize("env", [
    {"PYTHONIOENCODING": "ascii"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
     "PYTHONIOENCODING": ""},
], ids=["PYTHONIOENCODING=ascii", "LC_ALL=C"])
def test_every_command_prints_in_ascii(tmp_path, env):
    home = tmp_path / "home"
    with History(home) as store:
        store.save(Session("desk", time.time() - 600, status="finished", active_seconds=400))
    catalogue = tmp_path / "cafe.yaml"
    catalogue.write_text(CATALOGUE, encoding="utf-8")
    routines = tmp_path / "quick.yaml"
    routines.write_text(ROUTINES)
    files = {"CATALOGUE": str(catalogue), "ROUTINES": str(routines)}
    commands = [[files.get(a, a) for a in c] for c in COMMANDS]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "PSOAS_HOME": str(home), **env}
    full_env.pop("NO_COLOR", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT.replace("COMMANDS", repr(commands))],
                          env=full_env, capture_output=True, timeout=60)
    assert done.stderr == b"", done.stderr.decode(errors="replace")
    out = done.stdout.decode("ascii")  # it is ASCII, or this fails
    assert "exit" not in out, out
    parts = {chunk.split("\n", 1)[0]: chunk.split("\n", 1)[1]
             for chunk in out.split("=== ")[1:]}
    assert parts["list"].splitlines()[1] == "-" * 80
    assert "Mon .." in parts["history"] and "## 20+" in parts["history"]
    assert json.loads(parts["history --json"])["sessions"][0]["routine"] == "desk"
    assert parts[f"--catalogue {catalogue} show cafe"].startswith("1. Caf? stretch  (cafe)")
    assert json.loads(parts[f"--catalogue {catalogue} list --json"])[0]["name"] == "Café stretch"
    assert "Finished quick in 0:01." in parts[" ".join(commands[6])]


def test_ascii_stand_ins_keep_every_line_its_width():
    drawn = "psoas · warmup ─━…·░▒▓█▀▄→←"
    assert to_ascii(drawn) == "psoas | warmup -=~.:+%#\"_><"
    assert len(to_ascii(drawn)) == len(drawn)
    assert to_ascii(drawn).isascii()


class Stream:
    def __init__(self, encoding):
        self.encoding = encoding


@pytest.mark.parametrize("encoding, ok", [("utf-8", True), ("UTF-8", True), ("ascii", False),
                                          ("latin-1", False), ("cp437", False), (None, True)])
def test_which_streams_take_psoas_drawing(encoding, ok):
    assert unicode_ok(Stream(encoding)) is ok
