"""Which rules a command's use case can raise, read from the source of the aggregates.

From the handler of a command (a translator's lambda or function, calling `app.<use case>`),
every function it may reach is followed: a call `x.name(...)` may reach any function or
method called `name` in the context's aggregates or in the shared ones (`aggregates/*.py`),
a call `name(...)` the function that name is bound to (a class: what making one runs).
Each rule class named in a reached body (raised, `.check`-ed, or made by a lambda handed
on) counts as one it can raise; so does a rule behind a module-level alias such as
`check = InvalidQuotaDetails.check`. The reading over-approximates (a method name may be
shared by several aggregates), never under-.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from aggregates.base import RuleViolation

ROOT = Path(__file__).resolve().parent.parent / "aggregates"


def _modules(package: str) -> list[ModuleType]:
    found = importlib.import_module(package)
    if not hasattr(found, "__path__"):
        return [found]
    return [found] + [
        importlib.import_module(f"{package}.{info.name}")
        for info in pkgutil.iter_modules(found.__path__)
        if not info.ispkg
    ]


@cache
def _shared() -> tuple[ModuleType, ...]:
    return tuple(
        importlib.import_module(f"aggregates.{path.stem}")
        for path in sorted(ROOT.glob("*.py"))
        if path.stem != "__init__"
    )


@cache
def _functions(modules: tuple[ModuleType, ...]) -> dict[str, list[tuple[ModuleType, ast.AST]]]:
    """Every function, method and class of these modules by name, with the module it is in."""
    by_name: dict[str, list[tuple[ModuleType, ast.AST]]] = {}
    for module in modules:
        tree = ast.parse(Path(module.__file__ or "").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                by_name.setdefault(node.name, []).append((module, node))
    return by_name


def _is_rule(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, RuleViolation) and value is not RuleViolation


def _rule_behind(value: Any) -> type[RuleViolation] | None:
    if _is_rule(value):
        return value  # type: ignore[no-any-return]  # a rule class, by the check above
    owner = getattr(value, "__self__", None)  # a bound classmethod: `check = Rule.check`
    return owner if _is_rule(owner) else None


def _names(node: ast.AST) -> Iterator[ast.AST]:
    yield from ast.walk(node)


MAKING = ("__init__", "__post_init__", "__new__")


def rules_reached(start: ast.AST, module: ModuleType, context: str) -> set[type[RuleViolation]]:
    """The rules a function body (in `module`) can raise, following calls into the
    aggregates of `context` and the shared ones, and into a function of another context's
    aggregates called by its name (a check one context offers the others)."""
    modules = (*_modules(f"aggregates.{context}"), *_shared())
    functions = _functions(tuple(modules))
    rules: set[type[RuleViolation]] = set()
    seen: set[int] = set()
    todo: list[tuple[ModuleType, ast.AST]] = [(module, start)]
    while todo:
        where, body = todo.pop()
        if id(body) in seen:
            continue
        seen.add(id(body))
        if isinstance(body, ast.ClassDef):  # a class made: what making one runs
            todo.extend((where, node) for node in body.body if getattr(node, "name", "") in MAKING)
            continue
        for node in _names(body):
            if isinstance(node, ast.Name):
                bound = getattr(where, node.id, None)
                rule = _rule_behind(bound)
                if rule is not None:
                    rules.add(rule)
                elif callable(bound):  # a function, or a class made
                    home = getattr(bound, "__module__", "")
                    if node.id in functions:
                        todo.extend(f for f in functions[node.id] if f[0].__name__ == home)
                    elif inspect.isfunction(bound) and home.startswith("aggregates."):
                        # a check another context's aggregates offer (not its classes, merely named)
                        found = _functions((importlib.import_module(home),)).get(node.id, [])
                        todo.extend(found)
            elif isinstance(node, ast.Attribute):
                if isinstance(node.value, ast.Name):
                    rule = _rule_behind(getattr(where, node.value.id, None))
                    if rule is not None:
                        rules.add(rule)
                        continue
                todo.extend(functions.get(node.attr, ()))
    return rules


def handler_node(translator: ModuleType, command: type) -> tuple[ModuleType, ast.AST]:
    """The handler of `command` in its translator's HANDLERS, as a syntax tree."""
    handler = translator.HANDLERS[command]
    source = textwrap.dedent(inspect.getsource(handler)).strip()
    if handler.__name__ == "<lambda>":
        # a lambda's source is the dict entry it sits in; keep the lambda itself
        source = source[source.index("lambda") :].rstrip(",")
        while True:
            try:
                return translator, ast.parse(source, mode="eval")
            except SyntaxError:
                source = source[:-1]
                if not source:
                    raise
    return translator, ast.parse(source)


def rules_of_command(translator: ModuleType, command: type, context: str) -> set[type[RuleViolation]]:
    module, node = handler_node(translator, command)
    return rules_reached(node, module, context)
