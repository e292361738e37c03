"""psoas routine new, rm and edit: round trips through the user's routines.yaml,
with a fake editor, comments kept, and nothing lost when a write fails."""

from __future__ import annotations

import json
import os
import sys

import pytest

from psoas_cli.cli.errors import ExitStatus

# Messages name long temporary paths: on one line each, as a wide terminal shows them.
pytestmark = pytest.mark.usefixtures("wide_terminal")


MINE = """\
# Routines I use at work. Keep this comment!
version: 1
routines:
  # for Mondays
  lunch:
    description: At the desk.   # short
    items: [seated, standing]
"""

EDITOR = """\
import json, sys
script, log = sys.argv[1], sys.argv[2]
path = sys.argv[-1]
with open(path, encoding="utf-8") as f:
    text = f.read()
with open(log, "a", encoding="utf-8") as f:
    f.write(json.dumps(text) + "\\n")
steps = json.load(open(script))
step = steps.pop(0)
json.dump(steps, open(script, "w"))
if "replace" in step:
    text = text.replace(*step["replace"])
elif "append" in step:
    text += step["append"]
if "run" in step:  # something else happens while the editor is open
    import subprocess
    subprocess.run([sys.executable, "-m", "psoas_cli", *step["run"]], check=True,
                   capture_output=True)
if "whole" in step:
    text = step["whole"]
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
if "interrupt" in step:  # Ctrl-C on the terminal: SIGINT to the whole foreground group
    import os, signal, time
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # this editor itself takes no notice
    os.killpg(os.getpgrp(), signal.SIGINT)
    time.sleep(0.3)
if "hand" in step:
    with open(step["hand"][0], "a", encoding="utf-8") as f:
        f.write(step["hand"][1])
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
if "killed" in step:  # an editor ended by Ctrl-C after writing the draft
    import os, signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGINT)
sys.exit(step.get("status", 0))
"""


@pytest.fixture
def run(fast_run):
    return fast_run


@pytest.fixture
def editor(tmp_path):
    """A fake editor: each time it is opened it makes the next change given to
    ``editor.will(...)``, and notes the text it was shown."""

    class Editor:
        script = tmp_path / "editor-script.json"
        log = tmp_path / "editor-log.txt"
        command = f'"{sys.executable}" "{tmp_path / "editor.py"}" "{script}" "{log}"'

        def will(self, *steps):
            self.script.write_text(json.dumps(list(steps)))
            return {"VISUAL": self.command}

        @property
        def shown(self):
            return [json.loads(line) for line in self.log.read_text().splitlines()]

    (tmp_path / "editor.py").write_text(EDITOR)
    return Editor()


@pytest.fixture
def mine(clean_env):
    clean_env.mkdir(parents=True, exist_ok=True)
    path = clean_env / "routines.yaml"
    path.write_text(MINE)
    return path


# -- new -----------------------------------------------------------------------------------

def test_new_then_play_it(run, clean_env):
    result = run("routine", "new", "mine", "pigeon", "cobra", "--minutes", "6")
    assert result.exit_code == 0, result.output
    path = clean_env / "routines.yaml"
    assert result.output == (f"Added 'mine' to {path} (a new file): Pigeon pose, Cobra pose, "
                             "fitted to 6 minutes.\n'psoas routine mine' plays it.\n")
    played = run("routine", "mine")
    assert played.exit_code == 0, played.output
    assert played.output.splitlines()[0] == "Before you start: mine, 2 stretches, 6:02"
    assert "Finished mine in 6:02." in played.output
    assert "mine               2   6:02  Pigeon pose, Cobra pose" in run("routine").output


@pytest.mark.parametrize("description, said", [
    ("d\x1b]0;T\x07\nx", "--description must be one line of plain text, not "
                          "'d\\x1b]0;T\\x07\\nx'"),
    ("a" * 201, "--description may be 200 characters at most, not 201"),
])
def test_a_description_is_one_line_of_plain_text(run, clean_env, description, said):
    result = run("routine", "new", "mine", "pigeon", "--description", description)
    assert (result.exit_code, result.output) == (2, f"Error: {said}\n")
    assert not (clean_env / "routines.yaml").exists()


@pytest.mark.parametrize("args, said", [
    (("pigeon", "cobra", "--minutes", "4"), "Left out to fit the time: Cobra pose."),
    (("seated", "camel", "--level", "gentle"), "Left out as advanced at the gentle level: "
                                               "Camel pose."),
])
def test_new_says_at_once_which_stretches_asked_for_will_not_play(run, clean_env, args, said):
    result = run("routine", "new", "mine", *args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == said
    assert said in run("routine", "mine", "--dry-run").output


@pytest.mark.parametrize("minutes, said", [("1", "1 minute"), ("1.5", "1.5 minutes")])
def test_new_says_minute_for_one(run, minutes, said):
    result = run("routine", "new", "quick", "seated", "--minutes", minutes)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith(f"Seated psoas stretch, fitted to {said}.")


def test_new_keeps_the_comments_and_the_other_routines(run, mine):
    result = run("routine", "new", "stand", "standing", "--level", "deep",
                 "--description", "Just stand")
    assert result.exit_code == 0, result.output
    assert mine.read_text() == MINE + """
  stand:
    description: "Just stand"
    level: deep
    items:
      - standing
"""
    assert (mine.parent / "routines.yaml.bak").read_text() == MINE
    listing = run("routine").output
    assert "lunch" in listing and "stand              1   1:23  Just stand" in listing


@pytest.mark.parametrize("name", ["new", "rm", "edit"])
def test_the_commands_names_are_refused(run, name):
    result = run("routine", "new", name, "cobra")
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == (f"Error: a routine can't be called '{name}': 'psoas routine "
                             f"{name}' is a command; choose another name\n")


def test_a_hand_written_routine_with_such_a_name_is_one_clear_line(run, mine):
    mine.write_text(MINE.replace("lunch:", "edit:"))
    result = run("routine")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == (f"Error: {mine}:5: routine 'edit': 'edit' is taken by 'psoas "
                             "routine edit'; call the routine something else\n")


@pytest.mark.parametrize("args, message", [
    (["Bad Name", "cobra"], "'Bad Name' can't be a routine's name: use lowercase letters, "
                            "digits and hyphens, such as 'after-work'"),
    (["lunch", "cobra"], "there is already a routine called 'lunch'; --force replaces it, "
                         "or choose another name"),
    (["warmup", "cobra"], "there is already a routine called 'warmup'; --force replaces it, "
                          "or choose another name"),
    (["quick", "cobar"], "no stretch called 'cobar'; did you mean cobra?"),
    (["quick", "cobra", "--minutes", "10"], "'quick' at the standard level can last from "
                                            "1:41 to 3:31, not 10 minutes"),
])
def test_new_refuses_in_one_line_and_leaves_the_file(run, mine, args, message):
    result = run("routine", "new", *args)
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == f"Error: {message}\n"
    assert mine.read_text() == MINE


def test_force_replaces_a_routine_of_yours_in_place_of_the_old(run, mine):
    result = run("routine", "new", "lunch", "standing", "--force")
    assert result.exit_code == 0, result.output
    text = mine.read_text()
    assert "Keep this comment!" in text and text.count("lunch:") == 1
    assert text.endswith("  lunch:\n    description: \"Standing psoas stretch\"\n    items:\n"
                         "      - standing\n")


def test_a_failed_write_leaves_the_old_file(run, mine, monkeypatch):
    def full_disk(handle):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    result = run("routine", "new", "stand", "standing")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == f"Error: cannot write {mine}: No space left on device\n"
    assert mine.read_text() == MINE
    left = sorted(p.name for p in mine.parent.iterdir() if p.is_file())
    assert left == [".routines.yaml.lock", "routines.yaml"]  # the lock file stays, empty


# -- rm ------------------------------------------------------------------------------------

def test_rm_removes_yours_and_keeps_the_rest(run, mine):
    run("routine", "new", "stand", "standing")
    result = run("routine", "rm", "lunch")
    assert result.exit_code == 0, result.output
    assert result.output == (f"Removed 'lunch' from {mine} (the previous file is "
                             f"{mine}.bak).\n")
    assert mine.read_text() == """\
# Routines I use at work. Keep this comment!
version: 1
routines:
  stand:
    description: "Standing psoas stretch"
    items:
      - standing
"""
    assert run("routine", "rm", "stand").exit_code == 0
    assert run("routine").exit_code == 0  # a file with no routines left still reads


@pytest.mark.parametrize("name, message", [
    ("warmup", "'warmup' is built in; only your own routines can be removed"),
    ("lun", "no routine of yours is called 'lun'; did you mean lunch? (yours: lunch)"),
    ("zzz", "no routine of yours is called 'zzz' (yours: lunch)"),
])
def test_rm_refuses_what_is_not_yours(run, mine, name, message):
    result = run("routine", "rm", name)
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == f"Error: {message}\n"
    assert mine.read_text() == MINE


def test_rm_without_a_file(run):
    result = run("routine", "rm", "mine")
    assert result.output == "Error: you have no routines of your own yet, so no 'mine' to remove\n"


# -- edit ----------------------------------------------------------------------------------

def test_edit_saves_what_reads_well(run, mine, editor):
    env = editor.will({"replace": ["[seated, standing]", "[standing]"]})
    result = run("routine", "edit", env=env)
    assert result.exit_code == 0, result.output
    assert result.output == (f"Saved {mine} (the previous file is {mine}.bak): 1 routine of "
                             "your own.\n")
    assert mine.read_text() == MINE.replace("[seated, standing]", "[standing]")
    assert editor.shown == [MINE]


def test_edit_with_a_mistake_offers_to_reopen_until_it_reads_well(run, mine, editor):
    env = editor.will({"replace": ["seated", "seatd"]}, {"replace": ["seatd", "seated, cobra"]})
    result = run("routine", "edit", env=env, input="y\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"psoas: {mine}:7: routine 'lunch', field 'items': no stretch called 'seatd'; did you "
        "mean seated?",
        "Edit it again? [Y/n]: y",
        f"Saved {mine} (the previous file is {mine}.bak): 1 routine of your own."]
    assert editor.shown == [MINE, MINE.replace("seated", "seatd")]  # reopened with the mistake
    assert "[seated, cobra, standing]" in mine.read_text()


def test_edit_declined_keeps_the_file_and_the_attempt(run, mine, editor):
    env = editor.will({"replace": ["items:", "itms:"]})
    result = run("routine", "edit", env=env, input="n\n")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output.splitlines()[-1] == (f"Error: {mine} is unchanged; your edit is in "
                                              f"{mine}.rejected")
    assert mine.read_text() == MINE
    assert "itms:" in (mine.parent / "routines.yaml.rejected").read_text()


@pytest.mark.slow
def test_edit_keeps_a_routine_another_psoas_added_while_the_editor_was_open(run, mine, editor):
    env = editor.will({"replace": ["[seated, standing]", "[standing]"],
                       "run": ["routine", "new", "added", "pigeon"]})
    result = run("routine", "edit", env=env)
    assert result.exit_code == 0, result.output
    assert result.output.endswith(": 2 routines of your own.\n")
    text = mine.read_text()
    assert "[standing]" in text and "\n  added:\n" in text


@pytest.mark.slow
def test_edit_of_a_routine_another_psoas_removed_meanwhile_is_refused_and_kept(run, mine,
                                                                               editor):
    env = editor.will({"replace": ["[seated, standing]", "[standing]"],
                       "run": ["routine", "rm", "lunch"]})
    result = run("routine", "edit", env=env)
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == (
        f"Error: {mine} changed while the editor was open (routine 'lunch' was changed both in "
        "your edit and by another psoas meanwhile), so your edit was not saved over it; your "
        f"edit is in {mine}.rejected\n")
    assert "lunch" not in mine.read_text()
    assert "[standing]" in (mine.parent / "routines.yaml.rejected").read_text()


def test_edit_refuses_a_file_changed_by_hand_while_the_editor_was_open(run, mine, editor):
    env = editor.will({"replace": ["[seated, standing]", "[standing]"],
                       "hand": [str(mine), "# mine\n"]})
    result = run("routine", "edit", env=env)
    assert result.exit_code == ExitStatus.ERROR
    assert "(it was changed meanwhile by another program)" in result.output
    assert mine.read_text() == MINE + "# mine\n"


@pytest.mark.parametrize("how", ["Ctrl-D", "Ctrl-C"])
def test_no_answer_to_edit_it_again_keeps_the_attempt(run, mine, editor, monkeypatch, how):
    env = editor.will({"replace": ["items:", "itms:"]})
    if how == "Ctrl-C":  # what click.confirm raises on Ctrl-C
        from psoas_cli.cli.actions import own

        def interrupted(*args, **kwargs):
            raise own.click.Abort()

        monkeypatch.setattr(own.click, "confirm", interrupted)
    result = run("routine", "edit", env=env, input="")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output.splitlines()[-1] == (f"Error: {mine} is unchanged; your edit is in "
                                              f"{mine}.rejected")
    assert mine.read_text() == MINE
    assert "itms:" in (mine.parent / "routines.yaml.rejected").read_text()


@pytest.mark.slow
def test_edit_with_stdin_closed_is_one_line(mine, editor):
    import subprocess

    env = {**os.environ, **editor.will({"replace": ["items:", "itms:"]})}
    done = subprocess.run(["sh", "-c", 'exec "$@" <&-', "sh", sys.executable, "-m",
                           "psoas_cli", "routine", "edit"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == ExitStatus.ERROR
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (f"Error: {mine} is unchanged; your edit is in "
                                            f"{mine}.rejected")
    assert mine.read_text() == MINE


@pytest.mark.parametrize("answer, saved", [("", False), ("n\n", False), ("y\n", True)])
def test_an_edit_that_removes_every_routine_is_saved_only_when_confirmed(run, mine, editor,
                                                                        answer, saved):
    result = run("routine", "edit", env=editor.will({"whole": ""}), input=answer)
    assert "Your edit removes every routine of yours (1: lunch). Save it? [y/N]" in \
        result.output
    if saved:
        assert result.exit_code == 0, result.output
        assert mine.read_text() == ""
    else:
        assert result.exit_code == ExitStatus.ERROR
        assert result.output.splitlines()[-1] == (
            f"Error: {mine} is unchanged; your edit removed every routine, and is in "
            f"{mine}.rejected")
        assert mine.read_text() == MINE


def _edit_in_a_session(editor, step):
    """psoas routine edit in a process group of its own, as a shell runs it."""
    import subprocess

    env = {**os.environ, **editor.will(step)}
    return subprocess.run([sys.executable, "-m", "psoas_cli", "routine", "edit"], env=env,
                          capture_output=True, text=True, timeout=60, start_new_session=True)


@pytest.mark.slow
def test_ctrl_c_while_the_editor_runs_does_not_end_psoas(mine, editor):
    done = _edit_in_a_session(editor, {"replace": ["[seated, standing]", "[standing]"],
                                       "interrupt": True})
    assert (done.returncode, done.stderr) == (0, "")
    assert "[standing]" in mine.read_text()


@pytest.mark.slow
def test_an_editor_ended_by_ctrl_c_keeps_its_draft(mine, editor):
    done = _edit_in_a_session(editor, {"replace": ["[seated, standing]", "[standing]"],
                                       "killed": True})
    assert done.returncode == ExitStatus.ERROR
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].endswith(
        f"nothing was saved; your draft is in {mine}.rejected")
    assert mine.read_text() == MINE
    assert "[standing]" in (mine.parent / "routines.yaml.rejected").read_text()


def test_edit_closed_without_a_change(run, mine, editor):
    result = run("routine", "edit", "warmup", env=editor.will({}))
    assert result.output == f"No changes to {mine}.\n"
    assert mine.read_text() == MINE


def test_edit_without_a_file_closed_without_a_change_says_nothing_was_saved(run, clean_env,
                                                                            editor):
    path = clean_env / "routines.yaml"
    for args in ([], ["warmup"]):
        result = run("routine", "edit", *args, env=editor.will({}))
        assert result.output == ("Nothing was saved: you have no routines of your own yet "
                                 f"(they would go in {path}).\n")
    assert not path.exists()


def test_edit_without_a_file_declined_says_nothing_was_saved(run, clean_env, editor):
    path = clean_env / "routines.yaml"
    result = run("routine", "edit", "warmup", env=editor.will({"replace": ["items:", "itms:"]}),
                 input="n\n")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output.splitlines()[-1] == ("Error: nothing was saved, and you have no "
                                              f"{path} yet; your edit is in {path}.rejected")
    assert not path.exists()


def test_edit_a_builtin_copies_it_into_your_file_with_its_comments(run, clean_env, editor):
    env = editor.will({"replace": ["level: deep", "level: gentle"]})
    result = run("routine", "edit", "cooldown", env=env)
    assert result.exit_code == 0, result.output
    shown = editor.shown[0]
    assert shown.startswith("# Your own psoas routines")
    assert "  cooldown:\n    # Goes down from standing" in shown
    assert "level: gentle" in (clean_env / "routines.yaml").read_text()
    data = json.loads(run("routine", "cooldown", "--dry-run", "--json").output)
    assert data["fit"]["level"] == "gentle"
    result = run("routine", "rm", "cooldown")
    assert result.output.endswith("The built-in 'cooldown' plays again.\n")
    data = json.loads(run("routine", "cooldown", "--dry-run", "--json").output)
    assert data["fit"]["level"] == "deep"


def test_an_editor_that_fails_saves_nothing(run, mine, editor):
    result = run("routine", "edit", env=editor.will({"append": "junk: [", "status": 3}))
    assert result.exit_code == ExitStatus.ERROR
    assert "failed (status 3); nothing was saved" in result.output
    assert mine.read_text() == MINE
    assert sorted(p.name for p in mine.parent.iterdir() if p.is_file()) == ["routines.yaml"]


def test_an_editor_that_is_not_there(run, mine, tmp_path):
    result = run("routine", "edit", env={"VISUAL": str(tmp_path / "no-such-editor")})
    assert result.exit_code == ExitStatus.ERROR
    assert "set VISUAL or EDITOR to one that works" in result.output
    assert mine.read_text() == MINE


def test_the_routine_help_names_the_subcommands_and_the_folder(run):
    output = run("routine", "--help").output
    assert output.startswith("Usage: cli routine [OPTIONS] [NAME]\n")  # 'cli' in tests
    for line in ("psoas routine new NAME STRETCH...", "psoas routine rm NAME",
                 "psoas routine edit [NAME]", "'psoas where'"):
        assert line in output
    assert run("routine", "new", "--help").output.startswith(
        "Usage: cli routine new [OPTIONS] NAME STRETCHES...")


def test_a_bad_option_to_a_routine_names_the_routine_command(run):
    result = run("routine", "warmup", "--minuets", "3")
    assert result.exit_code == ExitStatus.USAGE
    assert result.output.startswith("Usage: cli routine [OPTIONS] [NAME]\nTry 'cli routine ")
    assert "_play" not in result.output


def test_a_file_it_cannot_change_safely_is_named_and_left_alone(run, mine):
    mine.write_text("routines: {lunch: {items: [cobra]}}\n")
    result = run("routine", "rm", "lunch")
    assert result.exit_code == ExitStatus.ERROR
    assert result.output == (f"Error: {mine}: its 'routines:' is written on one line (flow "
                             "style); change it with 'psoas routine edit'\n")
    assert mine.read_text() == "routines: {lunch: {items: [cobra]}}\n"


def test_rm_in_a_file_with_a_mistake_says_to_mend_it_first(run, mine):
    mine.write_text(MINE.replace("seated", "seatd"))
    result = run("routine", "rm", "lunch")
    assert result.output == (f"Error: {mine}:7: routine 'lunch', field 'items': no stretch "
                             "called 'seatd'; did you mean seated? (mend it first with "
                             "'psoas routine edit')\n")


def test_edit_opens_a_file_with_a_mistake_as_it_is_so_it_can_be_mended(run, mine, editor):
    broken = MINE.replace("seated", "seatd")
    mine.write_text(broken)
    result = run("routine", "edit", "warmup", env=editor.will({"replace": ["seatd", "seated"]}))
    assert result.exit_code == 0, result.output
    assert editor.shown == [broken]  # no copy of warmup pushed into a file that won't read
    assert mine.read_text() == MINE


@pytest.mark.parametrize("left, said", [
    ("os.remove(p); os.mkfifo(p)", "is a named pipe (FIFO), not a regular file"),
    ("os.remove(p); os.symlink('/dev/zero', p)", "is a device, not a regular file"),
    ("os.remove(p); os.mkdir(p)", "is a directory"),
    ("open(p, 'w').write('#' * (3 * 1024 * 1024))", "is larger than 2 MB, more than psoas reads"),
], ids=["fifo", "zero", "folder", "too-big"])
def test_edit_reads_what_the_editor_left_as_any_routines_file(run, mine, tmp_path, left, said):
    """An editor (or a script) may leave anything where the draft was: it is
    read with the same care as a routines file, and nothing is left behind."""
    script = tmp_path / "editor.py"
    script.write_text(f"import os, sys\np = sys.argv[1]\n{left}\n")
    before = mine.read_text()
    result = run("routine", "edit", env={"VISUAL": f'"{sys.executable}" "{script}"'})
    assert result.exit_code == 1
    assert result.output.endswith(f"the edited file {said}; {mine} is unchanged\n")
    assert mine.read_text() == before
    assert [p.name for p in mine.parent.iterdir() if p.name.startswith("routines-edit")] == []


def test_confirmations_wrap_at_80_columns_keeping_a_long_path_whole(run, monkeypatch,
                                                                    tmp_path):
    home = tmp_path / ("a-folder-with-a-rather-long-name-" * 2) / "psoas"
    monkeypatch.setenv("PSOAS_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "80")
    result = run("routine", "new", "mine", "pigeon", "cobra", "--minutes", "6")
    path = str(home / "routines.yaml")
    assert len(path) > 80
    assert result.output.splitlines() == [
        "Added 'mine' to", path, "(a new file): Pigeon pose, Cobra pose, fitted to 6 minutes.",
        "'psoas routine mine' plays it."]


# -- names YAML reads as something else ------------------------------------------------------

@pytest.mark.parametrize("name", ["yes", "no", "null", "on", "off", "true", "007", "2024-01-01",
                                  "1e3", "12", "0"])
def test_new_with_a_name_yaml_reads_as_another_type_writes_it_quoted(run, clean_env, name):
    result = run("routine", "new", name, "pigeon")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Added '{name}' to ")
    played = run("routine", name, "--dry-run")
    assert played.exit_code == 0, played.output
    assert run("routine", "rm", name).exit_code == 0


def test_a_name_too_long_to_be_a_key_is_one_clear_line(run, clean_env):
    result = run("routine", "new", "a" * 1100, "pigeon")
    assert result.exit_code == ExitStatus.USAGE
    assert result.output == ("Error: a routine's name may be 1,000 characters at most, not "
                             "1,100\n")
    assert not (clean_env / "routines.yaml").exists()
