"""Exit statuses, by name, so tests and scripts agree on them."""

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # bad data file, failed run
    USAGE = 2  # bad option or a name that matches nothing
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)
