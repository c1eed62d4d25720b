"""Commands of the street cadre reserve, 干部AB库 (topic `govledger.commands.staffing`).

A street's reserve has two tiers: B (B库), chosen from the street's ordinary cadres, the
reserve of deputy mid-level posts (中层副职); A (A库), chosen from B, the reserve of
principal mid-level posts (中层正职). Cadres move up, down and out on their record
("能者上、庸者下", seed 004). A cadre is named by a pseudonymous staffing-system id only.

Every reserve command is keyed by `town`, the street whose reserve it is, so one street's
movements stay in order. `reserve.set_rule` is keyed by `district`: it says whether the
district fills principal mid-level posts from tier A only.
"""

from __future__ import annotations

from typing import Literal, Union

from contracts.envelope import Code, Envelope, Name, Payload

Basis = Literal["performance", "appraisal", "document"]  # 实绩 / 考核结果 / 组织文件
Office = Literal["deputy", "principal"]  # 中层副职 / 中层正职
Tier = Literal["B", "A"]  # B库 / A库


class ReserveRef(Payload):
    town: Code


class ReserveOpening(ReserveRef):
    district: Code  # the district by its code, whose appointment rule the reserve follows


class CadreRef(ReserveRef):
    person: Code  # pseudonymous id in the staffing system (机构编制实名制)


class Selection(CadreRef):
    """择优: why a cadre enters tier B or moves up to tier A."""

    basis: Basis
    grounds: Name


class Appointment(CadreRef):
    """A cadre of the reserve appointed to a mid-level post of the street."""

    office: Office
    post: Name


class AppointmentRule(Payload):
    """Whether the district fills principal mid-level posts from tier A only."""

    district: Code
    principal_only_from_a: bool


class OpenReserve(Envelope, tag="reserve.open"):
    """建立干部AB库 — a street's cadre reserve, under its district (by code)."""

    payload: ReserveOpening


class EnterReserve(Envelope, tag="reserve.enter"):
    """录入B库 — an ordinary cadre of the street chosen into tier B, on a stated basis."""

    payload: Selection


class PromoteCadre(Envelope, tag="reserve.promote"):
    """B库择优进入A库 — a cadre of tier B moved up to tier A, on a stated basis."""

    payload: Selection


class DemoteCadre(Envelope, tag="reserve.demote"):
    """A库调整至B库 — a cadre of tier A moved down to tier B (the envelope's `reason` required)."""

    payload: CadreRef


class RemoveCadre(Envelope, tag="reserve.remove"):
    """调出AB库 — a cadre taken out of the reserve (庸者下; the envelope's `reason` required)."""

    payload: CadreRef


class AppointCadre(Envelope, tag="reserve.appoint"):
    """从AB库选任 — a cadre of the reserve appointed to a deputy or principal mid-level post; the
    cadre leaves the reserve. The envelope's `document_no` (任职文件) is required."""

    payload: Appointment


class SetAppointmentRule(Envelope, tag="reserve.set_rule"):
    """选任规则 — the district's choice, from the effective day on, whether principal
    mid-level posts are filled from tier A only; a district that never chose does not require it."""

    payload: AppointmentRule


ReserveCommand = Union[
    OpenReserve,
    EnterReserve,
    PromoteCadre,
    DemoteCadre,
    RemoveCadre,
    AppointCadre,
    SetAppointmentRule,
]
