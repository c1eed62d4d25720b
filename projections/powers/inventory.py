"""镇街权力清单 — which powers each town holds: the items, their holder and since when."""

from __future__ import annotations

from datetime import date
from typing import Any

from aggregates.powers.delegation import Delegation
from aggregates.powers.item import PowerItem
from projections.staging import StagedHandlers, StagedRows

TABLES = [
    """CREATE TABLE IF NOT EXISTS power_items (
        id uuid PRIMARY KEY, code text UNIQUE NOT NULL, name text NOT NULL, kind text NOT NULL,
        list text NOT NULL, domain text NOT NULL, legal_basis text NOT NULL,
        department text NOT NULL, retired boolean NOT NULL DEFAULT false)""",
    """CREATE TABLE IF NOT EXISTS delegations (
        id uuid PRIMARY KEY, batch text NOT NULL, item text NOT NULL, town text NOT NULL,
        mode text NOT NULL, department text NOT NULL, status text NOT NULL,
        reviewing_body text, effective_on date, ended_on date, transferred_to text,
        support_staff int, support_funding_yuan numeric, support_training int,
        support_guidance text, document_no text)""",
]
QUERY_INDEXES = ["CREATE INDEX IF NOT EXISTS delegations_town ON delegations (town, status)"]
TRUNCATE = ["TRUNCATE power_items, delegations"]
ITEM_COLUMNS = ("id", "code", "name", "kind", "list", "domain", "legal_basis", "department", "retired")
DELEGATION_COLUMNS = (
    "id",
    "batch",
    "item",
    "town",
    "mode",
    "department",
    "status",
    "reviewing_body",
    "effective_on",
    "ended_on",
    "transferred_to",
    "support_staff",
    "support_funding_yuan",
    "support_training",
    "support_guidance",
    "document_no",
)


def _details(d: Any) -> dict[str, Any]:
    return {
        "name": d.name,
        "kind": d.kind,
        "list": d.list,
        "domain": d.domain,
        "legal_basis": d.legal_basis,
        "department": d.department,
    }


def _approved(m: TownPowerInventory, e: Any) -> None:
    m.delegations.set(
        e.originator_id,
        status="approved",
        reviewing_body=e.review.body,
        effective_on=e.effective_on,
        support_staff=e.support.staff,
        support_funding_yuan=e.support.funding_yuan,
        support_training=e.support.training_sessions,
        support_guidance=e.support.guidance,
        document_no=e.ctx.document_no,
    )


_HANDLERS: dict[type, Any] = {
    PowerItem.Registered: lambda m, e: m.items.add(
        (e.originator_id, e.code, *_details(e.details).values(), False)
    ),
    PowerItem.Amended: lambda m, e: m.items.set(e.originator_id, **_details(e.details)),
    PowerItem.Retired: lambda m, e: m.items.set(e.originator_id, retired=True),
    Delegation.Proposed: lambda m, e: m.delegations.add(
        (e.originator_id, e.batch, e.item, e.town, e.mode, e.department, "proposed") + (None,) * 9
    ),
    Delegation.AdmissionReviewStarted: lambda m, e: m.delegations.set(
        e.originator_id, status="under_review", reviewing_body=e.body
    ),
    Delegation.Approved: _approved,
    Delegation.Rejected: lambda m, e: m.delegations.set(
        e.originator_id, status="rejected", reviewing_body=e.review.body
    ),
    Delegation.Recalled: lambda m, e: m.delegations.set(
        e.originator_id, status="recalled", ended_on=e.ended_on
    ),
    Delegation.Transferred: lambda m, e: m.delegations.set(
        e.originator_id, status="transferred", ended_on=e.ended_on, transferred_to=e.to_unit
    ),
}


class TownPowerInventory(StagedHandlers):
    tables, truncate, handlers, query_indexes = TABLES, TRUNCATE, _HANDLERS, QUERY_INDEXES
    per_aggregate = True  # an item's or a delegation's events touch and read its own rows only

    def __init__(self) -> None:
        self.items = StagedRows("power_items", ITEM_COLUMNS)
        self.delegations = StagedRows("delegations", DELEGATION_COLUMNS)
        self.staged = (self.items, self.delegations)


IN_FORCE = "d.effective_on <= %(on)s AND (d.ended_on IS NULL OR d.ended_on > %(on)s)"


def town_powers(cur: Any, town: str, on: date) -> list[dict[str, Any]]:
    """The items town holds on the given day, with the delegation that gave each one."""
    cur.execute(
        "SELECT p.code, p.name, p.kind, p.list, p.domain, d.department, d.mode, d.batch,"
        " d.effective_on AS since, d.document_no FROM delegations d"
        " JOIN power_items p ON p.code = d.item"
        f" WHERE d.town = %(town)s AND d.status IN ('approved', 'recalled', 'transferred')"
        f" AND {IN_FORCE} ORDER BY p.domain, p.code",
        {"town": town, "on": on},
    )
    return list(cur.fetchall())


def town_counts(cur: Any, on: date) -> list[dict[str, Any]]:
    """Per town, how many items it holds on the given day, by kind and by list."""
    cur.execute(
        "SELECT d.town, p.kind, p.list, count(*) AS items FROM delegations d"
        " JOIN power_items p ON p.code = d.item"
        " WHERE d.status IN ('approved', 'recalled', 'transferred')"
        f" AND {IN_FORCE} GROUP BY d.town, p.kind, p.list ORDER BY d.town, p.kind, p.list",
        {"on": on},
    )
    return list(cur.fetchall())
