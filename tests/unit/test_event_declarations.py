"""Each aggregate names, for the type checker, exactly the event classes its `@event`
methods define at class creation: no event missing, none invented or misspelt. An event
class written out in the aggregate's body (one with a `class_version` and its upcasts) the
type checker sees as it is: it is not named again."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

from eventsourcing.domain import Aggregate

import aggregates
from projections.runner import event_classes


def _aggregates() -> list[type[Aggregate]]:
    found = []
    for info in pkgutil.walk_packages(aggregates.__path__, "aggregates."):
        module = importlib.import_module(info.name)
        found += [
            cls
            for cls in vars(module).values()
            if isinstance(cls, type)
            and issubclass(cls, Aggregate)
            and cls is not Aggregate
            and cls.__module__ == module.__name__
        ]
    return found


def _declared(cls: type) -> set[str]:
    """The names assigned in the class body's `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(inspect.getsource(cls))
    names: set[str] = set()
    for node in tree.body[0].body:  # type: ignore[attr-defined]  # the class definition
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for assign in node.body:
                if isinstance(assign, ast.Assign):
                    names.update(t.id for t in assign.targets if isinstance(t, ast.Name))
    return names


def _written(cls: type) -> set[str]:
    """The classes written out in the class body (`class` statements)."""
    body = ast.parse(inspect.getsource(cls)).body[0].body  # type: ignore[attr-defined]  # the class definition
    return {node.name for node in body if isinstance(node, ast.ClassDef)}


def test_every_aggregate_is_found() -> None:
    assert len(_aggregates()) >= 17


def test_each_aggregate_declares_exactly_the_events_it_defines() -> None:
    wrong = {}
    for cls in _aggregates():
        defined = {event.__name__ for event in event_classes(cls)} - {"Event", "Created"} - _written(cls)
        if _declared(cls) != defined:
            wrong[cls.__qualname__] = (sorted(_declared(cls) - defined), sorted(defined - _declared(cls)))
    assert wrong == {}
