"""Events of the quota ledgers the ledger publishes (topic `govledger.events.staffing`).

Totals after the change travel with each event, so a reader needs no state of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Union

from contracts.envelope import Code, EventEnvelope
from contracts.quotas.commands import (
    Approval,
    Count,
    LedgerDetails,
    QuotaKind,
    QuotaLevel,
    StaffingPlan,
    Total,
    UnitRef,
)

CountedKind = Union[QuotaKind, Literal["leadership"]]  # 中层领导职数 counts like a kind


class Opened(UnitRef):
    """A ledger started by an incoming transfer before its own opening has no name yet."""

    level: QuotaLevel
    name: str | None = None
    district_name: str | None = None


class Approved(UnitRef):
    kind: CountedKind
    figure: Total  # the 核定
    on: date
    approved: Total  # in force now: the figure plus transfers effective after `on`


class Occupancy(UnitRef):
    kind: CountedKind
    count: Count
    occupied: Total


class Moved(UnitRef):
    other_unit: Code  # where the quotas went (out) or came from (in)
    other_level: QuotaLevel
    kind: QuotaKind
    count: Count
    on: date
    approved: Total
    approval: Approval | None = None


class QuotaLedgerOpened(EventEnvelope, tag="quota.opened", kw_only=True):
    """A quota ledger (编制台账) opened (by its own opening, or first by a transfer into it).
    Version 2: the district by name is `district_name` (version 1 called it `district`)."""

    version: Literal[2] = 2  # the later version of the event
    payload: Opened


class QuotaLedgerDetailsRecorded(EventEnvelope, tag="quota.details_recorded", kw_only=True):
    """A quota ledger's (编制台账) details recorded when its opening follows a transfer into it.
    Version 2: the district by name is `district_name` (version 1 called it `district`)."""

    version: Literal[2] = 2  # the later version of the event
    payload: LedgerDetails


class QuotasApproved(EventEnvelope, tag="quota.approved"):
    payload: Approved


class QuotasOccupied(EventEnvelope, tag="quota.occupied"):
    payload: Occupancy


class QuotasVacated(EventEnvelope, tag="quota.vacated"):
    payload: Occupancy


class QuotasTransferredOut(EventEnvelope, tag="quota.transferred_out"):
    payload: Moved


class QuotasTransferredIn(EventEnvelope, tag="quota.transferred_in"):
    payload: Moved


class StaffingPlanned(EventEnvelope, tag="quota.planned"):
    payload: StaffingPlan


QuotaEvent = Union[
    QuotaLedgerOpened,
    QuotaLedgerDetailsRecorded,
    QuotasApproved,
    QuotasOccupied,
    QuotasVacated,
    QuotasTransferredOut,
    QuotasTransferredIn,
    StaffingPlanned,
]
