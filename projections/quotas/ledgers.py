"""编制台账 — each unit's quotas approved and occupied, its transfers, and the yearly plans."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aggregates.quotas.quota_ledger import KINDS, LEADERSHIP, QuotaLedger, upward
from projections.runner import EventHandlers, updating

TARGET_TOWN_SHARE = Decimal(50)  # towns' share of the yearly 用编计划: ≈30 % before, ≥ 50 % (seed 000)
TABLES = [
    """CREATE TABLE IF NOT EXISTS quota_units (
        id uuid PRIMARY KEY, unit text UNIQUE NOT NULL, level text NOT NULL, name text,
        district text)""",
    """CREATE TABLE IF NOT EXISTS quota_counts (
        unit_id uuid NOT NULL, kind text NOT NULL, approved int NOT NULL, occupied int NOT NULL,
        figure int, fixed_on date, PRIMARY KEY (unit_id, kind))""",
    """CREATE TABLE IF NOT EXISTS quota_transfers (
        ledger_id uuid NOT NULL, version int NOT NULL, on_day date NOT NULL,
        from_unit text NOT NULL, from_level text NOT NULL, to_unit text NOT NULL,
        to_level text NOT NULL, kind text NOT NULL, count int NOT NULL, reverse boolean NOT NULL,
        approval_body text, approval_document text, document_no text, reason text,
        message_id text NOT NULL, PRIMARY KEY (ledger_id, version))""",
    """CREATE TABLE IF NOT EXISTS quota_plans (
        unit_id uuid NOT NULL, year int NOT NULL, kind text NOT NULL, planned int NOT NULL,
        PRIMARY KEY (unit_id, year, kind))""",
]
TRUNCATE = ["TRUNCATE quota_units, quota_counts, quota_transfers, quota_plans"]
_ORDER = [*KINDS, LEADERSHIP]
_COUNT = "UPDATE quota_counts SET {} WHERE unit_id = %(id)s AND kind = %(kind)s"


def _opened(cur: Any, e: Any) -> None:
    d = e.details
    cur.execute(
        "INSERT INTO quota_units VALUES (%s, %s, %s, %s, %s)",
        (e.originator_id, e.unit, e.level, d and d.name, d and d.district),
    )
    for kind in _ORDER:
        cur.execute("INSERT INTO quota_counts VALUES (%s, %s, 0, 0, NULL, NULL)", (e.originator_id, kind))


def _set(columns: str, *attributes: str) -> Any:
    """A handler setting the kind's columns from the event's attributes of the same name."""
    return lambda cur, e: cur.execute(
        _COUNT.format(columns),
        {"id": e.originator_id, "kind": e.kind, **{a: getattr(e, a) for a in attributes}},
    )


def _transferred_out(cur: Any, e: Any) -> None:
    _set("approved = %(approved)s", "approved")(cur, e)
    cur.execute("SELECT unit, level FROM quota_units WHERE id = %s", (e.originator_id,))
    source, a, ctx = cur.fetchone(), e.approval, e.ctx
    cur.execute(
        "INSERT INTO quota_transfers VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            e.originator_id,
            e.originator_version,
            e.on,
            source["unit"],
            source["level"],
            e.to_unit,
            e.to_level,
            e.kind,
            e.count,
            upward(source["level"], e.to_level),
            a and a.body,
            a and a.document_no,
            ctx.document_no,
            ctx.reason,
            ctx.message_id,
        ),
    )


_HANDLERS: dict[type, Any] = {
    QuotaLedger.Opened: _opened,
    QuotaLedger.DetailsRecorded: updating(
        "quota_units", "name = %s, district = %s", lambda e: (e.details.name, e.details.district)
    ),
    QuotaLedger.Approved: _set(
        "approved = %(approved)s, figure = %(figure)s, fixed_on = %(on)s", "approved", "figure", "on"
    ),
    QuotaLedger.Occupied: _set("occupied = %(occupied)s", "occupied"),
    QuotaLedger.Vacated: _set("occupied = %(occupied)s", "occupied"),
    QuotaLedger.TransferredOut: _transferred_out,
    QuotaLedger.TransferredIn: _set("approved = %(approved)s", "approved"),
    QuotaLedger.Planned: lambda cur, e: cur.execute(
        "INSERT INTO quota_plans VALUES (%s, %s, %s, %s) ON CONFLICT (unit_id, year, kind)"
        " DO UPDATE SET planned = EXCLUDED.planned",
        (e.originator_id, e.year, e.kind, e.planned),
    ),
}


class QuotaLedgers(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


def quota_ledger(cur: Any, unit: str) -> list[dict[str, Any]]:
    """The unit's quotas by kind (and its leadership posts): approved, occupied, available."""
    cur.execute(
        "SELECT u.unit, u.name, u.level, c.kind, c.approved, c.occupied,"
        " c.approved - c.occupied AS available, c.figure, c.fixed_on FROM quota_counts c"
        " JOIN quota_units u ON u.id = c.unit_id WHERE u.unit = %s"
        " ORDER BY array_position(%s, c.kind)",
        (unit, _ORDER),
    )
    return list(cur.fetchall())


def quota_transfers(cur: Any, unit: str | None = None) -> list[dict[str, Any]]:
    """Transfers into or out of the unit (all of them without one), oldest first."""
    cur.execute(
        "SELECT on_day, from_unit, from_level, to_unit, to_level, kind, count, reverse,"
        " approval_body, approval_document, document_no, reason, message_id FROM quota_transfers"
        " WHERE %(unit)s::text IS NULL OR %(unit)s IN (from_unit, to_unit)"
        " ORDER BY on_day, from_unit, version",
        {"unit": unit},
    )
    return list(cur.fetchall())


def staffing_plans(cur: Any, year: int) -> list[dict[str, Any]]:
    """用编计划 — each unit's planned intake for the year, by kind."""
    cur.execute(
        "SELECT u.unit, u.name, u.level, p.kind, p.planned FROM quota_plans p"
        " JOIN quota_units u ON u.id = p.unit_id WHERE p.year = %s"
        " ORDER BY u.level, u.unit, p.kind",
        (year,),
    )
    return list(cur.fetchall())


def plan_shares(cur: Any, year: int | None = None) -> list[dict[str, Any]]:
    """Towns' share of each year's staffing plan (all plans, or one year's), against the target."""
    cur.execute(
        "SELECT p.year, sum(p.planned) FILTER (WHERE u.level = 'town')::int AS towns_planned,"
        " sum(p.planned)::int AS total_planned FROM quota_plans p JOIN quota_units u"
        " ON u.id = p.unit_id WHERE %(year)s::int IS NULL OR p.year = %(year)s"
        " GROUP BY p.year ORDER BY p.year",
        {"year": year},
    )
    rows = []
    for row in cur.fetchall():
        towns, total = row["towns_planned"] or 0, row["total_planned"]
        share = (Decimal(100 * towns) / total).quantize(Decimal("0.1")) if total else Decimal(0)
        rows.append(
            {
                "year": row["year"],
                "towns_planned": towns,
                "total_planned": total,
                "towns_share_pct": share,
                "target_pct": TARGET_TOWN_SHARE,
                "met": share >= TARGET_TOWN_SHARE,
            }
        )
    return rows


def plan_share(cur: Any, year: int) -> dict[str, Any] | None:
    """The towns' share of the year's staffing plan, or None when the year has no plan."""
    return next(iter(plan_shares(cur, year)), None)
