"""``--on-break CMD`` and ``--on-done CMD``: the user's own command at each break.

The command is split as a shell would split it (``shlex``) but run without
one, as an argument list: no pipes, no ``$VAR``, nothing a routine name
could inject.  What happened is in its environment (``VARIABLES``).  Each
run happens on a thread of its own through ``children.run``: killed with
what it started after ``TIMEOUT`` seconds, its output read and dropped
past ``children.LIMIT`` (so a command that floods or hangs costs neither
memory nor the reminder's screen).  A command that fails is told once, on
the reminder's thread (``check``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence

from psoas_cli.breaks.counts import (
    AGAIN,
    AWAY,
    DUE_EVENT,
    IDLE,
    MISSED,
    SKIPPED,
    SNOOZED,
    TAKEN,
    Event,
)
from psoas_cli.history.calendar import iso_time
from psoas_cli.text import clip, line, shown
from psoas_cli.ui.remind.children import Done
from psoas_cli.ui.remind.children import run as run_child

TIMEOUT = 10.0  # seconds a hook may run
BREAK, DONE = "break", "done"

# The variables a hook finds in its environment (psoas sets them, never reads them).
VARIABLES = {
    "PSOAS_HOOK": "break (a break is due) or done (it was answered)",
    "PSOAS_OUTCOME": "break: due, or again after a snooze; done: taken, skipped, snoozed, "
                     "missed (the break hours ended) or away (you were away)",
    "PSOAS_BREAK_ROUTINE": "the routine the break plays",
    "PSOAS_BREAK_DUE": "when the break came due, as 2026-03-02T10:45:00+01:00 (empty for "
                       "a break taken early)",
    "PSOAS_BREAK_NEXT": "when the next break is due (empty while none is placed)",
    "PSOAS_BREAK_SECONDS": "taken: how long the routine took, in whole seconds; else 0",
}

_BREAK_EVENTS = {DUE_EVENT: "due", AGAIN: "again"}
_DONE_EVENTS = {TAKEN: "taken", SKIPPED: "skipped", SNOOZED: "snoozed", MISSED: "missed"}


def outcome(event: Event) -> tuple[str, str] | None:
    """(hook, outcome) for an event a hook hears of, else None."""
    if event.kind in _BREAK_EVENTS:
        return BREAK, _BREAK_EVENTS[event.kind]
    if event.kind in _DONE_EVENTS:
        return DONE, _DONE_EVENTS[event.kind]
    if event.kind in (IDLE, AWAY) and event.due_at is not None:
        return DONE, "away"  # a break that was due, dropped because you were away
    return None


def environment(base: Mapping[str, str], hook: str, result: str, event: Event,
                routine: str, when: Callable[[float], str] = iso_time) -> dict[str, str]:
    env = {name: value for name, value in base.items() if name not in VARIABLES}
    env.update({
        "PSOAS_HOOK": hook,
        "PSOAS_OUTCOME": result,
        "PSOAS_BREAK_ROUTINE": routine,
        "PSOAS_BREAK_DUE": when(event.due_at) if event.due_at is not None else "",
        "PSOAS_BREAK_NEXT": when(event.next_at) if event.next_at is not None else "",
        "PSOAS_BREAK_SECONDS": str(int(event.seconds)) if event.kind == TAKEN else "0",
    })
    return env


class Hooks:
    """Runs ``on_break`` and ``on_done`` (argument lists, or None) for the events
    they concern."""

    def __init__(self, on_break: Sequence[str] | None, on_done: Sequence[str] | None, *,
                 env: Mapping[str, str],
                 run: Callable[..., Done] = run_child, timeout: float = TIMEOUT) -> None:
        self.commands = {BREAK: on_break, DONE: on_done}
        self.env = env
        self.run = run
        self.timeout = timeout
        self.failures: list[str] = []  # appended by the threads
        self.told = False
        self.threads: list[threading.Thread] = []

    def __bool__(self) -> bool:
        return any(self.commands.values())

    def heard(self, event: Event, routine: str) -> None:
        found = outcome(event)
        if found is None or not self.commands[found[0]]:
            return
        hook, result = found
        argv = list(self.commands[hook])  # type: ignore[arg-type]
        env = environment(self.env, hook, result, event, routine)
        thread = threading.Thread(target=self._run, args=(hook, argv, env), daemon=True,
                                  name=f"psoas-on-{hook}")
        thread.start()
        self.threads = [t for t in self.threads if t.is_alive()] + [thread]

    def _run(self, hook: str, argv: list[str], env: dict[str, str]) -> None:
        done = self.run(argv, timeout=self.timeout, env=env)
        if done.ok:
            return
        said = line(clip(done.err.strip().splitlines()[0], 120)) if done.err.strip() else ""
        why = done.why or (f"exited with status {done.code}" + (f": {said}" if said else ""))
        self.failures.append(f"--on-{hook} {shown(argv[0])}: {why}")

    def check(self, tell: Callable[[str], None]) -> None:
        """Tell the first failure, once."""
        if self.failures and not self.told:
            self.told = True
            tell(self.failures[0])

    def wait(self, timeout: float | None = None) -> None:
        for thread in list(self.threads):
            thread.join(timeout)
