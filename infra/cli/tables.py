"""Views of the command line and how they print: rich tables, the same columns as the JSON."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class View:
    help: str
    query: Callable[[Any, argparse.Namespace], Any]  # rows, or {section: rows}
    columns: tuple[str, ...]
    town: bool = True
    on: bool = False
    known: bool = False  # answers "as the ledger stood at --known-at" too
    options: tuple[str, ...] = ()  # further arguments: "unit" is --unit, "unit!" a required one


def print_rows(console: Console, title: str, rows: list[dict[str, Any]],
               columns: tuple[str, ...]) -> None:
    """A table of the rows, in the given columns (those no row has are left out)."""
    shown = [c for c in columns if any(c in row for row in rows)] or list(columns)
    table = Table(title=f"{title}: {len(rows)}")
    for column in shown:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in shown))
    console.print(table)


def percent(value: Any) -> Any:
    """A Decimal fraction as a percentage to one place; anything else as it is."""
    return f"{value * 100:.1f} %" if isinstance(value, Decimal) else value


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("unit") or value)
    return "" if value is None else str(value)
