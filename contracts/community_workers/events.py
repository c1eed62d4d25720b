"""Events of the community workers the ledger publishes (topic `govledger.events.staffing`)."""

from __future__ import annotations

from datetime import date
from typing import Union

from contracts.community_workers.commands import PayGrade, Promotion, Recruitment, Scale, Standard, WorkerRef
from contracts.envelope import Code, EventEnvelope, Payload


class ScaleOn(Scale, kw_only=True):
    on: date


class StandardOn(Standard):
    on: date


class RegisterPlace(Payload):
    """Where the community lies, as the ledger found it when its register opened."""

    community: Code
    town: Code
    district: Code
    on: date


class RecruitmentOn(Recruitment):
    on: date


class DepartureOn(WorkerRef):
    on: date


class PromotionOn(Promotion, kw_only=True):
    from_pay_grade: PayGrade
    on: date


class ScaleDefined(EventEnvelope, tag="community_worker.scale_defined"):
    """岗级体系 — a district's scale of post types and pay grades, from `on`."""

    payload: ScaleOn


class StandardSet(EventEnvelope, tag="community_worker.standard_set"):
    """配备标准 — the city's workers per 10,000 residents, in force from `on`."""

    payload: StandardOn


class RegisterOpened(EventEnvelope, tag="community_worker.register_opened"):
    """社区工作者名册 — a community's register opened by its first batch: its town and district as
    the units of administration place it."""

    payload: RegisterPlace


class WorkersRecruited(EventEnvelope, tag="community_worker.recruited"):
    """招聘 — a batch of workers taken on in the community on `on`."""

    payload: RecruitmentOn


class WorkerDeparted(EventEnvelope, tag="community_worker.departed"):
    """离岗 — a worker left the community's register on `on`."""

    payload: DepartureOn


class WorkerPromoted(EventEnvelope, tag="community_worker.promoted"):
    """晋级 — a worker moved from `from_pay_grade` to `pay_grade` (and to `post_type`, where it
    changed) on `on`."""

    payload: PromotionOn


CommunityWorkerEvent = Union[
    ScaleDefined, StandardSet, RegisterOpened, WorkersRecruited, WorkerDeparted, WorkerPromoted
]
