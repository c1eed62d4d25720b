"""Town organisation (大部门制): domain events to their published contracts (events.organisation).

A unit that ends (merged or abolished) takes its supervision with it, as in the domain:
consumers read `town.units_merged` and `town.unit_abolished` as ending the supervision of
the units that end, without a separate `town.supervisor_released`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.organisation import town, use_cases
from aggregates.organisation.town import (
    Town,
    TownDetails,
    UnitDetails,
)
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.organisation import commands as c
from contracts.organisation import events as out

# Town organisation (大部门制): from a decoded command to its use case.


def _unit(p: c.UnitDetails) -> UnitDetails:
    return UnitDetails(p.name, p.kind, p.type)


HANDLERS: dict[type, Callable[..., None]] = {
    c.RegisterTown: lambda app, ctx, p: app.register_town(
        ctx, p.code, TownDetails(p.name, p.district_name, p.kind, p.model)
    ),
    c.EstablishUnit: lambda app, ctx, p: app.establish_unit(ctx, p.town, p.unit, _unit(p)),
    c.MergeUnits: lambda app, ctx, p: app.merge_units(ctx, p.town, p.units, p.unit, _unit(p)),
    c.AbolishUnit: lambda app, ctx, p: app.abolish_unit(ctx, p.town, p.unit),
    c.AssignSupervisor: lambda app, ctx, p: app.assign_supervisor(
        ctx, p.town, p.unit, p.leader, p.leader_name
    ),
    c.ReleaseSupervisor: lambda app, ctx, p: app.release_supervisor(ctx, p.town, p.unit, p.leader),
    c.RegisterPlaque: lambda app, ctx, p: app.register_plaque(ctx, p.town, p.plaque, p.unit),
    c.RemovePlaque: lambda app, ctx, p: app.remove_plaque(ctx, p.town, p.plaque),
}

# Every command touches one aggregate: its town (the natural key, also the Kafka key).
TOUCHES: dict[type, Touches] = {
    **dict.fromkeys(HANDLERS, touching(Town.create_id, "town")),
    c.RegisterTown: touching(Town.create_id, "code"),
}

# The rules each command can be refused with, the thing named missing first and the 文号
# or reason last (the order a sender should read them in); the published schema lists them on
# the command, and a test reads the aggregates to check that none is missing.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.RegisterTown: (town.InvalidOrganisationDetails, use_cases.TownAlreadyRegistered),
    c.EstablishUnit: (
        use_cases.TownNotRegistered,
        town.UnitNotEstablished,
        town.InvalidOrganisationDetails,
        town.UnitAlreadyEstablished,
        town.UnitNotActive,
    ),
    c.MergeUnits: (
        use_cases.TownNotRegistered,
        town.UnitNotEstablished,
        town.InvalidOrganisationDetails,
        town.MergeNeedsSeveralUnits,
        town.UnitAlreadyEstablished,
        town.UnitNotActive,
        base.ReasonRequired,
    ),
    c.AbolishUnit: (
        use_cases.TownNotRegistered,
        town.UnitNotEstablished,
        town.InvalidOrganisationDetails,
        town.UnitNotActive,
        base.ReasonRequired,
    ),
    c.AssignSupervisor: (
        use_cases.TownNotRegistered,
        town.UnitNotEstablished,
        town.InvalidOrganisationDetails,
        town.LeaderAlreadySupervises,
        town.UnitAlreadySupervised,
        town.UnitNotActive,
    ),
    c.ReleaseSupervisor: (
        use_cases.TownNotRegistered,
        town.UnitNotEstablished,
        town.InvalidOrganisationDetails,
        town.NotTheSupervisor,
        town.UnitNotActive,
        base.ReasonRequired,
    ),
    c.RegisterPlaque: (
        use_cases.TownNotRegistered,
        town.UnitNotEstablished,
        town.InvalidOrganisationDetails,
        town.PlaqueAlreadyRegistered,
        town.UnitNotActive,
    ),
    c.RemovePlaque: (
        town.PlaqueNotRegistered,
        use_cases.TownNotRegistered,
        town.InvalidOrganisationDetails,
        base.ReasonRequired,
    ),
}


def _unit_on(e: Any, agg: Any) -> dict[str, Any]:
    """Which unit of which town, and the day it started (its details follow) or ended."""
    return {"town": agg.code, "unit": e.code, "on": e.on}


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    Town.Registered: (
        out.TownRegistered,
        lambda e, a: copied(c.TownDetails, e.details, code=e.code, district_name=e.details.district),
    ),
    Town.UnitEstablished: (
        out.UnitEstablished,
        lambda e, a: copied(out.Established, e.details, **_unit_on(e, a)),
    ),
    Town.UnitsMerged: (
        out.UnitsMerged,
        lambda e, a: copied(out.Merged, e.details, **_unit_on(e, a), units=tuple(e.sources)),
    ),
    Town.UnitAbolished: (out.UnitAbolished, lambda e, a: out.Ended(**_unit_on(e, a))),
    Town.SupervisorAssigned: (out.SupervisorAssigned, lambda e, a: copied(out.Assigned, e, town=a.code)),
    Town.SupervisorReleased: (out.SupervisorReleased, lambda e, a: copied(out.Released, e, town=a.code)),
    Town.PlaqueRegistered: (
        out.PlaqueRegistered,
        lambda e, a: c.PlaqueDetails(town=a.code, plaque=e.name, unit=e.unit),
    ),
    Town.PlaqueRemoved: (out.PlaqueRemoved, lambda e, a: out.Removed(town=a.code, plaque=e.name, on=e.on)),
}

INTERNAL: set[type] = set()  # every event of a town is published
