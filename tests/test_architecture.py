"""The import architecture, checked statically in one place: import-linter's
contracts (pyproject.toml: the layers, and where Click, Rich and PyYAML may be
imported), and no import cycle at all, counting the imports grimp cannot see
(a module named in a string, for import_module or the lazy command table).

What a real command loads when it runs is behaviour, tested with the command
(test_cli.py, test_catalogue.py, test_completion.py, test_help.py).
"""

from __future__ import annotations

import ast
import functools
import importlib.util
from pathlib import Path
from typing import NamedTuple

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "psoas_cli"


def string_imports(graph: grimp.ImportGraph, package: str) -> set[tuple[str, str]]:
    """(importer, imported) for each string constant in a module of ``package``
    that is the full name of another of its modules, as in
    ``import_module("psoas_cli.cli.home")`` or a command table's
    ``"psoas_cli.cli.browse"``: imports that happen, which grimp does not see."""
    modules = {m for m in graph.modules if m == package or m.startswith(package + ".")}
    return {(module, named) for module in modules
            for named in _scan(_source(module), package).strings & modules if named != module}


class Scan(NamedTuple):
    strings: frozenset[str]  # every string constant in the file
    built_names: tuple[int, ...]  # lines of import_module calls with a name made on the fly


@functools.cache
def _scan(path: Path, package: str) -> Scan:
    """One walk over the file's syntax tree, for both checks; only where its text
    has a quote before the package's name or names import_module (most files
    have neither: nothing to find, and no time spent parsing them)."""
    text = path.read_text(encoding="utf-8")
    if not any(mark in text for mark in (f'"{package}', f"'{package}", "import_module",
                                         "__import__")):
        return Scan(frozenset(), ())
    strings, built = set(), []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(node.value)
        elif isinstance(node, ast.Call) and node.args \
                and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp, ast.Call)) \
                and ast.unparse(node.func).split(".")[-1] in ("import_module", "__import__"):
            built.append(node.lineno)
    return Scan(frozenset(strings), tuple(built))


def _source(module: str) -> Path:
    """The file of ``module``, found from its top package's folder (nothing is imported)."""
    top, *rest = module.split(".")
    spec = importlib.util.find_spec(top)
    assert spec is not None and spec.origin is not None, top
    path = Path(spec.origin).parent.joinpath(*rest)
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def graph_of(package: str) -> grimp.ImportGraph:
    """``package``'s imports as grimp reads them (those inside functions and
    under TYPE_CHECKING too), with its string imports added."""
    graph = grimp.build_graph(package, include_external_packages=True, cache_dir=None)
    for importer, imported in string_imports(graph, package):
        graph.add_import(importer=importer, imported=imported)
    return graph


def cycles(graph: grimp.ImportGraph, package: str = PACKAGE) -> list[list[str]]:
    """Strongly connected groups of more than one module of ``package`` (Tarjan)."""
    inside = package + "."
    modules = sorted(m for m in graph.modules if m == package or m.startswith(inside))
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
            if imported != package and not imported.startswith(inside):
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


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return graph_of(PACKAGE)


def test_import_linter_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_module_imports_back_a_module_that_imports_it(graph):
    assert cycles(graph) == []


def test_the_lazy_imports_are_counted(graph):
    from psoas_cli.cli.main import COMMANDS

    for module, _, _ in COMMANDS.values():
        assert graph.direct_import_exists(importer="psoas_cli.cli.main", imported=module)


def test_a_module_is_imported_by_its_name_written_in_full():
    """import_module with a name made on the fly (an f-string, +, %, format) would
    be an import the cycle finder cannot count."""
    made = [f"{path.relative_to(ROOT)}:{line}" for path in sorted((ROOT / PACKAGE).rglob("*.py"))
            for line in _scan(path, PACKAGE).built_names]
    assert made == []


def test_notify_stays_free_of_click_and_rich(graph):
    # Its docstring promises neither; the contracts let all of ui/ import Rich.
    module = "psoas_cli.ui.remind.notify"
    assert [name for name in ("click", "rich")
            if graph.chain_exists(importer=module, imported=name)] == []


# -- the cycle finder finds cycles, those made through strings too -----------------------

def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("psoas_cli.a", "psoas_cli.b", "psoas_cli.c"):
        graph.add_module(module)
    graph.add_import(importer="psoas_cli.a", imported="psoas_cli.b")
    graph.add_import(importer="psoas_cli.b", imported="psoas_cli.a")
    graph.add_import(importer="psoas_cli.b", imported="psoas_cli.c")
    assert cycles(graph) == [["psoas_cli.a", "psoas_cli.b"]]


PROBE = {
    "__init__.py": "",
    # The root's lazy table names a command module, which imports the root back.
    "main.py": 'COMMANDS = {"go": ("probe_pkg.go", "go_cmd")}\nERROR = "an error"\n',
    "go.py": "from probe_pkg.main import ERROR\n\ndef go_cmd():\n    return ERROR\n",
    # import_module with a literal name, inside a function, and an import back.
    "home.py": "from importlib import import_module\n\n\ndef home():\n"
               '    return import_module("probe_pkg.view").show()\n',
    "view.py": "from probe_pkg.home import home\n\n\ndef show():\n    return home\n",
    # Strings that name no module of the package, or only part of one's name.
    "words.py": 'WORDS = ["go", "probe_pkg.nothing", "probe_pkg.main.ERROR", "main.py"]\n',
}


def test_the_cycle_finder_sees_cycles_made_through_strings(tmp_path, monkeypatch):
    package = tmp_path / "probe_pkg"
    package.mkdir()
    for name, text in PROBE.items():
        (package / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    plain = grimp.build_graph("probe_pkg", cache_dir=None)
    assert cycles(plain, "probe_pkg") == []  # grimp alone sees none
    assert string_imports(plain, "probe_pkg") == {("probe_pkg.main", "probe_pkg.go"),
                                                  ("probe_pkg.home", "probe_pkg.view")}
    assert cycles(graph_of("probe_pkg"), "probe_pkg") == [
        ["probe_pkg.go", "probe_pkg.main"], ["probe_pkg.home", "probe_pkg.view"]]
