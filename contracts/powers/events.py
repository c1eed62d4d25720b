"""Events of power items and delegations the ledger publishes (topic `govledger.events.powers`)."""

from __future__ import annotations

from datetime import date
from typing import Union

from contracts.envelope import Code, EventEnvelope, Payload
from contracts.powers.commands import (
    Approval,
    BatchDetails,
    DelegationRef,
    EvaluationReport,
    Handover,
    ItemDetails,
    ItemRef,
    Proposal,
    Rejection,
    ReviewStart,
)


class Proposed(Proposal):
    department: Code


class Approved(Approval):
    effective_on: date


class Evaluated(EvaluationReport):
    evaluated_on: date


class Ended(DelegationRef):
    ended_on: date


class HandedOver(Handover):
    ended_on: date


class Holding(Payload):
    """Who exercises `item` in `town` (事项承接): the routing table of the linkage."""

    item: Code
    town: Code
    delegation_id: str
    on: date


class PowerItemRegistered(EventEnvelope, tag="power_item.registered"):
    payload: ItemDetails


class PowerItemAmended(EventEnvelope, tag="power_item.amended"):
    payload: ItemDetails


class PowerItemRetired(EventEnvelope, tag="power_item.retired"):
    payload: ItemRef


class DelegationBatchDeclared(EventEnvelope, tag="delegation_batch.declared"):
    payload: BatchDetails


class DelegationProposed(EventEnvelope, tag="delegation.proposed"):
    payload: Proposed


class AdmissionReviewStarted(EventEnvelope, tag="delegation.review_started"):
    payload: ReviewStart


class DelegationApproved(EventEnvelope, tag="delegation.approved"):
    payload: Approved


class DelegationRejected(EventEnvelope, tag="delegation.rejected"):
    payload: Rejection


class DelegationEvaluated(EventEnvelope, tag="delegation.evaluated"):
    payload: Evaluated


class DelegationRecalled(EventEnvelope, tag="delegation.recalled"):
    payload: Ended


class DelegationTransferred(EventEnvelope, tag="delegation.transferred"):
    payload: HandedOver


class HoldingTaken(EventEnvelope, tag="holding.taken"):
    payload: Holding


class HoldingReleased(EventEnvelope, tag="holding.released"):
    payload: Holding


PowerEvent = Union[
    PowerItemRegistered,
    PowerItemAmended,
    PowerItemRetired,
    DelegationBatchDeclared,
    DelegationProposed,
    AdmissionReviewStarted,
    DelegationApproved,
    DelegationRejected,
    DelegationEvaluated,
    DelegationRecalled,
    DelegationTransferred,
    HoldingTaken,
    HoldingReleased,
]
