"""`govledger extensions town --town T | community [--community C]`: items extended from towns
to their communities and villages (事项延伸) and the cases handled under them."""

from __future__ import annotations

import argparse
from typing import Any

from infra.axes import TOWN_EXTENSIONS, as_of, extensions
from infra.cli.tables import View, add_views, sections_on_axes, show_views
from infra.settings import Settings

COLUMNS = (
    "town",
    "item",
    "community",
    "department",
    "communities",
    "batch",
    "since",
    "period",
    "count",
    "handled",
)
VIEWS: dict[str, View] = {
    "town": View(
        "the items a town extended to its communities and villages, and the cases handled (事项延伸)",
        sections_on_axes(TOWN_EXTENSIONS),
        COLUMNS,
        on=True,
        known=True,
    ),
    "community": View(
        "what each community or village takes in from its town, and the cases it handled",
        lambda cur, a: extensions(cur, a.town, a.community, as_of(a.on, a.known_at)),
        COLUMNS,
        town=False,
        on=True,
        known=True,
        options=("community", "town"),
    ),
}


def add_commands(sub: Any) -> None:
    add_views(sub, "extensions", VIEWS)


def cmd_extensions(args: argparse.Namespace, settings: Settings) -> int:
    return show_views(args, settings, VIEWS)
