"""TAB completion: stretch and routine names, files, and ``psoas completion``.

Click asks these functions for candidates when the shell script it prints
runs ``psoas`` with ``_PSOAS_COMPLETE`` set.  That happens on every TAB, so
they read names from the cache of validated data (no PyYAML once it is
warm: a cold cache is parsed once and so warmed for the next TAB) and never
import Rich.  Anything wrong with the data means nothing to offer, never an
error in the middle of the user's command line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from psoas_cli.cli.app import App, pass_app
from psoas_cli.cli.command import Command
from psoas_cli.cli.errors import ExitStatus
from psoas_cli.errors import PsoasError
from psoas_cli.files.datafiles import routine_descriptions
from psoas_cli.files.datafiles import stretch_names as stretch_names_of
from psoas_cli.model.names import routine_words, stretch_words

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from psoas_cli.files.config import Key

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_PSOAS_COMPLETE"


def _app(ctx: click.Context) -> App:
    """The App with the options parsed so far: the root callback has not run."""
    root = ctx.find_root()
    app = root.ensure_object(App)
    app.catalogue_path = root.params.get("catalogue_path")
    return app


def _quietly(load: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """What ``load`` returns, or None if the data cannot be read."""
    try:
        return load(*args, **kwargs)
    except (PsoasError, OSError):
        return None


def _item(value: str, help: str | None = None, type: str = "plain") -> CompletionItem:
    from click.shell_completion import (  # noqa: PLC0415 - on TAB only (0.8 ms)
        CompletionItem,
    )

    return CompletionItem(value, help=help, type=type)


def _keys() -> dict[str, Key]:
    from psoas_cli.files.config import KEYS  # noqa: PLC0415 - on TAB only (3.8 ms)

    return KEYS


def _items(pairs: list[tuple[str, str]]) -> list[CompletionItem]:
    return [_item(word, help=_one_line(help)) for word, help in pairs]


def _one_line(text: str) -> str:
    """Help shown beside a candidate: text from a file, so printable characters only."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def stretch_names(ctx: click.Context, param: click.Parameter,
                  incomplete: str) -> list[CompletionItem]:
    """Numbers, slugs, names and aliases of stretches (shell_complete of an argument)."""
    app = _app(ctx)
    found = _quietly(stretch_names_of, app.catalogue_path, cache_dir=app.cache_dir())
    return _items(stretch_words(found, incomplete)) if found is not None else []


def routine_names(ctx: click.Context, param: click.Parameter,
                  incomplete: str) -> list[CompletionItem]:
    """Built-in routines, the user's, and those of a --routines file given before."""
    app = _app(ctx)
    found = _quietly(routine_descriptions, catalogue_path=app.catalogue_path, home=app.home(),
                     extra=ctx.params.get("routines_path"), cache_dir=app.cache_dir())
    names = _items(routine_words(found, incomplete)) if found is not None else []
    return names + _subcommands(ctx, incomplete)


def own_routine_names(ctx: click.Context, param: click.Parameter,
                      incomplete: str) -> list[CompletionItem]:
    """The user's own routines: 'psoas routine rm' removes no others."""
    app = _app(ctx)
    found = _quietly(routine_descriptions, catalogue_path=app.catalogue_path, home=app.home(),
                     cache_dir=app.cache_dir(), own_only=True)
    return _items(routine_words(found, incomplete)) if found is not None else []


def setting_keys(ctx: click.Context, param: click.Parameter,
                 incomplete: str) -> list[CompletionItem]:
    """The keys of psoas's settings, for 'psoas config get/set/unset'."""
    return [_item(name, help=key.meaning)
            for name, key in _keys().items() if name.startswith(incomplete)]


def setting_values(ctx: click.Context, param: click.Parameter,
                   incomplete: str) -> list[CompletionItem]:
    """The values a key takes, where they are few (sound, level, wait)."""
    key = _keys().get(ctx.params.get("key") or "")
    if key is None:
        return []
    values = key.choices or (("true", "false") if key.flag else ())
    return [_item(value) for value in values if value.startswith(incomplete)]


def _subcommands(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """The group's own commands where a hidden command stands in for the group
    ('psoas routine NAME' beside 'psoas routine edit'), before anything else
    is typed after it."""
    parent = ctx.parent
    group = parent.command if parent is not None else None
    if parent is None or not ctx.command.hidden or not isinstance(group, click.Group):
        return []
    if any(ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE for name in ctx.params):
        return []
    return [_item(name) for name in group.list_commands(parent)
            if name.startswith(incomplete)]


def files(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Let the shell complete file names itself."""
    return [_item(incomplete, type="file")]


def use_own_fish_script() -> None:
    """Click's fish script splits each answer at every comma, so a routine's
    description stops at its first ('For runners, after a run' shows 'For
    runners'); psoas's copy splits at the first comma only, after the kind."""
    from click.shell_completion import (  # noqa: PLC0415 - fish's script only
        FishComplete,
        add_completion_class,
    )

    whole = '(string split "," $completion)'
    if whole not in FishComplete.source_template:  # a Click that mended it
        return

    class Fish(FishComplete):
        source_template = FishComplete.source_template.replace(
            whole, '(string split -m 1 "," $completion)')

    add_completion_class(Fish, "fish")


def script(cli: click.Command, shell: str) -> str:
    """What ``_PSOAS_COMPLETE={shell}_source psoas`` prints: Click's own script
    (for fish, with descriptions kept whole)."""
    from click.shell_completion import (  # noqa: PLC0415 - 'psoas completion' only
        get_completion_class,
    )

    use_own_fish_script()
    complete = get_completion_class(shell)
    assert complete is not None, shell
    return complete(cli, {}, "psoas", COMPLETE_VAR).source()


@click.command(name="completion", cls=Command)
@click.argument("shell", type=click.Choice(SHELLS), required=False)
@pass_app
@click.pass_context
def completion_cmd(ctx: click.Context, app: App, shell: str | None) -> None:
    """Print the TAB completion script for bash, zsh or fish.

    \b
    Examples:
      echo 'eval "$(psoas completion bash)"' >> ~/.bashrc
      echo 'eval "$(psoas completion zsh)"' >> ~/.zshrc
      psoas completion fish > ~/.config/fish/completions/psoas.fish

    Then 'psoas show pi' and TAB completes to pigeon.
    """
    if shell is None:  # one line, as psoas's other usage errors (main.UsageLine)
        yours = app.env.get("SHELL", "").rsplit("/", 1)[-1]
        example = yours if yours in SHELLS else "bash"
        whose = "for yours, " if yours in SHELLS else "for example "
        click.echo(f"Error: name a shell: bash, zsh or fish; {whose}'psoas completion "
                   f"{example}'", file=app.stderr)
        ctx.exit(ExitStatus.USAGE)
    click.echo(script(ctx.find_root().command, shell), file=app.stdout, nl=False)
