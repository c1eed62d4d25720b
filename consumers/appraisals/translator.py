"""Appraisal schemes and appraisals (考核): domain events to their published contracts
(events.appraisals).

An opening names the scheme version it copied; the weights and bands of that version went
out with `appraisal.scheme_defined` or `appraisal.scheme_revised`, and a version never
changes. A veto's reason is the envelope's `reason`, as the domain records it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.appraisals import appraisal, scheme
from aggregates.appraisals.appraisal import (
    Appraisal,
    LinkageEvidence,
    Result,
)
from aggregates.appraisals.scheme import (
    AppraisalScheme,
    Band,
    SchemeDetails,
    SchemeTerms,
    Weight,
)
from aggregates.base import RuleViolation
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.appraisals import commands as c
from contracts.appraisals import events as out

# Appraisals (考核): from a decoded command to its use case.


def _terms(p: c.SchemeTerms) -> SchemeTerms:
    return SchemeTerms(
        p.cadence,
        tuple(Weight(w.party, w.weight) for w in p.parties),
        tuple(Band(b.grade, b.floor) for b in p.bands),
    )


def _evidence(p: c.LinkageEvidence) -> LinkageEvidence:
    return LinkageEvidence(
        p.source,
        p.response_on_time,
        p.on_time_resolution,
        p.resolution,
        p.satisfaction,
        p.cases,
        p.metrics_message_id,
    )


HANDLERS: dict[type, Callable[..., Any]] = {
    c.DefineScheme: lambda app, ctx, p: app.define_appraisal_scheme(
        ctx, p.scheme, SchemeDetails(p.title, p.subject_kind), _terms(p)
    ),
    c.ReviseScheme: lambda app, ctx, p: app.revise_appraisal_scheme(ctx, p.scheme, _terms(p)),
    c.OpenAppraisal: lambda app, ctx, p: app.open_appraisal(
        ctx, p.subject, p.period, p.scheme, p.name, p.town, p.version
    ),
    c.ScoreAppraisal: lambda app, ctx, p: app.score_appraisal(
        ctx, p.subject, p.period, p.party, p.score, p.evidence
    ),
    c.CorrectScore: lambda app, ctx, p: app.correct_appraisal_score(
        ctx, p.subject, p.period, p.party, p.score, p.evidence
    ),
    c.AttachEvidence: lambda app, ctx, p: app.attach_appraisal_evidence(
        ctx, p.subject, p.period, _evidence(p)
    ),
    c.VetoAppraisal: lambda app, ctx, p: app.veto_appraisal(ctx, p.subject, p.period, p.town),
    c.FinaliseAppraisal: lambda app, ctx, p: app.finalise_appraisal(ctx, p.subject, p.period),
    c.ApplyResult: lambda app, ctx, p: app.apply_appraisal_result(
        ctx, p.subject, p.period, Result(p.bonus_tier, p.honour, p.promotion)
    ),
}

_scheme = touching(AppraisalScheme.create_id, "scheme")
_appraisal = touching(Appraisal.create_id, "subject", "period")

# Scheme commands touch their scheme; appraisal commands their appraisal; opening reads both.
TOUCHES: dict[type, Touches] = {
    **{command: _appraisal for command in HANDLERS},
    c.DefineScheme: _scheme,
    c.ReviseScheme: _scheme,
    c.OpenAppraisal: lambda p: [*_appraisal(p), *_scheme(p)],
}

# The rules each command can be refused with, the thing named missing first and the 文号
# or reason last (the order a sender should read them in); the published schema lists them on
# the command, and a test reads the aggregates to check that none is missing.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.DefineScheme: (scheme.InvalidScheme, scheme.SchemeAlreadyDefined, scheme.WeightsMustSumTo100),
    c.ReviseScheme: (
        scheme.SchemeNotDefined,
        scheme.InvalidScheme,
        scheme.WeightsMustSumTo100,
        base.ReasonRequired,
    ),
    c.OpenAppraisal: (
        scheme.SchemeNotDefined,
        appraisal.AppraisalAlreadyOpened,
        appraisal.HostTownRequired,
        appraisal.InvalidEvidence,
        scheme.InvalidScheme,
        scheme.PeriodOutOfCadence,
        appraisal.UnknownBonusTier,
        scheme.WeightsMustSumTo100,
    ),
    c.ScoreAppraisal: (
        appraisal.AppraisalNotOpened,
        scheme.SchemeNotDefined,
        appraisal.AppraisalFinalised,
        appraisal.EvidenceRequired,
        appraisal.HostTownRequired,
        appraisal.InvalidEvidence,
        scheme.InvalidScheme,
        appraisal.PartyNotWeighted,
        appraisal.ScoreAlreadyGiven,
        scheme.ScoreOutOfRange,
        appraisal.UnknownBonusTier,
        scheme.WeightsMustSumTo100,
    ),
    c.CorrectScore: (
        appraisal.AppraisalNotOpened,
        scheme.SchemeNotDefined,
        appraisal.AppraisalFinalised,
        appraisal.EvidenceRequired,
        appraisal.HostTownRequired,
        appraisal.InvalidEvidence,
        scheme.InvalidScheme,
        appraisal.NoScoreToCorrect,
        appraisal.PartyNotWeighted,
        appraisal.ScoreAlreadyGiven,
        scheme.ScoreOutOfRange,
        appraisal.UnknownBonusTier,
        scheme.WeightsMustSumTo100,
        base.ReasonRequired,
    ),
    c.AttachEvidence: (
        appraisal.AppraisalNotOpened,
        scheme.SchemeNotDefined,
        appraisal.AppraisalFinalised,
        appraisal.HostTownRequired,
        appraisal.InvalidEvidence,
        scheme.InvalidScheme,
        appraisal.UnknownBonusTier,
        scheme.WeightsMustSumTo100,
    ),
    c.VetoAppraisal: (
        appraisal.AppraisalNotOpened,
        scheme.SchemeNotDefined,
        appraisal.AlreadyVetoed,
        appraisal.AppraisalFinalised,
        appraisal.HostTownRequired,
        appraisal.InvalidEvidence,
        scheme.InvalidScheme,
        appraisal.ScoresMissing,
        appraisal.UnknownBonusTier,
        appraisal.VetoNotAvailable,
        appraisal.VetoOnlyByTheHostTown,
        scheme.WeightsMustSumTo100,
        base.ReasonRequired,
    ),
    c.FinaliseAppraisal: (
        appraisal.AppraisalNotOpened,
        scheme.SchemeNotDefined,
        appraisal.AppraisalFinalised,
        appraisal.EvidenceRequired,
        appraisal.HostTownRequired,
        appraisal.InvalidEvidence,
        scheme.InvalidScheme,
        appraisal.PartyNotWeighted,
        appraisal.ScoreAlreadyGiven,
        scheme.ScoreOutOfRange,
        appraisal.ScoresMissing,
        appraisal.UnknownBonusTier,
        scheme.WeightsMustSumTo100,
    ),
    c.ApplyResult: (
        appraisal.AppraisalNotOpened,
        scheme.SchemeNotDefined,
        appraisal.FailingGradeBarsRewards,
        appraisal.HostTownRequired,
        appraisal.InvalidEvidence,
        scheme.InvalidScheme,
        appraisal.NotFinalised,
        appraisal.ResultAlreadyApplied,
        appraisal.ScoresMissing,
        appraisal.UnknownBonusTier,
        scheme.WeightsMustSumTo100,
    ),
}


def _terms_published(code: str, terms: Any) -> dict[str, Any]:
    return {
        "scheme": code,
        "cadence": terms.cadence,
        "parties": tuple(copied(c.PartyWeight, w) for w in terms.weights),
        "bands": tuple(copied(c.GradeBand, b) for b in terms.bands),
    }


def _ref(agg: Any) -> dict[str, str]:
    return {"subject": agg.subject, "period": agg.period}


def _scored(e: Any, agg: Any) -> out.Scored:
    return copied(out.Scored, e.score, **_ref(agg))


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    AppraisalScheme.Defined: (
        out.SchemeDefined,
        lambda e, a: copied(c.SchemeDetails, e.details, **_terms_published(e.code, e.terms)),
    ),
    AppraisalScheme.Revised: (
        out.SchemeRevised,
        lambda e, a: out.Revised(**_terms_published(a.code, e.terms), version=e.version),
    ),
    Appraisal.Opened: (
        out.AppraisalOpened,
        lambda e, a: copied(
            out.Opened, e.opening, subject=e.subject, period=e.period, opened_on=e.ctx.effective_on
        ),
    ),
    Appraisal.Scored: (out.PartyScored, _scored),
    Appraisal.ScoreCorrected: (out.ScoreCorrected, _scored),
    Appraisal.EvidenceAttached: (
        out.EvidenceAttached,
        lambda e, a: copied(out.Attached, e.evidence, **_ref(a), on=e.on),
    ),
    Appraisal.Vetoed: (out.AppraisalVetoed, lambda e, a: copied(out.Vetoed, e.veto, **_ref(a))),
    Appraisal.Finalised: (
        out.AppraisalFinalised,
        lambda e, a: copied(out.Finalised, e, **_ref(a), vetoed=a.veto is not None),
    ),
    Appraisal.ResultApplied: (
        out.ResultApplied,
        lambda e, a: copied(out.Applied, e.result, **_ref(a), on=e.on),
    ),
}

INTERNAL: set[type] = set()  # every event of a scheme and of an appraisal is published
