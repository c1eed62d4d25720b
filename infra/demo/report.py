"""What the demo prints: the inventories and registers a district office would look at."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table

from infra.demo.powers import TOWNS
from projections.duties.overview import duty_lists
from projections.duties.refused import refused_pushdowns
from projections.organisation.structure import plaques_removed, town_model
from projections.powers.inventory import town_counts
from projections.territorial.scenarios import scenarios_in

KINDS = ["licensing", "penalty", "inspection", "coercion", "public_service", "other"]
LISTS = ["government_affairs", "supervisory", "service"]
STREETS = {"AN-JD-PILOT": "街道改革试点", "BH-WANNIANBU": "包河区万年埠街道"}


def _table(title: str, columns: list[str]) -> Table:
    table = Table(title=title)
    table.add_column(columns[0])
    for column in columns[1:]:
        table.add_column(column.replace("_", " "), justify="right")
    return table


def powers(rows: list[dict[str, Any]]) -> Table:
    present = {row["kind"] for row in rows} | {row["list"] for row in rows}
    columns = ["items", *(c for c in [*KINDS, *LISTS] if c in present)]
    table = _table(f"Town power inventories on {date.today()} (镇街权力清单)", ["town", *columns])
    per_town: dict[str, dict[str, int]] = {}
    for row in rows:
        town = per_town.setdefault(row["town"], {})
        for key in ("items", row["kind"], row["list"]):
            town[key] = town.get(key, 0) + row["items"]
    for code, figures in sorted(per_town.items()):
        table.add_row(f"{TOWNS.get(code, '')} {code}".strip(), *(str(figures.get(c, 0)) for c in columns))
    return table


def duties_and_structure(cur: Any) -> Table:
    columns = [
        "town",
        "basic duties",
        "cooperating",
        "recalled",
        "joint scenarios",
        "model",
        "units",
        "plaques removed",
    ]
    table = _table("Town duty lists and structure (职责清单 · 大部门制)", columns)
    for code, name in {**TOWNS, **STREETS}.items():
        lists, model = duty_lists(cur, code), town_model(cur, code) or {}
        table.add_row(
            name,
            *(str(len(lists[k])) for k in ("basic", "cooperating", "recalled")),
            str(len(scenarios_in(cur, code, model.get("district")))),
            str(model.get("model", "")),
            str(sum(model.get("units_by_kind", {}).values())),
            str(plaques_removed(cur, code)),
        )
    return table


def refusals(cur: Any) -> Table:
    table = Table(title="Refused push-downs (部门擅自将责任甩给镇街)")
    for column in ("attempted on", "department", "duty", "town", "why"):
        table.add_column(column)
    for r in refused_pushdowns(cur):
        table.add_row(str(r["attempted_on"]), r["department"], r["duty"], r["town"], r["detail"])
    return table


def print_report(console: Console, cur: Any) -> None:
    console.print(powers(town_counts(cur, date.today())))
    console.print(duties_and_structure(cur))
    console.print(refusals(cur))
