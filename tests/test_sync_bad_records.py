"""One bad record in a sync file or an import never breaks psoas: it is named by
file and line, set aside (the file is left as it is, the record counted in
'psoas sync status'), and every other record merges (the hostile re-test's
reproductions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from psoas_cli.cli.errors import ExitStatus
from psoas_cli.files import machine
from psoas_cli.history.store import History
from tests.test_sync import DAY, NOW, Home, words


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


DAYS = ("2025-11-05", "2025-11-06", "2025-11-07")


def session_line(ident: str, day: str, *, routine: str = "desk", at: float = NOW - 9 * DAY,
                 stretches: list | None = None) -> str:
    return json.dumps(["session", ident, None, day, at, at + 300.0, routine, "finished",
                       300.0, 290.0, None, stretches or []])


def sync_file(folder: Path, ident: str, *lines: str, name: str = "") -> Path:
    path = folder / f"psoas-{ident}.jsonl"
    header = {"psoas": "sync", "version": 1, "machine": ident, "name": name or ident}
    path.write_text("\n".join([json.dumps(header), *lines]) + "\n")
    return path


def export(sessions: list[dict], **more: list) -> dict:
    return {"psoas": "export", "version": 1, "machines": {"m1": {"name": "old laptop"}},
            "sessions": sessions, **more}


def session(ident: str, day: str = "2025-11-05", at: float = NOW - 9 * DAY, **fields) -> dict:
    return {"id": ident, "machine": "m1", "day": day, "started_at": at, "ended_at": at + 300.0,
            "routine": "desk", "status": "finished", "planned_seconds": 300.0,
            "active_seconds": 290.0, "heartbeat": None, "stretches": [], **fields}


def test_a_text_sqlite_cannot_store_is_set_aside_and_the_rest_merges(homes, folder):
    laptop, = homes("laptop")
    laptop.psoas("sync", "setup", str(folder))
    bad = session_line("c1", DAYS[0], routine="x\ud800")  # JSON: "x\\ud800"
    sync_file(folder, "cc01", bad, session_line("c2", DAYS[1]))
    for command in (["sync"], ["history"], ["history", "--json"], ["progress"]):
        result = laptop.psoas(*command)
        assert "Traceback" not in result.output
    assert laptop.tokens() == {"c2"}
    status = words(laptop.psoas("sync", "status").output)
    assert "psoas-cc01.jsonl: 1 record set aside (kept in the file, not merged)" in status
    assert "psoas-cc01.jsonl:2: session 'c1', field 'routine': holds a character that is " \
           "not text (a lone surrogate such as \\ud800)" in status
    assert (folder / "psoas-cc01.jsonl").read_text().count("\n") == 3  # left as it was


def test_a_record_breaking_a_key_is_the_files_fault_and_the_others_merge(homes, folder):
    laptop, desktop = homes("laptop", "desktop")
    laptop.psoas("sync", "setup", str(folder))
    twice = [[0, "a", "A", "done", 1.0, 1.0], [0, "b", "B", "done", 1.0, 1.0]]
    sync_file(folder, "dp01", session_line("dp1", DAYS[0], stretches=twice),
              session_line("dp2", DAYS[1]))
    sync_file(folder, "tt01",  # two tests whose sides share an id
              json.dumps(["test", "t1", None, DAYS[0], NOW - 9 * DAY, "thomas", "finished", 1,
                          [["side1", "right", 3, 0]], []]),
              json.dumps(["test", "t2", None, DAYS[1], NOW - 8 * DAY, "thomas", "finished", 1,
                          [["side1", "right", 2, 0]], []]))
    result = laptop.psoas("sync")
    said = words(result.output)
    assert "history.db" not in said
    assert "psoas-dp01.jsonl:2: session 'dp1', field 'stretches 2': position 0 is listed " \
           "twice in one record" in said
    assert "psoas-tt01.jsonl: test t2: the id of one of its sides is another test's; " \
           "set aside" in said
    assert laptop.tokens() == {"dp2"}
    assert "not synced" not in laptop.psoas("history").output
    status = words(laptop.psoas("sync", "status").output)
    assert "psoas-tt01.jsonl: 1 record set aside" in status
    desktop.psoas("sync", "setup", str(folder))  # another machine: the same, never stuck
    assert desktop.tokens() == {"dp2"}


def test_an_import_sets_a_bad_record_aside_names_it_and_imports_the_rest(homes, tmp_path):
    home, = homes("home")
    twice = [{"position": 0, "slug": "a", "name": "A", "status": "done", "held_seconds": 1.0,
              "planned_seconds": 1.0}] * 2
    path = tmp_path / "old.json"
    path.write_text(json.dumps(export(
        [session("s1", stretches=twice), session("s2", day="2025-11-06", at=NOW - 8 * DAY)],
        checkins=[{"id": "k1", "machine": "m1", "day": "2025-11-05", "at": NOW - 9 * DAY,
                   "session": None, "moment": "before", "item": "back", "value": 999}])))
    before = path.read_bytes()
    result = home.psoas("history", "import", str(path))
    said = words(result.output)
    assert f"{path}: sessions 1: session 's1', field 'stretches 2': position 0 is listed " \
           "twice in one record; set aside" in said
    assert f"{path}: checkins 1: checkin 'k1', field 'value': must be a whole number from 0 " \
           "to 10, not 999; set aside" in said
    assert said.endswith(f"Imported 1 session from {path}. 2 records set aside (named "
                         "above).")
    assert home.tokens() == {"s2"} and path.read_bytes() == before


def test_an_import_of_only_bad_records_imports_nothing_in_one_line(homes, tmp_path):
    home, = homes("home")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(export([session("s1", routine="\ud800")])))
    result = home.psoas("history", "import", str(path), ok=False)
    assert result.exit_code == ExitStatus.ERROR
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert "field 'routine': holds a character that is not text" in result.output
    assert result.output.rstrip().endswith("; nothing was imported")


def test_a_deeply_nested_import_is_one_line_never_a_recursion_error(homes, tmp_path):
    home, = homes("home")
    path = tmp_path / "nested.json"
    path.write_text('{"psoas":"export","version":1,"sessions":' + "[" * 50_000)
    result = home.psoas("history", "import", str(path), ok=False)
    assert result.output == (f"Error: {path}: not JSON psoas wrote: nested too deeply; "
                             "nothing was imported\n")


def test_an_import_of_far_future_sessions_sets_them_aside_and_keeps_no_streak(homes,
                                                                             tmp_path):
    home, = homes("home")
    path = tmp_path / "future.json"
    path.write_text(json.dumps(export([
        session("s1", day="9999-12-31", at=99_999_999_000.0),
        session("s2", day=time_day(NOW + 400 * DAY), at=NOW + 400 * DAY),
        session("s3", day=time_day(NOW - DAY), at=NOW - DAY)])))
    said = words(home.psoas("history", "import", str(path)).output)
    assert f"{path}: sessions 1: session 's1': is dated 9999-12-31, more than a day ahead " \
           "of this machine's clock; set aside" in said
    assert "sessions 2: session 's2': is dated" in said
    assert home.tokens() == {"s3"}
    assert home.report()["streaks"]["last_day"] == time_day(NOW - DAY)


def time_day(at: float) -> str:
    from psoas_cli.history.calendar import local_day  # noqa: PLC0415

    return local_day(at).isoformat()


def test_a_json_export_saved_with_a_byte_order_mark_imports(homes, tmp_path):
    source, other = homes("source", "other")
    source.seed(2)
    path = tmp_path / "out.json"
    source.psoas("history", "export", "-o", str(path))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert words(other.psoas("history", "import", str(path)).output) == \
        f"Imported 2 sessions from {path}."


def test_this_machines_own_file_deleted_or_emptied_gets_all_its_records_again(homes, folder,
                                                                              tmp_path):
    laptop, desktop, third = homes("laptop", "desktop", "third")
    laptop.psoas("sync", "setup", str(folder))
    laptop.seed(2)
    imported = tmp_path / "old.json"
    imported.write_text(json.dumps(export([session("old1")])))
    laptop.psoas("history", "import", str(imported))
    laptop.psoas("sync")
    laptop.file().unlink()
    said = words(laptop.psoas("sync").output)
    assert said.startswith("This machine's file in the sync folder had lost records (deleted, "
                           "emptied or put back older): every record of this machine goes "
                           "there again. Wrote 3 sessions")
    desktop.psoas("sync", "setup", str(folder))
    assert desktop.tokens() == laptop.tokens() and len(desktop.tokens()) == 3
    laptop.file().write_bytes(b"")  # emptied: noticed before a report too
    result = laptop.psoas("history")
    assert "this machine's file in the sync folder had lost records" in words(result.output)
    third.psoas("sync", "setup", str(folder))
    assert third.tokens() == laptop.tokens()
    assert "Up to date" in laptop.psoas("sync").output  # and once only


def test_a_sync_file_claiming_this_machines_id_does_not_rename_it(homes, folder):
    laptop, = homes("laptop")
    laptop.psoas("sync", "setup", str(folder))
    me = laptop.machine()
    sync_file(folder, "evil", session_line("m1", DAYS[0]), name="mallory")
    path = folder / "psoas-evil.jsonl"
    path.write_text(path.read_text().replace('"machine": "evil"', f'"machine": "{me}"'))
    said = words(laptop.psoas("sync").output)
    assert f"psoas-evil.jsonl: says it is this machine's file ({me[:8]}); its records are " \
           "merged, the name it gives is not taken" in said
    with History(laptop.path) as history:
        names = dict(history.file.run(lambda conn: conn.execute(
            "SELECT id, name FROM machines").fetchall(), write=False))
    assert names.get(me) != "mallory"
    status = laptop.psoas("sync", "status").output
    assert "mallory" not in status and machine.this_machine(str(laptop.path)).name in status
