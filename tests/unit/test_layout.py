"""The layout holds: imports flow one way, no module imports itself round a circle, and every
context has its place in each layer and its line in the registry."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from infra.contexts import CONTEXTS

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("contracts", "aggregates", "projections", "consumers", "infra")
# what each top-level package may import of ours
ALLOWED = {
    "contracts": {"contracts"},
    "aggregates": {"aggregates"},
    "projections": {"projections", "contracts", "aggregates"},
    "consumers": {"consumers", "contracts", "aggregates", "projections"},
    "infra": set(PACKAGES),
}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project's modules a module imports (deferred and type-checking imports too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*up, base]) if base else ".".join(up)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    resolved = set()
    for target in found:
        while target and target not in MODULES:
            target = target.rpartition(".")[0]
        if target and target != name:
            resolved.add(target)
    return resolved


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_project_is_read_from_its_files() -> None:
    assert len(MODULES) > 150 and "infra.contexts" in GRAPH["infra.bootstrap"]


def test_no_module_imports_itself_round_a_circle() -> None:
    circles, state = [], {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(GRAPH[name]):
            if state.get(target) == "open":
                circles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [name])
    assert circles == []


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_flow_one_way(package: str) -> None:
    against = sorted(
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        if name.split(".")[0] == package
        for target in targets
        if target.split(".")[0] not in ALLOWED[package]
    )
    assert against == []


def test_every_context_has_its_place_in_each_layer() -> None:
    missing = []
    for context in CONTEXTS:
        places = [
            f"aggregates/{context.name}/use_cases.py"
            if context.name != "privacy"
            else "aggregates/privacy/record.py",
            f"consumers/{context.name}/translator.py",
        ]
        if context.family is not None:
            places += [f"contracts/{context.name}/commands.py", f"contracts/{context.name}/events.py"]
        if context.read_models:
            places.append(f"projections/{context.name}")
        missing += [place for place in places if not (ROOT / place).exists()]
        assert context.use_cases.__module__.split(".")[1] == context.name
        assert context.translator.__name__ == f"consumers.{context.name}.translator"
        assert all(model.__module__.split(".")[1] == context.name for model in context.read_models)
    assert missing == []
    assert len({c.name for c in CONTEXTS}) == len(CONTEXTS)
