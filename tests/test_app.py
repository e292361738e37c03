"""The App hands the keyboard what its callers ask for, and wraps its warnings."""

from __future__ import annotations

import io

import pytest

from psoas_cli.cli import app as app_module
from psoas_cli.cli.app import App
from psoas_cli.ui import keys


def test_the_keyboard_gets_the_callers_keymap_and_hooks(monkeypatch):
    made = {}

    class Recording:
        def __init__(self, stdin, **kwargs):
            made.update(kwargs)

    monkeypatch.setattr(keys, "Keyboard", Recording)
    monkeypatch.setattr(app_module, "keys_available", lambda: True)
    keymap = {b"s": "snooze"}
    suspend = lambda: None  # noqa: E731
    App(stdin=io.StringIO()).keyboard(keymap=keymap, on_suspend=suspend)
    assert made["keymap"] is keymap and made["on_suspend"] is suspend


@pytest.mark.parametrize("columns, message, said", [
    ("80", "desktop notifications failed: notify-send: Cannot autolaunch D-Bus without X11 "
           "$DISPLAY",
     "psoas: desktop notifications failed: notify-send: Cannot autolaunch D-Bus\n"
     "  without X11 $DISPLAY\n"),
    ("80", "'desk' at the deep level can last from 0:55 to 3:50, not 5 minutes; playing 3:50",
     "psoas: 'desk' at the deep level can last from 0:55 to 3:50, not 5 minutes;\n"
     "  playing 3:50\n"),
    ("40", "this session is kept in /home/someone/.config/psoas/history-pending.jsonl, to "
           "be written to the history when it can be",
     "psoas: this session is kept in\n"
     "  /home/someone/.config/psoas/history-pending.jsonl,\n"  # a path stays whole
     "  to be written to the history when it\n  can be\n"),
    ("80", "short", "psoas: short\n"),
])
def test_a_warning_wraps_at_the_width_keeping_a_path_whole(columns, message, said):
    stderr = io.StringIO()
    App(env={"COLUMNS": columns}, stderr=stderr).warn(message)
    assert stderr.getvalue() == said
