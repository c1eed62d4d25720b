"""Commands of appraisals, 考核 (topic `govledger.commands.appraisals`).

Scheme commands are keyed by `scheme`, appraisal commands by `subject` (their first field).
Scores, weights, floors and rates are decimals, sent as strings ("89.95") so no float
ever rounds them; the ledger checks their ranges (scores and weights 0–100 in hundredths,
rates 0–1).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, DecimalNumber, Envelope, MessageId, Name, Note, Payload, Period

SubjectKind = Literal["stationed-agency", "stationed-person", "town", "department"]
Cadence = Literal["daily", "weekly", "monthly", "quarterly", "yearly"]  # 日考勤 … 年测评
Party = Literal["town", "street", "society", "department"]
Grade = Literal["excellent", "good", "competent", "basic", "failing"]
BonusTier = Literal["first", "second", "third", "none"]


class PartyWeight(Payload):
    party: Party
    weight: DecimalNumber


class GradeBand(Payload):
    """A grade from `floor` (inclusive) up to the next better band's floor."""

    grade: Grade
    floor: DecimalNumber


class SchemeTerms(Payload):
    scheme: Code
    cadence: Cadence
    parties: Annotated[tuple[PartyWeight, ...], msgspec.Meta(min_length=1, max_length=4)]
    bands: Annotated[tuple[GradeBand, ...], msgspec.Meta(min_length=1, max_length=5)]


class SchemeDetails(SchemeTerms):
    title: Name
    subject_kind: SubjectKind


class AppraisalRef(Payload):
    subject: Code
    period: Period


class Opening(AppraisalRef):
    """`town`: the host town of a stationed subject; `version`: None takes the latest."""

    scheme: Code
    name: Name
    town: Code | None = None
    version: Annotated[int, msgspec.Meta(ge=1)] | None = None


class PartyScore(AppraisalRef):
    party: Party
    score: DecimalNumber
    evidence: Note


class LinkageEvidence(AppraisalRef, kw_only=True):
    """区镇联动 figures of the subject for the period, published by the linkage."""

    source: Literal["linkage"] = "linkage"
    response_on_time: DecimalNumber  # 响应（签收）及时率, a fraction
    on_time_resolution: DecimalNumber  # 按时办结率
    resolution: DecimalNumber  # 解决率
    satisfaction: DecimalNumber  # 满意率
    cases: Annotated[int, msgspec.Meta(ge=0)]
    metrics_message_id: MessageId


class TownVeto(AppraisalRef):
    town: Code


class ResultApplication(AppraisalRef):
    bonus_tier: BonusTier
    honour: bool  # 评优评先
    promotion: bool  # 推荐提名


class DefineScheme(Envelope, tag="appraisal.define_scheme"):
    payload: SchemeDetails


class ReviseScheme(Envelope, tag="appraisal.revise_scheme"):
    payload: SchemeTerms


class OpenAppraisal(Envelope, tag="appraisal.open"):
    payload: Opening


class ScoreAppraisal(Envelope, tag="appraisal.score"):
    payload: PartyScore


class CorrectScore(Envelope, tag="appraisal.correct_score"):
    payload: PartyScore


class AttachEvidence(Envelope, tag="appraisal.attach_evidence"):
    payload: LinkageEvidence


class VetoAppraisal(Envelope, tag="appraisal.veto"):
    payload: TownVeto


class FinaliseAppraisal(Envelope, tag="appraisal.finalise"):
    payload: AppraisalRef


class ApplyResult(Envelope, tag="appraisal.apply_result"):
    payload: ResultApplication


AppraisalCommand = Union[
    DefineScheme,
    ReviseScheme,
    OpenAppraisal,
    ScoreAppraisal,
    CorrectScore,
    AttachEvidence,
    VetoAppraisal,
    FinaliseAppraisal,
    ApplyResult,
]
