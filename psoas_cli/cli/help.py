"""'psoas --help', laid out as Click would lay it out, without Click's formatter.

Click's formatter imports textwrap and looks up a translation for every
heading (gettext, then locale), which cost 'psoas --help' more than all of
psoas adds to it: about 1.12x 'import click' in instructions against 1.08x
this way.  The text is the same; tests/test_help.py compares the two at
several widths.
"""

from __future__ import annotations

from collections.abc import Iterable
from inspect import cleandoc  # loaded by Click already

import click

from psoas_cli.ui.table import wrap


def root_help(group: click.Group, ctx: click.Context,
              commands: Iterable[tuple[str, str]]) -> str:
    width = ctx.terminal_width or 78
    prefix = f"Usage: {ctx.command_path} "
    usage = wrap(f"[OPTIONS] {group.subcommand_metavar}", width - len(prefix))
    out = [prefix + usage[0], *(" " * len(prefix) + more for more in usage[1:]), ""]
    out += _paragraphs(group.help or "", width)
    options = [(_option_names(p), p.help or "") for p in group.params]
    options.append((", ".join(ctx.help_option_names), "Show this message and exit."))
    for title, rows in (("Options", options), ("Commands", list(commands))):
        out.append(f"{title}:")
        out += _definitions(rows, width)
        out.append("")
    if group.epilog:
        out += _paragraphs(group.epilog, width)
    return "\n".join(out[:-1])


def _paragraphs(text: str, width: int) -> list[str]:
    """Paragraphs indented by two, wrapped, except those Click keeps as they are."""
    out = []
    for paragraph in cleandoc(text).split("\n\n"):
        if paragraph.startswith("\b\n"):  # Click's mark for "keep these lines as they are"
            out += ["  " + line if line else "" for line in paragraph[2:].splitlines()]
        else:
            out += ["  " + line for line in wrap(" ".join(paragraph.split()), width - 2)]
        out.append("")
    return out


def _option_names(param: click.Parameter) -> str:
    names = ", ".join(param.opts)
    if isinstance(param, click.Option) and not param.is_flag:
        names += f" {param.metavar or param.name.upper()}"
    return names


def _definitions(rows: list[tuple[str, str]], width: int) -> list[str]:
    first = min(max(len(term) for term, _ in rows), 30)
    lines = []
    for term, text in rows:
        body = wrap(text, width - first - 4)
        lines.append(f"  {term.ljust(first)}  {body[0]}".rstrip())
        lines += [" " * (first + 4) + more for more in body[1:]]
    return lines
