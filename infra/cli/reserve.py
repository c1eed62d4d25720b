"""`govledger reserve cadres|movements --town T`: a street's cadre reserve (干部AB库)."""

from __future__ import annotations

import argparse
from typing import Any

from infra.axes import RESERVE, RESERVE_MOVEMENTS
from infra.cli.tables import View, add_views, sections_on_axes, show_views
from infra.settings import Settings

VIEWS: dict[str, View] = {
    "cadres": View(
        "a street's cadre reserve: tiers B and A, its cadres (person ids), the district's rule (干部AB库)",
        sections_on_axes(RESERVE),
        (
            "town",
            "district",
            "tier_b",
            "tier_a",
            "appointed",
            "removed",
            "principal_only_from_a",
            "person",
            "tier",
            "since",
            "basis",
            "grounds",
        ),
        on=True,
        known=True,
    ),
    "movements": View(
        "a street's reserve movements (能者上、庸者下) and the appointments drawn from it",
        sections_on_axes(RESERVE_MOVEMENTS),
        (
            "on_day",
            "person",
            "movement",
            "from_tier",
            "tier",
            "basis",
            "office",
            "post",
            "document_no",
            "reason",
        ),
        on=True,
        known=True,
    ),
}


def add_commands(sub: Any) -> None:
    add_views(sub, "reserve", VIEWS)


def cmd_reserve(args: argparse.Namespace, settings: Settings) -> int:
    return show_views(args, settings, VIEWS)
