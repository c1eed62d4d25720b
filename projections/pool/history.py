"""编制周转池沿革 — the staffing turnover pool on both time axes: on a day, as known at a moment.

Contributions, approvals, returns and expiries are dated deltas (`pool_delta_rows`):
`effective_on` is the day each takes effect (China Standard Time), `recorded_at` when the
ledger recorded it; a renewal is a row moving the draw's end. The balance on day D as
the ledger stood at K is the sum of the deltas effective by D among those recorded by K:
a return recorded late but effective early lowers what is outstanding only from then on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aggregates.pool.staffing_pool import StaffingPool
from projections.runner import EventHandlers

TABLES = [
    """CREATE TABLE IF NOT EXISTS pool_rows (
        pool_id uuid PRIMARY KEY, pool text UNIQUE NOT NULL, name text NOT NULL,
        district text NOT NULL, capacity int NOT NULL, established_on date NOT NULL,
        recorded_at timestamptz NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS pool_draw_rows (
        pool_id uuid NOT NULL, draw text NOT NULL, town text NOT NULL, purpose text NOT NULL,
        count int NOT NULL, until date NOT NULL, recorded_at timestamptz NOT NULL,
        PRIMARY KEY (pool_id, draw))""",
    """CREATE TABLE IF NOT EXISTS pool_delta_rows (
        pool_id uuid NOT NULL, version int NOT NULL, draw text, contributed int NOT NULL,
        outstanding int NOT NULL, until date, effective_on date NOT NULL,
        recorded_at timestamptz NOT NULL, PRIMARY KEY (pool_id, version))""",
    "CREATE INDEX IF NOT EXISTS pool_delta_rows_draw ON pool_delta_rows (pool_id, draw, effective_on)",
]
TRUNCATE = ["TRUNCATE pool_rows, pool_draw_rows, pool_delta_rows"]
_DELTA = "INSERT INTO pool_delta_rows VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"


def _delta(
    cur: Any,
    e: Any,
    draw: str | None,
    contributed: int = 0,
    outstanding: int = 0,
    until: date | None = None,
    on: date | None = None,
) -> None:
    cur.execute(
        _DELTA,
        (
            e.originator_id,
            e.originator_version,
            draw,
            contributed,
            outstanding,
            until,
            on or e.ctx.effective_on,
            e.timestamp,
        ),
    )


def _approved(cur: Any, e: Any) -> None:
    cur.execute(
        "SELECT count FROM pool_draw_rows WHERE pool_id = %s AND draw = %s", (e.originator_id, e.draw)
    )
    _delta(cur, e, e.draw, outstanding=cur.fetchone()["count"])


def _requested(cur: Any, e: Any) -> None:
    t = e.terms
    cur.execute(
        "INSERT INTO pool_draw_rows VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (e.originator_id, e.draw, t.town, t.purpose, t.count, t.until, e.timestamp),
    )


_HANDLERS: dict[type, Any] = {
    StaffingPool.Established: lambda cur, e: cur.execute(
        "INSERT INTO pool_rows VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (
            e.originator_id,
            e.code,
            e.details.name,
            e.details.district,
            e.details.capacity,
            e.ctx.effective_on,
            e.timestamp,
        ),
    ),
    StaffingPool.Contributed: lambda cur, e: _delta(cur, e, None, contributed=e.count),
    StaffingPool.DrawRequested: _requested,
    StaffingPool.DrawApproved: _approved,
    StaffingPool.DrawReturned: lambda cur, e: _delta(cur, e, e.draw, outstanding=-e.count, on=e.on),
    StaffingPool.DrawExpired: lambda cur, e: _delta(cur, e, e.draw, outstanding=-e.count, on=e.on),
    StaffingPool.DrawRenewed: lambda cur, e: _delta(cur, e, e.draw, until=e.until),
}


class PoolHistory(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


_POOL = "(%(pool)s::text IS NULL OR p.pool = %(pool)s) AND p.recorded_at <= %(known)s"
_KNOWN = "d.recorded_at <= %(known)s AND d.effective_on <= %(on)s"


def pool_balance_as_of(cur: Any, pool: str | None, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """Each pool established by `on`: capacity, contributed, outstanding and available that
    day, as the ledger stood at `known_at`."""
    cur.execute(
        "SELECT pool, name, district, capacity, contributed, outstanding,"
        " contributed - outstanding AS available FROM (SELECT p.pool, p.name, p.district,"
        " p.capacity, coalesce(sum(d.contributed), 0)::int AS contributed,"
        " coalesce(sum(d.outstanding), 0)::int AS outstanding FROM pool_rows p"
        f" LEFT JOIN pool_delta_rows d ON d.pool_id = p.pool_id AND {_KNOWN}"
        f" WHERE {_POOL} AND p.established_on <= %(on)s GROUP BY p.pool_id) b ORDER BY pool",
        {"pool": pool, "on": on, "known": known_at},
    )
    return list(cur.fetchall())


def outstanding_draws_as_of(cur: Any, pool: str | None, on: date, known_at: datetime) -> list[dict[str, Any]]:
    """Draws with quotas out on `on` (and the end of their term then), as known at `known_at`."""
    cur.execute(
        "SELECT p.pool, r.draw, r.town, r.purpose, r.count, o.outstanding,"
        " greatest(r.until, o.renewed) AS until FROM pool_draw_rows r JOIN pool_rows p"
        " ON p.pool_id = r.pool_id CROSS JOIN LATERAL (SELECT sum(d.outstanding)::int AS"
        " outstanding, max(d.until) AS renewed FROM pool_delta_rows d WHERE d.pool_id = r.pool_id"
        f" AND d.draw = r.draw AND {_KNOWN}) o WHERE {_POOL} AND r.recorded_at <= %(known)s"
        " AND o.outstanding > 0 ORDER BY until, p.pool, r.draw",
        {"pool": pool, "on": on, "known": known_at},
    )
    return list(cur.fetchall())
