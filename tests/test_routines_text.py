"""Editing a routines.yaml as text: comments, layout and the other routines kept."""

from __future__ import annotations

import pytest

from psoas_cli.errors import EditError, RoutineError
from psoas_cli.files import datafiles, routines_edit, routines_schema, yamlfile

MINE = """\
# My routines. Keep this comment!
version: 1
routines:
  # Before work
  coffee:
    description: Five minutes before the first coffee.   # short
    level: gentle
    items:
      - standing
      # pigeon needs the floor
      - stretch: pigeon
        hold: 25

  evening:
    items: [supine, cobra]
# trailing comment at the end
"""


def read(text, cat):
    return routines_schema.from_document(yamlfile.parse(text, "mine.yaml", RoutineError), cat)


def test_the_layout_finds_each_routine_and_its_comments():
    shape = routines_edit.layout(MINE)
    assert [(e.name, e.heading + 1, e.start + 1, e.end) for e in shape.entries] == [
        ("coffee", 4, 5, 12), ("evening", 14, 14, 15)]
    assert shape.indent == "  "


def test_adding_keeps_every_comment_and_line(cat):
    block = routines_edit.render("lunch", ["seated", "standing"], description="At the desk",
                                 minutes=2.5, level="deep")
    new = routines_edit.add(MINE, block)
    assert new == MINE.replace("    items: [supine, cobra]\n", """\
    items: [supine, cobra]

  lunch:
    description: "At the desk"
    level: deep
    minutes: 2.5
    items:
      - seated
      - standing
""")
    routines = read(new, cat)
    assert list(routines) == ["coffee", "evening", "lunch"]
    assert routines["lunch"].minutes == 2.5 and routines["lunch"].level == "deep"
    routines_edit.checked(new, "mine.yaml", cat, read(MINE, cat), added="lunch")


def test_removing_takes_the_routine_and_its_heading_comment_only(cat):
    new = routines_edit.remove(MINE, "coffee")
    assert new == """\
# My routines. Keep this comment!
version: 1
routines:
  evening:
    items: [supine, cobra]
# trailing comment at the end
"""
    assert list(read(new, cat)) == ["evening"]
    last = routines_edit.remove(MINE, "evening")
    assert last.endswith("        hold: 25\n# trailing comment at the end\n")
    assert list(read(last, cat)) == ["coffee"]


def test_removing_the_last_routine_leaves_a_file_that_reads(cat):
    once = routines_edit.remove(MINE, "coffee")
    assert read(routines_edit.remove(once, "evening"), cat) == {}


def test_four_space_indents_and_quoted_names_are_followed(cat):
    text = 'routines:\n    "wide one":\n        items: [camel]\n    narrow:\n' \
           '        items: [cobra]\n'
    shape = routines_edit.layout(text)
    assert [e.name for e in shape.entries] == ["wide one", "narrow"]
    new = routines_edit.add(text, routines_edit.render("added", ["supine"], indent="    "))
    assert new.endswith('\n\n    added:\n        items:\n          - supine\n')
    assert routines_edit.remove(text, "narrow") == 'routines:\n    "wide one":\n' \
                                                     '        items: [camel]\n'


def test_a_new_file_starts_with_a_header_that_explains_it(cat):
    new = routines_edit.add("", routines_edit.render("mine", ["cobra"]))
    assert new.startswith("# Your own psoas routines")
    assert list(read(new, cat)) == ["mine"]


@pytest.mark.parametrize("text, message", [
    ("routines: {a: {items: [cobra]}}\n", r"one line \(flow style\)"),
    ("routines:\n  a:\n    items: [cobra]\n - b\n", "indented unevenly"),
    ("routines:\n  - a\n", "not a routine's name"),
])
def test_layouts_it_cannot_follow_are_refused(text, message):
    with pytest.raises(EditError, match=message):
        routines_edit.remove(text, "a")


def test_text_is_quoted_so_it_reads_back_as_typed(cat):
    tricky = 'He said "hi": #1 \\ back\ttab, café, 日本'
    new = routines_edit.add("", routines_edit.render("odd", ["cobra"], description=tricky))
    assert read(new, cat)["odd"].description == " ".join(tricky.split())


def test_an_edit_that_changes_another_routine_is_caught(cat):
    before = read(MINE, cat)
    wrong = MINE.replace("hold: 25", "hold: 26")
    with pytest.raises(EditError, match="change more than it should"):
        routines_edit.checked(wrong, "mine.yaml", cat, before)
    with pytest.raises(EditError, match="would not read back"):
        routines_edit.checked(MINE + "  bad:\n    items: [nope]\n", "mine.yaml", cat, before,
                              added="bad")


def test_a_builtin_routine_is_copied_with_its_comments():
    builtin = open(datafiles.bundled_path("routines.yaml"), encoding="utf-8").read()
    copied = routines_edit.block(builtin, "desk", "    ")
    assert copied.splitlines()[:2] == [
        "    desk:",
        "      # Standing only (standing > standing; the side-sitting extra is on the"]
    assert '      purpose: "Undo the sitting' in copied


# -- the fields fitting reads, validated like the rest ------------------------------------

@pytest.mark.parametrize("body, message", [
    ("    level: hard\n    items: [cobra]\n",
     "mine.yaml:3: routine 'a', field 'level': must be one of gentle, standard, deep, not 'hard'"),
    ("    level: deep\n    holds: high\n    items: [cobra]\n",
     "mine.yaml:4: routine 'a', field 'holds': say either level or the older holds/reps, "
     "not both"),
    ("    minutes: 0\n    items: [cobra]\n",
     "mine.yaml:3: routine 'a', field 'minutes': must be more than 0 and at most 240, not 0"),
    ("    leave_out: [camel]\n    items: [cobra, supine]\n",
     "mine.yaml:3: routine 'a', field 'leave_out': 'camel' is not one of this routine's "
     "stretches (optional ones are only ever added)"),
    ("    leave_out: [cobar]\n    items: [cobra]\n",
     "mine.yaml:3: routine 'a', field 'leave_out': no stretch called 'cobar'; did you mean "
     "cobra?"),
    ("    items:\n      - stretch: cobra\n        optional: yes please\n",
     "mine.yaml:5: routine 'a', field 'optional': must be true or false, not 'yes please'"),
    ("    items:\n      - stretch: cobra\n        optional: true\n",
     "mine.yaml:3: routine 'a', field 'items': every stretch is optional; at least one must "
     "always be played"),
    # issue 21's keys: purpose, closing; an item's dynamic, note and counter_to
    ("    purpose: [warm]\n    items: [cobra]\n",
     "mine.yaml:3: routine 'a', field 'purpose': must be non-empty text, not a list"),
    ("    closing: ''\n    items: [cobra]\n",
     "mine.yaml:3: routine 'a', field 'closing': must be non-empty text, not text"),
    ("    items:\n      - stretch: standing\n        dynamic: 0\n",
     "mine.yaml:5: routine 'a', field 'dynamic': must be at least 1, not 0"),
    ("    items:\n      - stretch: standing\n        dynamic: 2.5\n",
     "mine.yaml:5: routine 'a', field 'dynamic': must be a whole number, not 2.5"),
    ("    items:\n      - stretch: foam-roller\n        dynamic: 6\n",
     "mine.yaml:5: routine 'a', field 'dynamic': 'foam-roller' moves the whole time; rocking "
     "is for a held stretch"),
    ("    items:\n      - stretch: standing\n        note: 3\n",
     "mine.yaml:5: routine 'a', field 'note': must be non-empty text, not a number"),
    ("    items:\n      - stretch: camel\n      - stretch: childs-pose\n"
     "        counter_to: camle\n",
     "mine.yaml:6: routine 'a', field 'counter_to': no stretch called 'camle'; did you mean "
     "camel?"),
    ("    items:\n      - camel\n      - cobra\n      - stretch: childs-pose\n"
     "        counter_to: camel\n",
     "mine.yaml:7: routine 'a', field 'counter_to': 'childs-pose' counters 'camel', so it "
     "comes straight after it"),
    ("    items:\n      - stretch: childs-pose\n        counter_to: camel\n      - camel\n",
     "mine.yaml:5: routine 'a', field 'counter_to': 'childs-pose' counters 'camel', so it "
     "comes straight after it"),
    ("    items:\n      - supine\n      - stretch: camel\n        optional: true\n"
     "      - stretch: childs-pose\n        counter_to: camel\n",
     "mine.yaml:8: routine 'a', field 'counter_to': 'childs-pose' is played only with "
     "'camel': make both optional or neither"),
])
def test_bad_fitting_fields_are_one_line(cat, body, message):
    with pytest.raises(RoutineError) as caught:
        read("routines:\n  a:\n" + body, cat)
    assert str(caught.value) == message


def test_old_holds_and_reps_words_still_play_as_they_did(cat):
    old = read("routines:\n  a:\n    holds: high\n    items: [cobra]\n", cat)["a"]
    assert (old.level, old.holds, old.reps) == (None, "high", "low")  # a missing word: low
    new = read("routines:\n  a:\n    items: [cobra]\n", cat)["a"]
    assert (new.level, new.holds, new.reps) == (None, "mid", "mid")  # standard


def test_the_cache_keeps_the_fitting_fields(tmp_path, cat):
    path = tmp_path / "mine.yaml"
    path.write_text(MINE.replace("    items: [supine, cobra]\n", """\
    minutes: 3.5
    leave_out: [supine]
    items:
      - supine
      - stretch: camel
        optional: true
      - cobra
"""))
    load = lambda: datafiles.load_routines_file(  # noqa: E731
        str(path), cat, catalogue_path=datafiles.bundled_path("stretches.yaml"),
        cache_dir=str(tmp_path / "cache"))
    first, second = load(), load()
    assert any((tmp_path / "cache").iterdir())
    assert routines_edit.shape_of(first) == routines_edit.shape_of(second)
    evening = second["evening"]
    assert (evening.minutes, evening.leave_out) == (3.5, ("supine",))
    assert [i.optional for i in evening.items] == [False, True, False]
    assert second["coffee"].level == "gentle"


def test_the_cache_keeps_issue_21s_keys(tmp_path, cat):
    path = tmp_path / "mine.yaml"
    path.write_text("""\
routines:
  evening:
    purpose: Unwind the hips.
    closing: Lie still a while.
    items:
      - stretch: standing
        dynamic: 4
        note: Hold the door frame.
      - camel
      - stretch: childs-pose
        counter_to: ustrasana
""")
    load = lambda: datafiles.load_routines_file(  # noqa: E731
        str(path), cat, catalogue_path=datafiles.bundled_path("stretches.yaml"),
        cache_dir=str(tmp_path / "cache"))
    first, second = load(), load()
    assert routines_edit.shape_of(first) == routines_edit.shape_of(second)
    evening = second["evening"]
    assert (evening.purpose, evening.closing) == ("Unwind the hips.", "Lie still a while.")
    assert [(i.dynamic, i.note, i.counter_to) for i in evening.items] == [
        (4, "Hold the door frame.", ""), (0, "", ""), (0, "", "camel")]  # by its slug
