"""Shared fixtures: every test runs with a fixed, colourless 80x24 terminal
and its own empty psoas home, so nothing a developer has set leaks in."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from psoas_cli.cli.main import cli


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ("PSOAS_CATALOGUE", "PSOAS_ROUTINES", "PSOAS_NO_HISTORY", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "psoas-home"
    monkeypatch.setenv("PSOAS_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    monkeypatch.setenv("TERM", "xterm-256color")
    return home


@pytest.fixture
def run():
    """Invoke psoas in-process; returns the click Result.  ``app=`` passes an
    App with fakes (clocks, keyboard) to the commands."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict | None = None, app=None):
        return runner.invoke(cli, list(args), input=input, env=env, obj=app,
                             catch_exceptions=False)

    return invoke


@pytest.fixture
def write_yaml(tmp_path):
    """Write a YAML file under tmp_path and return its path as a string."""

    def write(text: str, name: str = "catalogue.yaml") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


@pytest.fixture
def tz(monkeypatch):
    """Switch the local time zone for the test; the original comes back after.

    Zones are given as POSIX TZ rules (Paris is "CET-1CEST,M3.5.0,M10.5.0/3"),
    which the C library reads without a time-zone database installed.
    """

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()
