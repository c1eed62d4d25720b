"""Town organisation (大部门制): from a decoded command to its use case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates.town import Town, TownDetails, UnitDetails
from contracts import organisation as c


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
_town_touches: Callable[[Any], list[UUID]] = lambda p: [Town.create_id(p.town)]  # noqa: E731

TOUCHES: dict[type, Callable[[Any], list[UUID]]] = {
    **{command: _town_touches for command in HANDLERS},
    c.RegisterTown: lambda p: [Town.create_id(p.code)],
}
