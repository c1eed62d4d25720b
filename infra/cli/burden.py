"""`govledger burden department|town|refused`: the burden-reduction registry (减负台账)."""

from __future__ import annotations

import argparse
from typing import Any

from infra.axes import as_of, department_burden, town_burden
from infra.cli.tables import View, add_views, show_views
from infra.settings import Settings
from projections.burden.refused import refused_impositions

ITEM = (
    "department",
    "code",
    "kind",
    "name",
    "basis",
    "since",
    "existing",
    "approved_by",
    "approval_document",
)
VIEWS: dict[str, View] = {
    "department": View(
        "what a department imposes on towns and what it cleared, with reasons (减负台账)",
        lambda cur, a: {
            "department": a.department,
            **department_burden(cur, a.department, as_of(a.on, a.known_at)),
        },
        (*ITEM, "towns", "cleared_on", "cleared_reason"),
        town=False,
        on=True,
        known=True,
        options=("department!",),
    ),
    "town": View(
        "everything departments impose on a town (考核指标、督查检查、会议、报表)",
        lambda cur, a: town_burden(cur, a.town, as_of(a.on, a.known_at)),
        ITEM,
        on=True,
        known=True,
    ),
    "refused": View(
        "impositions refused for want of the district's approval (部门擅自摊派, 一事一报)",
        lambda cur, a: refused_impositions(cur, a.department, a.town),
        ("attempted_on", "department", "code", "kind", "name", "town", "status", "detail", "message_id"),
        town=False,
    ),
}


def add_commands(sub: Any) -> None:
    add_views(sub, "burden", VIEWS)


def cmd_burden(args: argparse.Namespace, settings: Settings) -> int:
    return show_views(args, settings, VIEWS)
