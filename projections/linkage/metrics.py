"""联动考评指标 — linkage metrics: counts per party and day, summed and rated for any period.

The counts are those of `contracts.linkage.metrics.Counts`, the rates its `rates` (response,
on-time resolution, resolution, satisfaction); the day is the act's effective day in China
Standard Time. A period is a year ("2021"), a month ("2021-12") or a day ("2021-12-01").
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from aggregates.linkage.case import LinkageCase
from contracts.linkage.metrics import Counts, rates
from projections.runner import EventHandlers

FIELDS = tuple(Counts.__struct_fields__)
TABLES = [
    "CREATE TABLE IF NOT EXISTS linkage_metrics (party text NOT NULL, day date NOT NULL, "
    + ", ".join(f"{f} int NOT NULL DEFAULT 0" for f in FIELDS)
    + ", PRIMARY KEY (party, day))",
]
TRUNCATE = ["TRUNCATE linkage_metrics"]
_SATISFACTION = {"satisfied", "basically_satisfied", "dissatisfied"}


def _verdict(e: Any) -> dict[str, int]:
    """The satisfaction counter a closing adds to (满意, 基本满意, 不满意)."""
    return {e.satisfaction: 1} if e.satisfaction in _SATISFACTION else {}


# What each counted event adds, and to which parties' counts (the grid's read model sums the
# same over the parties, per cell: projections/grid/cases.py).
COUNTS: dict[type, Callable[[Any], tuple[tuple[str, ...], dict[str, int]]]] = {
    LinkageCase.Dispatched: lambda e: (e.assignment.parties, {"dispatched": 1}),
    LinkageCase.SignedFor: lambda e: ((e.party,), {"signed": 1, "signed_on_time": int(e.on_time)}),
    LinkageCase.Resolved: lambda e: (
        (e.party,),
        {"resolved": 1, "resolved_on_time": int(e.on_time), "solved": int(e.outcome == "resolved")},
    ),
    LinkageCase.Closed: lambda e: ((e.lead,), {"closed": 1, **_verdict(e)}),
    LinkageCase.Supervised: lambda e: (tuple(e.parties), {"supervised": 1}),
    LinkageCase.Escalated: lambda e: ((e.previous_lead,), {"escalated": 1}),
}


def adding(table: str, key: str, names: list[str], rows: str) -> str:
    """The statement adding counters `names` to the (key, day) rows of `table` that `rows`
    (VALUES or a SELECT of key, day and the counters) gives, created at zero where missing."""
    return (
        f"INSERT INTO {table} ({key}, day, {', '.join(names)}) {rows} ON CONFLICT ({key}, day) DO UPDATE SET "
        + ", ".join(f"{f} = {table}.{f} + EXCLUDED.{f}" for f in names)
    )


def _count(cur: Any, e: Any) -> None:
    parties, increments = COUNTS[type(e)](e)
    names = [f for f, n in increments.items() if n]
    statement = adding("linkage_metrics", "party", names, "VALUES (%s, %s" + ", %s" * len(names) + ")")
    for party in parties:
        cur.execute(statement, (party, e.ctx.effective_on, *(increments[f] for f in names)))


class LinkageMetrics(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, dict.fromkeys(COUNTS, _count)


# A period: a year, a month or a day (the year 0001 to 9999).
PERIOD = r"^(?!0000)\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"


def period_days(period: str) -> tuple[date, date]:
    """The first and the last day of the period (a day, a month or a year)."""
    if not re.fullmatch(PERIOD, period):
        raise ValueError(f"a period is YYYY, YYYY-MM or YYYY-MM-DD, not {period!r}")
    parts = [int(p) for p in period.split("-")]
    if len(parts) == 3:
        first = date(*parts)
        return first, first
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        return first, date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def with_rates(row: dict[str, Any]) -> dict[str, Any]:
    rated = rates(Counts(**{f: row[f] for f in FIELDS}))
    return {**row, **{k: getattr(rated, k) for k in rated.__struct_fields__}}


def _summed(cur: Any, period: str, party: str | None) -> list[dict[str, Any]]:
    first, last = period_days(period)
    sums = ", ".join(f"sum({f})::int AS {f}" for f in FIELDS)
    cur.execute(
        f"SELECT party, {sums} FROM linkage_metrics WHERE day >= %(first)s"
        " AND day <= %(last)s AND (%(party)s::text IS NULL OR party = %(party)s)"
        " GROUP BY party ORDER BY party",
        {"first": first, "last": last, "party": party},
    )
    return [with_rates(row) for row in cur.fetchall()]


def metrics(cur: Any, period: str) -> list[dict[str, Any]]:
    """One row per party with anything counted in the period: its counts and rates."""
    return _summed(cur, period, None)


def metrics_for(cur: Any, party: str, period: str) -> dict[str, Any] | None:
    """The party's counts and rates for the period; None when nothing of it was counted."""
    rows = _summed(cur, period, party)
    return rows[0] if rows else None


def daily(cur: Any, first: date, last: date) -> list[dict[str, Any]]:
    """Every day from `first` to `last`, district-wide: each party's counts summed, and the
    rates of those sums (a day with nothing counted has zero counts and no rates).

    Summed over parties, resolutions, closings and escalations count each case once (only
    its lead resolves, closes or is escalated from), while dispatches, sign-fors and
    supervisions count each party's share of a case: district-wide, the response rate is
    the share of all sign-fors owed, the lead's and the cooperating parties', made on time.
    """
    sums = ", ".join(f"coalesce(sum(m.{f}), 0)::int AS {f}" for f in FIELDS)
    cur.execute(
        f"SELECT d::date AS day, {sums} FROM generate_series(%(first)s::date,"
        " %(last)s::date, interval '1 day') AS d LEFT JOIN linkage_metrics m"
        " ON m.day = d::date GROUP BY d ORDER BY d",
        {"first": first, "last": last},
    )
    return [with_rates(row) for row in cur.fetchall()]


def summed(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The counts of `rows` (e.g. of `daily`) added up, and the rates of the total."""
    return with_rates({f: sum(row[f] for row in rows) for f in FIELDS})
