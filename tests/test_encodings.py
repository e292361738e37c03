"""Every command prints on an ASCII-only output, never a UnicodeEncodeError.

PYTHONIOENCODING=ascii, or a C locale with Python's UTF-8 mode and locale
coercion off, leave psoas a stream that takes ASCII only: rules, bars and
the heat map are drawn in ASCII, other text that cannot be shown becomes
'?', and JSON escapes it.  (The live screen is tested in test_pty.py.)
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from psoas_cli.history.records import new_session
from psoas_cli.history.store import History
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


@pytest.mark.slow  # a fresh Python each
@pytest.mark.parametrize("env", [
    {"PYTHONIOENCODING": "ascii"},
    {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
     "PYTHONIOENCODING": ""},
], ids=["PYTHONIOENCODING=ascii", "LC_ALL=C"])
def test_every_command_prints_in_ascii(tmp_path, env):
    home = tmp_path / "home"
    with History(home) as store:
        store.save(new_session("desk", time.time() - 600, status="finished", active_seconds=400))
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


def _outputs(commands: list[list[str]], env: dict, home: Path) -> dict[str, str]:
    """Each command's output, by its words, run in one process as psoas would."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "PSOAS_HOME": str(home)}
    full_env.pop("NO_COLOR", None)
    for name, value in env.items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
    script = "import sys\nprint('=== encoding', flush=True)\nprint(sys.stdout.encoding)\n" \
        + SCRIPT.replace("COMMANDS", repr(commands))
    done = subprocess.run([sys.executable, "-c", script], env=full_env, capture_output=True,
                          timeout=60)
    assert done.stderr == b"", done.stderr.decode(errors="replace")
    assert done.stdout.isascii(), done.stdout.decode(errors="replace")
    out = done.stdout.decode("ascii")
    return {chunk.split("\n", 1)[0]: chunk.split("\n", 1)[1] for chunk in out.split("=== ")[1:]}


# LANG=C as a user sets it: Python then turns on its UTF-8 mode and writes
# UTF-8, which the terminal may well not show; psoas draws in ASCII.
LANG_C = {"LANG": "C", "LC_ALL": None, "LC_CTYPE": None, "PYTHONIOENCODING": None,
          "PYTHONUTF8": None, "PYTHONCOERCECLOCALE": None}


@pytest.mark.slow  # a fresh Python
def test_lang_c_draws_every_view_in_ascii_though_python_writes_utf8(tmp_path):
    home = tmp_path / "home"
    with History(home) as store:
        store.save(new_session("desk", time.time() - 600, status="finished", active_seconds=400))
    parts = _outputs([["list"], ["show", "pigeon", "--figure"], ["history"], ["routine"],
                      ["routine", "desk", "--dry-run"], []], LANG_C, home)
    assert parts["encoding"].strip().lower() in ("utf-8", "utf8")
    assert parts["list"].splitlines()[1] == "-" * 80
    assert "Mon .." in parts["history"] and "## 20+" in parts["history"]
    assert parts["routine"].splitlines()[1] == "-" * 79  # as wide as the longest description
    plan = parts["routine desk --dry-run"].splitlines()
    head = next(n for n, line in enumerate(plan) if line.startswith("Start"))  # past the purpose
    assert plan[head + 1] == "-" * len(plan[head])
    assert any(line.split()[:1] == ["Total"] for line in plan)
    assert "#" in parts["show pigeon --figure"]  # the figure, its worked limb in ASCII
    assert "-" * 68 + "\n" in parts[""]  # the home page


def test_lang_c_draws_the_live_screen_in_ascii():
    from rich.console import Console

    from psoas_cli.files import datafiles
    from psoas_cli.play import timeline
    from psoas_cli.play.events import State
    from psoas_cli.ui.player.live import LivePlayer

    class Terminal(io.StringIO):
        encoding = "utf-8"

        def isatty(self) -> bool:
            return True

    plan = timeline.build(datafiles.load_routines(datafiles.load_catalogue())["warmup"])
    stream = Terminal()
    console = Console(file=stream, width=80, height=24, force_terminal=True,
                      color_system=None, legacy_windows=False)
    with LivePlayer(console, caution="Go easy.", environ={"LANG": "C"}) as player:
        for index in range(4):  # getting ready, holds, a rest: bars, big digits, the figure
            phase = plan.phases[index]
            player.draw(State(plan, index, phase.duration / 2, False, False, phase.start + 1))
    written = stream.getvalue()
    assert written.isascii(), sorted({c for c in written if not c.isascii()})
    assert "##" in written and "==" in written  # big digits and a bar, in ASCII


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
