"""编制周转池 — the staffing turnover pool: commands to their use cases, and its events to the
published contracts (topic family `staffing`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.pool import staffing_pool
from aggregates.pool.staffing_pool import (
    DrawTerms,
    PoolDetails,
    StaffingPool,
)
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.pool import commands as c
from contracts.pool import events as pout

HANDLERS: dict[type, Callable[..., Any]] = {
    c.EstablishPool: lambda app, ctx, p: app.establish_pool(
        ctx, p.pool, PoolDetails(p.name, p.district_name, p.capacity)
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

# The rules each command can be refused with, the thing named missing first and the 文号
# or reason last (the order a sender should read them in); the published schema lists them on
# the command, and a test reads the aggregates to check that none is missing.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.EstablishPool: (staffing_pool.InvalidPoolDetails, staffing_pool.PoolAlreadyEstablished),
    c.ContributeToPool: (
        staffing_pool.PoolNotEstablished,
        staffing_pool.CapacityExceeded,
        staffing_pool.InvalidPoolDetails,
    ),
    c.RequestDraw: (
        staffing_pool.PoolNotEstablished,
        staffing_pool.DrawAlreadyRequested,
        staffing_pool.DrawNotRequested,
        staffing_pool.InvalidDrawTerm,
        staffing_pool.InvalidPoolDetails,
        staffing_pool.PurposeNotAllowed,
    ),
    c.ApproveDraw: (
        staffing_pool.PoolNotEstablished,
        staffing_pool.DrawNotPending,
        staffing_pool.DrawNotRequested,
        staffing_pool.InvalidDrawTerm,
        staffing_pool.InvalidPoolDetails,
        staffing_pool.PoolExhausted,
    ),
    c.RejectDraw: (
        staffing_pool.PoolNotEstablished,
        staffing_pool.DrawNotPending,
        staffing_pool.DrawNotRequested,
        staffing_pool.InvalidPoolDetails,
        base.ReasonRequired,
    ),
    c.ReturnDraw: (
        staffing_pool.PoolNotEstablished,
        staffing_pool.DrawNotOutstanding,
        staffing_pool.DrawNotRequested,
        staffing_pool.InvalidPoolDetails,
        staffing_pool.ReturnBeyondOutstanding,
    ),
    c.RenewDraw: (
        staffing_pool.PoolNotEstablished,
        staffing_pool.DrawNotOutstanding,
        staffing_pool.DrawNotRequested,
        staffing_pool.InvalidDrawTerm,
        staffing_pool.InvalidPoolDetails,
        base.ReasonRequired,
    ),
    c.ExpireDueDraws: (
        staffing_pool.PoolNotEstablished,
        staffing_pool.DrawNotRequested,
        staffing_pool.InvalidPoolDetails,
    ),
}


def _draw(e: Any, agg: Any) -> c.DrawRef:
    return copied(c.DrawRef, e, pool=agg.code)


# (contract class, payload builder(event, aggregate as of the event)); the pool goes out by
# its code, the rest as the event (or its details or terms) names it.
PUBLISHED: dict[type, tuple[type, Any]] = {
    StaffingPool.Established: (
        pout.PoolEstablished,
        lambda e, a: copied(c.PoolDetails, e.details, pool=e.code, district_name=e.details.district),
    ),
    StaffingPool.Contributed: (pout.PoolContributed, lambda e, a: copied(c.Contribution, e, pool=a.code)),
    StaffingPool.DrawRequested: (
        pout.DrawRequested,
        lambda e, a: copied(c.DrawRequest, e.terms, pool=a.code, draw=e.draw),
    ),
    StaffingPool.DrawApproved: (pout.DrawApproved, _draw),
    StaffingPool.DrawRejected: (pout.DrawRejected, _draw),
    StaffingPool.DrawReturned: (pout.DrawReturned, lambda e, a: copied(pout.Returned, e, pool=a.code)),
    StaffingPool.DrawRenewed: (pout.DrawRenewed, lambda e, a: copied(c.DrawRenewal, e, pool=a.code)),
    StaffingPool.DrawExpired: (pout.DrawExpired, lambda e, a: copied(pout.Expired, e, pool=a.code)),
}
INTERNAL: set[type] = set()
