"""Powers and delegations: domain events to their published contracts (events.powers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.powers import delegation, holding, item, use_cases
from aggregates.powers.delegation import (
    AdmissionReview,
    Delegation,
    DelegationBatch,
    Evaluation,
    Finding,
    SupportPackage,
)
from aggregates.powers.holding import PowerHolding
from aggregates.powers.item import (
    ItemDetails,
    PowerItem,
)
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.powers import commands as c
from contracts.powers import events as out

# Power items and delegations: from a decoded command to its use case.


def _details(p: c.ItemDetails) -> ItemDetails:
    return ItemDetails(p.name, p.kind, p.list, p.domain, p.legal_basis, p.department)


def review_of(p: c.AdmissionReview) -> AdmissionReview:
    return AdmissionReview(
        p.reviewing_body,
        Finding(p.legality.passed, p.legality.note),
        Finding(p.reasonableness.passed, p.reasonableness.note),
    )


def support_of(p: c.SupportPackage) -> SupportPackage:
    return SupportPackage(p.staff, p.funding_yuan, p.training_sessions, p.guidance)


def _ref(p: c.DelegationRef) -> tuple[str, str, str]:
    return p.batch, p.item, p.town


HANDLERS: dict[type, Callable[..., None]] = {
    c.RegisterPowerItem: lambda app, ctx, p: app.register_power_item(ctx, p.code, _details(p)),
    c.AmendPowerItem: lambda app, ctx, p: app.amend_power_item(ctx, p.code, _details(p)),
    c.RetirePowerItem: lambda app, ctx, p: app.retire_power_item(ctx, p.code),
    c.DeclareDelegationBatch: lambda app, ctx, p: app.declare_batch(ctx, p.code, p.title),
    c.ProposeDelegation: lambda app, ctx, p: app.propose_delegation(ctx, *_ref(p), p.mode),
    c.StartAdmissionReview: lambda app, ctx, p: app.start_admission_review(ctx, *_ref(p), p.reviewing_body),
    c.ApproveDelegation: lambda app, ctx, p: app.approve_delegation(
        ctx, *_ref(p), review_of(p.review), support_of(p.support)
    ),
    c.RejectDelegation: lambda app, ctx, p: app.reject_delegation(ctx, *_ref(p), review_of(p.review)),
    c.EvaluateDelegation: lambda app, ctx, p: app.evaluate_delegation(
        ctx,
        *_ref(p),
        Evaluation(ctx.effective_on, p.rating, p.recommendation, p.findings),
    ),
    c.RecallDelegation: lambda app, ctx, p: app.recall_delegation(ctx, *_ref(p)),
    c.TransferDelegation: lambda app, ctx, p: app.transfer_delegation(ctx, *_ref(p), p.to_unit),
}


def _delegation_touches(p: Any) -> list[UUID]:
    return [
        Delegation.create_id(p.batch, p.item, p.town),
        PowerItem.create_id(p.item),
        PowerHolding.create_id(p.item, p.town),
    ]


TOUCHES: dict[type, Touches] = {
    **dict.fromkeys(
        (c.RegisterPowerItem, c.AmendPowerItem, c.RetirePowerItem), touching(PowerItem.create_id, "code")
    ),
    c.DeclareDelegationBatch: touching(DelegationBatch.create_id, "code"),
    **{
        command: _delegation_touches
        for command in (
            c.ProposeDelegation,
            c.StartAdmissionReview,
            c.ApproveDelegation,
            c.RejectDelegation,
            c.EvaluateDelegation,
            c.RecallDelegation,
            c.TransferDelegation,
        )
    },
}

# The rules each command can be refused with, the thing named missing first and the 文号
# or reason last (the order a sender should read them in); the published schema lists them on
# the command, and a test reads the aggregates to check that none is missing.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.RegisterPowerItem: (item.InvalidItemDetails, item.ItemAlreadyRegistered),
    **dict.fromkeys(
        (c.AmendPowerItem, c.RetirePowerItem),
        (item.ItemNotCatalogued, item.InvalidItemDetails, base.ReasonRequired),
    ),
    c.DeclareDelegationBatch: (delegation.BatchAlreadyDeclared,),
    c.ProposeDelegation: (
        item.ItemNotCatalogued,
        delegation.DelegationAlreadyFiled,
        delegation.InvalidEvaluation,
        item.InvalidItemDetails,
        delegation.InvalidMode,
        item.ItemRetired,
        delegation.SupportNotDeclared,
    ),
    c.StartAdmissionReview: (
        use_cases.DelegationNotFiled,
        delegation.InvalidEvaluation,
        delegation.NotAwaitingReview,
        delegation.RejectionIsFinal,
        delegation.SupportNotDeclared,
    ),
    c.ApproveDelegation: (
        use_cases.DelegationNotFiled,
        item.ItemNotCatalogued,
        holding.HolderAlreadyEffective,
        delegation.InvalidEvaluation,
        item.InvalidItemDetails,
        item.ItemRetired,
        delegation.NotUnderReview,
        delegation.RejectionIsFinal,
        delegation.ReviewNotPassed,
        delegation.SupportNotDeclared,
    ),
    c.RejectDelegation: (
        use_cases.DelegationNotFiled,
        delegation.InvalidEvaluation,
        delegation.NotUnderReview,
        delegation.RejectionIsFinal,
        delegation.SupportNotDeclared,
        base.ReasonRequired,
    ),
    c.EvaluateDelegation: (
        use_cases.DelegationNotFiled,
        delegation.InvalidEvaluation,
        delegation.NotInForce,
        delegation.RejectionIsFinal,
        delegation.SupportNotDeclared,
    ),
    c.RecallDelegation: (
        use_cases.DelegationNotFiled,
        delegation.InvalidEvaluation,
        delegation.NotInForce,
        delegation.RejectionIsFinal,
        delegation.SupportNotDeclared,
        base.ReasonRequired,
    ),
    c.TransferDelegation: (
        use_cases.DelegationNotFiled,
        delegation.InvalidEvaluation,
        delegation.NotInForce,
        delegation.RejectionIsFinal,
        delegation.SupportNotDeclared,
        delegation.TransferNeedsUnit,
        base.ReasonRequired,
    ),
}


def review_published(r: Any) -> c.AdmissionReview:
    """A domain admission review as published (by delegations and duty admissions alike)."""
    finding = lambda f: copied(c.Finding, f)
    return c.AdmissionReview(
        reviewing_body=r.body, legality=finding(r.legality), reasonableness=finding(r.reasonableness)
    )


def support_published(s: Any) -> c.SupportPackage:
    """A domain support package as published (by delegations and duty admissions alike)."""
    return copied(c.SupportPackage, s)


def _ref_published(agg: Any) -> dict[str, str]:
    return {"batch": agg.batch, "item": agg.item, "town": agg.town}


def _holding(e: Any, agg: Any) -> out.Holding:
    on = getattr(e, "since", None) or e.on
    return out.Holding(item=agg.item, town=agg.town, delegation_id=str(e.delegation_id), on=on)


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    PowerItem.Registered: (
        out.PowerItemRegistered,
        lambda e, a: copied(c.ItemDetails, e.details, code=e.code),
    ),
    PowerItem.Amended: (out.PowerItemAmended, lambda e, a: copied(c.ItemDetails, e.details, code=a.code)),
    PowerItem.Retired: (out.PowerItemRetired, lambda e, a: c.ItemRef(code=a.code)),
    DelegationBatch.Declared: (out.DelegationBatchDeclared, lambda e, a: copied(c.BatchDetails, e)),
    Delegation.Proposed: (out.DelegationProposed, lambda e, a: copied(out.Proposed, e)),
    Delegation.AdmissionReviewStarted: (
        out.AdmissionReviewStarted,
        lambda e, a: c.ReviewStart(**_ref_published(a), reviewing_body=e.body),
    ),
    Delegation.Approved: (
        out.DelegationApproved,
        lambda e, a: out.Approved(
            **_ref_published(a),
            review=review_published(e.review),
            effective_on=e.effective_on,
            support=support_published(e.support),
        ),
    ),
    Delegation.Rejected: (
        out.DelegationRejected,
        lambda e, a: c.Rejection(**_ref_published(a), review=review_published(e.review)),
    ),
    Delegation.Evaluated: (
        out.DelegationEvaluated,
        lambda e, a: copied(out.Evaluated, e.evaluation, **_ref_published(a)),
    ),
    Delegation.Recalled: (out.DelegationRecalled, lambda e, a: copied(out.Ended, e, **_ref_published(a))),
    Delegation.Transferred: (
        out.DelegationTransferred,
        lambda e, a: copied(out.HandedOver, e, **_ref_published(a)),
    ),
    PowerHolding.Taken: (out.HoldingTaken, _holding),
    PowerHolding.Released: (out.HoldingReleased, _holding),
}

# Internal bookkeeping, not published: a slot opening says nothing a consumer needs.
INTERNAL: set[type] = {PowerHolding.Opened}
