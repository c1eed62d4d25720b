"""编制周转池 — pool balance and outstanding draws: by purpose, by expiry, and what is due soon."""

from __future__ import annotations

from datetime import date
from typing import Any

from aggregates.base import days_from
from aggregates.pool.staffing_pool import StaffingPool
from projections.runner import EventHandlers

PURPOSE_NAMES = {"major_task": "重大阶段性任务", "structure": "改善人员结构", "scarce_talent": "引进紧缺人才"}
TABLES = [
    """CREATE TABLE IF NOT EXISTS pool_balances (
        id uuid PRIMARY KEY, pool text UNIQUE NOT NULL, name text NOT NULL,
        district text NOT NULL, capacity int NOT NULL, contributed int NOT NULL,
        outstanding int NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS pool_contributions (
        pool_id uuid NOT NULL, version int NOT NULL, unit text NOT NULL, count int NOT NULL,
        on_day date NOT NULL, PRIMARY KEY (pool_id, version))""",
    """CREATE TABLE IF NOT EXISTS pool_draws (
        pool_id uuid NOT NULL, draw text NOT NULL, town text NOT NULL, count int NOT NULL,
        purpose text NOT NULL, until date NOT NULL, status text NOT NULL,
        outstanding int NOT NULL, requested_on date NOT NULL, decided_on date, ended_on date,
        PRIMARY KEY (pool_id, draw))""",
]
TRUNCATE = ["TRUNCATE pool_balances, pool_contributions, pool_draws"]
_DRAW = "UPDATE pool_draws SET {} WHERE pool_id = %(id)s AND draw = %(draw)s"
_OUTSTANDING = "UPDATE pool_balances SET outstanding = outstanding + %s WHERE id = %s"


def _draw(cur: Any, e: Any, columns: str, **values: Any) -> None:
    cur.execute(_DRAW.format(columns), {"id": e.originator_id, "draw": e.draw, **values})


def _requested(cur: Any, e: Any) -> None:
    t = e.terms
    cur.execute(
        "INSERT INTO pool_draws VALUES (%s, %s, %s, %s, %s, %s, 'requested', 0, %s, NULL, NULL)",
        (e.originator_id, e.draw, t.town, t.count, t.purpose, t.until, e.ctx.effective_on),
    )


def _approved(cur: Any, e: Any) -> None:
    _draw(cur, e, "status = 'approved', outstanding = count, decided_on = %(on)s", on=e.ctx.effective_on)
    cur.execute(
        "UPDATE pool_balances b SET outstanding = b.outstanding + d.count FROM pool_draws d"
        " WHERE b.id = %s AND d.pool_id = b.id AND d.draw = %s",
        (e.originator_id, e.draw),
    )


def _back(status: str) -> Any:
    """Quotas come back (returned or expired); the draw ends when none are left out."""

    def handle(cur: Any, e: Any) -> None:
        _draw(
            cur,
            e,
            "outstanding = outstanding - %(n)s, status = CASE WHEN outstanding = %(n)s"
            " THEN %(status)s ELSE status END, ended_on = CASE WHEN outstanding = %(n)s"
            " THEN %(on)s END",
            n=e.count,
            status=status,
            on=e.on,
        )
        cur.execute(_OUTSTANDING, (-e.count, e.originator_id))

    return handle


_HANDLERS: dict[type, Any] = {
    StaffingPool.Established: lambda cur, e: cur.execute(
        "INSERT INTO pool_balances VALUES (%s, %s, %s, %s, %s, 0, 0)",
        (e.originator_id, e.code, e.details.name, e.details.district, e.details.capacity),
    ),
    StaffingPool.Contributed: lambda cur, e: cur.execute(
        "WITH c AS (INSERT INTO pool_contributions VALUES (%(id)s, %(v)s, %(unit)s, %(n)s, %(on)s))"
        " UPDATE pool_balances SET contributed = contributed + %(n)s WHERE id = %(id)s",
        {
            "id": e.originator_id,
            "v": e.originator_version,
            "unit": e.unit,
            "n": e.count,
            "on": e.ctx.effective_on,
        },
    ),
    StaffingPool.DrawRequested: _requested,
    StaffingPool.DrawApproved: _approved,
    StaffingPool.DrawRejected: lambda cur, e: _draw(
        cur, e, "status = 'rejected', decided_on = %(on)s", on=e.ctx.effective_on
    ),
    StaffingPool.DrawReturned: _back("returned"),
    StaffingPool.DrawRenewed: lambda cur, e: _draw(cur, e, "until = %(until)s", until=e.until),
    StaffingPool.DrawExpired: _back("expired"),
}


class PoolBalance(EventHandlers):
    tables, truncate, handlers = TABLES, TRUNCATE, _HANDLERS


_POOL = "(%(pool)s::text IS NULL OR b.pool = %(pool)s)"
_OUT = f"FROM pool_draws d JOIN pool_balances b ON b.id = d.pool_id WHERE {_POOL} AND d.outstanding > 0"


def pool_balance(cur: Any, pool: str | None = None) -> list[dict[str, Any]]:
    """Each pool's capacity, contributed, outstanding and available (contributed − outstanding)."""
    cur.execute(
        "SELECT b.pool, b.name, b.district, b.capacity, b.contributed, b.outstanding,"
        f" b.contributed - b.outstanding AS available FROM pool_balances b WHERE {_POOL}"
        " ORDER BY b.pool",
        {"pool": pool},
    )
    return list(cur.fetchall())


def pool_draws(cur: Any, pool: str | None = None) -> list[dict[str, Any]]:
    """Every draw, whatever its status, in the order requested."""
    cur.execute(
        "SELECT b.pool, d.draw, d.town, d.purpose, d.count, d.status, d.outstanding,"
        " d.until, d.requested_on, d.decided_on, d.ended_on FROM pool_draws d JOIN"
        f" pool_balances b ON b.id = d.pool_id WHERE {_POOL}"
        " ORDER BY b.pool, d.requested_on, d.draw",
        {"pool": pool},
    )
    return list(cur.fetchall())


_GROUPS = {"purpose": "d.purpose", "until": "d.until"}


def outstanding_draws(cur: Any, pool: str | None = None, group_by: str | None = None) -> list[dict[str, Any]]:
    """Draws with quotas still out; or, `group_by` "purpose" or "until" (expiry date), how
    many draws and quotas are out per purpose or per expiry date."""
    if group_by is None:
        cur.execute(
            "SELECT b.pool, d.draw, d.town, d.purpose, d.count, d.outstanding, d.until"
            f" {_OUT} ORDER BY d.until, b.pool, d.draw",
            {"pool": pool},
        )
        return list(cur.fetchall())
    column = _GROUPS[group_by]
    cur.execute(
        f"SELECT b.pool, {column} AS {group_by}, count(*)::int AS draws,"
        f" sum(d.outstanding)::int AS quotas {_OUT} GROUP BY b.pool, {column}"
        f" ORDER BY b.pool, {column}",
        {"pool": pool},
    )
    return list(cur.fetchall())


def expiring_draws(cur: Any, within_days: int, on: date) -> list[dict[str, Any]]:
    """Outstanding draws whose term ends within `within_days` of `on` (or already ended and
    not yet returned by the clock), soonest first, with the days left."""
    cur.execute(
        "SELECT b.pool, d.draw, d.town, d.purpose, d.outstanding, d.until,"
        f" d.until - %(on)s AS days_left {_OUT} AND d.until <= %(last)s"
        " ORDER BY d.until, b.pool, d.draw",
        {"pool": None, "on": on, "last": days_from(on, within_days)},
    )
    return list(cur.fetchall())
