"""From a decoded command to one use case of the ledger."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.base import Context
from aggregates.batch import DelegationBatch
from aggregates.delegation import Delegation
from aggregates.holding import PowerHolding
from aggregates.delegation_terms import AdmissionReview, Evaluation, Finding, SupportPackage
from aggregates.ledger import Ledger
from aggregates.power_item import ItemDetails, PowerItem
from contracts import powers as c
from contracts.envelope import Envelope


def context_of(command: Envelope) -> Context:
    return Context(
        actor=command.actor.id,
        role=command.actor.role,
        system=command.actor.system,
        message_id=command.message_id,
        effective_at=command.effective_at or command.occurred_at,
        correlation_id=command.correlation_id or command.message_id,
        causation_id=command.causation_id,
        reason=command.reason,
        document_no=command.document_no,
    )


def _details(p: c.ItemDetails) -> ItemDetails:
    return ItemDetails(p.name, p.kind, p.list, p.domain, p.legal_basis, p.department)


def _review(p: c.AdmissionReview) -> AdmissionReview:
    return AdmissionReview(
        p.reviewing_body,
        Finding(p.legality.passed, p.legality.note),
        Finding(p.reasonableness.passed, p.reasonableness.note),
    )


def _support(p: c.SupportPackage) -> SupportPackage:
    return SupportPackage(p.staff, p.funding_yuan, p.training_sessions, p.guidance)


def _ref(p: c.DelegationRef) -> tuple[str, str, str]:
    return p.batch, p.item, p.town


Handler = Callable[[Ledger, Context, Any], None]

HANDLERS: dict[type, Handler] = {
    c.RegisterPowerItem: lambda app, ctx, p: app.register_power_item(ctx, p.code, _details(p)),
    c.AmendPowerItem: lambda app, ctx, p: app.amend_power_item(ctx, p.code, _details(p)),
    c.RetirePowerItem: lambda app, ctx, p: app.retire_power_item(ctx, p.code),
    c.DeclareDelegationBatch: lambda app, ctx, p: app.declare_batch(ctx, p.code, p.title),
    c.ProposeDelegation: lambda app, ctx, p: app.propose_delegation(ctx, *_ref(p), p.mode),
    c.StartAdmissionReview: lambda app, ctx, p: app.start_admission_review(
        ctx, *_ref(p), p.reviewing_body
    ),
    c.ApproveDelegation: lambda app, ctx, p: app.approve_delegation(
        ctx, *_ref(p), _review(p.review), _support(p.support)
    ),
    c.RejectDelegation: lambda app, ctx, p: app.reject_delegation(ctx, *_ref(p), _review(p.review)),
    c.EvaluateDelegation: lambda app, ctx, p: app.evaluate_delegation(
        ctx,
        *_ref(p),
        Evaluation(ctx.effective_on, p.rating, p.recommendation, p.findings),
    ),
    c.RecallDelegation: lambda app, ctx, p: app.recall_delegation(ctx, *_ref(p)),
    c.TransferDelegation: lambda app, ctx, p: app.transfer_delegation(ctx, *_ref(p), p.to_unit),
}


def touches(command: Envelope) -> list[UUID]:
    """The aggregates a command reads, so a batch can load them all in one go."""
    p: Any = command.payload  # type: ignore[attr-defined]
    if isinstance(p, c.BatchDetails):
        return [DelegationBatch.create_id(p.code)]
    if isinstance(p, c.DelegationRef):
        return [Delegation.create_id(p.batch, p.item, p.town), PowerItem.create_id(p.item),
                PowerHolding.create_id(p.item, p.town)]
    return [PowerItem.create_id(p.code)]


def apply(app: Ledger, command: Envelope) -> None:
    """Apply one command; raises the domain's RuleViolation when it breaks a rule."""
    HANDLERS[type(command)](app, context_of(command), command.payload)  # type: ignore[attr-defined]
