"""Town organisation (大部门制): domain events to their published contracts (events.organisation).

A unit that ends (merged or abolished) takes its supervision with it, as in the domain:
consumers read `town.units_merged` and `town.unit_abolished` as ending the supervision of
the units that end, without a separate `town.supervisor_released`.
"""

from __future__ import annotations

from typing import Any

from aggregates.town import Town
from contracts import organisation as c
from contracts import organisation_events as out


def _unit(e: Any, agg: Any) -> dict[str, Any]:
    d = e.details
    return {"town": agg.code, "unit": e.code, "name": d.name, "kind": d.kind, "type": d.type}


def _town(e: Any, agg: Any) -> c.TownDetails:
    d = e.details
    return c.TownDetails(code=e.code, name=d.name, district=d.district, kind=d.kind, model=d.model)


# (contract class, payload builder(event, aggregate as of the event))
MAP: dict[type, tuple[type, Any]] = {
    Town.Registered: (out.TownRegistered, _town),
    Town.UnitEstablished: (out.UnitEstablished, lambda e, a: out.Established(
        **_unit(e, a), on=e.on)),
    Town.UnitsMerged: (out.UnitsMerged, lambda e, a: out.Merged(
        **_unit(e, a), units=tuple(e.sources), on=e.on)),
    Town.UnitAbolished: (out.UnitAbolished, lambda e, a: out.Ended(
        town=a.code, unit=e.code, on=e.on)),
    Town.SupervisorAssigned: (out.SupervisorAssigned, lambda e, a: out.Assigned(
        town=a.code, unit=e.unit, leader=e.leader, leader_name=e.leader_name, on=e.on)),
    Town.SupervisorReleased: (out.SupervisorReleased, lambda e, a: out.Released(
        town=a.code, unit=e.unit, leader=e.leader, on=e.on)),
    Town.PlaqueRegistered: (out.PlaqueRegistered, lambda e, a: c.PlaqueDetails(
        town=a.code, plaque=e.name, unit=e.unit)),
    Town.PlaqueRemoved: (out.PlaqueRemoved, lambda e, a: out.Removed(
        town=a.code, plaque=e.name, on=e.on)),
}

INTERNAL: set[type] = set()  # every event of a town is published
