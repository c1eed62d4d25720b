"""Commands of the community workers, 社区工作者 (topic `govledger.commands.staffing`).

A register per community (社区工作者名册): recruitment batches, departures, promotions, keyed by
the community. A district's scale of posts and pay grades (岗级体系, 包河's 四岗十八级) is keyed by
the district; a city's staffing standard (配备标准: workers per 10,000 residents) by the city.
Workers are named by a pseudonymous id only: no name or other personal data.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload

RecruitmentMethod = Literal["public_recruitment", "in_post"]  # 公开招聘 / 在岗登记
PayGrade = Annotated[int, msgspec.Meta(ge=1, le=50)]
Headcount = Annotated[int, msgspec.Meta(ge=1, le=1000)]


class PostType(Payload):
    """A post type (岗位类别) of the scale: its code and its name."""

    post_type: Code
    name: Name


class Scale(Payload):
    """岗级体系: the district's post types, its pay grades (1 to `pay_grades`) and how many grades
    one promotion may move (`promotion_step`)."""

    district: Code
    post_types: Annotated[tuple[PostType, ...], msgspec.Meta(min_length=1, max_length=12)]
    pay_grades: PayGrade
    promotion_step: PayGrade = 1


class Standard(Payload):
    """配备标准: community workers per 10,000 residents, in force in the city from the effective day."""

    city: Code
    standard: Annotated[int, msgspec.Meta(ge=1, le=1000)]


class WorkerPost(Payload):
    """A worker by id, the post type held and the pay grade."""

    worker: Code
    post_type: Code
    pay_grade: PayGrade


class Recruitment(Payload):
    """A recruitment batch (招聘批次) of the community: how, how many, and each worker taken on."""

    community: Code
    recruitment: Code
    method: RecruitmentMethod
    count: Headcount
    workers: Annotated[tuple[WorkerPost, ...], msgspec.Meta(min_length=1, max_length=1000)]


class WorkerRef(Payload):
    community: Code
    worker: Code


class Promotion(WorkerRef):
    """晋级: the worker's new pay grade, and a new post type where the promotion changes it."""

    pay_grade: PayGrade
    post_type: Code | None = None


class DefineScale(Envelope, tag="community_worker.define_scale"):
    """岗级体系 — a district's scale of community workers' post types and pay grades (包河's
    四岗十八级: four post types, eighteen grades) and how many grades one promotion may move
    (one unless it says more). Defined once per district."""

    payload: Scale


class SetStandard(Envelope, tag="community_worker.set_standard"):
    """配备标准 — the city's standard of community workers per 10,000 residents (漯河: 18), in force
    from the effective day; a second standard for a day already set corrects it, with a reason."""

    payload: Standard


class RecruitWorkers(Envelope, tag="community_worker.recruit"):
    """招聘 — a batch of community workers taken on in a community, each with a post type and pay
    grade of the district's scale: by public recruitment (公开招聘, citing its 文号) or, when the
    register is first taken in, those already in post (在岗登记). The first batch opens the
    community's register."""

    payload: Recruitment


class RecordDeparture(Envelope, tag="community_worker.depart"):
    """离岗 — a community worker leaves the community's register (resignation, dismissal, another
    post, …), for the stated reason."""

    payload: WorkerRef


class PromoteWorker(Envelope, tag="community_worker.promote"):
    """晋级 — a community worker moves up the district's pay grades: one grade at a time unless the
    district's scale allows more."""

    payload: Promotion


CommunityWorkerCommand = Union[DefineScale, SetStandard, RecruitWorkers, RecordDeparture, PromoteWorker]
