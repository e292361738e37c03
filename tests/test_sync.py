"""Homes sharing a sync folder, export and import: in-process, each home its own
psoas folder (as each machine has), one folder between them."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from psoas_cli.cli.app import App
from psoas_cli.cli.errors import ExitStatus
from psoas_cli.files import machine
from psoas_cli.history import exchange
from psoas_cli.history import practice as practice_store
from psoas_cli.history.calendar import local_day
from psoas_cli.history.practice_records import (
    TestAnswer,
    TestRecord,
    TestSide,
    calm_line_row,
    checkin_row,
    new_uid,
)
from psoas_cli.history.records import BreakRow, StretchRecord, new_session
from psoas_cli.history.store import History

DAY = 86400.0
NOW = time.time()


class Home:
    """One machine: its own psoas folder; ``sync`` is the folder they share."""

    def __init__(self, root: Path, name: str, run, sync: Path) -> None:
        self.path = root / name
        self.run = run
        self.sync = sync
        self.now = NOW

    def psoas(self, *args: str, env: dict | None = None, ok: bool = True, **kwargs):
        result = self.run(*args, env={"PSOAS_HOME": str(self.path), **(env or {})},
                          app=kwargs.pop("app", None) or App(now=lambda: self.now), **kwargs)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def seed(self, count: int, *, first_day: float = 0.0, routine: str = "desk",
             status: str = "finished", step: float = DAY) -> list[str]:
        """``count`` sessions, a day apart, the last ``first_day`` days ago + ..."""
        tokens = []
        with History(self.path) as history:
            for n in range(count):
                started = self.now - first_day * DAY - n * step - 3600
                token = os.urandom(16).hex()
                history.save(new_session(
                    routine, started, status=status, planned_seconds=120.0,
                    active_seconds=100.0 + n / 7, token=token,
                    ended_at=None if status == "in progress" else started + 130.0,
                    stretches=(StretchRecord(0, "cobra", "Cobra pose", "done", 30.0 + n / 3,
                                             30.0),
                               StretchRecord(1, "pigeon", "Pigeon pose", "skipped", 2.5, 60.0))))
                tokens.append(token)
        return tokens

    def report(self) -> dict:
        return json.loads(self.psoas("history", "--json", "--days", "100000").output)

    def tokens(self) -> set[str]:
        with History(self.path) as history:
            return {s.token for s in history.sessions()}

    def machine(self) -> str:
        return machine.this_machine(str(self.path)).id

    def file(self) -> Path:
        return self.sync / exchange.sync_name(self.machine())


@pytest.fixture
def folder(tmp_path) -> Path:
    shared = tmp_path / "Sync"
    shared.mkdir()
    return shared


@pytest.fixture
def homes(tmp_path, run, folder):
    def make(*names: str) -> list[Home]:
        return [Home(tmp_path, name, run, folder) for name in names]
    return make


def without_row_ids(report: dict) -> dict:
    """A report without the rows' numbers in this file, which are no one else's."""
    for session in report["sessions"]:
        session.pop("id")
    return report


def words(text: str) -> str:
    """Output as one line: what app.say wraps at 80 columns."""
    return " ".join(text.split())


def play(home: Home, fast_run, stretch: str = "cobra") -> None:
    result = fast_run("play", stretch, "--plain", "--hold", "1", "--reps", "1", "--setup", "0",
                      "--sound", "none", env={"PSOAS_HOME": str(home.path)})
    assert result.exit_code == 0, result.output


# -- two machines, ten machines ------------------------------------------------------------

def test_two_homes_sharing_a_folder_see_each_others_sessions_and_one_streak(homes, folder,
                                                                           fast_run):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(2, first_day=1)  # yesterday and the day before, on the laptop
    play(desktop, fast_run)  # today, on the desktop
    for home in (laptop, desktop):
        home.psoas("sync", "setup", str(folder))
    laptop.psoas("sync")  # the desktop's file came after the laptop's first sync
    for home in (laptop, desktop):
        report = home.report()
        assert report["total_sessions"] == 3
        assert report["streaks"]["current"] == 3, home.path
    assert laptop.tokens() == desktop.tokens()
    # 'psoas' alone counts them too.
    streak = next(line for line in laptop.psoas().output.splitlines() if "Streak" in line)
    assert words(streak) == "Streak 3 days"


def test_a_routine_played_with_a_sync_folder_goes_there_as_it_ends(homes, folder, fast_run):
    laptop, desktop = homes("laptop", "desktop")
    for home in (laptop, desktop):
        home.psoas("sync", "setup", str(folder))
    play(laptop, fast_run)
    assert b'"session"' in laptop.file().read_bytes()  # pushed after the routine
    assert desktop.report()["total_sessions"] == 1  # pulled before the report


@pytest.mark.slow  # ten homes synced: a second or more
def test_ten_machines_each_see_every_session(homes, folder):
    machines = homes(*(f"m{n}" for n in range(10)))
    for n, home in enumerate(machines):
        home.seed(30, first_day=n * 30)  # three hundred days in a row, thirty a machine
        home.psoas("sync", "setup", str(folder))
    for home in machines:
        home.psoas("sync")
    everyone = machines[0].tokens()
    assert len(everyone) == 300
    for home in machines:
        assert home.tokens() == everyone
        assert home.report()["streaks"] == machines[0].report()["streaks"]
    assert machines[0].report()["streaks"]["longest"] == 300
    status = machines[3].psoas("sync", "status").output
    assert status.count("30 sessions") == 10 and "Problems      none" in status


def test_psoas_sync_dir_in_the_environment(homes, folder):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(1)
    env = {"PSOAS_SYNC_DIR": str(folder)}
    laptop.psoas("sync", env=env)
    assert desktop.psoas("history", "--json", env=env).output.count('"routine"') == 1
    status = desktop.psoas("sync", "status", env=env).output
    assert f"Sync folder   {folder} (PSOAS_SYNC_DIR)" in status


def test_history_machine_says_where_each_session_was_played(homes, folder):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(1, routine="on-the-laptop")
    desktop.seed(1, routine="on-the-desktop", first_day=1)
    for home in (laptop, desktop, laptop):
        home.psoas("sync", "setup", str(folder))
    with History(laptop.path) as history:
        history.file.run(lambda conn: conn.execute(
            "UPDATE machines SET name = 'desktop-box'"), write=True)
    lines = laptop.psoas("history", "--machine").output.splitlines()
    header = next(line for line in lines if line.startswith("Date"))
    assert header.rstrip().endswith("Machine") and len(header) <= 80
    mine = machine.host_name()
    assert any("on-the-laptop" in line and line.rstrip().endswith(mine[:7]) for line in lines)
    assert any("on-the-desktop" in line and "desktop" in line.split()[-1] for line in lines)
    data = json.loads(laptop.psoas("history", "--json", "--machine").output)
    assert {s["machine"] for s in data["sessions"]} == {mine, "desktop-box"}


# -- files cut short, broken, copied, newer ------------------------------------------------------

def test_a_file_cut_in_the_middle_of_a_line_is_merged_up_to_the_cut_then_the_rest(
        homes, tmp_path):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(5)
    elsewhere = tmp_path / "laptop-side"
    elsewhere.mkdir()
    laptop.psoas("sync", "setup", str(elsewhere))
    whole = (elsewhere / laptop.file().name).read_bytes()
    cut = whole[:whole.index(b"\n", len(whole) // 2) - 30]  # a copy caught half-way
    (desktop.sync / laptop.file().name).write_bytes(cut)
    result = desktop.psoas("sync", "setup", str(desktop.sync))
    got = len(desktop.tokens())
    assert 0 < got < 5 and "psoas:" not in result.output  # no problem: it is on its way
    (desktop.sync / laptop.file().name).write_bytes(whole)  # the rest arrives
    desktop.psoas("sync")
    assert desktop.tokens() == laptop.tokens()
    assert "Problems      none" in desktop.psoas("sync", "status").output


def test_a_broken_line_in_the_middle_is_named_and_every_other_line_merged(homes, folder):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(4)
    laptop.psoas("sync", "setup", str(folder))
    lines = laptop.file().read_bytes().split(b"\n")
    lines.insert(3, b'["session","zz",null,"2026-01-0')  # git left half a line, say
    laptop.file().write_bytes(b"\n".join(lines))
    result = desktop.psoas("sync", "setup", str(folder))
    name = laptop.file().name
    assert f"psoas: {name}:4: not a line psoas wrote" in result.output
    assert desktop.tokens() == laptop.tokens()
    status = desktop.psoas("sync", "status").output
    assert f"{name}:4: not a line psoas wrote" in status


@pytest.mark.parametrize("copy_name", [
    "psoas-{id}.sync-conflict-20260105-101500-ABCDEFG.jsonl",  # Syncthing
    "psoas-{id} (conflicted copy 2026-01-05).jsonl",  # Dropbox
    "psoas-{id} (desk's conflicted copy 2026-01-05).jsonl",
    "psoas-{id}.jsonl~",  # an editor's, or a tool's backup
])
def test_conflict_copies_are_merged_then_reported(homes, folder, copy_name, wide_terminal):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(2)
    laptop.psoas("sync", "setup", str(folder))
    original = laptop.file().read_bytes()
    laptop.seed(3, first_day=10)  # more sessions that only the copy holds
    laptop.psoas("sync")
    copy = folder / copy_name.format(id=laptop.machine())
    copy.write_bytes(laptop.file().read_bytes())
    laptop.file().write_bytes(original)  # the tool kept the older one under the name
    result = desktop.psoas("sync", "setup", str(folder))
    assert desktop.tokens() == laptop.tokens() and len(desktop.tokens()) == 5
    assert f"merged {copy.name}: conflict copies the sync tool made" in result.output
    status = desktop.psoas("sync", "status").output
    assert "1 conflict copy merged (you may delete it)" in status


def test_a_file_from_a_newer_psoas_is_left_alone_with_one_line(homes, folder, wide_terminal):
    laptop, = homes("laptop")
    newer = folder / ("psoas-" + "f" * 32 + ".jsonl")
    newer.write_text('{"psoas":"sync","version":7,"machine":"' + "f" * 32 + '","name":"x"}\n'
                     '["session","a new kind of line"]\n')
    result = laptop.psoas("sync", "setup", str(folder))
    said = [line for line in result.output.splitlines() if newer.name in line]
    assert said == [f"psoas: {newer.name}: written by a newer psoas (sync version 7); left "
                    "alone until psoas is upgraded here"]
    assert newer.read_text().startswith('{"psoas":"sync","version":7')  # untouched
    assert laptop.report()["total_sessions"] == 0


def test_files_that_are_not_sync_files_are_named_or_ignored(homes, folder, wide_terminal):
    laptop, = homes("laptop")
    (folder / "notes.txt").write_text("mine")
    (folder / ("psoas-" + "c" * 32 + ".jsonl")).write_text("hello\n")
    (folder / ".syncthing.psoas-x.jsonl.tmp").write_text("{")
    result = laptop.psoas("sync", "setup", str(folder))
    assert "(its first line is no header)" in result.output
    assert "notes" not in result.output and "syncthing" not in result.output


def test_this_machines_own_half_written_line_is_cut_off_before_appending(homes, folder):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(1)
    laptop.psoas("sync", "setup", str(folder))
    with open(laptop.file(), "ab") as handle:
        handle.write(b'["session","half-writ')  # a psoas killed while appending
    laptop.seed(1, first_day=3)
    laptop.psoas("sync")
    assert b"half-writ" not in laptop.file().read_bytes()
    desktop.psoas("sync", "setup", str(folder))
    assert desktop.tokens() == laptop.tokens() and len(desktop.tokens()) == 2
    assert "Problems      none" in desktop.psoas("sync", "status").output


def test_this_machines_file_replaced_by_an_older_copy_is_written_again(homes, folder):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(1)
    laptop.psoas("sync", "setup", str(folder))
    older = laptop.file().read_bytes()
    laptop.seed(2, first_day=5)
    laptop.psoas("sync")
    laptop.file().write_bytes(older)  # a tool put an old version back, and no copy
    laptop.psoas("sync")
    desktop.psoas("sync", "setup", str(folder))
    assert len(desktop.tokens()) == 3


def test_a_session_that_was_in_progress_elsewhere_ends_there_and_here(homes, folder):
    laptop, desktop = homes("laptop", "desktop")
    with History(laptop.path) as history:
        started = NOW - 2 * DAY
        live = new_session("desk", started, token="t" * 32, heartbeat=started + 10, pid=1,
                           host="elsewhere")
        history.save(live)  # its player gone long ago: it goes as it is
    laptop.psoas("sync", "setup", str(folder))
    desktop.psoas("sync", "setup", str(folder))
    assert desktop.report()["sessions"][0]["status"] == "interrupted"
    with History(laptop.path) as history:  # it ends after all (a Ctrl-Z of two days)
        history.save(live._replace(status="finished", ended_at=started + 100,
                                   active_seconds=90.0))
    laptop.psoas("sync")
    result = desktop.psoas("sync")
    assert "1 session further along" in result.output
    assert desktop.report()["sessions"][0]["status"] == "finished"


def test_clock_skew_a_session_counts_on_its_own_machines_day(homes, folder, tz):
    """Auckland is a day ahead of Honolulu for most of theirs: each session keeps
    the day of the machine that played it."""
    laptop, desktop = homes("auckland", "honolulu")
    moment = NOW - 3 * DAY
    tz("NZST-12")
    with History(laptop.path) as history:
        history.save(new_session("desk", moment, token="n" * 32, status="finished",
                                 ended_at=moment + 60))
    nz_day = time.strftime("%Y-%m-%d", time.localtime(moment))
    laptop.psoas("sync", "setup", str(folder))
    tz("HST10")
    hi_day = time.strftime("%Y-%m-%d", time.localtime(moment))
    assert nz_day != hi_day
    desktop.psoas("sync", "setup", str(folder))
    assert desktop.report()["sessions"][0]["day"] == nz_day
    # And a machine whose clock is hours ahead: its day, as it wrote it.
    with History(desktop.path) as history:
        history.save(new_session("desk", NOW + 5 * 3600, token="f" * 32, status="finished",
                                 ended_at=NOW + 5 * 3600 + 60)._replace(day=history.report(
                                     limit=0).today))
    desktop.psoas("sync")
    laptop.psoas("sync")
    with History(laptop.path) as history:
        days = {s.token: s.day.isoformat() for s in history.sessions()}
    assert days["n" * 32] == nz_day


# -- setting up ------------------------------------------------------------------------------

def test_setup_refuses_a_folder_that_holds_the_psoas_folder(homes, tmp_path):
    laptop, = homes("laptop")
    result = laptop.psoas("sync", "setup", str(tmp_path), ok=False)
    assert result.exit_code == ExitStatus.ERROR
    assert f"holds the psoas folder {laptop.path}: its history.db would be synced" in \
        result.output
    assert not (laptop.path / "config.toml").exists()


def test_setup_refuses_a_folder_with_a_history_db_in_it(homes, folder):
    laptop, = homes("laptop")
    (folder / "history.db").write_bytes(b"SQLite format 3\x00")
    result = laptop.psoas("sync", "setup", str(folder), ok=False)
    assert "holds a history.db: a database must never be in a synced folder" in result.output


def test_sync_without_a_folder_says_how_to_set_one(homes):
    laptop, = homes("laptop")
    assert "'psoas sync setup DIR' chooses one" in laptop.psoas("sync", ok=False).output
    assert "No sync folder is set" in laptop.psoas("sync", "status").output


def test_a_folder_that_went_away_costs_a_warning_not_the_report(homes, folder, tmp_path):
    laptop, = homes("laptop")
    laptop.seed(1)
    laptop.psoas("sync", "setup", str(folder))
    shutil.rmtree(folder)
    result = laptop.psoas("history")
    assert "psoas: not synced: the sync folder" in result.output and "Recent sessions" in \
        result.output


def test_status_says_what_waits_and_when_each_machine_last_wrote(homes, folder):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(2)
    laptop.psoas("sync", "setup", str(folder))
    desktop.psoas("sync", "setup", str(folder))
    laptop.seed(1, first_day=4)
    with History(laptop.path) as history:
        history.add_break(BreakRow(NOW - 100, "taken", "desk"))
    status = laptop.psoas("sync", "status").output.splitlines()
    assert status[0] == f"Sync folder   {folder} (config file)"
    assert status[1].startswith(f"This machine  {machine.host_name()} (")
    assert any("(here)" in line and " wrote " in line and "3 sessions" in line
               for line in status)
    assert "Waiting       1 session, 1 break to write" in status
    assert all(len(line) <= 80 for line in status if str(folder) not in line), status


# -- export and import ------------------------------------------------------------------------

def practice(home: Home, *, days_ago: float = 1.0) -> None:
    """A self-test (both sides, with answers) and a check-in with its calm line."""
    at = NOW - days_ago * DAY
    with History(home.path) as history:
        token = history.sessions()[-1].token if history.exists() and history.count() else None
        sides = (TestSide(new_uid(), "right", 2, False, (
                     TestAnswer(new_uid(), "knee", "bent", 2),
                     TestAnswer(new_uid(), "thigh", None, None))),
                 TestSide(new_uid(), "left", None, True, (
                     TestAnswer(new_uid(), "knee", "straight", 0),)))
        for record in (TestRecord(new_uid(), "thomas", at, local_day(at), "finished", 1, sides),
                       checkin_row(at + 60, "before", "hips", 6, session=token),
                       checkin_row(at + 600, "after", "hips", 3, session=token),
                       calm_line_row(at + 601, "easier", "hips", 6, 3, session=token)):
            practice_store.write(history.file, record)


def full_home(home: Home, fast_run) -> None:
    home.seed(3)
    home.seed(1, first_day=9, status="stopped", routine="naïve, \"quoted\" =1+1")
    home.seed(1, first_day=20, status="in progress")
    play(home, fast_run)
    with History(home.path) as history:
        history.add_break(BreakRow(NOW - 500, "offered", "desk", NOW - 600))
        history.add_break(BreakRow(NOW - 400, "taken", "desk", NOW - 600,
                                   session_id=history.sessions()[-1].id))
    practice(home)


@pytest.mark.parametrize("form", ["json", "csv"])
def test_export_then_import_into_an_empty_home_reproduces_it_exactly(homes, fast_run, form,
                                                                    tmp_path):
    source, empty = homes("source", "empty")
    full_home(source, fast_run)
    path = tmp_path / f"out.{form}"
    said = words(source.psoas("history", "export", "-o", str(path)).output)
    assert said == (f"Exported 6 sessions, 2 breaks, 1 self-test, 2 check-in answers, "
                    f"1 calm line to {path}")
    empty.psoas("history", "import", str(path))
    assert empty.psoas("history", "export", "--format", form).output == \
        source.psoas("history", "export", "--format", form).output
    again = words(empty.psoas("history", "import", str(path)).output)
    assert again.startswith(f"Nothing new in {path}: its 12 records are already here.")
    assert without_row_ids(empty.report()) == without_row_ids(source.report())


def test_export_to_stdout_since_a_day(homes, fast_run):
    source, = homes("source")
    source.seed(5)  # today and the four days before
    since = time.strftime("%Y-%m-%d", time.localtime(NOW - 2 * DAY))
    data = json.loads(source.psoas("history", "export", "--since", since).output)
    assert len(data["sessions"]) == 3 and data["psoas"] == "export"
    assert {s["machine"] for s in data["sessions"]} == {source.machine()}
    bad = source.psoas("history", "export", "--since", "yesterday", ok=False)
    assert bad.exit_code == ExitStatus.USAGE and "--since must be a day as YYYY-MM-DD" in \
        bad.output


def test_an_import_that_differs_from_what_is_here_is_named_never_written_over(homes, tmp_path,
                                                                              wide_terminal):
    source, other = homes("source", "other")
    token = source.seed(1)[0]
    path = tmp_path / "out.json"
    source.psoas("history", "export", "-o", str(path))
    other.psoas("history", "import", str(path))
    document = json.loads(path.read_text())
    document["sessions"][0]["routine"] = "changed"
    path.write_text(json.dumps(document))
    result = other.psoas("history", "import", str(path))
    assert f"psoas: out.json: session {token} differs from the one here (in its routine); " \
           "kept the one here" in result.output
    assert other.report()["sessions"][0]["routine"] == "desk"


def test_a_bad_import_row_is_named_and_set_aside_the_rest_imported(homes, tmp_path):
    source, other = homes("source", "other")
    source.seed(3)
    path = tmp_path / "out.csv"
    source.psoas("history", "export", "-o", str(path))
    text = path.read_text(encoding="utf-8-sig").replace(",finished,", ",done,", 1)
    path.write_text(text)
    result = other.psoas("history", "import", str(path))
    said = words(result.output)
    assert said.startswith(f"psoas: {path}:") and "field 'status': must be one of" in said
    assert said.endswith(f"Imported 2 sessions from {path}. 1 record set aside (named above).")
    assert other.report()["total_sessions"] == 2


@pytest.mark.parametrize("make, said", [
    (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a regular file"),
    (lambda p: p.mkdir(), "is a directory"),
    (lambda p: None, "no such file"),
    (lambda p: p.write_text("hello"), "not a psoas export or sync file"),
])
def test_import_reads_only_a_file_it_can_and_says_why_not(homes, tmp_path, make, said):
    home, = homes("home")
    path = tmp_path / "in.json"
    make(path)
    result = home.psoas("history", "import", str(path), ok=False)
    assert said in result.output and result.output.count("\n") == 1


def test_import_is_bounded(homes, tmp_path, monkeypatch):
    from psoas_cli import limits

    home, = homes("home")
    monkeypatch.setattr(limits, "IMPORT_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(" " * 200)
    result = home.psoas("history", "import", str(path), ok=False)
    assert "is larger than" in result.output


def test_a_sync_file_imports_as_an_export_does(homes, folder, tmp_path):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(3)
    laptop.psoas("sync", "setup", str(folder))
    result = desktop.psoas("history", "import", str(laptop.file()))
    assert words(result.output) == f"Imported 3 sessions from {laptop.file()}."
    assert desktop.tokens() == laptop.tokens()


def test_a_long_file_is_read_in_parts_and_a_report_reads_only_so_much(homes, folder,
                                                                     monkeypatch):
    from psoas_cli import limits
    from psoas_cli.cli.actions import sync

    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(40)
    laptop.psoas("sync", "setup", str(folder))
    monkeypatch.setattr(limits, "SYNC_READ_BYTES", 2000)  # a few lines a read
    monkeypatch.setattr(sync, "REPORT_BYTES", 3000)
    monkeypatch.setattr(sync, "ROUND_BYTES", 5000)  # and merged every few reads
    desktop.psoas("config", "set", "sync_dir", str(folder))
    result = desktop.psoas("history", "--json")
    assert "psoas: sync: more to merge than fits before a report" in result.output
    assert 0 < len(desktop.tokens()) < 40
    desktop.psoas("sync")
    assert desktop.tokens() == laptop.tokens()
    assert "Up to date" in desktop.psoas("sync").output


def test_tests_and_check_ins_travel_too(homes, folder):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(1)
    practice(laptop)
    laptop.psoas("sync", "setup", str(folder))
    desktop.psoas("sync", "setup", str(folder))
    mine, theirs = (json.loads(home.psoas("history", "--json").output) for home in
                    (laptop, desktop))
    for key in ("tests", "checkins", "checkin_lines"):
        assert mine[key] == theirs[key] and mine[key], key
    assert theirs["tests"][0]["sides"][0]["answers"][0]["answer"] == "bent"
    # A test saved as it goes: the first side, then finished, reaches the other
    # machine further along, never as a conflict.
    with History(laptop.path) as history:
        first = TestRecord(new_uid(), "thomas", NOW - 50, local_day(NOW - 50), "stopped", 1,
                           (TestSide(new_uid(), "right", 1, False, ()),))
        practice_store.write(history.file, first)
    laptop.psoas("sync")
    desktop.psoas("sync")
    with History(laptop.path) as history:
        practice_store.write(history.file, first._replace(status="finished", sides=(
            *first.sides, TestSide(new_uid(), "left", 0, False, ()))))
    laptop.psoas("sync")
    result = desktop.psoas("sync")
    assert "further along" in result.output and "differs" not in result.output
    tests = json.loads(desktop.psoas("history", "--json").output)["tests"]
    assert [len(t["sides"]) for t in tests][-1] == 2 and tests[-1]["status"] == "finished"


def test_an_old_machines_export_imported_on_one_reaches_the_others(homes, folder, tmp_path):
    old, laptop, desktop = homes("old", "laptop", "desktop")
    old.seed(3, first_day=100)  # a machine that never synced, and is gone now
    path = tmp_path / "old.json"
    old.psoas("history", "export", "-o", str(path))
    for home in (laptop, desktop):
        home.psoas("sync", "setup", str(folder))
    laptop.psoas("history", "import", str(path))
    laptop.psoas("sync")
    desktop.psoas("sync")
    assert desktop.tokens() == old.tokens()
    data = json.loads(desktop.psoas("history", "--json", "--machine").output)
    assert len(data["sessions"]) == 3


def test_a_record_that_differs_between_machines_is_named_in_status_too(homes, folder,
                                                                       wide_terminal):
    laptop, desktop = homes("laptop", "desktop")
    laptop.seed(1)
    laptop.psoas("sync", "setup", str(folder))
    desktop.psoas("sync", "setup", str(folder))
    text = laptop.file().read_text().replace('"desk"', '"changed"')
    laptop.file().write_text(text)  # as if the file had been edited by hand
    with History(desktop.path) as history:  # read again from the start
        history.file.run(lambda conn: conn.execute("DELETE FROM sync_files"), write=True)
    result = desktop.psoas("sync")
    assert "differs from the one here (in its routine); kept the one here" in result.output
    assert "differs from the one here" in desktop.psoas("sync", "status").output
    assert desktop.report()["sessions"][0]["routine"] == "desk"


def test_status_with_the_folder_gone_says_so(homes, folder):
    laptop, = homes("laptop")
    laptop.psoas("sync", "setup", str(folder))
    shutil.rmtree(folder)
    status = " ".join(laptop.psoas("sync", "status").output.split())  # as wrapped at 80
    assert "the sync folder" in status and "is not there" in status
