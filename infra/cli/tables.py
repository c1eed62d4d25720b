"""No `govledger` command: the views of the command line, printed as tables with the JSON's columns."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec
from rich.console import Console
from rich.table import Table

from infra.axes import Sections, Unknown, as_of
from infra.cli.shared import console, open_ledger, read_models
from infra.settings import Settings


@dataclass(frozen=True)
class View:
    help: str
    query: Callable[[Any, argparse.Namespace], Any]  # rows, or {section: rows}
    columns: tuple[str, ...]
    town: bool = True
    on: bool = False
    known: bool = False  # answers "as the ledger stood at --known-at" too
    options: tuple[str, ...] = ()  # further arguments: "unit" is --unit, "unit!" a required one


def sections_on_axes(view: Sections, option: str = "town") -> Callable[[Any, argparse.Namespace], Any]:
    """A query of the view's sections of the code given by `option` (`unit!`: --unit, required),
    now, or on --on / --known-at; a required code heads the answer, as in the API's."""
    code = option.rstrip("!")

    def read(cur: Any, a: argparse.Namespace) -> dict[str, Any]:
        found = view.read(cur, getattr(a, code), as_of(a.on, a.known_at))
        return {code: getattr(a, code), **found} if option.endswith("!") else found

    return read


def add_views(sub: Any, group: str, views: dict[str, View]) -> Any:
    """The command `group` with a subcommand for each of its views; returns its subparsers,
    for further subcommands."""
    commands = sub.add_parser(group, help=f"{group} views").add_subparsers(dest="view", required=True)
    for name, view in views.items():
        p = commands.add_parser(name, help=view.help)
        if view.town or not view.options:
            p.add_argument("--town", required=view.town)
        for option in view.options:
            p.add_argument(f"--{option.rstrip('!')}", required=option.endswith("!"))
        if view.on:
            p.add_argument("--on", "--as-of", dest="on", help="the day in force (YYYY-MM-DD)")
        if view.known:
            p.add_argument("--known-at", help="as the ledger stood then (a day, or an ISO time)")
        if not view.town and not view.options:
            p.add_argument("--department")
        p.add_argument("--json", action="store_true")
    return commands


def show(cur: Any, args: argparse.Namespace, console: Console, views: dict[str, View]) -> int:
    """The view `args.view` of `views`, as tables or JSON."""
    view = views[args.view]
    try:
        found = view.query(cur, args)
    except Unknown as error:  # where the API answers 404
        console.print(f"[red]{error}[/red]")
        return 1
    if args.json:
        print(msgspec.json.encode(found).decode())
        return 0
    sections = found if isinstance(found, dict) else {args.view: found}
    for title, value in sections.items():
        if not isinstance(value, list):  # what the answer says of the whole (a town's model)
            console.print(f"{title}: {value}")
    sections = {title: rows for title, rows in sections.items() if isinstance(rows, list)}
    for title, rows in sections.items():
        print_rows(console, f"{getattr(args, 'town', None) or ''} {title}".strip(), rows, view.columns)
    return 0


def show_views(
    args: argparse.Namespace, settings: Settings, views: dict[str, View], *, catch_up: bool = False
) -> int:
    """`show` on the read models of the settings' ledger (with `catch_up`, brought up to date
    with the event log first)."""
    with read_models(open_ledger(settings), settings, catch_up=catch_up) as cur:
        return show(cur, args, console, views)


def print_rows(console: Console, title: str, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
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
