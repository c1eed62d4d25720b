"""Staffing: quota ledgers and plans (编制), the turnover pool (编制周转池), the sink-down
roster (力量下沉) and the policy monitors (政策监测) — what `govledger inventory quotas|pool|
sinkdown` and `govledger monitors` show, from the same projections."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import ValidationException
from litestar.params import QueryParameter
from typing_extensions import Annotated

from infra.api.access import AUDITOR, READER, allow
from infra.api.app import reading
from infra.api.paging import Limit, Offset, answer, page
from infra.api.queries import AsOf, Code, Filter, KnownAt, On, Year, axes, sections, unknown
from infra.api.schemas import Page
from projections import monitors as policy_monitors
from projections.pool import balance as pool_balance
from projections.pool import history as pool_history
from projections.quotas import history as quota_history
from projections.quotas import ledgers as quota_ledgers
from projections.sinkdown import roster as sink_down_roster

READERS = allow(READER, AUDITOR)
WithinDays = Annotated[int, QueryParameter(ge=0, le=3660, description="days ahead of `on`")]


@get("/api/v1/quotas/plans", sync_to_thread=True, **READERS)
def plans(request: Request, year: Year = None, limit: Limit = 100,
          offset: Offset = 0) -> Response[Any]:
    """用编计划 — each unit's planned intake for the year by kind, and the towns' share of the
    plan against its target (null when the year has no plan)."""
    year = year or date.today().year
    with reading(request) as cur:
        share, rows = quota_ledgers.plan_share(cur, year), quota_ledgers.staffing_plans(cur, year)
    return answer(request, {"year": year, "share": share, "plans": page(rows, limit, offset)})


@get("/api/v1/quotas/{unit:str}", sync_to_thread=True, **READERS)
def quotas(request: Request, unit: Code, as_of: AsOf = None, known_at: KnownAt = None,
           limit: Limit = 100, offset: Offset = 0) -> Response[Any]:
    """编制台账 — the unit's quotas by kind (approved, occupied, available) and its transfers;
    with `as_of` / `known_at`, on that day as the ledger stood then. 404 for an unknown unit."""
    time = axes(request, as_of, known_at)
    with reading(request) as cur:
        if time:
            found = {"quotas": quota_history.quota_ledger_as_of(cur, unit, *time),
                     "transfers": quota_history.quota_transfers_as_of(cur, unit, *time)}
        else:
            found = {"quotas": quota_ledgers.quota_ledger(cur, unit),
                     "transfers": quota_ledgers.quota_transfers(cur, unit)}
    if not found["quotas"]:
        raise unknown(f"quota ledger of unit {unit!r}" + (" as of then" if time else ""))
    return answer(request, {"unit": unit, **sections(found, limit, offset)})


@get("/api/v1/pool", sync_to_thread=True, **READERS)
def pools(request: Request, pool: Filter = None, as_of: AsOf = None, known_at: KnownAt = None,
         limit: Limit = 100, offset: Offset = 0) -> Response[Any]:
    """编制周转池 — each pool's balance and every draw with its status; with `as_of` /
    `known_at`, the balances that day and the draws with quotas out then."""
    time = axes(request, as_of, known_at)
    with reading(request) as cur:
        if time:
            found = {"pools": pool_history.pool_balance_as_of(cur, pool, *time),
                     "draws": pool_history.outstanding_draws_as_of(cur, pool, *time)}
        else:
            found = {"pools": pool_balance.pool_balance(cur, pool),
                     "draws": pool_balance.pool_draws(cur, pool)}
    if pool and not found["pools"]:
        raise unknown(f"turnover pool {pool!r}" + (" as of then" if time else ""))
    return answer(request, sections(found, limit, offset))


@get("/api/v1/pool/expiring", sync_to_thread=True, **READERS)
def expiring(request: Request, within_days: WithinDays = 30, on: On = None, limit: Limit = 100,
             offset: Offset = 0) -> Response[Page[dict[str, Any]]]:
    """即将到期 — outstanding draws whose term ends within `within_days` of `on` (or ended
    and not yet returned by the clock), soonest first, with the days left."""
    day = on or date.today()
    try:
        day + timedelta(days=within_days)
    except OverflowError as e:
        raise ValidationException("on + within_days is past the last day there is") from e
    with reading(request) as cur:
        rows = pool_balance.expiring_draws(cur, within_days, day)
    return answer(request, page(rows, limit, offset))


@get("/api/v1/sinkdown", sync_to_thread=True, **READERS)
def sinkdown(request: Request, town: Filter = None, department: Filter = None, on: On = None,
             limit: Limit = 100, offset: Offset = 0) -> Response[Page[dict[str, Any]]]:
    """力量下沉花名册 — who is sunk down where (person ids only): today's roster, or the one
    in force on `on`."""
    with reading(request) as cur:
        rows = sink_down_roster.roster(cur, town, department, on)
    return answer(request, page(rows, limit, offset))


@get("/api/v1/monitors", sync_to_thread=True, **READERS)
def monitors(request: Request, on: On = None, year: Year = None, limit: Limit = 100,
             offset: Offset = 0) -> Response[Any]:
    """政策监测 — every policy monitor against its target on `on`; each row says whether it
    `missed` its target (the command line's ✗), and `missed` counts them all."""
    day = on or date.today()
    with reading(request) as cur:
        found = policy_monitors.monitors(cur, day, year or day.year)
    marked = {name: [{**row, "missed": row.get("met") is False} for row in rows]
              for name, rows in found.items()}
    paged = {name: {"title": policy_monitors.SECTIONS[name], **section}
             for name, section in sections(marked, limit, offset).items()}
    return answer(request, {"on": day, "year": year or day.year,
                            "missed": len(policy_monitors.missed(found)), "sections": paged})


ROUTES = [plans, quotas, pools, expiring, sinkdown, monitors]
