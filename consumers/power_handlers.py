"""Power items and delegations: from a decoded command to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.batch import DelegationBatch
from aggregates.delegation import Delegation
from aggregates.delegation_terms import AdmissionReview, Evaluation, Finding, SupportPackage
from aggregates.holding import PowerHolding
from aggregates.power_item import ItemDetails, PowerItem
from contracts import powers as c


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
    c.StartAdmissionReview: lambda app, ctx, p: app.start_admission_review(
        ctx, *_ref(p), p.reviewing_body
    ),
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
    return [Delegation.create_id(p.batch, p.item, p.town), PowerItem.create_id(p.item),
            PowerHolding.create_id(p.item, p.town)]


_item_touches: Callable[[Any], list[UUID]] = lambda p: [PowerItem.create_id(p.code)]  # noqa: E731

TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {
    c.RegisterPowerItem: _item_touches,
    c.AmendPowerItem: _item_touches,
    c.RetirePowerItem: _item_touches,
    c.DeclareDelegationBatch: lambda p: [DelegationBatch.create_id(p.code)],
    **{command: _delegation_touches for command in (
        c.ProposeDelegation, c.StartAdmissionReview, c.ApproveDelegation, c.RejectDelegation,
        c.EvaluateDelegation, c.RecallDelegation, c.TransferDelegation)},
}
