"""config.toml: read strictly in one line per mistake, written without losing comments."""

from __future__ import annotations

import sys

import pytest

from psoas_cli.errors import ConfigError, SettingError
from psoas_cli.files import config
from psoas_cli.files.config import KEYS

GOOD = """\
# my settings
sound = "voice"   # the neighbours are out
level = 'gentle'
wait = true
minutes = 7.5
setup = 12
"""


def test_a_good_file_reads_into_checked_values():
    assert config.parse(GOOD, "config.toml") == {
        "sound": "voice", "level": "gentle", "wait": True, "minutes": 7.5, "setup": 12}


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is new in 3.11")
def test_tomllib_reads_the_same_files():
    """What psoas writes, any TOML reader reads as psoas does."""
    import tomllib

    written = config.with_value(config.with_value("", "sound", "bell"), "minutes", 2.5)
    for text in (GOOD, written):
        assert tomllib.loads(text) == config.parse(text, "config.toml")
    for value in ('a\u00e9"b', "back\\slash", "tab\tand\nline", "\x01\x7f"):
        assert tomllib.loads(f"key = {config.literal(value)}") == {"key": value}


@pytest.mark.parametrize("text, settings", [
    ("minutes = 1_0\n", {"minutes": 10}),  # TOML's own numbers, as tomllib reads them
    ("minutes = +1_0.5e0  # ten and a half\n", {"minutes": 10.5}),
    ("minutes = 0x0A\n", {"minutes": 10}),
    ('"sound" = \'voice\'\r\nwait = false\r\n', {"sound": "voice", "wait": False}),
    ('sound = """voice"""\n', {"sound": "voice"}),
    ('\ufeffsound = "bell"\nwait = true\n', {"sound": "bell", "wait": True}),  # a BOM first
    ("", {}),
])
def test_any_valid_toml_reads(text, settings):
    assert config.parse(text, "config.toml") == settings


@pytest.mark.parametrize("text, message", [
    # An unknown key is named at its line, however it is written.
    ('sound = "bell"\n\n"sond" = 1\n', "config.toml:3: key 'sond': unknown (did you mean "
                                         "'sound'?)"),
    ("wait = true\n\n[psoas]\nsound = 'bell'\n", "config.toml:3: psoas's settings are plain "
                                                 "'key = value' lines, without [tables]"),
    ("sound.loud = true\n", "config.toml:1: psoas's settings are plain 'key = value' lines, "
                            "without [tables]"),
    ("minutes = 01\n", "config.toml:1: key 'minutes': '01' is not a number, true or false, or "
                       "text in quotes"),
    ("minutes = 10 min\n", "config.toml:1: key 'minutes': has more after its value; put a "
                           "comment after '#'"),
    ("wait = True\n", "config.toml:1: key 'wait': write true in lower case"),
    ("sound =\n", "config.toml:1: key 'sound': has no value"),
    ('sound = "a\\qb"\n', "config.toml:1: key 'sound': text has an unknown escape '\\q'"),
    ("wait = true\nlevel = 'deep\n", "config.toml:2: key 'level': text has no closing quote"),
    ('sound = """bell\nwait = true\n', "config.toml:1: key 'sound': text has no closing quote"),
    ("minutes = [10,\n", "config.toml:1: key 'minutes': write one value: a number, true or "
                         "false, or text in quotes"),
    ("minutes = [10]\n", "config.toml:1: key 'minutes': must be a number, not a list"),
    ("sound = 1979-05-27\n", "config.toml:1: key 'sound': must be bell, voice, both or none, "
                             "not date"),
])
def test_toml_mistakes_are_one_line_naming_the_line(text, message):
    with pytest.raises(ConfigError) as caught:
        config.parse(text, "config.toml")
    assert str(caught.value) == message


def test_minutes_1_0_in_the_config_file_is_ten_minutes(run, clean_env):
    clean_env.mkdir(parents=True)
    (clean_env / "config.toml").write_text("minutes = 1_0  # an hour is too long\n")
    assert run("config", "get", "minutes").output == "10\n"
    assert run("config", "set", "minutes", "12").exit_code == 0
    assert (clean_env / "config.toml").read_text() == "minutes = 12  # an hour is too long\n"


def test_the_writer_keeps_comments_after_any_toml_value():
    text = 'minutes = 1_0  # ten\nsound = "a # b"  # not that one\n'
    assert config.with_value(text, "minutes", 12) == (
        'minutes = 12  # ten\nsound = "a # b"  # not that one\n')
    assert config.with_value(text, "sound", "none") == (
        'minutes = 1_0  # ten\nsound = "none"  # not that one\n')


def test_the_writer_keeps_a_bom_and_finds_the_key_after_it():
    text = '\ufeffsound = "bell"\n'
    assert config.key_of(text) == "sound"
    assert config.with_value(text, "sound", "voice") == '\ufeffsound = "voice"\n'
    assert config.without(text, "sound") == ""


@pytest.mark.parametrize("text, message", [
    ('sound = "loud"\n', "config.toml:1: key 'sound': must be bell, voice, both or none, "
                         "not 'loud'"),
    ("sound = voice\n", "config.toml:1: key 'sound': write text in double quotes: \"voice\""),
    ("\n\nsond = \"bell\"\n", "config.toml:3: key 'sond': unknown (did you mean 'sound'?)"),
    ("minutes = 0\n", "config.toml:1: key 'minutes': must be more than 0 and at most 240, "
                      "not 0"),
    ("minutes = \"10\"\n", "config.toml:1: key 'minutes': must be a number, not '10'"),
    ("setup = -1\n", "config.toml:1: key 'setup': must be from 0 to 600, not -1"),
    ("wait = 1\n", "config.toml:1: key 'wait': must be true or false, not 1"),
    ("wait = true\nwait = false\n", "config.toml:2: key 'wait': set twice; keep one"),
    ("[psoas]\n", "config.toml:1: psoas's settings are plain 'key = value' lines, without "
                  "[tables]"),
    ("sound\n", "config.toml:1: expected 'key = value'"),
    ('sound = "bell" extra\n', "config.toml:1: key 'sound': has more after its value; put a "
                               "comment after '#'"),
    ('sound = "bell\n', "config.toml:1: key 'sound': text has no closing quote"),
])
def test_every_mistake_is_one_line_naming_the_file_and_key(text, message):
    with pytest.raises(ConfigError) as caught:
        config.parse(text, "config.toml")
    assert str(caught.value) == message


def test_a_missing_file_or_folder_is_no_settings(tmp_path):
    assert config.read(str(tmp_path / "config.toml")) == {}
    (tmp_path / "file").write_text("")
    assert config.read(str(tmp_path / "file" / "config.toml")) == {}


def test_setting_a_value_changes_its_line_and_keeps_the_rest():
    new = config.with_value(GOOD, "sound", "bell")
    assert new == GOOD.replace('sound = "voice"   # the neighbours are out',
                               'sound = "bell"  # the neighbours are out')
    added = config.with_value(GOOD, "sound", "none").rstrip("\n") + "\n"
    assert config.parse(added, "c")["sound"] == "none"
    no_end = config.without(GOOD, "setup").rstrip("\n")  # a last line with no line break
    assert config.with_value(no_end, "setup", 0).endswith("minutes = 7.5\nsetup = 0\n")


def test_a_new_file_explains_itself():
    text = config.with_value("", "wait", True)
    assert text.startswith("# psoas settings.") and text.endswith("\nwait = true\n")
    assert config.parse(text, "c") == {"wait": True}


def test_unsetting_removes_only_that_key():
    assert config.without(GOOD, "level") == GOOD.replace("level = 'gentle'\n", "")
    assert config.without(GOOD, "nothing") == GOOD


@pytest.mark.parametrize("key, typed, value", [
    ("sound", "Voice", "voice"), ("wait", "yes", True), ("wait", "off", False),
    ("minutes", "10", 10), ("minutes", "2.5", 2.5), ("setup", "0", 0)])
def test_values_typed_on_the_command_line(key, typed, value):
    assert KEYS[key].parse(typed) == value


@pytest.mark.parametrize("key, typed, message", [
    ("wait", "maybe", "must be true or false, not 'maybe'"),
    ("minutes", "ten", "must be a number, not 'ten'"),
    ("minutes", "nan", "must be more than 0 and at most 240, not nan"),
    ("level", "hard", "must be gentle, standard or deep, not 'hard'")])
def test_bad_values_typed_on_the_command_line(key, typed, message):
    with pytest.raises(ValueError, match=message):
        KEYS[key].parse(typed)


def test_each_key_has_its_environment_variable():
    assert [key.env for key in KEYS.values()] == [
        "PSOAS_SOUND", "PSOAS_LEVEL", "PSOAS_WAIT", "PSOAS_START_WAIT", "PSOAS_MINUTES",
        "PSOAS_SETUP", "PSOAS_IDLE", "PSOAS_REST_DAYS", "PSOAS_CHECKIN", "PSOAS_CHECKIN_SIDES",
        "PSOAS_SYNC_DIR", "PSOAS_FIGURE_STYLE"]
    assert config.from_env({"PSOAS_LEVEL": "deep", "PSOAS_WAIT": "1"}) == {
        "level": ("PSOAS_LEVEL", "deep"), "wait": ("PSOAS_WAIT", True)}
    with pytest.raises(SettingError, match="PSOAS_SOUND=loud: must be bell, voice, both or none"):
        config.from_env({"PSOAS_SOUND": "loud"})
