"""The read-only commands of `govledger`: inventories and audit registers, as tables or JSON."""

from __future__ import annotations

import argparse
from typing import Any

import msgspec
from rich.console import Console

from infra.cli import appraisals as cli_staffing
from infra.cli.tables import View, print_rows
from infra.axes import as_of, day, moment
from projections.duties import refused as refused_pushdowns
from projections.duties import overview as town_duty_overview
from projections.organisation import structure as town_structure
from projections.duties.history import duty_lists_as_of
from projections.territorial.scenarios import scenarios_in
from projections.powers.history import town_powers_as_of
from projections.powers.inventory import town_powers


def _powers(cur: Any, a: argparse.Namespace) -> list[dict[str, Any]]:
    if a.known_at:
        return town_powers_as_of(cur, a.town, day(a.on), moment(a.known_at))
    return town_powers(cur, a.town, day(a.on))


def _duties(cur: Any, a: argparse.Namespace) -> dict[str, list[dict[str, Any]]]:
    when = as_of(a)
    if when:
        return duty_lists_as_of(cur, a.town, *when)
    return town_duty_overview.duty_lists(cur, a.town)


def _structure(cur: Any, a: argparse.Namespace) -> dict[str, Any]:
    return {
        "units": town_structure.town_structure(cur, a.town),
        "plaques removed": town_structure.removed_plaques(cur, a.town),
    }


DUTY_COLUMNS = ("source", "code", "name", "lead", "partner", "since")
VIEWS: dict[tuple[str, str], View] = {
    ("inventory", "powers"): View(
        "a town's power list (镇街权力清单)", _powers,
        ("code", "name", "kind", "list", "domain", "department", "mode", "since"), on=True,
        known=True),
    ("inventory", "duties"): View(
        "a town's duty lists: basic, cooperating, recalled (职责清单)", _duties, DUTY_COLUMNS,
        on=True, known=True),
    ("inventory", "structure"): View(
        "a town's units, their supervising leaders and removed plaques (大部门制)", _structure,
        ("code", "name", "kind", "type", "since", "leader_name", "unit", "removed_on", "reason")),
    ("inventory", "scenarios"): View(
        "a town's joint-enforcement scenarios (属地联动执法事项)", lambda cur, a: scenarios_in(cur, a.town),
        ("code", "name", "category", "lead", "cooperating", "town_part")),
    ("audit", "refused-pushdowns"): View(
        "push-downs of duties never admitted (部门擅自甩责)",
        lambda cur, a: refused_pushdowns.refused_pushdowns(cur, a.department, a.town),
        ("attempted_on", "department", "duty", "town", "detail", "message_id"), town=False),
    **cli_staffing.VIEWS,
}


def add_views(sub: Any) -> dict[str, Any]:
    """Add the views, by group; return each group's subparsers for further commands."""
    groups: dict[str, Any] = {}
    for (group, name), view in VIEWS.items():
        if group not in groups:
            groups[group] = sub.add_parser(group, help=f"{group} views").add_subparsers(
                dest="view", required=True)
        p = groups[group].add_parser(name, help=view.help)
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
    return groups


def show(cur: Any, args: argparse.Namespace, console: Console) -> int:
    view = VIEWS[(args.command, args.view)]
    found = view.query(cur, args)
    if args.json:
        print(msgspec.json.encode(found).decode())
        return 0
    sections = found if isinstance(found, dict) else {args.view: found}
    for title, rows in sections.items():
        print_rows(console, f"{getattr(args, 'town', None) or ''} {title}".strip(), rows, view.columns)
    return 0
