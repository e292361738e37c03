"""The catalogue: the article's facts, the loader's errors, and name lookup."""

from __future__ import annotations

import re

import pytest

from psoas_cli.errors import AmbiguousName, CatalogueError, UnknownName
from psoas_cli.files import datafiles
from psoas_cli.model.catalogue import Range


@pytest.fixture(scope="module")
def bundled():
    return datafiles.load_catalogue()


ARTICLE_ORDER = [
    ("half-kneeling", "Half-kneeling hip flexor stretch"),
    ("standing", "Standing psoas stretch"),
    ("low-lunge", "Low lunge with quad stretch"),
    ("supine", "Supine psoas stretch"),
    ("seated", "Seated psoas stretch"),
    ("side-lying", "Side-lying psoas stretch"),
    ("foam-roller", "Psoas release with foam roller"),
    ("glute-bridge", "Glute bridge"),
    ("camel", "Camel pose"),
    ("cobra", "Cobra pose"),
    ("pigeon", "Pigeon pose"),
]


def test_eleven_stretches_in_the_articles_order(bundled):
    article = [s for s in bundled if not s.addition]
    assert [(s.slug, s.name) for s in article] == ARTICLE_ORDER
    assert [s.number for s in article] == list(range(1, 12))


ADDITIONS = ["childs-pose", "constructive-rest", "figure-four", "side-sitting", "bridge-set",
             # issue 24: the deeper variations and strength moves a program unlocks
             "half-kneeling-reach", "standing-reach", "thomas-stretch", "couch-stretch",
             "single-leg-bridge", "dead-bug"]


def test_the_additions_come_after_the_eleven_and_say_so(bundled):
    added = [s for s in bundled if s.addition]
    assert [s.slug for s in added] == ADDITIONS
    assert [s.number for s in added] == list(range(12, 12 + len(ADDITIONS)))
    for stretch in added:
        shown = stretch.as_dict()
        assert shown["addition"] is True and shown["why"] == stretch.why, stretch.slug
        assert stretch.steps and stretch.cautions and stretch.figure is not None, stretch.slug
        if stretch.each_side:
            assert stretch.side_means, stretch.slug


def test_the_short_bridge_set_is_the_bridge_with_fewer_lifts(bundled):
    bridge, short = bundled.find("glute-bridge"), bundled.find("bridge-set")
    assert (short.hold, short.reps, short.position) == (bridge.hold, Range(8, 10),
                                                        bridge.position)
    assert short.cue == bridge.cue and short.figure == bridge.figure


def test_every_stretch_says_why_in_one_or_two_sentences(bundled):
    for stretch in bundled:
        sentences = re.findall(r"[.!?](?:\s|$)", stretch.why)
        assert 1 <= len(sentences) <= 2 and len(stretch.why.split()) <= 50, stretch.slug


def test_the_seated_stretch_says_honestly_what_it_stretches(bundled):
    seated = bundled.find("seated")
    assert "hamstrings" in seated.summary and "only a little" in seated.summary
    assert "opens the front of that hip" not in seated.summary
    assert seated.targets[0] == "hamstrings" and "choose it when" in seated.why.lower()


# slug: (hold seconds, reps, each side, continuous)
FACTS = {
    "half-kneeling": (Range(20, 30), Range(1, 1), True, False),
    "standing": (Range(20, 30), Range(1, 1), True, False),
    "low-lunge": (Range(20, 30), Range(1, 1), True, False),
    "supine": (Range(20, 30), Range(1, 1), True, False),
    "seated": (Range(20, 30), Range(1, 1), True, False),
    "side-lying": (Range(20, 30), Range(3, 3), True, False),
    "foam-roller": (Range(60, 120), Range(1, 1), False, True),
    "glute-bridge": (Range(5, 10), Range(15, 20), False, False),
    "camel": (Range(20, 30), Range(3, 3), False, False),
    "cobra": (Range(20, 30), Range(3, 5), False, False),
    "pigeon": (Range(20, 30), Range(3, 3), True, False),
}


@pytest.mark.parametrize("slug", list(FACTS))
def test_holds_reps_and_sides_follow_the_article(bundled, slug):
    stretch = bundled.find(slug)
    assert (stretch.hold, stretch.reps, stretch.each_side, stretch.continuous) == FACTS[slug]


def test_positions_and_equipment(bundled):
    assert bundled.find("seated").equipment == ("chair",)
    assert "foam roller" in bundled.find("foam-roller").equipment
    assert bundled.find("standing").equipment == ()
    assert bundled.find("standing").position == "standing"
    assert bundled.find("camel").position == "kneeling"
    assert bundled.find("cobra").position == "face-down"


def test_every_stretch_is_complete_and_side_neutral(bundled):
    for stretch in bundled:
        assert len(stretch.steps) >= 2, stretch.slug
        assert stretch.cue and stretch.summary and stretch.targets, stretch.slug
        text = " ".join(stretch.steps + (stretch.cue,)).lower()
        # The player cues either side, so steps must not name one.
        assert not re.search(r"\b(left|right)\b", text), stretch.slug


def test_yoga_poses_carry_their_sanskrit_names(bundled):
    assert "ustrasana" in bundled.find("camel").aliases
    assert "bhujangasana" in bundled.find("cobra").aliases
    assert "eka pada rajakapotasana" in bundled.find("pigeon").aliases


def test_catalogue_carries_a_caution(bundled):
    assert "medical" in bundled.caution and "physician" in bundled.caution


# -- name lookup ------------------------------------------------------------

@pytest.mark.parametrize("query, slug", [
    ("11", "pigeon"),
    ("8", "glute-bridge"),
    ("pigeon", "pigeon"),
    ("PIGEON", "pigeon"),
    ("Pigeon Pose", "pigeon"),
    ("pig", "pigeon"),
    ("glute", "glute-bridge"),
    ("ustrasana", "camel"),
    ("king pigeon", "pigeon"),
    ("low-lunge", "low-lunge"),
    ("low lunge", "low-lunge"),
    ("half kneeling", "half-kneeling"),
    ("foam", "foam-roller"),
    ("roller", "foam-roller"),
    ("lunge with quad", "low-lunge"),
    # a deeper form never takes a name from its basic (issue 24)
    ("stand", "standing"),
    ("glute", "glute-bridge"),
    ("bridge", "glute-bridge"),
    ("couch", "couch-stretch"),
    ("bed", "thomas-stretch"),
])
def test_find_resolves_what_users_type(bundled, query, slug):
    assert bundled.find(query).slug == slug


def test_the_two_reaches_are_asked_apart(bundled):
    with pytest.raises(AmbiguousName) as caught:
        bundled.find("reach and side bend")
    assert set(caught.value.candidates) == {"half-kneeling-reach", "standing-reach"}


def test_ambiguous_prefix_lists_the_candidates(bundled):
    with pytest.raises(AmbiguousName) as caught:
        bundled.find("s")
    assert {"standing", "supine", "seated", "side-lying"} <= set(caught.value.candidates)
    assert "be more specific" in str(caught.value)


@pytest.mark.parametrize("query, suggestion", [("pidgeon", "pigeon"), ("cobar", "cobra"),
                                               ("camle", "camel")])
def test_misspelling_suggests_the_closest(bundled, query, suggestion):
    with pytest.raises(UnknownName) as caught:
        bundled.find(query)
    assert caught.value.candidates[0] == suggestion
    assert f"did you mean {suggestion}" in str(caught.value)


def test_number_out_of_range(bundled):
    with pytest.raises(UnknownName, match=f"1 to {11 + len(ADDITIONS)}"):
        bundled.find("99")
    assert bundled.find("12").slug == "childs-pose"


@pytest.mark.parametrize("words, expected", [
    ({"position": "standing"}, ["standing", "standing-reach"]),
    ({"position": "back"}, ["supine", "glute-bridge", "constructive-rest", "figure-four",
                            "bridge-set", "thomas-stretch", "single-leg-bridge", "dead-bug"]),
    ({"position": "chair"}, ["seated", "side-sitting"]),
    ({"no_equipment": True}, ["standing", "standing-reach"]),
    ({"equipment": "foam"}, ["foam-roller"]),
    ({"equipment": "bed"}, ["thomas-stretch"]),
    ({"target": "quad", "position": "kneeling"}, ["low-lunge", "camel", "couch-stretch"]),
])
def test_filters(bundled, words, expected):
    assert [s.slug for s in bundled.filter(**words)] == expected


# -- loader errors ------------------------------------------------------------

GOOD = """\
stretches:
  - slug: alpha
    name: Alpha stretch
    position: standing
    hold: 20-30
    steps: [Stand tall]
"""


def test_a_minimal_catalogue_loads(write_yaml):
    loaded = datafiles.load_catalogue(write_yaml(GOOD))
    assert [s.slug for s in loaded] == ["alpha"]
    assert loaded.find("alpha").reps == Range(1, 1)
    assert not loaded.find("alpha").each_side


@pytest.mark.parametrize("text, expected", [
    ("stretches: [\n  - slug: a\n", "FILE:2: invalid YAML: while parsing a flow node"),
    ("", "FILE: the file is empty"),
    ("stretches: []\n", "FILE:1: field 'stretches': must be a non-empty list"),
    ("stretch: []\n", "FILE:1: field 'stretch': unknown field (did you mean 'stretches'?)"),
    (GOOD.replace("    hold: 20-30\n", ""), "FILE:2: stretch 'alpha', field 'hold': missing"),
    (GOOD.replace("hold:", "hodl:"),
     "FILE:5: stretch 'alpha', field 'hodl': unknown field (did you mean 'hold'?)"),
    (GOOD.replace("20-30", "30-20"),
     "FILE:5: stretch 'alpha', field 'hold': range is reversed (30-20)"),
    (GOOD.replace("20-30", "-5"), "FILE:5: stretch 'alpha', field 'hold': must be at least 1"),
    (GOOD.replace("20-30", "0"), "FILE:5: stretch 'alpha', field 'hold': must be at least 1"),
    (GOOD.replace("20-30", "[-5, 10]"), "FILE:5: stretch 'alpha', field 'hold': must be at least 1"),
    (GOOD.replace("20-30", "twenty"),
     "FILE:5: stretch 'alpha', field 'hold': must be a number or a range like 20-30"),
    (GOOD.replace("20-30", "true"), "FILE:5: stretch 'alpha', field 'hold': must be a number"),
    (GOOD + "    reps: 2.5\n", "FILE:7: stretch 'alpha', field 'reps': must be a whole number"),
    (GOOD.replace("standing", "upside down"),
     "FILE:4: stretch 'alpha', field 'position': must be one of standing, seated"),
    (GOOD.replace("[Stand tall]", "Stand tall"), None),  # one step as plain text is fine
    (GOOD.replace("[Stand tall]", "[]"), "FILE:6: stretch 'alpha', field 'steps': needs at least"),
    (GOOD.replace("[Stand tall]", "{a: 1}"), "FILE:6: stretch 'alpha', field 'steps': must be a list"),
    (GOOD.replace("name: Alpha stretch", "name: [1, 2]"),
     "FILE:3: stretch 'alpha', field 'name': must be non-empty text, not a list"),
    (GOOD.replace("slug: alpha", "slug: Alpha Stretch"),
     "FILE:2: stretch 'Alpha Stretch', field 'slug': must be lowercase letters"),
    (GOOD + GOOD.replace("stretches:\n", "").replace("Alpha stretch", "Other"),
     "FILE:7: stretch 'alpha', field 'slug': 'alpha' is already used by stretch #1 'alpha'"),
    (GOOD + "    hold: 10\n", "FILE:7: duplicate key 'hold'"),
    ("stretches:\n  - just text\n", "FILE:2: stretch '#1': each stretch must be a mapping"),
    ("version: 2\n" + GOOD, "FILE:1: field 'version': this psoas reads catalogue version 1"),
    ("stretches: !!python/object/apply:os.system ['echo hi']\n",
     "FILE:1: unsupported tag '!!python/object/apply:os.system'"),
])
def test_loader_errors_name_file_line_stretch_and_field(write_yaml, catalogue_error, text, expected):
    if expected is None:
        datafiles.load_catalogue(write_yaml(text))
        return
    assert catalogue_error(text).startswith(expected)


BETA = ("  - slug: beta\n    name: Beta\n    position: standing\n    hold: 30-45\n"
        "    steps: [Stand]\n")


@pytest.mark.parametrize("extra, expected", [
    ("    kind: movement\n", "FILE:12: stretch 'beta', field 'reps': missing; a movement says"),
    ("    kind: movement\n    reps: 6-10\n", None),
    ("    kind: flow\n", None),
    ("    kind: jump\n", "FILE:12: stretch 'beta', field 'kind': must be one of hold, flow, "
                        "movement"),
    ("    kind: hold\n    continuous: true\n",
     "FILE:13: stretch 'beta', field 'continuous': continuous: true is kind: flow, not hold"),
    ("    unlocks_after: alpha\n", None),
    ("    unlocks_after: alfa\n", "FILE:12: stretch 'beta', field 'unlocks_after': no stretch "
                                 "'alfa' in this catalogue; did you mean 'alpha'?"),
    ("    unlocks_after: beta\n",
     "FILE:12: stretch 'beta', field 'unlocks_after': a stretch can't deepen itself"),
    ("    unlocks_after: Alpha\n", "FILE:12: stretch 'beta', field 'unlocks_after': must be "
                                  "lowercase letters"),
    ("    sides: both\n    side_means: '{side} leg back'\n    unlocks_after: alpha\n",
     "FILE:14: stretch 'beta', field 'unlocks_after': 'beta' is done on each side, 'alpha' on "
     "both sides at once: a stretch can only deepen one done on the same sides"),
    # a movement may deepen a two-legged one: the single-leg bridge, the glute bridge
    ("    kind: movement\n    reps: 6\n    sides: both\n    side_means: '{side} foot down'\n"
     "    unlocks_after: alpha\n", None),
])
def test_kind_and_unlocks_after(write_yaml, catalogue_error, extra, expected):
    text = GOOD + BETA + extra
    if expected is None:
        beta = datafiles.load_catalogue(write_yaml(text)).find("beta")
        assert beta.as_dict()["kind"] == beta.kind
        return
    assert catalogue_error(text).startswith(expected)


def test_no_chains_of_deeper_stretches(catalogue_error):
    text = GOOD + BETA + "    unlocks_after: alpha\n" + BETA.replace("beta", "gamma").replace(
        "Beta", "Gamma") + "    unlocks_after: beta\n"
    assert catalogue_error(text).startswith(
        "FILE:18: stretch 'gamma', field 'unlocks_after': 'beta' deepens 'alpha' itself; name "
        "the basic stretch instead")


def test_the_deeper_variations_name_their_basics(bundled):
    assert {s.slug: s.unlocks_after for s in bundled if s.unlocks_after} == {
        "half-kneeling-reach": "half-kneeling", "standing-reach": "standing",
        "thomas-stretch": "supine", "couch-stretch": "low-lunge",
        "single-leg-bridge": "glute-bridge"}
    assert [s.slug for s in bundled if s.movement] == ["single-leg-bridge", "dead-bug"]
    assert [s.slug for s in bundled if s.continuous] == ["foam-roller"]
    assert bundled.find("couch-stretch").advanced  # never at the gentle level
    for stretch in bundled:
        if stretch.unlocks_after or stretch.slug == "dead-bug":
            assert stretch.addition and stretch.easier and stretch.cautions and stretch.why


def test_duplicate_slug_in_a_later_stretch(catalogue_error):
    second = GOOD.replace("stretches:\n", "").replace("Alpha stretch", "Another")
    message = catalogue_error(GOOD + second)
    assert "'alpha' is already used" in message


def test_alias_clashing_with_another_name(catalogue_error):
    text = GOOD + "  - slug: beta\n    name: Beta\n    aliases: [alpha stretch]\n" \
                  "    position: seated\n    hold: 5\n    steps: [Sit]\n"
    message = catalogue_error(text)
    assert message.startswith("FILE:9: stretch 'beta', field 'aliases': 'alpha stretch' "
                              "is already used by stretch #1 'alpha'")


def test_unsafe_tag_is_never_executed(write_yaml, tmp_path):
    marker = tmp_path / "pwned"
    text = f"stretches: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(CatalogueError):
        datafiles.load_catalogue(write_yaml(text))
    assert not marker.exists()


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(CatalogueError, match="no such file"):
        datafiles.load_catalogue(str(tmp_path / "nope.yaml"))
    with pytest.raises(CatalogueError, match="is a directory"):
        datafiles.load_catalogue(str(tmp_path))


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("stretches:\n  - name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(CatalogueError, match="not UTF-8"):
        datafiles.load_catalogue(str(path))


def test_bare_list_of_stretches_is_accepted(write_yaml):
    text = GOOD.replace("stretches:\n", "").replace("  - ", "- ").replace("\n    ", "\n  ")
    assert len(datafiles.load_catalogue(write_yaml(text))) == 1


# -- the cache of validated catalogues ------------------------------------------

def test_a_cached_catalogue_is_read_without_parsing_yaml(write_yaml, tmp_path, monkeypatch):
    from psoas_cli.files import catalogue_schema

    path = write_yaml(GOOD)
    first = datafiles.load_catalogue(path, cache_dir=str(tmp_path / "cache"))

    def no_parsing(path):
        raise AssertionError("parsed YAML although the cache was fresh")

    monkeypatch.setattr(catalogue_schema, "parse", no_parsing)
    second = datafiles.load_catalogue(path, cache_dir=str(tmp_path / "cache"))
    assert second.stretches == first.stretches and second.caution == first.caution
    assert second.find("alpha").hold == Range(20, 30)


def test_the_bundled_catalogue_round_trips_through_the_cache(tmp_path):
    fresh = datafiles.load_catalogue()
    datafiles.load_catalogue(cache_dir=str(tmp_path))
    cached = datafiles.load_catalogue(cache_dir=str(tmp_path))
    assert cached.stretches == fresh.stretches
    assert [s.name for s in cached if not s.addition] == [name for _, name in ARTICLE_ORDER]
    assert [s.slug for s in cached if s.addition] == ADDITIONS


def test_an_edited_file_is_parsed_again(write_yaml, tmp_path):
    import os

    path = write_yaml(GOOD)
    datafiles.load_catalogue(path, cache_dir=str(tmp_path / "cache"))
    write_yaml(GOOD.replace("20-30", "40-50"))
    os.utime(path, ns=(1, 1))  # even an edit within the same clock tick changes mtime here
    assert datafiles.load_catalogue(path, cache_dir=str(tmp_path / "cache")).find("alpha").hold == \
        Range(40, 50)


def test_an_edit_that_breaks_the_file_is_reported_not_hidden_by_the_cache(write_yaml, tmp_path):
    path = write_yaml(GOOD)
    datafiles.load_catalogue(path, cache_dir=str(tmp_path / "cache"))
    write_yaml(GOOD.replace("20-30", "30-20") + "\n")
    with pytest.raises(CatalogueError, match="range is reversed"):
        datafiles.load_catalogue(path, cache_dir=str(tmp_path / "cache"))


def test_a_damaged_cache_is_ignored(write_yaml, tmp_path):
    path = write_yaml(GOOD)
    cache = tmp_path / "cache"
    datafiles.load_catalogue(path, cache_dir=str(cache))
    for entry in cache.iterdir():
        entry.write_bytes(b"\x00garbage")
    assert datafiles.load_catalogue(path, cache_dir=str(cache)).find("alpha").name == "Alpha stretch"


def test_a_cache_folder_that_cannot_be_made_is_ignored(write_yaml, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    loaded = datafiles.load_catalogue(write_yaml(GOOD), cache_dir=str(blocker / "cache"))
    assert len(loaded) == 1


def test_the_suite_parses_the_builtin_files_once_and_any_other_each_time(write_yaml, tmp_path):
    # conftest.py's builtin_files_parsed_once, on which the fast lane's time
    # depends: if the files come to be read another way, it needs changing.
    from psoas_cli.files import routines_schema

    builtin = datafiles.load_catalogue()
    assert datafiles.load_catalogue() is builtin
    path = write_yaml(GOOD)
    assert datafiles.load_catalogue(path) is not datafiles.load_catalogue(path)
    routines = datafiles.bundled_path(datafiles.ROUTINES)
    first, second = ({}, {})
    parsed = routines_schema.parse(routines, builtin, unavailable=first)
    again = routines_schema.parse(routines, builtin, unavailable=second)
    assert parsed == again and first == second and parsed is not again
    once, twice = (datafiles.load_routines(builtin, home=str(tmp_path)) for _ in range(2))
    assert once["warmup"] is twice["warmup"]  # psoas's own reading goes through it too


@pytest.mark.slow  # two fresh Pythons
def test_a_warm_start_never_imports_yaml(tmp_path):
    from .fakes import fresh_run

    runs = [fresh_run(["list"], env={"PSOAS_HOME": str(tmp_path)}) for _ in range(2)]
    assert ["yaml" in loaded for loaded, _ in runs] == [True, False]  # cold, then warm
    assert runs[0][1] == runs[1][1] and "Pigeon pose" in runs[1][1]
