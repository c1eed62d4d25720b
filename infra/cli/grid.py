"""`govledger grid cells|cell|metrics`: the grid (网格), its cells' members and teams on a day
(both time axes), and the linkage figures per cell or community. The case register per cell
or community is `govledger cases --cell C` / `--community M`."""

from __future__ import annotations

import argparse
from typing import Any

from infra.axes import Unknown, as_of
from infra.cli.linkage import METRIC_COLUMNS
from infra.cli.tables import View, add_views, show_views
from infra.settings import Settings
from projections.grid import cases as grid_cases
from projections.grid import cells as grid_cells

FIGURES = ("cell", "town", "community", "cells", *METRIC_COLUMNS[1:])  # the parties' columns but `party`


def _axes(a: argparse.Namespace) -> tuple[Any, Any]:
    return as_of(a.on, a.known_at) or (None, None)


def _cells(cur: Any, a: argparse.Namespace) -> list[dict[str, Any]]:
    return grid_cells.cells(cur, a.town, a.community, *_axes(a))


def _cell(cur: Any, a: argparse.Namespace) -> dict[str, Any]:
    found = grid_cells.cell(cur, a.cell, *_axes(a))
    if found is None:  # where the API answers 404
        raise Unknown(f"grid cell {a.cell!r}", bool(a.on or a.known_at))
    return found


def _metrics(cur: Any, a: argparse.Namespace) -> list[dict[str, Any]]:
    by = a.by or "cell"
    try:
        return grid_cases.figures(cur, a.period, by, a.town, a.community)
    except ValueError as error:
        raise Unknown(f"period {a.period!r} (YYYY, YYYY-MM or YYYY-MM-DD)") from error
    except LookupError:
        raise Unknown(f"grouping {by!r} (cell or community)") from None


VIEWS: dict[str, View] = {
    "cells": View(
        "the cells in force, of a town or a community: members by kind, team (网格)",
        _cells,
        ("cell", "name", "town", "community", "level", "since", "members", "full_time", "part_time")
        + ("mobile", "model", "head", "team"),
        town=False,
        on=True,
        known=True,
        options=("town", "community"),
    ),
    "cell": View(
        "one cell: its team's places and its members by id with their roles",
        _cell,
        ("member", "kind", "drawn_from", "joined_on", "role", "role_since"),
        town=False,
        on=True,
        known=True,
        options=("cell!",),
    ),
    "metrics": View(
        "linkage figures per cell (--by cell) or per community (--by community) for a period",
        _metrics,
        FIGURES,
        town=False,
        options=("period!", "by", "town", "community"),
    ),
}


def add_commands(sub: Any) -> None:
    add_views(sub, "grid", VIEWS)


def cmd_grid(args: argparse.Namespace, settings: Settings) -> int:
    return show_views(args, settings, VIEWS, catch_up=True)
