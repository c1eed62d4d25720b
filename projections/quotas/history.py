"""编制台账沿革 — each unit's quota ledger on both time axes: in force on a day, known at a moment.

Every change is kept as a dated row: `effective_on` is the day it takes effect (China
Standard Time), `recorded_at` when the ledger recorded it. A 核定 (`quota_figure_rows`)
fixes the approved number from its day on and covers every transfer effective up to that
day; transfers and occupancy are deltas (`quota_delta_rows`). "What did the ledger, as it
stood at K, say the unit held on day D" sums the deltas effective by D among those
recorded by K, so a change recorded late but effective early shows up only from then on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aggregates.quotas.quota_ledger import KINDS, LEADERSHIP, LEVELS, QuotaLedger
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS quota_unit_rows (
        ledger_id uuid NOT NULL, unit text NOT NULL, level text NOT NULL, name text,
        district text, recorded_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS quota_unit_rows_unit ON quota_unit_rows (unit, recorded_at)",
    "CREATE INDEX IF NOT EXISTS quota_unit_rows_ledger ON quota_unit_rows (ledger_id, recorded_at)",
    """CREATE TABLE IF NOT EXISTS quota_figure_rows (
        ledger_id uuid NOT NULL, version int NOT NULL, kind text NOT NULL, figure int NOT NULL,
        effective_on date NOT NULL, recorded_at timestamptz NOT NULL,
        PRIMARY KEY (ledger_id, version))""",
    """CREATE TABLE IF NOT EXISTS quota_delta_rows (
        ledger_id uuid NOT NULL, version int NOT NULL, kind text NOT NULL, moved int NOT NULL,
        occupied int NOT NULL, effective_on date NOT NULL, recorded_at timestamptz NOT NULL,
        counterpart text, counterpart_level text, approval_body text, approval_document text,
        document_no text, reason text, message_id text, PRIMARY KEY (ledger_id, version))""",
    """CREATE INDEX IF NOT EXISTS quota_delta_rows_kind
        ON quota_delta_rows (ledger_id, kind, effective_on)""",
]
TRUNCATE = ["TRUNCATE quota_unit_rows, quota_figure_rows, quota_delta_rows"]
_ORDER = [*KINDS, LEADERSHIP]


def _opened(cur: Any, e: Any) -> None:
    d = e.details
    cur.execute(
        "INSERT INTO quota_unit_rows VALUES (%s, %s, %s, %s, %s, %s)",
        (e.originator_id, e.unit, e.level, d and d.name, d and d.district, e.timestamp),
    )


def _details(cur: Any, e: Any) -> None:
    cur.execute(
        "INSERT INTO quota_unit_rows SELECT DISTINCT ON (ledger_id) ledger_id, unit, level,"
        " %s, %s, %s FROM quota_unit_rows WHERE ledger_id = %s ORDER BY ledger_id,"
        " recorded_at DESC",
        (e.details.name, e.details.district, e.timestamp, e.originator_id),
    )


def _delta(moved: int = 0, occupied: int = 0) -> Any:
    """A handler recording the event's count as a delta: +1/−1 signs for moved and occupied."""

    def handle(cur: Any, e: Any) -> None:
        c, a = e.ctx, getattr(e, "approval", None)
        counterpart = getattr(e, "to_unit", None) or getattr(e, "from_unit", None)
        level = getattr(e, "to_level", None) or getattr(e, "from_level", None)
        cur.execute(
            "INSERT INTO quota_delta_rows VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                e.originator_id,
                e.originator_version,
                e.kind,
                moved * e.count,
                occupied * e.count,
                getattr(e, "on", c.effective_on),
                e.timestamp,
                counterpart,
                level,
                a and a.body,
                a and a.document_no,
                c.document_no,
                c.reason,
                c.message_id,
            ),
        )

    return handle


_HANDLERS: dict[type, Any] = {
    QuotaLedger.Opened: _opened,
    QuotaLedger.DetailsRecorded: _details,
    QuotaLedger.Approved: lambda cur, e: cur.execute(
        "INSERT INTO quota_figure_rows VALUES (%s, %s, %s, %s, %s, %s)",
        (e.originator_id, e.originator_version, e.kind, e.figure, e.on, e.timestamp),
    ),
    QuotaLedger.Occupied: _delta(occupied=1),
    QuotaLedger.Vacated: _delta(occupied=-1),
    QuotaLedger.TransferredOut: _delta(moved=-1),
    QuotaLedger.TransferredIn: _delta(moved=1),
}


class QuotaHistory(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


_UNIT = (
    "SELECT DISTINCT ON (ledger_id) * FROM quota_unit_rows WHERE unit = %(unit)s"
    " AND recorded_at <= %(known)s ORDER BY ledger_id, recorded_at DESC"
)


def _known(alias: str) -> str:
    return f"{alias}.recorded_at <= %(known)s AND {alias}.effective_on <= %(on)s"


def quota_ledger_as_of(cur: Any, unit: str, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """The unit's quotas by kind on day `on`, as the ledger stood at `known_at`."""
    cur.execute(
        "SELECT unit, name, level, kind, approved, occupied, approved - occupied AS available,"
        " figure, fixed_on FROM (SELECT u.unit, u.name, u.level, k.kind, k.n, f.figure,"
        " f.effective_on AS fixed_on, coalesce(f.figure, 0) + coalesce((SELECT sum(d.moved)"
        f" FROM quota_delta_rows d WHERE d.ledger_id = u.ledger_id AND d.kind = k.kind AND {_known('d')}"
        " AND d.effective_on > coalesce(f.effective_on, '-infinity')), 0)::int AS approved,"
        " coalesce((SELECT sum(d.occupied) FROM quota_delta_rows d WHERE d.ledger_id = u.ledger_id"
        f" AND d.kind = k.kind AND {_known('d')}), 0)::int AS occupied FROM ({_UNIT}) u"
        " CROSS JOIN unnest(%(kinds)s::text[]) WITH ORDINALITY k(kind, n)"
        " LEFT JOIN LATERAL (SELECT figure, effective_on FROM quota_figure_rows f"
        f" WHERE f.ledger_id = u.ledger_id AND f.kind = k.kind AND {_known('f')}"
        " ORDER BY effective_on DESC, version DESC LIMIT 1) f ON true) q ORDER BY n",
        {"unit": unit, "on": on, "known": known_at, "kinds": _ORDER},
    )
    return list(cur.fetchall())


def quota_transfers_as_of(cur: Any, unit: str, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """Transfers into or out of the unit effective by `on`, as recorded by `known_at`."""
    cur.execute(
        "SELECT on_day, from_unit, from_level, to_unit, to_level, kind, count,"
        " array_position(%(levels)s::text[], to_level) > array_position(%(levels)s::text[],"
        " from_level) AS reverse, approval_body, approval_document, document_no, reason,"
        " message_id FROM (SELECT d.effective_on AS on_day,"
        " CASE WHEN d.moved < 0 THEN u.unit ELSE d.counterpart END AS from_unit,"
        " CASE WHEN d.moved < 0 THEN u.level ELSE d.counterpart_level END AS from_level,"
        " CASE WHEN d.moved < 0 THEN d.counterpart ELSE u.unit END AS to_unit,"
        " CASE WHEN d.moved < 0 THEN d.counterpart_level ELSE u.level END AS to_level,"
        " d.kind, abs(d.moved) AS count, d.approval_body, d.approval_document, d.document_no,"
        f" d.reason, d.message_id, d.recorded_at FROM ({_UNIT}) u JOIN quota_delta_rows d"
        f" ON d.ledger_id = u.ledger_id AND d.moved <> 0 AND {_known('d')})"
        " t ORDER BY on_day, from_unit, recorded_at",
        {"unit": unit, "on": on, "known": known_at, "levels": list(LEVELS)},
    )
    return list(cur.fetchall())
