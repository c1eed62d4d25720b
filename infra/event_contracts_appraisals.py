"""Appraisal schemes and appraisals (考核): domain events to their published contracts
(events.appraisals).

An opening names the scheme version it copied; the weights and bands of that version went
out with `appraisal.scheme_defined` or `appraisal.scheme_revised`, and a version never
changes. A veto's reason is the envelope's `reason`, as the domain records it.
"""

from __future__ import annotations

from typing import Any

from aggregates.appraisal import Appraisal
from aggregates.appraisal_scheme import AppraisalScheme
from contracts import appraisal_events as out
from contracts import appraisals as c


def _terms(code: str, terms: Any) -> dict[str, Any]:
    return {"scheme": code, "cadence": terms.cadence,
            "parties": tuple(c.PartyWeight(party=w.party, weight=w.weight) for w in terms.weights),
            "bands": tuple(c.GradeBand(grade=b.grade, floor=b.floor) for b in terms.bands)}


def _ref(agg: Any) -> dict[str, str]:
    return {"subject": agg.subject, "period": agg.period}


def _opened(e: Any, agg: Any) -> out.Opened:
    o = e.opening
    return out.Opened(subject=e.subject, period=e.period, scheme=o.scheme, name=o.name, town=o.town,
                      version=o.version, kind=o.kind, opened_on=e.ctx.effective_on)


def _scored(e: Any, agg: Any) -> out.Scored:
    s = e.score
    return out.Scored(**_ref(agg), party=s.party, score=s.score, evidence=s.evidence, on=s.on)


def _attached(e: Any, agg: Any) -> out.Attached:
    x = e.evidence
    return out.Attached(**_ref(agg), source=x.source, response_on_time=x.response_on_time,
                        on_time_resolution=x.on_time_resolution, resolution=x.resolution,
                        satisfaction=x.satisfaction, cases=x.cases,
                        metrics_message_id=x.metrics_message_id, on=e.on)


# (contract class, payload builder(event, aggregate as of the event))
MAP: dict[type, tuple[type, Any]] = {
    AppraisalScheme.Defined: (out.SchemeDefined, lambda e, a: c.SchemeDetails(
        **_terms(e.code, e.terms), title=e.details.title, subject_kind=e.details.subject_kind)),
    AppraisalScheme.Revised: (out.SchemeRevised, lambda e, a: out.Revised(
        **_terms(a.code, e.terms), version=e.version)),
    Appraisal.Opened: (out.AppraisalOpened, _opened),
    Appraisal.Scored: (out.PartyScored, _scored),
    Appraisal.ScoreCorrected: (out.ScoreCorrected, _scored),
    Appraisal.EvidenceAttached: (out.EvidenceAttached, _attached),
    Appraisal.Vetoed: (out.AppraisalVetoed, lambda e, a: out.Vetoed(
        **_ref(a), town=e.veto.town, on=e.veto.on)),
    Appraisal.Finalised: (out.AppraisalFinalised, lambda e, a: out.Finalised(
        **_ref(a), total=e.total, grade=e.grade, vetoed=a.veto is not None, on=e.on)),
    Appraisal.ResultApplied: (out.ResultApplied, lambda e, a: out.Applied(
        **_ref(a), bonus_tier=e.result.bonus_tier, honour=e.result.honour,
        promotion=e.result.promotion, on=e.on)),
}

INTERNAL: set[type] = set()  # every event of a scheme and of an appraisal is published
