"""网格案件 — the linkage cases and their metrics read per grid cell and per community.

A case reported with a grid cell is listed under its cell; its later events are counted for
the cell on their day, as `projections/linkage/metrics.py` counts them for each party, summed
over the parties (a dispatch counts once for each party dispatched, a sign-for once per
party: the cell's response rate is the share of all sign-fors owed on its cases made on time,
as the district-wide rate is). A community's figures are its cells' summed; the community of
a cell is the one it was registered in (`grid_cells`). Cases reported without a cell are in
the case register and the parties' metrics, not here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aggregates.linkage.case import LinkageCase
from projections.linkage.cases import COLUMNS, cases, overdue_numbers
from projections.linkage.metrics import COUNTS, FIELDS, adding, period_days, with_rates
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS grid_case_cells (
        case_id uuid PRIMARY KEY, number text NOT NULL, cell text NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS grid_case_cells_by_cell ON grid_case_cells (cell)",
    "CREATE TABLE IF NOT EXISTS grid_case_metrics (cell text NOT NULL, day date NOT NULL, "
    + ", ".join(f"{f} int NOT NULL DEFAULT 0" for f in FIELDS)
    + ", PRIMARY KEY (cell, day))",
]
TRUNCATE = ["TRUNCATE grid_case_cells, grid_case_metrics"]


def _reported(cur: Any, e: Any) -> None:
    if e.report.grid_cell is not None:
        cur.execute(
            "INSERT INTO grid_case_cells VALUES (%s, %s, %s)", (e.originator_id, e.number, e.report.grid_cell)
        )


def _count(cur: Any, e: Any) -> None:
    """The event's counters, summed over its parties, added to its case's cell (if any)."""
    parties, increments = COUNTS[type(e)](e)
    names = [f for f, n in increments.items() if n]
    rows = "SELECT cell, %s" + ", %s" * len(names) + " FROM grid_case_cells WHERE case_id = %s"
    values = (e.ctx.effective_on, *(increments[f] * len(parties) for f in names), e.originator_id)
    cur.execute(adding("grid_case_metrics", "cell", names, rows), values)


class GridCases(EventHandlers):
    """网格案件 — which cell each case was reported in, and the cells' linkage counts by day."""

    tables, truncate = TABLES, TRUNCATE
    handlers = {LinkageCase.Reported: _reported, **dict.fromkeys(COUNTS, _count)}


_PLACE = (
    "(%(cell)s::text IS NULL OR c.code = %(cell)s)"
    " AND (%(community)s::text IS NULL OR c.community = %(community)s)"
    " AND (%(town)s::text IS NULL OR c.town = %(town)s)"
)


def cases_in(
    cur: Any,
    cell: str | None = None,
    community: str | None = None,
    town: str | None = None,
    party: str | None = None,
    open_only: bool = False,
) -> list[dict[str, Any]]:
    """The case register (as `projections.linkage.cases.cases` gives it) of the cases reported
    in a cell, in a community's cells or in a town's cells, oldest report first."""
    columns = ", ".join(f"l.{name.strip()}" for name in COLUMNS.split(","))
    cur.execute(
        f"SELECT {columns} FROM grid_case_cells g JOIN grid_cells c ON c.code = g.cell"
        f" JOIN linkage_cases l ON l.id = g.case_id WHERE {_PLACE}"
        " AND (%(party)s::text IS NULL OR l.lead = %(party)s OR %(party)s = ANY(l.cooperating))"
        " AND (NOT %(open)s OR l.status NOT IN ('resolved', 'closed', 'merged'))"
        " ORDER BY l.reported_at, l.number",
        {"cell": cell, "community": community, "town": town, "party": party, "open": open_only},
    )
    return list(cur.fetchall())


def register(
    cur: Any,
    at: datetime,
    cell: str | None = None,
    community: str | None = None,
    town: str | None = None,
    party: str | None = None,
    open_only: bool = False,
    overdue_only: bool = False,
) -> list[dict[str, Any]]:
    """案件台账 as `govledger cases` and /api/v1/cases give it: the register of a cell or of a
    community's cells when one is asked (`cases_in`), else of the district
    (`projections.linkage.cases.cases`), each row with `overdue` at `at`; only the overdue
    ones when `overdue_only`."""
    if cell or community:
        rows = cases_in(cur, cell, community, town, party, open_only)
    else:
        rows = cases(cur, town=town, party=party, open_only=open_only)
    overdue = overdue_numbers(cur, at)
    rows = [{**row, "overdue": row["number"] in overdue} for row in rows]
    return [row for row in rows if row["overdue"]] if overdue_only else rows


def metrics_by(
    cur: Any, period: str, by: str, town: str | None = None, community: str | None = None
) -> list[dict[str, Any]]:
    """The period's counts and rates per cell (`by="cell"`, each with its town and community)
    or per community (`by="community"`, with its town and how many cells had figures), of a
    town's or a community's cells."""
    first, last = period_days(period)
    sums = ", ".join(f"sum(m.{f})::int AS {f}" for f in FIELDS)
    key = "c.code AS cell, c.town, c.community" if by == "cell" else "c.town, c.community"
    group = "c.code, c.town, c.community" if by == "cell" else "c.town, c.community"
    extra = "" if by == "cell" else "count(DISTINCT c.code)::int AS cells, "
    cur.execute(
        f"SELECT {key}, {extra}{sums} FROM grid_case_metrics m JOIN grid_cells c ON c.code = m.cell"
        f" WHERE m.day >= %(first)s AND m.day <= %(last)s AND {_PLACE}"
        f" GROUP BY {group} ORDER BY {group}",
        {"first": first, "last": last, "cell": None, "community": community, "town": town},
    )
    return [with_rates(row) for row in cur.fetchall()]


GROUPINGS = ("cell", "community")


def figures(
    cur: Any, period: str, by: str, town: str | None = None, community: str | None = None
) -> list[dict[str, Any]]:
    """`metrics_by` as `/api/v1/grid/metrics` and `govledger grid metrics` give it: the columns
    of both groupings whichever is asked (`cell` None per community, `cells` 1 per cell). Before
    anything is read: ValueError when `period` is no year, month or day, LookupError when `by`
    is no grouping."""
    period_days(period)
    if by not in GROUPINGS:
        raise LookupError(f"a grouping is cell or community, not {by!r}")
    rows = metrics_by(cur, period, by, town, community)
    if by == "community":
        return [{"cell": None, **row} for row in rows]
    return [{**row, "cells": 1} for row in rows]
