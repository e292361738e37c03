"""The core stays plain Python: only the CLI and the renderers touch Click and Rich."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = ["catalogue", "catalogue_yaml", "routines", "timeline", "engine", "events", "history",
        "recorder", "keys", "sound", "lines", "cache", "yamlfile", "errors", "bigtext",
        "terminal"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_neither_click_nor_rich(module):
    code = (f"import sys, psoas_cli.{module}\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'click', 'rich'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
