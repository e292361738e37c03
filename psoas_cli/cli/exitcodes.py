"""Exit statuses, by name, so tests and scripts agree on them."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from psoas_cli.play.events import Outcome


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # bad data file, failed run
    USAGE = 2  # bad option or a name that matches nothing
    HANGUP = 129  # the terminal went away (128 + SIGHUP)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)

    @classmethod
    def for_outcome(cls, outcome: Outcome | None) -> ExitStatus:
        """How psoas exits after a routine ended this way."""
        from psoas_cli.play.events import Outcome  # here, so that --help never loads the engine's types

        return {Outcome.FINISHED: cls.OK, Outcome.QUIT: cls.OK,
                Outcome.INTERRUPTED: cls.INTERRUPTED, Outcome.TERMINATED: cls.TERMINATED,
                Outcome.HUNG_UP: cls.HANGUP}.get(outcome, cls.ERROR)
