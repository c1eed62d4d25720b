"""Events of the levels of administration the ledger publishes (topic `govledger.events.organisation`)."""

from __future__ import annotations

from datetime import date
from typing import Union

from contracts.envelope import EventEnvelope
from contracts.jurisdictions.commands import JurisdictionDetails, ResidentCount


class JurisdictionOn(JurisdictionDetails, kw_only=True):
    on: date


class ResidentCountOn(ResidentCount):
    on: date


class JurisdictionRegistered(EventEnvelope, tag="jurisdiction.registered"):
    """行政层级登记 — a unit registered at its level, of its kind, under its parent, from `on`."""

    payload: JurisdictionOn


class ResidentsRecorded(EventEnvelope, tag="jurisdiction.residents_recorded"):
    """常住人口 — the unit's resident population counted on `on` (a later record for the same day
    corrects it)."""

    payload: ResidentCountOn


JurisdictionEvent = Union[JurisdictionRegistered, ResidentsRecorded]
