"""Events of the town organisation the ledger publishes (topic `govledger.events.organisation`)."""

from __future__ import annotations

from datetime import date
from typing import Literal, Union

from contracts.envelope import EventEnvelope
from contracts.organisation.commands import (
    Merger,
    PlaqueDetails,
    PlaqueRef,
    Release,
    Supervision,
    TownDetails,
    UnitDetails,
    UnitRef,
)


class Established(UnitDetails):
    on: date


class Merged(Merger):
    on: date


class Ended(UnitRef):
    on: date


class Assigned(Supervision):
    on: date


class Released(Release):
    on: date


class Removed(PlaqueRef):
    on: date


class TownRegistered(EventEnvelope, tag="town.registered", kw_only=True):
    """镇街登记 — a town registered with its district and model.
    Version 2: the district by name is `district_name` (version 1 called it `district`)."""

    version: Literal[2] = 2  # the later version of the event
    payload: TownDetails


class UnitEstablished(EventEnvelope, tag="town.unit_established"):
    payload: Established


class UnitsMerged(EventEnvelope, tag="town.units_merged"):
    payload: Merged


class UnitAbolished(EventEnvelope, tag="town.unit_abolished"):
    payload: Ended


class SupervisorAssigned(EventEnvelope, tag="town.supervisor_assigned"):
    payload: Assigned


class SupervisorReleased(EventEnvelope, tag="town.supervisor_released"):
    payload: Released


class PlaqueRegistered(EventEnvelope, tag="town.plaque_registered"):
    payload: PlaqueDetails


class PlaqueRemoved(EventEnvelope, tag="town.plaque_removed"):
    payload: Removed


OrganisationEvent = Union[
    TownRegistered,
    UnitEstablished,
    UnitsMerged,
    UnitAbolished,
    SupervisorAssigned,
    SupervisorReleased,
    PlaqueRegistered,
    PlaqueRemoved,
]
