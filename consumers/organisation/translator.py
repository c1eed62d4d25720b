"""Town organisation (大部门制): domain events to their published contracts (events.organisation).

A unit that ends (merged or abolished) takes its supervision with it, as in the domain:
consumers read `town.units_merged` and `town.unit_abolished` as ending the supervision of
the units that end, without a separate `town.supervisor_released`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates.organisation.town import Town, TownDetails, UnitDetails
from consumers.handlers import Touches, touching
from contracts.organisation import commands as c
from contracts.organisation import events as out

# Town organisation (大部门制): from a decoded command to its use case.


def _unit(p: c.UnitDetails) -> UnitDetails:
    return UnitDetails(p.name, p.kind, p.type)


HANDLERS: dict[type, Callable[..., None]] = {
    c.RegisterTown: lambda app, ctx, p: app.register_town(
        ctx, p.code, TownDetails(p.name, p.district, p.kind, p.model)
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


def _unit_published(e: Any, agg: Any) -> dict[str, Any]:
    d = e.details
    return {"town": agg.code, "unit": e.code, "name": d.name, "kind": d.kind, "type": d.type}


def _town(e: Any, agg: Any) -> c.TownDetails:
    d = e.details
    return c.TownDetails(code=e.code, name=d.name, district=d.district, kind=d.kind, model=d.model)


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    Town.Registered: (out.TownRegistered, _town),
    Town.UnitEstablished: (
        out.UnitEstablished,
        lambda e, a: out.Established(**_unit_published(e, a), on=e.on),
    ),
    Town.UnitsMerged: (
        out.UnitsMerged,
        lambda e, a: out.Merged(**_unit_published(e, a), units=tuple(e.sources), on=e.on),
    ),
    Town.UnitAbolished: (out.UnitAbolished, lambda e, a: out.Ended(town=a.code, unit=e.code, on=e.on)),
    Town.SupervisorAssigned: (
        out.SupervisorAssigned,
        lambda e, a: out.Assigned(
            town=a.code, unit=e.unit, leader=e.leader, leader_name=e.leader_name, on=e.on
        ),
    ),
    Town.SupervisorReleased: (
        out.SupervisorReleased,
        lambda e, a: out.Released(town=a.code, unit=e.unit, leader=e.leader, on=e.on),
    ),
    Town.PlaqueRegistered: (
        out.PlaqueRegistered,
        lambda e, a: c.PlaqueDetails(town=a.code, plaque=e.name, unit=e.unit),
    ),
    Town.PlaqueRemoved: (out.PlaqueRemoved, lambda e, a: out.Removed(town=a.code, plaque=e.name, on=e.on)),
}

INTERNAL: set[type] = set()  # every event of a town is published
