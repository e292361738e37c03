"""Shared fixtures: every test runs with a fixed, colourless 80x24 terminal
and its own empty psoas home, so nothing a developer has set leaks in; the
built-in catalogue and routines are parsed once a session (builtin_files_parsed_once)."""

from __future__ import annotations

import compileall
import os
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from psoas_cli.cli.app import App
from psoas_cli.cli.main import cli
from psoas_cli.files import catalogue_schema, datafiles, routines_schema

from .fakes import FakeClock

# Compiled code is kept even where PYTHONDONTWRITEBYTECODE is set (as on the
# development machine): otherwise every xdist worker rewrites the asserts of
# every test module afresh, and every psoas a test starts compiles the whole
# package from source, a third of a second each.  Python reads .pyc files
# whatever that variable says; it only stops writing them.
sys.dont_write_bytecode = False


@pytest.fixture(autouse=True, scope="session")
def builtin_files_parsed_once():
    """Parse the built-in catalogue and routines (read the YAML, check every
    field) once a session rather than in every test that runs a command: each
    test's psoas home starts with an empty cache, so each parsed them afresh,
    a third of the fast lane's CPU time.  Keyed as psoas's own cache is, by
    the file's size and time (and, for the routines, the catalogue they were
    read against: only the built-in one's are kept), as parsing is a function
    of the file alone.  Every other file is parsed each time; parsing itself is
    tested where it is the subject (test_catalogue.py, test_coaching_data.py,
    test_routines_text.py), and test_catalogue.py checks that this holds."""
    parse_catalogue, parse_routines = catalogue_schema.parse, routines_schema.parse
    catalogue_file = datafiles.bundled_path(datafiles.CATALOGUE)
    routines_file = datafiles.bundled_path(datafiles.ROUTINES)
    catalogues: dict = {}  # stamp: the built-in catalogue
    routines: dict = {}  # stamp, whether unavailable was asked for: routines, unavailable

    def stamp(path):
        found = os.stat(path)
        return found.st_size, found.st_mtime_ns

    def catalogue_once(path, *args, **kwargs):
        if path != catalogue_file or args or kwargs:
            return parse_catalogue(path, *args, **kwargs)
        key = stamp(path)
        if key not in catalogues:
            catalogues[key] = parse_catalogue(path)
        return catalogues[key]

    def routines_once(path, catalogue, *args, unavailable=None, **kwargs):
        if path != routines_file or args or kwargs \
                or not any(catalogue is c for c in catalogues.values()):
            return parse_routines(path, catalogue, *args, unavailable=unavailable, **kwargs)
        key = (stamp(path), unavailable is not None)
        if key not in routines:
            left_out: dict | None = None if unavailable is None else {}
            routines[key] = (parse_routines(path, catalogue, unavailable=left_out), left_out)
        parsed, left_out = routines[key]
        if unavailable is not None:
            unavailable.update(left_out)
        return dict(parsed)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalogue_schema, "parse", catalogue_once)
        patch.setattr(routines_schema, "parse", routines_once)
        yield


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ("PSOAS_CATALOGUE", "PSOAS_ROUTINES", "PSOAS_NO_HISTORY", "FORCE_COLOR",
                 "PSOAS_SOUND", "PSOAS_LEVEL", "PSOAS_MINUTES", "PSOAS_WAIT", "PSOAS_SETUP",
                 "PSOAS_START_WAIT", "PSOAS_IDLE", "PSOAS_REST_DAYS",
                 "PSOAS_CHECKIN", "PSOAS_CHECKIN_SIDES",
                 "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "psoas-home"
    monkeypatch.setenv("PSOAS_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    monkeypatch.setenv("TERM", "xterm-256color")
    # A UTF-8 locale, whatever the developer's: LANG=C would make every view ASCII.
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
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
def wide_terminal(monkeypatch):
    """A terminal 1,000 columns wide, so that no message is wrapped."""
    monkeypatch.setenv("COLUMNS", "1000")


@pytest.fixture
def catalogue_error(write_yaml):
    """Load a catalogue written from text and return its one-line error, the path as FILE."""
    import textwrap

    from psoas_cli.errors import CatalogueError

    def error(text: str) -> str:
        path = write_yaml(textwrap.dedent(text))
        with pytest.raises(CatalogueError) as caught:
            datafiles.load_catalogue(path)
        message = str(caught.value)
        assert "\n" not in message
        return message.replace(path, "FILE")

    return error


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


@pytest.fixture
def fake_clock():
    return FakeClock()


@pytest.fixture
def fast_run(run, fake_clock):
    """psoas in-process, playing routines instantly on a fake clock and keyboard;
    each run gets a new App, as each real run would."""

    def invoke(*args, **kwargs):
        kwargs.setdefault("app", App(monotonic=fake_clock.now, keyboard=fake_clock.keyboard))
        return run(*args, **kwargs)

    return invoke


@pytest.fixture(scope="session")
def cat():
    return datafiles.load_catalogue()


@pytest.fixture(scope="session")
def builtin(cat):
    """The built-in routines, straight from the YAML."""
    return routines_schema.parse(datafiles.bundled_path("routines.yaml"), cat)


def pytest_configure(config: pytest.Config) -> None:
    """Compile psoas once, before any test starts a psoas of its own (in the
    controller only: the workers find it done)."""
    if not hasattr(config, "workerinput"):
        compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "psoas_cli"),
                               quiet=1)
