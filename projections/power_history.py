"""权力清单沿革 — town power holdings on both time axes: in force when, and known since when.

Every row is one version of what the ledger said: `effective_from`/`effective_until` is
when the holding is in force; `recorded_from`/`recorded_until` is when the ledger said
so. A recall recorded today that ends a holding last month closes the old version at
today's recording time and opens one that ends last month, so "what did the ledger say
on K about day D" is one indexed query, and so is "what do we know now".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aggregates.delegation import Delegation
from aggregates.power_item import PowerItem
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS power_item_versions (
        item_id uuid NOT NULL, code text NOT NULL, name text NOT NULL, kind text NOT NULL, list text NOT NULL,
        domain text NOT NULL, department text NOT NULL, retired boolean NOT NULL,
        recorded_from timestamptz NOT NULL, recorded_until timestamptz)""",
    "CREATE INDEX IF NOT EXISTS power_item_versions_code ON power_item_versions (item_id, recorded_from)",
    """CREATE TABLE IF NOT EXISTS holding_proposals (
        id uuid PRIMARY KEY, batch text NOT NULL, item text NOT NULL, town text NOT NULL,
        mode text NOT NULL, department text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS holding_versions (
        delegation_id uuid NOT NULL, item text NOT NULL, town text NOT NULL,
        effective_from date NOT NULL, effective_until date, document_no text,
        recorded_from timestamptz NOT NULL, recorded_until timestamptz)""",
    "CREATE INDEX IF NOT EXISTS holding_versions_town ON holding_versions (town, recorded_from)",
    # a recall or transfer closes its delegation's current version: without this, a table scan
    "CREATE INDEX IF NOT EXISTS holding_versions_delegation ON holding_versions (delegation_id)"
    " WHERE recorded_until IS NULL",
]
TRUNCATE = ["TRUNCATE power_item_versions, holding_proposals, holding_versions"]


def _registered(cur: Any, e: Any) -> None:
    d = e.details
    cur.execute("INSERT INTO power_item_versions VALUES (%s, %s, %s, %s, %s, %s, %s, false, %s, NULL)",
                (e.originator_id, e.code, d.name, d.kind, d.list, d.domain, d.department, e.timestamp))


def _next_item_version(cur: Any, e: Any, retired: bool) -> None:
    """Close the item's current version and open the next one (amended or retired)."""
    cur.execute("UPDATE power_item_versions SET recorded_until = %s WHERE item_id = %s"
                " AND recorded_until IS NULL RETURNING *", (e.timestamp, e.originator_id))
    current = cur.fetchone()
    d = getattr(e, "details", None)
    fields = (d.name, d.kind, d.list, d.domain, d.department) if d is not None else tuple(
        current[k] for k in ("name", "kind", "list", "domain", "department"))
    cur.execute("INSERT INTO power_item_versions VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, NULL)",
                (e.originator_id, current["code"], *fields, retired, e.timestamp))


def _approved(cur: Any, e: Any) -> None:
    cur.execute("INSERT INTO holding_versions SELECT id, item, town, %s, NULL, %s, %s, NULL"
                " FROM holding_proposals WHERE id = %s",
                (e.effective_on, e.ctx.document_no, e.timestamp, e.originator_id))


def _ended(cur: Any, e: Any) -> None:
    cur.execute("UPDATE holding_versions SET recorded_until = %s WHERE delegation_id = %s AND"
                " recorded_until IS NULL RETURNING item, town, effective_from, document_no",
                (e.timestamp, e.originator_id))
    for v in cur.fetchall():
        cur.execute("INSERT INTO holding_versions VALUES (%s, %s, %s, %s, %s, %s, %s, NULL)",
                    (e.originator_id, v["item"], v["town"], v["effective_from"], e.ended_on,
                     v["document_no"], e.timestamp))


_HANDLERS: dict[type, Any] = {
    PowerItem.Registered: _registered,
    PowerItem.Amended: lambda cur, e: _next_item_version(cur, e, retired=False),
    PowerItem.Retired: lambda cur, e: _next_item_version(cur, e, retired=True),
    Delegation.Proposed: lambda cur, e: cur.execute(
        "INSERT INTO holding_proposals VALUES (%s, %s, %s, %s, %s, %s)",
        (e.originator_id, e.batch, e.item, e.town, e.mode, e.department)),
    Delegation.Approved: _approved,
    Delegation.Recalled: _ended,
    Delegation.Transferred: _ended,
}


class PowerHistory(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


def _known(alias: str) -> str:
    return (f"{alias}.recorded_from <= %(known)s AND"
            f" ({alias}.recorded_until IS NULL OR {alias}.recorded_until > %(known)s)")


def town_powers_as_of(cur: Any, town: str, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """The items the ledger, as it stood at `known_at`, said town held on day `on`."""
    cur.execute(
        "SELECT i.code, i.name, i.kind, i.list, i.domain, p.department, p.mode, p.batch,"
        " h.effective_from AS since, h.document_no FROM holding_versions h"
        " JOIN holding_proposals p ON p.id = h.delegation_id"
        f" JOIN power_item_versions i ON i.code = h.item AND {_known('i')}"
        f" WHERE h.town = %(town)s AND {_known('h')} AND h.effective_from <= %(on)s"
        " AND (h.effective_until IS NULL OR h.effective_until > %(on)s) ORDER BY i.domain, i.code",
        {"town": town, "on": on, "known": known_at})
    return list(cur.fetchall())
