"""Events of duty admission the ledger publishes (topic `govledger.events.duties`).

`duty.push_down_refused` is how a department learns that its push-down was refused
(rule `DutyNotAdmitted`) and what auditors read (部门擅自将责任甩给镇街): its
`message_id` is the refused command's.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Union

from contracts.duties.commands import (
    DutyAdjustment,
    DutyDecision,
    DutyPushDown,
    DutyRef,
    DutyReview,
    DutyTerms,
    Towns,
)
from contracts.envelope import Code, EventEnvelope, Note

AdmissionStatus = Literal["none", "applied", "reviewed", "rejected", "admitted", "cancelled"]


class Applied(DutyTerms):
    round: int  # 1 for the first application; a new round after a rejection or cancellation


class Admitted(DutyDecision):
    towns: Towns
    effective_on: date


class Adjusted(DutyAdjustment):
    recalled: list[Code]  # towns the adjustment took the duty back from (上收)
    effective_on: date


class Ended(DutyRef):
    ended_on: date


class PushedDown(DutyPushDown):
    on: date


class PushDownRefusal(DutyPushDown, kw_only=True):
    rule: Literal["DutyNotAdmitted"] = "DutyNotAdmitted"
    admission: AdmissionStatus  # where the duty's admission stood when the push-down came
    detail: Note
    on: date


class DutyAdmissionApplied(EventEnvelope, tag="duty_admission.applied"):
    payload: Applied


class DutyAdmissionReviewed(EventEnvelope, tag="duty_admission.reviewed"):
    payload: DutyReview


class DutyAdmissionRejected(EventEnvelope, tag="duty_admission.rejected"):
    payload: DutyReview


class DutyAdmitted(EventEnvelope, tag="duty_admission.admitted"):
    payload: Admitted


class DutyAdmissionAdjusted(EventEnvelope, tag="duty_admission.adjusted"):
    payload: Adjusted


class DutyAdmissionCancelled(EventEnvelope, tag="duty_admission.cancelled"):
    payload: Ended


class DutyPushedDown(EventEnvelope, tag="duty.pushed_down"):
    payload: PushedDown


class DutyPushDownRefused(EventEnvelope, tag="duty.push_down_refused"):
    payload: PushDownRefusal


DutyAdmissionEvent = Union[
    DutyAdmissionApplied,
    DutyAdmissionReviewed,
    DutyAdmissionRejected,
    DutyAdmitted,
    DutyAdmissionAdjusted,
    DutyAdmissionCancelled,
    DutyPushedDown,
    DutyPushDownRefused,
]
