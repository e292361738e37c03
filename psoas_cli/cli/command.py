"""psoas's own Click command and group: the -h/--help option with its words given.

Click makes each command's help option with words it looks up in gettext's
translations, and the look-up loads the locale module and searches the disk
for message catalogues: 0.4 MiB and a millisecond of every run of every
command, for words Click has no translation of.  Every command here is made
from these classes instead (``cls=Command``; a group's subcommands too).
"""

from __future__ import annotations

import click

HELP_WORDS = "Show this message and exit."


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class OwnHelp:
    """-h/--help as Click makes it, but with its words given."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        names = self.get_help_option_names(ctx)  # type: ignore[attr-defined]
        if not names or not self.add_help_option:  # type: ignore[attr-defined]
            return None
        option = self.__dict__.get("_own_help")
        if option is None:
            option = click.Option(names, is_flag=True, is_eager=True, expose_value=False,
                                  callback=_show_help, help=HELP_WORDS)
            self.__dict__["_own_help"] = option
        return option


class Command(OwnHelp, click.Command):
    pass


class Group(OwnHelp, click.Group):
    command_class = Command  # what @group.command() makes
