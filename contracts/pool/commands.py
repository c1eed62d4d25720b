"""Commands of the staffing turnover pool, 编制周转池 (topic `govledger.commands.staffing`).

Every payload names the pool in `pool`, the Kafka key, so a pool's commands stay in order.
`pool.expire_due` is the clock: a scheduler sends it once a day per pool, with a message id
made from (pool, day), so a repeat is dropped as a duplicate.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, Envelope, Name, Payload

Purpose = Literal["major_task", "structure", "scarce_talent"]  # 重大阶段性任务 / 改善人员结构 / 引进紧缺人才
Count = Annotated[int, msgspec.Meta(ge=1, le=100_000)]


class PoolRef(Payload):
    pool: Code


class PoolDetails(PoolRef):
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


class EstablishPool(Envelope, tag="pool.establish"):
    payload: PoolDetails


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
