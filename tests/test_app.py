"""The App hands the keyboard what its callers ask for."""

from __future__ import annotations

import io

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
