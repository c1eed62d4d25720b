"""`govledger inventory powers|duties|structure|scenarios|quotas|pool|sinkdown`: the lists."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from infra.axes import QUOTA_LEDGER, TURNOVER_POOL, Sections, as_of, day, moment, organisation
from infra.cli.tables import View, add_views, sections_on_axes, show_views
from infra.settings import Settings
from projections.duties import overview as town_duty_overview
from projections.duties.history import duty_lists_as_of
from projections.powers.history import town_powers_as_of
from projections.powers.inventory import town_powers
from projections.sinkdown import roster as sink_down_roster
from projections.territorial.scenarios import scenarios_in


def _powers(cur: Any, a: argparse.Namespace) -> list[dict[str, Any]]:
    if a.known_at:
        return town_powers_as_of(cur, a.town, day(a.on), moment(a.known_at))
    return town_powers(cur, a.town, day(a.on))


def _duties(cur: Any, a: argparse.Namespace) -> dict[str, list[dict[str, Any]]]:
    when = as_of(a.on, a.known_at)
    found = duty_lists_as_of(cur, a.town, *when) if when else town_duty_overview.duty_lists(cur, a.town)
    return {"town": a.town, **found}  # the API's answer, unpaged


def _structure(cur: Any, a: argparse.Namespace) -> dict[str, Any]:
    return {"town": a.town, **organisation(cur, a.town)}  # the API's answer, unpaged


def _on_axes(what: str, view: Sections, option: str, columns: tuple[str, ...]) -> View:
    """A view in sections of the code given by `option` (`unit!`: --unit, required), now,
    or --on / --known-at; a required code heads the answer, as in the API's."""
    return View(
        what,
        sections_on_axes(view, option),
        columns,
        town=False,
        on=True,
        known=True,
        options=(option,),
    )


def _sinkdown(cur: Any, a: argparse.Namespace) -> list[dict[str, Any]]:
    return sink_down_roster.roster(cur, a.town, a.department, date.fromisoformat(a.on) if a.on else None)


DUTY_COLUMNS = ("source", "code", "name", "lead", "partner", "since")
VIEWS: dict[str, View] = {
    "powers": View(
        "a town's power list (镇街权力清单)",
        _powers,
        ("code", "name", "kind", "list", "domain", "department", "mode", "since"),
        on=True,
        known=True,
    ),
    "duties": View(
        "a town's duty lists: basic, cooperating, recalled (职责清单)",
        _duties,
        DUTY_COLUMNS,
        on=True,
        known=True,
    ),
    "structure": View(
        "a town's units, their supervising leaders and removed plaques (大部门制)",
        _structure,
        ("code", "name", "kind", "type", "since", "leader_name", "unit", "removed_on", "reason"),
    ),
    "scenarios": View(
        "a town's joint-enforcement scenarios (属地联动执法事项)",
        lambda cur, a: scenarios_in(cur, a.town),
        ("code", "name", "category", "lead", "cooperating", "town_part"),
    ),
    "quotas": _on_axes(
        "a unit's quota ledger and its transfers (编制台账)",
        QUOTA_LEDGER,
        "unit!",
        (
            "unit",
            "name",
            "level",
            "kind",
            "approved",
            "occupied",
            "available",
            "fixed_on",
            "on_day",
            "from_unit",
            "to_unit",
            "count",
            "reverse",
            "approval_document",
            "document_no",
        ),
    ),
    "pool": _on_axes(
        "the staffing turnover pools and their draws (编制周转池)",
        TURNOVER_POOL,
        "pool",
        (
            "pool",
            "name",
            "district",
            "capacity",
            "contributed",
            "outstanding",
            "available",
            "draw",
            "town",
            "purpose",
            "count",
            "status",
            "until",
        ),
    ),
    "sinkdown": View(
        "who is sunk down where (力量下沉花名册); person ids only",
        _sinkdown,
        ("town", "department", "team", "mode", "transfer", "person", "post", "rank", "since"),
        town=False,
        on=True,
        options=("town", "department"),
    ),
}


def add_commands(sub: Any) -> None:
    add_views(sub, "inventory", VIEWS)


def cmd_inventory(args: argparse.Namespace, settings: Settings) -> int:
    return show_views(args, settings, VIEWS)
