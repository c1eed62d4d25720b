"""Events of linkage cases the ledger publishes (topic `govledger.events.linkage`).

They carry what the stream processors need without keeping state of their own: a report,
a sending back and an escalation carry the case's facts (for routing again); sign-for,
resolution and closing carry whether they were on time and the outcome (for the metrics).
"""

from __future__ import annotations

from typing import Union

from contracts.envelope import Code, EventEnvelope, Instant
from contracts.linkage.commands import (
    CaseRef,
    CaseReport,
    Closing,
    Codes,
    Dispatch,
    ExtensionGrant,
    ExtensionRequest,
    Merge,
    Outcome,
    PartyAct,
    Resolution,
    Rework,
    SendBack,
    Supervision,
    Tier,
)


class CaseFacts(CaseReport, kw_only=True):
    """What routing needs to decide again: the report and when it was made."""

    reported_at: Instant


class Dispatched(Dispatch, kw_only=True):
    round: int  # 1 for the first dispatch, +1 for each after a sending back or escalation


class SignedFor(PartyAct, kw_only=True):
    due: Instant
    on_time: bool


class SentBack(SendBack, kw_only=True):
    facts: CaseFacts
    tier: Tier


class Extended(ExtensionGrant, kw_only=True):
    resolve_by: Instant


class Resolved(Resolution, kw_only=True):
    due: Instant
    on_time: bool


class Closed(Closing, kw_only=True):
    lead: Code
    town: Code
    outcome: Outcome


class Reworked(Rework, kw_only=True):
    lead: Code


class Supervised(Supervision, kw_only=True):
    parties: Codes  # who had not met the deadline


class Escalated(CaseRef, kw_only=True):
    facts: CaseFacts
    from_tier: Tier
    to_tier: Tier
    previous_lead: Code


class CaseReported(EventEnvelope, tag="case.reported"):
    payload: CaseFacts


class CaseDispatched(EventEnvelope, tag="case.dispatched"):
    payload: Dispatched


class CaseSignedFor(EventEnvelope, tag="case.signed_for"):
    payload: SignedFor


class CaseReportedIn(EventEnvelope, tag="case.reported_in"):
    payload: PartyAct


class CaseHandled(EventEnvelope, tag="case.handled"):
    payload: PartyAct


class CaseSentBack(EventEnvelope, tag="case.sent_back"):
    payload: SentBack


class ExtensionRequested(EventEnvelope, tag="case.extension_requested"):
    payload: ExtensionRequest


class ExtensionGranted(EventEnvelope, tag="case.extension_granted"):
    payload: Extended


class CaseResolved(EventEnvelope, tag="case.resolved"):
    payload: Resolved


class CaseClosed(EventEnvelope, tag="case.closed"):
    payload: Closed


class ReworkOrdered(EventEnvelope, tag="case.rework_ordered"):
    payload: Reworked


class CaseMerged(EventEnvelope, tag="case.merged"):
    payload: Merge


class CaseSupervised(EventEnvelope, tag="case.supervised"):
    payload: Supervised


class CaseEscalated(EventEnvelope, tag="case.escalated"):
    payload: Escalated


LinkageEvent = Union[
    CaseReported,
    CaseDispatched,
    CaseSignedFor,
    CaseReportedIn,
    CaseHandled,
    CaseSentBack,
    ExtensionRequested,
    ExtensionGranted,
    CaseResolved,
    CaseClosed,
    ReworkOrdered,
    CaseMerged,
    CaseSupervised,
    CaseEscalated,
]
