"""Events of the street cadre reserve the ledger publishes (topic `govledger.events.staffing`)."""

from __future__ import annotations

from typing import Union

from contracts.envelope import EventEnvelope
from contracts.reserve.commands import (
    Appointment,
    AppointmentRule,
    CadreRef,
    ReserveOpening,
    Selection,
    Tier,
)


class Removed(CadreRef):
    tier: Tier  # the tier the cadre left


class Appointed(Appointment):
    tier: Tier  # the tier the cadre was drawn from


class ReserveOpened(EventEnvelope, tag="reserve.opened"):
    """建立干部AB库 — a street's cadre reserve opened under its district."""

    payload: ReserveOpening


class CadreEntered(EventEnvelope, tag="reserve.entered"):
    """录入B库 — a cadre entered tier B."""

    payload: Selection


class CadrePromoted(EventEnvelope, tag="reserve.promoted"):
    """进入A库 — a cadre moved up from tier B to tier A."""

    payload: Selection


class CadreDemoted(EventEnvelope, tag="reserve.demoted"):
    """调整至B库 — a cadre moved down from tier A to tier B."""

    payload: CadreRef


class CadreRemoved(EventEnvelope, tag="reserve.removed"):
    """调出AB库 — a cadre taken out of the reserve, from the tier named."""

    payload: Removed


class CadreAppointed(EventEnvelope, tag="reserve.appointed"):
    """从AB库选任 — a cadre appointed to a mid-level post, drawn from the tier named."""

    payload: Appointed


class AppointmentRuleSet(EventEnvelope, tag="reserve.rule_set"):
    """选任规则 — the district's rule for principal mid-level posts, in force from the effective day."""

    payload: AppointmentRule


ReserveEvent = Union[
    ReserveOpened,
    CadreEntered,
    CadrePromoted,
    CadreDemoted,
    CadreRemoved,
    CadreAppointed,
    AppointmentRuleSet,
]
