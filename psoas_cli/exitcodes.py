"""Exit statuses, by name, so tests and scripts agree on them."""


class ExitStatus:
    # Plain ints rather than an IntEnum: importing enum would cost every
    # start of psoas, --help included, more than the rest of this package.
    OK = 0
    ERROR = 1  # bad data file, failed run
    USAGE = 2  # bad option or a name that matches nothing
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)
