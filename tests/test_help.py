"""Every command's help: an example to copy, 80 columns, and every key of the player."""

from __future__ import annotations

import click
import pytest

from psoas_cli.cli.main import cli
from psoas_cli.play import engine
from psoas_cli.ui.keys import KEYMAP


def command_paths(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command under ``group``, subcommands too, as the words that name it."""
    ctx = click.Context(group)
    paths = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        paths.append((*path, name))
        if isinstance(command, click.Group):
            paths += command_paths(command, (*path, name))
    return paths


COMMANDS = command_paths(cli)

# How each key of the player is written in 'psoas routine --help'.
KEY_NAMES = {b" ": "space", b"p": "p", b"n": "n", b"\x1b[C": "→", b"\x1bOC": "→", b"b": "b",
             b"\x1b[D": "←", b"\x1bOD": "←", b"q": "q", b"Q": "Q", b"\r": "Enter",
             b"\n": "Enter"}


def help_of(run, *words: str) -> str:
    result = run(*words, "--help")
    assert result.exit_code == 0, result.output
    return result.output


def section(text: str, title: str) -> list[str]:
    """The lines of a help section, up to the next blank line."""
    lines = text.splitlines()
    start = lines.index(f"  {title}") + 1
    end = lines.index("", start)
    return lines[start:end]


@pytest.mark.parametrize("words", [(), *COMMANDS], ids=lambda words: " ".join(words) or "psoas")
def test_every_help_has_examples_that_fit_80_columns(run, words):
    text = help_of(run, *words)
    assert max(len(line) for line in text.splitlines()) <= 80
    examples = section(text, "Examples:")
    assert examples, text
    for line in examples:  # each a command to copy, kept on its own line by \b
        assert line.startswith(("    psoas ", "    echo ")), line


@pytest.mark.parametrize("words", [(), *COMMANDS], ids=lambda words: " ".join(words) or "psoas")
def test_every_example_parses(run, words):
    """Each example names a command, and options and arguments it takes."""
    for line in section(help_of(run, *words), "Examples:"):
        example = line.strip().split("  ")[0].split(" >")[0].split()
        if example[0] != "psoas":  # echo '...' >> ~/.bashrc
            continue
        path = max((p for p in COMMANDS if tuple(example[1:1 + len(p)]) == p), key=len)
        command = cli
        for name in path:
            command = command.get_command(click.Context(command), name)
        command.make_context(path[-1], example[1 + len(path):])  # raises on a bad option


# The groups whose help lists their commands ('psoas routine --help' is its
# hidden default's, which names new, rm and edit in its own words).
GROUPS = [("config",)]


@pytest.mark.parametrize("words", [(), *GROUPS], ids=lambda words: " ".join(words) or "psoas")
def test_every_command_listed_in_a_help_reads_in_full(run, words):
    """Click cuts a long first sentence with '...': each one fits whole."""
    lines = help_of(run, *words).splitlines()
    start = lines.index("Commands:") + 1
    listed = lines[start:lines.index("", start) if "" in lines[start:] else None]
    assert listed
    for line in listed:
        assert not line.rstrip().endswith("..."), line


@pytest.mark.parametrize("words", [(), *COMMANDS], ids=lambda words: " ".join(words) or "psoas")
def test_every_command_has_psoas_own_help_option(words):
    """Made by Click's own classes, a command's -h looks its words up in
    gettext's translations at every run (cli/command.py says why not)."""
    from psoas_cli.cli.command import HELP_WORDS, OwnHelp

    command = cli
    for word in words:
        command = command.get_command(click.Context(command), word)
    assert isinstance(command, OwnHelp)
    option = command.get_help_option(click.Context(command))
    assert option.opts == ["-h", "--help"] or option.opts == ["--help"]
    assert option.help == HELP_WORDS


def test_psoas_config_alone_lists_the_settings(run):
    alone, listed = run("config"), run("config", "list")
    assert alone.exit_code == 0, alone.output
    assert alone.output == listed.output
    assert alone.output.startswith("sound          bell     built in\n")


def test_routine_help_lists_every_key_the_player_takes(run):
    keys = "\n".join(section(help_of(run, "routine"), "Keys while playing:"))
    for key in KEYMAP:
        assert KEY_NAMES[key] in keys, key
    assert "Ctrl-C" in keys and "Ctrl-Z" in keys  # signals, not keys: the terminal sends them
    assert {engine.PAUSE, engine.NEXT, engine.BACK, engine.QUIT, engine.ENTER} == \
        set(KEYMAP.values())


@pytest.mark.parametrize("width", [78, 60, 48, 40])  # 40: the narrowest psoas asks for
def test_root_help_reads_exactly_as_clicks_own(width):
    """psoas --help is laid out by hand, for speed (cli/help.py); it must read as
    Click's own layout would, at any width."""
    import click

    from psoas_cli.cli.main import cli

    ctx = cli.make_context("psoas", ["list"], terminal_width=width)  # psoas's settings
    assert cli.get_help(ctx) == click.Group.get_help(cli, ctx)


@pytest.mark.slow  # a fresh Python
def test_root_help_does_not_load_textwrap():
    from .fakes import fresh_run

    loaded, _ = fresh_run(["--help"])
    assert "textwrap" not in loaded
