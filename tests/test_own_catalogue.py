"""A catalogue of the user's own: the built-in routines it can't play are not
offered (never an error blamed on psoas's own file), and the general caution
and breathing cue still show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from psoas_cli.errors import RoutineError, UnknownName
from psoas_cli.files import datafiles, routines_schema
from psoas_cli.model.routines import find

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
# The README's example: one stretch that no built-in routine names.
MINE = README.split("## Your own catalogue", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]

# Three of the built-in stretches, by their slugs: desk (side-sitting, standing)
# can be played with it, the others can't.
PART = """\
version: 1
stretches:
  - {slug: side-sitting, name: My chair stretch, position: seated, hold: 20, steps: [Sit.]}
  - {slug: standing, name: My standing stretch, position: standing, hold: 20, steps: [Stand.]}
  - {slug: standing-quad, name: Standing quad stretch, position: standing, hold: 20,
     steps: [Stand on one leg.]}
"""


@pytest.fixture
def mine(write_yaml):
    return write_yaml(MINE, "mine.yaml")


def test_the_home_page_with_your_own_catalogue_offers_no_built_in_routine(run, mine):
    result = run("--catalogue", mine)
    assert result.exit_code == 0, result.output
    assert result.output == """\
psoas: guided stretches for the psoas and hip flexors.

No routine to play with this catalogue yet: the built-in ones need stretches it
doesn't have. 'psoas routine new NAME STRETCH...' makes one.

Try
  psoas routine new mine doorway  make a routine of your own
  psoas show doorway              how to do one stretch
  psoas --help                    every command and option
"""


def test_the_routine_list_says_there_is_none_yet(run, mine):
    result = run("--catalogue", mine, "routine")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "No routine to play with this catalogue yet: the built-in ones need stretches it\n"
        "doesn't have. 'psoas routine new NAME STRETCH...' makes one.\n")


@pytest.mark.parametrize("name", ["warmup", "w"])
def test_asking_for_a_built_in_routine_names_the_stretches_it_needs(run, mine, name):
    result = run("--catalogue", mine, "routine", name, "--dry-run")
    assert result.exit_code == 2
    assert result.output == (
        "Error: the built-in routine 'warmup' needs stretches this catalogue doesn't have: "
        "supine, bridge-set, cobra, half-kneeling, low-lunge, standing\n")


def test_the_routines_it_can_play_are_offered(run, write_yaml):
    part = write_yaml(PART, "part.yaml")
    listed = run("--catalogue", part, "routine").output
    assert listed.splitlines()[2].split()[:2] == ["desk", "2"]
    assert len(listed.splitlines()) == 4  # header, rule, desk, the caption
    assert "desk " in run("--catalogue", part).output
    plan = run("--catalogue", part, "routine", "desk", "--dry-run", "--minutes", "1.5")
    assert plan.exit_code == 0 and "My chair stretch" in plan.output
    # after-run names 'standing' and 'low-lunge': a loose match is never taken
    # for a stretch it lacks, and standing-quad is not 'standing'.
    assert "low-lunge, pigeon" in run("--catalogue", part, "routine", "after-run").output


def test_your_own_routine_plays_instead_of_a_built_in_one_it_lacks(run, mine, clean_env):
    clean_env.mkdir()
    (clean_env / "routines.yaml").write_text("routines:\n  warmup: {items: [doorway]}\n")
    result = run("--catalogue", mine, "routine", "warmup", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Doorway chest stretch" in result.output


def test_your_own_routines_file_still_reports_a_stretch_it_lacks(run, mine, write_yaml):
    yours = write_yaml("routines:\n  chest:\n    items: [doorway, pigeon]\n", "yours.yaml")
    result = run("--catalogue", mine, "routine", "--routines", yours)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {yours}:3: routine 'chest', field 'items': "
                                    "no stretch called 'pigeon'")


def test_a_name_no_routine_has_says_so(write_yaml, tmp_path):
    catalogue = datafiles.load_catalogue(write_yaml(MINE))
    found = datafiles.load_routines(catalogue, catalogue_path=write_yaml(MINE))
    with pytest.raises(UnknownName, match="no routine called 'yoga', and none to play with "
                                          "this catalogue yet"):
        find(found, "yoga")


def test_the_unavailable_ones_come_back_from_the_cache(write_yaml, tmp_path, monkeypatch):
    path = write_yaml(PART)
    catalogue = datafiles.load_catalogue(path)
    cache = str(tmp_path / "cache")
    first = datafiles.load_routines(catalogue, catalogue_path=path, cache_dir=cache)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed YAML although the cache was fresh")

    monkeypatch.setattr(routines_schema, "parse", no_parsing)
    second = datafiles.load_routines(catalogue, catalogue_path=path, cache_dir=cache)
    assert list(second) == list(first) == ["desk"]
    assert second.unavailable == first.unavailable
    assert second.unavailable["full"] == (
        "needs stretches this catalogue doesn't have: foam-roller, cobra, side-lying, supine, "
        "glute-bridge, pigeon, half-kneeling, low-lunge, camel, childs-pose, seated")
    assert datafiles.routine_descriptions(catalogue_path=path, cache_dir=cache) == \
        {"desk": second["desk"].description}


def test_the_built_in_catalogue_plays_every_built_in_routine(cat, builtin):
    found = datafiles.load_routines(cat)
    assert list(found) == list(builtin) and found.unavailable == {}


def test_psoass_own_file_is_still_checked_in_full_without_leniency(write_yaml):
    catalogue = datafiles.load_catalogue(write_yaml(MINE))
    with pytest.raises(RoutineError, match="routine 'warmup', field 'items': no stretch"):
        routines_schema.parse(datafiles.bundled_path("routines.yaml"), catalogue)


def test_a_catalogue_of_one_says_1_stretch(run, mine):
    assert run("--catalogue", mine, "list").output.splitlines()[-1] == \
        "1 stretch. 'psoas show NAME' for the steps."


# -- a broken routines file on the home page ---------------------------------------------

def test_a_broken_routines_file_of_yours_is_one_warning_on_the_home_page(run, clean_env,
                                                                         wide_terminal):
    clean_env.mkdir()
    (clean_env / "routines.yaml").write_text("version: 1\nroutines:\n  coffee: {items: [nope]}\n")
    result = run()
    assert result.exit_code == 0
    assert result.stderr == (f"psoas: {clean_env / 'routines.yaml'}:3: routine 'coffee', field "
                             "'items': no stretch called 'nope'; 'psoas list' shows them all "
                             "(its routines are left out)\n")
    assert "warmup " in result.stdout and "full " in result.stdout


def test_psoas_routines_is_listed_on_the_home_page_and_a_mistake_in_it_warned(run, write_yaml,
                                                                              wide_terminal):
    good = write_yaml("routines:\n  coffee: {items: [cobra]}\n", "good.yaml")
    assert "coffee " in run(env={"PSOAS_ROUTINES": good}).stdout
    bad = write_yaml("routines:\n  coffee: [cobra]\n", "bad.yaml")
    result = run(env={"PSOAS_ROUTINES": bad})
    assert result.exit_code == 0
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"psoas: {bad}:2: ")
    assert "coffee" not in result.stdout and "warmup " in result.stdout


# -- the general caution and breathing cue -----------------------------------------------

def test_a_catalogue_without_them_takes_the_built_in_caution_and_breathing(run, fast_run, mine,
                                                                          cat):
    data = json.loads(run("--catalogue", mine, "show", "doorway", "--json").output)
    assert data["general_caution"] == cat.caution and data["breathing"] == cat.breathing
    shown = run("--catalogue", mine, "show", "doorway").output
    assert "- Stretch only to mild tension, never to pain." in shown
    assert "Breathe   Breathe slowly and evenly" in shown
    played = fast_run("--catalogue", mine, "play", "doorway", "--plain", "--hold", "1", "--reps",
                 "1", "--setup", "0", "--sound", "none", "--no-history").output
    assert played.splitlines()[1] == "Stretch only to mild tension, never to pain. Stop at " \
                                     "once if you feel sharp"


def test_a_catalogues_own_caution_and_breathing_win(write_yaml, tmp_path):
    own = MINE.replace("stretches:\n", "caution: Go easy.\nbreathing: Breathe out.\nstretches:\n")
    for cache in (None, str(tmp_path / "cache"), str(tmp_path / "cache")):  # cold, then warm
        catalogue = datafiles.load_catalogue(write_yaml(own), cache_dir=cache)
        assert (catalogue.caution, catalogue.breathing) == ("Go easy.", "Breathe out.")
        partial = datafiles.load_catalogue(write_yaml(MINE.replace(
            "stretches:\n", "breathing: Breathe out.\nstretches:\n"), "partial.yaml"),
            cache_dir=cache)
        assert partial.breathing == "Breathe out." and partial.caution.startswith("Stretch only")
