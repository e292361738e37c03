"""The layers hold: import-linter's contracts (pyproject.toml), no import cycle
at all, and the core stays plain Python when it runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "psoas_cli"
CORE = ("model", "play", "files", "history", "breaks")


def core_modules() -> list[str]:
    """Every module of the core packages and the leaves, found on disk."""
    found = [p.stem for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")]
    for package in CORE:
        found += [f"{package}.{p.stem}" for p in (PACKAGE / package).glob("*.py")]
    return sorted(found)


def test_import_linter_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    modules = sorted(m for m in graph.modules if m.startswith("psoas_cli"))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if not imported.startswith("psoas_cli"):
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_back_a_module_that_imports_it():
    # Imports inside functions and under TYPE_CHECKING count: grimp reads them all.
    graph = grimp.build_graph("psoas_cli")
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("psoas_cli.a", "psoas_cli.b", "psoas_cli.c"):
        graph.add_module(module)
    graph.add_import(importer="psoas_cli.a", imported="psoas_cli.b")
    graph.add_import(importer="psoas_cli.b", imported="psoas_cli.a")
    graph.add_import(importer="psoas_cli.b", imported="psoas_cli.c")
    assert _cycles(graph) == [["psoas_cli.a", "psoas_cli.b"]]


@pytest.mark.parametrize("module", core_modules())
def test_a_core_module_loads_no_click_rich_or_yaml(module):
    forbidden = {"click", "rich"} | (set() if module.startswith("files.") else {"yaml"})
    code = (f"import sys, psoas_cli.{module}\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(forbidden)!r})))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout
    assert out.strip() == "[]"
