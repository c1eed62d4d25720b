"""镇街权力清单 — which powers each town holds: the items, their holder and since when."""

from __future__ import annotations

from datetime import date
from typing import Any

from aggregates.delegation import Delegation
from aggregates.power_item import PowerItem
from projections.runner import EventHandlers

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
    "CREATE INDEX IF NOT EXISTS delegations_town ON delegations (town, status)",
]
TRUNCATE = ["TRUNCATE power_items, delegations"]
_ITEM_FIELDS = "name = %s, kind = %s, list = %s, domain = %s, legal_basis = %s, department = %s"


def _details(d: Any) -> tuple[Any, ...]:
    return d.name, d.kind, d.list, d.domain, d.legal_basis, d.department


def _status(cur: Any, e: Any, status: str, extra: str = "", params: tuple[Any, ...] = ()) -> None:
    cur.execute(
        f"UPDATE delegations SET status = %s{extra} WHERE id = %s",
        (status, *params, e.originator_id),
    )


_HANDLERS: dict[type, Any] = {
    PowerItem.Registered: lambda cur, e: cur.execute(
        "INSERT INTO power_items VALUES (%s, %s, %s, %s, %s, %s, %s, %s, false)",
        (e.originator_id, e.code, *_details(e.details)),
    ),
    PowerItem.Amended: lambda cur, e: cur.execute(
        f"UPDATE power_items SET {_ITEM_FIELDS} WHERE id = %s",
        (*_details(e.details), e.originator_id),
    ),
    PowerItem.Retired: lambda cur, e: cur.execute(
        "UPDATE power_items SET retired = true WHERE id = %s", (e.originator_id,)
    ),
    Delegation.Proposed: lambda cur, e: cur.execute(
        "INSERT INTO delegations (id, batch, item, town, mode, department, status) "
        "VALUES (%s, %s, %s, %s, %s, %s, 'proposed')",
        (e.originator_id, e.batch, e.item, e.town, e.mode, e.department),
    ),
    Delegation.AdmissionReviewStarted: lambda cur, e: _status(
        cur, e, "under_review", ", reviewing_body = %s", (e.body,)
    ),
    Delegation.Approved: lambda cur, e: _status(
        cur, e, "approved",
        ", reviewing_body = %s, effective_on = %s, support_staff = %s,"
        " support_funding_yuan = %s, support_training = %s, support_guidance = %s,"
        " document_no = %s",
        (e.review.body, e.effective_on, e.support.staff, e.support.funding_yuan,
         e.support.training_sessions, e.support.guidance, e.ctx.document_no),
    ),
    Delegation.Rejected: lambda cur, e: _status(
        cur, e, "rejected", ", reviewing_body = %s", (e.review.body,)
    ),
    Delegation.Recalled: lambda cur, e: _status(cur, e, "recalled", ", ended_on = %s", (e.ended_on,)),
    Delegation.Transferred: lambda cur, e: _status(
        cur, e, "transferred", ", ended_on = %s, transferred_to = %s", (e.ended_on, e.to_unit)
    ),
}


class TownPowerInventory(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


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
