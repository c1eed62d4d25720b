"""属地管理 — territorial duties and joint-enforcement scenarios: commands to their use cases, and
their events to the published contracts (topic family `duties`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.territorial import duty, scenario
from aggregates.territorial.duty import (
    ResponsibleParty,
    TerritorialDuty,
    TerritorialDutyTerms,
    TerritorialGuidance,
)
from aggregates.territorial.scenario import (
    JointEnforcementScenario,
    JointScenarioTerms,
)
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.territorial import commands as c
from contracts.territorial import events as tout


def _party(p: c.Party) -> ResponsibleParty:
    return ResponsibleParty(p.unit, p.duty)


def _duty(p: c.DutyTerms) -> TerritorialDutyTerms:
    return TerritorialDutyTerms(
        name=p.name,
        domain=p.domain,
        lead=_party(p.lead),
        cooperating=tuple(map(_party, p.cooperating)),
        mechanisms=tuple(p.mechanisms),
        guidance=TerritorialGuidance(p.guideline, p.example, p.flow),
    )


def _scenario(p: c.ScenarioTerms) -> JointScenarioTerms:
    return JointScenarioTerms(
        name=p.name,
        category=p.category,
        lead=p.lead,
        cooperating=tuple(p.cooperating),
        town_part=p.town_part,
        towns=tuple(p.towns),
    )


HANDLERS: dict[type, Callable[..., None]] = {
    c.RegisterTerritorialDuty: lambda app, ctx, p: app.register_territorial_duty(
        ctx, p.district, p.code, _duty(p)
    ),
    c.AmendTerritorialDuty: lambda app, ctx, p: app.amend_territorial_duty(ctx, p.district, p.code, _duty(p)),
    c.RetireTerritorialDuty: lambda app, ctx, p: app.retire_territorial_duty(ctx, p.district, p.code),
    c.RegisterJointScenario: lambda app, ctx, p: app.register_joint_scenario(
        ctx, p.district, p.code, _scenario(p)
    ),
    c.AmendJointScenario: lambda app, ctx, p: app.amend_joint_scenario(ctx, p.district, p.code, _scenario(p)),
    c.RetireJointScenario: lambda app, ctx, p: app.retire_joint_scenario(ctx, p.district, p.code),
}

TOUCHES: dict[type, Touches] = {
    **dict.fromkeys(
        (c.RegisterTerritorialDuty, c.AmendTerritorialDuty, c.RetireTerritorialDuty),
        touching(TerritorialDuty.create_id, "district", "code"),
    ),
    **dict.fromkeys(
        (c.RegisterJointScenario, c.AmendJointScenario, c.RetireJointScenario),
        touching(JointEnforcementScenario.create_id, "district", "code"),
    ),
}

# The rules each command can be refused with, the thing named missing first and the 文号
# or reason last (the order a sender should read them in); the published schema lists them on
# the command, and a test reads the aggregates to check that none is missing.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.RegisterTerritorialDuty: (
        duty.BoundaryUndefined,
        duty.InvalidDutyTerms,
        duty.LeadAlsoCooperating,
        duty.NoMechanism,
        duty.PartyListedTwice,
        duty.TerritorialDutyAlreadyRegistered,
        duty.UnknownMechanism,
    ),
    c.AmendTerritorialDuty: (
        duty.TerritorialDutyNotListed,
        duty.BoundaryUndefined,
        duty.InvalidDutyTerms,
        scenario.InvalidScenarioTerms,
        duty.LeadAlsoCooperating,
        scenario.NoCooperatingDepartment,
        duty.NoMechanism,
        duty.PartyListedTwice,
        scenario.ScenarioRetired,
        duty.TerritorialDutyRetired,
        duty.UnknownMechanism,
        base.ReasonRequired,
    ),
    c.RetireTerritorialDuty: (
        duty.TerritorialDutyNotListed,
        duty.BoundaryUndefined,
        duty.InvalidDutyTerms,
        duty.LeadAlsoCooperating,
        duty.NoMechanism,
        duty.PartyListedTwice,
        duty.UnknownMechanism,
        base.ReasonRequired,
    ),
    c.RegisterJointScenario: (
        scenario.InvalidScenarioTerms,
        duty.LeadAlsoCooperating,
        scenario.NoCooperatingDepartment,
        duty.PartyListedTwice,
        scenario.ScenarioAlreadyRegistered,
    ),
    c.AmendJointScenario: (
        scenario.ScenarioNotListed,
        duty.BoundaryUndefined,
        duty.InvalidDutyTerms,
        scenario.InvalidScenarioTerms,
        duty.LeadAlsoCooperating,
        scenario.NoCooperatingDepartment,
        duty.NoMechanism,
        duty.PartyListedTwice,
        scenario.ScenarioRetired,
        duty.TerritorialDutyRetired,
        duty.UnknownMechanism,
        base.ReasonRequired,
    ),
    c.RetireJointScenario: (
        scenario.ScenarioNotListed,
        scenario.InvalidScenarioTerms,
        duty.LeadAlsoCooperating,
        scenario.NoCooperatingDepartment,
        duty.PartyListedTwice,
        base.ReasonRequired,
    ),
}


def _key(agg: Any) -> dict[str, str]:
    return {"district": agg.district, "code": agg.code}


def _party_published(party: Any) -> c.Party:
    return copied(c.Party, party)


def _duty_published(e: Any, agg: Any) -> tout.DutyRevision:
    terms, guidance = e.terms, e.terms.guidance
    return copied(
        tout.DutyRevision,
        terms,
        **_key(agg),
        lead=_party_published(terms.lead),
        cooperating=tuple(map(_party_published, terms.cooperating)),
        guideline=guidance.guideline,
        example=guidance.example,
        flow=guidance.flow,
        revision=agg.revision,
    )


def _scenario_published(e: Any, agg: Any) -> tout.ScenarioRevision:
    return copied(tout.ScenarioRevision, e.terms, **_key(agg), revision=agg.revision)


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    TerritorialDuty.Registered: (tout.TerritorialDutyRegistered, _duty_published),
    TerritorialDuty.Amended: (tout.TerritorialDutyAmended, _duty_published),
    TerritorialDuty.Retired: (tout.TerritorialDutyRetired, lambda e, a: c.TerritorialRef(**_key(a))),
    JointEnforcementScenario.Registered: (tout.JointScenarioRegistered, _scenario_published),
    JointEnforcementScenario.Amended: (tout.JointScenarioAmended, _scenario_published),
    JointEnforcementScenario.Retired: (
        tout.JointScenarioRetired,
        lambda e, a: tout.RetiredScenario(**_key(a), category=a.terms.category),
    ),
}
INTERNAL: set[type] = set()  # every event of a territorial duty and a scenario is published
