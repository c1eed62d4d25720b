"""力量下沉名册 — who is sunk down where, in which mode, since when, and every adjustment.

Persons appear by pseudonymous id only: no personal data, not even its sealed token, so
erasing a person's data changes nothing here. The policy monitors read these tables
(`projections/sinkdown/monitors.py`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aggregates.sinkdown.baseline import EnforcementStaffing
from aggregates.sinkdown.transfer import SinkDownTransfer as T
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS sink_down_transfers (
        id uuid PRIMARY KEY, code text UNIQUE NOT NULL, department text NOT NULL,
        town text NOT NULL, mode text NOT NULL, team text NOT NULL, status text NOT NULL,
        proposed_on date NOT NULL, consulted_on date, effective_on date, veto_reason text)""",
    """CREATE TABLE IF NOT EXISTS sink_down_postings (
        transfer_id uuid NOT NULL, person text NOT NULL, post text NOT NULL,
        enforcement boolean NOT NULL, rank text, status text NOT NULL, since date, until date,
        replaces text, replaced_by text, PRIMARY KEY (transfer_id, person))""",
    """CREATE TABLE IF NOT EXISTS sink_down_adjustments (
        transfer_id uuid NOT NULL, seq int NOT NULL, person text NOT NULL, kind text NOT NULL,
        agreed boolean, on_day date NOT NULL, reason text, document_no text,
        PRIMARY KEY (transfer_id, seq))""",
    """CREATE TABLE IF NOT EXISTS enforcement_baselines (
        id uuid PRIMARY KEY, unit text UNIQUE NOT NULL, level text NOT NULL, category text,
        staff int NOT NULL, as_of date NOT NULL)""",
]
TRUNCATE = ["TRUNCATE sink_down_transfers, sink_down_postings, sink_down_adjustments, enforcement_baselines"]
_POSTING = "INSERT INTO sink_down_postings VALUES (%s, %s, %s, %s, %s, %s, %s, NULL, %s, NULL)"


def _proposed(cur: Any, e: Any) -> None:
    d = e.details
    cur.execute(
        "INSERT INTO sink_down_transfers VALUES (%s, %s, %s, %s, %s, %s, 'proposed', %s, NULL, NULL, NULL)",
        (e.originator_id, e.code, d.department, d.town, d.mode, d.team, e.ctx.effective_on),
    )
    cur.executemany(
        _POSTING,
        [
            (e.originator_id, p.person, p.post, p.enforcement, p.rank, "proposed", None, None)
            for p in e.persons
        ],
    )


def _status(cur: Any, e: Any, status: str, column: str, reason: str | None = None) -> None:
    cur.execute(
        f"UPDATE sink_down_transfers SET status = %s, {column} = %s,"
        " veto_reason = coalesce(%s, veto_reason) WHERE id = %s",
        (status, e.on, reason, e.originator_id),
    )
    if status in ("effective", "vetoed"):
        cur.execute(
            "UPDATE sink_down_postings SET status = %s, since = %s"
            " WHERE transfer_id = %s AND status = 'proposed'",
            (
                "sunk" if status == "effective" else "vetoed",
                e.on if status == "effective" else None,
                e.originator_id,
            ),
        )


def _logged(cur: Any, e: Any, kind: str, agreed: bool | None) -> None:
    cur.execute(
        "INSERT INTO sink_down_adjustments VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            e.originator_id,
            e.originator_version,
            e.person,
            kind,
            agreed,
            e.on,
            e.ctx.reason,
            e.ctx.document_no,
        ),
    )


def _adjusted(cur: Any, e: Any, kind: str, status: str) -> None:
    _logged(cur, e, kind, None)
    by = e.replacement.person if kind == "rotate" else None
    cur.execute(
        "UPDATE sink_down_postings SET status = %s, until = %s, replaced_by = %s"
        " WHERE transfer_id = %s AND person = %s",
        (status, e.on, by, e.originator_id, e.person),
    )
    if by is not None:
        r = e.replacement
        cur.execute(
            _POSTING, (e.originator_id, r.person, r.post, r.enforcement, r.rank, "sunk", e.on, e.person)
        )


_HANDLERS: dict[type, Any] = {
    T.Proposed: _proposed,
    T.TownConsented: lambda cur, e: _status(cur, e, "consented", "consulted_on"),
    T.TownVetoed: lambda cur, e: _status(cur, e, "vetoed", "consulted_on", e.ctx.reason),
    T.TookEffect: lambda cur, e: _status(cur, e, "effective", "effective_on"),
    T.AdjustmentConsulted: lambda cur, e: _logged(cur, e, e.kind, e.agreed),
    T.Recalled: lambda cur, e: _adjusted(cur, e, "recall", "recalled"),
    T.Returned: lambda cur, e: _adjusted(cur, e, "return", "returned"),
    T.Rotated: lambda cur, e: _adjusted(cur, e, "rotate", "rotated"),
    EnforcementStaffing.Declared: lambda cur, e: cur.execute(
        "INSERT INTO enforcement_baselines VALUES (%s, %s, %s, %s, %s, %s)",
        (e.originator_id, e.unit, e.level, e.category, e.count, e.as_of),
    ),
    EnforcementStaffing.Corrected: lambda cur, e: cur.execute(
        "UPDATE enforcement_baselines SET staff = %s, as_of = %s WHERE id = %s",
        (e.count, e.as_of, e.originator_id),
    ),
}


class SinkDownRoster(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


_IN_FORCE = "p.since <= %(on)s AND (p.until IS NULL OR %(on)s < p.until)"


def roster(
    cur: Any, town: str | None = None, department: str | None = None, on: date | None = None
) -> list[dict[str, Any]]:
    """Who is sunk down where: today's roster, or the one in force on `on`; ids only."""
    cur.execute(
        "SELECT t.town, t.department, t.team, t.mode, t.code AS transfer, p.person, p.post,"
        " p.enforcement, p.rank, p.since, p.until, p.replaces"
        " FROM sink_down_postings p JOIN sink_down_transfers t ON t.id = p.transfer_id"
        f" WHERE {_IN_FORCE if on else 'p.status = %(sunk)s'}"
        " AND t.town = coalesce(%(town)s, t.town) AND t.department = coalesce(%(dept)s, t.department)"
        " ORDER BY t.town, t.department, t.code, p.since, p.person",
        {"on": on, "sunk": "sunk", "town": town, "dept": department},
    )
    return list(cur.fetchall())


def adjustments(cur: Any, town: str | None = None, department: str | None = None) -> list[dict[str, Any]]:
    """Every adjustment of a sunk-down person, with the town's prior consultation (征求意见) if
    any: the day the town last agreed to that adjustment of that person before it was made."""
    cur.execute(
        "SELECT t.town, t.department, t.mode, t.code AS transfer, a.person, a.kind, a.on_day,"
        " p.rank, p.replaced_by AS replacement, a.reason, a.document_no,"
        " (SELECT max(c.on_day) FROM sink_down_adjustments c WHERE c.transfer_id = a.transfer_id"
        "  AND c.person = a.person AND c.kind = a.kind AND c.agreed AND c.seq < a.seq"
        "  AND c.on_day <= a.on_day) AS consulted_on"
        " FROM sink_down_adjustments a JOIN sink_down_transfers t ON t.id = a.transfer_id"
        " JOIN sink_down_postings p ON p.transfer_id = a.transfer_id AND p.person = a.person"
        " WHERE a.agreed IS NULL AND t.town = coalesce(%(town)s, t.town)"
        " AND t.department = coalesce(%(dept)s, t.department) ORDER BY a.on_day, t.code, a.seq",
        {"town": town, "dept": department},
    )
    return list(cur.fetchall())
