"""TAB completion through Click's own protocol, as the shell scripts call it.

The shell runs ``psoas`` with ``_PSOAS_COMPLETE=bash_complete`` (or zsh,
fish) and the command line in COMP_WORDS/COMP_CWORD; psoas prints the
candidates in that shell's format.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from psoas_cli.cli.main import COMMANDS, cli
from psoas_cli.files import datafiles
from psoas_cli.model.catalogue import find

BIN = Path(sys.executable).parent
PSOAS = BIN / "psoas"
PIGEON = ["pigeon", "pigeon-pose", "pigeon-stretch"]
BUILT_IN = ["warmup", "cooldown", "after-run", "morning", "desk", "gentle", "full"]


def complete(line: str, shell: str = "bash", **env: str) -> str:
    """What psoas answers for TAB at the end of ``line`` (a trailing space: a new word)."""
    words = line.split()
    if line.endswith(" "):
        words.append("")
    if shell == "fish":  # fish sends the whole line, and the word being completed
        where = {"COMP_WORDS": line, "COMP_CWORD": words[-1]}
    else:
        where = {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    result = CliRunner().invoke(cli, [], prog_name="psoas", catch_exceptions=False,
                                env={"_PSOAS_COMPLETE": f"{shell}_complete", **where, **env})
    assert result.exit_code == 0, result.output
    return result.output


def bash(line: str, **env: str) -> list[str]:
    """The plain candidates of bash's answer."""
    out = [row for row in complete(line, **env).splitlines() if row]
    assert all(row.startswith("plain,") for row in out), out
    return [row.split(",", 1)[1] for row in out]


CO = ["cobra", "constructive-rest", "couch-stretch", "cobra-pose", "cobra-stretch",
      "couch-quad-stretch"]


@pytest.mark.parametrize("line, words", [
    ("psoas show pi", PIGEON),
    ("psoas show PI", PIGEON),
    ("psoas show 1", ["1", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19"]),
    ("psoas show 7", ["7"]),
    ("psoas show co", CO),
    ("psoas show hip", ["hip-bridge"]),
    ("psoas show king-p", ["king-pigeon"]),
    ("psoas show ustr", ["ustrasana"]),
    ("psoas show zzz", []),
    ("psoas play pigeon co", CO),
    ("psoas play --hold 5 pi", PIGEON),
    ("psoas routine new mine pigeon co",
     CO),
    ("psoas --catalogue /no/such.yaml show pi", []),  # nothing, and no error
])
def test_stretch_names(line, words):
    assert bash(line) == words


def test_nothing_typed_offers_every_slug_in_catalogue_order():
    slugs = [slug for slug, _, _ in datafiles.stretch_names()]
    assert bash("psoas show ") == slugs and len(slugs) == 22
    assert bash("psoas play camel ") == slugs


def test_every_word_offered_finds_the_stretch_it_names():
    catalogue = datafiles.load_catalogue()
    for start in [""] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + ["1"]:
        for row in filter(None, complete(f"psoas show {start}", "fish").splitlines()):
            word, name = row.split(",", 1)[1].split("\t")
            assert " " not in word and "'" not in word
            assert find(catalogue.stretches, word).name == name, word


@pytest.mark.parametrize("line, words", [
    ("psoas routine ", BUILT_IN + ["new", "rm", "edit"]),  # its own commands too
    ("psoas routine e", ["edit"]),
    ("psoas routine --plain ", BUILT_IN),  # no command after an option
    ("psoas routine rm w", []),  # no routines of your own to remove
    ("psoas routine edit d", ["desk"]),
    ("psoas routine w", ["warmup"]),
    ("psoas routine --hold 5 --plain g", ["gentle"]),
    ("psoas routine x", []),
    ("psoas remind --routine g", ["gentle"]),
    ("psoas remind --every 1h --routine ", BUILT_IN),
])
def test_routine_names(line, words):
    assert bash(line) == words


def test_the_users_routines_and_a_routines_file_are_offered(clean_env, tmp_path):
    clean_env.mkdir()
    (clean_env / "routines.yaml").write_text(
        "version: 1\nroutines:\n  coffee:\n    description: Before coffee.\n"
        "    items: [standing]\n")
    extra = tmp_path / "more.yaml"
    extra.write_text("version: 1\nroutines:\n  commute:\n    description: After the train.\n"
                     "    items: [seated]\n")
    assert bash("psoas routine co") == ["cooldown", "coffee"]
    assert bash(f"psoas routine --routines {extra} co") == ["cooldown", "coffee", "commute"]
    assert bash("psoas routine co", PSOAS_ROUTINES=str(extra)) == ["cooldown", "coffee",
                                                                   "commute"]


def test_rm_offers_only_the_users_own_routines(clean_env):
    assert bash("psoas routine rm ") == []  # no routines of your own: nothing to remove
    clean_env.mkdir()
    (clean_env / "routines.yaml").write_text(
        "version: 1\nroutines:\n  coffee:\n    description: Before coffee.\n"
        "    items: [standing]\n  warmup:\n    description: Mine.\n    items: [seated]\n")
    assert bash("psoas routine rm ") == ["coffee", "warmup"]
    assert bash("psoas routine rm c") == ["coffee"]


@pytest.mark.parametrize("line, words", [
    ("psoas config get ", ["sound", "level", "wait", "start_wait", "minutes", "setup", "idle",
                           "rest_days", "checkin", "checkin_sides", "sync_dir",
                           "figure_style"]),
    ("psoas config unset l", ["level"]),
    ("psoas config set s", ["sound", "start_wait", "setup", "sync_dir"]),
    ("psoas config set sound ", ["bell", "voice", "both", "none"]),
    ("psoas config set level g", ["gentle"]),
    ("psoas config set wait ", ["true", "false"]),
    ("psoas config set minutes ", []),
])
def test_config_completes_its_keys_and_their_values(line, words):
    assert bash(line) == words


def test_a_broken_routines_file_offers_nothing_without_an_error(clean_env):
    clean_env.mkdir()
    (clean_env / "routines.yaml").write_text("version: 1\nroutines:\n  Bad Name: [\n")
    assert complete("psoas routine w") == "\n"  # an empty answer


def test_a_catalogue_of_ones_own_completes_its_names(write_yaml):
    path = write_yaml(
        "version: 1\nstretches:\n  - slug: doorway\n    name: Doorway chest stretch\n"
        "    aliases: [pec stretch]\n    position: standing\n    hold: 20-30\n    reps: 2\n"
        "    sides: none\n    cue: Shoulders down\n    steps: [Stand in a doorway.]\n")
    assert bash(f"psoas --catalogue {path} show d") == ["doorway", "doorway-chest-stretch"]
    assert bash("psoas show pe", PSOAS_CATALOGUE=path) == ["pec-stretch"]


@pytest.mark.parametrize("line", ["psoas --catalogue ", "psoas --catalogue my",
                                  "psoas routine --routines ./r", "psoas remind --routines r"])
def test_files_for_catalogue_and_routines(line):
    typed = line.split(" ")[-1]
    assert complete(line) == f"file,{typed}\n"


def test_commands_options_and_unknown_commands():
    assert bash("psoas ") == list(COMMANDS)
    assert bash("psoas ro") == ["routine"]
    assert bash("psoas routine --sound ") == ["bell", "voice", "both", "none"]
    assert complete("psoas bogus x") == "\n"  # an empty answer, not a traceback


def test_zsh_and_fish_formats_carry_the_stretch_name():
    assert complete("psoas show pi", "zsh") == (
        "plain\npigeon\nPigeon pose\nplain\npigeon-pose\nPigeon pose\n"
        "plain\npigeon-stretch\nPigeon pose\n")
    assert complete("psoas show pi", "fish") == (
        "plain,pigeon\tPigeon pose\nplain,pigeon-pose\tPigeon pose\n"
        "plain,pigeon-stretch\tPigeon pose\n")
    assert complete("psoas routine de", "zsh") == (
        "plain\ndesk\nFor a desk break; stand, a hand on the desk.\n")
    assert complete("psoas --catalogue ca", "fish") == "file,ca\n"


def test_zsh_and_fish_formats_offer_the_self_tests_by_name():
    assert complete("psoas test ", "zsh") == (
        "plain\nthomas\nThomas test at the end of a bed\nplain\nfloor\nHalf-kneeling test\n")
    assert complete("psoas test ", "fish") == (
        "plain,thomas\tThomas test at the end of a bed\nplain,floor\tHalf-kneeling test\n")
    assert complete("psoas test --sound voice th", "fish") == (
        "plain,thomas\tThomas test at the end of a bed\n")


# -- the scripts, and the real shells --------------------------------------------------

needs_psoas = pytest.mark.skipif(not PSOAS.exists(), reason="psoas is not installed here")


@pytest.mark.slow  # runs the installed psoas
@needs_psoas
@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_command_prints_clicks_own_script(run, shell, tmp_path):
    printed = run("completion", shell)
    assert printed.exit_code == 0
    env = {**os.environ, "_PSOAS_COMPLETE": f"{shell}_source"}
    source = subprocess.run([str(PSOAS)], env=env, capture_output=True, text=True,
                            check=True).stdout
    assert printed.output == source
    assert "_PSOAS_COMPLETE" in source


def test_completion_refuses_other_shells(run):
    result = run("completion", "tcsh")
    assert result.exit_code == 2
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in result.output


@pytest.mark.parametrize("shell, said", [
    ("/usr/bin/zsh", "name a shell: bash, zsh or fish; for yours, 'psoas completion zsh'"),
    ("/bin/tcsh", "name a shell: bash, zsh or fish; for example 'psoas completion bash'"),
    ("", "name a shell: bash, zsh or fish; for example 'psoas completion bash'"),
])
def test_completion_without_a_shell_says_in_one_line_which_to_name(run, shell, said):
    result = run("completion", env={"SHELL": shell})
    assert result.exit_code == 2
    assert result.output == f"Error: {said}\n"


def _shell_env(tmp_path: Path) -> dict:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(tmp_path)}


@pytest.mark.slow  # runs the installed psoas, and a shell
@needs_psoas
@pytest.mark.skipif(not shutil.which("bash"), reason="no bash")
def test_bash_completes_pigeon(tmp_path):
    script = subprocess.run([str(PSOAS), "completion", "bash"], capture_output=True, text=True,
                            check=True).stdout
    test = (script + '\nCOMP_WORDS=(psoas show pi); COMP_CWORD=2\n_psoas_completion psoas\n'
            'printf "%s\\n" "${COMPREPLY[@]}"\n')
    out = subprocess.run(["bash", "--norc", "-c", test], env=_shell_env(tmp_path),
                         capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == PIGEON


def _fish(tmp_path: Path, line: str) -> str:
    """What real fish offers for ``line``, with the script 'psoas completion fish' prints."""
    script = subprocess.run([str(PSOAS), "completion", "fish"], capture_output=True, text=True,
                            check=True).stdout
    test = script + f"\ncomplete --do-complete '{line}'\n"
    return subprocess.run(["fish", "--no-config", "-c", test], env=_shell_env(tmp_path),
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.slow  # runs the installed psoas, and a shell
@needs_psoas
@pytest.mark.skipif(not shutil.which("fish"), reason="no fish")
def test_fish_completes_pigeon(tmp_path):
    out = _fish(tmp_path, "psoas show pi")
    assert [line.split("\t")[0] for line in out.splitlines()] == PIGEON


@pytest.mark.slow  # runs the installed psoas, and a shell
@needs_psoas
@pytest.mark.skipif(not shutil.which("zsh"), reason="no zsh")
def test_zsh_completes_pigeon(tmp_path):
    """zsh's completion system is interactive; its three functions the script
    calls are stood in for by ones that print what they are given."""
    script = subprocess.run([str(PSOAS), "completion", "zsh"], capture_output=True, text=True,
                            check=True).stdout
    stand_ins = ("compdef() { : }\n"
                 "_describe() { print -rl -- ${(P)3} }\n"
                 "compadd() { print -rl -- ${(P)${@[-1]}} }\n")
    test = stand_ins + script + "\nwords=(psoas show pi); CURRENT=3\n_psoas_completion\n"
    out = subprocess.run(["zsh", "-f", "-c", test], env=_shell_env(tmp_path),
                         capture_output=True, text=True, check=True).stdout
    assert [line.split(":")[0] for line in out.splitlines()] == PIGEON


@pytest.mark.slow  # runs the installed psoas, and a shell
@needs_psoas
@pytest.mark.skipif(not shutil.which("fish"), reason="no fish")
def test_fish_shows_a_description_with_commas_whole(tmp_path):
    out = _fish(tmp_path, "psoas routine af")
    assert out == "after-run\tFor runners, after a run; hips and thighs.\n"


@pytest.mark.slow  # four fresh Pythons
def test_a_warm_tab_imports_neither_rich_nor_yaml_nor_the_models(tmp_path):
    from .fakes import fresh_run

    env = {"PSOAS_HOME": str(tmp_path), "_PSOAS_COMPLETE": "bash_complete", "COMP_CWORD": "2"}
    for words in ("psoas show pi", "psoas routine w"):
        fresh_run([], env={**env, "COMP_WORDS": words})  # cold: parses and fills the cache
        loaded, warm = fresh_run([], env={**env, "COMP_WORDS": words})
        assert not loaded & {"rich", "yaml", "psoas_cli.model.routines", "psoas_cli.model.figures"}
        assert warm.splitlines()[0] in ("plain,pigeon", "plain,warmup")


@pytest.mark.parametrize("line, words", [
    ("psoas test ", ["thomas", "floor"]),
    ("psoas test f", ["floor", "floor-test"]),
    ("psoas test th", ["thomas"]),
    ("psoas test k", ["kneeling-test"]),
    ("psoas test --plain b", ["bed", "bed-test"]),
    ("psoas test x", []),
    ("psoas program show ", ["hips", "desk"]),
    ("psoas program show d", ["desk"]),
    ("psoas program start h", ["hips"]),
])
def test_self_tests_and_programs(line, words):
    assert bash(line) == words


def test_the_users_programs_are_offered(clean_env):
    clean_env.mkdir()
    builtin = Path(datafiles.bundled_path("programs.yaml")).read_text(encoding="utf-8")
    (clean_env / "programs.yaml").write_text(builtin.replace("\n  hips:", "\n  hops:"))
    assert bash("psoas program show h") == ["hips", "hops"]


def test_a_warm_tab_for_tests_and_programs_imports_no_yaml(tmp_path):
    from .fakes import fresh_run

    env = {"PSOAS_HOME": str(tmp_path), "_PSOAS_COMPLETE": "bash_complete", "COMP_CWORD": "2"}
    for words, first in (("psoas test ", "plain,thomas"), ("psoas program show ", None)):
        cword = {"COMP_CWORD": str(len(words.split()))}
        fresh_run([], env={**env, **cword, "COMP_WORDS": words})  # cold: fills the cache
        loaded, warm = fresh_run([], env={**env, **cword, "COMP_WORDS": words})
        assert not loaded & {"rich", "yaml", "psoas_cli.model.routines", "psoas_cli.model.figures"}
        assert warm.splitlines()[0] == (first or "plain,hips")


@pytest.mark.slow  # runs the installed psoas, and three shells
@needs_psoas
def test_every_shell_completes_the_self_tests(tmp_path):
    """'psoas test <TAB>' in real bash, zsh and fish, with 'psoas completion'."""
    found = {}
    if shutil.which("bash"):
        script = subprocess.run([str(PSOAS), "completion", "bash"], capture_output=True,
                                text=True, check=True).stdout
        test = (script + '\nCOMP_WORDS=(psoas test ""); COMP_CWORD=2\n'
                '_psoas_completion psoas\nprintf "%s\\n" "${COMPREPLY[@]}"\n')
        found["bash"] = subprocess.run(["bash", "--norc", "-c", test], env=_shell_env(tmp_path),
                                       capture_output=True, text=True,
                                       check=True).stdout.splitlines()
    if shutil.which("zsh"):
        script = subprocess.run([str(PSOAS), "completion", "zsh"], capture_output=True,
                                text=True, check=True).stdout
        stand_ins = ("compdef() { : }\n"
                     "_describe() { print -rl -- ${(P)3} }\n"
                     "compadd() { print -rl -- ${(P)${@[-1]}} }\n")
        test = stand_ins + script + '\nwords=(psoas test ""); CURRENT=3\n_psoas_completion\n'
        out = subprocess.run(["zsh", "-f", "-c", test], env=_shell_env(tmp_path),
                             capture_output=True, text=True, check=True).stdout
        found["zsh"] = [line.split(":")[0] for line in out.splitlines()]
    if shutil.which("fish"):
        found["fish"] = [line.split("\t")[0]
                         for line in _fish(tmp_path, "psoas test ").splitlines()]
    if not found:
        pytest.skip("no bash, zsh or fish")
    # fish sorts what it offers
    assert {shell: sorted(words) for shell, words in found.items()} == dict.fromkeys(
        found, ["floor", "thomas"])
