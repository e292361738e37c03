"""The command line's one lazy boundary: each command body imports what it
does with its first statement, and nothing else inside it (cli/actions/)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parent.parent / "psoas_cli" / "cli"
COMMAND_MODULES = sorted(p for p in CLI.glob("*.py")
                         if p.stem in {"browse", "config", "history", "program", "progress",
                                       "remind", "routine", "routine_edit", "selftest",
                                       "status", "sync", "where"})


def _is_command(node: ast.FunctionDef) -> bool:
    for decorator in node.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ast.unparse(call)
        if name.endswith((".command", ".group")) or name in {"command", "group"}:
            return True
    return False


def _body_imports(path: Path) -> list[tuple[str, int, list[int]]]:
    """(command, imports in its body, positions of them) for each command."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef) and _is_command(node):
            body = node.body[1:] if ast.get_docstring(node) else node.body
            places = [i for i, stmt in enumerate(body)
                      for inner in ast.walk(stmt) if isinstance(inner, (ast.Import,
                                                                        ast.ImportFrom))]
            found.append((node.name, len(places), places))
    return found


@pytest.mark.parametrize("path", COMMAND_MODULES, ids=lambda p: p.stem)
def test_a_command_body_imports_once_first_from_its_actions(path):
    for name, count, places in _body_imports(path):
        assert count <= 1 and places in ([], [0]), f"{path.name}:{name} imports {places}"
    source = ast.parse(path.read_text())
    for node in ast.walk(source):
        if isinstance(node, ast.ImportFrom) and node.col_offset > 0:
            assert node.module.startswith("psoas_cli.cli.actions."), (path.name, node.module)


def test_the_finder_sees_a_second_import(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text('import click\n@click.command()\ndef c():\n    """Doc."""\n'
                    "    from psoas_cli.cli.actions.x import y\n    import os\n")
    assert _body_imports(path) == [("c", 2, [0, 1])]
