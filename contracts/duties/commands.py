"""Commands of duty admission (职责准入) and push-downs (topic `govledger.commands.duties`).

A duty is named by the department that holds it and its code. An admission names its
towns one by one (`towns`); "all towns" is expanded by the sender when the district
decides. Partition key: the duty code, so every command about one duty keeps its order.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload
from contracts.powers.commands import AdmissionReview, SupportPackage

# 法律法规规章授权类 / 承接上级政府及其部门委托类 / 公共服务事项
DutyCategory = Literal["statutory", "entrusted", "public_service"]
Towns = Annotated[list[Code], msgspec.Meta(min_length=1, max_length=5000)]


class DutyRef(Payload):
    """A duty: the department that holds it and the duty's code."""

    department: Code
    duty: Code


class DutyTerms(DutyRef):
    name: Name
    category: DutyCategory
    basis: Name
    towns: Towns


class DutyReview(DutyRef):
    """The joint meeting's (区联席会议) findings; a failed one rejects, `reason` required."""

    review: AdmissionReview


class DutyDecision(DutyRef):
    """The district's decision (区委、区政府审定); the envelope carries its `document_no`."""

    decided_by: Name
    support: SupportPackage


class DutyAdjustment(DutyTerms):
    """The terms, towns and support as they stand from `effective_at` on."""

    support: SupportPackage


class DutyPushDown(DutyRef):
    town: Code


class ApplyDutyAdmission(Envelope, tag="duty_admission.apply"):
    payload: DutyTerms


class ReviewDutyAdmission(Envelope, tag="duty_admission.review"):
    payload: DutyReview


class AdmitDuty(Envelope, tag="duty_admission.admit"):
    payload: DutyDecision


class AdjustDutyAdmission(Envelope, tag="duty_admission.adjust"):
    payload: DutyAdjustment


class CancelDutyAdmission(Envelope, tag="duty_admission.cancel"):
    payload: DutyRef


class PushDownDuty(Envelope, tag="duty.push_down"):
    """A department lays a duty on a town (职责下沉). Refused unless admitted (准入) for that
    town: the refusal (擅自下沉, 甩责) is recorded and published as `duty.push_down_refused`,
    not dead-lettered."""

    payload: DutyPushDown


DutyAdmissionCommand = Union[
    ApplyDutyAdmission,
    ReviewDutyAdmission,
    AdmitDuty,
    AdjustDutyAdmission,
    CancelDutyAdmission,
    PushDownDuty,
]
