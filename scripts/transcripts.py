"""Rewrite the README's ```console blocks with what psoas prints today.

    python scripts/transcripts.py          # rewrites README.md in place
    python scripts/transcripts.py --check  # exit 1 if any block is out of date

Each block starts with a line `$ psoas ARGS`; the rest of the block is
replaced by the output of those arguments, run in-process as
tests/test_readme.py runs them: no colour, 80 columns, an empty psoas folder.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from psoas_cli.cli.main import cli  # noqa: E402

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(```console\n\$ psoas ?(.*?)\n)(.*?)(```)", re.S)


def output_of(args: str, home: str) -> str:
    env = {"PSOAS_HOME": home, "NO_COLOR": "1", "COLUMNS": "80", "LINES": "24",
           "TERM": "xterm-256color", "PSOAS_CATALOGUE": None, "PSOAS_ROUTINES": None,
           "PSOAS_NO_HISTORY": None, "FORCE_COLOR": None, "PSOAS_START_WAIT": None}
    result = CliRunner().invoke(cli, shlex.split(args), env=env, catch_exceptions=False)
    return result.output


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as home:
        new = BLOCK.sub(lambda m: m.group(1) + output_of(m.group(2), os.path.join(home, "h"))
                        + m.group(4), text)
    if "--check" in argv:
        print("README transcripts are current" if new == text else "README transcripts differ")
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    print(f"rewrote {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
