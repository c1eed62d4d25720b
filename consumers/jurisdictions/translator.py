"""行政层级 — units of administration: commands to their use cases, and their events to the
published contracts (topic family `organisation`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.jurisdictions import jurisdiction as j
from aggregates.jurisdictions.jurisdiction import Jurisdiction, JurisdictionDetails
from aggregates.organisation.town import Town
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.jurisdictions import commands as c
from contracts.jurisdictions import events as out

HANDLERS: dict[type, Callable[..., None]] = {
    c.RegisterJurisdiction: lambda app, ctx, p: app.register_jurisdiction(
        ctx, p.code, JurisdictionDetails(p.name, p.level, p.kind, p.parent)
    ),
    c.RecordResidents: lambda app, ctx, p: app.record_residents(ctx, p.code, p.residents),
}


def _registering(p: c.JurisdictionDetails) -> list[Any]:
    """The unit, its parent (as a unit of administration or a town) and the town of its code."""
    parent = () if p.parent is None else (Jurisdiction.create_id(p.parent), Town.create_id(p.parent))
    return [Jurisdiction.create_id(p.code), *parent, Town.create_id(p.code)]


TOUCHES: dict[type, Touches] = {
    c.RegisterJurisdiction: _registering,
    c.RecordResidents: touching(Jurisdiction.create_id, "code"),
}

# The rules each command can be refused with, in the order a sender should read them: what it
# names missing, then the vocabularies, then the rules on the ledger's state, then the reason.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.RegisterJurisdiction: (
        j.ParentNotRegistered,
        j.InvalidJurisdictionDetails,
        j.ParentNotOneLevelUp,
        j.TownRegisteredOtherwise,
        j.JurisdictionAlreadyRegistered,
    ),
    c.RecordResidents: (j.JurisdictionNotRegistered, j.InvalidJurisdictionDetails, base.ReasonRequired),
}

PUBLISHED: dict[type, tuple[type, Any]] = {
    Jurisdiction.Registered: (
        out.JurisdictionRegistered,
        lambda e, a: copied(out.JurisdictionOn, e.details, code=e.code, on=e.on),
    ),
    Jurisdiction.ResidentsCounted: (
        out.ResidentsRecorded,
        lambda e, a: out.ResidentCountOn(code=a.code, residents=e.residents, on=e.on),
    ),
}

INTERNAL: set[type] = set()  # every event of a unit of administration is published
