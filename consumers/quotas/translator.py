"""编制台账 — quota ledgers: commands to their use cases, and their events to the published
contracts (topic family `staffing`). Later events name a ledger only by id; the contracts name
it by its unit, taken from the aggregate as of the event; totals after a change (approved,
occupied) travel as the domain event recorded them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.quotas import quota_ledger
from aggregates.quotas.quota_ledger import (
    LedgerDetails,
    QuotaLedger,
    TransferApproval,
)
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.quotas import commands as c
from contracts.quotas import events as qout

# Quota ledgers (编制台账): from a decoded command to its use case.


def _approval(a: c.Approval | None) -> TransferApproval | None:
    return None if a is None else TransferApproval(a.body, a.document_no)


HANDLERS: dict[type, Callable[..., None]] = {
    c.OpenQuotaLedger: lambda app, ctx, p: app.open_quota_ledger(
        ctx, p.unit, p.level, LedgerDetails(p.name, p.district_name)
    ),
    c.ApproveQuotas: lambda app, ctx, p: app.approve_quotas(ctx, p.unit, p.kind, p.approved),
    c.OccupyQuotas: lambda app, ctx, p: app.occupy_quotas(ctx, p.unit, p.kind, p.count),
    c.VacateQuotas: lambda app, ctx, p: app.vacate_quotas(ctx, p.unit, p.kind, p.count),
    c.SetLeadershipPosts: lambda app, ctx, p: app.set_leadership_posts(ctx, p.unit, p.approved),
    c.OccupyLeadershipPosts: lambda app, ctx, p: app.occupy_leadership_posts(ctx, p.unit, p.count),
    c.VacateLeadershipPosts: lambda app, ctx, p: app.vacate_leadership_posts(ctx, p.unit, p.count),
    c.TransferQuotas: lambda app, ctx, p: app.transfer_quotas(
        ctx, p.unit, p.to_unit, p.to_level, p.kind, p.count, _approval(p.approval)
    ),
    c.PlanStaffing: lambda app, ctx, p: app.plan_staffing(ctx, p.unit, p.year, p.kind, p.planned),
}

# Every command touches its unit's ledger (the Kafka key); a transfer the receiving one too.
TOUCHES: dict[type, Touches] = {
    **dict.fromkeys(HANDLERS, touching(QuotaLedger.create_id, "unit")),
    c.TransferQuotas: lambda p: [QuotaLedger.create_id(p.unit), QuotaLedger.create_id(p.to_unit)],
}

# The rules each command can be refused with, the thing named missing first and the 文号
# or reason last (the order a sender should read them in); the published schema lists them on
# the command, and a test reads the aggregates to check that none is missing.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.OpenQuotaLedger: (quota_ledger.InvalidQuotaDetails, quota_ledger.QuotaLedgerAlreadyOpened),
    **dict.fromkeys(
        (c.ApproveQuotas, c.SetLeadershipPosts),
        (
            quota_ledger.QuotaLedgerNotOpened,
            quota_ledger.ApprovalSuperseded,
            quota_ledger.InvalidQuotaDetails,
            quota_ledger.OccupiedAboveApproved,
            base.DocumentNumberRequired,
        ),
    ),
    **dict.fromkeys(
        (c.OccupyQuotas, c.OccupyLeadershipPosts),
        (
            quota_ledger.QuotaLedgerNotOpened,
            quota_ledger.InvalidQuotaDetails,
            quota_ledger.OccupiedAboveApproved,
        ),
    ),
    **dict.fromkeys(
        (c.VacateQuotas, c.VacateLeadershipPosts),
        (
            quota_ledger.QuotaLedgerNotOpened,
            quota_ledger.InvalidQuotaDetails,
            quota_ledger.VacatedAboveOccupied,
        ),
    ),
    c.TransferQuotas: (
        quota_ledger.QuotaLedgerNotOpened,
        quota_ledger.InvalidQuotaDetails,
        quota_ledger.OccupiedAboveApproved,
        quota_ledger.ReverseAdjustmentNotApproved,
        quota_ledger.TransferPredatesApproval,
        quota_ledger.UnitLevelMismatch,
        base.DocumentNumberRequired,
    ),
    c.PlanStaffing: (
        quota_ledger.QuotaLedgerNotOpened,
        quota_ledger.InvalidQuotaDetails,
        quota_ledger.PlanAboveVacancies,
        base.ReasonRequired,
    ),
}


def _opened(e: Any, agg: Any) -> qout.Opened:
    """A ledger started by an incoming transfer has no details yet: name and district None."""
    d = e.details
    return qout.Opened(unit=e.unit, level=e.level, name=d and d.name, district_name=d and d.district)


def _occupancy(e: Any, agg: Any) -> qout.Occupancy:
    return copied(qout.Occupancy, e, unit=agg.unit)


def _approval_published(a: Any) -> c.Approval | None:
    return None if a is None else copied(c.Approval, a)


def _moved(e: Any, agg: Any, other_unit: str, other_level: c.QuotaLevel) -> qout.Moved:
    return copied(
        qout.Moved,
        e,
        unit=agg.unit,
        other_unit=other_unit,
        other_level=other_level,
        approval=_approval_published(e.approval),
    )


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    QuotaLedger.Opened: (qout.QuotaLedgerOpened, _opened),
    QuotaLedger.DetailsRecorded: (
        qout.QuotaLedgerDetailsRecorded,
        lambda e, a: copied(
            c.LedgerDetails, e.details, unit=a.unit, level=a.level, district_name=e.details.district
        ),
    ),
    QuotaLedger.Approved: (qout.QuotasApproved, lambda e, a: copied(qout.Approved, e, unit=a.unit)),
    QuotaLedger.Occupied: (qout.QuotasOccupied, _occupancy),
    QuotaLedger.Vacated: (qout.QuotasVacated, _occupancy),
    QuotaLedger.TransferredOut: (qout.QuotasTransferredOut, lambda e, a: _moved(e, a, e.to_unit, e.to_level)),
    QuotaLedger.TransferredIn: (
        qout.QuotasTransferredIn,
        lambda e, a: _moved(e, a, e.from_unit, e.from_level),
    ),
    QuotaLedger.Planned: (qout.StaffingPlanned, lambda e, a: copied(c.StaffingPlan, e, unit=a.unit)),
}


# Nothing is internal: even a ledger's opening by an incoming transfer (no details yet) is
# news to a reader, who sees the unit exist before its own opening arrives.
INTERNAL: set[type] = set()
