"""Programs as data: the built-in file, and a programs.yaml with every kind of error."""

from __future__ import annotations

import pytest

from psoas_cli.errors import ProgramError
from psoas_cli.files import datafiles, programs_schema
from psoas_cli.model import programs as model
from psoas_cli.practice.session import focus_of


@pytest.fixture(scope="module")
def world():
    catalogue = datafiles.load_catalogue()
    routines = datafiles.load_routines(catalogue)
    return catalogue, routines


@pytest.fixture(scope="module")
def builtin(world):
    return datafiles.load_programs(*world)


def test_the_built_in_programs(builtin):
    assert list(builtin) == ["hips", "desk"] and not builtin.unavailable
    hips, desk = builtin["hips"], builtin["desk"]
    assert (len(hips.weeks), len(desk.weeks)) == (6, 3)
    assert [w.hold for w in hips.weeks] == [30, 30, 45, 45, 60, 60]
    assert [w.hold for w in desk.weeks] == [40, 50, 60]  # two holds: 2 x 20, 25, 30
    assert [n for n, w in enumerate(hips.weeks, 1) if w.test] == [1, 3, 5] and hips.final_test
    assert all(w.days.count("rest") == 1 for w in hips.weeks + desk.weeks)
    assert hips.remind == desk.remind == "desk"
    assert hips.letters() == {"desk": "D", "easy": "E", "strength": "S", "stretch": "T"}
    # no built-in hold a side is over 60 s, and the first two weeks are gentle
    assert max(w.hold for w in hips.weeks) == 60
    assert [w.level for w in hips.weeks[:2]] == ["gentle", "gentle"]


def test_every_variation_has_a_home_in_the_routines_the_program_plays(builtin, world):
    """A routine change that would hide a variation fails here."""
    catalogue, routines = world
    for program in builtin.values():
        for variation in program.variations:
            stretch = catalogue.find(variation.stretch)
            assert stretch.addition and variation.from_week >= 3, variation
            if variation.instead_of:
                assert any(variation.instead_of in {i.stretch.slug for i in
                                                    routines[kind.routine].items
                                                    if not i.optional}
                           for kind in program.sessions), variation
                if not stretch.movement:
                    assert stretch.unlocks_after == variation.instead_of, variation
            else:
                for key in variation.add_to:
                    routine = routines[program.session(key).routine]
                    assert variation.after in {i.stretch.slug for i in routine.items}, variation


def test_the_focus_stretches_name_the_hip_they_stretch(builtin, world):
    catalogue, _ = world
    for program in builtin.values():
        for slug in focus_of(program):
            stretch = catalogue.find(slug)
            assert stretch.each_side and not stretch.movement and not stretch.continuous
            assert stretch.figure.worked == ("near leg",), slug
            assert "pigeon" not in program.focus


def test_the_cache_gives_back_the_same_programs(world, tmp_path):
    fresh = datafiles.load_programs(*world)
    datafiles.load_programs(*world, cache_dir=str(tmp_path))
    cached = datafiles.load_programs(*world, cache_dir=str(tmp_path))
    assert cached == fresh and cached["hips"] == fresh["hips"]


def test_find_by_name_or_prefix(builtin):
    assert model.find(builtin, "hips").name == "hips"
    assert model.find(builtin, "HI").name == "hips"
    with pytest.raises(Exception, match="no program called 'hipz'; did you mean hips"):
        model.find(builtin, "hipz")


GOOD = """\
version: 1
programs:
  mine:
    title: My program
    description: Two weeks of desk breaks and one longer day.
    sessions:
      desk: {routine: desk, label: desk break}
      long: {routine: cooldown, label: longer session}
    remind: desk
    focus: [standing, half-kneeling]
    weeks:
      - days: [desk, desk, long, desk, desk, long, rest]
        hold: 30
        level: gentle
        test: true
      - days: [desk, desk, long, desk, desk, long, rest]
        hold: 45
      - days: [desk, desk, long, desk, desk, long, rest]
        hold: 45
    final_test: true
    deload:
      days: [desk, rest, desk, rest, desk, rest, rest]
    variations:
      - {stretch: standing-reach, instead_of: standing, from_week: 3}
"""


def load(world, tmp_path, text: str):
    path = tmp_path / "programs.yaml"
    path.write_text(text, encoding="utf-8")
    return programs_schema.parse(str(path), *world)


def error(world, tmp_path, text: str) -> str:
    with pytest.raises(ProgramError) as caught:
        load(world, tmp_path, text)
    return str(caught.value).replace(str(tmp_path / "programs.yaml"), "FILE")


MORE_WEEKS = "      - {days: [desk, desk, desk, desk, desk, desk, rest], hold: 30}\n"


def test_a_good_file(world, tmp_path):
    (mine,) = load(world, tmp_path, GOOD).values()
    assert mine.deload.level == "gentle" and mine.deload.hold is None
    assert mine.step_down(45) == 30 and mine.step_down(30) == 30


@pytest.mark.parametrize("change, said", [
    (lambda t: "", "FILE: the file is empty; it needs a 'programs:' mapping"),
    (lambda t: "- a\n- b\n", "FILE:1: each programs file must be a mapping of fields"),
    (lambda t: t.replace("programs:", "programmes:"),
     "FILE:2: field 'programmes': unknown field (did you mean 'programs'?)"),
    (lambda t: t.replace("version: 1", "version: 2"),
     "FILE:1: field 'version': this psoas reads programs version 1, not 2"),
    (lambda t: t.replace("  mine:", "  My_Program:"),
     "FILE:3: program 'My_Program': a program name is lowercase letters, digits and "
     "hyphens"),
    (lambda t: t.replace("  mine:", "  next:"),
     "FILE:3: program 'next': 'next' is taken by 'psoas program next'; call the program "
     "something else"),
    (lambda t: t.replace("    title: My program\n", ""),
     "FILE:4: program 'mine', field 'title': missing"),
    (lambda t: t.replace("    sessions:", "    sessionz:"),
     "FILE:6: program 'mine', field 'sessionz': unknown field (did you mean 'sessions'?)"),
    (lambda t: t.split("    weeks:\n")[0] + "    weeks: []\n",
     "FILE:11: program 'mine', field 'weeks': must be a non-empty list of weeks"),
    (lambda t: t.replace("title: My program", "title: " + "x" * 61),
     "FILE:4: program 'mine', field 'title': must be at most 60 characters, not 61"),
    (lambda t: t.replace("label: desk break", "label: " + "d" * 31),
     "FILE:7: program 'mine', field 'label': must be at most 30 characters, not 31"),
    (lambda t: t.replace("      desk: {routine", "      rest: {routine"),
     "FILE:7: program 'mine', field 'sessions': 'rest' is the day without a session"),
    (lambda t: t.replace("routine: cooldown", "routine: cooldwon"),
     "FILE:8: program 'mine', field 'sessions': session 'long': no routine called "
     "'cooldwon'; did you mean cooldown?"),
    (lambda t: t.replace(", label: desk break", ""),
     "FILE:7: program 'mine', field 'label': missing"),
    (lambda t: t.replace("remind: desk", "remind: desks"),
     "FILE:9: program 'mine', field 'remind': 'desks' is not one of this program's sessions"),
    (lambda t: t.replace("focus: [standing, half-kneeling]", "focus: [standnig]"),
     "FILE:10: program 'mine', field 'focus': no stretch called 'standnig'"),
    (lambda t: t.replace("focus: [standing, half-kneeling]", "focus: [cobra]"),
     "FILE:10: program 'mine', field 'focus': 'cobra' can't be in focus: is not done on "
     "each side"),
    (lambda t: t.replace("focus: [standing, half-kneeling]", "focus: [dead-bug]"),
     "FILE:10: program 'mine', field 'focus': 'dead-bug' can't be in focus: is a movement"),
    (lambda t: t.replace("focus: [standing, half-kneeling]", "focus: [foam-roller]"),
     "FILE:10: program 'mine', field 'focus': 'foam-roller' can't be in focus: is not done "
     "on each side"),
    (lambda t: t.replace("focus: [standing, half-kneeling]", "focus: [pigeon]"),
     "FILE:10: program 'mine', field 'focus': 'pigeon' can't be in focus: its side word "
     "names the front shin, not the hip it stretches"),
    (lambda t: t.replace("      - days: [desk, desk, long, desk, desk, long, rest]\n"
                         "        hold: 45\n", "", 1).replace(
        "    weeks:\n", "    weeks:\n" + MORE_WEEKS * 12),
     "FILE:12: program 'mine', field 'weeks': 14 weeks; a program has at most 12"),
    (lambda t: t.replace("[desk, desk, long, desk, desk, long, rest]\n        hold: 45",
                         "[desk, desk, long, desk, desk, long]\n        hold: 45", 1),
     "FILE:16: program 'mine', field 'weeks': week 2 has 6 days, not 7"),
    (lambda t: t.replace("[desk, desk, long, desk, desk, long, rest]\n        hold: 45",
                         "[desk, desk, long, desk, desk, long, rest, rest]\n        hold: 45", 1),
     "FILE:16: program 'mine', field 'weeks': week 2 has 8 days, not 7"),
    (lambda t: t.replace("[desk, desk, long, desk, desk, long, rest]\n        hold: 45",
                         "[desk, desk, lng, desk, desk, long, rest]\n        hold: 45", 1),
     "FILE:16: program 'mine', field 'weeks': week 2: 'lng' is not a session of this "
     "program; did you mean 'long'?"),
    (lambda t: t.replace("[desk, desk, long, desk, desk, long, rest]\n        hold: 45",
                         "[rest, rest, rest, rest, rest, rest, rest]\n        hold: 45", 1),
     "FILE:16: program 'mine', field 'weeks': week 2 is all rest"),
    (lambda t: t.replace("hold: 30", "hold: 30.5"),
     "FILE:13: program 'mine', field 'weeks': week 1, hold: must be a whole number"),
    (lambda t: t.replace("hold: 30", "hold: 5"),
     "FILE:13: program 'mine', field 'weeks': week 1, hold: must be at least 10, not 5"),
    (lambda t: t.replace("hold: 30", "hold: 121"),
     "FILE:13: program 'mine', field 'weeks': week 1, hold: must be at most 120, not 121"),
    (lambda t: t.replace("level: gentle", "level: easy"),
     "FILE:14: program 'mine', field 'weeks': week 1, level: must be one of gentle, "
     "standard, deep, not 'easy'"),
    (lambda t: t.replace("test: true", "tset: true", 1),
     "FILE:15: program 'mine', field 'weeks': week 1, tset: unknown field (did you mean "
     "'test'?)"),
    (lambda t: t.replace("days: [desk, rest, desk, rest, desk, rest, rest]",
                         "days: [desk, rest]"),
     "FILE:22: program 'mine', field 'deload': the easier week has 2 days, not 7"),
    (lambda t: t.replace("stretch: standing-reach", "stretch: standing-raech"),
     "FILE:24: program 'mine', field 'variations': no stretch called 'standing-raech'"),
    (lambda t: t.replace("instead_of: standing, ", ""),
     "FILE:24: program 'mine', field 'variations': variation 1: give either instead_of"),
    (lambda t: t.replace("instead_of: standing, ", "instead_of: standing, add_to: [desk], "),
     "FILE:24: program 'mine', field 'variations': variation 1: give either instead_of"),
    (lambda t: t.replace("instead_of: standing, ", "instead_of: standing, after: standing, "),
     "FILE:24: program 'mine', field 'variations': variation 1: after goes with add_to"),
    (lambda t: t.replace("from_week: 3", "from_week: 2"),
     "FILE:24: program 'mine', field 'variations': variation 1: from_week 2: variations "
     "unlock after two full weeks at the earliest (week 3)"),
    (lambda t: t.replace("from_week: 3", "from_week: 4"),
     "FILE:24: program 'mine', field 'variations': variation 1: from_week 4 is past the "
     "program's last week (3)"),
    (lambda t: t + "      - {stretch: standing-reach, instead_of: standing, from_week: 3}\n",
     "FILE:25: program 'mine', field 'variations': variation 2: 'standing-reach' is listed "
     "twice"),
    (lambda t: t + "      - {stretch: half-kneeling-reach, instead_of: standing, "
                   "from_week: 3}\n",
     "FILE:25: program 'mine', field 'variations': variation 2: 'standing-reach' already "
     "replaces 'standing'"),
    (lambda t: t + "      - {stretch: dead-bug, add_to: [morning], from_week: 3}\n",
     "FILE:25: program 'mine', field 'variations': variation 2: add_to: 'morning' is not "
     "one of this program's sessions"),
    (lambda t: t + "      - {stretch: couch-stretch, instead_of: seated, from_week: 3}\n",
     "FILE:25: program 'mine', field 'variations': variation 2: no routine of this program "
     "(cooldown or desk) plays 'seated', so 'couch-stretch' would never be played"),
    (lambda t: t + "      - {stretch: couch-stretch, instead_of: figure-four, "
                   "from_week: 3}\n", None),
    (lambda t: t + "      - {stretch: thomas-stretch, instead_of: constructive-rest, "
                   "from_week: 3}\n",
     "FILE:25: program 'mine', field 'variations': variation 2: 'thomas-stretch' is done on "
     "each side, 'constructive-rest' on both at once: a stretch can only replace one done "
     "on the same sides"),
    (lambda t: t.replace("  mine:", "  123:"), None),  # read as the name '123'
    (lambda t: t.replace("  mine:", "  true:"),
     "FILE:3: program 'true': a program name is lowercase letters"),
])
def test_every_kind_of_error_is_one_line_naming_file_line_program_and_field(
        world, tmp_path, change, said):
    text = change(GOOD)
    if said is None:
        load(world, tmp_path, text)
        return
    message = error(world, tmp_path, text)
    assert message.startswith(said), message
    assert "\n" not in message and len(message.replace("FILE", "x" * 40)) < 400


def test_a_built_in_program_the_routines_in_use_cant_play_is_unavailable(world, tmp_path):
    catalogue, _ = world
    own = tmp_path / "routines.yaml"
    own.write_text("routines:\n  desk:\n    items: [seated]\n", encoding="utf-8")
    routines = datafiles.load_routines(catalogue, home=str(tmp_path))
    found = datafiles.load_programs(catalogue, routines, home=str(tmp_path))
    assert "desk" not in found and "hips" in found  # hips still stands in other routines
    assert found.unavailable["desk"].startswith("doesn't fit the stretches and routines in "
                                                "use: variation 1: no routine of this program")
    with pytest.raises(Exception, match="the built-in program 'desk' doesn't fit"):
        model.find(found, "desk")


def test_a_users_program_is_listed_as_theirs_and_replaces_a_built_in_one(world, tmp_path):
    (tmp_path / "programs.yaml").write_text(GOOD.replace("  mine:", "  desk:"),
                                            encoding="utf-8")
    found = datafiles.load_programs(*world, home=str(tmp_path))
    assert found["desk"].own and found["desk"].title == "My program"
    assert not found["hips"].own


def test_a_broken_users_file_is_left_out_with_a_warning_when_lenient(world, tmp_path):
    (tmp_path / "programs.yaml").write_text("programs: [1]\n", encoding="utf-8")
    said = []
    found = datafiles.load_programs(*world, home=str(tmp_path), broken=said.append)
    assert list(found) == ["hips", "desk"] and "must map program names" in str(said[0])
    with pytest.raises(ProgramError):
        datafiles.load_programs(*world, home=str(tmp_path))
