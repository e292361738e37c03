"""The root of the ``psoas`` command line: the group, lazy commands, errors at the edge.

Only Click and psoas's lightest modules load with it, so that ``psoas --help``
stays fast: each command's module loads from the table below when it runs
(the one lazy boundary of the command line, with the first statement of
each command body).
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

import click

from psoas_cli import __version__
from psoas_cli.cli.app import App
from psoas_cli.cli.command import Group
from psoas_cli.cli.errors import ExitStatus, NoSuchName, UsageLine, UserError, from_environment
from psoas_cli.errors import LookupFailed, PsoasError, SettingError
from psoas_cli.text import ENV_CLIP, clip, close_matches, either, line, shown
from psoas_cli.ui.terminal import columns, let_go


def _help_width() -> int:
    """Help text width: COLUMNS, else the terminal's, at most 80 (ui/terminal's
    one reading of COLUMNS: junk in it is ignored).

    Worked out here because Click's own fallback imports shutil, which
    costs --help more than everything else psoas adds to it.
    """
    return max(40, min(columns(sys.stdout, os.environ), 80) - 2)


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 80,
           "terminal_width": _help_width()}


# Commands load on demand, so 'psoas --help' builds none of their options.
# name: (module, function, the one line 'psoas --help' shows for it)
COMMANDS = {
    "list": ("psoas_cli.cli.browse", "list_cmd", "List the stretches in the catalogue."),
    "show": ("psoas_cli.cli.browse", "show_cmd",
             "Show how to do one stretch: its steps, hold and reps."),
    "routine": ("psoas_cli.cli.routine", "routine_cmd",
                "Play a routine, or list the routines when no NAME is given."),
    "play": ("psoas_cli.cli.routine", "play_cmd", "Play the STRETCHES named, in order."),
    "history": ("psoas_cli.cli.history", "history_cmd",
                "Show your recent sessions, streaks and the last 12 weeks."),
    "test": ("psoas_cli.cli.selftest", "test_cmd",
             "Check how long your hip flexors are, each side, in a guided test."),
    "progress": ("psoas_cli.cli.progress", "progress_cmd",
                 "Chart how your hips and back felt, your tests and minutes, by week."),
    "program": ("psoas_cli.cli.program", "program_cmd",
                "A program over weeks: today's session, adapting to you."),
    "sync": ("psoas_cli.cli.sync", "sync_cmd",
             "Sync your history through a folder shared between your machines."),
    "remind": ("psoas_cli.cli.remind", "remind_cmd",
               "Remind you to take a break, and play a routine when you do."),
    "status": ("psoas_cli.cli.status", "status_cmd",
               "Show the time to the next break, today's breaks and your streak."),
    "config": ("psoas_cli.cli.config", "config_cmd",
               "Show or change your settings: sound, level, minutes and more."),
    "where": ("psoas_cli.cli.where", "where_cmd",
              "Show the psoas folder and the files psoas reads."),
    "completion": ("psoas_cli.cli.complete", "completion_cmd",
                   "Print the TAB completion script for bash, zsh or fish."),
}


def _complete_files(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    # On TAB only: the data files it reads are not on --help (1.7 ms).
    from psoas_cli.cli.complete import files  # noqa: PLC0415

    return files(ctx, param, incomplete)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """-V/--version.  Click's version_option looks its words up in gettext's
    translations, which alone loads the locale module: a millisecond of every
    start of psoas, for words Click has no translation of."""
    if value and not ctx.resilient_parsing:
        click.echo(f"psoas, version {__version__}")
        ctx.exit()


class PsoasGroup(Group):
    """Loads commands lazily and turns the core's typed errors into one-line
    messages at the edge; its -h/--help is command.py's, without gettext."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, function, _ = COMMANDS[cmd_name]
            self.add_command(getattr(import_module(module), function))
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name in COMMANDS or name.startswith("-") or ctx.resilient_parsing:
            return super().resolve_command(ctx, args)  # completing: nothing to suggest
        close = close_matches(name, COMMANDS, n=2)
        hint = f" Did you mean {either(close, quote=True)}?" if close else ""
        ctx.fail(f"No such command {name!r}.{hint}")

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])

    def get_help(self, ctx: click.Context) -> str:
        if ctx.parent is not None:
            return super().get_help(ctx)
        from psoas_cli.cli.help import root_help  # noqa: PLC0415 - root --help only

        return root_help(self, ctx, ((name, short) for name, (_, _, short) in COMMANDS.items()))

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        with _one_line_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _one_line_errors():
            try:
                return super().invoke(ctx)
            except LookupFailed as exc:
                raise NoSuchName(str(exc)) from None
            except SettingError as exc:  # a bad value in the environment: as a bad option
                raise UsageLine(str(exc)) from None
            except PsoasError as exc:
                raise UserError(str(exc)) from None
            except click.BadParameter as exc:
                blamed = from_environment(exc)
                if blamed is None:
                    raise
                # Click's message quotes the value whole: clipped as the name's is.
                value = os.environ.get(blamed.split("=", 1)[0], "")
                message = exc.message
                for whole in (value, repr(value)[1:-1]) if value else ():
                    message = message.replace(whole, shown(value, ENV_CLIP))
                raise UsageLine(f"{blamed}: {message}") from None
            except OSError as exc:
                if exc.filename is not None or exc.errno not in OUTPUT_FAILED:
                    raise
                _output_failed(ctx, exc)


# Writing the output failed: the reader went away (or stdout was closed), the
# disk is full, the terminal is gone.
OUTPUT_FAILED = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT}


def _output_failed(ctx: click.Context, exc: OSError) -> None:
    """One line on stderr and exit 1, without a traceback; for a reader that
    went away ('psoas routine full --dry-run | head -1'), nothing and exit 0:
    whether it left before psoas had written all or after is a race, which
    must not decide the status.  (A routine played is stopped instead, 129.)"""
    closed = sys.stdout is None  # started with '>&-'
    let_go(sys.stdout)  # Python's last flush at exit then has nowhere to fail
    if exc.errno == errno.EPIPE and not closed:
        ctx.exit(ExitStatus.OK)
    ctx.ensure_object(App).warn("standard output is closed" if closed
                                else f"can't write the output: {exc.strerror}")
    ctx.exit(ExitStatus.ERROR)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Every error message on one line, clipped, with what an argument or a file
    put in it shown as text: Click quotes some values but not all (an extra
    argument, a bad command name), and a data file's name or text may hold
    anything.  Ctrl-C that no command handles ends psoas with 130, quietly,
    where Click would say 'Aborted!' and exit 1."""
    try:
        yield
    except click.ClickException as exc:
        exc.message = line(clip(exc.message, 400))  # type: ignore[misc]  # Final in the stubs
        raise
    except KeyboardInterrupt:
        raise click.exceptions.Exit(ExitStatus.INTERRUPTED) from None
    except MemoryError:  # a limit such as ulimit -v, on a very large history or file
        raise click.ClickException("not enough memory to finish this command (the memory "
                                   "psoas may use is limited here)") from None


# Every environment variable psoas reads (tests/test_settings.py checks that
# each PSOAS_ name in the code is here and in the README).
ENVIRONMENT = """\b
Environment:
  PSOAS_HOME           the psoas folder: your routines, settings, history
  PSOAS_CATALOGUE      a catalogue to read instead of the built-in one
  PSOAS_ROUTINES       a routines file to read as well
  PSOAS_SOUND          bell, voice, both or none
  PSOAS_LEVEL          gentle, standard or deep
  PSOAS_MINUTES        fit every routine to this many minutes
  PSOAS_SETUP          seconds to get into position for every stretch
  PSOAS_WAIT           1: wait for Enter before each stretch and each switch
  PSOAS_START_WAIT     0: show the before-you-start card without waiting
  PSOAS_IDLE           minutes without input that count as a break
  PSOAS_REST_DAYS      days that never break a streak: sat,sun or none
  PSOAS_CHECKIN        off, before, after or both: check-ins
  PSOAS_CHECKIN_SIDES  1: in check-ins, ask about each hip
  PSOAS_NO_HISTORY     1: don't record sessions
  PSOAS_SYNC_DIR       a folder to sync your history through
  PSOAS_NOTIFY_ESCAPE  osc9, osc777 or none: how reminders notify
  PSOAS_FIGURE_STYLE   braille, blocks, ascii or none: how figures are drawn
  VISUAL, EDITOR       the editor for 'psoas routine edit'
  NO_COLOR, TERM       no colour; TERM=dumb for one plain line per phase
  XDG_CACHE_HOME       where the cache goes, unless PSOAS_HOME is set

They win over your settings (config.toml, 'psoas config'); the command
line wins over both. 'psoas where' shows the psoas folder and its files.
"""


@click.group(cls=PsoasGroup, context_settings=CONTEXT, epilog=ENVIRONMENT,
             invoke_without_command=True)
@click.option("-V", "--version", is_flag=True, is_eager=True, expose_value=False,
              callback=_show_version, help="Show the version and exit.")
@click.option("--catalogue", "catalogue_path", metavar="PATH", envvar="PSOAS_CATALOGUE",
              shell_complete=_complete_files,
              help="Read stretches from this YAML file instead of the built-in catalogue "
                   "(or set PSOAS_CATALOGUE).")
@click.pass_context
def cli(ctx: click.Context, catalogue_path: str | None) -> None:
    """Guided psoas and hip-flexor stretches in the terminal.

    With no command, shows your streak, the routines and what to try.

    \b
    Examples:
      psoas list              the stretches
      psoas show pigeon       how to do one
      psoas routine           the routines
      psoas routine warmup    play one
    """
    app = ctx.ensure_object(App)
    app.catalogue_path = catalogue_path
    if ctx.invoked_subcommand is None:  # 'psoas' alone: the home page
        from psoas_cli.cli.actions.home import home  # noqa: PLC0415 - a command body

        home(app)


def main() -> None:
    # A character the output cannot encode (a name in a user's catalogue, on an
    # ASCII-only terminal) is shown as '?' rather than ending psoas.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # not when replaced, or closed ('>&-')
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
    if os.environ.get("_PSOAS_COMPLETE") == "fish_source":  # the script fish loads
        from psoas_cli.cli.complete import use_own_fish_script  # noqa: PLC0415

        use_own_fish_script()
    cli(prog_name="psoas")


