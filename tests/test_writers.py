"""Writers of the user's files that run at once never overwrite each other:
routine new/rm/edit and config set/unset hold one lock (files/filelock.py)
across read, check and replace, and a change made meanwhile by a writer
that holds no lock is noticed, never written over."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from psoas_cli.errors import WriteError
from psoas_cli.files import filelock

ROOT = Path(__file__).resolve().parent.parent


def _start(home: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PSOAS_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "psoas_cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_twenty_routine_new_at_once_keep_all_twenty(tmp_path):
    home = tmp_path / "home"
    children = [_start(home, "routine", "new", f"r{n}", "pigeon", "cobra") for n in range(20)]
    said = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * 20, said
    text = (home / "routines.yaml").read_text()
    kept = [n for n in range(20) if f"\n  r{n}:\n" in text]
    assert kept == list(range(20))
    assert not [p.name for p in home.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_two_config_set_at_once_keep_both(tmp_path):
    for _ in range(3):
        home = tmp_path / f"home{_}"
        children = [_start(home, "config", "set", "level", "deep"),
                    _start(home, "config", "set", "sound", "none")]
        said = [child.communicate(timeout=60) for child in children]
        assert [child.returncode for child in children] == [0, 0], said
        text = (home / "config.toml").read_text()
        assert 'level = "deep"' in text and 'sound = "none"' in text


def test_update_holds_the_lock_across_read_and_replace(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("a\n")
    order = []

    def change(text: str) -> str:
        order.append(text)
        return text + "b\n"

    filelock.update(str(target), change, read=lambda p: Path(p).read_text())
    assert target.read_text() == "a\nb\n"
    assert order == ["a\n"]


def test_a_change_made_meanwhile_without_the_lock_is_read_again_not_overwritten(tmp_path):
    """Another program (an editor saving) writes between our read and our replace:
    the change is made again on what is there now."""
    target = tmp_path / "f.txt"
    target.write_text("a\n")
    seen = []

    def change(text: str) -> str:
        seen.append(text)
        if len(seen) == 1:  # someone else writes while we work
            target.write_text("a\nz\n")
        return text + "b\n"

    filelock.update(str(target), change, read=lambda p: Path(p).read_text())
    assert seen == ["a\n", "a\nz\n"]
    assert target.read_text() == "a\nz\nb\n"


def test_a_file_that_keeps_changing_is_refused_not_overwritten(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("0\n")
    count = [0]

    def change(text: str) -> str:
        count[0] += 1
        target.write_text(f"{count[0]}\n")  # changed again every time
        return text + "mine\n"

    with pytest.raises(WriteError, match="kept changing"):
        filelock.update(str(target), change, read=lambda p: Path(p).read_text())
    assert "mine" not in target.read_text()


@pytest.mark.slow
def test_a_second_holder_waits_for_the_first(tmp_path):
    target = str(tmp_path / "f.txt")
    code = (f"import time; from psoas_cli.files import filelock\n"
            f"with filelock.locked({target!r}):\n"
            f"    print('in', flush=True); time.sleep(0.6)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout.readline() == "in\n"
    start = time.monotonic()
    with filelock.locked(target):
        waited = time.monotonic() - start
    child.wait(10)
    assert waited > 0.3


# -- temporary files left by a writer killed outright ---------------------------------------

def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporaries_a_killed_writer_left_are_removed_by_the_next(tmp_path, monkeypatch):
    from psoas_cli.files import cache
    from psoas_cli.files.safefile import replace
    from psoas_cli.history import journal

    dead, alive = _dead_pid(), os.getpid()
    folder = tmp_path / "home"
    folder.mkdir()
    stale = [f".routines.yaml.{dead}-abc123.tmp", f"routines.yaml.bak.{dead}.tmp",
             f".config.toml.{dead}-x1.tmp", f"history-pending.jsonl.{dead}.tmp"]
    kept = [f".routines.yaml.{alive}-abc123.tmp", "notes.tmp"]
    for name in stale + kept:
        (folder / name).write_text("half a file")
    old = folder / ".routines.yaml.k2j3h4.tmp"  # from before temporaries named their writer
    old.write_text("older")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    replace(str(folder / "routines.yaml"), "version: 1\n")
    replace(str(folder / "config.toml"), "")
    journal.append(str(folder), [{"routine": "x"}])
    journal.replay(str(folder), lambda records: [None] * len(records))
    left = sorted(p.name for p in folder.iterdir())
    assert not set(stale) & set(left) and old.name not in left
    assert set(kept) <= set(left)
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    key = cache.key_for(str(folder / "routines.yaml"), kind="catalogue")
    Path(f"{cache._file(str(cache_dir), key)}.{dead}.tmp").write_bytes(b"x")
    cache.write(str(cache_dir), key, {"a": 1})
    assert not list(cache_dir.glob("*.tmp"))


@pytest.mark.slow
def test_kill_9_while_writing_leaves_nothing_behind_the_next_write(tmp_path):
    """psoas killed in the middle of writing routines.yaml: its temporary file is
    removed by the next psoas that writes it."""
    home = tmp_path / "home"
    code = ("import os, signal\n"
            "from psoas_cli.files import safefile\n"
            "real = os.replace\n"
            "def killed(*args):\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n"
            "os.replace = killed\n"
            f"safefile.replace({str(home / 'routines.yaml')!r}, 'version: 1\\n')\n")
    child = subprocess.run([sys.executable, "-c", code], env={**os.environ,
                                                              "PYTHONPATH": str(ROOT)})
    assert child.returncode == -9
    assert [p.name for p in home.iterdir() if p.name.endswith(".tmp")]
    done = _start(home, "routine", "new", "r1", "pigeon")
    done.communicate(timeout=60)
    assert done.returncode == 0
    assert not [p.name for p in home.iterdir() if p.name.endswith(".tmp")]
