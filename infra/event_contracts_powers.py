"""Powers and delegations: domain events to their published contracts (events.powers)."""

from __future__ import annotations

from typing import Any

from aggregates.batch import DelegationBatch
from aggregates.delegation import Delegation
from aggregates.holding import PowerHolding
from aggregates.power_item import PowerItem
from contracts import power_events as out
from contracts import powers as c


def _item(e: Any, code: str) -> c.ItemDetails:
    d = e.details
    return c.ItemDetails(code=code, name=d.name, kind=d.kind, list=d.list, domain=d.domain,
                         legal_basis=d.legal_basis, department=d.department)


def _review(r: Any) -> c.AdmissionReview:
    finding = lambda f: c.Finding(passed=f.passed, note=f.note)  # noqa: E731
    return c.AdmissionReview(reviewing_body=r.body, legality=finding(r.legality),
                             reasonableness=finding(r.reasonableness))


def _ref(agg: Any) -> dict[str, str]:
    return {"batch": agg.batch, "item": agg.item, "town": agg.town}


def _holding(e: Any, agg: Any) -> out.Holding:
    on = getattr(e, "since", None) or e.on
    return out.Holding(item=agg.item, town=agg.town, delegation_id=str(e.delegation_id), on=on)


# (contract class, payload builder(event, aggregate as of the event))
MAP: dict[type, tuple[type, Any]] = {
    PowerItem.Registered: (out.PowerItemRegistered, lambda e, a: _item(e, e.code)),
    PowerItem.Amended: (out.PowerItemAmended, lambda e, a: _item(e, a.code)),
    PowerItem.Retired: (out.PowerItemRetired, lambda e, a: c.ItemRef(code=a.code)),
    DelegationBatch.Declared: (out.DelegationBatchDeclared,
                               lambda e, a: c.BatchDetails(code=e.code, title=e.title)),
    Delegation.Proposed: (out.DelegationProposed, lambda e, a: out.Proposed(
        batch=e.batch, item=e.item, town=e.town, mode=e.mode, department=e.department)),
    Delegation.AdmissionReviewStarted: (out.AdmissionReviewStarted, lambda e, a: c.ReviewStart(
        **_ref(a), reviewing_body=e.body)),
    Delegation.Approved: (out.DelegationApproved, lambda e, a: out.Approved(
        **_ref(a), review=_review(e.review), effective_on=e.effective_on,
        support=c.SupportPackage(staff=e.support.staff, funding_yuan=e.support.funding_yuan,
                                 training_sessions=e.support.training_sessions,
                                 guidance=e.support.guidance))),
    Delegation.Rejected: (out.DelegationRejected, lambda e, a: c.Rejection(
        **_ref(a), review=_review(e.review))),
    Delegation.Evaluated: (out.DelegationEvaluated, lambda e, a: out.Evaluated(
        **_ref(a), rating=e.evaluation.rating, recommendation=e.evaluation.recommendation,
        findings=e.evaluation.findings, evaluated_on=e.evaluation.evaluated_on)),
    Delegation.Recalled: (out.DelegationRecalled, lambda e, a: out.Ended(
        **_ref(a), ended_on=e.ended_on)),
    Delegation.Transferred: (out.DelegationTransferred, lambda e, a: out.HandedOver(
        **_ref(a), to_unit=e.to_unit, ended_on=e.ended_on)),
    PowerHolding.Taken: (out.HoldingTaken, _holding),
    PowerHolding.Released: (out.HoldingReleased, _holding),
}

# Internal bookkeeping, not published: a slot opening says nothing a consumer needs.
INTERNAL: set[type] = {PowerHolding.Opened}
