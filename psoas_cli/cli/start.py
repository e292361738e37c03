"""Where ``psoas`` starts: the command line loaded and run inside one ``try``.

Everything else loads from here (Click and the root group: about 40 ms), so
Ctrl-C at any moment of starting, before a command has its own handling,
ends psoas as an interrupted command does, with status 130 and no traceback.
(Before this module runs, Python is still starting: the launcher pip writes,
``import re`` and the like, which psoas can't reach.)
"""

import sys  # loaded already by Python itself: this module imports nothing new

INTERRUPTED = 130  # 128 + SIGINT, as cli/errors.ExitStatus.INTERRUPTED


def main() -> None:
    try:
        # noqa below: loaded inside the try so Ctrl-C while it loads (~40 ms) is caught
        from psoas_cli.cli.main import main as run  # noqa: PLC0415

        run()
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
