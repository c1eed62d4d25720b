"""`govledger community-workers register`: the community workers (社区工作者) of a community, town
or district on a day (both time axes), their recruitment batches, and the scales and standards."""

from __future__ import annotations

import argparse
from typing import Any

from infra.axes import day, moment
from infra.cli.tables import View, add_views, show_views
from infra.settings import Settings
from projections.community_workers import register


def _register(cur: Any, a: argparse.Namespace) -> dict[str, Any]:
    on, known = day(a.on), moment(a.known_at) if a.known_at else None
    where = {"community": a.community, "town": a.town, "district": a.district}
    return {"on": on, **register.sections_on(cur, on, known, **where)}  # the API's answer, unpaged


VIEWS: dict[str, View] = {
    "register": View(
        "the workers in post of a community, town or district, their batches (社区工作者名册)",
        _register,
        ("community", "town", "district", "workers", "by_post", "worker", "post_type", "pay_grade")
        + ("recruitment", "method", "count", "document_no", "on_day", "since", "pay_grades", "city")
        + ("standard",),
        town=False,
        on=True,
        known=True,
        options=("community", "town", "district"),
    ),
}


def add_commands(sub: Any) -> None:
    add_views(sub, "community-workers", VIEWS)


def cmd_community_workers(args: argparse.Namespace, settings: Settings) -> int:
    return show_views(args, settings, VIEWS)
