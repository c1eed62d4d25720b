"""Duty admissions (职责准入): from a decoded command to its use case.

`PushDownDuty` returns the refusal it recorded (a `DutyNotAdmitted`) instead of raising
it, so the refused attempt is saved; see `aggregates/duties.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.duty_admission import DutyAdmission, DutyAdmissionTerms
from contracts import duties as c
from consumers.power_handlers import review_of, support_of


def _terms(t: c.DutyTerms) -> DutyAdmissionTerms:
    return DutyAdmissionTerms(t.name, t.category, t.basis, tuple(t.towns))


HANDLERS: dict[type, Callable[..., Any]] = {
    c.ApplyDutyAdmission: lambda app, ctx, d: app.apply_duty_admission(
        ctx, d.department, d.duty, _terms(d)
    ),
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

_touches: Callable[[Any], list[UUID]] = lambda d: [DutyAdmission.create_id(d.department, d.duty)]  # noqa: E731

TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {command: _touches for command in HANDLERS}
