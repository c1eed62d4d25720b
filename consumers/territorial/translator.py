"""Territorial duties and joint-enforcement scenarios (属地管理): from a decoded command to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.territorial.scenario import JointEnforcementScenario, JointScenarioTerms
from aggregates.territorial.duty import (
    ResponsibleParty,
    TerritorialDuty,
    TerritorialDutyTerms,
    TerritorialGuidance,
)
from contracts.territorial import commands as c


def _party(p: c.Party) -> ResponsibleParty:
    return ResponsibleParty(p.unit, p.duty)


def _duty(p: c.DutyTerms) -> TerritorialDutyTerms:
    return TerritorialDutyTerms(
        name=p.name, domain=p.domain, lead=_party(p.lead),
        cooperating=tuple(map(_party, p.cooperating)), mechanisms=tuple(p.mechanisms),
        guidance=TerritorialGuidance(p.guideline, p.example, p.flow),
    )


def _scenario(p: c.ScenarioTerms) -> JointScenarioTerms:
    return JointScenarioTerms(
        name=p.name, category=p.category, lead=p.lead, cooperating=tuple(p.cooperating),
        town_part=p.town_part, towns=tuple(p.towns),
    )


HANDLERS: dict[type, Callable[..., None]] = {
    c.RegisterTerritorialDuty: lambda app, ctx, p: app.register_territorial_duty(
        ctx, p.district, p.code, _duty(p)),
    c.AmendTerritorialDuty: lambda app, ctx, p: app.amend_territorial_duty(
        ctx, p.district, p.code, _duty(p)),
    c.RetireTerritorialDuty: lambda app, ctx, p: app.retire_territorial_duty(
        ctx, p.district, p.code),
    c.RegisterJointScenario: lambda app, ctx, p: app.register_joint_scenario(
        ctx, p.district, p.code, _scenario(p)),
    c.AmendJointScenario: lambda app, ctx, p: app.amend_joint_scenario(
        ctx, p.district, p.code, _scenario(p)),
    c.RetireJointScenario: lambda app, ctx, p: app.retire_joint_scenario(
        ctx, p.district, p.code),
}

_duty_touches: Callable[[Any], list[UUID]] = lambda p: [  # noqa: E731
    TerritorialDuty.create_id(p.district, p.code)]
_scenario_touches: Callable[[Any], list[UUID]] = lambda p: [  # noqa: E731
    JointEnforcementScenario.create_id(p.district, p.code)]

TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {
    **dict.fromkeys((c.RegisterTerritorialDuty, c.AmendTerritorialDuty, c.RetireTerritorialDuty),
                    _duty_touches),
    **dict.fromkeys((c.RegisterJointScenario, c.AmendJointScenario, c.RetireJointScenario),
                    _scenario_touches),
}
