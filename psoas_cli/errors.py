"""Typed errors raised by the core; the CLI turns them into one-line messages."""

from __future__ import annotations

from psoas_cli.text import clip, clip_middle, line


class PsoasError(Exception):
    """Base class for every error psoas reports to the user without a traceback."""


class DataFileError(PsoasError):
    """A YAML data file (catalogue or routines) is unreadable or invalid.

    Renders as ``file:line: stretch 'slug', field 'hold': message`` with the
    parts that are known, so the user can go straight to the spot: always one
    line, with anything that came from the file clipped and escaped.
    """

    kind = "file"

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        item: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.item = item
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.path:
            path = clip_middle(self.path, 200)
            where = path if self.line is None else f"{path}:{self.line}"
        parts = []
        if self.item:
            parts.append(f"{self.kind} '{clip(self.item)}'")
        if self.field:
            parts.append(f"field '{clip(self.field)}'")
        context = ", ".join(parts)
        prefix = ": ".join(p for p in (where, context) if p)
        message = clip(self.message, 300)
        return line(f"{prefix}: {message}" if prefix else message)


class CatalogueError(DataFileError):
    kind = "stretch"


class RoutineError(DataFileError):
    kind = "routine"


class ProgramError(DataFileError):
    """programs.yaml: the programs over weeks (files/programs_schema.py)."""

    kind = "program"


class SelfTestError(DataFileError):
    """tests.yaml: the self-tests (files/practice_schema.py)."""

    kind = "test"


class CheckinError(DataFileError):
    """checkins.yaml: the check-ins' questions, screens and calm lines."""

    kind = "check-in"


class LookupFailed(PsoasError):
    """A name given on the command line matches nothing, or too much.

    ``candidates`` are the names it might have meant, closest first.
    """

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


class UnknownName(LookupFailed):
    pass


class AmbiguousName(LookupFailed):
    pass


class HistoryError(PsoasError):
    """The history file cannot be opened, read or written."""


class HistoryBusy(HistoryError):
    """Another process holds the history's lock; trying again later may work."""


class SettingError(PsoasError):
    """A value in the environment (PSOAS_HOME, PSOAS_NO_HISTORY, PSOAS_LEVEL...)
    that psoas can't use: a mistake in how psoas was asked, as a bad option is
    (exit 2), not a broken file."""


class ReminderError(PsoasError):
    """A duration or a window of hours that cannot be used as given."""


class WriteError(PsoasError):
    """A file could not be written; the old one is as it was."""


class ConfigError(DataFileError):
    """A config file, or a value for one of its keys, that psoas can't use."""

    kind = "key"


class EditError(PsoasError):
    """The routines file is laid out in a way these edits can't follow."""


class CannotFit(PsoasError):
    """The time asked for can't be met; says the range, or the nearest totals, that can."""

    def __init__(self, message: str, least: float = 0.0, most: float = 0.0) -> None:
        super().__init__(message)
        self.least = least
        self.most = most
