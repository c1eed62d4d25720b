"""权力清单沿革 — town power holdings on both time axes: in force when, and known since when.

Every row is one version of what the ledger said: `effective_from`/`effective_until` is
when the holding is in force; `recorded_from`/`recorded_until` is when the ledger said
so. A recall recorded today that ends a holding last month closes the old version at
today's recording time and opens one that ends last month, so "what did the ledger say
on K about day D" is one indexed query, and so is "what do we know now".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from aggregates.powers.delegation import Delegation
from aggregates.powers.item import PowerItem
from projections.staging import StagedHandlers, StagedRows, StagedVersions

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
    # a recall or transfer closes its delegation's current version: without this, a table scan
    "CREATE INDEX IF NOT EXISTS holding_versions_delegation ON holding_versions (delegation_id)"
    " WHERE recorded_until IS NULL",
]
QUERY_INDEXES = ["CREATE INDEX IF NOT EXISTS holding_versions_town ON holding_versions (town, recorded_from)"]
TRUNCATE = ["TRUNCATE power_item_versions, holding_proposals, holding_versions"]


PROPOSAL_COLUMNS = ("id", "batch", "item", "town", "mode", "department")


def _registered(m: PowerHistory, e: Any) -> None:
    d = e.details
    m.items.open(
        e.originator_id,
        {
            "code": e.code,
            "name": d.name,
            "kind": d.kind,
            "list": d.list,
            "domain": d.domain,
            "department": d.department,
            "retired": False,
        },
        e.timestamp,
    )


def _next_item_version(m: PowerHistory, e: Any, retired: bool) -> None:
    """Close the item's current version and open the next one (amended or retired)."""
    closed = m.items.close(e.originator_id, e.timestamp)
    if not closed:
        raise LookupError(f"power item {e.originator_id} has no version to follow")
    d, current = getattr(e, "details", None), closed[0]
    fields = (
        {"name": d.name, "kind": d.kind, "list": d.list, "domain": d.domain, "department": d.department}
        if d is not None
        else {}
    )
    m.items.open(e.originator_id, {**current, **fields, "retired": retired}, e.timestamp)


def _proposed(m: PowerHistory, e: Any) -> None:
    m.proposals.add((e.originator_id, e.batch, e.item, e.town, e.mode, e.department))
    m.proposed[e.originator_id] = (e.item, e.town)


def _approved(m: PowerHistory, e: Any) -> None:
    proposal = m.proposed.get(e.originator_id)
    if proposal is None:
        return  # no proposal, no holding (as the join to the proposals found none)
    item, town = proposal
    m.holdings.open(
        e.originator_id,
        {
            "item": item,
            "town": town,
            "effective_from": e.effective_on,
            "effective_until": None,
            "document_no": e.ctx.document_no,
        },
        e.timestamp,
    )


def _ended(m: PowerHistory, e: Any) -> None:
    for version in m.holdings.close(e.originator_id, e.timestamp):
        m.holdings.open(e.originator_id, {**version, "effective_until": e.ended_on}, e.timestamp)


_HANDLERS: dict[type, Any] = {
    PowerItem.Registered: _registered,
    PowerItem.Amended: lambda m, e: _next_item_version(m, e, retired=False),
    PowerItem.Retired: lambda m, e: _next_item_version(m, e, retired=True),
    Delegation.Proposed: _proposed,
    Delegation.Approved: _approved,
    Delegation.Recalled: _ended,
    Delegation.Transferred: _ended,
}


class PowerHistory(StagedHandlers):
    tables, truncate, handlers, query_indexes = TABLES, TRUNCATE, _HANDLERS, QUERY_INDEXES
    per_aggregate = True  # an item's or a delegation's events touch and read its own rows only

    def __init__(self) -> None:
        self.items = StagedVersions(
            "power_item_versions",
            "item_id",
            ("code", "name", "kind", "list", "domain", "department", "retired"),
        )
        self.proposals = StagedRows("holding_proposals", PROPOSAL_COLUMNS)
        self.holdings = StagedVersions(
            "holding_versions",
            "delegation_id",
            ("item", "town", "effective_from", "effective_until", "document_no"),
        )
        self.staged = (self.items, self.proposals, self.holdings)
        # (item, town) by delegation: the page's proposals and the earlier ones it approves
        self.proposed: dict[Any, tuple[str, str]] = {}

    def prepare(self, cur: Any, events: Sequence[Any]) -> None:
        """The earlier pages' proposals the page approves and open versions it closes."""
        wanted: dict[type, list[Any]] = {}
        for e in events:
            wanted.setdefault(type(e), []).append(e.originator_id)
        in_page = set(wanted.get(Delegation.Proposed, ()))  # proposed once: not in an earlier page too
        approved = [i for i in wanted.get(Delegation.Approved, ()) if i not in in_page]
        self.proposed = {}
        if approved:
            cur.execute("SELECT id, item, town FROM holding_proposals WHERE id = ANY(%s)", (approved,))
            self.proposed = {row["id"]: (row["item"], row["town"]) for row in cur.fetchall()}
        self.holdings.read_open(
            cur, wanted.get(Delegation.Recalled, []) + wanted.get(Delegation.Transferred, [])
        )
        self.items.read_open(cur, wanted.get(PowerItem.Amended, []) + wanted.get(PowerItem.Retired, []))


def _known(alias: str) -> str:
    return (
        f"{alias}.recorded_from <= %(known)s AND"
        f" ({alias}.recorded_until IS NULL OR {alias}.recorded_until > %(known)s)"
    )


def town_powers_as_of(cur: Any, town: str, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """The items the ledger, as it stood at `known_at`, said town held on day `on`."""
    cur.execute(
        "SELECT i.code, i.name, i.kind, i.list, i.domain, p.department, p.mode, p.batch,"
        " h.effective_from AS since, h.document_no FROM holding_versions h"
        " JOIN holding_proposals p ON p.id = h.delegation_id"
        f" JOIN power_item_versions i ON i.code = h.item AND {_known('i')}"
        f" WHERE h.town = %(town)s AND {_known('h')} AND h.effective_from <= %(on)s"
        " AND (h.effective_until IS NULL OR h.effective_until > %(on)s) ORDER BY i.domain, i.code",
        {"town": town, "on": on, "known": known_at},
    )
    return list(cur.fetchall())
