"""Appraisals (考核): from a decoded command to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.appraisal import Appraisal
from aggregates.appraisal_records import LinkageEvidence, Result
from aggregates.appraisal_scheme import AppraisalScheme, SchemeDetails
from aggregates.appraisal_terms import Band, SchemeTerms, Weight
from contracts import appraisals as c


def _terms(p: c.SchemeTerms) -> SchemeTerms:
    return SchemeTerms(p.cadence, tuple(Weight(w.party, w.weight) for w in p.parties),
                       tuple(Band(b.grade, b.floor) for b in p.bands))


def _evidence(p: c.LinkageEvidence) -> LinkageEvidence:
    return LinkageEvidence(p.source, p.response_on_time, p.on_time_resolution, p.resolution,
                           p.satisfaction, p.cases, p.metrics_message_id)


HANDLERS: dict[type, Callable[..., Any]] = {
    c.DefineScheme: lambda app, ctx, p: app.define_appraisal_scheme(
        ctx, p.scheme, SchemeDetails(p.title, p.subject_kind), _terms(p)),
    c.ReviseScheme: lambda app, ctx, p: app.revise_appraisal_scheme(ctx, p.scheme, _terms(p)),
    c.OpenAppraisal: lambda app, ctx, p: app.open_appraisal(
        ctx, p.subject, p.period, p.scheme, p.name, p.town, p.version),
    c.ScoreAppraisal: lambda app, ctx, p: app.score_appraisal(
        ctx, p.subject, p.period, p.party, p.score, p.evidence),
    c.CorrectScore: lambda app, ctx, p: app.correct_appraisal_score(
        ctx, p.subject, p.period, p.party, p.score, p.evidence),
    c.AttachEvidence: lambda app, ctx, p: app.attach_appraisal_evidence(
        ctx, p.subject, p.period, _evidence(p)),
    c.VetoAppraisal: lambda app, ctx, p: app.veto_appraisal(ctx, p.subject, p.period, p.town),
    c.FinaliseAppraisal: lambda app, ctx, p: app.finalise_appraisal(ctx, p.subject, p.period),
    c.ApplyResult: lambda app, ctx, p: app.apply_appraisal_result(
        ctx, p.subject, p.period, Result(p.bonus_tier, p.honour, p.promotion)),
}

_scheme: Callable[[Any], list[UUID]] = lambda p: [AppraisalScheme.create_id(p.scheme)]  # noqa: E731
_appraisal: Callable[[Any], list[UUID]] = (  # noqa: E731
    lambda p: [Appraisal.create_id(p.subject, p.period)])

# Scheme commands touch their scheme; appraisal commands their appraisal; opening reads both.
TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {
    **{command: _appraisal for command in HANDLERS},
    c.DefineScheme: _scheme,
    c.ReviseScheme: _scheme,
    c.OpenAppraisal: lambda p: [*_appraisal(p), *_scheme(p)],
}
