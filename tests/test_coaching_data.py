"""The catalogue's coaching: safe step wording, what each side means, cautions,
set-up times, and one source for the general caution."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from psoas_cli.files import cache, datafiles, routines_schema

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cat():
    return datafiles.load_catalogue()


def words(text: str) -> str:
    return " ".join(text.split())


def everything_said(stretch) -> str:
    return " ".join((stretch.summary, stretch.cue, *stretch.steps, *stretch.cautions,
                     stretch.easier)).lower()


# -- step wording ------------------------------------------------------------------

def test_no_step_tells_you_to_lock_a_joint_or_names_a_far_edge(cat):
    for stretch in cat:
        text = everything_said(stretch)
        # "straight but not locked" is the only way "lock" may appear.
        assert not re.search(r"(?<!not )\block", text), stretch.slug
        assert "far edge" not in text, stretch.slug
        assert "point the toes up" not in text, stretch.slug


def test_cautions_and_easier_variations_are_side_neutral_too(cat):
    for stretch in cat:
        assert not re.search(r"\b(left|right)\b", everything_said(stretch)), stretch.slug


@pytest.mark.parametrize("slug, step, phrases", [
    ("seated", -1, ["straight but not locked", "toes back toward you"]),
    ("pigeon", 2, ["in front of your opposite hip", "shin angled across"]),
    ("pigeon", 3, ["slide the other leg straight back", "square your hips"]),
    ("glute-bridge", 2, ["straight line from shoulders to knees", "without arching",
                         "breathing out"]),
    ("side-lying", 2, ["without arching your lower back"]),
    ("foam-roller", 1, ["forward and back", "just below your ribs"]),
    ("foam-roller", 2, ["a breath or two", "then keep rolling"]),
    ("half-kneeling", 1, ["squeeze the glute of the kneeling leg", "tailbone"]),
    ("half-kneeling", 2, ["slowly"]),
    ("camel", -1, ["to come out", "low back", "come up slowly", "head last"]),
])
def test_steps_say_how_to_move_safely(cat, slug, step, phrases):
    text = cat.find(slug).steps[step].lower()
    for phrase in phrases:
        assert phrase in text, (slug, phrase)


def test_the_foam_rollers_summary_matches_its_steps(cat):
    roller = cat.find("foam-roller")
    for text in (roller.summary, roller.steps[1]):
        assert "ribs" in text and "hip bone" in text, text
    # Rolling, with a pause on tight spots: never "keep rolling the whole time".
    assert "whole time" not in " ".join(roller.steps)


def test_no_step_leaves_flat_back_ambiguous(cat):
    """"Keep your back flat" right after pressing the small of the back down
    reads as "keep it pressed down" while lifting."""
    assert "back flat" not in everything_said(cat.find("glute-bridge"))


# Words that say what to do: each cue carries the stretch's action, as the voice
# reads only the first step or so while getting ready, and the cue at each hold.
ACTIONS = {"half-kneeling": "shift forward", "standing": "lunge", "low-lunge": "back foot",
           "supine": "hug one knee", "seated": "leg out", "side-lying": "heel to your seat",
           "foam-roller": "rolls", "glute-bridge": "hips up", "camel": "hips forward",
           "cobra": "press up", "pigeon": "knee forward",
           # the additions
           "childs-pose": "sit back", "constructive-rest": "belly",
           "figure-four": "ankle over", "side-sitting": "knee down", "bridge-set": "hips up",
           # issue 24: what a program unlocks
           "half-kneeling-reach": "reach up", "standing-reach": "lunge back",
           "thomas-stretch": "hug one knee", "couch-stretch": "foot on the seat",
           "single-leg-bridge": "hips up", "dead-bug": "reach away"}


def test_every_cue_carries_the_action_and_is_short_enough_for_the_screens(cat):
    assert set(ACTIONS) == {s.slug for s in cat}
    for stretch in cat:
        assert ACTIONS[stretch.slug] in stretch.cue.lower(), stretch.slug
        assert len(stretch.cue) <= 60, stretch.slug  # two lines at 40 columns at most


def test_the_bridge_says_to_breathe_out_as_you_lift(cat):
    assert "breathe out" in cat.find("glute-bridge").cue.lower()


def test_every_stretch_has_an_easier_way(cat):
    assert [s.slug for s in cat if not s.easier] == []


def test_the_roller_is_kept_beside_the_mat(cat):
    assert "beside your mat" in cat.find("foam-roller").cautions[0]


def test_camel_offers_a_way_out_before_the_full_reach(cat):
    camel = cat.find("camel")
    reach = next(s for s in camel.steps if "heels" in s)
    assert "if that feels fine" in reach.lower() and "low back" in reach


# -- what each side means ----------------------------------------------------------

def test_every_each_side_stretch_says_what_a_side_means_and_no_other_does(cat):
    for stretch in cat:
        if stretch.each_side:
            assert "{side}" in stretch.side_means or "{other}" in stretch.side_means, \
                stretch.slug
        else:
            assert stretch.side_means == "", stretch.slug


@pytest.mark.parametrize("slug, right, left", [
    ("half-kneeling", "right knee down", "left knee down"),
    ("standing", "right leg back", "left leg back"),
    ("side-lying", "lying on your left side, stretching the right hip",
     "lying on your right side, stretching the left hip"),
    ("pigeon", "right knee forward, stretching the left hip",
     "left knee forward, stretching the right hip"),
])
def test_side_text_says_which_leg(cat, slug, right, left):
    stretch = cat.find(slug)
    assert (stretch.side_text("right"), stretch.side_text("left")) == (right, left)


def test_side_text_takes_only_left_or_right(cat):
    with pytest.raises(ValueError):
        cat.find("pigeon").side_text("both")


def test_side_meanings_reach_show_json_and_the_plan_json(run):
    shown = json.loads(run("show", "side-lying", "--json").output)
    assert shown["side_means"] == {"right": "lying on your left side, stretching the right hip",
                                   "left": "lying on your right side, stretching the left hip"}
    assert json.loads(run("show", "camel", "--json").output)["side_means"] is None
    plan = json.loads(run("play", "half-kneeling", "camel", "--dry-run", "--json").output)
    assert [(p["kind"], p["side_means"]) for p in plan["phases"]][:4] == [
        ("ready", "right knee down"), ("hold", "right knee down"),
        ("switch", "left knee down"), ("hold", "left knee down")]
    assert {p["side_means"] for p in plan["phases"] if p["stretch"] == "camel"} == {None}


# -- cautions --------------------------------------------------------------------

@pytest.mark.parametrize("slug, phrases", [
    ("camel", ["advanced backbend", "back", "neck", "blood pressure", "dizzy", "pad"]),
    ("foam-roller", ["belly", "psoas", "pregnant", "hernia", "abdominal surgery", "pulse"]),
    ("pigeon", ["knee", "foot flexed", "toward the shin", "come out at once"]),
    ("cobra", ["straight arms", "three to five times", "lower back", "hips lift off",
               "lower down"]),
])
def test_pose_specific_cautions(cat, slug, phrases):
    text = " ".join(cat.find(slug).cautions).lower()
    for phrase in phrases:
        assert phrase in text, (slug, phrase)


@pytest.mark.parametrize("slug, phrase", [("camel", "low back"), ("cobra", "forearms"),
                                          ("pigeon", "cushion")])
def test_easier_variations(cat, slug, phrase):
    assert phrase in cat.find(slug).easier


def test_every_kneeling_stretch_says_to_pad_the_knee(cat):
    kneeling = [s for s in cat if s.position == "kneeling"]
    assert {s.slug for s in kneeling} == {"half-kneeling", "low-lunge", "camel", "childs-pose",
                                          "half-kneeling-reach", "couch-stretch"}
    for stretch in kneeling:
        assert any(re.search(r"\bpad\b", c, re.I) for c in stretch.cautions), stretch.slug


def test_advanced_stretches(cat):
    assert {s.slug for s in cat if s.advanced} == {"camel", "foam-roller", "pigeon",
                                                   "couch-stretch"}


# -- coming out of a pose, and the pauses it needs ------------------------------

def test_the_poses_that_are_hard_to_come_out_of_rest_and_switch_for_longer(cat):
    for slug in ("camel", "pigeon"):
        assert cat.find(slug).rest >= 15, slug
    assert cat.find("pigeon").switch >= 15
    assert cat.find("side-lying").switch >= 8  # rolling over
    assert cat.find("low-lunge").switch == 8


def test_the_camels_way_out_is_said(cat):
    assert "head last" in cat.find("camel").come_out
    assert all(s.come_out for s in cat if s.slug in ("camel", "pigeon", "cobra", "glute-bridge"))


def test_the_general_caution_is_worded_to_a_physical_therapists_standard(cat):
    text = cat.caution.lower()
    for phrase in ["mild tension", "never to pain", "stop at once", "sharp pain", "numbness",
                   "tingling", "dizziness", "if pain persists", "physical therapist",
                   "physician", "pregnant", "recent surgery", "hip replacement",
                   "back or knee injury", "general guidance, not medical advice"]:
        assert phrase in text, phrase
    assert "does not ease" not in text  # which suggested carrying on through pain


def test_a_breathing_cue(cat):
    assert "breathe slowly" in cat.breathing.lower() and "bouncing" in cat.breathing


def test_the_readmes_caution_is_the_catalogues(cat):
    section = README.split("\n## Caution\n", 1)[1].split("\n## ", 1)[0]
    assert words(section) == words(cat.caution)


def test_show_prints_the_catalogues_caution_word_for_word(run, cat):
    assert words(cat.caution) in words(run("show", "pigeon").output)


# -- time to get into position --------------------------------------------------

def test_every_stretch_has_a_set_up_time_longest_for_the_hard_ones(cat):
    # The couch stretch (a cushion to place, a foot to lift onto the seat) and
    # the Thomas stretch (sitting on a bed's end and rolling back) take longer.
    slow = {"pigeon", "camel", "foam-roller", "side-lying", "couch-stretch", "thomas-stretch"}
    assert all(s.setup for s in cat)
    assert min(cat.find(s).setup for s in slow) > max(s.setup for s in cat if s.slug not in slow)


def _get_ready(plan: dict) -> list[tuple[str, float]]:
    return [(p["stretch"], p["seconds"]) for p in plan["phases"] if p["kind"] in ("ready", "move")]


def test_the_plan_gives_each_stretch_its_set_up_time(run, cat):
    plan = json.loads(run("routine", "full", "--dry-run", "--json").output)
    assert _get_ready(plan) == [(slug, cat.find(slug).setup) for slug in plan["stretches"]]


def test_gentle_routine_plans_longer_set_up_times(run, cat):
    plan = json.loads(run("routine", "gentle", "--dry-run", "--json").output)
    for slug, seconds in _get_ready(plan):
        assert seconds > cat.find(slug).setup, slug


QUICK = """\
routines:
  quick:
    pauses: {ready: 7}
    items:
      - stretch: pigeon
        setup: 42
      - camel
      - pigeon
"""


def test_set_up_comes_from_the_item_then_the_stretch_then_the_routine(run, write_yaml, cat):
    routine_file = write_yaml(QUICK, "mine.yaml")
    bundled = Path(datafiles.bundled_path("stretches.yaml")).read_text(encoding="utf-8")
    pigeon = bundled.index("  - slug: pigeon")
    # The same catalogue, but pigeon gives no set-up time of its own.
    unsaid = bundled[:pigeon] + bundled[pigeon:].replace("    setup: 20\n", "", 1)
    assert unsaid != bundled
    catalogue_file = write_yaml(unsaid, "cat.yaml")
    result = run("--catalogue", catalogue_file, "routine", "quick", "--routines",
                 routine_file, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    camel = cat.find("camel").setup
    assert _get_ready(json.loads(result.output)) == [("pigeon", 42), ("camel", camel),
                                                     ("pigeon", 7)]


# -- validation: one line naming file:line, stretch and field --------------------

GOOD = """\
stretches:
  - slug: alpha
    name: Alpha stretch
    position: standing
    hold: 20-30
    sides: both
    side_means: "{side} leg back"
    steps: [Stand tall]
"""


def test_the_good_example_loads(write_yaml):
    alpha = datafiles.load_catalogue(write_yaml(GOOD)).find("alpha")
    assert alpha.side_text("left") == "left leg back"
    assert (alpha.cautions, alpha.easier, alpha.setup, alpha.advanced) == ((), "", None, False)
    assert (alpha.rest, alpha.switch, alpha.come_out) == (None, None, "")
    assert (alpha.why, alpha.addition) == ("", False)


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace('    side_means: "{side} leg back"\n', ""),
     "FILE:6: stretch 'alpha', field 'side_means': missing; a stretch done on each side says "
     "what the side word means"),
    (GOOD.replace("sides: both", "sides: none"),
     "FILE:7: stretch 'alpha', field 'side_means': only for a stretch done on each side"),
    (GOOD.replace("{side} leg back", "{sid} leg back"),
     "FILE:7: stretch 'alpha', field 'side_means': unknown placeholder '{sid}'; use {side} "
     "and {other}"),
    (GOOD.replace("{side} leg back", "{side.__class__} leg back"),
     "FILE:7: stretch 'alpha', field 'side_means': unknown placeholder '{side.__class__}'"),
    (GOOD.replace("{side} leg back", "{side leg back"),
     "FILE:7: stretch 'alpha', field 'side_means': braces are only for {side} and {other}"),
    (GOOD.replace("{side} leg back", "the back leg"),
     "FILE:7: stretch 'alpha', field 'side_means': must say which side with {side} or {other}"),
    (GOOD + "    setup: 0\n", "FILE:9: stretch 'alpha', field 'setup': must be at least 1"),
    (GOOD + "    setup: soon\n", "FILE:9: stretch 'alpha', field 'setup': must be a number"),
    (GOOD + "    rest: -1\n", "FILE:9: stretch 'alpha', field 'rest': must be at least 0"),
    (GOOD + "    switch: forever\n", "FILE:9: stretch 'alpha', field 'switch': must be a number"),
    (GOOD + "    switch: 601\n", "FILE:9: stretch 'alpha', field 'switch': must be at most 600"),
    (GOOD + "    come_out: ''\n", "FILE:9: stretch 'alpha', field 'come_out': must be non-empty"),
    (GOOD + "    advanced: maybe\n",
     "FILE:9: stretch 'alpha', field 'advanced': must be true or false"),
    (GOOD + "    cautions: [Mind the knee, 3]\n",
     "FILE:9: stretch 'alpha', field 'cautions': item 2 must be non-empty text"),
    (GOOD + "    easier: ''\n", "FILE:9: stretch 'alpha', field 'easier': must be non-empty"),
    (GOOD + "    why: [Because]\n",
     "FILE:9: stretch 'alpha', field 'why': must be non-empty text, not a list"),
    (GOOD + "    why: It helps. It is kind. It is quick.\n",
     "FILE:9: stretch 'alpha', field 'why': must be one or two sentences, not 3"),
    (GOOD + "    why: " + "word " * 51 + "\n",
     "FILE:9: stretch 'alpha', field 'why': must be at most 50 words (said in about 20 s), "
     "not 51"),
    (GOOD + "    addition: added\n",
     "FILE:9: stretch 'alpha', field 'addition': must be true or false"),
    (GOOD + "    cuation: [Mind the knee]\n",
     "FILE:9: stretch 'alpha', field 'cuation': unknown field (did you mean 'caution"),
    ("breathing: [slow]\n" + GOOD, "FILE:1: field 'breathing': must be non-empty text"),
])
def test_coaching_fields_are_validated(catalogue_error, text, expected):
    assert catalogue_error(text).startswith(expected)


def test_a_routine_items_set_up_is_validated(run, write_yaml):
    path = write_yaml("routines:\n  quick:\n    items:\n      - stretch: camel\n"
                      "        setup: -1\n", "mine.yaml")
    result = run("routine", "--routines", path)
    assert result.output.replace(path, "FILE") == (
        "Error: FILE:5: routine 'quick', field 'setup': must be at least 0, not -1\n")


# -- the cache and the README's examples -------------------------------------------

def test_a_cache_of_the_older_shape_is_parsed_afresh(write_yaml, tmp_path):
    path = write_yaml(GOOD)
    folder = str(tmp_path / "cache")
    fresh = datafiles.load_catalogue(path, cache_dir=folder)
    plain = datafiles._catalogue_to_plain(fresh)
    for fields in plain["stretches"]:  # as an older psoas would have stored them
        for name in ("side_means", "cautions", "easier", "setup", "advanced"):
            del fields[name]
    key = cache.key_for(path, kind="catalogue")
    cache.write(folder, key, plain)
    assert datafiles.load_catalogue(path, cache_dir=folder).find("alpha").side_means == "{side} leg back"


def _yaml_block(after: str) -> str:
    return README.split(after, 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_readmes_example_catalogue_and_routine_load(write_yaml, cat):
    mine = datafiles.load_catalogue(write_yaml(_yaml_block("## Your own catalogue")))
    assert mine.find("doorway").side_text("right") == "right arm on the frame"
    example = write_yaml(_yaml_block("### Your own routines"), "routines.yaml")
    (name, routine), = routines_schema.parse(example, cat).items()
    assert name not in yaml.safe_load(Path(datafiles.bundled_path("routines.yaml")).read_text())[
        "routines"]  # an example should not replace a built-in by accident
    assert (routine.items[1].setup, routine.items[1].switch) == (30, 20)
