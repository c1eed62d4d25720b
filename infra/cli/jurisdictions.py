"""`govledger jurisdictions tree|residents`: the units of administration (行政层级) under a city or
district, and a unit's residents (常住人口) on a day; both on both time axes."""

from __future__ import annotations

import argparse
from typing import Any

from infra.axes import Unknown, day, moment
from infra.cli.tables import View, add_views, show_views
from infra.settings import Settings
from projections.jurisdictions import tree


def _known(a: argparse.Namespace) -> Any:
    return moment(a.known_at) if a.known_at else None


def _found(rows: list[dict[str, Any]], code: str | None, a: argparse.Namespace) -> list[dict[str, Any]]:
    """The rows of the unit asked for; `Unknown` (where the API answers 404, in its words)
    when there are none."""
    if code is not None and not rows:
        raise Unknown(f"unit of administration {code!r} registered by {day(a.on)}", a.known_at is not None)
    return rows


def _tree(cur: Any, a: argparse.Namespace) -> dict[str, Any]:
    """The API's answer, unpaged; the table indents each unit's code by its depth."""
    rows = _found(tree.jurisdiction_tree(cur, a.under, day(a.on), _known(a)), a.under, a)
    if not a.json:
        rows = [{**row, "code": "  " * row["depth"] + row["code"]} for row in rows]
    return {"under": a.under, "on": day(a.on), "units": rows}


def _residents(cur: Any, a: argparse.Namespace) -> dict[str, Any]:
    rows = _found(tree.residents_on(cur, a.unit, day(a.on), _known(a)), a.unit, a)
    counts = tree.resident_counts(cur, a.unit, _known(a)) if a.unit is not None else []
    return {"on": day(a.on), "residents": rows, "counts": counts}


VIEWS: dict[str, View] = {
    "tree": View(
        "the units under a city or district (all, without --under), with their residents (行政层级)",
        _tree,
        ("code", "name", "level", "kind", "parent", "source", "residents", "counted_on", "summed"),
        town=False,
        on=True,
        known=True,
        options=("under",),
    ),
    "residents": View(
        "a unit's residents on the day (every counted unit's, without --unit), and its counts (常住人口)",
        _residents,
        ("unit", "name", "level", "town", "residents", "counted_on", "summed", "recorded_at", "corrected"),
        town=False,
        on=True,
        known=True,
        options=("unit",),
    ),
}


def add_commands(sub: Any) -> None:
    add_views(sub, "jurisdictions", VIEWS)


def cmd_jurisdictions(args: argparse.Namespace, settings: Settings) -> int:
    return show_views(args, settings, VIEWS)
