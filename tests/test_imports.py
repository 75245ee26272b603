"""The import graph of generator/, built from the source: no circle, counting the imports
inside functions too (so that none can hide one), the configuration read only at the
top (STYLE.md point 13), and a command that starts without the stages it does not use."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
# The only modules that may find or read avtal.toml: the repository context, made once
# by the command, and the configuration module itself.
CONFIG_READERS = {"generator.repository", "generator.config"}
CONFIG_FINDERS = {"find_config", "load_config", "read_config"}


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules an import statement in `module` imports."""
    known = modules()
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in known]
    base = module.split(".")
    if modules()[module].name != "__init__.py":
        base = base[:-1]  # a module's relative imports start at its package
    if node.level:
        base = base[: len(base) - node.level + 1]
        prefix = ".".join([*base, *([node.module] if node.module else [])])
    else:
        prefix = node.module or ""
    named = [f"{prefix}.{a.name}" for a in node.names]
    return [m for m in [prefix, *named] if m in known]


def imports(module: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, list[str]]]:
    """Every import statement of a module that names a project module."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            targets = _targets(module, node)
            if targets:
                yield node, targets


def graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports (anywhere in it)."""
    return {m: {t for _, ts in imports(m) for t in ts} - {m} for m in modules()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The circles of a graph: its strongly connected parts of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            part = stack[stack.index(node) :]
            del stack[stack.index(node) :]
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_the_modules_and_their_imports() -> None:
    edges = graph()
    assert len(edges) > 30
    assert "generator.load" in edges["generator.model"]
    assert "generator.rules.registry" in edges["generator.rules.catalogue"]
    assert "generator.laws" in edges["generator.render"]  # `from . import laws`


def test_the_cycle_finder_finds_a_circle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_generator_has_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_an_import_inside_a_function_is_in_the_graph() -> None:
    """A stage imported where it is used (the build renders only a stale spec) is an
    edge of the graph like any other, so the circle test sees through it."""
    assert "generator.pipeline" in graph()["generator.build"]
    assert "generator.pipeline" in graph()["generator.cli"]


def test_the_command_line_starts_without_the_stages() -> None:
    """`avtal build` with nothing to do, and `avtal --help`, load no template engine,
    schema validator, rule or renderer: each command imports the stages it runs."""
    code = "import sys, generator.cli; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                text=True, cwd=ROOT).stdout.split())
    assert "generator.build" in loaded
    heavy = {"jinja2", "jsonschema", "babel", "typst", "generator.pipeline", "generator.render",
             "generator.documents", "generator.validate", "generator.rules", "generator.model",
             "generator.overview", "generator.fields", "generator.deadlines"}
    assert loaded & heavy == set()


def test_config_imports_nothing_above_its_errors() -> None:
    # The one reader of repository files stands beside the errors: it imports only them.
    assert graph()["generator.reader"] <= {"generator", "generator.errors"}
    assert graph()["generator.config"] <= {"generator", "generator.errors", "generator.reader"}


def test_only_the_repository_context_finds_the_configuration() -> None:
    finders = []
    for module in modules():
        for node, _ in imports(module):
            names = {a.name for a in node.names}
            if module not in CONFIG_READERS and names & CONFIG_FINDERS:
                finders.append(f"{module}: {sorted(names & CONFIG_FINDERS)}")
    assert finders == []


def test_loading_a_spec_depends_on_no_configuration() -> None:
    edges = graph()
    below: set[str] = set()
    todo = ["generator.load"]
    while todo:
        module = todo.pop()
        if module not in below:
            below.add(module)
            todo.extend(edges[module])
    assert "generator.config" not in below
    assert "generator.repository" not in below
