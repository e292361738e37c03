"""The journal of sessions waiting for the history (history/journal.py): read a
record at a time, however long it is; a bad record set aside, never a
traceback and never a block on the records behind it."""

from __future__ import annotations

import json
import threading
import time

import pytest

from psoas_cli.history import journal
from psoas_cli.history.records import new_session
from psoas_cli.history.store import History
from psoas_cli.history.writer import HistoryWriter


@pytest.fixture
def folder(tmp_path):
    home = tmp_path / "home"
    History(home).create()
    return home


def good(n: int = 0) -> dict:
    session = new_session(f"good{n}", 1_700_000_000.0 + n, status="finished",
                          token=f"t-{n}", ended_at=1_700_000_100.0 + n, active_seconds=60.0,
                          pid=1234, host="here")
    return session.as_record()


def bad_lines() -> dict[str, str]:
    record = good(99)
    lines = {
        "deep": "[" * 100_000,
        "huge pid": json.dumps({**record, "pid": 2 ** 70}),
        "far future": json.dumps({**record, "started_at": 1e300}),
        "heartbeat a list": json.dumps({**record, "heartbeat": [1, 2]}),
        "stretches not a list": json.dumps({**record, "stretches": "x"}),
        "a bad stretch": json.dumps({**record, "stretches": [[0, "a", "b", "done", 1e309, 1]]}),
        "day not a date": json.dumps({**record, "day": 17}),
        "not an object": "[1, 2]",
        "not JSON": "{",
        "too long": json.dumps({**record, "routine": "x" * (journal.RECORD_BYTES + 10)}),
    }
    return lines


def write_journal(folder, lines: list[str]) -> None:
    with open(journal.path_in(str(folder)), "w", encoding="utf-8") as stream:
        stream.write("".join(line + "\n" for line in lines))


@pytest.mark.parametrize("name", list(bad_lines()))
def test_a_bad_record_is_set_aside_and_the_records_behind_it_are_written(folder, name):
    bad = bad_lines()[name]
    write_journal(folder, [json.dumps(good(1)), bad, json.dumps(good(2))])
    said = []
    with History(folder, warn=said.append) as store:
        store.replay()
        assert [s.routine for s in store.sessions()] == ["good1", "good2"]
    rejected = folder / (journal.JOURNAL + ".rejected")
    assert rejected.read_text() == bad + "\n"
    assert len(said) == 1
    assert said[0].startswith(f"1 entry of {folder / journal.JOURNAL} could not be read, and "
                              f"was set aside in {rejected} (the first: ")
    assert not journal.pending(str(folder))


def test_every_kind_of_bad_record_at_once_leaves_every_command_working(folder, run):
    lines = [json.dumps(good(0)), *bad_lines().values(), json.dumps(good(1))]
    write_journal(folder, lines)
    env = {"PSOAS_HOME": str(folder)}
    for args in (["history"], ["history", "--json"], [], ["history", "--days", "3650"]):
        result = run(*args, env=env)
        assert result.exit_code == 0, (args, result.output)
    assert "good0" in run("history", "--days", "3650", env=env).output
    assert History(folder).count() == 2
    assert len((folder / (journal.JOURNAL + ".rejected")).read_text().splitlines()) == \
        len(bad_lines())


def test_five_thousand_waiting_sessions_are_all_written(folder):
    write_journal(folder, [json.dumps(good(n)) for n in range(5000)])
    assert (folder / journal.JOURNAL).stat().st_size > 1024 * 1024
    start = time.monotonic()
    with History(folder) as store:
        assert store.replay() == 5000
        assert store.count() == 5000
    assert time.monotonic() - start < 20
    assert not journal.pending(str(folder))


def test_a_replay_stopped_by_a_busy_history_keeps_every_record_unwritten(folder, monkeypatch):
    from psoas_cli.errors import HistoryBusy

    write_journal(folder, [json.dumps(good(n)) for n in range(600)])
    calls = [0]
    real = History._save_all

    def busy_later(self, conn, sessions):
        calls[0] += 1
        if calls[0] == 2:
            raise HistoryBusy("cannot use history.db: database is locked")
        return real(self, conn, sessions)

    monkeypatch.setattr(History, "_save_all", busy_later)
    with History(folder) as store:
        written = store.replay()
        assert 0 < written < 600
        journal.append(str(folder), [good(1000)])  # a new one, meanwhile
        monkeypatch.undo()
        store.replay()
        assert store.count() == 601
    assert not journal.pending(str(folder))


def test_the_writer_thread_never_dies_of_a_replay_that_fails(folder, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(journal, "replay", broken)
    journal.append(str(folder), [good(1)])
    died = []
    monkeypatch.setattr(threading, "excepthook", died.append)
    writer = HistoryWriter(folder)
    writer.put(new_session("live", time.time(), token="t-live"))
    assert writer.finish(5) is None
    assert died == []
    assert writer.notes == ["the sessions waiting in the journal could not be written: "
                            "RuntimeError: something unforeseen"]
    assert [s.routine for s in History(folder).sessions()] == ["live"]


def test_an_append_after_a_half_written_line_starts_a_line_of_its_own(folder):
    with open(journal.path_in(str(folder)), "w") as stream:
        stream.write('{"routine": "cut off')  # killed in the middle of a write
    journal.append(str(folder), [good(1)])
    said = []
    with History(folder, warn=said.append) as store:
        store.replay()
        assert [s.routine for s in store.sessions()] == ["good1"]
    assert len(said) == 1
