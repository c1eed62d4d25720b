"""Commands of the staffing turnover pool, 编制周转池 (topic `govledger.commands.staffing`).

Every payload names the pool in `pool`, the Kafka key, so a pool's commands stay in order.
`pool.expire_due` is the clock: a scheduler sends it once a day per pool, with a message id
made from (pool, day), so a repeat is dropped as a duplicate.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload, reworded, upgraded

Purpose = Literal["major_task", "structure", "scarce_talent"]  # 重大阶段性任务 / 改善人员结构 / 引进紧缺人才
Count = Annotated[int, msgspec.Meta(ge=1, le=100_000)]


class PoolRef(Payload):
    pool: Code


class PoolDetails(PoolRef):
    name: Name
    district_name: Name  # the district by name, e.g. 宁波市江北区
    capacity: Count


class PoolDetailsV1(PoolRef):
    """Version 1 of a pool's details: the district's name was `district`."""

    name: Name
    district: Name
    capacity: Count


class Contribution(PoolRef):
    """挖潜调剂: a unit gives institutional quotas into the pool."""

    unit: Code
    count: Count


class DrawRef(PoolRef):
    draw: Code


class DrawRequest(DrawRef):
    town: Code
    count: Count
    purpose: Purpose
    until: date  # the last day of the term


class DrawReturn(DrawRef):
    """Quotas back to the pool: `count` of them, or all still out when omitted."""

    count: Count | None = None


class DrawRenewal(DrawRef):
    """A later end of term (the reason goes in the envelope)."""

    until: date


class ExpiryRun(PoolRef):
    """The clock: approved draws whose term ended on or before `on` go back."""

    on: date


class EstablishPool(Envelope, tag="pool.establish", kw_only=True):
    """设立编制周转池 — a district's staffing turnover pool and its capacity.
    Version 2: the district by name is `district_name` (`district` is a district's code
    wherever it appears); version 1 (`district`) is still read and upgraded on the way in."""

    version: Literal[2]  # type: ignore[assignment]  # the later version: the field is the one that changes
    payload: PoolDetails


class EstablishPoolV1(Envelope, tag="pool.establish", kw_only=True):
    """Version 1 of pool.establish (编制周转池), still read: the district's name was `district`."""

    version: Literal[1] = 1
    payload: PoolDetailsV1


class ContributeToPool(Envelope, tag="pool.contribute"):
    payload: Contribution


class RequestDraw(Envelope, tag="pool.request_draw"):
    payload: DrawRequest


class ApproveDraw(Envelope, tag="pool.approve_draw"):
    payload: DrawRef


class RejectDraw(Envelope, tag="pool.reject_draw"):
    payload: DrawRef


class ReturnDraw(Envelope, tag="pool.return_draw"):
    payload: DrawReturn


class RenewDraw(Envelope, tag="pool.renew_draw"):
    payload: DrawRenewal


class ExpireDueDraws(Envelope, tag="pool.expire_due"):
    payload: ExpiryRun


PoolCommand = Union[
    EstablishPool,
    ContributeToPool,
    RequestDraw,
    ApproveDraw,
    RejectDraw,
    ReturnDraw,
    RenewDraw,
    ExpireDueDraws,
]


def _upgraded(old: EstablishPoolV1) -> EstablishPool:
    """A version-1 message as version 2: the district's name moved to `district_name`."""
    return upgraded(old, EstablishPool, 2, reworded(old.payload, PoolDetails, district="district_name"))


# Earlier versions still read, by type tag: (their contract, how one becomes the current version)
EARLIER_VERSIONS = {"pool.establish": (EstablishPoolV1, _upgraded)}
