"""减负台账 — what each department imposes on towns and what it cleared, on both time axes.

`burden_baselines`: each district's baseline day (减负基线) and towns. `burden_spells`: one
row per version of what the ledger said about one spell of an item (one round, from its
imposition to its clearance): `effective_from`/`effective_until` is when the item falls on
its towns (a clearance ends it), `recorded_from`/`recorded_until` when the ledger said so. A
clearance recorded today closes the open version at today's recording time and opens one
ending on the clearance's day, as `projections/duties/history.py` does for duties.

Read as it stands (no day, no moment): every spell as last recorded, in force unless cleared.
On a day as known at a moment: the spells known then that had begun by the day, cleared if
their end was on or before it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aggregates.burden.registry import KINDS, BurdenBaseline, BurdenItem
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS burden_baselines (
        district text PRIMARY KEY, baseline_on date NOT NULL, towns text[] NOT NULL,
        document_no text, recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS burden_items (
        item_id uuid PRIMARY KEY, department text NOT NULL, district text NOT NULL,
        code text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS burden_spells (
        item_id uuid NOT NULL, department text NOT NULL, district text NOT NULL,
        code text NOT NULL, kind text NOT NULL, name text NOT NULL, basis text NOT NULL,
        towns text[] NOT NULL, all_towns boolean NOT NULL, existing boolean NOT NULL,
        approved_by text, approval_document text, effective_from date NOT NULL,
        effective_until date, cleared_reason text, cleared_document text,
        recorded_from timestamptz NOT NULL, recorded_until timestamptz)""",
    "CREATE INDEX IF NOT EXISTS burden_spells_department ON burden_spells (department, recorded_from)",
    "CREATE INDEX IF NOT EXISTS burden_spells_district ON burden_spells (district, kind)",
    """CREATE INDEX IF NOT EXISTS burden_spells_open ON burden_spells (item_id)
        WHERE recorded_until IS NULL AND effective_until IS NULL""",
]
TRUNCATE = ["TRUNCATE burden_baselines, burden_items, burden_spells"]


def _taken(cur: Any, e: Any) -> None:
    cur.execute(
        "INSERT INTO burden_baselines VALUES (%s, %s, %s, %s, %s)",
        (e.district, e.on, list(e.towns), e.ctx.document_no, e.timestamp),
    )


def _opened(cur: Any, e: Any) -> None:
    cur.execute(
        "INSERT INTO burden_items VALUES (%s, %s, %s, %s)",
        (e.originator_id, e.department, e.district, e.code),
    )


def _imposed(cur: Any, e: Any) -> None:
    """A new spell from the effective day, with the approval it stands on (none if existing)."""
    t, approval = e.terms, e.approval
    cur.execute(
        "INSERT INTO burden_spells SELECT item_id, department, district, code, %(kind)s, %(name)s,"
        " %(basis)s, %(towns)s, %(all)s, %(existing)s, %(by)s, %(doc)s, %(on)s, NULL, NULL, NULL,"
        " %(at)s, NULL FROM burden_items WHERE item_id = %(id)s",
        {
            "id": e.originator_id,
            "kind": t.kind,
            "name": t.name,
            "basis": t.basis,
            "towns": list(e.towns),
            "all": not t.towns,
            "existing": e.existing,
            "by": approval.approved_by if approval else None,
            "doc": approval.document_no if approval else None,
            "on": e.on,
            "at": e.timestamp,
        },
    )


def _cleared(cur: Any, e: Any) -> None:
    """The open spell closed at the recording time, and a version of it ending on the day."""
    cur.execute(
        "WITH closed AS (UPDATE burden_spells SET recorded_until = %(at)s WHERE item_id = %(id)s"
        " AND recorded_until IS NULL AND effective_until IS NULL RETURNING *)"
        " INSERT INTO burden_spells SELECT item_id, department, district, code, kind, name,"
        " basis, towns, all_towns, existing, approved_by, approval_document, effective_from,"
        " %(on)s, %(reason)s, %(doc)s, %(at)s, NULL FROM closed",
        {
            "id": e.originator_id,
            "at": e.timestamp,
            "on": e.on,
            "reason": e.ctx.reason,
            "doc": e.ctx.document_no,
        },
    )


class BurdenRegister(EventHandlers):
    """减负台账 — the districts' baselines and every spell of every item, on both time axes."""

    tables, truncate = TABLES, TRUNCATE
    handlers = {
        BurdenBaseline.Taken: _taken,
        BurdenItem.Opened: _opened,
        BurdenItem.Imposed: _imposed,
        BurdenItem.Cleared: _cleared,
    }


ITEM = (
    "department, district, code, kind, name, basis, towns, all_towns, existing, approved_by,"
    " approval_document, effective_from AS since, effective_until AS cleared_on, cleared_reason,"
    " cleared_document"
)


def _spells(
    cur: Any, where: str, params: dict[str, Any], on: date | None, known: datetime | None
) -> list[Any]:
    """The spells matching `where`, each with its `status` (`imposed` or `cleared`): as they
    stand (no `on`, no `known`), or begun by `on` as known at `known` (now when None)."""
    visible = (
        "recorded_until IS NULL"
        if known is None
        else "recorded_from <= %(known)s AND (recorded_until IS NULL OR recorded_until > %(known)s)"
    )
    begun = "" if on is None else " AND effective_from <= %(on)s"
    cur.execute(
        f"SELECT {ITEM}, CASE WHEN effective_until IS NOT NULL AND (%(on)s::date IS NULL"
        " OR effective_until <= %(on)s) THEN 'cleared' ELSE 'imposed' END AS status"
        f" FROM burden_spells WHERE {where} AND {visible}{begun}"
        " ORDER BY array_position(%(kinds)s::text[], kind), department, code, effective_from",
        {**params, "on": on, "known": known, "kinds": list(KINDS)},
    )
    return list(cur.fetchall())


def department_burden(
    cur: Any, department: str, on: date | None = None, known: datetime | None = None
) -> dict[str, list[dict[str, Any]]]:
    """What the department imposes on towns (`imposed`) and what it cleared, with the reasons
    (`cleared`): as they stand, or on `on` as known at `known`."""
    found = _spells(cur, "department = %(department)s", {"department": department}, on, known)
    return {
        "imposed": [_without_status(r) for r in found if r["status"] == "imposed"],
        "cleared": [_without_status(r) for r in found if r["status"] == "cleared"],
    }


def town_burden(
    cur: Any, town: str, on: date | None = None, known: datetime | None = None
) -> list[dict[str, Any]]:
    """Everything departments impose on the town: as it stands, or in force on `on` as known at
    `known`."""
    found = _spells(cur, "%(town)s = ANY(towns)", {"town": town}, on, known)
    return [
        {
            k: v
            for k, v in r.items()
            if k not in ("towns", "status", "cleared_on", "cleared_reason", "cleared_document")
        }
        for r in found
        if r["status"] == "imposed"
    ]


def _without_status(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "status"}


def district_of(cur: Any, town: str) -> str | None:
    """The district whose baseline names the town, if any."""
    cur.execute(
        "SELECT district FROM burden_baselines WHERE %s = ANY(towns) ORDER BY district LIMIT 1", (town,)
    )
    found = cur.fetchone()
    return found["district"] if found else None


def burden_counts(cur: Any, on: date) -> list[dict[str, Any]]:
    """减负监测 — per district (whose baseline day is on or before `on`) and kind: the items in
    force on the baseline day (`before`) and on `on` (`after`), those cleared and those added
    (approved new items) in between, as the ledger stands."""
    cur.execute(
        "SELECT b.district, k.kind, b.baseline_on,"
        " count(s.item_id) FILTER (WHERE s.effective_from <= b.baseline_on"
        "  AND (s.effective_until IS NULL OR s.effective_until > b.baseline_on)) AS before,"
        " count(s.item_id) FILTER (WHERE s.effective_from <= %(on)s"
        "  AND (s.effective_until IS NULL OR s.effective_until > %(on)s)) AS after,"
        " count(s.item_id) FILTER (WHERE s.effective_until > b.baseline_on"
        "  AND s.effective_until <= %(on)s) AS cleared,"
        " count(s.item_id) FILTER (WHERE NOT s.existing AND s.effective_from <= %(on)s) AS added"
        " FROM burden_baselines b CROSS JOIN unnest(%(kinds)s::text[]) AS k(kind)"
        " LEFT JOIN burden_spells s ON s.district = b.district AND s.kind = k.kind"
        "  AND s.recorded_until IS NULL"
        " WHERE b.baseline_on <= %(on)s GROUP BY b.district, k.kind, b.baseline_on"
        " HAVING count(s.item_id) > 0 ORDER BY b.district, array_position(%(kinds)s::text[], k.kind)",
        {"on": on, "kinds": list(KINDS)},
    )
    return [{**r, "change": r["after"] - r["before"]} for r in cur.fetchall()]
