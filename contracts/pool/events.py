"""Events of the staffing turnover pool the ledger publishes (topic `govledger.events.staffing`)."""

from __future__ import annotations

from datetime import date
from typing import Literal, Union

from contracts.envelope import EventEnvelope
from contracts.pool.commands import (
    Contribution,
    Count,
    DrawRef,
    DrawRenewal,
    DrawRequest,
    PoolDetails,
)


class Returned(DrawRef):
    count: Count
    on: date


class Expired(DrawRef):
    """Returned by itself: the term ended by `on`, the day of the clock message that caused it."""

    count: Count
    on: date


class PoolEstablished(EventEnvelope, tag="pool.established", kw_only=True):
    """设立编制周转池 — a pool established with its capacity.
    Version 2: the district by name is `district_name` (version 1 called it `district`)."""

    version: Literal[2] = 2  # the later version of the event
    payload: PoolDetails


class PoolContributed(EventEnvelope, tag="pool.contributed"):
    payload: Contribution


class DrawRequested(EventEnvelope, tag="pool.draw_requested"):
    payload: DrawRequest


class DrawApproved(EventEnvelope, tag="pool.draw_approved"):
    payload: DrawRef


class DrawRejected(EventEnvelope, tag="pool.draw_rejected"):
    payload: DrawRef


class DrawReturned(EventEnvelope, tag="pool.draw_returned"):
    payload: Returned


class DrawRenewed(EventEnvelope, tag="pool.draw_renewed"):
    payload: DrawRenewal


class DrawExpired(EventEnvelope, tag="pool.draw_expired"):
    payload: Expired


PoolEvent = Union[
    PoolEstablished,
    PoolContributed,
    DrawRequested,
    DrawApproved,
    DrawRejected,
    DrawReturned,
    DrawRenewed,
    DrawExpired,
]
