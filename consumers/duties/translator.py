"""职责准入 — duty admissions: commands to their use cases, and their events to the published
contracts (topic family `duties`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.duties import admission, use_cases
from aggregates.duties.admission import (
    DutyAdmission,
    DutyAdmissionTerms,
)
from consumers.handlers import Touches, touching
from consumers.powers.translator import review_of, review_published, support_of, support_published
from contracts.duties import commands as c
from contracts.duties import events as out

# Duty admissions (职责准入): from a decoded command to its use case.
#
# `PushDownDuty` returns the refusal it recorded (a `DutyNotAdmitted`) instead of raising
# it, so the refused attempt is saved; see `aggregates/duties/use_cases.py`.


def _terms(t: c.DutyTerms) -> DutyAdmissionTerms:
    return DutyAdmissionTerms(t.name, t.category, t.basis, tuple(t.towns))


HANDLERS: dict[type, Callable[..., Any]] = {
    c.ApplyDutyAdmission: lambda app, ctx, d: app.apply_duty_admission(ctx, d.department, d.duty, _terms(d)),
    c.ReviewDutyAdmission: lambda app, ctx, d: app.review_duty_admission(
        ctx, d.department, d.duty, review_of(d.review)
    ),
    c.AdmitDuty: lambda app, ctx, d: app.admit_duty(
        ctx, d.department, d.duty, d.decided_by, support_of(d.support)
    ),
    c.AdjustDutyAdmission: lambda app, ctx, d: app.adjust_duty_admission(
        ctx, d.department, d.duty, _terms(d), support_of(d.support)
    ),
    c.CancelDutyAdmission: lambda app, ctx, d: app.cancel_duty_admission(ctx, d.department, d.duty),
    c.PushDownDuty: lambda app, ctx, d: app.push_down_duty(ctx, d.department, d.duty, d.town),
}

# Every command touches one aggregate: the file of (department, duty).
TOUCHES: dict[type, Touches] = dict.fromkeys(
    HANDLERS, touching(DutyAdmission.create_id, "department", "duty")
)

# The rules each command can be refused with, the thing named missing first and the 文号
# or reason last (the order a sender should read them in); the published schema lists them on
# the command, and a test reads the aggregates to check that none is missing.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.ApplyDutyAdmission: (
        use_cases.DutyNotApplied,
        admission.DutyStepOutOfOrder,
        admission.InvalidAdmissionTerms,
    ),
    c.ReviewDutyAdmission: (
        use_cases.DutyNotApplied,
        admission.DutyStepOutOfOrder,
        admission.InvalidAdmissionTerms,
        base.ReasonRequired,
    ),
    c.AdmitDuty: (
        use_cases.DutyNotApplied,
        admission.DutyStepOutOfOrder,
        admission.InvalidAdmissionTerms,
        admission.DecisionDocumentRequired,
    ),
    **dict.fromkeys(
        (c.AdjustDutyAdmission, c.CancelDutyAdmission),
        (
            use_cases.DutyNotApplied,
            admission.DutyStepOutOfOrder,
            admission.InvalidAdmissionTerms,
            admission.DecisionDocumentRequired,
            base.ReasonRequired,
        ),
    ),
    c.PushDownDuty: (use_cases.DutyNotApplied, admission.DutyNotAdmitted, admission.InvalidAdmissionTerms),
}


class _Ref(TypedDict):
    department: str
    duty: str


def _ref(agg: Any) -> _Ref:
    return {"department": agg.department, "duty": agg.duty}


def _terms_published(terms: Any) -> dict[str, Any]:
    return {"name": terms.name, "category": terms.category, "basis": terms.basis, "towns": list(terms.towns)}


def _review(e: Any, agg: Any) -> c.DutyReview:
    return c.DutyReview(**_ref(agg), review=review_published(e.review))


def _push_down(e: Any, agg: Any) -> dict[str, Any]:
    return {**_ref(agg), "town": e.town, "on": e.on}


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    DutyAdmission.Applied: (
        out.DutyAdmissionApplied,
        lambda e, a: out.Applied(**_ref(a), **_terms_published(e.terms), round=a.round),
    ),
    DutyAdmission.Reviewed: (out.DutyAdmissionReviewed, _review),
    DutyAdmission.Rejected: (out.DutyAdmissionRejected, _review),
    DutyAdmission.Admitted: (
        out.DutyAdmitted,
        lambda e, a: out.Admitted(
            **_ref(a),
            decided_by=e.decided_by,
            support=support_published(e.support),
            towns=list(a.terms.towns),
            effective_on=e.on,
        ),
    ),
    DutyAdmission.Adjusted: (
        out.DutyAdmissionAdjusted,
        lambda e, a: out.Adjusted(
            **_ref(a),
            **_terms_published(e.terms),
            support=support_published(e.support),
            recalled=list(e.recalled),
            effective_on=e.on,
        ),
    ),
    DutyAdmission.Cancelled: (out.DutyAdmissionCancelled, lambda e, a: out.Ended(**_ref(a), ended_on=e.on)),
    DutyAdmission.PushedDown: (out.DutyPushedDown, lambda e, a: out.PushedDown(**_push_down(e, a))),
    DutyAdmission.PushDownRefused: (
        out.DutyPushDownRefused,
        lambda e, a: out.PushDownRefusal(**_push_down(e, a), admission=e.admission, detail=e.detail),
    ),
}

# Internal bookkeeping, not published: opening the file of (department, duty) is always
# followed, in the same command, by `Applied` or a push-down event with the same key.
INTERNAL: set[type] = {DutyAdmission.Opened}
