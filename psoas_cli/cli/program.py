"""``psoas program``: a practice over weeks that adapts to you.

Start a program (built in: hips, six weeks; desk, three), and each day
'psoas program next' plays what it asks: the holds grow, the tighter side
gets one more set, deeper stretches unlock, and pain brings gentle
sessions or a pause.  What each command does is actions/program.py.
"""

from __future__ import annotations

from typing import Any

import click

from psoas_cli.cli.app import App
from psoas_cli.cli.command import Group
from psoas_cli.cli.options import Configured
from psoas_cli.model.checkins import MODES as CHECKIN_MODES


@click.group(name="program", cls=Group, invoke_without_command=True)
@click.pass_context
def program_cmd(ctx: click.Context) -> None:
    """A program over weeks: today's session, adapting to you.

    \b
    Built in:
      hips   six weeks for tight hip flexors: a desk break most days and a
             longer session three times a week, one rest day
      desk   three weeks of desk breaks, no floor work

    The holds grow from 30 to 60 seconds a side, your tighter side gets one
    more set, and deeper stretches unlock from week 3 once the basic ones
    feel easy. Pain comes first: a check-in with back pain above 3, pain
    worse after than before, or 'psoas program hurt' makes the next three
    sessions gentle; again within two weeks (or sharp pain, numbness or
    tingling) pauses the program until you resume it. A missed day never
    breaks it: the same day waits for tomorrow.

    \b
    Your own programs go in programs.yaml in the psoas folder
    ('psoas where'), in the shape of the built-in ones.

    \b
    Examples:
      psoas program start        begin hips (asks first)
      psoas program next         play today's session
      psoas program status       where you are, and why
      psoas program show hips    the six weeks' plan
    """
    from psoas_cli.cli.actions.program import overview

    if ctx.invoked_subcommand is None:
        overview(ctx.ensure_object(App))


@program_cmd.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="The programs as JSON.")
@click.pass_obj
def list_cmd(app: App, as_json: bool) -> None:
    """List the programs, built in and your own.

    \b
    Examples:
      psoas program list          the programs and their weeks
      psoas program list --json   for a script
    """
    from psoas_cli.cli.actions.program import list_programs

    list_programs(app, as_json=as_json)


@program_cmd.command(name="show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True,
              help="The program as validated data, with each session's minutes.")
@click.pass_obj
def show_cmd(app: App, name: str, as_json: bool) -> None:
    """Print a program's plan: its weeks, holds, tests and what may unlock.

    \b
    Examples:
      psoas program show hips          six weeks, day by day
      psoas program show desk --json   as validated data
    """
    from psoas_cli.cli.actions.program import show_program

    show_program(app, name, as_json=as_json)


@program_cmd.command(name="start")
@click.argument("name", required=False)
@click.option("-y", "--yes", is_flag=True, help="Start without asking.")
@click.pass_obj
def start_cmd(app: App, name: str | None, yes: bool) -> None:
    """Begin a program today (hips when no NAME is given).

    Shows the caution first and, on a terminal, asks before it starts.
    One program runs at a time: 'psoas program stop' ends it.

    \b
    Examples:
      psoas program start         six weeks for tight hips
      psoas program start desk    three weeks of desk breaks
      psoas program start --yes   without the question
    """
    from psoas_cli.cli.actions.program import start_program

    start_program(app, name, yes=yes)


@program_cmd.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="The run's state as JSON.")
@click.pass_obj
def status_cmd(app: App, as_json: bool) -> None:
    """Where the program stands: today, the holds, the tighter side, pain.

    \b
    Examples:
      psoas program status          what today holds, and why
      psoas program status --json   for a script
    """
    from psoas_cli.cli.actions.program import status

    status(app, as_json=as_json)


@program_cmd.command(name="next", cls=Configured)
@click.option("--again", is_flag=True,
              help="Play today's session again once it is done (an extra: it counts once).")
@click.option("--gentle", is_flag=True,
              help="Play today's session gently (the gentle level, nothing deeper); it "
                   "counts as done.")
@click.option("--no-test", is_flag=True, help="Leave the self-test for another day.")
@click.option("--dry-run", is_flag=True, help="Print today's dosed plan; start no timer.")
@click.option("--json", "as_json", is_flag=True, help="With --dry-run: the plan as JSON.")
@click.option("--plain", is_flag=True,
              help="A line per phase instead of the live screen; never waits for a key.")
@click.option("--sound", type=click.Choice(["bell", "voice", "both", "none"]), default="bell",
              show_default=True, envvar="PSOAS_SOUND",
              help="The bell, the coaching voice, both, or nothing.")
@click.option("-y", "--yes", is_flag=True,
              help="Ask nothing: no self-test, no question after a session stopped early.")
@click.option("--check-in", "--checkin", "checkin", type=click.Choice(CHECKIN_MODES),
              envvar="PSOAS_CHECKIN",
              help="Ask how your hips and back feel before the session, after it, both, "
                   "or off: the program reads them.")
@click.option("--check-in-sides/--no-check-in-sides", "checkin_sides", default=False,
              envvar="PSOAS_CHECKIN_SIDES",
              help="In check-ins, ask about each hip: the tighter side is found this way.")
@click.pass_obj
def next_cmd(app: App, **options: Any) -> None:
    """Play today's session of the program.

    The routine the day names, at the week's level, each hip stretch held
    the week's time a side, one more set on your tighter side, and what
    has unlocked. When the self-test is due, it comes first (s skips it
    for today). The program sets the dose, so there is no --minutes.

    Stopped early on a terminal, it asks whether something hurt.

    \b
    Examples:
      psoas program next                  play today's session
      psoas program next --dry-run        its plan, dosed for today
      psoas program next --gentle         gently today (it counts)
      psoas program next --check-in both  how your hips and back feel
    """
    from psoas_cli.cli.actions.program import NextOptions, next_session

    next_session(app, NextOptions(**options))


@program_cmd.command(name="stop")
@click.option("-y", "--yes", is_flag=True, help="Stop without asking (needed without a "
                                                 "terminal).")
@click.pass_obj
def stop_cmd(app: App, yes: bool) -> None:
    """End the program; your history stays.

    \b
    Examples:
      psoas program stop         asks first
      psoas program stop --yes   without the question
    """
    from psoas_cli.cli.actions.program import stop_program

    stop_program(app, yes=yes)


@program_cmd.command(name="resume")
@click.pass_obj
def resume_cmd(app: App) -> None:
    """Carry on after a pause: the week starts again, three sessions gently.

    \b
    Examples:
      psoas program resume   once a physical therapist has seen you
    """
    from psoas_cli.cli.actions.program import resume_program

    resume_program(app)


@program_cmd.command(name="hurt")
@click.option("--sharp/--not-sharp", default=None,
              help="Whether it was sharp pain, numbness or tingling (asked on a terminal).")
@click.pass_obj
def hurt_cmd(app: App, sharp: bool | None) -> None:
    """Say that a session hurt: the next sessions are gentle, or the program pauses.

    The next three sessions are gentle; a second time within two weeks, or
    sharp pain, numbness or tingling, pauses the program until you resume it.

    \b
    Examples:
      psoas program hurt            asks whether it was sharp
      psoas program hurt --sharp    sharp pain, numbness or tingling
    """
    from psoas_cli.cli.actions.program import hurt

    hurt(app, sharp=sharp)
