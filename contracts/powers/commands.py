"""Commands for power items and delegations (topic `govledger.commands.powers`)."""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, DecimalNumber, Envelope, Name, Note, Payload

PowerKind = Literal["licensing", "penalty", "inspection", "coercion", "public_service", "other"]
PowerList = Literal["government_affairs", "supervisory", "service"]
DelegationMode = Literal["grant", "entrust", "devolve"]
Rating = Literal["effective", "needs_improvement", "ineffective"]
Recommendation = Literal["keep", "adjust", "recall"]
NonNegative = Annotated[int, msgspec.Meta(ge=0)]


class ItemDetails(Payload):
    code: Code
    name: Name
    kind: PowerKind
    list: PowerList
    domain: Name
    legal_basis: Name
    department: Code


class ItemRef(Payload):
    code: Code


class BatchDetails(Payload):
    code: Code
    title: Name


class DelegationRef(Payload):
    """A delegation is named by its batch, its power item and its town."""

    batch: Code
    item: Code
    town: Code


class Proposal(DelegationRef):
    mode: DelegationMode


class ReviewStart(DelegationRef):
    reviewing_body: Name


class Finding(Payload):
    passed: bool
    note: Note = ""


class AdmissionReview(Payload):
    reviewing_body: Name
    legality: Finding
    reasonableness: Finding


class SupportPackage(Payload):
    """人员、经费、培训、指导: every field required, zero included."""

    staff: NonNegative
    funding_yuan: DecimalNumber
    training_sessions: NonNegative
    guidance: Name


class Approval(DelegationRef):
    review: AdmissionReview
    support: SupportPackage


class Rejection(DelegationRef):
    review: AdmissionReview


class EvaluationReport(DelegationRef):
    rating: Rating
    recommendation: Recommendation
    findings: Note


class Handover(DelegationRef):
    to_unit: Code


class RegisterPowerItem(Envelope, tag="power_item.register"):
    payload: ItemDetails


class AmendPowerItem(Envelope, tag="power_item.amend"):
    payload: ItemDetails


class RetirePowerItem(Envelope, tag="power_item.retire"):
    payload: ItemRef


class DeclareDelegationBatch(Envelope, tag="delegation_batch.declare"):
    payload: BatchDetails


class ProposeDelegation(Envelope, tag="delegation.propose"):
    payload: Proposal


class StartAdmissionReview(Envelope, tag="delegation.start_review"):
    payload: ReviewStart


class ApproveDelegation(Envelope, tag="delegation.approve"):
    payload: Approval


class RejectDelegation(Envelope, tag="delegation.reject"):
    payload: Rejection


class EvaluateDelegation(Envelope, tag="delegation.evaluate"):
    payload: EvaluationReport


class RecallDelegation(Envelope, tag="delegation.recall"):
    payload: DelegationRef


class TransferDelegation(Envelope, tag="delegation.transfer"):
    payload: Handover


PowerCommand = Union[
    RegisterPowerItem,
    AmendPowerItem,
    RetirePowerItem,
    DeclareDelegationBatch,
    ProposeDelegation,
    StartAdmissionReview,
    ApproveDelegation,
    RejectDelegation,
    EvaluateDelegation,
    RecallDelegation,
    TransferDelegation,
]
