"""干部AB库 — the street cadre reserve: commands to their use cases, and its events to the
published contracts (topic family `staffing`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aggregates import base
from aggregates.base import DocumentNumberRequired, RuleViolation
from aggregates.jurisdictions.jurisdiction import Jurisdiction
from aggregates.organisation.town import Town
from aggregates.organisation.use_cases import TownNotRegistered
from aggregates.reserve import cadre_reserve as r
from aggregates.reserve.appointment_rule import AppointmentRule
from aggregates.reserve.cadre_reserve import Appointment, CadreReserve, Selection
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.reserve import commands as c
from contracts.reserve import events as out

HANDLERS: dict[type, Callable[..., Any]] = {
    c.OpenReserve: lambda app, ctx, p: app.open_reserve(ctx, p.town, p.district),
    c.EnterReserve: lambda app, ctx, p: app.enter_reserve(
        ctx, p.town, p.person, Selection(p.basis, p.grounds)
    ),
    c.PromoteCadre: lambda app, ctx, p: app.promote_cadre(
        ctx, p.town, p.person, Selection(p.basis, p.grounds)
    ),
    c.DemoteCadre: lambda app, ctx, p: app.demote_cadre(ctx, p.town, p.person),
    c.RemoveCadre: lambda app, ctx, p: app.remove_cadre(ctx, p.town, p.person),
    c.AppointCadre: lambda app, ctx, p: app.appoint_cadre(
        ctx, p.town, p.person, Appointment(p.office, p.post)
    ),
    c.SetAppointmentRule: lambda app, ctx, p: app.set_appointment_rule(
        ctx, p.district, p.principal_only_from_a
    ),
}

# A street's commands touch its reserve (an appointment reads its district's rule too, found
# through the reserve; an opening reads the street as the ledger knows it, a jurisdiction or
# a town); the district's rule, its own aggregate.
TOUCHES: dict[type, Touches] = {
    **dict.fromkeys(
        (c.EnterReserve, c.PromoteCadre, c.DemoteCadre, c.RemoveCadre, c.AppointCadre),
        touching(CadreReserve.create_id, "town"),
    ),
    c.OpenReserve: lambda p: [
        CadreReserve.create_id(p.town),
        Jurisdiction.create_id(p.town),
        Town.create_id(p.town),
    ],
    c.SetAppointmentRule: touching(AppointmentRule.create_id, "district"),
}

# The rules each command can be refused with: the reserve missing first, then values, the
# reserve's rules, and the reason or 文号 last.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.OpenReserve: (TownNotRegistered, r.ReserveAlreadyOpened),
    c.EnterReserve: (
        r.ReserveNotOpened,
        r.InvalidSelection,
        r.CadreAlreadyInReserve,
        r.MovementBackdated,
    ),
    c.PromoteCadre: (r.ReserveNotOpened, r.InvalidSelection, r.AOnlyFromB, r.MovementBackdated),
    c.DemoteCadre: (r.ReserveNotOpened, r.DemotionOnlyFromA, r.MovementBackdated, base.ReasonRequired),
    c.RemoveCadre: (r.ReserveNotOpened, r.CadreNotInReserve, r.MovementBackdated, base.ReasonRequired),
    c.AppointCadre: (
        r.ReserveNotOpened,
        r.InvalidAppointment,
        r.CadreNotInReserve,
        r.MovementBackdated,
        r.PrincipalOnlyFromA,
        DocumentNumberRequired,
    ),
    c.SetAppointmentRule: (),
}

# (contract class, payload builder(event, aggregate as of the event)); the reserve goes out
# by its street, the rest as the event (or its selection or appointment) names it.
PUBLISHED: dict[type, tuple[type, Any]] = {
    CadreReserve.Opened: (out.ReserveOpened, lambda e, a: copied(c.ReserveOpening, e)),
    CadreReserve.Entered: (
        out.CadreEntered,
        lambda e, a: copied(c.Selection, e.selection, town=a.town, person=e.person),
    ),
    CadreReserve.Promoted: (
        out.CadrePromoted,
        lambda e, a: copied(c.Selection, e.selection, town=a.town, person=e.person),
    ),
    CadreReserve.Demoted: (out.CadreDemoted, lambda e, a: copied(c.CadreRef, e, town=a.town)),
    CadreReserve.Removed: (out.CadreRemoved, lambda e, a: copied(out.Removed, e, town=a.town)),
    CadreReserve.Appointed: (
        out.CadreAppointed,
        lambda e, a: copied(out.Appointed, e.appointment, town=a.town, person=e.person, tier=e.tier),
    ),
    AppointmentRule.Set: (
        out.AppointmentRuleSet,
        lambda e, a: copied(c.AppointmentRule, e, district=a.district),
    ),
}

# Internal bookkeeping, not published: a district's rule opening says nothing until it is set.
INTERNAL: set[type] = {AppointmentRule.Opened}
