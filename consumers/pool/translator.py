"""编制周转池 — the staffing turnover pool: commands to their use cases, and its events to the
published contracts (topic family `staffing`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates.pool.staffing_pool import DrawTerms, PoolDetails, StaffingPool
from consumers.handlers import Touches, touching
from contracts.pool import commands as c
from contracts.pool import commands as p
from contracts.pool import events as pout

HANDLERS: dict[type, Callable[..., Any]] = {
    c.EstablishPool: lambda app, ctx, p: app.establish_pool(
        ctx, p.pool, PoolDetails(p.name, p.district, p.capacity)
    ),
    c.ContributeToPool: lambda app, ctx, p: app.contribute_to_pool(ctx, p.pool, p.unit, p.count),
    c.RequestDraw: lambda app, ctx, p: app.request_draw(
        ctx, p.pool, p.draw, DrawTerms(p.town, p.count, p.purpose, p.until)
    ),
    c.ApproveDraw: lambda app, ctx, p: app.approve_draw(ctx, p.pool, p.draw),
    c.RejectDraw: lambda app, ctx, p: app.reject_draw(ctx, p.pool, p.draw),
    c.ReturnDraw: lambda app, ctx, p: app.return_draw(ctx, p.pool, p.draw, p.count),
    c.RenewDraw: lambda app, ctx, p: app.renew_draw(ctx, p.pool, p.draw, p.until),
    c.ExpireDueDraws: lambda app, ctx, p: app.expire_due_draws(ctx, p.pool, p.on),
}

# Every command touches one aggregate: its pool (the natural key, also the Kafka key).
TOUCHES: dict[type, Touches] = dict.fromkeys(HANDLERS, touching(StaffingPool.create_id, "pool"))


def _draw(e: Any, agg: Any) -> p.DrawRef:
    return p.DrawRef(pool=agg.code, draw=e.draw)


def _requested(e: Any, agg: Any) -> p.DrawRequest:
    t = e.terms
    return p.DrawRequest(
        pool=agg.code, draw=e.draw, town=t.town, count=t.count, purpose=t.purpose, until=t.until
    )


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    StaffingPool.Established: (
        pout.PoolEstablished,
        lambda e, a: p.PoolDetails(
            pool=e.code, name=e.details.name, district=e.details.district, capacity=e.details.capacity
        ),
    ),
    StaffingPool.Contributed: (
        pout.PoolContributed,
        lambda e, a: p.Contribution(pool=a.code, unit=e.unit, count=e.count),
    ),
    StaffingPool.DrawRequested: (pout.DrawRequested, _requested),
    StaffingPool.DrawApproved: (pout.DrawApproved, _draw),
    StaffingPool.DrawRejected: (pout.DrawRejected, _draw),
    StaffingPool.DrawReturned: (
        pout.DrawReturned,
        lambda e, a: pout.Returned(pool=a.code, draw=e.draw, count=e.count, on=e.on),
    ),
    StaffingPool.DrawRenewed: (
        pout.DrawRenewed,
        lambda e, a: p.DrawRenewal(pool=a.code, draw=e.draw, until=e.until),
    ),
    StaffingPool.DrawExpired: (
        pout.DrawExpired,
        lambda e, a: pout.Expired(pool=a.code, draw=e.draw, count=e.count, on=e.on),
    ),
}
INTERNAL: set[type] = set()
