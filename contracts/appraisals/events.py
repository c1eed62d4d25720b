"""Events of appraisals, 考核, the ledger publishes (topic `govledger.events.appraisals`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Union

import msgspec

from contracts.appraisals.commands import (
    AppraisalRef,
    Grade,
    LinkageEvidence,
    Opening,
    PartyScore,
    ResultApplication,
    SchemeDetails,
    SchemeTerms,
    SubjectKind,
    TownVeto,
)
from contracts.envelope import EventEnvelope

SchemeVersion = Annotated[int, msgspec.Meta(ge=1)]


class Revised(SchemeTerms):
    version: SchemeVersion


class Opened(Opening, kw_only=True):
    """The scheme version it was opened under, and the kind of subject that scheme appraises."""

    version: SchemeVersion
    kind: SubjectKind
    opened_on: date


class Scored(PartyScore):
    on: date


class Attached(LinkageEvidence, kw_only=True):
    on: date


class Vetoed(TownVeto):
    """反向否决: the reason is the envelope's."""

    on: date


class Finalised(AppraisalRef):
    total: Decimal  # Σ score × weight / 100, rounded half-up to hundredths
    grade: Grade  # "failing" whenever vetoed
    vetoed: bool
    on: date


class Applied(ResultApplication):
    on: date


class SchemeDefined(EventEnvelope, tag="appraisal.scheme_defined"):
    payload: SchemeDetails


class SchemeRevised(EventEnvelope, tag="appraisal.scheme_revised"):
    payload: Revised


class AppraisalOpened(EventEnvelope, tag="appraisal.opened"):
    payload: Opened


class PartyScored(EventEnvelope, tag="appraisal.scored"):
    payload: Scored


class ScoreCorrected(EventEnvelope, tag="appraisal.score_corrected"):
    payload: Scored


class EvidenceAttached(EventEnvelope, tag="appraisal.evidence_attached"):
    payload: Attached


class AppraisalVetoed(EventEnvelope, tag="appraisal.vetoed"):
    payload: Vetoed


class AppraisalFinalised(EventEnvelope, tag="appraisal.finalised"):
    payload: Finalised


class ResultApplied(EventEnvelope, tag="appraisal.result_applied"):
    payload: Applied


AppraisalEvent = Union[
    SchemeDefined,
    SchemeRevised,
    AppraisalOpened,
    PartyScored,
    ScoreCorrected,
    EvidenceAttached,
    AppraisalVetoed,
    AppraisalFinalised,
    ResultApplied,
]
