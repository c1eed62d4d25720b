"""Events of sink-down transfers the ledger publishes (topic `govledger.events.staffing`).

Persons appear by pseudonymous id only: personal data is neither published nor its token.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Union

import msgspec

from contracts.envelope import Code, EventEnvelope, Name
from contracts.sinkdown.commands import (
    AdjustmentConsultation,
    EnforcementStaff,
    Mode,
    PersonRef,
    Staff,
    TransferRef,
)


class Proposed(TransferRef):
    department: Code
    town: Code
    mode: Mode
    team: Name
    persons: Annotated[tuple[Staff, ...], msgspec.Meta(min_length=1)]


class Dated(TransferRef):
    on: date


class Consulted(AdjustmentConsultation):
    on: date


class Left(PersonRef):
    on: date


class Rotated(PersonRef):
    replacement: Staff
    on: date


class Placed(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """一人一镇: the person's one placement, taken or released by a transfer."""

    person: Code
    transfer: Code
    town: Code | None = None
    on: date


class SinkDownProposed(EventEnvelope, tag="sinkdown.proposed"):
    payload: Proposed


class TownConsented(EventEnvelope, tag="sinkdown.town_consented"):
    payload: Dated


class TownVetoed(EventEnvelope, tag="sinkdown.town_vetoed"):
    payload: Dated


class SinkDownTookEffect(EventEnvelope, tag="sinkdown.took_effect"):
    payload: Dated


class AdjustmentConsulted(EventEnvelope, tag="sinkdown.adjustment_consulted"):
    payload: Consulted


class PersonRecalled(EventEnvelope, tag="sinkdown.person_recalled"):
    payload: Left


class PersonReturned(EventEnvelope, tag="sinkdown.person_returned"):
    payload: Left


class PersonRotated(EventEnvelope, tag="sinkdown.person_rotated"):
    payload: Rotated


class PlacementTaken(EventEnvelope, tag="sinkdown.placement_taken"):
    payload: Placed


class PlacementReleased(EventEnvelope, tag="sinkdown.placement_released"):
    payload: Placed


class EnforcementStaffDeclared(EventEnvelope, tag="sinkdown.enforcement_staff_declared", kw_only=True):
    """执法力量基数 declared. Version 2: `level` says "district" where version 1 said "department"."""

    version: Literal[2] = 2  # the later version of the event
    payload: EnforcementStaff


class EnforcementStaffCorrected(EventEnvelope, tag="sinkdown.enforcement_staff_corrected", kw_only=True):
    """执法力量基数 corrected (a stated reason). Version 2: `level` says "district" where version 1
    said "department"."""

    version: Literal[2] = 2  # the later version of the event
    payload: EnforcementStaff


SinkDownEvent = Union[
    SinkDownProposed,
    TownConsented,
    TownVetoed,
    SinkDownTookEffect,
    AdjustmentConsulted,
    PersonRecalled,
    PersonReturned,
    PersonRotated,
    PlacementTaken,
    PlacementReleased,
    EnforcementStaffDeclared,
    EnforcementStaffCorrected,
]
