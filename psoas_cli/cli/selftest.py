"""``psoas test``: a guided self-test of hip-flexor length, each side.

What it does is actions/selftest.py.
"""

from __future__ import annotations

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.options import Configured


@click.command(name="test", cls=Configured)
@click.argument("which", required=False, metavar="[thomas|floor]")
@click.option("--sound", type=click.Choice(["bell", "voice", "both", "none"]),
              default="bell", show_default=True, envvar="PSOAS_SOUND",
              help="Cue each phase with the terminal bell, a coaching voice that also reads "
                   "the card and the questions, both, or nothing.")
@click.option("--plain", is_flag=True,
              help="A line per phase and each question as text, instead of the live screen.")
@click.option("--no-history", is_flag=True,
              help="Don't record the answers (or set PSOAS_NO_HISTORY=1).")
@click.pass_obj
def test_cmd(app: App, which: str | None, sound: str, plain: bool, no_history: bool) -> None:
    """Check how long your hip flexors are, each side, in a guided test.

    Played like a routine: a card of who should leave it out, then for
    each side the steps, a relaxed hold, and a few questions you answer
    with one key once you have come out of the position. The answers are
    kept in your history, and 'psoas progress' compares them over weeks.

    \b
    The tests are additions to psoas, not among the article's eleven:
      thomas   lying back at the end of a firm bed (the default)
      floor    kneeling on one knee, for those without a suitable bed

    They are checks, not stretches: stop at the first stretch you feel.
    Take the same test again every 2 weeks, on the same bed or mat.

    \b
    Examples:
      psoas test                the Thomas test, at the end of a bed
      psoas test floor          the half-kneeling test, on a mat
      psoas test --sound voice  read out, to follow with eyes closed
    """
    from psoas_cli.cli.actions.selftest import take_test

    take_test(app, which, sound=sound, plain=plain, no_history=no_history)
