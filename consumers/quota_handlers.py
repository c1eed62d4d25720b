"""Quota ledgers (编制台账): from a decoded command to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.quota_ledger import LedgerDetails, QuotaLedger, TransferApproval
from contracts import quotas as c


def _approval(a: c.Approval | None) -> TransferApproval | None:
    return None if a is None else TransferApproval(a.body, a.document_no)


HANDLERS: dict[type, Callable[..., None]] = {
    c.OpenQuotaLedger: lambda app, ctx, p: app.open_quota_ledger(
        ctx, p.unit, p.level, LedgerDetails(p.name, p.district)),
    c.ApproveQuotas: lambda app, ctx, p: app.approve_quotas(ctx, p.unit, p.kind, p.approved),
    c.OccupyQuotas: lambda app, ctx, p: app.occupy_quotas(ctx, p.unit, p.kind, p.count),
    c.VacateQuotas: lambda app, ctx, p: app.vacate_quotas(ctx, p.unit, p.kind, p.count),
    c.SetLeadershipPosts: lambda app, ctx, p: app.set_leadership_posts(ctx, p.unit, p.approved),
    c.OccupyLeadershipPosts: lambda app, ctx, p: app.occupy_leadership_posts(ctx, p.unit, p.count),
    c.VacateLeadershipPosts: lambda app, ctx, p: app.vacate_leadership_posts(ctx, p.unit, p.count),
    c.TransferQuotas: lambda app, ctx, p: app.transfer_quotas(
        ctx, p.unit, p.to_unit, p.to_level, p.kind, p.count, _approval(p.approval)),
    c.PlanStaffing: lambda app, ctx, p: app.plan_staffing(ctx, p.unit, p.year, p.kind, p.planned),
}

# Every command touches its unit's ledger (the Kafka key); a transfer the receiving one too.
TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {
    **{command: (lambda p: [QuotaLedger.create_id(p.unit)]) for command in HANDLERS},
    c.TransferQuotas: lambda p: [QuotaLedger.create_id(p.unit), QuotaLedger.create_id(p.to_unit)],
}
