"""Replacing a user's file: never half written, the old one kept as a backup."""

from __future__ import annotations

import os

import pytest

from psoas_cli.errors import WriteError
from psoas_cli.files import safefile


def test_the_new_text_replaces_the_old_which_is_kept(tmp_path):
    path = tmp_path / "routines.yaml"
    path.write_text("old\n")
    os.chmod(path, 0o600)
    backup = safefile.replace(str(path), "new\n")
    assert path.read_text() == "new\n"
    assert backup == str(path) + ".bak" and (tmp_path / "routines.yaml.bak").read_text() == "old\n"
    assert os.stat(path).st_mode & 0o777 == 0o600  # the user's permissions stay
    safefile.replace(str(path), "newer\n")
    assert (tmp_path / "routines.yaml.bak").read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["routines.yaml", "routines.yaml.bak"]


def test_a_new_file_and_its_folder_are_made(tmp_path):
    path = tmp_path / "home" / "config.toml"
    assert safefile.replace(str(path), "x = 1\n") is None
    assert path.read_text() == "x = 1\n"


def test_a_symbolic_link_keeps_pointing_at_the_file_it_names(tmp_path):
    real = tmp_path / "dotfiles" / "routines.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "routines.yaml"
    link.symlink_to(real)
    safefile.replace(str(link), "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"
    assert (tmp_path / "dotfiles" / "routines.yaml.bak").read_text() == "old\n"


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_an_interrupted_write_leaves_the_old_file_whole(tmp_path, monkeypatch, failure):
    path = tmp_path / "routines.yaml"
    path.write_text("the user's routines\n")

    def broken_fsync(handle):
        raise failure

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises((KeyboardInterrupt, WriteError)) as caught:
        safefile.replace(str(path), "half of something new")
    assert path.read_text() == "the user's routines\n"
    assert [p.name for p in tmp_path.iterdir()] == ["routines.yaml"]  # no temporary file left
    if isinstance(failure, OSError):
        assert str(caught.value) == f"cannot write {path}: No space left on device"


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text("sound = \"bell\"\n")

    def refuse(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError, match="Permission denied; it is unchanged"):
        safefile.replace(str(path), "sound = \"voice\"\n")
    assert path.read_text() == "sound = \"bell\"\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


# -- what is not a regular file -------------------------------------------------------

def test_a_pipe_is_written_into_not_replaced_by_a_file(tmp_path):
    """'psoas history export -o FIFO': the reader gets the text, the pipe stays a pipe
    (a rename over it once left a regular file in place of /dev/full)."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        safefile.replace(str(fifo), "new\n", backup=False)
        assert os.read(reader, 100) == b"new\n"
    finally:
        os.close(reader)
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]


def test_a_pipe_nobody_reads_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(WriteError, match="nothing is reading that pipe"):
        safefile.replace(str(fifo), "new\n", backup=False)
    assert fifo.is_fifo()


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(WriteError, match="it is a folder"):
        safefile.replace(str(tmp_path), "new\n", backup=False)


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_standard_output_by_name_is_written_where_it_points(tmp_path, name):
    """'-o /dev/stdout >> log' appends to the log, at its end, as 'cat >> log'
    would; the log is neither replaced nor written over from its top."""
    log = tmp_path / "log"
    log.write_text("before\n")
    saved = os.dup(1)
    with open(log, "ab") as stream:
        os.dup2(stream.fileno(), 1)
        try:
            safefile.replace(name, "new\n", backup=False)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    assert log.read_text() == "before\nnew\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log"]
