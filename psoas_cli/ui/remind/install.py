"""``psoas remind --install`` and ``--uninstall``: started at login, as a service.

Linux with systemd: a user unit, ``psoas-remind.service`` in
``~/.config/systemd/user`` (``$XDG_CONFIG_HOME``), then ``systemctl --user
daemon-reload`` and ``enable --now``.  macOS: a launchd agent,
``org.psoas.remind.plist`` in ``~/Library/LaunchAgents``, then ``launchctl
bootstrap``.  Anywhere else, or where systemd does not run, it is refused in
one line.  The file is written atomically (files.safefile), and every
command runs through ``children.run``: an argument list, a timeout.

The service runs ``psoas remind --plain`` with the options given on the
command line, each written out (a path made absolute), so it does at
login what the command did now; settings in config.toml still apply, as
they do to any run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from psoas_cli.files.safefile import replace
from psoas_cli.ui.remind.children import Done

UNIT = "psoas-remind.service"
LABEL = "org.psoas.remind"
SYSTEMCTL_TIMEOUT = 20.0


class Plan(NamedTuple):
    """What installing (or uninstalling) does: the file, its text, the commands."""

    kind: str  # "systemd" or "launchd"
    path: str
    text: str
    commands: list[list[str]]


# -- the files ------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./-]+")


def _unit_word(word: str) -> str:
    """One word of ExecStart: quoted where systemd would split or expand it."""
    word = word.replace("%", "%%").replace("$", "$$")
    if _PLAIN.fullmatch(word):
        return word
    escaped = word.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in escaped)
    return f'"{escaped}"'


def systemd_unit(argv: Sequence[str], env: Mapping[str, str], *, graphical: bool) -> str:
    """The text of psoas-remind.service running ``argv``."""
    target = "graphical-session.target" if graphical else "default.target"
    lines = ["# Written by 'psoas remind --install'; 'psoas remind --uninstall' removes it.",
             "[Unit]", "Description=psoas break reminders"]
    if graphical:
        lines += ["PartOf=graphical-session.target", "After=graphical-session.target"]
    lines += ["", "[Service]", "Type=simple", "ExecStart=" + " ".join(_unit_word(w) for w in argv)]
    for name, value in sorted(env.items()):
        lines.append("Environment=" + _unit_word(f"{name}={value}"))
    lines += ["Restart=on-failure",
              "# systemd stops it with SIGTERM, after which psoas exits 143: a clean stop.",
              "SuccessExitStatus=143", "", "[Install]", f"WantedBy={target}", ""]
    return "\n".join(lines)


def launchd_plist(argv: Sequence[str], env: Mapping[str, str], *, log: str) -> str:
    """The text of org.psoas.remind.plist running ``argv``."""
    # Only when installing on macOS: plistlib loads an XML parser (0.4 MiB of
    # every psoas remind's memory).
    import plistlib  # noqa: PLC0415

    agent: dict = {"Label": LABEL, "ProgramArguments": list(argv), "RunAtLoad": True,
                   "KeepAlive": {"SuccessfulExit": False},
                   "StandardOutPath": log, "StandardErrorPath": log}
    if env:
        agent["EnvironmentVariables"] = dict(env)
    return plistlib.dumps(agent).decode("utf-8")


# -- where, and how ----------------------------------------------------------------------

class Where(NamedTuple):
    platform: str  # sys.platform
    home: str  # the user's home folder
    env: Mapping[str, str]
    which: Callable[[str], str | None]
    exists: Callable[[str], bool] = os.path.exists
    uid: int = 0


def refused(where: Where) -> str | None:
    """Why no service can be installed here, in one line; None when one can."""
    if where.platform == "darwin":
        return None if where.which("launchctl") else "launchctl is not found"
    if where.platform.startswith("linux"):
        if not where.which("systemctl"):
            return "systemctl is not found"
        if not where.exists("/run/systemd/system"):
            return "systemd is not running here"
        return None
    return f"{where.platform} has neither systemd nor launchd"


def plan_install(where: Where, argv: Sequence[str], env: Mapping[str, str]) -> Plan:
    if where.platform == "darwin":
        path = os.path.join(where.home, "Library", "LaunchAgents", f"{LABEL}.plist")
        log = os.path.join(where.home, "Library", "Logs", "psoas-remind.log")
        launchctl = where.which("launchctl") or "launchctl"
        domain = f"gui/{where.uid}"
        return Plan("launchd", path, launchd_plist(argv, env, log=log),
                    [[launchctl, "bootout", f"{domain}/{LABEL}"],
                     [launchctl, "bootstrap", domain, path]])
    config = where.env.get("XDG_CONFIG_HOME") or os.path.join(where.home, ".config")
    path = os.path.join(config, "systemd", "user", UNIT)
    graphical = bool(where.env.get("DISPLAY") or where.env.get("WAYLAND_DISPLAY"))
    systemctl = where.which("systemctl") or "systemctl"
    return Plan("systemd", path, systemd_unit(argv, env, graphical=graphical),
                [[systemctl, "--user", "daemon-reload"],
                 [systemctl, "--user", "enable", "--now", UNIT]])


def plan_uninstall(where: Where) -> Plan:
    if where.platform == "darwin":
        path = os.path.join(where.home, "Library", "LaunchAgents", f"{LABEL}.plist")
        return Plan("launchd", path, "", [[where.which("launchctl") or "launchctl", "bootout",
                                           f"gui/{where.uid}/{LABEL}"]])
    config = where.env.get("XDG_CONFIG_HOME") or os.path.join(where.home, ".config")
    systemctl = where.which("systemctl") or "systemctl"
    return Plan("systemd", os.path.join(config, "systemd", "user", UNIT), "",
                [[systemctl, "--user", "disable", "--now", UNIT],
                 [systemctl, "--user", "daemon-reload"]])


def install(plan: Plan, run: Callable[..., Done], say: Callable[[str], None]) -> bool:
    """Write the file, run the commands; True when every command succeeded (the
    launchd bootout of an agent not loaded may fail: it is only a clean slate)."""
    replace(plan.path, plan.text)
    say(f"Wrote {plan.path}:")
    say(plan.text.rstrip("\n"))
    return _commands(plan, run, say, may_fail=1 if plan.kind == "launchd" else 0)


def uninstall(plan: Plan, run: Callable[..., Done], say: Callable[[str], None]) -> bool:
    """Stop the service and remove the file; False when there was none."""
    if not os.path.lexists(plan.path):
        say(f"Nothing to uninstall: {plan.path} does not exist.")
        return False
    if plan.kind == "launchd":
        _commands(plan, run, say, may_fail=1)
        os.remove(plan.path)
        say(f"Removed {plan.path}.")
        return True
    ok = _commands(plan._replace(commands=plan.commands[:1]), run, say, may_fail=1)
    os.remove(plan.path)
    say(f"Removed {plan.path}.")
    return _commands(plan._replace(commands=plan.commands[1:]), run, say) and ok


def _commands(plan: Plan, run: Callable[..., Done], say: Callable[[str], None], *,
              may_fail: int = 0) -> bool:
    ok = True
    for number, argv in enumerate(plan.commands):
        done = run(argv, timeout=SYSTEMCTL_TIMEOUT)
        shown = " ".join(os.path.basename(argv[0]) if i == 0 else a for i, a in enumerate(argv))
        if done.ok:
            say(f"Ran {shown}")
            continue
        if number < may_fail:
            continue
        ok = False
        said = (done.err or done.out).strip().splitlines()
        why = done.why or (said[0][:160] if said else f"exit status {done.code}")
        say(f"Failed: {shown}: {why}")
    return ok
