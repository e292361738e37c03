"""psoas remind --install and --uninstall: the systemd unit and the launchd agent
written, the commands run (a fake systemctl), and the refusal where neither is."""

from __future__ import annotations

import os
import plistlib
import shutil
import subprocess
import textwrap

import pytest

from psoas_cli.cli.actions import remind as action
from psoas_cli.cli.errors import ExitStatus
from psoas_cli.ui.remind import install as service

ARGV = ["/home/me/.venvs/psoas/bin/psoas", "remind", "--plain", "--every", "45m",
        "--calendar", "/home/me/My Calendars/100% busy", "--on-break", "echo $HOME 'a b'"]


def test_the_unit_quotes_what_systemd_would_split_or_expand():
    unit = service.systemd_unit(ARGV, {"PSOAS_HOME": "/home/me/psoas home"}, graphical=True)
    assert "ExecStart=/home/me/.venvs/psoas/bin/psoas remind --plain --every 45m --calendar " \
           '"/home/me/My Calendars/100%% busy" --on-break "echo $$HOME \'a b\'"' in unit
    assert 'Environment="PSOAS_HOME=/home/me/psoas home"' in unit
    assert "WantedBy=graphical-session.target" in unit and "SuccessExitStatus=143" in unit
    plain = service.systemd_unit(ARGV[:3], {}, graphical=False)
    assert "WantedBy=default.target" in plain and "graphical" not in plain


def test_the_agent_is_a_property_list_launchd_reads():
    text = service.launchd_plist(ARGV, {"PSOAS_HOME": "/Users/me/psoas"},
                                 log="/Users/me/Library/Logs/psoas-remind.log")
    agent = plistlib.loads(text.encode())
    assert agent["Label"] == "org.psoas.remind" and agent["ProgramArguments"] == ARGV
    assert agent["RunAtLoad"] is True and agent["KeepAlive"] == {"SuccessfulExit": False}
    assert agent["EnvironmentVariables"] == {"PSOAS_HOME": "/Users/me/psoas"}


def where(tmp_path, platform="linux", running=True, tools=("systemctl", "launchctl")):
    return service.Where(platform, str(tmp_path / "home"), {},
                         lambda name: f"{tmp_path}/bin/{name}" if name in tools else None,
                         exists=lambda path: running, uid=501)


def test_refused_in_one_line_where_neither_exists(tmp_path):
    assert service.refused(where(tmp_path, running=False)) == "systemd is not running here"
    assert service.refused(where(tmp_path, tools=())) == "systemctl is not found"
    assert service.refused(where(tmp_path, "win32")) == "win32 has neither systemd nor launchd"
    assert service.refused(where(tmp_path, "darwin")) is None


def test_the_plans_for_macos(tmp_path):
    plan = service.plan_install(where(tmp_path, "darwin"), ARGV, {})
    assert plan.path == f"{tmp_path}/home/Library/LaunchAgents/org.psoas.remind.plist"
    assert plan.commands[1] == [f"{tmp_path}/bin/launchctl", "bootstrap", "gui/501", plan.path]
    assert service.plan_uninstall(where(tmp_path, "darwin")).commands == [
        [f"{tmp_path}/bin/launchctl", "bootout", "gui/501/org.psoas.remind"]]


# -- through the command line --------------------------------------------------------------

@pytest.fixture
def fake_systemd(tmp_path, monkeypatch):
    """A systemctl that logs its arguments, and a world where systemd runs."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "systemctl.log"
    script = bin_dir / "systemctl"
    script.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        echo "$@" >> {log}
        [ -e {tmp_path}/fail ] && {{ echo "Failed to connect to bus" >&2; exit 1; }}
        exit 0
        """))
    script.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(action, "_where", lambda app: service.Where(
        "linux", str(home), app.env, lambda name: str(script) if name == "systemctl" else None,
        exists=lambda path: True))
    return home, log


def test_install_writes_the_unit_runs_systemctl_and_says_so(run, fake_systemd, tmp_path,
                                                            clean_env):
    home, log = fake_systemd
    calendar = tmp_path / "cal.ics"
    calendar.write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    result = run("remind", "--install", "--every", "30m", "--between", "9-18",
                 "--calendar", str(calendar), "--on-done", "logger -t psoas",
                 env={"PSOAS_SOUND": "none", "PSOAS_HOOK": "not ours"})
    assert result.exit_code == 0, result.output
    path = home / ".config" / "systemd" / "user" / "psoas-remind.service"
    unit = path.read_text()
    assert result.stdout.startswith(f"Wrote {path}:\n# Written by 'psoas remind --install'")
    assert unit.rstrip("\n") in result.stdout
    assert result.stdout.endswith("Ran systemctl --user daemon-reload\n"
                                  "Ran systemctl --user enable --now psoas-remind.service\n")
    exec_start = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    assert exec_start.endswith(f"remind --plain --every 30m --between 09:00-18:00 --on-done "
                               f"\"logger -t psoas\" --calendar {calendar}")
    assert f"Environment=PSOAS_HOME={clean_env}" in unit
    assert "Environment=PSOAS_SOUND=none" in unit and "PSOAS_HOOK" not in unit
    assert log.read_text().splitlines() == ["--user daemon-reload",
                                            "--user enable --now psoas-remind.service"]

    result = run("remind", "--uninstall")
    assert result.exit_code == 0 and not path.exists()
    assert result.stdout.splitlines() == [
        "Ran systemctl --user disable --now psoas-remind.service", f"Removed {path}.",
        "Ran systemctl --user daemon-reload"]
    assert run("remind", "--uninstall").stdout == f"Nothing to uninstall: {path} does not exist.\n"


def test_a_systemctl_that_fails_is_said_and_the_file_kept(run, fake_systemd, tmp_path):
    (tmp_path / "fail").touch()
    result = run("remind", "--install")
    assert result.exit_code == ExitStatus.ERROR
    assert "Failed: systemctl --user daemon-reload: Failed to connect to bus" in result.stdout
    assert "'psoas remind --uninstall' to remove it" in result.stderr
    assert (fake_systemd[0] / ".config/systemd/user/psoas-remind.service").exists()


def test_install_is_refused_where_there_is_no_service_manager(run, monkeypatch, tmp_path):
    monkeypatch.setattr(action, "_where", lambda app: where(tmp_path, running=False))
    result = run("remind", "--install")
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == ("Error: psoas remind --install: systemd is not running here; start "
                             "'psoas remind --plain' from your session's autostart instead\n")


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_the_unit_written_passes_systemd_analyze_verify(run, fake_systemd, tmp_path):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    (tmp_path / "cal dir").mkdir()
    result = run("remind", "--install", "--every", "1h30m", "--calendar",
                 str(tmp_path / "cal dir"), "--on-break", "notify-send '100% done' $X")
    assert result.exit_code == 0, result.output
    path = fake_systemd[0] / ".config/systemd/user/psoas-remind.service"
    text = path.read_text()
    first = text.split("ExecStart=", 1)[1].split(" ", 1)[0]
    assert os.access(first, os.X_OK)  # psoas, or (under pytest) python -m psoas_cli
    done = subprocess.run(["systemd-analyze", "verify", "--user", str(path)],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})
    assert done.returncode == 0, done.stderr
    assert "Unknown" not in done.stderr and "ignoring" not in done.stderr, done.stderr
