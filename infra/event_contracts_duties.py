"""Duty admissions, territorial duties and joint-enforcement scenarios: domain events to their
published contracts (events.duties)."""

from __future__ import annotations

from typing import Any

from aggregates.duty_admission import DutyAdmission
from aggregates.joint_enforcement import JointEnforcementScenario
from aggregates.territorial_duty import TerritorialDuty
from contracts import duties as c
from contracts import duty_events as out
from contracts import powers as p
from contracts import territorial as t
from contracts import territorial_events as tout


def _ref(agg: Any) -> dict[str, str]:
    return {"department": agg.department, "duty": agg.duty}


def _terms(terms: Any) -> dict[str, Any]:
    return {"name": terms.name, "category": terms.category, "basis": terms.basis,
            "towns": list(terms.towns)}


def _review(e: Any, agg: Any) -> c.DutyReview:
    r, finding = e.review, lambda f: p.Finding(passed=f.passed, note=f.note)  # noqa: E731
    return c.DutyReview(**_ref(agg), review=p.AdmissionReview(
        reviewing_body=r.body, legality=finding(r.legality), reasonableness=finding(r.reasonableness)))


def _support(s: Any) -> p.SupportPackage:
    return p.SupportPackage(staff=s.staff, funding_yuan=s.funding_yuan,
                            training_sessions=s.training_sessions, guidance=s.guidance)


def _push_down(e: Any, agg: Any) -> dict[str, Any]:
    return {**_ref(agg), "town": e.town, "on": e.on}


def _party(party: Any) -> t.Party:
    return t.Party(unit=party.unit, duty=party.duty)


def _duty(e: Any, agg: Any) -> tout.DutyRevision:
    terms = e.terms
    return tout.DutyRevision(
        district=agg.district, code=agg.code, name=terms.name, domain=terms.domain,
        lead=_party(terms.lead), cooperating=tuple(map(_party, terms.cooperating)),
        mechanisms=tuple(terms.mechanisms), guideline=terms.guidance.guideline,
        example=terms.guidance.example, flow=terms.guidance.flow, revision=agg.revision)


def _scenario(e: Any, agg: Any) -> tout.ScenarioRevision:
    terms = e.terms
    return tout.ScenarioRevision(
        district=agg.district, code=agg.code, name=terms.name, category=terms.category,
        lead=terms.lead, cooperating=tuple(terms.cooperating), town_part=terms.town_part,
        towns=tuple(terms.towns), revision=agg.revision)


def _listed(e: Any, agg: Any) -> t.TerritorialRef:
    return t.TerritorialRef(district=agg.district, code=agg.code)


# (contract class, payload builder(event, aggregate as of the event))
MAP: dict[type, tuple[type, Any]] = {
    DutyAdmission.Applied: (out.DutyAdmissionApplied, lambda e, a: out.Applied(
        **_ref(a), **_terms(e.terms), round=a.round)),
    DutyAdmission.Reviewed: (out.DutyAdmissionReviewed, _review),
    DutyAdmission.Rejected: (out.DutyAdmissionRejected, _review),
    DutyAdmission.Admitted: (out.DutyAdmitted, lambda e, a: out.Admitted(
        **_ref(a), decided_by=e.decided_by, support=_support(e.support),
        towns=list(a.terms.towns), effective_on=e.on)),
    DutyAdmission.Adjusted: (out.DutyAdmissionAdjusted, lambda e, a: out.Adjusted(
        **_ref(a), **_terms(e.terms), support=_support(e.support),
        recalled=list(e.recalled), effective_on=e.on)),
    DutyAdmission.Cancelled: (out.DutyAdmissionCancelled, lambda e, a: out.Ended(
        **_ref(a), ended_on=e.on)),
    DutyAdmission.PushedDown: (out.DutyPushedDown, lambda e, a: out.PushedDown(
        **_push_down(e, a))),
    DutyAdmission.PushDownRefused: (out.DutyPushDownRefused, lambda e, a: out.PushDownRefusal(
        **_push_down(e, a), admission=e.admission, detail=e.detail)),
    TerritorialDuty.Registered: (tout.TerritorialDutyRegistered, _duty),
    TerritorialDuty.Amended: (tout.TerritorialDutyAmended, _duty),
    TerritorialDuty.Retired: (tout.TerritorialDutyRetired, _listed),
    JointEnforcementScenario.Registered: (tout.JointScenarioRegistered, _scenario),
    JointEnforcementScenario.Amended: (tout.JointScenarioAmended, _scenario),
    JointEnforcementScenario.Retired: (tout.JointScenarioRetired, lambda e, a: tout.RetiredScenario(
        district=a.district, code=a.code, category=a.terms.category)),
}

# Internal bookkeeping, not published: opening the file of (department, duty) is always
# followed, in the same command, by `Applied` or a push-down event with the same key.
INTERNAL: set[type] = {DutyAdmission.Opened}
