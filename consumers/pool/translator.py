"""Staffing turnover pool (编制周转池): from a decoded command to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.pool.staffing_pool import DrawTerms, PoolDetails, StaffingPool
from contracts.pool import commands as c

HANDLERS: dict[type, Callable[..., Any]] = {
    c.EstablishPool: lambda app, ctx, p: app.establish_pool(
        ctx, p.pool, PoolDetails(p.name, p.district, p.capacity)),
    c.ContributeToPool: lambda app, ctx, p: app.contribute_to_pool(ctx, p.pool, p.unit, p.count),
    c.RequestDraw: lambda app, ctx, p: app.request_draw(
        ctx, p.pool, p.draw, DrawTerms(p.town, p.count, p.purpose, p.until)),
    c.ApproveDraw: lambda app, ctx, p: app.approve_draw(ctx, p.pool, p.draw),
    c.RejectDraw: lambda app, ctx, p: app.reject_draw(ctx, p.pool, p.draw),
    c.ReturnDraw: lambda app, ctx, p: app.return_draw(ctx, p.pool, p.draw, p.count),
    c.RenewDraw: lambda app, ctx, p: app.renew_draw(ctx, p.pool, p.draw, p.until),
    c.ExpireDueDraws: lambda app, ctx, p: app.expire_due_draws(ctx, p.pool, p.on),
}

# Every command touches one aggregate: its pool (the natural key, also the Kafka key).
TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {
    command: (lambda p: [StaffingPool.create_id(p.pool)]) for command in HANDLERS
}
