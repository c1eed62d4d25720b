"""`govledger reserve cadres|movements --town T`: a street's cadre reserve (干部AB库)."""

from __future__ import annotations

import argparse
from typing import Any

from infra.axes import RESERVE, RESERVE_MOVEMENTS, Sections, as_of
from infra.cli.shared import console, open_ledger, read_models
from infra.cli.tables import View, add_views, show
from infra.settings import Settings


def _on_axes(view: Sections) -> Any:
    return lambda cur, a: view.read(cur, a.town, as_of(a.on, a.known_at))


VIEWS: dict[str, View] = {
    "cadres": View(
        "a street's cadre reserve: tiers B and A, its cadres (person ids), the district's rule (干部AB库)",
        _on_axes(RESERVE),
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
        _on_axes(RESERVE_MOVEMENTS),
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
    with read_models(open_ledger(settings), settings) as cur:
        return show(cur, args, console, VIEWS)
