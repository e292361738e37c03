"""Machines syncing at once, as real processes: each its own psoas folder, one
sync folder between them; and a merge running while other processes record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from psoas_cli.history import exchange
from psoas_cli.history.store import History

pytestmark = pytest.mark.slow

PSOAS = [sys.executable, "-m", "psoas_cli"]


def env_of(home: Path, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSOAS_")}
    return {**env, "PSOAS_HOME": str(home), "PSOAS_SYNC_DIR": str(folder), "NO_COLOR": "1"}


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([*PSOAS, *args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(children: list[subprocess.Popen[str]], timeout: float = 240) -> list[str]:
    outputs = []
    for child in children:
        out, _ = child.communicate(timeout=timeout)
        assert child.returncode == 0, out
        outputs.append(out)
    return outputs


@pytest.mark.parametrize("count", [2, 10])
def test_machines_playing_and_syncing_at_once_each_see_every_session(tmp_path, count):
    folder = tmp_path / "Sync"
    folder.mkdir()
    homes = [tmp_path / f"machine{n}" for n in range(count)]
    # Every machine plays a routine at the same time; each writes its own file as
    # the routine ends...
    finish([start(["play", "cobra", "--plain", "--hold", "1", "--reps", "1", "--setup", "0",
                   "--sound", "none"], env_of(home, folder)) for home in homes])
    # ...then all sync at once, and once more (each sees the files written meanwhile).
    for _ in range(2):
        finish([start(["sync"], env_of(home, folder)) for home in homes])
    files = sorted(folder.glob("psoas-*.jsonl"))
    assert len(files) == count
    for path in files:  # every line whole, written once
        lines = path.read_bytes().split(b"\n")
        assert lines[-1] == b"" and all(json.loads(line) for line in lines[:-1])
        assert sum(line.startswith(b'["session"') for line in lines) == 1
    # What the first machine's psoas says, then what every machine's history holds
    out = finish([start(["history", "--json"], env_of(homes[0], folder))])[0]
    report = json.loads(out[out.index("{"):])
    assert report["total_sessions"] == count
    assert report["streaks"]["current"] == 1
    seen = [sorted(s.started_at for s in History(home).sessions()) for home in homes]
    assert len(seen[0]) == count and all(s == seen[0] for s in seen), seen


def test_two_processes_pushing_one_machines_file_write_each_record_once(tmp_path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    home = tmp_path / "laptop"
    with History(home) as history:
        from psoas_cli.history.records import new_session

        for n in range(300):
            history.save(new_session("desk", 1_700_000_000.0 + n * 3600, status="finished",
                                     ended_at=1_700_000_100.0 + n * 3600,
                                     token=f"{n:032x}"))
    finish([start(["sync"], env_of(home, folder)) for _ in range(2)])
    (path,) = folder.glob("psoas-*.jsonl")
    ids = [json.loads(line)[1] for line in path.read_bytes().splitlines()
           if line.startswith(b'["session"')]
    assert sorted(ids) == [f"{n:032x}" for n in range(300)]  # each once


WRITER = textwrap.dedent("""
    import os, sys, time
    from psoas_cli.errors import HistoryBusy
    from psoas_cli.history.records import new_session
    from psoas_cli.history.store import History

    folder, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with History(folder, busy_timeout=0.25) as history:
        for n in range(count):
            session = new_session("desk", time.time(), status="finished",
                                  ended_at=time.time() + 1, token=f"{name}{n:028x}")
            while True:  # as the recorder's writer thread does: retry while busy
                try:
                    history.save(session)
                    break
                except HistoryBusy:
                    time.sleep(0.05)
            time.sleep(0.005)
    print("wrote", count)
""")


def test_two_processes_record_while_a_long_merge_runs_and_nothing_is_lost(tmp_path):
    folder = tmp_path / "Sync"
    folder.mkdir()
    home = tmp_path / "laptop"
    other = "e" * 32
    records = {"session": [(f"{n:032x}", other, "2026-01-02", 1_767_000_000.0 + n, None,
                            "desk", "in progress", 60.0, 0.0, None,
                            ((0, "cobra", "Cobra pose", "done", 30.0, 30.0),))
                           for n in range(20_000)]}
    (folder / exchange.sync_name(other)).write_bytes(
        exchange.sync_header(other, "desk") + exchange.sync_lines(records, other, {}, 1.0))
    History(home).create()
    env = env_of(home, folder)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(home), name, "150"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True) for name in ("aaaa", "bbbb")]
    time.sleep(0.3)  # the writers are under way
    merged = finish([start(["sync"], env)])[0]
    assert "Merged 20000 sessions" in " ".join(merged.split())
    outs = finish(writers)  # type: ignore[arg-type]
    assert all("wrote 150" in out for out in outs)
    with History(home) as history:
        tokens = {s.token for s in history.sessions()}
    assert len(tokens) == 20_300
    assert {f"aaaa{n:028x}" for n in range(150)} <= tokens
    assert {f"bbbb{n:028x}" for n in range(150)} <= tokens
