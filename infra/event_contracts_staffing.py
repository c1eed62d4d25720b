"""Sink-down transfers (力量下沉): domain events to their published contracts
(events.staffing; the quotas and the pool of that family are in event_contracts_quotas).

A person goes out by pseudonymous id, post, enforcement flag and rank only: the vault's
token of their name, ID number and phone stays in the log and never reaches a contract, so
erasing the person (destroying the key) needs no retraction downstream. A placement is
released with no town: the event records only the transfer it ends, the town is the one
its `placement_taken` named.
"""

from __future__ import annotations

from typing import Any

from aggregates.enforcement_staffing import EnforcementStaffing
from aggregates.placement import Placement
from aggregates.sink_down import SinkDownTransfer
from contracts import sink_down as c
from contracts import sink_down_events as out


def _staff(person: Any) -> c.Staff:
    """The person without personal data: `sealed` is deliberately left behind."""
    return c.Staff(person=person.person, post=person.post, enforcement=person.enforcement,
                   rank=person.rank)


def _proposed(e: Any, agg: Any) -> out.Proposed:
    d = e.details
    return out.Proposed(transfer=e.code, department=d.department, town=d.town, mode=d.mode,
                        team=d.team, persons=tuple(_staff(p) for p in e.persons))


def _dated(e: Any, agg: Any) -> out.Dated:
    return out.Dated(transfer=agg.code, on=e.on)


def _left(e: Any, agg: Any) -> out.Left:
    return out.Left(transfer=agg.code, person=e.person, on=e.on)


def _baseline(e: Any, agg: Any) -> c.EnforcementStaff:
    """Declared or corrected, the baseline goes out whole, as it stands after the event."""
    return c.EnforcementStaff(unit=agg.unit, level=agg.level, count=agg.count, as_of=agg.as_of,
                              category=agg.category)


# (contract class, payload builder(event, aggregate as of the event))
SINK_DOWN_MAP: dict[type, tuple[type, Any]] = {
    SinkDownTransfer.Proposed: (out.SinkDownProposed, _proposed),
    SinkDownTransfer.TownConsented: (out.TownConsented, _dated),
    SinkDownTransfer.TownVetoed: (out.TownVetoed, _dated),
    SinkDownTransfer.TookEffect: (out.SinkDownTookEffect, _dated),
    SinkDownTransfer.AdjustmentConsulted: (out.AdjustmentConsulted, lambda e, a: out.Consulted(
        transfer=a.code, person=e.person, adjustment=e.kind, agreed=e.agreed, on=e.on)),
    SinkDownTransfer.Recalled: (out.PersonRecalled, _left),
    SinkDownTransfer.Returned: (out.PersonReturned, _left),
    SinkDownTransfer.Rotated: (out.PersonRotated, lambda e, a: out.Rotated(
        transfer=a.code, person=e.person, replacement=_staff(e.replacement), on=e.on)),
    Placement.Taken: (out.PlacementTaken, lambda e, a: out.Placed(
        person=a.person, transfer=e.transfer, town=e.town, on=e.since)),
    Placement.Released: (out.PlacementReleased, lambda e, a: out.Placed(
        person=a.person, transfer=e.transfer, on=e.on)),
    EnforcementStaffing.Declared: (out.EnforcementStaffDeclared, _baseline),
    EnforcementStaffing.Corrected: (out.EnforcementStaffCorrected, _baseline),
}

MAP: dict[type, tuple[type, Any]] = {**SINK_DOWN_MAP}

# Internal bookkeeping, not published: a person's placement slot opens in the command that
# first places them, followed there by `placement_taken`; the opening says nothing more.
INTERNAL: set[type] = {Placement.Opened}
