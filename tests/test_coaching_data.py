"""The catalogue's coaching: safe step wording, what each side means, cautions,
set-up times, and one source for the general caution."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from psoas_cli.files import cache, datafiles, routines_schema
from psoas_cli.model.routines import Item, Pauses, Routine
from psoas_cli.play import timeline
from psoas_cli.play.card import card

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cat():
    return datafiles.load_catalogue()


def words(text: str) -> str:
    return " ".join(text.split())


def everything_said(stretch) -> str:
    return " ".join((stretch.summary, stretch.cue, *stretch.steps, *stretch.cautions,
                     stretch.easier)).lower()


def everything_coached(stretch) -> list[str]:
    """What the voice and the screen add: the spoken set-up, where to feel it,
    the fix, the mid-hold cue, the cautions and easier option as said, the
    gentle variant."""
    texts = [stretch.say_setup, stretch.say_tempo, stretch.feel, stretch.fix, stretch.deepen,
             stretch.easier_say, stretch.remind, *(said for said, _ in stretch.cautions_said),
             *(said for _, said, _ in stretch.flow_cues),
             *(show for _, _, show in stretch.flow_cues)]
    if stretch.gentle is not None:
        variant = stretch.gentle
        texts += [variant.name, variant.say, variant.cue, *variant.steps, variant.come_out,
                  variant.feel, variant.fix, variant.deepen]
    return [text for text in texts if text]


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
        # The coaching may name a side only as {side} or {other}, filled in as it plays.
        for text in everything_coached(stretch):
            assert not re.search(r"\b(left|right)\b", text, re.I), (stretch.slug, text)
        for text in (stretch.fix, stretch.easier_say, *(s for s, _ in stretch.cautions_said)):
            assert "{" not in text, (stretch.slug, text)


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
# The gentle variants' own action words.
VARIANT_ACTIONS = {"half-kneeling": "shift forward", "standing": "step back",
                   "low-lunge": "back foot", "cobra": "forearms"}


def test_every_cue_carries_the_action_and_is_short_enough_for_the_screens(cat):
    assert set(ACTIONS) == {s.slug for s in cat}
    for stretch in cat:
        assert ACTIONS[stretch.slug] in stretch.cue.lower(), stretch.slug
        assert len(stretch.cue) <= 60, stretch.slug  # two lines at 40 columns at most
        # Said as "<cue>... and hold.": the action first; "hold" only at its end.
        assert not stretch.cue.lower().startswith("hold"), stretch.slug
    assert {s.slug for s in cat if s.gentle} == set(VARIANT_ACTIONS)
    for slug, action in VARIANT_ACTIONS.items():
        variant = cat.find(slug).gentle
        assert action in variant.cue.lower() and len(variant.cue) <= 60, slug


@pytest.mark.parametrize("slug, where, phrase", [
    ("side-lying", "steps", "bend the bottom knee up toward your chest"),  # no arching
    ("side-lying", "cue", "bottom knee in"),
    ("supine", "steps", "heavy"),  # the long leg let go, not pushed down
    ("supine", "cue", "heavy"),
    ("standing", "steps", "lift that heel"),  # on the ball of the back foot
    ("standing", "cue", "back heel up"),
    ("cobra", "steps", "back of your neck long"),
    ("cobra", "cue", "neck long"),
    ("camel", "easier", "tuck your toes under"),  # the first regression
    # A physical therapist's review: what is said with eyes closed is safe alone.
    ("camel", "cue", "hands on your low back"),  # never "reach back" at every rep
    ("camel", "say_setup", "fingers down on your low back"),
    ("camel", "say_setup", "only if easy: each hand in turn"),
    ("cobra", "cue", "press up partway"),
    ("cobra", "say_setup", "only as far as your low back stays easy"),
    ("low-lunge", "cue", "glute squeezed, tailbone tucked"),  # the tuck, not only in fix
    ("seated", "feel", "behind the {side} knee and calf"),  # as its why says
])
def test_the_key_cues_are_there(cat, slug, where, phrase):
    stretch = cat.find(slug)
    text = " ".join(stretch.steps) if where == "steps" else getattr(stretch, where)
    assert phrase in text.lower(), (slug, where)


def words_in(text: str) -> int:
    return len(text.split())


def test_every_stretch_says_where_to_feel_it_what_to_fix_and_how_to_deepen(cat):
    for stretch in cat:
        assert stretch.say_setup and stretch.feel and stretch.fix and stretch.easier_say, \
            stretch.slug
        # (constructive rest has nothing to stretch, and says so)
        assert stretch.feel.startswith(("Feel ", "Nothing to stretch.")), stretch.slug
        assert stretch.easier_say.startswith("Easier: "), stretch.slug
        assert words_in(stretch.feel) <= 13 and words_in(stretch.fix) <= 14, stretch.slug
        assert words_in(stretch.easier_say) <= 15, stretch.slug
        assert words_in(stretch.say_setup) <= 20, stretch.slug
        assert all(words_in(said) <= 15 for said, _ in stretch.cautions_said), stretch.slug
        assert len(stretch.cautions_said) == len(stretch.cautions), stretch.slug
        if stretch.kind == "hold":  # a flow has its timed cues, a movement its count
            assert stretch.deepen and words_in(stretch.deepen) <= 13, stretch.slug
            # The breath tied to one action.
            assert stretch.deepen.startswith("Breathe "), stretch.slug
    for slug in ("half-kneeling", "standing", "low-lunge", "side-lying", "seated", "camel",
                 "cobra"):  # the usual wrong place named, and the one correction
        assert "low back" in cat.find(slug).fix.lower(), slug
    assert "knee" in cat.find("pigeon").fix.lower()


def test_the_roller_has_its_own_cues_for_its_long_roll(cat):
    roller = cat.find("foam-roller")
    assert roller.kind == "flow" and roller.continuous
    cues = roller.flow_cues
    assert len(cues) == 6 and cues[0][0] == 0
    said = " ".join(text for _, text, _ in cues).lower()
    for phrase in ("slowly", "breathe into your belly", "tight spot", "pulses",
                   "take more weight on your forearms"):
        assert phrase in said, phrase
    # The pulse caution twice: before the roll and during it.
    assert sum("pulse" in said for said, _ in roller.cautions_said) == 1
    assert any("pulse" in text for _, text, _ in cues)


def test_the_bridge_is_a_movement_with_the_cramp_fix(cat):
    bridge = cat.find("glute-bridge")
    assert bridge.kind == "movement" and bridge.movement and not bridge.come_out
    assert any("cramp" in c and "closer to your seat" in c for c in bridge.cautions)
    assert "cramp" in bridge.remind.lower() and bridge.say_tempo
    assert {s.slug for s in cat if s.movement} == {"glute-bridge", "bridge-set",
                                                   "single-leg-bridge", "dead-bug"}  # issue 24
    short = cat.find("bridge-set")  # issue 21's shorter set, coached the same way
    assert not short.come_out and short.say_tempo == bridge.say_tempo and short.remind


def test_the_gentle_variants_are_the_easier_ways(cat):
    assert cat.find("cobra").gentle.name.startswith("Sphinx")
    for slug in ("half-kneeling", "standing", "low-lunge"):
        variant = cat.find(slug).gentle
        assert "chair or wall" in variant.equipment, slug
        assert "chair" in variant.say and variant.say.startswith("The easier way: "), slug
    assert "towel or strap" in cat.find("low-lunge").gentle.equipment


def test_set_up_ranges_leave_room_for_the_words(cat):
    for stretch in cat:
        assert stretch.setup_most is not None and stretch.setup < stretch.setup_most, \
            stretch.slug


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
    ("half-kneeling", "right knee down, left foot forward", "left knee down, right foot forward"),
    ("standing", "right leg back, left foot forward", "left leg back, right foot forward"),
    ("side-lying", "lie on your left side, right leg on top",
     "lie on your right side, left leg on top"),
    # the shin folded in front, as the lunges' knee is the one down (a review)
    ("pigeon", "right shin across, left leg long behind you",
     "left shin across, right leg long behind you"),
])
def test_side_text_says_which_leg(cat, slug, right, left):
    stretch = cat.find(slug)
    assert (stretch.side_text("right"), stretch.side_text("left")) == (right, left)


def test_side_text_takes_only_left_or_right(cat):
    with pytest.raises(ValueError):
        cat.find("pigeon").side_text("both")


def test_side_meanings_reach_show_json_and_the_plan_json(run):
    shown = json.loads(run("show", "side-lying", "--json").output)
    assert shown["side_means"] == {"right": "lie on your left side, right leg on top",
                                   "left": "lie on your right side, left leg on top"}
    assert shown["side_word"] == {"right": "right leg", "left": "left leg"}
    assert shown["side_switch"]["right"] == ("Roll over so your right leg is on top, lying on "
                                             "your left side.")
    assert json.loads(run("show", "camel", "--json").output)["side_means"] is None
    plan = json.loads(run("play", "half-kneeling", "camel", "--dry-run", "--json").output)
    assert [(p["kind"], p["side_word"], p["side_means"]) for p in plan["phases"]][:4] == [
        ("ready", "right knee", "right knee down, left foot forward"),
        ("hold", "right knee", "right knee down, left foot forward"),
        ("switch", "left knee", "left knee down, right foot forward"),
        ("hold", "left knee", "left knee down, right foot forward")]
    assert {p["side_means"] for p in plan["phases"] if p["stretch"] == "camel"} == {None}


# -- cautions --------------------------------------------------------------------

@pytest.mark.parametrize("slug, phrases", [
    ("camel", ["advanced backbend", "back", "neck", "blood pressure", "dizzy", "pad"]),
    ("foam-roller", ["belly", "psoas", "pregnant", "hernia", "abdominal surgery", "pulse",
                     "an hour of a meal"]),
    ("pigeon", ["knee", "foot flexed", "toward the shin", "come out at once"]),
    ("cobra", ["straight arms", "three to five times", "lower back", "hips lift off",
               "lower down"]),
    ("camel", ["chin slightly tucked"]),
    ("supine", ["pinch deep in the front of the hugged hip", "hug it less far"]),
    ("seated", ["tingling down the leg", "bend the knee a little"]),
])
def test_pose_specific_cautions(cat, slug, phrases):
    text = " ".join(cat.find(slug).cautions).lower()
    for phrase in phrases:
        assert phrase in text, (slug, phrase)


@pytest.mark.parametrize("slug, phrase", [("camel", "low back"), ("cobra", "forearms"),
                                          ("pigeon", "cushion"), ("pigeon", "figure-four")])
def test_easier_variations(cat, slug, phrase):
    assert phrase in cat.find(slug).easier


def test_the_camel_is_never_told_to_reach_back_as_a_hold_begins(cat):
    camel = cat.find("camel")
    assert "reach" not in camel.cue.lower()
    said = " ".join(said for said, _ in camel.cautions_said).lower()
    assert "chin slightly tucked" in said


# Deep flexion or extension with rotation: what a hip replacement restricts.
HIP_REPLACEMENT = ["half-kneeling", "low-lunge", "standing", "pigeon", "supine", "childs-pose",
                   "couch-stretch"]


@pytest.mark.parametrize("slug", HIP_REPLACEMENT)
def test_the_positions_a_hip_replacement_restricts_say_so_before_you_start(cat, slug):
    stretch = cat.find(slug)
    on_card = [text for text, (_, when) in zip(stretch.cautions, stretch.cautions_said,
                                               strict=True) if when == "card"]
    assert any("after a hip replacement" in text.lower() and "go-ahead" in text
               for text in on_card), slug


def test_a_caution_shared_by_many_stretches_is_said_once_on_the_card(cat):
    routine = Routine("t", "", "low", "low", Pauses(10, 5, 5),
                      tuple(Item(cat.find(slug)) for slug in HIP_REPLACEMENT[:3]))
    said = card(timeline.build(routine), caution=cat.caution, breathing=cat.breathing,
                said_caution=cat.said_caution).said
    assert said.count("After a hip replacement") == 1


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
    assert cat.find("side-lying").rest >= 10  # let go, straighten, take the ankle again
    assert cat.find("low-lunge").switch == 8


def test_the_camels_way_out_is_said(cat):
    assert "head last" in cat.find("camel").come_out
    assert all(s.come_out for s in cat if s.slug in ("camel", "pigeon", "cobra", "low-lunge",
                                                      "side-lying", "foam-roller"))
    # A movement comes down in its last LOWER: it needs no way out of its own.
    assert not cat.find("glute-bridge").come_out


def test_the_general_caution_is_worded_to_a_physical_therapists_standard(cat):
    text = cat.caution.lower()
    for phrase in ["mild tension", "never to pain", "stop at once", "sharp pain", "numbness",
                   "tingling", "dizziness", "if pain persists", "physical therapist",
                   "physician", "pregnant", "recent surgery", "hip replacement",
                   "back or knee injury", "general guidance, not medical advice"]:
        assert phrase in text, phrase
    assert "does not ease" not in text  # which suggested carrying on through pain


def test_the_spoken_caution_names_every_contraindication(cat):
    """Someone following with eyes closed hears who should check first, not only
    how far to go."""
    said = cat.said_caution.lower()
    for phrase in ["mild tension", "never to pain", "never bounce", "sharp pain", "numbness",
                   "tingling", "dizziness", "pregnant", "recent surgery", "hip replacement",
                   "back or knee injury", "physical therapist"]:
        assert phrase in said, phrase


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
    """At least its own set-up, and longer only for what is said while getting
    ready, within its range."""
    plan = json.loads(run("routine", "full", "--dry-run", "--json").output)
    for slug, seconds in _get_ready(plan):
        stretch = cat.find(slug)
        assert stretch.setup <= seconds <= stretch.setup_most, slug


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
    unsaid = bundled[:pigeon] + bundled[pigeon:].replace("    setup: 20-30\n", "", 1)
    assert unsaid != bundled
    catalogue_file = write_yaml(unsaid, "cat.yaml")
    result = run("--catalogue", catalogue_file, "routine", "quick", "--routines",
                 routine_file, "--dry-run", "--json", "--setup", "0")
    # --setup 0: no get-ready at all, whatever the item, stretch or routine says
    assert _get_ready(json.loads(result.output)) == []
    result = run("--catalogue", catalogue_file, "routine", "quick", "--routines",
                 routine_file, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    (first, item), (second, camel), (third, routine) = _get_ready(json.loads(result.output))
    assert (first, second, third) == ("pigeon", "camel", "pigeon")
    assert item == 42  # the item's, long enough for its words
    assert cat.find("camel").setup <= camel <= cat.find("camel").setup_most
    assert routine > 7  # the routine's 7 s, lengthened for the words said in it


# -- validation: one line naming file:line, stretch and field --------------------

GOOD = """\
stretches:
  - slug: alpha
    name: Alpha stretch
    position: standing
    hold: 20-30
    sides: both
    side_means: "{side} leg back"
    side_word: "{side} leg"
    steps: [Stand tall]
"""


def test_the_good_example_loads(write_yaml):
    alpha = datafiles.load_catalogue(write_yaml(GOOD)).find("alpha")
    assert alpha.side_text("left") == "left leg back"
    assert alpha.side_word_of("left") == "left leg"
    assert alpha.ready_text("left") == "left leg back"  # side_means, when it gives no side_ready
    assert alpha.switch_text("left") == "Change over: Left leg back."
    assert (alpha.kind, alpha.setup_most, alpha.feel, alpha.gentle) == ("hold", None, "", None)
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
    (GOOD + "    setup: 0\n", "FILE:10: stretch 'alpha', field 'setup': must be at least 1"),
    (GOOD + "    setup: soon\n", "FILE:10: stretch 'alpha', field 'setup': must be a number"),
    (GOOD + "    setup: 20-10\n",
     "FILE:10: stretch 'alpha', field 'setup': range is reversed (20-10)"),
    (GOOD + "    rest: -1\n", "FILE:10: stretch 'alpha', field 'rest': must be at least 0"),
    (GOOD + "    switch: forever\n", "FILE:10: stretch 'alpha', field 'switch': must be a number"),
    (GOOD + "    switch: 601\n", "FILE:10: stretch 'alpha', field 'switch': must be at most 600"),
    (GOOD + "    come_out: ''\n", "FILE:10: stretch 'alpha', field 'come_out': must be non-empty"),
    (GOOD + "    advanced: maybe\n",
     "FILE:10: stretch 'alpha', field 'advanced': must be true or false"),
    (GOOD + "    cautions: [Mind the knee, 3]\n",
     "FILE:10: stretch 'alpha', field 'cautions': item 2 must be non-empty text"),
    (GOOD + "    cautions: [{text: Mind the knee, when: later}]\n",
     "FILE:10: stretch 'alpha', field 'cautions': item 1: must be one of get-ready, first, card"),
    (GOOD + "    cautions: [{say: Knees!}]\n",
     "FILE:10: stretch 'alpha', field 'cautions': item 1 needs its 'text'"),
    (GOOD + "    easier: ''\n", "FILE:10: stretch 'alpha', field 'easier': must be non-empty"),
    (GOOD + "    why: [Because]\n",
     "FILE:10: stretch 'alpha', field 'why': must be non-empty text, not a list"),
    (GOOD + "    why: It helps. It is kind. It is quick.\n",
     "FILE:10: stretch 'alpha', field 'why': must be one or two sentences, not 3"),
    (GOOD + "    why: " + "word " * 51 + "\n",
     "FILE:10: stretch 'alpha', field 'why': must be at most 50 words (said in about 20 s), "
     "not 51"),
    (GOOD + "    addition: added\n",
     "FILE:10: stretch 'alpha', field 'addition': must be true or false"),
    (GOOD + "    cuation: [Mind the knee]\n",
     "FILE:10: stretch 'alpha', field 'cuation': unknown field (did you mean 'caution"),
    # The words for each side: named by a limb, and the same limb everywhere.
    (GOOD.replace('side_word: "{side} leg"', 'side_word: "{side} side"'),
     "FILE:8: stretch 'alpha', field 'side_word': name the side by a limb ('{side} knee'), "
     "not '{side} side'"),
    (GOOD.replace('side_word: "{side} leg"', 'side_word: "{other} leg"'),
     "FILE:8: stretch 'alpha', field 'side_word': must name the side done, with {side}"),
    (GOOD.replace('side_word: "{side} leg"', 'side_word: "{side} arm"'),
     "FILE:7: stretch 'alpha', field 'side_means': must contain the side word ('right arm')"),
    (GOOD.replace('side_word: "{side} leg"', 'side_word: "{side} leg back"'),
     "FILE:8: stretch 'alpha', field 'side_word': 'right leg back' is longer than 11"),
    (GOOD + '    side_switch: "Change over."\n',
     "FILE:10: stretch 'alpha', field 'side_switch': must say which side"),
    (GOOD + '    side_switch: "Turn to your {other} side."\n',
     "FILE:10: stretch 'alpha', field 'side_switch': name the side by a limb"),
    (GOOD + '    say_setup: "Stand tall."\n',
     "FILE:10: stretch 'alpha', field 'say_setup': must say the side once, with {means}"),
    (GOOD + '    feel: "Feel it in the right hip."\n',
     "FILE:10: stretch 'alpha', field 'feel': must not say left or right itself"),
    (GOOD + "    kind: bounce\n",
     "FILE:10: stretch 'alpha', field 'kind': must be one of hold, flow, movement"),
    (GOOD + "    kind: movement\n    continuous: true\n",
     "FILE:11: stretch 'alpha', field 'continuous': continuous: true is kind: flow"),
    (GOOD + '    say_tempo: "Up, and down."\n',
     "FILE:10: stretch 'alpha', field 'say_tempo': only for a movement"),
    (GOOD + "    gentle: {name: Easy, say: Easier.}\n",
     "FILE:10: stretch 'alpha', field 'gentle': needs its 'cue'"),
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

def test_an_older_catalogue_without_side_words_names_the_limb_after_the_side(write_yaml):
    older = GOOD.replace('    side_word: "{side} leg"\n', "")
    alpha = datafiles.load_catalogue(write_yaml(older)).find("alpha")
    assert alpha.side_word_of("right") == "right leg"
    lying = older.replace('"{side} leg back"', '"lie on your {other} side"')
    alone = datafiles.load_catalogue(write_yaml(lying)).find("alpha")
    assert alone.side_word_of("left") == "left"  # no limb to name: the side alone


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
    loaded = datafiles.load_catalogue(path, cache_dir=folder)
    assert loaded.find("alpha").side_means == "{side} leg back"


def _yaml_block(after: str) -> str:
    return README.split(after, 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_readmes_example_catalogue_and_routine_load(write_yaml, cat):
    mine = datafiles.load_catalogue(write_yaml(_yaml_block("## Your own catalogue")))
    doorway = mine.find("doorway")
    assert doorway.side_text("right") == "right arm on the frame, right foot forward"
    assert (doorway.side_word_of("left"), doorway.setup, doorway.setup_most) == \
        ("left arm", 10, 20)
    example = write_yaml(_yaml_block("### Your own routines"), "routines.yaml")
    (name, routine), = routines_schema.parse(example, cat).items()
    assert name not in yaml.safe_load(Path(datafiles.bundled_path("routines.yaml")).read_text())[
        "routines"]  # an example should not replace a built-in by accident
    assert (routine.items[1].setup, routine.items[1].switch) == (30, 20)


def test_a_choice_of_equipment_is_left_out_when_one_of_its_own_is_needed(cat):
    """The gentle routine's side-sitting needs a chair, so its chair-or-wall
    variants need nothing more: the card says "a chair" once."""
    from psoas_cli.model.catalogue import equipment

    gentle = [cat.find("side-sitting"), cat.find("standing").in_variant(), cat.find("supine")]
    assert equipment(gentle) == ["chair", "mat"]
    assert equipment([cat.find("half-kneeling").in_variant()]) == ["mat", "chair or wall"]
