"""Sink-down transfers (力量下沉): domain events to their published contracts
(events.staffing; the quotas and the pool of that family are in event_contracts_quotas).

A person goes out by pseudonymous id, post, enforcement flag and rank only: the vault's
token of their name, ID number and phone stays in the log and never reaches a contract, so
erasing the person (destroying the key) needs no retraction downstream. A placement is
released with no town: the event records only the transfer it ends, the town is the one
its `placement_taken` named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from aggregates import base
from aggregates.base import RuleViolation
from aggregates.privacy.record import VaultMissing
from aggregates.sinkdown import baseline, placement, transfer
from aggregates.sinkdown.baseline import (
    EnforcementStaffing,
)
from aggregates.sinkdown.placement import Placement
from aggregates.sinkdown.transfer import (
    Person,
    SinkDownTransfer,
    TransferDetails,
)
from consumers.event_contracts import copied
from consumers.handlers import Touches, touching
from contracts.sinkdown import commands as c
from contracts.sinkdown import events as out

# Sink-down transfers (力量下沉): from a decoded command to its use case.
#
# Personal data is sealed here, before any use case runs: the aggregates and their events
# see the vault's token only. Without a vault the command fails rather than keep clear text.


def sealed(app: Any, person: str, personal: c.PersonalData) -> str:
    if app.vault is None:
        raise VaultMissing(f"personal data of {person} arrived, but no vault seals it")
    fields = {"name": personal.name, "id_number": personal.id_number}
    if personal.phone is not None:
        fields["phone"] = personal.phone
    return str(app.vault.seal(person, fields))


def person_of(app: Any, p: c.Person) -> Person:
    token = None if p.personal is None else sealed(app, p.person, p.personal)
    return Person(p.person, p.post, p.enforcement, p.rank, token)


def _propose(app: Any, ctx: Any, p: c.Proposal) -> None:
    details = TransferDetails(p.department, p.town, p.mode, p.team)
    app.propose_sink_down(ctx, p.transfer, details, tuple(person_of(app, x) for x in p.persons))


HANDLERS: dict[type, Callable[..., None]] = {
    c.ProposeSinkDown: _propose,
    c.ConsentToSinkDown: lambda app, ctx, p: app.consent_to_sink_down(ctx, p.transfer),
    c.VetoSinkDown: lambda app, ctx, p: app.veto_sink_down(ctx, p.transfer),
    c.MakeSinkDownEffective: lambda app, ctx, p: app.make_sink_down_effective(ctx, p.transfer),
    c.ConsultAdjustment: lambda app, ctx, p: app.consult_adjustment(
        ctx, p.transfer, p.person, p.adjustment, p.agreed
    ),
    c.RecallPerson: lambda app, ctx, p: app.recall_sunk_person(ctx, p.transfer, p.person),
    c.ReturnPerson: lambda app, ctx, p: app.return_sunk_person(ctx, p.transfer, p.person),
    c.RotatePerson: lambda app, ctx, p: app.rotate_sunk_person(
        ctx, p.transfer, p.person, person_of(app, p.replacement)
    ),
    c.DeclareEnforcementStaff: lambda app, ctx, p: app.declare_enforcement_staff(
        ctx, p.unit, p.level, p.category, p.count, p.as_of
    ),
}


# The transfer; making it effective also reads its persons' slots, loaded as touched.
_transfer = touching(SinkDownTransfer.create_id, "transfer")


def _person(p: Any) -> list[UUID]:
    return [SinkDownTransfer.create_id(p.transfer), Placement.create_id(p.person)]


TOUCHES: dict[type, Touches] = {
    **dict.fromkeys(
        (
            c.ProposeSinkDown,
            c.ConsentToSinkDown,
            c.VetoSinkDown,
            c.MakeSinkDownEffective,
            c.ConsultAdjustment,
        ),
        _transfer,
    ),
    c.RecallPerson: _person,
    c.ReturnPerson: _person,
    c.RotatePerson: lambda p: [*_person(p), Placement.create_id(p.replacement.person)],
    c.DeclareEnforcementStaff: touching(EnforcementStaffing.create_id, "unit"),
}

# The rules each command can be refused with, the thing named missing first and the 文号
# or reason last (the order a sender should read them in); the published schema lists them on
# the command, and a test reads the aggregates to check that none is missing.
RULES: dict[type, tuple[type[RuleViolation], ...]] = {
    c.ProposeSinkDown: (transfer.InvalidSinkDownDetails, transfer.TransferAlreadyProposed),
    c.ConsentToSinkDown: (
        transfer.TransferNotProposed,
        transfer.InvalidSinkDownDetails,
        transfer.TransferVetoed,
    ),
    c.VetoSinkDown: (
        transfer.TransferNotProposed,
        transfer.InvalidSinkDownDetails,
        transfer.NotAwaitingConsultation,
        base.ReasonRequired,
    ),
    c.MakeSinkDownEffective: (
        transfer.TransferNotProposed,
        transfer.InvalidSinkDownDetails,
        placement.PersonAlreadyPlaced,
        transfer.TownConsentRequired,
        transfer.TransferVetoed,
    ),
    c.ConsultAdjustment: (
        transfer.TransferNotProposed,
        transfer.InvalidSinkDownDetails,
        transfer.NotInEffect,
        transfer.PersonNotServing,
        base.ReasonRequired,
    ),
    **dict.fromkeys(
        (c.RecallPerson, c.ReturnPerson),
        (
            transfer.TransferNotProposed,
            transfer.AdjustmentWithoutTownConsent,
            transfer.InvalidSinkDownDetails,
            transfer.NotInEffect,
            transfer.PersonAlreadyInTransfer,
            transfer.PersonNotServing,
            base.ReasonRequired,
        ),
    ),
    c.RotatePerson: (
        transfer.TransferNotProposed,
        transfer.AdjustmentWithoutTownConsent,
        transfer.InvalidSinkDownDetails,
        transfer.NotInEffect,
        transfer.PersonAlreadyInTransfer,
        placement.PersonAlreadyPlaced,
        transfer.PersonNotServing,
        base.ReasonRequired,
    ),
    c.DeclareEnforcementStaff: (
        baseline.EnforcementStaffingConflict,
        baseline.InvalidEnforcementStaffing,
        base.ReasonRequired,
    ),
}


def _staff(person: Any) -> c.Staff:
    """The person without personal data: `sealed` is no field of `Staff`, so it stays behind."""
    return copied(c.Staff, person)


def _proposed(e: Any, agg: Any) -> out.Proposed:
    return copied(out.Proposed, e.details, transfer=e.code, persons=tuple(_staff(p) for p in e.persons))


def _dated(e: Any, agg: Any) -> out.Dated:
    return copied(out.Dated, e, transfer=agg.code)


def _left(e: Any, agg: Any) -> out.Left:
    return copied(out.Left, e, transfer=agg.code)


def _baseline(e: Any, agg: Any) -> c.EnforcementStaff:
    """Declared or corrected, the baseline goes out whole, as it stands after the event."""
    return copied(c.EnforcementStaff, agg)


# (contract class, payload builder(event, aggregate as of the event))
PUBLISHED: dict[type, tuple[type, Any]] = {
    SinkDownTransfer.Proposed: (out.SinkDownProposed, _proposed),
    SinkDownTransfer.TownConsented: (out.TownConsented, _dated),
    SinkDownTransfer.TownVetoed: (out.TownVetoed, _dated),
    SinkDownTransfer.TookEffect: (out.SinkDownTookEffect, _dated),
    SinkDownTransfer.AdjustmentConsulted: (
        out.AdjustmentConsulted,
        lambda e, a: copied(out.Consulted, e, transfer=a.code, adjustment=e.kind),
    ),
    SinkDownTransfer.Recalled: (out.PersonRecalled, _left),
    SinkDownTransfer.Returned: (out.PersonReturned, _left),
    SinkDownTransfer.Rotated: (
        out.PersonRotated,
        lambda e, a: copied(out.Rotated, e, transfer=a.code, replacement=_staff(e.replacement)),
    ),
    Placement.Taken: (
        out.PlacementTaken,
        lambda e, a: out.Placed(person=a.person, transfer=e.transfer, town=e.town, on=e.since),
    ),
    Placement.Released: (
        out.PlacementReleased,
        lambda e, a: out.Placed(person=a.person, transfer=e.transfer, on=e.on),
    ),
    EnforcementStaffing.Declared: (out.EnforcementStaffDeclared, _baseline),
    EnforcementStaffing.Corrected: (out.EnforcementStaffCorrected, _baseline),
}


# Internal bookkeeping, not published: a person's placement slot opens in the command that
# first places them, followed there by `placement_taken`; the opening says nothing more.
INTERNAL: set[type] = {Placement.Opened}
